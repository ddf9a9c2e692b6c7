//! `fnp check` from the outside: what a treasurer, an instructor or a CI job sees.

use std::path::Path;

use assert_cmd::Command;

use crate::commun;
use serde_json::Value;

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary built");
    c.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    c
}

fn json(args: &[&str]) -> (Value, i32) {
    let sortie = fnp().arg("check").arg("--format").arg("json").args(args).output().expect("fnp runs");
    let v: Value = serde_json::from_slice(&sortie.stdout)
        .unwrap_or_else(|e| panic!("JSON invalide ({e}) : {}", String::from_utf8_lossy(&sortie.stdout)));
    (v, sortie.status.code().unwrap_or(-1))
}

/// The dossier of format.md gives exactly the findings, locations and budget of cli.md.
#[test]
fn json_of_the_format_md_example_matches_cli_md() {
    let (v, code) = json(&["tests/fixtures/cafe.toml"]);
    assert_eq!(code, 0, "a-verifier exits 0");
    assert_eq!(v["outil"], "fnp");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    let d = &v["dossiers"][0];
    assert_eq!(d["source"], "tests/fixtures/cafe.toml");
    assert_eq!(d["verdict"], "a-verifier");
    assert_eq!(d["exercice"], 2025);
    assert_eq!(d["axe"], 1);
    assert_eq!(d["volet"], 1);
    assert_eq!(d["type"], "cafe-des-parents");
    assert_eq!(d["compteurs"], serde_json::json!({ "erreur": 0, "avertissement": 1, "info": 2 }));
    let c = &d["constats"];
    assert_eq!(c.as_array().map(Vec::len), Some(3), "{c:#}");
    assert_eq!(c[0]["regle"], "GEN-DEPENSE-INELIGIBLE");
    assert_eq!(c[0]["gravite"], "avertissement");
    // The contract's fields as cli.md writes them, and the field's label added (docs/cli.md).
    let mut emplacement = c[0]["emplacement"].clone();
    assert_eq!(emplacement.as_object_mut().and_then(|o| o.remove("libelle")), Some(Value::from("Nature")));
    assert_eq!(
        emplacement,
        serde_json::json!({ "fichier": "tests/fixtures/cafe.toml", "ligne": 51, "colonne": 10, "champ": "depense[2].nature", "cellule": null })
    );
    assert_eq!(c[0]["source"], "003_177385de329f9a2c.txt");
    assert_eq!(c[1]["regle"], "L69-TERRITOIRE-PRIORITAIRE");
    assert_eq!(c[1]["gravite"], "info");
    let mut emplacement = c[1]["emplacement"].clone();
    assert!(emplacement.as_object_mut().and_then(|o| o.remove("libelle")).is_some());
    assert_eq!(
        emplacement,
        serde_json::json!({ "fichier": "tests/fixtures/cafe.toml", "ligne": 29, "colonne": 7, "champ": "territoire.qpv", "cellule": null })
    );
    assert_eq!(c[1]["source"], "002_274801ff0f853ea2.txt");
    // Rules v4: a reminder at the first counted staff line, naming what was written.
    assert_eq!(c[2]["regle"], "GEN-FINANCE-CAF");
    assert_eq!(c[2]["gravite"], "info");
    let mut emplacement = c[2]["emplacement"].clone();
    assert!(emplacement.as_object_mut().and_then(|o| o.remove("libelle")).is_some());
    assert_eq!(
        emplacement,
        serde_json::json!({ "fichier": "tests/fixtures/cafe.toml", "ligne": 46, "colonne": 11, "champ": "depense[1].montant", "cellule": null })
    );
    assert_eq!(c[2]["source"], "003_177385de329f9a2c.txt");
    let message = c[2]["message"].as_str().unwrap_or_default();
    assert!(message.contains("« Animatrice, heures complémentaires » (1"), "{message}");
    assert!(message.contains("finance_caf = true"), "{message}");
    assert_eq!(
        d["budget"],
        serde_json::json!({
            "total_charges": "4800.00",
            "total_eligible": "4200.00",
            "total_produits": "4800.00",
            "total_contributions": "900.00",
            "base_plafond": "4800.00",
            "plafond_caf": "3840.00",
            "financement_caf": "3000.00",
            "demande_fnp": "3000.00",
            "montant_max_fnp": "3840.00"
        })
    );
    for (cle, n) in [("dossiers", 1), ("conforme", 0), ("a-verifier", 1), ("non-conforme", 0), ("illisible", 0)] {
        assert_eq!(v["synthese"][cle], n, "synthese.{cle}");
    }
    // Added for instructors: totals of the batch.
    assert_eq!(v["synthese"]["total_demande_fnp"], "3000.00");
    assert_eq!(v["synthese"]["total_montant_max_fnp"], "3840.00");
    assert_eq!(v["synthese"]["par_volet"]["1.1"], 1);
}

#[test]
fn human_output_of_the_format_md_example() {
    let sortie = fnp().args(["check", "tests/fixtures/cafe.toml"]).output().expect("fnp runs");
    assert_eq!(sortie.status.code(), Some(0));
    insta::assert_snapshot!(commun::chemins_unix(&String::from_utf8_lossy(&sortie.stdout)));
}

/// Every typo in one pass: input findings and rule findings together, with carets.
#[test]
fn human_output_names_every_problem_with_its_line() {
    let sortie = fnp().args(["check", "tests/fixtures/erreurs.toml"]).output().expect("fnp runs");
    assert_eq!(sortie.status.code(), Some(1));
    insta::assert_snapshot!(commun::chemins_unix(&String::from_utf8_lossy(&sortie.stdout)));
}

/// A syntax error is told in French at its line, with how to write what was meant.
#[test]
fn a_french_date_in_toml_is_explained_in_french() {
    let sortie = fnp().args(["check", "tests/fixtures/habitudes-francaises.toml"]).output().expect("fnp runs");
    assert_eq!(sortie.status.code(), Some(2));
    insta::assert_snapshot!(commun::chemins_unix(&String::from_utf8_lossy(&sortie.stdout)));
}

/// Every syntax error of a file at once, in file order, each with its hint: a date written
/// the French way early in the file and an amount further down (the parser finds the amount
/// first; only it was told, and the date once the amount was fixed).
#[test]
fn every_toml_syntax_error_is_told_in_file_order() {
    let fixture = "tests/fixtures/deux-erreurs.toml";
    let sortie = fnp().args(["check", fixture]).output().expect("fnp runs");
    assert_eq!(sortie.status.code(), Some(2));
    insta::assert_snapshot!(commun::chemins_unix(&String::from_utf8_lossy(&sortie.stdout)));

    let (v, code) = json(&[fixture]);
    assert_eq!(code, 2);
    let d = &v["dossiers"][0];
    assert_eq!(d["verdict"], "illisible");
    assert_eq!(d["compteurs"]["erreur"], 2, "{d:#}");
    let c = &d["constats"];
    assert_eq!((&c[0]["regle"], &c[0]["emplacement"]["ligne"]), (&Value::from("LECTURE"), &Value::from(22)), "{c:#}");
    assert_eq!((&c[1]["regle"], &c[1]["emplacement"]["ligne"]), (&Value::from("LECTURE"), &Value::from(47)), "{c:#}");
    let message = |i: usize| c[i]["message"].as_str().unwrap_or("").to_string();
    assert!(message(0).ends_with("une date s'écrit année-mois-jour, sans guillemets : 2025-01-15"), "{c:#}");
    assert!(message(1).ends_with("s'écrit entre guillemets : \"1 800,00 €\", ou en nombre : 1800.00"), "{c:#}");

    // The machine formats carry both, in the same order.
    let texte = |format: &str| {
        let sortie = fnp().args(["check", "--format", format, fixture]).output().expect("fnp runs");
        assert_eq!(sortie.status.code(), Some(2), "{format}");
        String::from_utf8(sortie.stdout).expect("UTF-8")
    };
    let github: Vec<String> =
        texte("github").lines().filter(|l| l.starts_with("::error ")).map(str::to_string).collect();
    assert_eq!(github.len(), 2, "{github:#?}");
    assert!(github[0].contains(",line=22,") && github[1].contains(",line=47,"), "{github:#?}");
    let sarif: Value = serde_json::from_str(&texte("sarif")).expect("SARIF is JSON");
    let lignes: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["region"]["startLine"])
        .collect();
    assert_eq!(lignes, [&Value::from(22), &Value::from(47)]);
    let junit = texte("junit");
    let (date, montant) = (junit.find("deux-erreurs.toml:22:9"), junit.find("deux-erreurs.toml:47:"));
    assert!(date.is_some() && montant.is_some() && date < montant, "{junit}");
}

/// Where the parser cannot go on (a list left open reads the rest of the file inside it),
/// the first error of the file is told, at the list's opening; none of the later lines.
#[test]
fn where_the_toml_parser_cannot_go_on_the_first_error_is_told() {
    let fixture = "tests/fixtures/liste-ouverte.toml";
    let sortie = fnp().args(["check", fixture]).output().expect("fnp runs");
    assert_eq!(sortie.status.code(), Some(2));
    insta::assert_snapshot!(commun::chemins_unix(&String::from_utf8_lossy(&sortie.stdout)));
    let (v, _) = json(&[fixture]);
    let c = v["dossiers"][0]["constats"].as_array().expect("array").clone();
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0]["emplacement"]["ligne"], 24);
    assert_eq!(c[0]["emplacement"]["colonne"], 10);
    assert_eq!(
        c[0]["message"],
        "le fichier n'est pas un TOML valide : liste non fermée ; attendu : « ] » ; la suite du fichier n'a pas pu être lue"
    );
}

#[test]
fn no_colour_when_piped_or_no_color() {
    let mut c = Command::cargo_bin("fnp").expect("binary built");
    let sortie = c.args(["check", "tests/fixtures/erreurs.toml"]).env_remove("NO_COLOR").output().expect("fnp runs");
    assert!(!sortie.stdout.contains(&0x1b), "escape sequence in piped output");
    let mut c = Command::cargo_bin("fnp").expect("binary built");
    let sortie = c.args(["check", "tests/fixtures/erreurs.toml"]).env("NO_COLOR", "1").output().expect("fnp runs");
    assert!(!sortie.stdout.contains(&0x1b), "escape sequence with NO_COLOR");
}

#[test]
fn colour_when_forced() {
    let mut c = Command::cargo_bin("fnp").expect("binary built");
    let sortie = c
        .args(["check", "tests/fixtures/erreurs.toml"])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("fnp runs");
    assert!(sortie.stdout.contains(&0x1b), "CLICOLOR_FORCE should colour the output");
}

#[test]
fn exit_codes() {
    // 1: non-conforme
    fnp().args(["check", "tests/fixtures/erreurs.toml"]).assert().code(1);
    // 0: a-verifier, but 1 with --strict
    fnp().args(["check", "tests/fixtures/cafe.toml"]).assert().code(0);
    fnp().args(["check", "--strict", "tests/fixtures/cafe.toml"]).assert().code(1);
    // 2: a file that does not exist, alone or in a batch
    fnp().args(["check", "tests/fixtures/absent.toml"]).assert().code(2);
    fnp().args(["check", "tests/fixtures/cafe.toml", "tests/fixtures/absent.toml"]).assert().code(2);
    // 2: bad usage
    fnp().args(["check"]).assert().code(2);
    fnp().args(["check", "--format", "yaml", "tests/fixtures/cafe.toml"]).assert().code(2);
    fnp().args(["frobnicate"]).assert().code(2);
}

#[test]
fn unreadable_file_in_a_batch_is_illisible_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy("tests/fixtures/cafe.toml", dir.path().join("a-cafe.toml")).expect("copy");
    std::fs::write(dir.path().join("b-casse.toml"), "format = 1\nexercice = = 2025\n").expect("write");
    std::fs::write(dir.path().join("c-binaire.toml"), [0xff, 0xfe, 0x00, 0x12]).expect("write");
    std::fs::write(dir.path().join("notes.txt"), "pas un dossier").expect("write");
    let (v, code) = json(&[dir.path().to_str().expect("utf-8 path")]);
    assert_eq!(code, 2);
    let verdicts: Vec<&str> =
        v["dossiers"].as_array().expect("array").iter().map(|d| d["verdict"].as_str().unwrap_or("")).collect();
    assert_eq!(verdicts, ["a-verifier", "illisible", "illisible"], "{v:#}");
    let casse = &v["dossiers"][1];
    assert_eq!(casse["constats"][0]["regle"], "LECTURE");
    assert_eq!(casse["constats"][0]["emplacement"]["ligne"], 2);
    assert_eq!(casse["budget"], Value::Null);
    assert!(v["dossiers"][2]["constats"][0]["message"].as_str().unwrap_or("").contains("UTF-8"));
    assert_eq!(v["synthese"]["illisible"], 2);
}

#[test]
fn empty_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sortie = fnp().arg("check").arg(dir.path()).output().expect("fnp runs");
    assert_eq!(sortie.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&sortie.stderr).contains("aucun dossier"));
}

#[test]
fn quiet_prints_one_line_per_dossier() {
    let sortie = fnp()
        .args(["check", "--quiet", "tests/fixtures/cafe.toml", "tests/fixtures/erreurs.toml"])
        .output()
        .expect("fnp runs");
    let texte = commun::chemins_unix(&String::from_utf8_lossy(&sortie.stdout));
    let lignes: Vec<&str> = texte.lines().filter(|l| !l.starts_with("  ")).collect();
    assert_eq!(lignes.len(), 3, "{texte}");
    assert!(lignes[0].starts_with("tests/fixtures/cafe.toml : à vérifier"));
    assert!(lignes[1].starts_with("tests/fixtures/erreurs.toml : non conforme"));
    assert!(lignes[2].starts_with("Synthèse : 2 dossiers"));
    assert!(texte.contains("règles les plus fréquentes : "), "{texte}");
    assert!(texte.contains("demandé au FNP : 3\u{202f}000,00\u{a0}€"), "{texte}");
}

/// One line per dossier, but an unreadable one says why under its line (issue 33: the
/// drop script's console showed « illisible » and left the reason to the report).
#[test]
fn quiet_says_why_a_file_is_unreadable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let casse = dir.path().join("casse.xlsx");
    std::fs::write(&casse, b"PK\x03\x04abime").expect("write");
    let sortie =
        fnp().args(["check", "--quiet"]).arg(&casse).arg("tests/fixtures/cafe.toml").output().expect("fnp runs");
    let texte = String::from_utf8_lossy(&sortie.stdout);
    let lignes: Vec<&str> = texte.lines().collect();
    let i = lignes.iter().position(|l| l.ends_with("casse.xlsx : illisible")).unwrap_or_else(|| panic!("{texte}"));
    assert!(lignes[i + 1].starts_with("  classeur tronqué ou abîmé"), "{texte}");
    assert!(!texte.contains("GEN-DEPENSE-INELIGIBLE]"), "findings of a readable dossier stay in the report: {texte}");
}

/// A rule keeper changes a threshold in a copy of the pack: no Rust change, another verdict.
#[test]
fn rules_from_disk_change_the_verdict() {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in ["national.toml", "rhone.toml"] {
        std::fs::copy(Path::new("rules").join(f), dir.path().join(f)).expect("copy");
    }
    let exemple = "examples/3.1-lieu-ressource.toml";
    let (avant, code) = json(&["--rules", dir.path().to_str().expect("utf-8"), exemple]);
    assert_eq!(code, 0, "{avant:#}");
    let national = dir.path().join("national.toml");
    let texte = std::fs::read_to_string(&national).expect("read");
    let modifie = texte.replace(
        "parametres.min = { champ = \"lieu.demi_journees_ouverture\", valeur = 5 }",
        "parametres.min = { champ = \"lieu.demi_journees_ouverture\", valeur = 12 }",
    );
    assert_ne!(texte, modifie, "the threshold line moved");
    std::fs::write(&national, modifie).expect("write");
    let (apres, code) = json(&["--rules", dir.path().to_str().expect("utf-8"), exemple]);
    assert_eq!(code, 1);
    let regles: Vec<&str> = apres["dossiers"][0]["constats"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["regle"].as_str())
        .collect();
    assert!(regles.contains(&"A3V1-OUVERTURE"), "{apres:#}");
    let message = apres["dossiers"][0]["constats"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("12"), "the message names the new threshold: {message}");
}

#[test]
fn invalid_rule_pack_is_exit_2_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let texte = std::fs::read_to_string("rules/national.toml").expect("read");
    let casse = texte.replacen("verification = \"intervalle\"", "verification = \"intervale\"", 1);
    std::fs::write(dir.path().join("national.toml"), casse).expect("write");
    let sortie =
        fnp().arg("check").arg("--rules").arg(dir.path()).arg("tests/fixtures/cafe.toml").output().expect("runs");
    assert_eq!(sortie.status.code(), Some(2));
    let err = String::from_utf8_lossy(&sortie.stderr);
    assert!(err.contains("national.toml:") && err.contains("intervale") && err.contains("intervalle"), "{err}");
}

#[test]
fn every_example_is_conforme() {
    let (v, code) = json(&["examples"]);
    assert_eq!(code, 0, "{v:#}");
    let dossiers = v["dossiers"].as_array().expect("array");
    assert!(dossiers.len() >= 9, "one example per axe/volet family");
    for d in dossiers {
        assert_eq!(d["verdict"], "conforme", "{} : {:#}", d["source"], d["constats"]);
    }
    let mut familles: Vec<String> = dossiers.iter().map(|d| format!("{}.{}", d["axe"], d["volet"])).collect();
    familles.sort();
    familles.dedup();
    for av in ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1"] {
        assert!(familles.contains(&av.to_string()), "no example for {av}");
    }
}

#[test]
fn help_is_french() {
    let sortie = fnp().args(["check", "--help"]).output().expect("runs");
    let aide = String::from_utf8_lossy(&sortie.stdout);
    assert!(aide.contains("Utilisation"), "{aide}");
    assert!(aide.contains("Format de sortie"), "{aide}");
    // Every command's help, both ways of asking: French headings, values, defaults, examples.
    for commande in [
        &["check"][..],
        &["budget"],
        &["dossier"],
        &["init"],
        &["template"],
        &["convert"],
        &["explain"],
        &["rules"],
        &["rules", "list"],
        &["rules", "lint"],
        &["rules", "test"],
        &["rules", "impact"],
        &["completions"],
        &["man"],
    ] {
        let par_help = fnp().arg("help").args(commande).output().expect("runs");
        let par_option = fnp().args(commande).arg("--help").output().expect("runs");
        assert_eq!(par_help.status.code(), Some(0), "{commande:?}");
        let aide = String::from_utf8_lossy(&par_help.stdout).into_owned();
        assert_eq!(aide, String::from_utf8_lossy(&par_option.stdout), "{commande:?}");
        assert!(aide.contains("Exemples :") && aide.contains("Utilisation : fnp"), "{commande:?}: {aide}");
        for anglais in ["Possible values", "[default:", "Usage:", "Print help", "<COMMAND>", "Commands:"] {
            assert!(!aide.contains(anglais), "{commande:?}: « {anglais} » in\n{aide}");
        }
    }
    let aide = String::from_utf8_lossy(&fnp().args(["budget", "--help"]).output().expect("runs").stdout).into_owned();
    assert!(aide.contains("Valeurs possibles :") && aide.contains("Par défaut : table"), "{aide}");
    // A mistyped command: French, with clap's suggestion, exit 2.
    let sortie = fnp().args(["chek", "projet.toml"]).output().expect("runs");
    assert_eq!(sortie.status.code(), Some(2));
    let err = String::from_utf8_lossy(&sortie.stderr);
    assert!(err.contains("commande « chek » inconnue ; vouliez-vous dire « check » ?"), "{err}");
    assert!(!err.contains("error") && !err.contains("tip"), "{err}");
}

/// Shell completions and man pages, generated from the command line itself, in French.
#[test]
fn completions_and_man_pages() {
    for (shell, attendu) in [
        ("bash", "_fnp()"),
        ("zsh", "#compdef fnp"),
        ("fish", "complete -c fnp"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let sortie = fnp().args(["completions", shell]).output().expect("runs");
        assert_eq!(sortie.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&sortie.stdout);
        assert!(script.contains(attendu) && script.contains("check") && script.contains("format"), "{shell}: {script}");
    }
    let man = String::from_utf8_lossy(&fnp().arg("man").output().expect("runs").stdout).into_owned();
    assert!(man.contains(".TH fnp") && man.contains(".SH NOM") && man.contains(".SH COMMANDES"), "{man}");
    assert!(!man.contains(".SH NAME") && !man.contains("Print help"), "{man}");
    let man =
        String::from_utf8_lossy(&fnp().args(["man", "rules", "lint"]).output().expect("runs").stdout).into_owned();
    assert!(man.contains("fnp\\-rules\\-lint") && man.contains("Vérifie un pack de règles"), "{man}");
    let sortie = fnp().args(["man", "chek"]).output().expect("runs");
    assert_eq!(sortie.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&sortie.stderr).contains("vouliez-vous dire « check »"));
}

/// `-` is a TOML dossier on standard input, for check, budget, dossier and convert.
#[test]
fn standard_input_is_a_toml_dossier() {
    let texte = std::fs::read("examples/1.1-cafe-des-parents.toml").expect("read");
    for args in [&["check", "-"][..], &["budget", "-"], &["dossier", "-", "-o", "-"], &["convert", "-", "-o", "-"]] {
        let sortie = fnp().args(args).write_stdin(texte.clone()).output().expect("runs");
        let out = String::from_utf8_lossy(&sortie.stdout);
        assert_eq!(sortie.status.code(), Some(0), "{args:?}: {out}{}", String::from_utf8_lossy(&sortie.stderr));
        assert!(out.contains("Café des parents") || out.contains("(entrée standard)"), "{args:?}: {out}");
    }
    let sortie = fnp().args(["check", "-"]).write_stdin("format = 1\nexercice = \n").output().expect("runs");
    assert_eq!(sortie.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&sortie.stdout).contains("(entrée standard)"));
}

/// The document's format follows the extension of -o; a contradiction is a usage error.
#[test]
fn the_document_format_follows_the_output_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = dir.path().join("dossier.md");
    let sortie = fnp().args(["dossier", "examples/1.1-cafe-des-parents.toml", "-o"]).arg(&md).output().expect("runs");
    assert_eq!(sortie.status.code(), Some(0));
    let texte = std::fs::read_to_string(&md).expect("written");
    assert!(texte.starts_with("# Demande de financement") && !texte.contains("<html"), "{texte}");
    let html = dir.path().join("dossier.html");
    let sortie = fnp().args(["dossier", "examples/1.1-cafe-des-parents.toml", "-o"]).arg(&html).output().expect("runs");
    assert_eq!(sortie.status.code(), Some(0));
    assert!(std::fs::read_to_string(&html).expect("written").contains("<html"));
    let autre = dir.path().join("autre.md");
    let sortie = fnp()
        .args(["dossier", "examples/1.1-cafe-des-parents.toml", "--format", "html", "-o"])
        .arg(&autre)
        .output()
        .expect("runs");
    assert_eq!(sortie.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&sortie.stderr).contains("--format html contredit l'extension"));
    assert!(!autre.exists(), "nothing written on a usage error");
}

/// A batch says which files it passed over, and which kinds it reads.
#[test]
fn a_batch_counts_the_files_it_skips() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy("examples/1.1-cafe-des-parents.toml", dir.path().join("a.toml")).expect("copy");
    std::fs::copy("examples/1.1-conference.toml", dir.path().join("b.toml")).expect("copy");
    for f in ["notice.pdf", "courrier.docx", "annexe.pdf"] {
        std::fs::write(dir.path().join(f), "x").expect("write");
    }
    let sortie = fnp().arg("check").arg(dir.path()).output().expect("runs");
    let out = String::from_utf8_lossy(&sortie.stdout);
    assert!(out.contains("3 fichiers ignorés : .docx (1), .pdf (2)"), "{out}");
    assert!(out.contains("Synthèse : 2 dossiers"), "{out}");
    let vide = tempfile::tempdir().expect("tempdir");
    let sortie = fnp().arg("check").arg(vide.path()).output().expect("runs");
    let err = String::from_utf8_lossy(&sortie.stderr);
    assert!(err.contains(".toml, .xlsx, .xlsm, .xls, .ods et les répertoires CSV"), "{err}");
}

/// A local pack may use the national families; an unknown family or type is a pack error,
/// not a rule that silently matches nothing.
#[test]
fn unknown_family_in_a_pack_is_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy("rules/national.toml", dir.path().join("national.toml")).expect("copy");
    let rhone = std::fs::read_to_string("rules/rhone.toml").expect("read");
    let casse = rhone.replace("portee.familles = [\"collectifs\"]", "portee.familles = [\"colectifs\"]");
    assert_ne!(rhone, casse);
    std::fs::write(dir.path().join("rhone.toml"), casse).expect("write");
    let sortie =
        fnp().arg("check").arg("--rules").arg(dir.path()).arg("tests/fixtures/cafe.toml").output().expect("runs");
    assert_eq!(sortie.status.code(), Some(2));
    let err = String::from_utf8_lossy(&sortie.stderr);
    assert!(err.contains("rhone.toml:") && err.contains("colectifs"), "{err}");
}

/// rules v2: a finding names its source by title and its place in words, in the JSON too;
/// for a workbook, by its cell.
#[test]
fn findings_name_their_source_by_title_and_their_place_in_words() {
    let (v, _) = json(&["tests/fixtures/classeurs/cafe-libreoffice.xlsx"]);
    let c = &v["dossiers"][0]["constats"][0];
    assert_eq!(c["regle"], "GEN-DEPENSE-INELIGIBLE", "{c:#}");
    assert_eq!(c["lieu"], "Dépenses, ligne 3 — Nature (Dépenses!A4)");
    assert_eq!(c["source"], "003_177385de329f9a2c.txt");
    assert_eq!(c["source_titre"], "Cnaf — Fonds national parentalité, fiches thématiques par axe et par volet");
    let sortie = fnp().args(["check", "tests/fixtures/classeurs/cafe-libreoffice.xlsx"]).output().expect("runs");
    let texte = String::from_utf8_lossy(&sortie.stdout);
    assert!(!texte.contains(".txt"), "{texte}");
    assert!(texte.contains("source : Cnaf — Fonds national parentalité"), "{texte}");
}

/// rules v2: "1.200" may be 1 200 € or 1,20 €: refused with both readings, never guessed.
#[test]
fn ambiguous_amounts_are_refused_with_both_readings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("ambigu.toml");
    let texte = std::fs::read_to_string("tests/fixtures/cafe.toml").expect("read");
    let texte =
        texte.replacen("montant = 3000", "montant = \"3.000\"", 1).replacen("montant = 1800", "montant = 1.800", 1);
    assert!(texte.contains("\"3.000\"") && texte.contains("= 1.800"));
    std::fs::write(&f, texte).expect("write");
    let (v, code) = json(&[f.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{v:#}");
    let messages: Vec<&str> = v["dossiers"][0]["constats"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|c| c["regle"] == "SAISIE-MONTANT")
        .filter_map(|c| c["message"].as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{v:#}");
    assert!(messages.iter().any(|m| m.contains("écrivez \"3 000\" ou \"3,00\"")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("écrivez \"1 800\" ou \"1,80\"")), "{messages:?}");
    assert!(v["dossiers"][0]["budget"].is_null(), "no budget computed from a guessed amount");
}

/// French ways of writing are told exactly what to write instead.
#[test]
fn french_writing_gets_the_exact_rewrite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("francais.toml");
    let texte = std::fs::read_to_string("tests/fixtures/cafe.toml").expect("read");
    let texte = texte
        .replacen("montant = 3000", "montant = \"3000 euros\"", 1)
        .replacen("montant = 1800", "montant = \"1.800,00\"", 1)
        .replacen("financeur = \"commune\"", "financeur = \"mairie\"", 1)
        .replacen("debut = 2025-01-08", "debut = \"08-01-2025\"", 1);
    std::fs::write(&f, &texte).expect("write");
    let (v, _) = json(&[f.to_str().expect("utf-8")]);
    let messages: Vec<String> = v["dossiers"][0]["constats"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["message"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let tous = messages.join("\n");
    for attendu in
        ["écrivez \"3000 €\"", "écrivez \"1 800,00\"", "vouliez-vous dire \"commune\" ?", "debut = 2025-01-08"]
    {
        assert!(tous.contains(attendu), "{attendu}:\n{tous}\n{texte}");
    }
    // An ISO date without its zeros is a TOML syntax error: the exact date to write.
    std::fs::write(&f, texte.replacen("fin = 2025-12-17", "fin = 2025-12-7", 1)).expect("write");
    let (v, _) = json(&[f.to_str().expect("utf-8")]);
    let message = v["dossiers"][0]["constats"].to_string();
    assert!(
        message.contains("s'écrit avec deux chiffres pour le mois et pour le jour : écrivez 2025-12-07"),
        "{message}"
    );
}

/// The README's « Le dossier en bref » is a dossier that passes `fnp check` as written
/// (issue 21, item 8): a reader who copies it starts from a conforme dossier.
#[test]
fn the_readme_dossier_passes_check_as_written() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let section = readme.split("## Le dossier en bref").nth(1).expect("the section");
    let debut = section.find("```toml\n").expect("a TOML block") + "```toml\n".len();
    let fin = debut + section[debut..].find("\n```").expect("its end");
    let dir = tempfile::tempdir().expect("tempdir");
    let chemin = dir.path().join("projet.toml");
    std::fs::write(&chemin, &section[debut..=fin]).expect("write");
    let sortie = fnp().arg("check").arg(&chemin).output().expect("runs");
    let texte = String::from_utf8_lossy(&sortie.stdout);
    assert_eq!(sortie.status.code(), Some(0), "{texte}");
    assert!(texte.contains(": conforme (0 erreur, 0 avertissement, 0 information)"), "{texte}");
}

/// `fnp help check` names every file of `--report`, `constats.csv` included.
#[test]
fn help_check_names_every_report_file() {
    let aide = fnp().args(["help", "check"]).output().expect("runs");
    let aide = String::from_utf8_lossy(&aide.stdout);
    for f in ["synthese.csv", "constats.csv", "synthese.json", "rapport.html"] {
        assert!(aide.contains(f), "{f} missing in\n{aide}");
    }
}

/// Bash completion offers the action types after `--type` and the rule ids after `fnp
/// explain` and `--deny` (issue 21, item 8), taken from the embedded packs.
#[test]
#[cfg_attr(windows, ignore = "bash is not there under wine (nor on an instructor's Windows)")]
fn bash_completion_offers_types_and_rule_ids() {
    let script = fnp().args(["completions", "bash"]).output().expect("runs");
    assert_eq!(script.status.code(), Some(0));
    let dir = tempfile::tempdir().expect("tempdir");
    let chemin = dir.path().join("fnp.bash");
    std::fs::write(&chemin, &script.stdout).expect("write");
    // What bash offers for the words typed so far (the last one being completed).
    let propose = |mots: &[&str]| -> String {
        let n = mots.len() - 1;
        let code = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={n}; _fnp fnp {} {}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            chemin.display(),
            mots.join(" "),
            mots[n],
            mots[n - 1]
        );
        let o = std::process::Command::new("bash").args(["--norc", "-c", &code]).output().expect("bash runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(propose(&["fnp", "explain", "A3V1-OUV"]).trim(), "A3V1-OUVERTURE");
    assert!(propose(&["fnp", "explain", "BILAN-"]).lines().any(|l| l == "BILAN-PLAFOND-CAF"));
    assert_eq!(propose(&["fnp", "init", "--type", "cafe"]).trim(), "cafe-des-parents");
    assert_eq!(propose(&["fnp", "template", "--type", "lieu"]).trim(), "lieu-ressource");
    assert_eq!(propose(&["fnp", "check", "--deny", "GEN-CE"]).trim(), "GEN-CER");
    // The command line itself still takes any value and answers in French.
    let o = fnp().args(["explain", "PAS-UNE-REGLE"]).output().expect("runs");
    assert_ne!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("possible values"), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A workbook piped on standard input is named as such (issue 21, item 8): `cat x.xlsx |
/// fnp check -` says that a workbook came where only TOML is read, not that the text is not
/// UTF-8; an xls (OLE) likewise.
#[test]
fn a_workbook_on_standard_input_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("dossier.xlsx");
    fnp().args(["convert", "tests/fixtures/cafe.toml", "-o"]).arg(&xlsx).assert().code(0);
    let ole = [0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
    for (octets, genre) in [(std::fs::read(&xlsx).expect("xlsx"), "xlsx, xlsm ou ods"), (ole.to_vec(), "xls")] {
        let o = fnp().args(["check", "-"]).write_stdin(octets).output().expect("runs");
        assert_eq!(o.status.code(), Some(2), "unreadable");
        let texte = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert!(texte.contains("l'entrée standard contient un classeur ("), "{texte}");
        assert!(texte.contains(genre) && texte.contains("donnez le classeur par son chemin"), "{texte}");
        assert!(!texte.contains("UTF-8"), "{texte}");
    }
}

/// The action type written as its French label, the one documents show (« Maison des 1000
/// premiers jours » for `maison-1000-jours`), is understood by `check` and `init`.
#[test]
fn the_type_written_as_its_french_label_is_understood() {
    let texte = std::fs::read_to_string("examples/3.1-maison-1000-jours.toml").expect("example");
    let libelle = texte.replace("type = \"maison-1000-jours\"", "type = \"Maison des 1000 premiers jours\"");
    assert_ne!(libelle, texte);
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("m.toml");
    std::fs::write(&p, &libelle).expect("write");
    let (v, code) = json(&[p.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{v:#}");
    let regles: Vec<&str> =
        v["dossiers"][0]["constats"].as_array().expect("constats").iter().filter_map(|c| c["regle"].as_str()).collect();
    assert!(!regles.contains(&"GEN-TYPE-ACTION"), "{regles:?}");
    let sortie = dir.path().join("projet.toml");
    let o = fnp()
        .args(["init", "--type", "Groupe d'information des 1000 premiers jours", "-o"])
        .arg(&sortie)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read_to_string(&sortie).expect("projet").contains("type = \"groupe-1000-jours-information\""));
}

/// Enumerated values as people write them: a code with capitals and accents (« Petit
/// matériel »), a French label (« Caf : Fonds national parentalité », « Association »): read
/// as the value they name, the same dossier as with the codes.
#[test]
fn enumerated_values_are_read_as_people_write_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exemple = std::fs::read_to_string("examples/1.1-cafe-des-parents.toml").expect("example");
    let ecrit = exemple
        .replace("nature = \"petit-materiel\"", "nature = \"Petit matériel\"")
        .replace("financeur = \"caf-fnp\"", "financeur = \"Caf : Fonds national parentalité\"")
        .replace("statut = \"association\"", "statut = \"Association\"");
    assert_ne!(ecrit, exemple);
    let chemin = dir.path().join("ecrit.toml");
    std::fs::write(&chemin, ecrit).expect("write");
    let (v, code) = json(&[chemin.to_str().expect("utf8")]);
    let (attendu, code_attendu) = json(&["examples/1.1-cafe-des-parents.toml"]);
    assert_eq!(code, code_attendu, "{v:#}");
    assert_eq!(v["dossiers"][0]["verdict"], attendu["dossiers"][0]["verdict"], "{v:#}");
    assert_eq!(v["dossiers"][0]["budget"], attendu["dossiers"][0]["budget"]);
}

/// `fnp drop`, what `verifier-un-dossier.cmd` runs (hostile round 4): the dropped paths come
/// from cmd's own command line as the Explorer wrote it, a name holding `&` or `,` is one
/// folder, checked itself, its report beside it; a report folder fnp did not create is never
/// written; dropped again, fnp replaces its own report; nothing dropped says how to use it.
#[test]
fn a_dropped_folder_is_checked_whatever_its_name_and_only_fnps_folders_are_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let depot = |ligne: &str| {
        let o = std::process::Command::new(assert_cmd::cargo::cargo_bin("fnp"))
            .arg("drop")
            .env("NO_COLOR", "1")
            .env("FNP_SANS_PAUSE", "1")
            .env("FNP_SANS_OUVRIR", "1")
            .env("FNP_SCRIPT", r"C:\fnp\verifier-un-dossier.cmd")
            .env("FNP_LIGNE_DEPOT", ligne)
            .current_dir(dir.path())
            .output()
            .expect("runs");
        (String::from_utf8_lossy(&o.stdout).into_owned(), o.status.code())
    };
    let ligne = |chemin: &str| format!(r#"C:\windows\system32\cmd.exe /c ""C:\fnp\verifier-un-dossier.cmd" {chemin}""#);
    for nom in ["Retours&injecte", "Retours,2025", "A^B;C=D"] {
        let d = dir.path().join(nom);
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::create_dir_all(dir.path().join("Retours")).expect("mkdir");
        std::fs::copy("tests/fixtures/classeurs/cafe-libreoffice.xlsx", d.join("a.xlsx")).expect("copy");
        let (sortie, code) = depot(&ligne(&d.to_string_lossy()));
        assert_eq!(code, Some(0), "{sortie}");
        let rapport = dir.path().join(format!("{nom} - rapport fnp"));
        assert!(rapport.join("rapport.html").is_file(), "{nom}: {sortie}");
        assert!(dir.path().join(format!("{nom} - copies annotées fnp")).join("a.annote.xlsx").is_file());
        assert!(!dir.path().join("Retours - rapport fnp").exists(), "{nom}: another folder was checked");
        assert!(sortie.contains("Résultat : aucun dossier non conforme."), "{sortie}");
        // Dropped again: fnp's own report is replaced.
        let (sortie, code) = depot(&ligne(&d.to_string_lossy()));
        assert_eq!(code, Some(0), "{sortie}");
    }
    // A folder of the report's name that fnp did not create: nothing is written there.
    let d = dir.path().join("Autre");
    std::fs::create_dir_all(d.join("sous")).expect("mkdir");
    std::fs::copy("tests/fixtures/classeurs/cafe-libreoffice.xlsx", d.join("a.xlsx")).expect("copy");
    let etranger = dir.path().join("Autre - rapport fnp");
    std::fs::create_dir_all(&etranger).expect("mkdir");
    std::fs::write(etranger.join("synthese.csv"), "à garder").expect("w");
    let (sortie, code) = depot(&ligne(&d.to_string_lossy()));
    assert_eq!(code, Some(2), "{sortie}");
    assert!(sortie.contains("n'a pas été créé par fnp"), "{sortie}");
    assert_eq!(std::fs::read_to_string(etranger.join("synthese.csv")).expect("read"), "à garder");
    // Nothing dropped (a double click on the script): how to use it, exit 2.
    let (sortie, code) = depot(&ligne(""));
    assert_eq!(code, Some(2));
    assert!(sortie.contains("glissez sur verifier-un-dossier.cmd"), "{sortie}");
}
