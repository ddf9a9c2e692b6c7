//! What a treasurer reads first (issue 32, « the figures explain themselves »): when the
//! eligible total, not the Caf ceiling, bounds the FNP amount, one sentence says so and names
//! the lines left out, and the finding to act on comes first; then errors, warnings and
//! information, each by sheet and row in a workbook.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary built");
    c.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    c
}

/// A demand of 1 000,01 € over 1 000 € of eligible expenses: a 500 € salary without increased
/// working time is left out, while the ceiling would allow 1 200 €.
const LIMITE: &str = "tests/cases/GEN-DEMANDE-ELIGIBLE/declenche/personnel-non-eligible.toml";

fn json(chemin: &Path) -> Value {
    let o = fnp().args(["check", "--format", "json"]).arg(chemin).output().expect("runs");
    serde_json::from_slice(&o.stdout).expect("JSON")
}

#[test]
fn the_line_that_bounds_the_fnp_amount_is_named_first_in_every_medium() {
    // The terminal: the salary's finding first, although a warning, then the error; the
    // sentence under the figures.
    let o = fnp().args(["check", LIMITE]).output().expect("runs");
    let texte = String::from_utf8_lossy(&o.stdout);
    let titres: Vec<&str> =
        texte.lines().filter(|l| l.starts_with("erreur[") || l.starts_with("avertissement[")).collect();
    assert!(titres[0].starts_with("avertissement[GEN-PERSONNEL]"), "{texte}");
    assert!(titres[1].starts_with("erreur[GEN-DEMANDE-ELIGIBLE]"), "{texte}");
    let phrase = "Le montant FNP finançable (1\u{202f}000,00\u{a0}€) est limité par les dépenses éligibles, pas par le plafond Caf (1\u{202f}200,00\u{a0}€) : 500,00\u{a0}€ de dépenses ne sont pas comptés, « Animatrice, temps habituel » (500,00\u{a0}€, salaire sans hausse du temps de travail). Pour un salaire : indiquez hausse_temps_travail = true sur sa ligne";
    let budget = texte.find("  budget : charges").expect("budget line");
    assert!(texte[budget..].contains(phrase), "{texte}");

    // JSON: the same order, the finding marked, the sentence beside the figures.
    let v = json(Path::new(LIMITE));
    let d = &v["dossiers"][0];
    assert_eq!(d["constats"][0]["regle"], "GEN-PERSONNEL");
    assert_eq!(d["constats"][0]["limite_le_montant"], true);
    assert!(d["constats"][1].get("limite_le_montant").is_none(), "{:#}", d["constats"][1]);
    assert!(d["budget"]["explication"].as_str().is_some_and(|p| p.starts_with(&phrase[..60])), "{d:#}");

    // The same dossier as a workbook: the workbook's words, never a key.
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("limite.xlsx");
    fnp().args(["convert", LIMITE, "-o"]).arg(&xlsx).assert().success();
    let v = json(&xlsx);
    let d = &v["dossiers"][0];
    assert_eq!(d["constats"][0]["regle"], "GEN-PERSONNEL");
    let p = d["budget"]["explication"].as_str().expect("sentence");
    assert!(p.contains("répondez « oui » à « Hausse du temps de travail » sur sa ligne"), "{p}");
    assert!(!p.contains("hausse_temps_travail") && !p.contains("true"), "{p}");

    // The document sent to the Caf, in words.
    let html = dir.path().join("dossier.html");
    fnp().args(["dossier", LIMITE, "-o"]).arg(&html).assert().success();
    let html = std::fs::read_to_string(&html).expect("document");
    assert!(html.contains("<p class=\"limite\">Le montant FNP finançable"), "no sentence in the document");
    assert!(html.contains("répondez « oui » à « Hausse du temps de travail »"));
}

/// Bounded by the ceiling (or nothing left out of the eligible total): no sentence, no mark,
/// and the findings by severity as before.
#[test]
fn no_sentence_when_the_ceiling_bounds_the_amount() {
    for chemin in ["tests/cases/budget/plafond-arrondi-inferieur.toml", "examples/1.1-cafe-des-parents.toml"] {
        let v = json(Path::new(chemin));
        let d = &v["dossiers"][0];
        assert!(d["budget"].get("explication").is_none(), "{chemin}: {:#}", d["budget"]);
        assert!(
            d["constats"].as_array().expect("findings").iter().all(|c| c.get("limite_le_montant").is_none()),
            "{chemin}"
        );
    }
}

/// In a workbook, after the finding that bounds the amount, findings come by severity, then by
/// sheet (the template's order) and row: Dossier before Dépenses before Recettes, whatever the
/// order of the rules in the packs.
#[test]
fn a_workbooks_findings_come_by_sheet_and_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exemple = std::fs::read_to_string("examples/1.2-atelier-parents-enfants.toml").expect("example");
    let mut texte = exemple.clone();
    for (avant, apres) in [
        ("hausse_temps_travail = true", "hausse_temps_travail = false"),
        ("montant = 4000\n", "montant = 4600\n"),
        ("montant = 600\n", "montant = 0\n"),
        ("reflexion_pratiques_educatives = true", "reflexion_pratiques_educatives = false"),
        ("charte_parentalite = true", "charte_parentalite = false"),
    ] {
        assert!(texte.contains(avant), "{avant}");
        texte = texte.replacen(avant, apres, 1);
    }
    let toml = dir.path().join("atelier.toml");
    std::fs::write(&toml, texte).expect("write");
    let xlsx = dir.path().join("atelier.xlsx");
    fnp().args(["convert"]).arg(&toml).arg("-o").arg(&xlsx).assert().success();
    let v = json(&xlsx);
    let constats = v["dossiers"][0]["constats"].as_array().expect("findings").clone();
    let vus: Vec<(&str, &str, &str)> = constats
        .iter()
        .map(|c| (texte_de(&c["regle"]), texte_de(&c["gravite"]), texte_de(&c["emplacement"]["cellule"])))
        .collect();
    assert_eq!(vus[0].0, "GEN-PERSONNEL", "{vus:?}");
    let rang = |(_, g, cellule): &(&str, &str, &str)| {
        let (feuille, reference) = cellule.split_once('!').unwrap_or(("", ""));
        let f = ["Dossier", "Dépenses", "Recettes", "Contributions"].iter().position(|x| *x == feuille).unwrap_or(9);
        let ligne: u32 = reference.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse().unwrap_or(u32::MAX);
        (["erreur", "avertissement", "info"].iter().position(|x| x == g).unwrap_or(9), f, ligne)
    };
    let reste: Vec<_> = vus[1..].iter().map(rang).collect();
    let mut trie = reste.clone();
    trie.sort();
    assert_eq!(reste, trie, "{vus:?}");
    // The Dossier sheet's error before the Recettes sheet's, though its rule comes later.
    let position = |id: &str| vus.iter().position(|v| v.0 == id).unwrap_or_else(|| panic!("{id}: {vus:?}"));
    assert!(position("A1V2-PRATIQUES-EDUCATIVES") < position("GEN-PLAFOND-CAF"), "{vus:?}");
}

fn texte_de(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}
