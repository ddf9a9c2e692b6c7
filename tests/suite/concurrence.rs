//! Runs that meet: signals ending a batch, two runs on one output folder, outputs inside
//! inputs, fnp's own copies found among the dossiers it is given.

use crate::commun;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fnp_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("fnp")
}

/// A folder of `n` copies of one workbook (made by `fnp convert` from an example).
fn lot_de_classeurs(dir: &Path, n: usize) -> PathBuf {
    let modele = dir.join("modele.xlsx");
    let o = std::process::Command::new(fnp_bin())
        .args(["convert", "examples/3.1-lieu-ressource.toml", "-o"])
        .arg(&modele)
        .output()
        .expect("convert");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lot = dir.join("lot");
    std::fs::create_dir(&lot).expect("mkdir");
    for i in 0..n {
        std::fs::copy(&modele, lot.join(format!("d{i:04}.xlsx"))).expect("copy");
    }
    std::fs::remove_file(&modele).expect("rm");
    lot
}

/// SIGTERM, SIGHUP and Ctrl-C end a batch writing reports and annotated copies: exit 143,
/// 129 and 130, soon after the signal, no temporary file, no report, every copy written
/// whole (the real measure, a few hundredths of a second, is in docs/robustness.md).
#[cfg(unix)]
#[test]
fn signals_end_a_batch_cleanly_and_soon() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lot = lot_de_classeurs(dir.path(), 1200);
    for (signal, attendu) in [("TERM", 143), ("HUP", 129), ("INT", 130)] {
        let (rapport, annotes) = (dir.path().join(format!("R{signal}")), dir.path().join(format!("A{signal}")));
        let mut enfant = std::process::Command::new(fnp_bin())
            .args(["check", "--quiet"])
            .arg(&lot)
            .arg("--report")
            .arg(&rapport)
            .arg("--annotate")
            .arg(&annotes)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // Signal once the batch is writing copies.
        let debut = Instant::now();
        while commun::fichiers(&annotes).len() < 5 && debut.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let envoi = Instant::now();
        let ok = std::process::Command::new("kill").arg(format!("-{signal}")).arg(enfant.id().to_string()).status();
        assert!(ok.is_ok_and(|s| s.success()), "kill -{signal}");
        let statut = enfant.wait().expect("wait");
        let delai = envoi.elapsed();
        let mut erreur = String::new();
        std::io::Read::read_to_string(&mut enfant.stderr.take().expect("stderr"), &mut erreur).expect("read");
        assert_eq!(statut.code(), Some(attendu), "SIG{signal}: {erreur}");
        assert!(erreur.contains("interrompu"), "{erreur}");
        // A sanity bound for a loaded machine; the half second is measured in the doc.
        assert!(delai < Duration::from_secs(5), "SIG{signal}: {delai:?} to exit");
        assert_eq!(commun::temporaires(dir.path()), Vec::<PathBuf>::new(), "SIG{signal}: temporary files left");
        for f in fnp::report::fichiers::FICHIERS {
            assert!(!rapport.join(f).exists(), "SIG{signal}: {f} written after an interruption");
        }
        let copies: Vec<PathBuf> =
            commun::fichiers(&annotes).into_iter().filter(|p| p.extension().is_some_and(|e| e == "xlsx")).collect();
        assert!(!copies.is_empty() && copies.len() < 1200, "SIG{signal}: {} copies", copies.len());
        for c in &copies {
            fnp::lecture::lire(c, "copie").unwrap_or_else(|e| panic!("SIG{signal}: {} half written: {e}", c.display()));
        }
    }
    // A batch of bilans too: no report set once interrupted.
    let rapport = dir.path().join("bilans");
    let mut enfant = std::process::Command::new(fnp_bin())
        .arg("bilan")
        .arg(&lot)
        .arg("--report")
        .arg(&rapport)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    attendre(&rapport.join(".fnp-verrou"));
    std::thread::sleep(Duration::from_millis(100));
    let ok = std::process::Command::new("kill").arg("-TERM").arg(enfant.id().to_string()).status();
    assert!(ok.is_ok_and(|s| s.success()));
    assert_eq!(enfant.wait().expect("wait").code(), Some(143));
    assert!(!rapport.join("bilans.csv").exists() && commun::temporaires(dir.path()).is_empty());
}

/// Waits (a minute at most) for `p` to exist.
fn attendre(p: &Path) {
    let debut = Instant::now();
    while !p.exists() && debut.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(p.exists(), "{} never appeared", p.display());
}

/// Two runs on one report folder, one annotation folder, one bilan report folder: the second
/// refuses at once, in French, and the first one's outputs are whole. A run killed outright
/// leaves temporaries that the next run on the folder removes, since their owner is gone.
#[cfg(unix)]
#[test]
fn two_runs_on_one_output_folder_never_destroy_each_other() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lot = lot_de_classeurs(dir.path(), 300);
    let (rapport, annotes) = (dir.path().join("R"), dir.path().join("A"));
    let lancer = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(fnp_bin())
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let premier = lancer(&[
        "check".as_ref(),
        "--quiet".as_ref(),
        lot.as_os_str(),
        "--report".as_ref(),
        rapport.as_os_str(),
        "--annotate".as_ref(),
        annotes.as_os_str(),
    ]);
    attendre(&annotes.join("d0000.annote.xlsx"));
    for (args, dossier) in [
        (vec!["check".as_ref(), lot.as_os_str(), "--report".as_ref(), rapport.as_os_str()], &rapport),
        (vec!["check".as_ref(), lot.as_os_str(), "--annotate".as_ref(), annotes.as_os_str()], &annotes),
        (vec!["bilan".as_ref(), lot.as_os_str(), "--report".as_ref(), rapport.as_os_str()], &rapport),
    ] {
        let o = std::process::Command::new(fnp_bin()).args(&args).output().expect("runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("le dossier {} est utilisé par une autre vérification en cours", dossier.display())),
            "{err}"
        );
    }
    let fin = premier.wait_with_output().expect("wait");
    assert_eq!(fin.status.code(), Some(0), "{}", String::from_utf8_lossy(&fin.stderr));
    for f in fnp::report::fichiers::FICHIERS {
        assert!(rapport.join(f).is_file(), "{f}");
    }
    assert_eq!(commun::fichiers(&annotes).iter().filter(|p| p.extension().is_some_and(|e| e == "xlsx")).count(), 300);
    assert_eq!(commun::temporaires(dir.path()), Vec::<PathBuf>::new());

    // Killed outright: its temporaries stay, until the next run on the folder.
    let tue = dir.path().join("tue");
    let mut enfant = lancer(&["check".as_ref(), lot.as_os_str(), "--report".as_ref(), tue.as_os_str()]);
    attendre(&tue.join(".fnp-verrou"));
    while commun::temporaires(&tue).is_empty() {
        std::thread::sleep(Duration::from_millis(10));
    }
    enfant.kill().expect("SIGKILL");
    enfant.wait().expect("wait");
    assert!(!commun::temporaires(&tue).is_empty());
    let o = std::process::Command::new(fnp_bin())
        .args(["check", "examples/1.1-cafe-des-parents.toml", "--report"])
        .arg(&tue)
        .output()
        .expect("runs");
    assert!(o.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(commun::temporaires(&tue), Vec::<PathBuf>::new(), "stale temporaries removed");
}

fn sources(o: &std::process::Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["dossiers"].as_array().expect("dossiers").iter().map(|d| d["source"].as_str().unwrap_or("").to_string()).collect()
}

/// An output folder inside the input: one that was there before, holding dossiers, is
/// searched (its dossiers checked, no copy ever written over one of them); one fnp created
/// is left aside on later runs, and the terminal says how many files and where.
#[test]
fn output_folders_inside_the_input_are_checked_or_left_aside_aloud() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("D");
    std::fs::create_dir_all(d.join("retours")).expect("mkdir");
    std::fs::copy("tests/fixtures/cafe.toml", d.join("cafe.toml")).expect("copy");
    std::fs::copy("examples/1.1-conference.toml", d.join("retours/conference.toml")).expect("copy");
    std::fs::copy("examples/3.1-lieu-ressource.toml", d.join("retours/lieu.toml")).expect("copy");
    let fnp = || {
        let mut c = std::process::Command::new(fnp_bin());
        c.env("NO_COLOR", "1").args(["check", "--format", "json"]).arg(&d);
        c
    };
    let o = fnp().arg("--annotate").arg(d.join("retours")).output().expect("runs");
    assert_eq!(sources(&o).len(), 3, "the dossiers of an existing output folder are checked: {:?}", sources(&o));
    // A folder fnp creates is marked, and left aside next time, aloud.
    let o = fnp().arg("--report").arg(d.join("rapport")).output().expect("runs");
    assert_eq!(sources(&o).len(), 3);
    assert!(d.join("rapport/.fnp-sortie").is_file());
    let o = fnp().output().expect("runs");
    assert_eq!(sources(&o).len(), 3, "{:?}", sources(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("4 fichiers laissés de côté dans {}", d.join("rapport").display())), "{err}");
}

/// With `--force`, a copy never replaces a dossier being checked in the annotation folder.
#[test]
fn a_copy_is_never_written_over_a_checked_dossier() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("D");
    std::fs::create_dir_all(d.join("retours")).expect("mkdir");
    let o = std::process::Command::new(fnp_bin())
        .args(["convert", "examples/3.1-lieu-ressource.toml", "-o"])
        .arg(d.join("a.xlsx"))
        .output()
        .expect("convert");
    assert!(o.status.success());
    // The association's corrected workbook came back under the copy's name.
    let corrige = std::fs::read("tests/fixtures/classeurs/cafe-libreoffice.xlsx").expect("read");
    std::fs::write(d.join("retours/a.annote.xlsx"), &corrige).expect("w");
    let o = std::process::Command::new(fnp_bin())
        .args(["check", "--quiet", "--force"])
        .arg(&d)
        .arg("--annotate")
        .arg(d.join("retours"))
        .output()
        .expect("runs");
    assert_eq!(std::fs::read(d.join("retours/a.annote.xlsx")).expect("read"), corrige, "the dossier is untouched");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("est un des dossiers vérifiés"), "{err}");
    assert_eq!(o.status.code(), Some(2));
}

/// fnp's annotated copies put back in a received folder are recognised by their mark and
/// checked as dossiers all the same, their rows saying they are fnp's copies (hostile round
/// 4: nothing put in a received folder leaves the report), by `check` and `bilan`; a copy
/// whose values the association changed is a plain dossier; a copy given by name too.
#[test]
fn annotated_copies_found_in_a_folder_are_checked_and_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("D");
    std::fs::create_dir(&d).expect("mkdir");
    let convertir = |toml: &Path, sortie: &Path| {
        let o = std::process::Command::new(fnp_bin()).arg("convert").arg(toml).arg("-o").arg(sortie).output();
        assert!(o.expect("convert").status.success());
    };
    convertir(Path::new("examples/1.1-cafe-des-parents.toml"), &d.join("a.xlsx"));
    std::fs::copy("tests/fixtures/classeurs/cafe-libreoffice.xlsx", d.join("c.xlsx")).expect("copy");
    std::fs::copy("tests/fixtures/classeurs/lieu-libreoffice.ods", d.join("b.ods")).expect("copy");
    let annotes = dir.path().join("A");
    let check = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(fnp_bin())
            .env("NO_COLOR", "1")
            .args(["check", "--format", "json"])
            .args(args)
            .output()
            .expect("runs")
    };
    let o = check(&[d.as_os_str(), "--annotate".as_ref(), annotes.as_os_str()]);
    assert_eq!(sources(&o).len(), 3);
    let premier: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    // The copies come back with the received folder (as after an e-mail round trip).
    for f in std::fs::read_dir(&annotes).expect("list").flatten() {
        if !f.file_name().to_string_lossy().starts_with('.') {
            std::fs::copy(f.path(), d.join(f.file_name())).expect("copy");
        }
    }
    let o = check(&[d.as_os_str()]);
    assert_eq!(sources(&o).len(), 6, "{:?}", sources(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let copies: Vec<&serde_json::Value> =
        v["dossiers"].as_array().expect("dossiers").iter().filter(|x| x["copie_de_fnp"] == true).collect();
    assert_eq!(copies.len(), 3, "{v:#}");
    // Each copy's verdict is its dossier's, and it counts in the exit code and the totals.
    let verdict_de = |v: &serde_json::Value, fin: &str| {
        v["dossiers"]
            .as_array()
            .expect("dossiers")
            .iter()
            .find(|x| x["source"].as_str().is_some_and(|s| s.ends_with(fin)))
            .map(|x| x["verdict"].clone())
    };
    assert_eq!(verdict_de(&v, "c.annote.xlsx"), verdict_de(&premier, "c.xlsx"));
    assert_eq!(v["synthese"]["dossiers"], 6);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "3 copies annotées par fnp, inchangées depuis que fnp les a écrites, vérifiées comme des dossiers"
        ),
        "{err}"
    );
    assert!(err.contains("a.annote.xlsx") && err.contains("b.ods.annote.xlsx"), "{err}");
    // The terminal line and the report's row say it.
    let o = std::process::Command::new(fnp_bin()).env("NO_COLOR", "1").arg("check").arg(&d).output().expect("runs");
    let sortie = String::from_utf8_lossy(&o.stdout);
    assert!(
        sortie.lines().any(|l| l.contains("c.annote.xlsx : ") && l.ends_with("— copie annotée par fnp, inchangée")),
        "{sortie}"
    );
    let rapport = dir.path().join("R");
    std::process::Command::new(fnp_bin()).arg("check").arg(&d).arg("--report").arg(&rapport).output().expect("runs");
    let csv = std::fs::read_to_string(rapport.join("synthese.csv")).expect("csv");
    assert_eq!(csv.lines().filter(|l| l.ends_with(";copie annotée par fnp, inchangée")).count(), 3, "{csv}");
    let o = std::process::Command::new(fnp_bin()).arg("bilan").arg(&d).output().expect("runs");
    let sortie = String::from_utf8_lossy(&o.stdout);
    assert_eq!(sortie.lines().filter(|l| l.ends_with("— copie annotée par fnp, inchangée")).count(), 3, "{sortie}");

    // The association changed a value in fnp's copy and sent it back: a plain dossier.
    let marque =
        fnp::ecriture::marque::marque_dans(&std::fs::read(d.join("a.annote.xlsx")).expect("read")).expect("mark");
    let toml = std::fs::read_to_string("examples/1.1-cafe-des-parents.toml")
        .expect("read")
        .replace("montant = 360", "montant = 365");
    assert!(toml.contains("montant = 365"));
    std::fs::write(dir.path().join("corrige.toml"), toml).expect("w");
    std::fs::remove_file(d.join("a.annote.xlsx")).expect("rm");
    convertir(&dir.path().join("corrige.toml"), &d.join("a.annote.xlsx"));
    let corrige =
        fnp::ecriture::marque::marquer(&std::fs::read(d.join("a.annote.xlsx")).expect("read"), &marque).expect("mark");
    std::fs::write(d.join("a.annote.xlsx"), corrige).expect("w");
    let o = check(&[d.as_os_str()]);
    assert_eq!(sources(&o).len(), 6, "{:?}", sources(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("2 copies annotées par fnp, inchangées"));
    // Given by name, a copy is checked, and said to be one.
    let o = check(&[d.join("c.annote.xlsx").as_os_str()]);
    assert_eq!(sources(&o).len(), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["dossiers"][0]["copie_de_fnp"], true);
}
