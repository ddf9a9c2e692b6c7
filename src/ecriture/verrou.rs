//! Output folders shared safely: a run writing reports or annotated copies in a folder holds
//! a lock on it (`.fnp-verrou`, `File::try_lock`: `flock` on Unix, `LockFileEx` on Windows),
//! so that a second run on the same folder refuses at once instead of deleting the first
//! one's temporary files; while it holds the lock, temporaries left in the folder by others
//! are provably stale and removed. A folder fnp creates for its outputs is marked
//! (`.fnp-sortie`): found inside a checked folder, it is left aside, and said.

use crate::lecture::Affiche;
pub use crate::lecture::decouverte::{MARQUE_SORTIE, compter_fichiers, est_sortie_de_fnp};
use std::path::{Path, PathBuf};

/// The lock file of an output folder.
pub const VERROU: &str = ".fnp-verrou";

const TEXTE_MARQUE: &str = "Dossier créé par fnp pour ses rapports ou ses copies annotées.\n\
Vérifié avec un dossier qui le contient, il est laissé de côté (fnp le dit).\n";

/// The lock on an output folder, held until dropped (or the process ends).
#[derive(Debug)]
pub struct Verrou {
    dossier: PathBuf,
    /// `None` where the file system offers no lock (then nobody else's file is removed).
    fichier: Option<std::fs::File>,
}

impl Verrou {
    /// The locked folder.
    pub fn dossier(&self) -> &Path {
        &self.dossier
    }

    /// Whether the lock is really held.
    pub fn tenu(&self) -> bool {
        self.fichier.is_some()
    }
}

/// Options that make fnp's marks hidden files in the Windows Explorer too, where a name
/// starting with a dot is not hidden (issue 33): the hidden attribute, set when the file is
/// created.
fn options_cachees() -> std::fs::OpenOptions {
    #[allow(unused_mut)]
    let mut o = std::fs::OpenOptions::new();
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_ATTRIBUTE_HIDDEN: u32 = 0x2;
        o.attributes(FILE_ATTRIBUTE_HIDDEN);
    }
    o
}

/// Makes `dossier` ready for a run's outputs: creates it if missing (and marks it as fnp's),
/// takes its lock, and removes the temporary files others left in it. A folder locked by
/// another run is refused at once, in French.
pub fn preparer_sortie(dossier: &Path) -> Result<Verrou, String> {
    if !dossier.is_dir() {
        std::fs::create_dir_all(dossier).map_err(|e| {
            format!("{} : impossible de créer le dossier : {}", dossier.affiche(), crate::lecture::description_io(&e))
        })?;
        // The mark is a courtesy to later runs: a folder that cannot take it is still used.
        let _ = options_cachees()
            .write(true)
            .create_new(true)
            .open(dossier.join(MARQUE_SORTIE))
            .and_then(|mut f| std::io::Write::write_all(&mut f, TEXTE_MARQUE.as_bytes()));
    }
    let verrou = verrouiller(dossier)?;
    if verrou.tenu() {
        nettoyer_temporaires(&verrou);
    }
    Ok(verrou)
}

/// Takes the lock of `dossier` (which exists), without waiting.
pub fn verrouiller(dossier: &Path) -> Result<Verrou, String> {
    let ouvert = options_cachees().read(true).write(true).create(true).truncate(false).open(dossier.join(VERROU));
    let fichier = match ouvert {
        Ok(f) => match f.try_lock() {
            Ok(()) => Some(f),
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(format!(
                    "le dossier {} est utilisé par une autre vérification en cours (fnp) ; attendez qu'elle se termine, ou choisissez un autre dossier",
                    dossier.affiche()
                ));
            }
            // A file system without locks (some network shares): the run goes on, removing
            // nobody else's files.
            Err(std::fs::TryLockError::Error(_)) => None,
        },
        // A folder where the lock cannot be made (read-only): writing will say why.
        Err(_) => None,
    };
    Ok(Verrou { dossier: dossier.to_path_buf(), fichier })
}

/// The lock of each distinct folder of `dossiers` (the same folder given twice is locked
/// once: a second lock of one's own folder would refuse).
pub fn preparer_sorties(dossiers: &[&Path]) -> Result<Vec<Verrou>, String> {
    let mut verrous: Vec<Verrou> = Vec::new();
    for d in dossiers {
        // The same folder: the same path, or the same real path when the system can tell it
        // (two folders whose real paths it cannot tell are not taken for one).
        let reel = super::atomique::chemin_reel(d);
        let meme = |v: &Verrou| v.dossier == *d || reel.is_some() && super::atomique::chemin_reel(&v.dossier) == reel;
        if verrous.iter().any(meme) {
            continue;
        }
        verrous.push(preparer_sortie(d)?);
    }
    Ok(verrous)
}

/// Removes the temporary files other runs left in a locked output folder and its
/// subfolders (a killed run's). Holding the lock proves every run that writes there under
/// the lock has ended; on Linux a file whose process is still alive is kept all the same
/// (a single output written there by `-o`, which takes no lock). This run's own files are
/// its own to remove.
pub fn nettoyer_temporaires(verrou: &Verrou) {
    super::atomique::nettoyer_dans(verrou.dossier(), std::process::id(), 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_a_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = dir.path().join("rapport");
        let premier = preparer_sortie(&r).expect("first");
        assert!(premier.tenu());
        assert!(est_sortie_de_fnp(&r), "a folder fnp creates is marked");
        let e = preparer_sortie(&r).expect_err("second run");
        assert!(e.contains("utilisé par une autre vérification en cours"), "{e}");
        drop(premier);
        let second = preparer_sortie(&r).expect("free again");
        assert!(second.tenu());
        // An existing folder is not marked: only those fnp created.
        let existant = dir.path().join("existant");
        std::fs::create_dir(&existant).expect("mkdir");
        let _v = preparer_sortie(&existant).expect("lock");
        assert!(!est_sortie_de_fnp(&existant));
    }

    #[test]
    fn one_folder_given_twice_is_locked_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = dir.path().join("sorties");
        let v = preparer_sorties(&[&r, &dir.path().join("./sorties")]).expect("locks");
        assert_eq!(v.len(), 1);
    }
}
