//! Writing outputs without losing anything: never over an existing file without `--force`,
//! always through a temporary file renamed into place, so that an interrupted run leaves no
//! half-written file.

use std::io::Write;
use std::path::Path;

/// Writes `contenu` to `chemin` atomically. Refuses to replace an existing file unless
/// `force`. The error is a French message naming the file.
pub fn ecrire_fichier(chemin: &Path, contenu: &[u8], force: bool) -> Result<(), String> {
    let affiche = chemin.display();
    let parent = match chemin.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(format!("{affiche} : le dossier {} n'existe pas", parent.display()));
    }
    if chemin.is_dir() {
        return Err(format!("{affiche} : c'est un dossier ; donnez un nom de fichier"));
    }
    if chemin.exists() && !force {
        return Err(format!("{affiche} existe déjà : ajoutez --force pour le remplacer"));
    }
    let echec = |e: std::io::Error| format!("{affiche} : écriture impossible : {}", crate::io::description_io(&e));
    let mut temporaire = tempfile::Builder::new().prefix(".fnp-").suffix(".tmp").tempfile_in(parent).map_err(echec)?;
    temporaire.write_all(contenu).map_err(echec)?;
    temporaire.as_file().sync_all().map_err(echec)?;
    let resultat = if force { temporaire.persist(chemin) } else { temporaire.persist_noclobber(chemin) };
    resultat.map(|_| ()).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{affiche} existe déjà : ajoutez --force pour le remplacer")
        } else {
            echec(e.error)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("sortie.html");
        ecrire_fichier(&f, b"un", false).expect("first write");
        let e = ecrire_fichier(&f, b"deux", false).expect_err("exists");
        assert!(e.contains("--force"), "{e}");
        assert_eq!(std::fs::read(&f).expect("read"), b"un");
        ecrire_fichier(&f, b"deux", true).expect("forced");
        assert_eq!(std::fs::read(&f).expect("read"), b"deux");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
    }

    #[test]
    fn missing_folder_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = ecrire_fichier(&dir.path().join("absent/sortie.html"), b"x", false).expect_err("no folder");
        assert!(e.contains("n'existe pas"), "{e}");
    }
}
