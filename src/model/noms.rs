//! The names of input files as fnp shows them: never lossy, two files never alike.

/// A path as text, never lossy: two different paths never give the same text (docs/cli.md,
/// « Noms de fichiers »). On Unix a byte that is not UTF-8 is written `\xE9` and a
/// backslash `\\`, so that a valid name holding the four characters `\xE9` stays apart;
/// on Windows an unpaired surrogate is written `<U+D800>` (`<` is forbidden in a Windows
/// name). A valid name without a backslash is shown as it is.
///
/// On Windows the path reads as its users write it: folders separated by `\` (a `/` given
/// on the command line or joined by fnp becomes `\`, which Windows forbids in a name, so
/// nothing is confused) and without the `\\?\` prefix of long paths.
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
        let texte: String = char::decode_utf16(chemin.as_os_str().encode_wide())
            .map(|c| match c {
                Ok('/') => "\\".to_string(),
                Ok(c) => c.to_string(),
                Err(e) => format!("<U+{:04X}>", e.unpaired_surrogate()),
            })
            .collect();
        sans_prefixe_long(texte)
    }
    #[cfg(not(any(unix, windows)))]
    {
        chemin.display().to_string()
    }
}

/// `\\?\C:\…` as `C:\…` and `\\?\UNC\serveur\…` as `\\serveur\…`: the prefix Windows puts
/// before long paths (and std before canonical ones) means nothing to a reader.
#[cfg(any(windows, test))]
fn sans_prefixe_long(texte: String) -> String {
    if let Some(reste) = texte.strip_prefix(r"\\?\UNC\") {
        format!(r"\\{reste}")
    } else if let Some(reste) = texte.strip_prefix(r"\\?\") {
        reste.to_string()
    } else {
        texte
    }
}

/// The one form of a shown path in the formats machines read (JSON, SARIF, JUnit, GitHub
/// annotations; docs/cli.md, « Chemins »): folders separated by `/` on every system. On
/// Unix it is the text [`texte_chemin`] gives; on Windows its `\` become `/` (a name there
/// never holds either).
pub fn chemin_stable(texte: &str) -> std::borrow::Cow<'_, str> {
    if cfg!(windows) && texte.contains('\\') { texte.replace('\\', "/").into() } else { texte.into() }
}

/// [`chemin_stable`] throughout a JSON document already built (`fnp budget`, `fnp bilan`): every
/// `source` text, and the `fichier` of each `emplacement` and `copie_annotee`, with `/`.
/// Nothing to change off Windows.
pub fn json_stable(v: &mut serde_json::Value) {
    use serde_json::Value;
    if !cfg!(windows) {
        return;
    }
    let stable = |t: &mut Value| {
        if let Value::String(s) = t {
            *s = chemin_stable(s).into_owned();
        }
    };
    match v {
        Value::Object(o) => {
            for (cle, valeur) in o.iter_mut() {
                match cle.as_str() {
                    "source" => stable(valeur),
                    "emplacement" | "copie_annotee" => {
                        if let Some(f) = valeur.get_mut("fichier") {
                            stable(f);
                        }
                    }
                    _ => json_stable(valeur),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(json_stable),
        _ => {}
    }
}

/// A path as fnp shows it in a message: [`texte_chemin`], as a method (`dossier.affiche()`),
/// in place of `Path::display`, which is lossy and keeps `/` and `\` mixed on Windows.
pub trait Affiche {
    fn affiche(&self) -> String;
}

impl Affiche for std::path::Path {
    fn affiche(&self) -> String {
        texte_chemin(self)
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

/// `1 erreur`, `2 erreurs`.
pub fn pluriel(n: usize, singulier: &str, pluriel: &str) -> String {
    format!("{n} {}", if n > 1 { pluriel } else { singulier })
}

/// The last part of a path as given (`Retours/nord/a.xlsx` → `a.xlsx`, either separator):
/// the name people look for in a report's first column.
pub fn nom_de_fichier(chemin: &str) -> &str {
    chemin.trim_end_matches(['/', '\\']).rsplit(['/', '\\']).next().unwrap_or(chemin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_path_prefix_is_not_shown() {
        assert_eq!(sans_prefixe_long(r"\\?\C:\lot\a.xlsx".into()), r"C:\lot\a.xlsx");
        assert_eq!(sans_prefixe_long(r"\\?\UNC\caf\partage\a.xlsx".into()), r"\\caf\partage\a.xlsx");
        assert_eq!(sans_prefixe_long(r"\\caf\partage\a.xlsx".into()), r"\\caf\partage\a.xlsx");
    }

    /// Shown to people with the system's separator, to machines always with `/`.
    #[test]
    fn paths_read_as_the_system_writes_them_and_machines_get_slashes() {
        let p = std::path::Path::new("lot").join("nord/a.toml");
        let humain = p.affiche();
        let sep = std::path::MAIN_SEPARATOR;
        assert_eq!(humain, format!("lot{sep}nord{sep}a.toml"));
        assert_eq!(chemin_stable(&humain), "lot/nord/a.toml");
        // On Unix a backslash is part of a name: kept (escaped), never taken for a folder.
        #[cfg(unix)]
        assert_eq!(chemin_stable(&std::path::Path::new(r"a\b.toml").affiche()), r"a\\b.toml");
    }
}
