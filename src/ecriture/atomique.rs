//! Writing outputs without losing anything: never over an existing file without `--force`,
//! always through a temporary file renamed into place, so that an interrupted run leaves no
//! half-written file.

use crate::lecture::Affiche;
use std::io::Write;
use std::path::Path;

/// A temporary file beside an output, created with the mode the user's umask gives an
/// ordinary file (0666 & ~umask), so that colleagues on a shared drive read the outputs as
/// they read any file the user writes (tempfile's own default is 0600).
pub fn temporaire_dans(dossier: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    let prefixe = prefixe_du_processus();
    b.prefix(&prefixe).suffix(SUFFIXE);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dossier)
}

/// A path made absolute and free of links, whether it exists yet or not (its parent must).
pub fn chemin_reel(p: &Path) -> Option<std::path::PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let parent = match p.parent() {
        Some(x) if !x.as_os_str().is_empty() => x,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
}

/// Refuses an output that is one of the inputs (`-o projet.toml` for `projet.toml`): even
/// with `--force`, fnp never writes over what it reads.
pub fn refuser_sortie_sur_entree(sortie: &Path, entrees: &[&Path]) -> Result<(), String> {
    if crate::lecture::est_entree_standard(sortie) {
        return Ok(());
    }
    let Some(s) = chemin_reel(sortie) else { return Ok(()) };
    for e in entrees {
        if !crate::lecture::est_entree_standard(e) && chemin_reel(e).is_some_and(|x| x == s) {
            return Err(format!(
                "{} est aussi une entrée : fnp n'écrit jamais sur ce qu'il lit ; choisissez une autre sortie",
                sortie.affiche()
            ));
        }
    }
    Ok(())
}

/// How fnp names its temporary files: `.fnp-<pid>-XXXXXX.tmp`, the run's process id first,
/// so that each run knows its own.
pub const PREFIXE: &str = ".fnp-";
pub const SUFFIXE: &str = ".tmp";

/// The start of this run's temporary file names (`.fnp-1234-`).
fn prefixe_du_processus() -> String {
    format!("{PREFIXE}{}-", std::process::id())
}

/// The process that made a temporary file, from its name (`None`: not one of fnp's, or an
/// older name without it).
fn processus_du_temporaire(nom: &str) -> Option<u32> {
    nom.strip_prefix(PREFIXE)?.strip_suffix(SUFFIXE)?.split_once('-')?.0.parse().ok()
}

/// Whether a temporary file's name is fnp's (`.fnp-….tmp`).
pub fn est_temporaire(nom: &str) -> bool {
    nom.starts_with(PREFIXE) && nom.ends_with(SUFFIXE)
}

/// The temporary files under `dossier` that no live process is writing, removed (see
/// `verrou::nettoyer_temporaires`, which calls it with the lock held).
pub fn nettoyer_dans(dossier: &Path, moi: u32, profondeur: usize) {
    let Ok(lecture) = std::fs::read_dir(dossier) else { return };
    for e in lecture.flatten() {
        let nom = e.file_name();
        let nom = nom.to_string_lossy();
        match e.file_type() {
            // Subfolders of annotated copies; links are not followed.
            Ok(t) if t.is_dir() && profondeur < 64 => nettoyer_dans(&e.path(), moi, profondeur + 1),
            Ok(t) if t.is_file() && est_temporaire(&nom) => {
                let auteur = processus_du_temporaire(&nom);
                if auteur == Some(moi) || auteur.is_some_and(processus_vivant) {
                    continue;
                }
                let _ = std::fs::remove_file(e.path());
            }
            _ => {}
        }
    }
}

/// Whether a process is alive (Linux: `/proc`); elsewhere, the lock alone decides.
fn processus_vivant(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists()
}

/// Writes `contenu` to `chemin` atomically. Refuses to replace an existing file unless
/// `force`. The error is a French message naming the file.
pub fn ecrire_fichier(chemin: &Path, contenu: &[u8], force: bool) -> Result<(), String> {
    ecrire(chemin, contenu, force, true)
}

/// [`ecrire_fichier`] for one file of many: renamed into place at once, made durable later
/// by one [`synchroniser`] for the whole batch (a sync per file costs more than writing it).
pub fn ecrire_fichier_differe(chemin: &Path, contenu: &[u8], force: bool) -> Result<(), String> {
    ecrire(chemin, contenu, force, false)
}

/// Why a file could not be written or replaced, in French. Windows refuses to replace a file
/// another program holds open (Excel keeps its workbooks so) as « access denied »: with the
/// file there, that is the likely cause, and said as such.
fn pourquoi_pas(cible: &Path, e: &std::io::Error) -> String {
    let description = crate::lecture::description_io(e);
    if cfg!(windows) && e.kind() == std::io::ErrorKind::PermissionDenied && cible.is_file() {
        format!("{description}, ou {}", crate::lecture::erreurs_io::OUVERT_AILLEURS)
    } else {
        description
    }
}

/// Makes durable everything written on the file system of `dossier`.
pub fn synchroniser(dossier: &Path) -> Result<(), String> {
    // Windows opens no folder as a file (it refuses with an I/O error) and journals its
    // entries itself: each file written for later syncing is synced when written there
    // (`ecrire`), so nothing is left to do for the folder.
    if cfg!(windows) {
        return Ok(());
    }
    let echec = |e: std::io::Error| {
        format!("{} : écriture impossible : {}", dossier.affiche(), crate::lecture::description_io(&e))
    };
    let f = std::fs::File::open(dossier).map_err(echec)?;
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: syncfs only reads the descriptor, which `f` keeps open for the call.
        if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
            return Err(echec(std::io::Error::last_os_error()));
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Elsewhere the folder's entries at least; a full sync has no portable call.
        f.sync_all().map_err(echec)?;
    }
    Ok(())
}

/// Writes a set of files in `dossier` (which must exist, locked by the caller with
/// `io::verrou::preparer_sortie`) all or nothing: none replaces an existing one without
/// `force`, and they are put in place by [`mettre_en_place`].
pub fn ecrire_ensemble(dossier: &Path, fichiers: &[(&str, Vec<u8>)], force: bool) -> Result<(), String> {
    for (nom, _) in fichiers {
        let cible = dossier.join(nom);
        if cible.exists() && !force {
            return Err(format!("{} existe déjà : ajoutez --force pour le remplacer", cible.affiche()));
        }
    }
    let mut prets = Vec::with_capacity(fichiers.len());
    for (nom, contenu) in fichiers {
        let cible = dossier.join(nom);
        let echec =
            |e: std::io::Error| format!("{} : écriture impossible : {}", cible.affiche(), pourquoi_pas(&cible, &e));
        let mut t = temporaire_dans(dossier).map_err(echec)?;
        t.write_all(contenu).map_err(echec)?;
        prets.push((t, cible));
    }
    mettre_en_place(prets, force)
}

/// Files written to temporaries, put in place together: every one is synced before any is
/// renamed, so a full disk or a failure leaves the previous set whole; and a rename that
/// fails half way takes back those already made (a file it replaced, kept aside under a
/// temporary name meanwhile, goes back in place), so the folder holds the old set or the
/// new one, never a mix.
pub fn mettre_en_place(prets: Vec<(tempfile::NamedTempFile, std::path::PathBuf)>, force: bool) -> Result<(), String> {
    let echec = |cible: &Path, e: &std::io::Error| {
        format!("{} : écriture impossible : {}", cible.affiche(), pourquoi_pas(cible, e))
    };
    for (t, cible) in &prets {
        t.as_file().sync_all().map_err(|e| echec(cible, &e))?;
    }
    // An interrupted run puts no set in place (its temporaries go with it): the caller sees
    // `crate::interruption::interrompu()` and reports the interruption.
    if crate::interruption::interrompu() {
        return Err("interrompu avant la mise en place".into());
    }
    // Each file put in place, with the one it replaced kept aside.
    let mut poses: Vec<(std::path::PathBuf, Option<tempfile::TempPath>)> = Vec::with_capacity(prets.len());
    for (t, cible) in prets {
        let ancien = if force { garder_de_cote(&cible) } else { None };
        let r = if force { t.persist(&cible) } else { t.persist_noclobber(&cible) };
        match r {
            Ok(_) => poses.push((cible, ancien)),
            Err(e) => {
                let message = if e.error.kind() == std::io::ErrorKind::AlreadyExists && !force {
                    format!("{} existe déjà : ajoutez --force pour le remplacer", cible.affiche())
                } else {
                    echec(&cible, &e.error)
                };
                // The one that failed is still where it was (its copy aside is removed).
                drop(ancien);
                for (pose, ancien) in poses.into_iter().rev() {
                    match ancien {
                        Some(a) => {
                            let _ = a.persist(&pose);
                        }
                        None => {
                            let _ = std::fs::remove_file(&pose);
                        }
                    }
                }
                return Err(message);
            }
        }
    }
    Ok(())
}

/// A second name for an existing file, under fnp's temporary names in its folder (a hard
/// link: no copy), removed when dropped; `None` if there is no file or the file system has
/// no hard links.
fn garder_de_cote(cible: &Path) -> Option<tempfile::TempPath> {
    if !cible.is_file() {
        return None;
    }
    let dossier = match cible.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(PREFIXE)
        .suffix(SUFFIXE)
        .make_in(dossier, |p| std::fs::hard_link(cible, p))
        .ok()
        .map(tempfile::NamedTempFile::into_temp_path)
}

fn ecrire(chemin: &Path, contenu: &[u8], force: bool, sync: bool) -> Result<(), String> {
    let affiche = chemin.affiche();
    let parent = match chemin.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(format!("{affiche} : le dossier {} n'existe pas", parent.affiche()));
    }
    if chemin.is_dir() {
        return Err(format!("{affiche} : c'est un dossier ; donnez un nom de fichier"));
    }
    if chemin.exists() && !force {
        return Err(format!("{affiche} existe déjà : ajoutez --force pour le remplacer"));
    }
    let echec = |e: std::io::Error| format!("{affiche} : écriture impossible : {}", pourquoi_pas(chemin, &e));
    let mut temporaire = temporaire_dans(parent).map_err(echec)?;
    temporaire.write_all(contenu).map_err(echec)?;
    // Where no folder sync comes after (Windows, see `synchroniser`), each file is synced.
    if sync || cfg!(windows) {
        temporaire.as_file().sync_all().map_err(echec)?;
    }
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

    #[cfg(unix)]
    #[test]
    fn outputs_follow_the_umask_and_stale_temporaries_are_cleaned() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("rapport.html");
        ecrire_fichier(&f, b"x", false).expect("write");
        let mode = std::fs::metadata(&f).expect("meta").permissions().mode() & 0o777;
        // Not 0600: readable by the group and others as the umask allows (022 or 002 here).
        assert!(mode & 0o044 != 0 || mode & 0o040 != 0, "{mode:o}");
        assert_eq!(mode & 0o111, 0, "{mode:o}");
        std::fs::write(dir.path().join(".fnp-abc123.tmp"), b"reste").expect("write");
        let verrou = crate::ecriture::verrou::preparer_sortie(dir.path()).expect("lock");
        assert!(!dir.path().join(".fnp-abc123.tmp").exists());
        assert!(f.exists());
        drop(verrou);
    }

    /// Each run's temporaries carry its process id; under the lock, another run's are
    /// removed only once it has ended, this run's never, and those of a live process (an
    /// unlocked `-o` write) are kept.
    #[test]
    fn only_stale_temporaries_of_others_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sous = dir.path().join("a/b");
        std::fs::create_dir_all(&sous).expect("mkdir");
        let mien = temporaire_dans(dir.path()).expect("temp");
        let nom = mien.path().file_name().expect("name").to_string_lossy().into_owned();
        assert_eq!(processus_du_temporaire(&nom), Some(std::process::id()), "{nom}");
        // A process id that no system gives (above Linux's 2^22 and Windows' usual range).
        let mort = dir.path().join(".fnp-4000000000-abc.tmp");
        let mort_sous = sous.join(".fnp-4000000000-def.tmp");
        let ancien = dir.path().join(".fnp-abc123.tmp");
        for f in [&mort, &mort_sous, &ancien] {
            std::fs::write(f, b"reste").expect("write");
        }
        // Process 1 is always alive.
        let vivant = dir.path().join(".fnp-1-ghi.tmp");
        std::fs::write(&vivant, b"en cours").expect("write");
        let _verrou = crate::ecriture::verrou::preparer_sortie(dir.path()).expect("lock");
        assert!(mien.path().exists(), "this run's own temporary is kept");
        assert!(!mort.exists() && !mort_sous.exists() && !ancien.exists(), "stale ones are removed");
        assert_eq!(vivant.exists(), cfg!(target_os = "linux"), "a live process's file is kept where it can be told");
    }

    /// A rename that fails half way through a set takes back the ones made: the folder
    /// holds the previous set (or nothing), never a mix, and no temporary.
    #[test]
    fn a_set_that_fails_half_way_leaves_the_previous_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let set = |contenu: &[u8]| -> Vec<(tempfile::NamedTempFile, std::path::PathBuf)> {
            ["a.csv", "b.json", "c.html"]
                .into_iter()
                .map(|n| {
                    let mut t = temporaire_dans(d).expect("temp");
                    t.write_all(contenu).expect("write");
                    (t, d.join(n))
                })
                .collect()
        };
        // Without --force, c.html in the way: a.csv and b.json are taken back.
        std::fs::write(d.join("c.html"), b"autre").expect("write");
        let e = mettre_en_place(set(b"neuf"), false).expect_err("c.html exists");
        assert!(e.contains("--force"), "{e}");
        let noms = |d: &Path| {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .expect("list")
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(noms(d), ["c.html"]);
        // With --force, a previous set and a folder where c.html goes: the previous set stays.
        std::fs::remove_file(d.join("c.html")).expect("rm");
        mettre_en_place(set(b"ancien"), false).expect("first set");
        std::fs::remove_file(d.join("c.html")).expect("rm");
        std::fs::create_dir(d.join("c.html")).expect("mkdir");
        std::fs::write(d.join("c.html").join("x"), b"x").expect("write");
        mettre_en_place(set(b"neuf"), true).expect_err("a folder in the way");
        assert_eq!(noms(d), ["a.csv", "b.json", "c.html"]);
        for n in ["a.csv", "b.json"] {
            assert_eq!(std::fs::read(d.join(n)).expect("read"), b"ancien", "{n}");
        }
        // And a set that succeeds replaces the previous one, leaving no temporary.
        std::fs::remove_dir_all(d.join("c.html")).expect("rm");
        mettre_en_place(set(b"neuf"), true).expect("replaced");
        assert_eq!(noms(d), ["a.csv", "b.json", "c.html"]);
        assert_eq!(std::fs::read(d.join("a.csv")).expect("read"), b"neuf");
    }

    #[test]
    fn missing_folder_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = ecrire_fichier(&dir.path().join("absent/sortie.html"), b"x", false).expect_err("no folder");
        assert!(e.contains("n'existe pas"), "{e}");
    }
}
