//! The system's answers about files, in French: what a path is when it is no regular file,
//! and why a read or a write failed.

/// What a path is when it is no regular file: said in French (`None` for a regular file).
pub fn sorte_speciale(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("c'est un dossier");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("c'est un tube nommé (FIFO)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("c'est un périphérique (/dev/…)");
        }
        if t.is_socket() {
            return Some("c'est une socket");
        }
    }
    Some("ce n'est pas un fichier ordinaire")
}

/// What Windows says when another program holds the file: Excel keeps a workbook it has open
/// locked (ERROR_SHARING_VIOLATION, 32; ERROR_LOCK_VIOLATION, 33). Unix has no such lock.
pub const OUVERT_AILLEURS: &str =
    "le fichier est ouvert dans un autre programme (Excel ?) : fermez-le, puis relancez fnp";

/// Whether the error is Windows refusing a file another program holds open.
fn ouvert_ailleurs(code: Option<i32>) -> bool {
    cfg!(windows) && matches!(code, Some(32 | 33))
}

/// A French message for an I/O error.
pub fn message_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    if ouvert_ailleurs(code_systeme(e)) {
        return OUVERT_AILLEURS.into();
    }
    match e.kind() {
        NotFound => "fichier introuvable".into(),
        PermissionDenied => "lecture refusée (droits insuffisants)".into(),
        IsADirectory => "c'est un dossier, pas un fichier".into(),
        _ => format!("lecture impossible : {}", description_io(e)),
    }
}

/// What went wrong, in French, without saying whether it was a read or a write (the caller
/// says which): the cause by its kind (which the standard library maps from each system's
/// numbers, and which a library wrapping the error keeps), else by the system's number, never
/// in a library's English (tempfile wraps every error of a temporary file as `No space left
/// on device (os error 28) at path …`).
pub fn description_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let code = code_systeme(e);
    if ouvert_ailleurs(code) {
        return OUVERT_AILLEURS.into();
    }
    let selon_le_genre = match e.kind() {
        NotFound => Some("fichier ou dossier introuvable"),
        PermissionDenied => Some("droits insuffisants"),
        AlreadyExists => Some("le fichier existe déjà"),
        NotADirectory => Some("un élément du chemin n'est pas un dossier"),
        IsADirectory => Some("c'est un dossier, pas un fichier"),
        StorageFull => Some("plus de place sur le disque"),
        QuotaExceeded => Some("quota de disque dépassé"),
        ReadOnlyFilesystem => Some("système de fichiers en lecture seule"),
        FileTooLarge => Some("fichier trop gros pour le système de fichiers"),
        InvalidFilename => Some("nom de fichier ou chemin trop long pour le système"),
        OutOfMemory => Some("mémoire insuffisante"),
        UnexpectedEof => Some("fin de fichier inattendue"),
        WriteZero => Some("écriture interrompue (rien n'a pu être écrit)"),
        ResourceBusy => Some("fichier ou périphérique occupé"),
        StaleNetworkFileHandle => Some("fichier réseau devenu inaccessible"),
        TimedOut => Some("délai dépassé"),
        Interrupted => Some("opération interrompue"),
        _ => None,
    };
    if let Some(texte) = selon_le_genre {
        return texte.into();
    }
    match code {
        // The numbers differ by system (on Windows 5 is « access denied », mapped above).
        #[cfg(unix)]
        Some(5) => "erreur d'entrée-sortie du disque".into(),
        #[cfg(unix)]
        Some(24) => "trop de fichiers ouverts".into(),
        #[cfg(windows)]
        Some(4) => "trop de fichiers ouverts".into(),
        #[cfg(windows)]
        Some(1117) => "erreur d'entrée-sortie du disque".into(),
        // A file named like a device (`CON.xlsx`, `NUL.toml`, `COM1.ods`): Windows refuses the
        // name itself (hostile round 4; wine answers 87, Windows 87 or 123).
        #[cfg(windows)]
        Some(87 | 123) => {
            "nom refusé par Windows (CON, PRN, AUX, NUL, COM1 à COM9 et LPT1 à LPT9 sont réservés aux périphériques, même avec une extension) : renommez le fichier".into()
        }
        #[cfg(target_os = "linux")]
        Some(40) => "trop de liens symboliques (une boucle ?)".into(),
        #[cfg(target_os = "macos")]
        Some(62) => "trop de liens symboliques (une boucle ?)".into(),
        Some(n) => format!("erreur du système n° {n}"),
        None => "erreur inattendue du système".into(),
    }
}

/// The system's number of an I/O error, also when a library wrapped it in an error of its
/// own: an `io::Error` inside, or tempfile's private `PathError`, whose text holds the
/// standard library's `(os error N)`.
pub fn code_systeme(e: &std::io::Error) -> Option<i32> {
    if let Some(n) = e.raw_os_error() {
        return Some(n);
    }
    let dedans = e.get_ref()?;
    if let Some(io) = dedans.downcast_ref::<std::io::Error>() {
        return code_systeme(io);
    }
    let texte = dedans.to_string();
    let debut = texte.find("(os error ")? + "(os error ".len();
    texte[debut..].split(')').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    /// Every number the system may give is said in French; on Windows, a reserved device name
    /// is named as such (hostile round 4: « erreur du système n° 87 » before).
    #[test]
    fn system_errors_are_said_in_french() {
        let d = super::description_io(&std::io::Error::from_raw_os_error(99_999));
        assert_eq!(d, "erreur du système n° 99999");
        #[cfg(windows)]
        {
            let d = super::description_io(&std::io::Error::from_raw_os_error(87));
            assert!(d.contains("CON") && d.contains("renommez le fichier"), "{d}");
        }
    }
}
