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
    // A CSV folder whose name is not UTF-8, with an amount that cannot be read: its
    // finding points at the CSV file by the folder's name, escaped.
    let csv = d.join(nom(b"caf\xe9-csv"));
    std::fs::create_dir(&csv).expect("mkdir");
    std::fs::write(csv.join("Dossier.csv"), "Champ;Valeur\nformat;1\nexercice;2025\naction.intitule;Caf\n")
        .expect("write");
    std::fs::write(csv.join("Depenses.csv"), "Nature;Libellé;Montant (€)\nprestation;Psychologue;abc\n")
        .expect("write");
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
    let mut attendues = vec!["caf\\xE9.toml", "caf\\xE8.toml", "caf\\\\xE9.toml", "caf\\xE9.xlsx", "caf\\xE9-csv"];
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
    let fichiers: Vec<&str> = v["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|x| x["constats"].as_array().into_iter().flatten())
        .filter_map(|c| c["emplacement"]["fichier"].as_str())
        .filter(|f| f.contains("Depenses.csv"))
        .collect();
    assert!(!fichiers.is_empty() && fichiers.iter().all(|f| f.ends_with("caf\\xE9-csv/Depenses.csv")), "{fichiers:?}");
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
    // SARIF names each file by its own bytes, percent-encoded.
    let o = fnp().args(["check", "--format", "sarif"]).arg(&d).output().expect("runs");
    let sarif = String::from_utf8_lossy(&o.stdout);
    for uri in ["/caf%E9.toml\"", "/caf%E8.toml\"", "/caf%5CxE9.toml\"", "/caf%E9-csv/Depenses.csv\""] {
        assert!(sarif.contains(uri), "{uri}: {sarif}");
    }
    // The annotated copy is named as its input is shown, in a name Windows accepts (its
    // backslash a `_`), and the page links to it by that name.
    let page = std::fs::read_to_string(r.join("rapport.html")).expect("page");
    assert!(page.contains("caf_xE9.annote.xlsx\""), "link to the copy");
    assert!(
        a.join("caf_xE9.annote.xlsx").is_file(),
        "{:?}",
        std::fs::read_dir(&a).map(|l| l.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
    );
}

/// A command run with its files limited to `blocs` blocks (`ulimit -f`) and SIGXFSZ
/// ignored: every write past the limit fails with « file too large » (EFBIG), as a full
/// disk fails a write half way, with no mount and no root.
#[cfg(unix)]
fn sous_limite(blocs: u32, args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {blocs} && exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("fnp"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs")
}

/// fnp's files in a folder (temporaries included), sorted.
/// What a folder holds, fnp's own mark and lock (`.fnp-sortie`, `.fnp-verrou`) aside.
fn contenu(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .map(|l| {
            l.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != ".fnp-sortie" && n != ".fnp-verrou")
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Reports that cannot be written half way through a batch (the limit stands for a full
/// disk): every dossier is still shown, the cause is said in French, the run exits 2, and
/// the report folder holds what it held before — nothing, or the previous set byte for byte.
/// The same for `-o`, `--annotate`, `convert` and the bilans.
#[cfg(unix)]
#[test]
fn outputs_that_cannot_be_written_are_said_in_french_and_leave_nothing_behind() {
    use std::ffi::OsStr;
    let dir = tempfile::tempdir().expect("tempdir");
    let lot = dir.path().join("lot");
    std::fs::create_dir(&lot).expect("mkdir");
    for i in 1..=14 {
        std::fs::copy("tests/fixtures/erreurs.toml", lot.join(format!("d{i:02}.toml"))).expect("copy");
    }
    let verifier_echec = |o: &std::process::Output, quoi: &str| {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{quoi}: {err}");
        assert!(err.contains("écriture impossible : fichier trop gros pour le système de fichiers"), "{quoi}: {err}");
        assert!(
            !err.contains("os error") && !err.contains("at path") && !err.contains("File too large"),
            "{quoi}: {err}"
        );
    };
    // A new report folder: the batch shown whole, no folder left.
    let r = dir.path().join("rapports");
    let o = sous_limite(
        40,
        &[
            OsStr::new("check"),
            OsStr::new("--format"),
            OsStr::new("json"),
            lot.as_os_str(),
            OsStr::new("--report"),
            r.as_os_str(),
        ],
    );
    verifier_echec(&o, "check --report");
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)));
    assert_eq!(v["dossiers"].as_array().map(Vec::len), Some(14), "every dossier shown");
    assert!(String::from_utf8_lossy(&o.stderr).contains("aucun rapport n'a été écrit"));
    // No report: the folder fnp made holds only its mark and lock.
    assert!(contenu(&r).is_empty(), "{:?}", contenu(&r));
    // The same in the terminal's format.
    let o = sous_limite(40, &[OsStr::new("check"), lot.as_os_str(), OsStr::new("--report"), r.as_os_str()]);
    verifier_echec(&o, "check --report (humain)");
    let humain = String::from_utf8_lossy(&o.stdout);
    for i in 1..=14 {
        assert!(humain.contains(&format!("d{i:02}.toml : non conforme")), "{humain}");
    }
    // A previous set, replaced with --force by a run that fails: kept byte for byte.
    let seul = lot.join("d01.toml");
    fnp().arg("check").arg(&seul).arg("--report").arg(&r).output().expect("runs");
    let avant: Vec<(String, Vec<u8>)> =
        contenu(&r).into_iter().map(|n| (n.clone(), std::fs::read(r.join(&n)).expect("read"))).collect();
    assert_eq!(avant.len(), 4, "{:?}", contenu(&r));
    let o = sous_limite(
        40,
        &[OsStr::new("check"), lot.as_os_str(), OsStr::new("--report"), r.as_os_str(), OsStr::new("--force")],
    );
    verifier_echec(&o, "check --report --force");
    let apres: Vec<(String, Vec<u8>)> =
        contenu(&r).into_iter().map(|n| (n.clone(), std::fs::read(r.join(&n)).expect("read"))).collect();
    assert!(avant == apres, "{:?}", contenu(&r));
    // -o of every command, convert, the bilans, the annotated copies.
    let sorties = dir.path().join("sorties");
    std::fs::create_dir(&sorties).expect("mkdir");
    let bilan = OsStr::new("examples/bilan/1.1-cafe-des-parents.toml");
    let cafe = OsStr::new("tests/fixtures/cafe.toml");
    let classeur = OsStr::new("tests/fixtures/classeurs/cafe-libreoffice.xlsx");
    let o_ = |n: &str| sorties.join(n).into_os_string();
    for (quoi, args) in [
        ("dossier -o", vec![OsStr::new("dossier").to_owned(), cafe.to_owned(), "-o".into(), o_("d.html")]),
        ("budget", vec!["dossier".into(), "--format".into(), "md".into(), cafe.to_owned(), "-o".into(), o_("d.md")]),
        ("convert", vec!["convert".into(), cafe.to_owned(), "-o".into(), o_("c.xlsx")]),
        ("bilan -o", vec!["bilan".into(), bilan.to_owned(), "-o".into(), o_("b.html")]),
        (
            "bilan --report",
            vec!["bilan".into(), OsStr::new("examples/bilan").to_owned(), "--report".into(), o_("bilans")],
        ),
        ("check --annotate", vec!["check".into(), classeur.to_owned(), "--annotate".into(), o_("annotes")]),
    ] {
        let args: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        let o = sous_limite(1, &args);
        verifier_echec(&o, quoi);
    }
    // Nothing but the mark and lock of the folders fnp made for its reports and copies.
    let mut restes = crate::commun::fichiers(&sorties);
    restes.retain(|p| !p.file_name().is_some_and(|n| n == ".fnp-sortie" || n == ".fnp-verrou"));
    assert!(restes.is_empty(), "{restes:?}");
    assert!(contenu(&sorties.join("bilans")).is_empty());
}

/// The standard output on a full disk (`> /dev/full`): said in French, exit 2.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_said_in_french() {
    let Ok(plein) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    for args in [&["check", "tests/fixtures/cafe.toml"][..], &["dossier", "tests/fixtures/cafe.toml", "-o", "-"]] {
        let o = std::process::Command::new(assert_cmd::cargo::cargo_bin("fnp"))
            .args(args)
            .stdout(plein.try_clone().expect("dup"))
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("écriture impossible : plus de place sur le disque"), "{args:?}: {err}");
        assert!(!err.contains("os error"), "{args:?}: {err}");
    }
}

/// Every text cell of every sheet of a workbook, as calamine reads it: (sheet, text).
fn textes(chemin: &Path) -> Vec<(String, String)> {
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto(chemin).expect("open");
    let mut v = Vec::new();
    for nom in wb.sheet_names() {
        let plage = wb.worksheet_range(&nom).expect("sheet");
        for (_, _, d) in plage.cells() {
            if let Data::String(t) = d {
                v.push((nom.clone(), t.clone()));
            }
        }
    }
    v
}

/// Excel's 32 767 characters a cell: `convert` refuses a longer text naming its field (a
/// conversion is lossless or does not happen); the annotated copies, rebuilt or annotated
/// in place, write a longer text (a value, a message quoting it, a note) cut with a visible
/// mark; never the writer library's English.
#[test]
fn texts_past_excel_s_limit_are_refused_by_convert_and_cut_in_annotated_copies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marque = |n: &str| format!("[tronqué par fnp : {n} caractères]");
    let cafe = std::fs::read_to_string("tests/fixtures/cafe.toml").expect("read");
    // convert: refused, nothing written.
    let long = dir.path().join("long.toml");
    std::fs::write(&long, cafe.replace("Café des parents du mercredi", &"é".repeat(40_000))).expect("write");
    let sortie = dir.path().join("long.xlsx");
    let o = fnp().arg("convert").arg(&long).arg("-o").arg(&sortie).output().expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("« action.intitule » : texte de 40\u{202f}000 caractères, au-delà des 32\u{202f}767")
            && err.contains("conversion refusée"),
        "{err}"
    );
    assert!(!err.contains("Excel limit") && !err.contains("exceeds") && !err.contains("String"), "{err}");
    assert_eq!(contenu(dir.path()), ["long.toml"]);
    // An xlsx whose action type fits a cell, but the finding quoting it does not: annotated
    // in place, the Anomalies sheet and the note hold it cut.
    let presque = dir.path().join("presque.toml");
    std::fs::write(
        &presque,
        cafe.replace("type = \"cafe-des-parents\"", &format!("type = \"{}\"", "x".repeat(32_700))),
    )
    .expect("write");
    let lot = dir.path().join("lot");
    std::fs::create_dir(&lot).expect("mkdir");
    let o = fnp().arg("convert").arg(&presque).arg("-o").arg(lot.join("presque.xlsx")).output().expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // A CSV folder with a value and a message too long: a copy rebuilt on fnp's template.
    let csv = lot.join("long-csv");
    std::fs::create_dir(&csv).expect("mkdir");
    let dossier = format!(
        "Champ;Valeur;Aide\nformat;1;\nexercice;2025;\ncaf.departement;69;\nporteur.nom;Association Les Petits Pas;\nporteur.statut;association;\nporteur.departement;69;\naction.intitule;{};\naction.axe;1;\naction.volet;1;\naction.type;{};\naction.debut;08/01/2025;\naction.fin;17/12/2025;\n",
        "é".repeat(40_000),
        "y".repeat(40_000)
    );
    std::fs::write(csv.join("Dossier.csv"), dossier).expect("write");
    std::fs::write(csv.join("Depenses.csv"), "Nature;Libellé;Montant (€)\nprestation;Psychologue;2400\n")
        .expect("write");
    std::fs::write(csv.join("Recettes.csv"), "Financeur;Montant\ncaf-fnp;1900\n").expect("write");
    let annotes = dir.path().join("annotes");
    let o = fnp().arg("check").arg(&lot).arg("--annotate").arg(&annotes).output().expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("2 copies annotées"), "{err}");
    assert!(!err.contains("non écrite") && !err.contains("exceeds"), "{err}");
    let copies: Vec<_> = crate::commun::fichiers(&annotes)
        .into_iter()
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".fnp-")))
        .collect();
    assert_eq!(copies.len(), 2, "{copies:?}");
    for copie in copies {
        let t = textes(&copie);
        for (feuille, texte) in &t {
            assert!(texte.encode_utf16().count() <= 32_767, "{copie:?} {feuille}: {}", texte.len());
        }
        let coupes: Vec<&(String, String)> = t.iter().filter(|(_, x)| x.contains("[tronqué par fnp : ")).collect();
        assert!(coupes.iter().any(|(f, _)| f == "Anomalies"), "{copie:?}: {coupes:?}");
        if copie.to_string_lossy().contains("long-csv") {
            assert!(
                t.iter().any(|(f, x)| f == "Dossier" && x.starts_with("éé") && x.ends_with(&marque("40\u{202f}000"))),
                "{copie:?}"
            );
        } else {
            // The note on the cell, in the comments part.
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&copie).expect("open")).expect("zip");
            let mut notes = String::new();
            for i in 0..zip.len() {
                let mut p = zip.by_index(i).expect("part");
                if p.name().is_ok_and(|n| n.contains("comments")) {
                    std::io::Read::read_to_string(&mut p, &mut notes).expect("read");
                }
            }
            assert!(notes.contains("[tronqué par fnp : "), "{copie:?}");
        }
    }
}
