//! What fnp writes and shows of its outputs and of the inputs' names: names that are not
//! UTF-8, write errors said in French with their cause, Excel's limits.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary");
    c.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE").timeout(Duration::from_secs(120));
    c
}

/// A file name made of raw bytes (not UTF-8 on purpose).
#[cfg(unix)]
fn nom(octets: &[u8]) -> &Path {
    use std::os::unix::ffi::OsStrExt;
    Path::new(std::ffi::OsStr::from_bytes(octets))
}

/// Two files whose names differ by a byte that is not UTF-8, and a valid name holding the
/// escape itself: each shown apart, escaped visibly, never as `�`, in the terminal, the
/// JSON, the reports and the annotated copies' names.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_shown_escaped_and_apart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("lot");
    std::fs::create_dir(&d).expect("mkdir");
    std::fs::copy("tests/fixtures/erreurs.toml", d.join(nom(b"caf\xe9.toml"))).expect("copy");
    std::fs::copy("tests/fixtures/cafe.toml", d.join(nom(b"caf\xe8.toml"))).expect("copy");
    std::fs::copy("tests/fixtures/cafe.toml", d.join("caf\\xE9.toml")).expect("copy");
    std::fs::copy("tests/fixtures/classeurs/cafe-libreoffice.xlsx", d.join(nom(b"caf\xe9.xlsx"))).expect("copy");
    let (r, a) = (dir.path().join("rapports"), dir.path().join("annotes"));
    let o = fnp()
        .args(["check", "--format", "json"])
        .arg(&d)
        .arg("--report")
        .arg(&r)
        .arg("--annotate")
        .arg(&a)
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("{e}: {} {}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
    });
    let sources: Vec<String> = v["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .map(|x| x["source"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("").to_string())
        .collect();
    let mut attendues = vec!["caf\\xE9.toml", "caf\\xE8.toml", "caf\\\\xE9.toml", "caf\\xE9.xlsx"];
    attendues.sort_unstable();
    let mut vues = sources.clone();
    vues.sort_unstable();
    assert_eq!(vues, attendues, "{v:#}");
    let verdict = |n: &str| {
        v["dossiers"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| x["source"].as_str().is_some_and(|s| s.ends_with(&format!("/{n}"))))
            .map(|x| x["verdict"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(verdict("caf\\xE9.toml").as_deref(), Some("non-conforme"));
    assert_eq!(verdict("caf\\xE8.toml").as_deref(), Some("a-verifier"));
    // The terminal and the reports.
    let o = fnp().arg("check").arg(&d).output().expect("runs");
    let humain = String::from_utf8_lossy(&o.stdout);
    for n in &attendues {
        assert!(humain.contains(n), "{n} absent:\n{humain}");
    }
    for f in ["synthese.csv", "constats.csv", "synthese.json", "rapport.html"] {
        let texte = std::fs::read_to_string(r.join(f)).expect("report is UTF-8");
        assert!(!texte.contains('\u{fffd}'), "{f}: {texte}");
        // JSON doubles the backslash once more.
        let (e9, e8) = if f.ends_with(".json") {
            ("caf\\\\xE9.toml", "caf\\\\xE8.toml")
        } else {
            ("caf\\xE9.toml", "caf\\xE8.toml")
        };
        assert!(texte.contains(e9) && texte.contains(e8), "{f}: {texte}");
    }
    // The annotated copy is named as its input is shown.
    assert!(
        a.join("caf\\xE9.annote.xlsx").is_file(),
        "{:?}",
        std::fs::read_dir(&a).map(|l| l.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
    );
}
