//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// Every file under `d`, recursively.
pub fn fichiers(d: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            v.extend(fichiers(&p));
        } else {
            v.push(p);
        }
    }
    v
}

/// fnp's temporary files (`.fnp-<pid>-XXXXXX.tmp`) left anywhere under `d` (its lock and
/// folder mark, `.fnp-verrou` and `.fnp-sortie`, are not temporary).
pub fn temporaires(d: &Path) -> Vec<PathBuf> {
    fichiers(d)
        .into_iter()
        .filter(|p| {
            let nom = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            nom.starts_with(".fnp-") && nom.ends_with(".tmp")
        })
        .collect()
}
