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
