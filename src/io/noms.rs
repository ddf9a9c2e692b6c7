//! The names of input files as fnp shows them: never lossy, two files never alike.

/// A path as text, never lossy: two different paths never give the same text (docs/cli.md,
/// « Noms de fichiers »). On Unix a byte that is not UTF-8 is written `\xE9` and a
/// backslash `\\`, so that a valid name holding the four characters `\xE9` stays apart;
/// on Windows an unpaired surrogate is written `<U+D800>` (`<` is forbidden in a Windows
/// name). A valid name without a backslash is shown as it is.
pub fn texte_chemin(chemin: &std::path::Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let octets = chemin.as_os_str().as_bytes();
        let mut s = String::with_capacity(octets.len());
        for morceau in octets.utf8_chunks() {
            s.push_str(&morceau.valid().replace('\\', "\\\\"));
            for o in morceau.invalid() {
                s.push_str(&format!("\\x{o:02X}"));
            }
        }
        s
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStrExt;
        char::decode_utf16(chemin.as_os_str().encode_wide())
            .map(|c| match c {
                Ok(c) => c.to_string(),
                Err(e) => format!("<U+{:04X}>", e.unpaired_surrogate()),
            })
            .collect()
    }
    #[cfg(not(any(unix, windows)))]
    {
        chemin.display().to_string()
    }
}

/// The bytes of a path from its text by [`texte_chemin`], which it undoes on Unix (`\xE9`
/// is the byte 0xE9, `\\` a backslash): for a URI that names the file itself (SARIF).
/// Elsewhere the text's own bytes.
pub fn octets_chemin(texte: &str) -> Vec<u8> {
    #[cfg(unix)]
    {
        let o = texte.as_bytes();
        let mut v = Vec::with_capacity(o.len());
        let mut i = 0;
        while i < o.len() {
            let hexa = |k: usize| o.get(k).and_then(|c| char::from(*c).to_digit(16));
            match (o[i], o.get(i + 1)) {
                (b'\\', Some(b'\\')) => {
                    v.push(b'\\');
                    i += 2;
                }
                (b'\\', Some(b'x')) if hexa(i + 2).is_some() && hexa(i + 3).is_some() => {
                    v.push((hexa(i + 2).unwrap_or(0) * 16 + hexa(i + 3).unwrap_or(0)) as u8);
                    i += 4;
                }
                (c, _) => {
                    v.push(c);
                    i += 1;
                }
            }
        }
        v
    }
    #[cfg(not(unix))]
    {
        texte.as_bytes().to_vec()
    }
}
