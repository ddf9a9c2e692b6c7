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

/// A text fnp wrote for people, with the paths of the repository's files as Unix writes
/// them, for the snapshots, which hold one form. On Windows fnp writes them with `\` (as its
/// users read paths): there each must be in that form, never with `/`.
pub fn chemins_unix(texte: &str) -> String {
    chemins_unix_en(texte, "/")
}

/// [`chemins_unix`] in an HTML page, where minijinja writes `/` as `&#x2f;`.
pub fn chemins_unix_html(texte: &str) -> String {
    chemins_unix_en(texte, "&#x2f;")
}

fn chemins_unix_en(texte: &str, barre: &str) -> String {
    if !cfg!(windows) {
        return texte.to_string();
    }
    for unix in ["tests/fixtures/", "tests/cases/", "examples/"] {
        let unix = unix.replace('/', barre);
        assert!(!texte.contains(&unix), "a path shown with / on Windows ({unix}):\n{texte}");
    }
    let mut t = texte.to_string();
    for (natif, unix) in [
        (r"tests\fixtures\classeurs\", "tests/fixtures/classeurs/"),
        (r"tests\fixtures\", "tests/fixtures/"),
        (r"tests\cases\", "tests/cases/"),
        (r"examples\bilan\", "examples/bilan/"),
        (r"examples\", "examples/"),
    ] {
        t = t.replace(natif, &unix.replace('/', barre));
    }
    t
}

/// A path as the machine formats give it (JSON, SARIF, JUnit): with `/` on every system.
pub fn chemin_stable(p: &Path) -> String {
    let t = p.display().to_string();
    if cfg!(windows) { t.replace('\\', "/") } else { t }
}
