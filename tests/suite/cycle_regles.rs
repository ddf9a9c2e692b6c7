//! The rule keeper's story: change the 80 % ceiling to 70 % for exercice 2027 in a copy of
//! the pack, and lint, test (after --bless), impact and explain tell it.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary");
    c.env("NO_COLOR", "1").env("SOURCE_DATE_EPOCH", "1796342400"); // 04/12/2026: the rules v3 were checked that day
    c
}

fn sortie(args: &[&str]) -> (String, String, i32) {
    let o = fnp().args(args).output().expect("runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

fn copier_dossier(de: &Path, vers: &Path) {
    std::fs::create_dir_all(vers).expect("mkdir");
    for e in std::fs::read_dir(de).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copier_dossier(&p, &vers.join(e.file_name()));
        } else {
            std::fs::copy(&p, vers.join(e.file_name())).expect("copy");
        }
    }
}

fn copie_des_regles(dir: &Path) {
    for f in ["national.toml", "rhone.toml", "cerfa.toml", "exemples.toml"] {
        std::fs::copy(Path::new("rules").join(f), dir.join(f)).expect("copy");
    }
}

/// The 2027 version of the ceiling: the 2025 one ends in 2026, a new one starts in 2027.
fn plafond_2027(dir: &Path, fin_ancienne: &str) {
    let p = dir.join("national.toml");
    let texte = std::fs::read_to_string(&p).expect("read");
    let debut = texte.find("[[regle]]\nid = \"GEN-PLAFOND-CAF\"").expect("rule");
    let fin = texte[debut + 9..].find("[[regle]]").map(|i| debut + 9 + i).expect("next rule");
    let ancienne = &texte[debut..fin];
    let bornee = ancienne.replacen(
        "verification = \"plafond\"",
        &format!("verification = \"plafond\"\nportee.exercice_au = {fin_ancienne}"),
        1,
    );
    let nouvelle = ancienne
        .replacen("verification = \"plafond\"", "verification = \"plafond\"\nportee.exercice_du = 2027", 1)
        .replace("taux_pourcentage = 80", "taux_pourcentage = 70")
        .replace("plafonné à 80 %", "plafonné à 70 %");
    let modifie = format!("{}{bornee}{nouvelle}{}", &texte[..debut], &texte[fin..]);
    std::fs::write(&p, modifie).expect("write");
}

fn dossier_2027(dir: &Path) -> std::path::PathBuf {
    // Caf funding of 3 600 € on a 4 800 € budget (75 %): under 80 % (3 840 €), over 70 % (3 360 €).
    let texte = std::fs::read_to_string("tests/fixtures/cafe.toml")
        .expect("fixture")
        .replace("montant = 3000", "montant = 3600")
        .replace("montant = 1800\nstatut", "montant = 1200\nstatut");
    let d = dir.join("dossiers");
    std::fs::create_dir_all(&d).expect("mkdir");
    let f = d.join("en-2027.toml");
    std::fs::write(&f, texte.replace("exercice = 2025", "exercice = 2027").replace("2025-", "2027-")).expect("write");
    let g = d.join("en-2026.toml");
    std::fs::write(&g, texte.replace("exercice = 2025", "exercice = 2026").replace("2025-", "2026-")).expect("write");
    d
}

#[test]
fn a_ceiling_changed_for_2027_tells_its_story() {
    let dir = tempfile::tempdir().expect("tempdir");
    let regles = dir.path().join("regles");
    std::fs::create_dir(&regles).expect("mkdir");
    copie_des_regles(&regles);
    plafond_2027(&regles, "2026");
    let r = regles.to_str().expect("utf-8");

    // lint: the pack is valid, the quotes are found in the sources.
    // Without ../shared (a newcomer's clone), the quotes are not looked up (CI requires it).
    let sources = Path::new("../shared/sources");
    let (texte, _, code) = if sources.is_dir() || std::env::var_os("FNP_PARTAGE_REQUIS").is_some() {
        sortie(&["rules", "lint", r, "--sources", "../shared/sources"])
    } else {
        eprintln!("citations non cherchées : ../shared/sources absent (voir README)");
        sortie(&["rules", "lint", r])
    };
    assert_eq!(code, 0, "{texte}");
    assert!(texte.contains(": 0 erreur,"), "{texte}");

    // explain: both versions, with their periods and rates.
    let (texte, _, code) = sortie(&["explain", "GEN-PLAFOND-CAF", "--rules", r]);
    assert_eq!(code, 0);
    assert!(texte.contains("exercices jusqu'à 2026") && texte.contains("exercices à partir de 2027"), "{texte}");
    assert!(texte.contains("taux_pourcentage = 80") && texte.contains("taux_pourcentage = 70"), "{texte}");
    let (texte, _, _) = sortie(&["explain", "GEN-PLAFOND-CAF", "--rules", r, "--exercice", "2027"]);
    assert!(texte.contains("70") && !texte.contains("taux_pourcentage = 80"), "{texte}");

    // check: the budget follows the version in force.
    let dossiers = dossier_2027(dir.path());
    let d = dossiers.to_str().expect("utf-8");
    let (json, _, _) = sortie(&["check", "--format", "json", "--rules", r, d]);
    let v: Value = serde_json::from_str(&json).expect("JSON");
    let par_source = |suffixe: &str| {
        v["dossiers"]
            .as_array()
            .expect("array")
            .iter()
            .find(|x| x["source"].as_str().unwrap_or("").ends_with(suffixe))
            .cloned()
            .expect("dossier")
    };
    let en_2026 = par_source("en-2026.toml");
    let en_2027 = par_source("en-2027.toml");
    let base = en_2027["budget"]["base_plafond"].as_str().expect("base").parse::<f64>().expect("n");
    let plafond = en_2027["budget"]["plafond_caf"].as_str().expect("plafond").parse::<f64>().expect("n");
    assert!((plafond - base * 0.7).abs() < 0.01, "2027 at 70 %: {base} → {plafond}");
    let plafond_2026 = en_2026["budget"]["plafond_caf"].as_str().expect("plafond").parse::<f64>().expect("n");
    assert!((plafond_2026 - base * 0.8).abs() < 0.01, "2026 still at 80 %");

    // impact: the 2027 dossier flips, the 2026 one does not.
    let (texte, _, code) = sortie(&["rules", "impact", "--base", "rules", "--head", r, "--format", "json", d]);
    assert_eq!(code, 0);
    let i: Value = serde_json::from_str(&texte).expect("JSON");
    let changes: Vec<&str> =
        i["changes"].as_array().expect("array").iter().filter_map(|c| c["source"].as_str()).collect();
    assert_eq!(changes.len(), 1, "{texte}");
    assert!(changes[0].ends_with("en-2027.toml"));
    assert_eq!(i["devenus_non_conformes"], 1, "{texte}");
    assert!(i["par_regle"]["GEN-PLAFOND-CAF"].is_array(), "{texte}");
    let (md, _, code) =
        sortie(&["rules", "impact", "--base", "rules", "--head", r, "--format", "md", "--fail-on-change", d]);
    assert_eq!(code, 1, "--fail-on-change");
    assert!(md.contains("GEN-PLAFOND-CAF") && md.contains("1 deviennent non conformes"), "{md}");

    // test: the cases of later exercices change; --bless re-records them (here on a copy).
    let (texte, _, code) = sortie(&["rules", "test", r]);
    assert_eq!(code, 1, "{texte}");
    assert!(texte.contains("exercice-2027.toml") && texte.contains("--bless"), "{texte}");
    assert!(
        !texte.contains("attendu, absent") && !texte.contains("inattendu"),
        "fires / does not fire still hold: {texte}"
    );
    let cas = dir.path().join("cas");
    copier_dossier(Path::new("tests/cases"), &cas);
    let c = cas.to_str().expect("utf-8");
    let (_, _, code) = sortie(&["rules", "test", r, "--cases", c, "--bless"]);
    assert_eq!(code, 0);
    let (texte, _, code) = sortie(&["rules", "test", r, "--cases", c]);
    assert_eq!(code, 0, "{texte}");
}

#[test]
fn overlapping_versions_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    copie_des_regles(dir.path());
    plafond_2027(dir.path(), "2027");
    let (texte, _, code) = sortie(&["rules", "lint", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(texte.contains("GEN-PLAFOND-CAF a deux versions en vigueur la même année"), "{texte}");
}

#[test]
fn a_local_overlay_changes_a_national_rule_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    copie_des_regles(dir.path());
    let p = dir.path().join("rhone.toml");
    let mut texte = std::fs::read_to_string(&p).expect("read");
    texte.push_str(
        "\n[[surcharge]]\nid = \"A1V1-TAILLE-GROUPE\"\ngravite = \"erreur\"\nparametres.max = { champ = \"groupe.participants_max\", valeur = 10 }\nmotif = \"La Caf du Rhône limite ses groupes à 10 parents.\"\n",
    );
    std::fs::write(&p, texte).expect("write");
    let r = dir.path().to_str().expect("utf-8");
    // The format.md example is in the Rhône with 12 parents at most: now an error, decided by the Rhône pack.
    let (json, _, code) = sortie(&["check", "--format", "json", "--rules", r, "tests/fixtures/cafe.toml"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json).expect("JSON");
    let c = v["dossiers"][0]["constats"]
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["regle"] == "A1V1-TAILLE-GROUPE")
        .cloned()
        .expect("fires");
    assert_eq!(c["gravite"], "erreur");
    assert_eq!(c["pack"], "rhone");
    assert!(c["message"].as_str().unwrap_or("").contains("10"), "{c}");
    // Outside the Rhône, the national rule holds.
    let autre = tempfile::tempdir().expect("tempdir");
    let ailleurs = autre.path().join("ailleurs.toml");
    std::fs::write(
        &ailleurs,
        std::fs::read_to_string("tests/fixtures/cafe.toml")
            .expect("read")
            .replace("departement = \"69\"", "departement = \"38\""),
    )
    .expect("write");
    let (json, _, _) = sortie(&["check", "--format", "json", "--rules", r, ailleurs.to_str().expect("utf-8")]);
    let v: Value = serde_json::from_str(&json).expect("JSON");
    assert!(!v["dossiers"][0]["constats"].to_string().contains("A1V1-TAILLE-GROUPE"), "{json}");
    // The overlay is said all the same: these rules are not fnp's national ones.
    assert!(v["synthese"]["regles_modifiees"].to_string().contains("A1V1-TAILLE-GROUPE"), "{json}");
    // explain shows the overlay and its reason.
    let (texte, _, _) = sortie(&["explain", "A1V1-TAILLE-GROUPE", "--rules", r, "--departement", "69"]);
    assert!(texte.contains("surcharge du pack rhone") && texte.contains("limite ses groupes à 10 parents"), "{texte}");
    // An overlay of a rule that does not exist is refused.
    let mut texte = std::fs::read_to_string(&p).expect("read");
    texte.push_str("\n[[surcharge]]\nid = \"A1V1-TAILE-GROUPE\"\ngravite = \"info\"\nmotif = \"x\"\n");
    std::fs::write(&p, texte).expect("write");
    let (texte, _, code) = sortie(&["rules", "lint", r]);
    assert_eq!(code, 2);
    assert!(texte.contains("vouliez-vous dire A1V1-TAILLE-GROUPE"), "{texte}");
}

#[test]
fn command_line_overrides() {
    // --allow silences, --deny makes an error, --warn a warning; the pack says "ligne-de-commande".
    let (json, _, code) =
        sortie(&["check", "--format", "json", "--allow", "GEN-DEPENSE-INELIGIBLE", "tests/fixtures/cafe.toml"]);
    assert_eq!(code, 0);
    assert!(!json.contains("GEN-DEPENSE-INELIGIBLE"));
    let (json, _, code) =
        sortie(&["check", "--format", "json", "--deny", "GEN-DEPENSE-INELIGIBLE", "tests/fixtures/cafe.toml"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["dossiers"][0]["constats"][0]["gravite"], "erreur");
    assert_eq!(v["dossiers"][0]["constats"][0]["pack"], "ligne-de-commande");
    let (_, err, code) = sortie(&["check", "--deny", "GEN-DEPENSE-INELIGIBL", "tests/fixtures/cafe.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("GEN-DEPENSE-INELIGIBLE"), "{err}");
}

#[test]
fn explain_and_list() {
    let (texte, _, code) = sortie(&["explain", "A3V1-OUVERTURE"]);
    assert_eq!(code, 0);
    for attendu in [
        "5 demi-journées",
        // rules v2: the source by its title, never its file name; the force of its sentence.
        "source : Cnaf — Fonds national parentalité, fiches thématiques par axe et par volet, Axe 3 – Volet 1",
        "force de la phrase source : obligation",
        "une exigence de 5 demi-journées",
        "vérifiée contre le texte le",
        "demi_journees_ouverture = 4",
    ] {
        assert!(texte.contains(attendu), "{attendu}: {texte}");
    }
    assert!(!texte.contains(".txt"), "{texte}");
    // A departure of severity from force is explained; an external reference is marked so.
    let (texte, _, _) = sortie(&["explain", "A1V1-REGULARITE"]);
    assert!(texte.contains("écart de gravité : la même fiche admet"), "{texte}");
    let (texte, _, _) = sortie(&["explain", "GEN-CER"]);
    assert!(texte.contains("Loi n° 2021-1109") && texte.contains("(référence externe)"), "{texte}");
    // Local rules are found without --departement.
    let (texte, _, code) = sortie(&["explain", "L69-INDICATEUR-QPV"]);
    assert_eq!(code, 0, "{texte}");
    assert!(texte.contains("pack rhone"), "{texte}");
    let (_, err, code) = sortie(&["explain", "A3V1-OUVERTUR"]);
    assert_eq!(code, 2);
    assert!(err.contains("A3V1-OUVERTURE"));
    let (json, _, _) = sortie(&[
        "rules",
        "list",
        "--format",
        "json",
        "--exercice",
        "2025",
        "--departement",
        "75",
        "--axe",
        "3",
        "--volet",
        "1",
    ]);
    let v: Value = serde_json::from_str(&json).expect("JSON");
    let ids: Vec<&str> = v.as_array().expect("array").iter().filter_map(|r| r["id"].as_str()).collect();
    assert!(ids.contains(&"A3V1-OUVERTURE") && ids.contains(&"GEN-PLAFOND-CAF"));
    assert!(!ids.contains(&"A1V1-TAILLE-GROUPE") && !ids.contains(&"L69-TERRITOIRE-PRIORITAIRE"));
    let (json, _, _) = sortie(&["rules", "list", "--format", "json", "--departement", "69"]);
    assert!(json.contains("L69-TERRITOIRE-PRIORITAIRE"));
    // What check applies: in 2024 no national pack is in force, so nothing (REGLES-EXERCICE
    // only); with no filter, every rule of every pack, local ones with their validity.
    let (texte, _, code) = sortie(&["rules", "list", "--exercice", "2024", "--departement", "69"]);
    assert_eq!((code, texte.as_str()), (0, "aucune règle\n"));
    let (texte, _, _) = sortie(&["rules", "list"]);
    assert!(texte.contains("L69-TERRITOIRE-PRIORITAIRE") && texte.contains("2022–2026 (69)"), "{texte}");
    assert!(texte.contains("A3V1-OUVERTURE") && texte.contains("2025–"), "{texte}");
}

#[test]
fn check_explain_shows_the_arithmetic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("plafond.toml");
    let texte = std::fs::read_to_string("tests/fixtures/cafe.toml")
        .expect("read")
        .replace("montant = 3000", "montant = 3900")
        .replace("montant = 1800\nstatut", "montant = 900\nstatut");
    std::fs::write(&f, texte).expect("write");
    let (texte, _, _) = sortie(&["check", "--explain", f.to_str().expect("utf-8")]);
    assert!(texte.contains("calcul : financement Caf 3\u{202f}900,00\u{a0}€ > 80\u{a0}% × 4\u{202f}800,00\u{a0}€ = 3\u{202f}840,00\u{a0}€"), "{texte}");
}

#[test]
fn ci_outputs() {
    let (xml, _, _) =
        sortie(&["check", "--format", "junit", "tests/fixtures/cafe.toml", "tests/fixtures/erreurs.toml"]);
    assert!(xml.contains("<testsuites") && xml.contains("tests=\"2\"") && xml.contains("failures=\"1\""), "{xml}");
    assert!(xml.contains("A3V1-OUVERTURE"));
    let (sarif, _, _) = sortie(&["check", "--format", "sarif", "tests/fixtures/erreurs.toml"]);
    let v: Value = serde_json::from_str(&sarif).expect("SARIF JSON");
    assert_eq!(v["version"], "2.1.0");
    let resultats = v["runs"][0]["results"].as_array().expect("results");
    let ouverture = resultats.iter().find(|r| r["ruleId"] == "A3V1-OUVERTURE").expect("result");
    assert_eq!(ouverture["level"], "error");
    assert_eq!(ouverture["locations"][0]["physicalLocation"]["region"]["startLine"], 23);
    assert!(
        v["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules").iter().any(|r| r["id"] == "A3V1-OUVERTURE")
    );
    let (gh, _, _) = sortie(&["check", "--format", "github", "tests/fixtures/erreurs.toml"]);
    assert!(
        gh.lines().any(|l| l
            .starts_with("::error file=tests/fixtures/erreurs.toml,line=23,col=27,title=A3V1-OUVERTURE (erreur)::")),
        "{gh}"
    );
}

#[test]
fn rules_test_fails_on_a_broken_rule_and_bless_rerecords() {
    let dir = tempfile::tempdir().expect("tempdir");
    copie_des_regles(dir.path());
    let p = dir.path().join("national.toml");
    let texte = std::fs::read_to_string(&p).expect("read");
    std::fs::write(
        &p,
        texte.replace(
            "champ = \"lieu.demi_journees_ouverture\", valeur = 5",
            "champ = \"lieu.demi_journees_ouverture\", valeur = 4",
        ),
    )
    .expect("write");
    let (texte, _, code) = sortie(&["rules", "test", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert!(texte.contains("A3V1-OUVERTURE attendu, absent"), "{texte}");
    // --bless re-records the expectations of a copy of the cases.
    let cas = dir.path().join("cas");
    std::fs::create_dir_all(cas.join("A3V1-OUVERTURE")).expect("mkdir");
    for genre in ["declenche", "ne-declenche-pas"] {
        let d = cas.join("A3V1-OUVERTURE").join(genre);
        std::fs::create_dir_all(&d).expect("mkdir");
        for e in std::fs::read_dir(Path::new("tests/cases/A3V1-OUVERTURE").join(genre)).expect("dir").flatten() {
            std::fs::copy(e.path(), d.join(e.file_name())).expect("copy");
        }
    }
    let c = cas.to_str().expect("utf-8");
    let (_, _, code) = sortie(&["rules", "test", "--cases", c, "--bless"]);
    assert!(code == 0 || code == 1);
    assert!(cas.join("A3V1-OUVERTURE").join(".attendu.toml").exists());
}

#[test]
fn docs_rules_md_is_current() {
    let (texte, _, code) = sortie(&["rules", "list", "--format", "md"]);
    assert_eq!(code, 0);
    let doc = std::fs::read_to_string("docs/rules.md").expect("docs/rules.md");
    assert!(doc == texte, "docs/rules.md is stale: run `cargo run -- rules list --format md > docs/rules.md`");
}

/// `git:REF` reads `rules/` at a revision of the repository.
#[test]
#[cfg_attr(windows, ignore = "git is not there under wine")]
fn impact_against_a_git_revision() {
    let (texte, _, code) = sortie(&["rules", "impact", "--base", "git:HEAD", "--head", "rules", "examples"]);
    assert_eq!(code, 0, "{texte}");
    // The 12 dossiers of examples/ and their 12 bilans in examples/bilan/.
    assert!(texte.contains("24 dossiers vérifiés"), "{texte}");
    let (_, err, code) =
        sortie(&["rules", "impact", "--base", "git:revision-inexistante", "--head", "rules", "examples"]);
    assert_eq!(code, 2);
    assert!(err.contains("revision-inexistante"), "{err}");
}

/// rules v2: lint catches broken packs, each in French with the file, the line and the key.
#[test]
fn lint_refuses_broken_packs_in_french() {
    let cas: &[(&str, &str, &str, &str)] = &[
        // (file, text replaced, replacement, expected words)
        ("national.toml", "exercice_du = 2025\n", "exercice_du = 2025\nexercice_au = 2024\n", "commence après sa fin"),
        (
            "national.toml",
            "id = \"A3V1-OUVERTURE\"\n",
            "id = \"A3V1-OUVERTURE\"\nportee.exercice_du = 2027\nportee.exercice_au = 2026\n",
            "règle A3V1-OUVERTURE : portée : la période de validité commence après sa fin",
        ),
        (
            "national.toml",
            "# Messages par défaut",
            "[[surcharge]]\nid = \"A3V1-OUVERTURE\"\nmotif = \"x\"\n\n# Messages par défaut",
            "[[surcharge]] A3V1-OUVERTURE dans le pack national",
        ),
        (
            "national.toml",
            "id = \"A3V1-OUVERTURE\"\ngravite = \"erreur\"\n",
            "id = \"A3V1-OUVERTURE\"\ngravite = \"erreur\"\ngraviter = \"info\"\n",
            "clé « graviter » inconnue ; clés possibles : id, gravite",
        ),
        (
            "national.toml",
            "parametres.min = { champ = \"lieu.demi_journees_ouverture\", valeur = 5 }",
            "parametres.min = { champ = \"lieu.demi_journees_ouverture\", valeur = 4.5 }",
            "nombre décimal entre guillemets",
        ),
        (
            "national.toml",
            "id = \"A3V1-OUVERTURE\"\ngravite = \"erreur\"\nforce = \"obligation\"\n",
            "id = \"A3V1-OUVERTURE\"\ngravite = \"avertissement\"\nforce = \"obligation\"\n",
            "A3V1-OUVERTURE : gravité « avertissement » alors que la force « obligation » donne « erreur »",
        ),
        (
            "national.toml",
            "id = \"A3V1-OUVERTURE\"\ngravite = \"erreur\"\nforce = \"obligation\"\ntitre = \"5 demi-journées d'ouverture par semaine\"\nverifie_le = 2026-11-23",
            "id = \"A3V1-OUVERTURE\"\ngravite = \"erreur\"\nforce = \"obligation\"\ntitre = \"5 demi-journées d'ouverture par semaine\"\nverifie_le = 2027-01-05",
            "A3V1-OUVERTURE : verifie_le = 2027-01-05 est dans le futur",
        ),
        (
            "rhone.toml",
            "[[regle]]\nid = \"L69-INDICATEUR-QPV\"",
            "[[surcharge]]\nid = \"A1V1-TAILLE-GROUPE\"\ngravite = \"info\"\nmotif = \"a\"\n\n[[surcharge]]\nid = \"A1V1-TAILLE-GROUPE\"\ngravite = \"erreur\"\nmotif = \"b\"\n\n[[regle]]\nid = \"L69-INDICATEUR-QPV\"",
            "surcharge A1V1-TAILLE-GROUPE : contredit la surcharge",
        ),
        // rules v3 (issue 22): a field a rule names exists in a dossier, with the type its
        // check reads; every schema error in French.
        (
            "national.toml",
            "parametres.max = { champ = \"groupe.participants_max\", valeur = 12 }",
            "parametres.max = { champ = \"groupe.participants_maxi\", valeur = 12 }",
            "erreur : règle A1V1-TAILLE-GROUPE : clé « parametres.max.champ » : aucun champ « groupe.participants_maxi » dans un dossier ; vouliez-vous dire « groupe.participants_max » ?",
        ),
        (
            "national.toml",
            "parametres.max = { champ = \"groupe.participants_max\", valeur = 12 }",
            "parametres.max = { champ = \"action.public\", valeur = 12 }",
            "clé « parametres.max.champ » : le champ « action.public » du dossier est une liste de valeurs parmi",
        ),
        (
            "rhone.toml",
            "portee.si = [{ champ = \"territoire.qpv\", vrai = true }",
            "portee.si = [{ champ = \"territoire.qvp\", vrai = true }",
            "clé « portee.si[0].champ » : aucun champ « territoire.qvp » dans un dossier ; vouliez-vous dire « territoire.qpv » ?",
        ),
        (
            "national.toml",
            "id = \"A3V1-OUVERTURE\"\ngravite = \"erreur\"\n",
            "id = \"A3V1-OUVERTURE\"\ngravite = 3\n",
            "clé « gravite » : type inattendu : on attend un texte entre guillemets",
        ),
        (
            "national.toml",
            "exercice_du = 2025\n",
            "exercice_du = 99999999999999999999\n",
            "clé « exercice_du » : nombre entier trop grand : 99999999999999999999",
        ),
    ];
    for (fichier, avant, apres, attendu) in cas {
        let dir = tempfile::tempdir().expect("tempdir");
        copie_des_regles(dir.path());
        let chemin = dir.path().join(fichier);
        let texte = std::fs::read_to_string(&chemin).expect("read");
        assert!(texte.contains(avant), "{avant}");
        std::fs::write(&chemin, texte.replacen(avant, apres, 1)).expect("write");
        let (out, err, code) = sortie(&["rules", "lint", dir.path().to_str().expect("utf-8")]);
        let tout = format!("{out}{err}");
        assert_ne!(code, 0, "{attendu}: lint should fail\n{tout}");
        assert!(tout.contains(attendu), "{attendu}:\n{tout}");
        assert!(tout.contains(&format!("{fichier}:")), "file and line: {tout}");
        for anglais in [
            "unknown field",
            "data did not match",
            "missing field",
            "invalid type",
            "expected",
            "wanted",
            "as i128",
            "any valid",
        ] {
            assert!(!tout.contains(anglais), "English words ({anglais}): {tout}");
        }
    }
    // The error names the line of the key itself, not only its rule's.
    let dir = tempfile::tempdir().expect("tempdir");
    copie_des_regles(dir.path());
    let chemin = dir.path().join("national.toml");
    let texte = std::fs::read_to_string(&chemin).expect("read");
    let cle = "parametres.max = { champ = \"groupe.participants_max\", valeur = 12 }";
    let ligne = texte[..texte.find(cle).expect("key")].lines().count() + 1;
    std::fs::write(&chemin, texte.replacen(cle, &cle.replace("participants_max", "participants_maxi"), 1))
        .expect("write");
    let (out, _, code) = sortie(&["rules", "lint", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains(&format!("national.toml:{ligne}: erreur : règle A1V1-TAILLE-GROUPE : clé")), "{ligne}: {out}");
    // A quoted sentence holding none of its force's words: a warning, lint still passes.
    let dir = tempfile::tempdir().expect("tempdir");
    copie_des_regles(dir.path());
    let chemin = dir.path().join("national.toml");
    let texte = std::fs::read_to_string(&chemin).expect("read");
    std::fs::write(
        &chemin,
        texte.replacen(
            "force = \"obligation\"\nforce_lecture = \"présent normatif\"\ntitre = \"Les quatre",
            "force = \"obligation\"\ntitre = \"Les quatre",
            1,
        ),
    )
    .expect("write");
    let (out, _, code) = sortie(&["rules", "lint", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("A3V1-MISSIONS-SOCLES : la phrase citée ne contient aucun mot de la force « obligation »"),
        "{out}"
    );
}

/// Coverage: the pinned cases cover every rule of the packs with both kinds of cases; a rule
/// lacking either is named, on its own line and in the coverage line, and the run fails.
#[test]
fn rules_test_names_each_rule_lacking_a_kind_of_case_and_fails() {
    let (texte, _, code) = sortie(&["rules", "test"]);
    assert_eq!(code, 0, "{texte}");
    let ligne = texte.lines().find(|l| l.starts_with("couverture : ")).expect("coverage line");
    let nombres: Vec<&str> = ligne.split(' ').filter(|m| m.chars().all(|c| c.is_ascii_digit())).collect();
    assert!(nombres.len() == 2 && nombres[0] == nombres[1] && !ligne.contains("sans"), "{ligne}");

    let dir = tempfile::tempdir().expect("tempdir");
    let cas = dir.path().join("cas");
    copier_dossier(Path::new("tests/cases"), &cas);
    std::fs::remove_dir_all(cas.join("SAISIE-COLONNE-INCONNUE").join("ne-declenche-pas")).expect("rm");
    std::fs::remove_dir_all(cas.join("GEN-SIRET").join("declenche")).expect("rm");
    let (_, _, code) = sortie(&["rules", "test", "--cases", cas.to_str().expect("utf-8"), "--bless"]);
    assert_eq!(code, 1);
    let (texte, _, code) = sortie(&["rules", "test", "--cases", cas.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{texte}");
    assert!(texte.contains("ÉCHEC SAISIE-COLONNE-INCONNUE : aucun cas voisin qui ne la déclenche pas"), "{texte}");
    assert!(texte.contains("ÉCHEC GEN-SIRET : aucun cas qui la déclenche"), "{texte}");
    let ligne = texte.lines().find(|l| l.starts_with("couverture : ")).expect("coverage line");
    assert!(ligne.ends_with("; sans : GEN-SIRET, SAISIE-COLONNE-INCONNUE"), "{ligne}");
}

/// Runs fnp in `dossier` (a folder outside the repository: no `tests/cases`, no git).
fn dans(dossier: &Path, args: &[&str]) -> (String, String, i32) {
    let o = fnp().current_dir(dossier).args(args).output().expect("runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

/// Every part of a zip archive whose name contains `motif`, as text.
fn parties_zip(chemin: &Path, motif: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(chemin).expect("open")).expect("zip");
    let mut t = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("part");
        if f.name().expect("name").contains(motif) {
            std::io::Read::read_to_string(&mut f, &mut t).expect("utf-8");
        }
    }
    t
}

/// A Caf's keeper with only the binary: export the rules to an empty folder, run the loop
/// there (lint, test, a threshold changed, test again, bless, impact against the rules
/// built in), all without a clone or git.
#[test]
fn a_keeper_exports_the_rules_and_runs_the_loop_with_the_binary_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (texte, _, code) = dans(d, &["rules", "export", "mes-regles"]);
    assert_eq!(code, 0, "{texte}");
    assert!(texte.contains("LISEZMOI.md"), "{texte}");
    let export = d.join("mes-regles");
    // The packs as written (comments kept), the cases laid out as tests/cases, the examples.
    assert_eq!(
        std::fs::read_to_string(export.join("national.toml")).expect("read"),
        std::fs::read_to_string("rules/national.toml").expect("read")
    );
    assert!(std::fs::read_to_string(export.join("rhone.toml")).expect("read").starts_with("# Règles locales"));
    for f in [
        "cerfa.toml",
        "exemples.toml",
        "cas/A1V1-TAILLE-GROUPE/declenche/max-13.toml",
        "cas/A1V1-TAILLE-GROUPE/ne-declenche-pas/min-8-max-12.toml",
        "cas/A1V1-TAILLE-GROUPE/.attendu.toml",
        "cas/SAISIE-TOTAL/declenche/total-des-charges-faux.xlsx",
        "cas/CLASSEUR-MACROS/declenche/macros-basic-libreoffice.ods",
        "dossiers-exemples/1.1-cafe-des-parents.toml",
        "dossiers-exemples/bilan/1.1-cafe-des-parents.toml",
    ] {
        assert!(export.join(f).is_file(), "{f}");
    }
    assert_eq!(
        std::fs::read(export.join("cas/SAISIE-TOTAL/declenche/total-des-charges-faux.xlsx")).expect("read"),
        std::fs::read("tests/cases/SAISIE-TOTAL/declenche/total-des-charges-faux.xlsx").expect("read")
    );
    let lisezmoi = std::fs::read_to_string(export.join("LISEZMOI.md")).expect("read");
    for etape in ["fnp rules lint", "fnp rules test", "fnp rules impact --base embarquees", "--bless"] {
        assert!(lisezmoi.contains(etape), "{etape}");
    }
    // A second export into the same folder is refused without --force, and the folder kept.
    let (_, err, code) = dans(d, &["rules", "export", "mes-regles"]);
    assert_eq!(code, 2);
    assert!(err.contains("n'est pas vide") && err.contains("--force"), "{err}");
    let (_, err, code) = dans(d, &["rules", "export", "mes-regles", "--force"]);
    assert_eq!(code, 0, "{err}");

    // The loop, from this folder: lint, then test finds the cases in the export.
    let (texte, _, code) = dans(d, &["rules", "lint", "mes-regles"]);
    assert_eq!(code, 0, "{texte}");
    let (texte, err, code) = dans(d, &["rules", "test", "mes-regles"]);
    assert_eq!(code, 0, "{texte}{err}");
    assert!(texte.contains(" 0 échec") && !texte.contains("ÉCHEC"), "{texte}");
    // No unchanged rule moves a dossier.
    let (texte, err, code) =
        dans(d, &["rules", "impact", "--base", "embarquees", "--head", "mes-regles", "mes-regles/dossiers-exemples"]);
    assert_eq!(code, 0, "{err}");
    assert!(texte.contains(" dossiers vérifiés, 0 changent"), "{texte}");

    // A threshold changed: groups of 10 parents at most.
    let national = export.join("national.toml");
    let texte = std::fs::read_to_string(&national).expect("read");
    let change = texte.replacen(
        "parametres.max = { champ = \"groupe.participants_max\", valeur = 12 }",
        "parametres.max = { champ = \"groupe.participants_max\", valeur = 10 }",
        1,
    );
    assert_ne!(change, texte);
    std::fs::write(&national, change).expect("write");
    let (texte, _, code) = dans(d, &["rules", "test", "mes-regles"]);
    assert_eq!(code, 1, "{texte}");
    assert!(texte.contains("ÉCHEC") && texte.contains("min-8-max-12.toml"), "{texte}");
    let (_, err, code) = dans(d, &["rules", "test", "mes-regles", "--bless"]);
    assert_eq!(code, 1, "{err}"); // the case that must not fire does: blessing records, it does not hide
    let (texte, err, code) = dans(
        d,
        &[
            "rules",
            "impact",
            "--base",
            "embarquees",
            "--head",
            "mes-regles",
            "mes-regles/dossiers-exemples",
            "--fail-on-change",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(texte.contains("A1V1-TAILLE-GROUPE") && texte.contains("1.1-cafe-des-parents.toml"), "{texte}");
    assert!(texte.contains("Impact des règles : embarquees → mes-regles"), "{texte}");

    // Outside an export, `rules test` says where the cases are looked for and how to give them.
    let vide = d.join("vide");
    std::fs::create_dir(&vide).expect("mkdir");
    std::fs::copy(export.join("rhone.toml"), vide.join("rhone.toml")).expect("copy");
    let (_, err, code) = dans(d, &["rules", "test", "vide"]);
    assert_eq!(code, 2);
    assert!(err.contains("dossier de cas introuvable") && err.contains("--cases"), "{err}");
}

/// A Caf's own pack, alone in its folder: added to the embedded national pack, as the
/// terminal says; lint and test accept the folder; the overlay's motif follows each finding
/// it changes, in every output.
#[test]
fn a_local_pack_on_its_own_is_added_to_the_embedded_national_pack_and_its_motif_travels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let caf = d.join("caf69");
    std::fs::create_dir(&caf).expect("mkdir");
    std::fs::write(
        caf.join("caf69.toml"),
        "[pack]\nid = \"caf69-groupes\"\nlibelle = \"Caf du Rhône : taille des groupes\"\nniveau = \"local\"\n\
         exercice_du = 2025\ndepartements = [\"69\"]\n\n[[surcharge]]\nid = \"A1V1-TAILLE-GROUPE\"\n\
         parametres.max = { champ = \"groupe.participants_max\", valeur = 10 }\n\
         motif = \"la parole de chacun demande des groupes plus petits\"\nverifie_le = 2026-11-23\n",
    )
    .expect("write");
    let exemple = std::fs::canonicalize("examples/1.1-cafe-des-parents.toml").expect("example");
    let exemple = exemple.to_str().expect("utf-8");
    let note = "aucun pack national dans ce dossier ; pack local ajouté au pack national embarqué dans fnp";

    // lint accepts it, and says so.
    let (texte, err, code) = dans(d, &["rules", "lint", "caf69"]);
    assert_eq!(code, 0, "{texte}{err}");
    assert!(err.contains(note) && err.contains("caf69.toml"), "{err}");

    // check: the finding, its quote, then who changed it, to what and why.
    let (texte, err, code) = dans(d, &["check", "--rules", "caf69", exemple]);
    assert_eq!(code, 0, "{texte}{err}");
    assert!(err.contains(note), "{err}");
    let phrase = "(la Caf du Rhône applique 10 : la parole de chacun demande des groupes plus petits)";
    let citation = texte.find("« A titre indicatif, un nombre compris entre 8 à 12 parents").expect("quote");
    let motif = texte.find(phrase).expect("motif");
    assert!(citation < motif && texte.contains("entre 8 et 10 parents"), "{texte}");

    // JSON: `motif` beside the existing fields.
    let (json, _, _) = dans(d, &["check", "--format", "json", "--rules", "caf69", exemple]);
    let v: Value = serde_json::from_str(&json).expect("JSON");
    let c = v["dossiers"][0]["constats"]
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["regle"] == "A1V1-TAILLE-GROUPE")
        .cloned()
        .expect("fires");
    assert_eq!(c["motif"], "la parole de chacun demande des groupes plus petits");
    assert_eq!(c["pack"], "caf69-groupes");
    for champ in ["regle", "gravite", "message", "source", "source_titre", "lieu", "titre", "citation", "section"] {
        assert!(c.get(champ).is_some(), "{champ} kept: {c}");
    }
    // A finding of a rule no pack changed carries no motif.
    let (json, _, _) = dans(d, &["check", "--format", "json", exemple]);
    assert!(!json.contains("\"motif\""), "{json}");

    // The HTML report, the dossier document (HTML and Markdown), the annotated workbook.
    let (_, err, code) = dans(d, &["check", "--rules", "caf69", "--report", "rapport", exemple]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(d.join("rapport/rapport.html")).expect("report");
    assert!(html.contains("la Caf du Rhône applique 10 : la parole de chacun"), "report");
    for sortie in ["dossier.html", "dossier.md"] {
        let (_, err, code) = dans(d, &["dossier", "--rules", "caf69", exemple, "-o", sortie]);
        assert_eq!(code, 0, "{err}");
        let t = std::fs::read_to_string(d.join(sortie)).expect("document");
        assert!(t.contains("la Caf du Rhône applique 10 : la parole de chacun"), "{sortie}");
    }
    let (_, err, code) = dans(d, &["convert", exemple, "-o", "cafe.xlsx"]);
    assert_eq!(code, 0, "{err}");
    let (_, err, code) = dans(d, &["check", "--rules", "caf69", "cafe.xlsx", "--annotate", "annotes"]);
    assert_eq!(code, 0, "{err}");
    let copie = d.join("annotes/cafe.annote.xlsx");
    let commentaires = parties_zip(&copie, "comments");
    assert!(commentaires.contains("la Caf du Rhône applique 10 : la parole de chacun"), "{commentaires}");

    // test: the embedded national pack's cases pass with the local pack beside it; the
    // cases folder of an export is found beside the local pack's folder.
    let (_, err, code) = dans(d, &["rules", "export", "."]);
    assert_eq!(code, 2, "not empty: {err}");
    let (_, err, code) = dans(d, &["rules", "export", "export"]);
    assert_eq!(code, 0, "{err}");
    let (texte, _, code) = dans(d, &["rules", "test", "caf69", "--cases", "export/cas"]);
    // The overlay makes the national rule fire on pinned cases of the Rhône: each named, and
    // the run fails until the keeper blesses what is meant.
    assert_eq!(code, 1, "{texte}");
    assert!(texte.contains("obtenu a-verifier [A1V1-TAILLE-GROUPE, CLASSEUR-MACROS"), "{texte}");
    // The Rhône pack's cases are not played: its rules are not loaded.
    assert!(!texte.contains("ÉCHEC export/cas/L69-"), "{texte}");
    assert!(
        texte.contains("cas ignorés : 2 règles absentes de ces packs : L69-INDICATEUR-QPV, L69-TERRITOIRE-PRIORITAIRE"),
        "{texte}"
    );
    std::fs::rename(&caf, d.join("export/caf69")).expect("move");
    let (texte2, _, code) = dans(d, &["rules", "test", "export/caf69"]);
    assert_eq!(code, 1);
    assert_eq!(texte2.lines().last(), texte.lines().last());
}

/// Hostile round 4: a pack that changes the national rules never does it quietly. The 80 %
/// ceiling set to 100 % in a copy of the rules: `check` says it on stderr and in every report
/// (JSON, rapport.html), lint lists it; a local pack's overlay of the same rate is said with
/// its pack, Caf and motif. The embedded rules, and a copy left as it is, say nothing.
#[test]
fn a_pack_that_changes_the_national_rules_says_so_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let regles = dir.path().join("regles");
    std::fs::create_dir(&regles).expect("mkdir");
    copie_des_regles(&regles);
    let r = regles.to_str().expect("utf-8");
    let (_, err, _) = sortie(&["check", "--rules", r, "tests/fixtures/cafe.toml"]);
    assert!(!err.contains("règles modifiées"), "an unchanged copy says nothing: {err}");
    let p = regles.join("national.toml");
    let texte = std::fs::read_to_string(&p).expect("read");
    assert!(texte.contains("taux_pourcentage = 80,"));
    std::fs::write(&p, texte.replace("taux_pourcentage = 80,", "taux_pourcentage = 100,")).expect("write");
    let rapport = dir.path().join("rapport");
    let (json, err, _) = sortie(&[
        "check",
        "--format",
        "json",
        "--rules",
        r,
        "tests/fixtures/cafe.toml",
        "--report",
        rapport.to_str().expect("utf-8"),
    ]);
    assert!(err.contains("règles modifiées par rapport aux règles nationales de fnp"), "{err}");
    assert!(err.contains("GEN-PLAFOND-CAF : taux_pourcentage 80 → 100"), "{err}");
    let v: Value = serde_json::from_str(&json).expect("JSON");
    let modifiees = v["synthese"]["regles_modifiees"].as_array().expect("in the JSON");
    assert!(modifiees.iter().any(|m| m.as_str().unwrap_or("").contains("taux_pourcentage 80 → 100")), "{v:#}");
    let html = std::fs::read_to_string(rapport.join("rapport.html")).expect("html");
    assert!(html.contains("Règles modifiées par rapport aux règles nationales de fnp") && html.contains("80 → 100"));
    // fnp bilan's report too (bilans.json, rapport.html).
    let bilans = dir.path().join("bilans");
    let (_, err, _) = sortie(&["bilan", "--rules", r, "tests/fixtures", "--report", bilans.to_str().expect("utf-8")]);
    assert!(err.contains("GEN-PLAFOND-CAF : taux_pourcentage 80 → 100"), "{err}");
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(bilans.join("bilans.json")).expect("bilans.json")).expect("JSON");
    let modifiees = v["synthese"]["regles_modifiees"].as_array().expect("in bilans.json");
    assert!(modifiees.iter().any(|m| m.as_str().unwrap_or("").contains("taux_pourcentage 80 → 100")), "{v:#}");
    let html = std::fs::read_to_string(bilans.join("rapport.html")).expect("html");
    assert!(html.contains("Règles modifiées par rapport aux règles nationales de fnp") && html.contains("80 → 100"));
    let (texte, _, _) = sortie(&["rules", "lint", r]);
    assert!(
        texte.contains("écart aux règles nationales de fnp : GEN-PLAFOND-CAF : taux_pourcentage 80 → 100"),
        "{texte}"
    );
    // A local pack alone, overlaying the same rate for the Rhône.
    let locaux = dir.path().join("locaux");
    std::fs::create_dir(&locaux).expect("mkdir");
    std::fs::write(
        locaux.join("rhone.toml"),
        std::fs::read_to_string("rules/rhone.toml").expect("read")
            + "\n[[surcharge]]\nid = \"GEN-PLAFOND-CAF\"\nparametres.taux_pourcentage = 100\nmotif = \"Essai.\"\n",
    )
    .expect("write");
    let (_, err, _) = sortie(&["check", "--rules", locaux.to_str().expect("utf-8"), "tests/fixtures/cafe.toml"]);
    assert!(err.contains("GEN-PLAFOND-CAF : taux_pourcentage 80 → 100 (surcharge du pack rhone, Caf 69"), "{err}");
    assert!(err.contains("motif : « Essai. »"), "{err}");
    // The embedded rules: nothing to say.
    let (_, err, _) = sortie(&["check", "tests/fixtures/cafe.toml"]);
    assert!(!err.contains("règles modifiées"), "{err}");
}

/// Hostile round 4: packs and templates are inputs too. A message repeating a placeholder a
/// million times is refused when the pack is loaded (lint and check alike), in French; `lint
/// --sources T` reads no file out of `T` nor a special file; a template of nested loops ends
/// with a French error instead of running for ever, and a missing include is said in French.
#[test]
fn packs_and_templates_are_bounded_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let regles = dir.path().join("regles");
    std::fs::create_dir(&regles).expect("mkdir");
    copie_des_regles(&regles);
    let p = regles.join("national.toml");
    let texte = std::fs::read_to_string(&p).expect("read");
    let enorme = "{libelle}".repeat(200_000);
    let modifie = texte.replacen(
        "message = \"la dépense « {libelle} » ({montant}) est de nature",
        &format!("message = \"{enorme} la dépense « {{libelle}} » ({{montant}}) est de nature"),
        1,
    );
    assert_ne!(modifie, texte);
    std::fs::write(&p, modifie).expect("write");
    let r = regles.to_str().expect("utf-8");
    let (texte, err, code) = sortie(&["rules", "lint", r]);
    assert_eq!(code, 2, "{texte}{err}");
    assert!(format!("{texte}{err}").contains("trop long"), "{texte}{err}");
    let (_, err, code) = sortie(&["check", "--rules", r, "tests/fixtures/cafe.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("trop long"), "{err}");

    // A source named out of the sources folder, or a special file: never read.
    let sources = dir.path().join("textes");
    std::fs::create_dir(&sources).expect("mkdir");
    std::fs::write(dir.path().join("dehors.txt"), "Les charges habituelles de fonctionnement").expect("w");
    let propre = dir.path().join("propre");
    std::fs::create_dir(&propre).expect("mkdir");
    copie_des_regles(&propre);
    let p = propre.join("national.toml");
    let texte = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, texte.replace("[sources.\"003_177385de329f9a2c.txt\"]", "[sources.\"../dehors.txt\"]\ntitre = \"Dehors\"\n\n[sources.\"003_177385de329f9a2c.txt\"]").replacen("source.fichier = \"003_177385de329f9a2c.txt\"\nsource.section = \"Axe 1 – Volet 1 – Les dépenses non-éligibles (de même dans chaque fiche)\"\nsource.citation = \"Les charges habituelles de fonctionnement de la structure ou du service ;\"", "source.fichier = \"../dehors.txt\"\nsource.section = \"x\"\nsource.citation = \"Les charges habituelles de fonctionnement\"", 1)).expect("w");
    let (texte, err, _) =
        sortie(&["rules", "lint", propre.to_str().expect("utf-8"), "--sources", sources.to_str().expect("utf-8")]);
    assert!(
        texte.contains("source ../dehors.txt illisible : un nom de fichier du dossier des textes est attendu"),
        "{texte}{err}"
    );

    // A template of nested loops, and a missing include.
    let modeles = dir.path().join("modeles");
    std::fs::create_dir(&modeles).expect("mkdir");
    std::fs::write(
        modeles.join("dossier.html.j2"),
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    )
    .expect("w");
    let sortie_html = dir.path().join("d.html");
    let m = modeles.to_str().expect("utf-8");
    let o = sortie_html.to_str().expect("utf-8");
    let (_, err, code) = sortie(&["dossier", "examples/1.1-cafe-des-parents.toml", "-o", o, "--templates", m]);
    assert_eq!(code, 2);
    assert!(err.contains("le modèle fait trop de calculs"), "{err}");
    std::fs::write(modeles.join("dossier.html.j2"), "{% include \"absent.j2\" %}").expect("w");
    let (_, err, code) = sortie(&["dossier", "examples/1.1-cafe-des-parents.toml", "-o", o, "--templates", m]);
    assert_eq!(code, 2);
    assert!(err.contains("modèle « absent.j2 » introuvable") && !err.contains("tried to"), "{err}");
}
