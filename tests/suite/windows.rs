//! What a Windows user meets (issue « fnp.exe »): paths as the system writes them, one form
//! for machines, files saved with CRLF, the console, paths past 260 characters, a workbook
//! open in Excel. These run on every system; `scripts/windows.sh test` runs them under wine,
//! where each of the first four failed with the exe of before.

use std::path::{MAIN_SEPARATOR, Path};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary");
    c.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE").timeout(Duration::from_secs(120));
    c
}

/// People read a path with their system's separator, whether they typed `/` or fnp found
/// the file in a folder; JSON, SARIF and JUnit always say `/`, wherever fnp ran.
#[test]
fn paths_read_as_the_system_writes_them_and_machine_formats_use_slashes() {
    let sep = MAIN_SEPARATOR;
    // Typed with `/` (as in the README), or found by walking a folder.
    for args in [&["tests/fixtures/cafe.toml"][..], &["tests/fixtures"]] {
        let o = fnp().arg("check").args(args).output().expect("runs");
        let humain = String::from_utf8_lossy(&o.stdout);
        assert!(humain.contains(&format!("--> tests{sep}fixtures{sep}cafe.toml:")), "{args:?}:\n{humain}");
        assert!(humain.contains(&format!("tests{sep}fixtures{sep}cafe.toml : à vérifier")), "{args:?}:\n{humain}");

        let o = fnp().args(["check", "--format", "json"]).args(args).output().expect("runs");
        let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
        let d = v["dossiers"]
            .as_array()
            .expect("dossiers")
            .iter()
            .find(|d| d["source"].as_str().is_some_and(|s| s.ends_with("cafe.toml")))
            .expect("cafe.toml");
        assert_eq!(d["source"], "tests/fixtures/cafe.toml", "{args:?}");
        assert_eq!(d["constats"][0]["emplacement"]["fichier"], "tests/fixtures/cafe.toml", "{args:?}");

        let o = fnp().args(["check", "--format", "junit", "tests/fixtures/cafe.toml"]).output().expect("runs");
        assert!(String::from_utf8_lossy(&o.stdout).contains("name=\"tests/fixtures/cafe.toml\""));
        let o = fnp().args(["check", "--format", "sarif", "tests/fixtures/cafe.toml"]).output().expect("runs");
        let v: Value = serde_json::from_slice(&o.stdout).expect("SARIF");
        assert_eq!(
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "tests/fixtures/cafe.toml"
        );
    }
    // Messages about files written say them the same way.
    let dir = tempfile::tempdir().expect("tempdir");
    let o = fnp()
        .args(["dossier", "tests/fixtures/cafe.toml", "-o"])
        .arg(dir.path().join("sous/dossier.html"))
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("{sep}sous{sep}dossier.html")), "{err}");
}

/// A dossier saved by a Windows editor ends its lines with CRLF: read as the same dossier,
/// at the same lines and columns, and no CR reaches a value, a document or the terminal.
#[test]
fn a_toml_file_saved_with_crlf_is_the_same_dossier() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lf = "examples/1.1-cafe-des-parents.toml";
    let texte = std::fs::read_to_string(lf).expect("read");
    assert!(texte.contains("\"\"\"\n"), "the example has a multi-line text");
    let crlf = dir.path().join("crlf.toml");
    std::fs::write(&crlf, texte.replace('\n', "\r\n")).expect("write");
    let json = |p: &Path| -> Value {
        let o = fnp().args(["check", "--format", "json"]).arg(p).output().expect("runs");
        serde_json::from_slice(&o.stdout).expect("JSON")
    };
    let (a, b) = (json(Path::new(lf)), json(&crlf));
    assert_eq!(a["dossiers"][0]["constats"], {
        let mut c = b["dossiers"][0]["constats"].clone();
        for k in c.as_array_mut().expect("findings") {
            k["emplacement"]["fichier"] = a["dossiers"][0]["source"].clone();
        }
        c
    });
    for args in [&["dossier", "--format", "md", "-o", "-"][..], &["dossier", "-o", "-"], &["check"], &["budget"]] {
        let o = fnp().args(args).arg(&crlf).output().expect("runs");
        let sortie = String::from_utf8_lossy(&o.stdout);
        assert!(!sortie.contains('\r') && !sortie.contains("u{d}"), "{args:?}: a CR is shown:\n{sortie}");
    }
    // An error in such a file points at its line and column, caret under the value.
    let faux = texte.replacen("participants_max = 12", "participants_max = douze", 1);
    assert_ne!(faux, texte);
    std::fs::write(&crlf, faux.replace('\n', "\r\n")).expect("write");
    let o = fnp().arg("check").arg(&crlf).output().expect("runs");
    let sortie = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let ligne = faux.lines().position(|l| l.contains("douze")).expect("line") + 1;
    assert!(sortie.contains(&format!("crlf.toml:{ligne}:20")), "{sortie}");
    assert!(!sortie.contains('\r'), "{sortie}");
}

/// The console: French with its accents, as UTF-8 when the output goes to a file or a
/// program (Windows' console gets them through its own calls); colours only when asked for
/// or on a terminal, never raw escape codes in a file.
#[test]
fn the_console_gets_accents_and_colours_only_where_they_show() {
    let o = fnp().env_remove("NO_COLOR").args(["check", "tests/fixtures/cafe.toml"]).output().expect("runs");
    let sortie = String::from_utf8(o.stdout).expect("UTF-8");
    assert!(sortie.contains("à vérifier") && sortie.contains("dépense"), "{sortie}");
    assert!(!sortie.contains('\u{1b}'), "escape codes in a file:\n{sortie}");
    let o = fnp()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["check", "tests/fixtures/cafe.toml"])
        .output()
        .expect("runs");
    let sortie = String::from_utf8(o.stdout).expect("UTF-8");
    assert!(sortie.contains("\u{1b}["), "colours asked for:\n{sortie}");
    let o = fnp().arg("--help").output().expect("runs");
    let aide = String::from_utf8(o.stdout).expect("UTF-8");
    assert!(aide.contains("Utilisation : fnp ") && aide.contains("é"), "{aide}");
}

/// A batch in a folder whose paths pass 260 characters (Windows' old limit) is read, its
/// reports and annotated copies written there, and no path is shown with `\\?\`.
#[test]
fn paths_past_260_characters_are_read_and_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut profond = dir.path().join("retours");
    for i in 0..6 {
        profond.push(format!("{i}-dossiers reçus des associations du département"));
    }
    std::fs::create_dir_all(&profond).expect("mkdir");
    std::fs::copy("tests/fixtures/cafe.toml", profond.join("cafe.toml")).expect("copy");
    std::fs::copy("tests/fixtures/classeurs/cafe-libreoffice.xlsx", profond.join("cafe.xlsx")).expect("copy");
    assert!(profond.join("cafe.xlsx").as_os_str().len() > 300);
    let rapport = profond.join("rapport");
    let annotes = profond.join("copies annotées");
    let o = fnp()
        .args(["check", "--format", "json"])
        .arg(&profond)
        .arg("--report")
        .arg(&rapport)
        .arg("--annotate")
        .arg(&annotes)
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["synthese"]["dossiers"], 2, "{v:#}");
    assert_eq!(v["synthese"]["illisible"], 0, "{v:#}");
    for f in ["synthese.csv", "synthese.json", "rapport.html", "constats.csv"] {
        assert!(rapport.join(f).is_file(), "{f}");
    }
    assert!(annotes.join("cafe.annote.xlsx").is_file());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains(r"\\?\") && !String::from_utf8_lossy(&o.stdout).contains(r"\\?\"), "{err}");
}

/// A workbook open in Excel is locked: reading it, or replacing a report open there, says so
/// in French, and the batch goes on. (Unix has no such lock: Windows only.)
#[cfg(windows)]
#[test]
fn a_workbook_open_in_another_program_is_named_so() {
    use std::os::windows::fs::OpenOptionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let lot = dir.path().join("lot");
    std::fs::create_dir(&lot).expect("mkdir");
    std::fs::copy("tests/fixtures/cafe.toml", lot.join("a.toml")).expect("copy");
    std::fs::copy("tests/fixtures/classeurs/cafe-libreoffice.xlsx", lot.join("ouvert.xlsx")).expect("copy");
    // As Excel holds an open workbook: no other program may read or write it.
    let excel =
        std::fs::OpenOptions::new().read(true).write(true).share_mode(0).open(lot.join("ouvert.xlsx")).expect("open");
    let o = fnp().args(["check", "--format", "json"]).arg(&lot).output().expect("runs");
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["synthese"]["dossiers"], 2, "{v:#}");
    let ouvert = v["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .find(|d| d["source"].as_str().is_some_and(|s| s.ends_with("ouvert.xlsx")))
        .expect("ouvert.xlsx");
    assert_eq!(ouvert["verdict"], "illisible");
    let message = ouvert["constats"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("le fichier est ouvert dans un autre programme"), "{message}");
    drop(excel);

    // The instructor left synthese.csv open in Excel and runs the batch again.
    let rapport = dir.path().join("rapport");
    let o = fnp().arg("check").arg(&lot).arg("--report").arg(&rapport).output().expect("runs");
    assert!(rapport.join("synthese.csv").is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    let excel = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .share_mode(0)
        .open(rapport.join("synthese.csv"))
        .expect("open");
    let o = fnp().arg("check").arg(&lot).arg("--report").arg(&rapport).arg("--force").output().expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("le fichier est ouvert dans un autre programme"), "{err}");
    drop(excel);
}

/// fnp's marks in an output folder (`.fnp-sortie`, `.fnp-verrou`) are hidden in the
/// Explorer, where a name starting with a dot is not (issue 33); elsewhere the dot hides them.
#[test]
fn the_marks_of_an_output_folder_are_hidden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rapport = dir.path().join("rapport");
    let o = fnp().args(["check", "tests/fixtures/cafe.toml", "--report"]).arg(&rapport).output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for marque in [".fnp-sortie", ".fnp-verrou"] {
        let m = std::fs::metadata(rapport.join(marque)).unwrap_or_else(|e| panic!("{marque}: {e}"));
        #[cfg(windows)]
        {
            use std::os::windows::fs::MetadataExt;
            assert_ne!(m.file_attributes() & 0x2, 0, "{marque} is not hidden");
        }
        #[cfg(not(windows))]
        assert!(m.is_file() && marque.starts_with('.'));
    }
}
