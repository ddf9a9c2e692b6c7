//! The treasurer's documents from the outside: `fnp budget`, `fnp dossier`, `fnp init`.

use std::path::Path;

use assert_cmd::Command;

use crate::commun;
use serde_json::Value;

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary built");
    c.env("NO_COLOR", "1").env("SOURCE_DATE_EPOCH", "1795996800"); // 30/11/2026
    c
}

fn sortie(args: &[&str]) -> (String, i32) {
    let o = fnp().args(args).output().expect("fnp runs");
    (String::from_utf8_lossy(&o.stdout).into_owned(), o.status.code().unwrap_or(-1))
}

#[test]
fn budget_in_every_format() {
    for format in ["table", "md", "csv", "json"] {
        let (texte, code) = sortie(&["budget", "--format", format, "tests/fixtures/cafe.toml"]);
        assert_eq!(code, 0, "{format}");
        insta::assert_snapshot!(format!("budget_{format}"), texte);
    }
}

#[test]
fn budget_csv_opens_in_french_excel() {
    let o = fnp().args(["budget", "--format", "csv", "tests/fixtures/cafe.toml"]).output().expect("runs");
    assert!(o.stdout.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM");
    let texte = String::from_utf8_lossy(&o.stdout);
    assert!(texte.lines().nth(1).is_some_and(|l| l.contains(";2400,00;")), "{texte}");
}

#[test]
fn budget_json_figures_match_check() {
    let (texte, _) = sortie(&["budget", "--format", "json", "tests/fixtures/cafe.toml"]);
    let v: Value = serde_json::from_str(&texte).expect("JSON");
    assert_eq!(v["fnp"]["montant_max_fnp"], "3840.00");
    assert_eq!(v["fnp"]["part_demande"], "62.50");
    assert_eq!(v["charges"][2]["lignes"][0]["regle"], "GEN-DEPENSE-INELIGIBLE");
}

#[test]
fn budget_of_an_unreadable_dossier_is_exit_2() {
    let o = fnp().args(["budget", "tests/fixtures/erreurs.toml"]).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("erreurs.toml:43:11"), "{err}");
}

#[test]
fn dossier_documents_of_every_example() {
    // The dossiers of examples/ (the bilans of examples/bilan/ have their own tests).
    let mut exemples: Vec<_> =
        std::fs::read_dir("examples").expect("examples").flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    exemples.sort();
    for chemin in exemples {
        let nom = chemin.file_stem().and_then(|s| s.to_str()).expect("name").to_string();
        let p = chemin.to_str().expect("utf-8");
        let (md, code) = sortie(&["dossier", "--format", "md", "-o", "-", p]);
        assert_eq!(code, 0, "{nom}");
        // The file named as the system writes it: on Windows `examples\…` (a backslash
        // escaped in Markdown); the snapshot holds the Unix form.
        let md = if cfg!(windows) {
            let natif = format!("examples\\\\{nom}.toml");
            assert!(md.contains(&natif), "{nom}: {natif} in\n{md}");
            md.replace(&natif, &format!("examples/{nom}.toml"))
        } else {
            md
        };
        insta::assert_snapshot!(format!("dossier_md_{nom}"), md);
        let (html, code) = sortie(&["dossier", "-o", "-", p]);
        assert_eq!(code, 0, "{nom}");
        for section in [
            "1. Le porteur",
            "2. L'action",
            "3. Modalités",
            "4. Budget prévisionnel",
            "5. Plan de financement",
            "6. Indicateurs",
            "7. Points de vigilance",
            "8. Attestation",
        ] {
            assert!(html.contains(section), "{nom}: {section}");
        }
        assert!(
            !html.contains("http://")
                && !html.contains("https://")
                && !html.contains("<link")
                && !html.contains("src="),
            "{nom}: external asset"
        );
        insta::assert_snapshot!(format!("dossier_html_{nom}"), commun::chemins_unix_html(&html));
    }
}

#[test]
fn nothing_in_a_dossier_can_inject_markup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let texte = std::fs::read_to_string("tests/fixtures/cafe.toml").expect("read");
    let piege = texte
        .replace("Café des parents du mercredi", "<script>alert(1)</script> **gras** [lien](http://x) | =1+1")
        .replace("Quote-part du loyer de l'association", "<img src=x onerror=alert(1)>");
    let f = dir.path().join("piege.toml");
    std::fs::write(&f, piege).expect("write");
    let p = f.to_str().expect("utf-8");
    let (html, _) = sortie(&["dossier", "-o", "-", p]);
    assert!(!html.contains("<script>alert") && !html.contains("<img src=x"), "raw markup in HTML");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;"), "escaped text shown");
    let (md, _) = sortie(&["dossier", "--format", "md", "-o", "-", p]);
    assert!(
        md.contains("\\<script\\>")
            && md.contains("\\*\\*gras\\*\\*")
            && md.contains("\\[lien\\]")
            && md.contains("\\|"),
        "{md}"
    );
    let (budget_md, _) = sortie(&["budget", "--format", "md", p]);
    assert!(budget_md.contains("\\<img src=x onerror=alert(1)\\>"), "{budget_md}");
    let (csv, _) = sortie(&["budget", "--format", "csv", p]);
    assert!(!csv.lines().any(|l| l.split(';').any(|c| c.trim_matches('"').starts_with('='))), "{csv}");
}

#[test]
fn dossier_output_is_never_overwritten_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cible = dir.path().join("dossier.html");
    std::fs::write(&cible, "à garder").expect("write");
    let c = cible.to_str().expect("utf-8");
    let o = fnp().args(["dossier", "tests/fixtures/cafe.toml", "-o", c]).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&cible).expect("read"), "à garder");
    fnp().args(["dossier", "tests/fixtures/cafe.toml", "-o", c, "--force"]).assert().code(0);
    assert!(std::fs::read_to_string(&cible).expect("read").starts_with("<!DOCTYPE html>"));
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1, "no temporary file left");
    let absent = dir.path().join("absent").join("d.html");
    let o = fnp()
        .args(["dossier", "tests/fixtures/cafe.toml", "-o", absent.to_str().expect("utf-8")])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("n'existe pas"));
}

#[test]
fn templates_can_be_overridden_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("dossier.md.j2"),
        "Porteur : {{ dossier.porteur.nom }} ; demande {{ budget.fnp.demande_fnp | euros }}\n",
    )
    .expect("write");
    let (texte, code) = sortie(&[
        "dossier",
        "--format",
        "md",
        "--templates",
        dir.path().to_str().expect("utf-8"),
        "-o",
        "-",
        "tests/fixtures/cafe.toml",
    ]);
    assert_eq!(code, 0);
    assert_eq!(texte, "Porteur : Association Les Petits Pas ; demande 3\u{202f}000,00\u{a0}€\n");
}

/// What a treasurer types in place of each placeholder, by key.
fn remplir(modele: &str) -> String {
    let mut sortie = String::new();
    let mut section = String::new();
    let mut recettes = 0;
    for ligne in modele.lines() {
        let t = ligne.trim();
        if t.starts_with('[') {
            section = t.trim_matches(|c| c == '[' || c == ']').to_string();
            if section == "recette" {
                recettes += 1;
            }
        }
        if t.starts_with("exercice =") {
            sortie.push_str("exercice = 2025\n");
            continue;
        }
        let Some((cle, valeur)) = t.split_once(" = ") else {
            sortie.push_str(ligne);
            sortie.push('\n');
            continue;
        };
        if !valeur.contains("À COMPLÉTER") {
            sortie.push_str(ligne);
            sortie.push('\n');
            continue;
        }
        let v = match (section.as_str(), cle) {
            (_, "departement") => "\"38\"".to_string(),
            ("porteur", "statut") => "\"association\"".into(),
            ("porteur", "finance_caf") | ("territoire", "centre_social") => "false".into(),
            ("action", "debut") => "2025-01-06".into(),
            ("action", "fin") => "2025-12-19".into(),
            ("action", "age_enfants") => "[0, 3]".into(),
            ("territoire", "communes") => "[\"Grenoble\"]".into(),
            ("groupe", "participants_min") => "8".into(),
            ("groupe", "participants_max") => "10".into(),
            ("groupe", "seances") => "10".into(),
            ("lieu", "demi_journees_ouverture") => "6".into(),
            ("lieu", "etp_referent") => "0.5".into(),
            ("telephonie", "ecoutants") => "[\"psychologue\", \"travailleur-social\"]".into(),
            ("action", "partenaires") => "[\"laep\", \"mediation-familiale\"]".into(),
            ("telephonie", "plages") => "[\"journee\", \"soiree\"]".into(),
            ("indicateurs", _) => "10".into(),
            ("depense", "montant") => "750".into(),
            ("recette", "montant") => if recettes == 1 { "1000" } else { "500" }.into(),
            (_, _)
                if valeur == "\"À COMPLÉTER\""
                    && matches!(cle, "intitule" | "description" | "nom" | "libelle" | "frequence") =>
            {
                "\"Valeur saisie\"".into()
            }
            _ => "true".into(),
        };
        let indentation = &ligne[..ligne.len() - ligne.trim_start().len()];
        sortie.push_str(&format!("{indentation}{cle} = {v}\n"));
    }
    sortie
}

#[test]
fn init_for_every_type_passes_check_once_filled() {
    let regles = fnp::rules::Regles::embarquees().expect("packs");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut n = 0;
    for (volet, v) in &regles.national().volets {
        let (axe, vol) = volet.split_once('.').expect("a.v");
        for t in &v.types {
            let (modele, code) = sortie(&["init", "--axe", axe, "--volet", vol, "--type", t, "-o", "-"]);
            assert_eq!(code, 0, "{t}");
            // Unfilled, every placeholder is flagged.
            let brut = dir.path().join(format!("{t}-brut.toml"));
            std::fs::write(&brut, &modele).expect("write");
            let (json, _) = sortie(&["check", "--format", "json", brut.to_str().expect("utf-8")]);
            let v: Value = serde_json::from_str(&json).expect("JSON");
            let a_completer = v["dossiers"][0]["constats"]
                .as_array()
                .expect("array")
                .iter()
                .filter(|c| c["regle"] == "SAISIE-A-COMPLETER")
                .count();
            assert_eq!(
                a_completer,
                modele.matches("= \"À COMPLÉTER\"").count() + modele.matches("[\"À COMPLÉTER\"]").count(),
                "{t}"
            );
            // Filled, it passes (the two types the fund always flags excepted).
            let rempli = dir.path().join(format!("{t}.toml"));
            std::fs::write(&rempli, remplir(&modele)).expect("write");
            let (json, _) = sortie(&["check", "--format", "json", rempli.to_str().expect("utf-8")]);
            let v: Value = serde_json::from_str(&json).expect("JSON");
            let d = &v["dossiers"][0];
            let regles_vues: Vec<&str> =
                d["constats"].as_array().expect("array").iter().filter_map(|c| c["regle"].as_str()).collect();
            let attendues: &[&str] = match t.as_str() {
                "conseil-conjugal-familial" => &["A2V1-CCF-REFERENTIEL"],
                "promeneur-du-net" => &["A4V1-PDN-MISSION"],
                "map" => &["A2V1-PILOTE-NATIONAL"],
                _ => &[],
            };
            assert_eq!(regles_vues, attendues, "{t}: {:#}\n{}", d["constats"], remplir(&modele));
            n += 1;
        }
    }
    assert!(n >= 25, "{n} types");
}

#[test]
fn init_refuses_an_unknown_type_and_a_wrong_volet() {
    let o = fnp().args(["init", "--type", "cafe-des-parent", "-o", "-"]).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cafe-des-parents"));
    let o = fnp()
        .args(["init", "--axe", "3", "--volet", "1", "--type", "cafe-des-parents", "-o", "-"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("lieu-ressource"));
    // In a pipe, no question is asked.
    let o = fnp().args(["init", "-o", "-"]).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--type"));
}

#[test]
fn init_writes_projet_toml_and_never_overwrites_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = fnp();
    c.current_dir(dir.path()).args(["init", "--type", "cafe-des-parents"]).assert().code(0);
    assert!(Path::new(&dir.path().join("projet.toml")).exists());
    let mut c = fnp();
    let o = c.current_dir(dir.path()).args(["init", "--type", "lieu-ressource"]).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let garde = std::fs::read_to_string(dir.path().join("projet.toml")).expect("read");
    assert!(garde.contains("cafe-des-parents"));
}

/// `fnp bilan -o bilan.html`: the compte rendu to attach, with the figures of the other
/// formats, every text of the dossier escaped; `--format` cannot contradict the extension.
#[test]
fn the_bilan_document_is_written_as_html_with_its_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exemple = "examples/bilan/1.1-cafe-des-parents.toml";
    let html = dir.path().join("bilan.html");
    fnp().args(["bilan", exemple, "-o"]).arg(&html).assert().code(0);
    let page = std::fs::read_to_string(&html).expect("read");
    insta::assert_snapshot!("bilan_html_cafe", commun::chemins_unix_html(&page));
    let json: Value =
        serde_json::from_slice(&fnp().args(["bilan", "--format", "json", exemple]).output().expect("runs").stdout)
            .expect("JSON");
    // The actual total and the justified amount, as the JSON gives them, written in French.
    assert_eq!(json["total_charges"]["realise"], "5029.80");
    assert_eq!(json["fnp"]["montant_fnp_justifie"], "3200.00");
    for attendu in
        ["5\u{202f}029,80\u{a0}€", "3\u{202f}200,00\u{a0}€", "Montant FNP justifié par les dépenses réalisées"]
    {
        assert!(page.contains(attendu), "« {attendu} » missing");
    }
    assert!(page.contains("Explication de l&#x27;écart") || page.contains("Explication de l'écart"), "gaps explained");
    assert!(page.contains("calcul indicatif de fnp") || page.contains("Calcul indicatif de fnp"));
    // Never over an existing file without --force.
    fnp().args(["bilan", exemple, "-o"]).arg(&html).assert().code(2);
    let o =
        fnp().args(["bilan", exemple, "--format", "md", "-o"]).arg(dir.path().join("x.html")).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("contredit"));
    // Markup in a dossier's text is shown, never run.
    let texte = std::fs::read_to_string(exemple).expect("read");
    let piege = texte.replacen("explication = \"", "explication = \"<script>alert(1)</script> ", 1);
    assert_ne!(piege, texte, "the example has an explanation to trap");
    let f = dir.path().join("piege.toml");
    std::fs::write(&f, piege).expect("write");
    let sortie = dir.path().join("piege.html");
    fnp().arg("bilan").arg(&f).arg("-o").arg(&sortie).assert().code(0);
    let page = std::fs::read_to_string(&sortie).expect("read");
    assert!(!page.contains("<script>alert") && page.contains("&lt;script&gt;alert(1)"), "escaped");
}

/// `fnp bilan DIR --report R`, for an instructor: one row per action in French Excel, the
/// unreadable and the incomplete ones said, the files written all or nothing, never over
/// the previous ones without --force.
#[test]
fn bilans_of_a_folder_are_reported_for_an_instructor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lot = dir.path().join("bilans");
    std::fs::create_dir_all(lot.join("nord")).expect("mkdir");
    std::fs::copy("examples/bilan/1.1-cafe-des-parents.toml", lot.join("cafe.toml")).expect("copy");
    std::fs::copy("examples/1.1-conference.toml", lot.join("nord/conference.toml")).expect("copy");
    std::fs::write(lot.join("casse.toml"), "pas un dossier = ").expect("write");
    let rapport = dir.path().join("rapport");
    let o = fnp().arg("bilan").arg(&lot).arg("--report").arg(&rapport).output().expect("runs");
    assert_eq!(o.status.code(), Some(2), "an unreadable file: exit 2");
    let texte = String::from_utf8_lossy(&o.stdout);
    assert!(
        texte.contains(
            "Bilan : 3 actions — 1 complet, 1 incomplet, 1 illisible ; 2 conformes, 0 à vérifier, 0 non conforme"
        ),
        "{texte}"
    );
    let csv = std::fs::read_to_string(rapport.join("bilans.csv")).expect("bilans.csv");
    assert!(
        csv.starts_with("\u{feff}Fichier;Chemin;Bilan;Verdict;Erreurs;Avertissements;Informations;Porteur;Action"),
        "{csv}"
    );
    let cafe = csv.lines().find(|l| l.contains("cafe.toml")).expect("row");
    // Planned 4 900,00, actual 5 029,80 (+129,80, +2,6 %), granted and justified 3 200,00.
    assert!(
        cafe.contains(";complet;conforme;0;0;2;")
            && cafe.contains(";4900,00;5029,80;129,80;2,6;5029,80;3200,00;3200,00;0,00;5;5;"),
        "{cafe}"
    );
    assert!(
        csv.lines().any(|l| l.contains("conference.toml;incomplet;") && l.contains("sans montant réalisé")),
        "{csv}"
    );
    assert!(csv.lines().any(|l| l.contains("casse.toml;illisible;")), "{csv}");
    let json: Value = serde_json::from_slice(&std::fs::read(rapport.join("bilans.json")).expect("json")).expect("JSON");
    assert_eq!(json["synthese"]["bilans"], 3);
    assert_eq!(json["synthese"]["total_justifie"], "3200.00");
    let html = std::fs::read_to_string(rapport.join("rapport.html")).expect("html");
    assert_eq!(html.matches("<tbody class=\"dossier\"").count(), 3);
    assert!(rapport.join("constats.csv").is_file());
    // Not again without --force, and nothing is computed before saying so.
    let o = fnp().arg("bilan").arg(&lot).arg("--report").arg(&rapport).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force") && o.stdout.is_empty());
}

/// Every completed example is a clean bilan: complete, and no `BILAN-*` rule fires.
#[test]
fn the_completed_examples_are_clean_bilans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rapport = dir.path().join("r");
    fnp().args(["bilan", "examples/bilan", "--report"]).arg(&rapport).assert().code(0);
    let json: Value = serde_json::from_slice(&std::fs::read(rapport.join("bilans.json")).expect("json")).expect("JSON");
    let bilans = json["bilans"].as_array().expect("bilans");
    assert_eq!(bilans.len(), 12, "one per axe and volet");
    for b in bilans {
        assert_eq!(b["etat"], "complet", "{}", b["source"]);
        // The dossier's own findings follow the bilan's (rules v4): none of the bilan's, no
        // error nor warning of the dossier's.
        let constats = b["constats"].as_array().expect("constats");
        assert!(
            constats.iter().all(|c| !c["regle"].as_str().unwrap_or("").starts_with("BILAN-") && c["gravite"] == "info"),
            "{}: {:#}",
            b["source"],
            b["constats"]
        );
    }
}

/// The documents sent to the Caf speak French only (issue 21, item 6): every enumerated
/// value by its French label, the slugs of free lists in words, the « Points de vigilance »
/// without key, cell or syntax, own funds without « demande », and the Markdown saying what
/// the HTML says. The example café des parents filled in a workbook with three mistakes: the
/// contrat d'engagement républicain not signed, no indicator of parents from the QPV (the
/// Rhône asks for it), and an intercommunal scale.
#[test]
fn the_documents_speak_french_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let texte = std::fs::read_to_string("examples/1.1-cafe-des-parents.toml").expect("example");
    let fautif = texte
        .replace("contrat_engagement_republicain = true", "contrat_engagement_republicain = false")
        .replace("echelle = \"commune\"", "echelle = \"epci\"")
        .replace(
            "animateurs = [\"psychologue\", \"animatrice-familles\"]",
            "animateurs = [\"psychologue\", \"conseillere-esf\", \"educatrice-specialisee\"]",
        );
    let fautif: String =
        fautif.lines().filter(|l| !l.starts_with("parents_qpv = ")).map(|l| format!("{l}\n")).collect();
    assert_ne!(fautif, texte);
    let toml = dir.path().join("cafe.toml");
    std::fs::write(&toml, &fautif).expect("write");
    let xlsx = dir.path().join("cafe.xlsx");
    fnp().arg("convert").arg(&toml).arg("-o").arg(&xlsx).assert().code(0);
    let (html, md) = (dir.path().join("d.html"), dir.path().join("d.md"));
    fnp().arg("dossier").arg(&xlsx).arg("-o").arg(&html).assert().code(0);
    fnp().arg("dossier").arg(&xlsx).arg("-o").arg(&md).assert().code(0);
    let html = std::fs::read_to_string(&html).expect("html").replace("&#x27;", "'");
    let md = std::fs::read_to_string(&md).expect("md");
    for (nom, doc) in [("html", &html), ("md", &md)] {
        // The French labels, in both.
        for attendu in [
            "type d'action : café des parents",
            "Statut",
            "association",
            "(échelle : intercommunalité)",
            "psychologue, conseillère ESF, éducatrice spécialisée",
            "centre social, PMI, école",
            "quartier prioritaire de la politique de la ville",
            "« Contrat d'engagement républicain signé » : oui",
            "ajoutez « Parents résidant en QPV » dans les indicateurs d'évaluation prévus",
        ] {
            assert!(doc.contains(attendu), "{nom}: « {attendu} » missing\n{doc}");
        }
        // No internal name, key, cell or syntax anywhere.
        for interdit in [
            "cafe-des-parents",
            "conseillere-esf",
            "centre-social",
            "(échelle : epci)",
            "caf-fnp",
            "= true",
            "contrat_engagement_republicain",
            "parents_qpv",
            "[indicateurs]",
            "cellule",
            "Dossier!",
            "classeur",
        ] {
            assert!(!doc.contains(interdit), "{nom}: « {interdit} » shown\n{doc}");
        }
    }
    // Own funds carry no status of a request.
    let fonds = md.lines().find(|l| l.contains("Fonds propres : Fonds propres de l'association")).expect("row");
    assert!(!fonds.contains("demand"), "{fonds}");
    let fonds = html.lines().find(|l| l.contains("Fonds propres : Fonds propres de l'association")).expect("row");
    assert!(!fonds.contains("demand"), "{fonds}");

    // The bilan document: its points de vigilance say what to do without the column's name.
    let bilan = std::fs::read_to_string("examples/bilan/1.1-cafe-des-parents.toml").expect("example");
    let bilan = bilan.replacen(
        "realise = \"412,30\"\nexplication = \"Plus de parents que prévu au second semestre : collations en plus\"",
        "realise = \"612,30\"",
        1,
    );
    // The fonds propres pay the 200 € more: the actual budget stays balanced.
    let bilan = bilan.replacen("realise = \"629,80\"", "realise = \"829,80\"", 1);
    assert!(bilan.contains("\"612,30\"") && bilan.contains("\"829,80\""));
    let b = dir.path().join("bilan.toml");
    std::fs::write(&b, &bilan).expect("write");
    let page = dir.path().join("bilan.html");
    fnp().arg("bilan").arg(&b).arg("-o").arg(&page).assert().code(0);
    let page = std::fs::read_to_string(&page).expect("html").replace("&#x27;", "'");
    assert!(page.contains("[BILAN-ECART-EXPLIQUE]</span> : la dépense « Café, thé"), "{page}");
    assert!(page.contains("dites pourquoi sur la ligne, dans « Explication »</div>"), "{page}");
    assert!(!page.contains("explication =") && !page.contains("dans explication"), "{page}");
    assert!(page.contains("<div class=\"ou\">Dépenses, 3e ligne, Réalisé · source"), "{page}");
    assert!(page.contains("axe 1 volet 1 · café des parents"), "{page}");
}

/// The terminal budget table keeps its columns on long labels (issue 21, item 8): a label
/// longer than its column is folded at spaces, each amount stays right-aligned in its own
/// column, and nothing is lost.
#[test]
fn the_budget_table_keeps_its_columns_on_long_labels() {
    let texte = std::fs::read_to_string("examples/1.1-cafe-des-parents.toml").expect("example");
    let long = "Psychologue intervenante : 22 séances de 2 h à 120 € chacune, préparation et compte rendu compris, au centre social du quartier";
    let texte = texte.replace(
        "libelle = \"Psychologue intervenante : 22 séances de 2 h à 120 €\"",
        &format!("libelle = \"{long}\""),
    );
    let texte = texte.replace(
        "libelle = \"Ville de Vaulx-en-Velin, contrat de ville\"",
        "libelle = \"Ville_de_Vaulx-en-Velin_contrat_de_ville_appel_a_projets_annuel_de_la_politique_de_la_ville\"",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("long.toml");
    std::fs::write(&p, &texte).expect("write");
    let (table, code) = sortie(&["budget", p.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{table}");
    let mut montants = 0;
    for ligne in table.lines() {
        let c: Vec<char> = ligne.chars().collect();
        // Every amount (`2 640,00 €`) ends in the amount column, the 78th character.
        for i in 3..c.len() {
            if c[i] == '€' && c[i - 1] == '\u{a0}' && c[i - 4] == ',' {
                montants += 1;
                assert_eq!(i, 77, "amount out of its column:\n{ligne}\n{table}");
            }
        }
    }
    assert!(montants >= 15, "{table}");
    // Nothing lost: the words of the long label are all there, in order.
    let mots: Vec<&str> = table.split_whitespace().collect();
    let attendus: Vec<&str> = long.split_whitespace().collect();
    assert!(mots.windows(attendus.len()).any(|w| w == attendus.as_slice()), "{table}");
    // A word longer than the column is cut, never pushes the amount.
    assert!(table.contains("Ville_de_Vaulx"), "{table}");
}

/// GitHub renders Markdown with extensions past CommonMark: none of them may come alive
/// from a treasurer's text in `dossier -o x.md` or `bilan -o x.md`.
#[test]
fn markdown_outputs_neutralise_github_extensions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let piege = "~~barré~~ www.exemple.fr https://x.fr &lt;b&gt; &amp; a@b.fr [ ] tâche :smile: $x$";
    let attendus = [
        "\\~\\~barré\\~\\~",
        "www\\.exemple.fr",
        "https\\://x.fr",
        "\\&lt;b\\&gt; \\&amp;",
        "a\\@b.fr",
        "\\[ \\] tâche",
        "\\:smile\\:",
        "\\$x\\$",
    ];
    let verifier = |md: &str| {
        for a in attendus {
            assert!(md.contains(a), "{a} absent:\n{md}");
        }
        for brut in ["~~barré", " www.exemple", "https://x", " &lt;", " &amp;", " a@b", " [ ]", " :smile:", " $x$"] {
            assert!(!md.contains(brut), "{brut} left raw:\n{md}");
        }
    };
    let texte = std::fs::read_to_string("tests/fixtures/cafe.toml").expect("read");
    let f = dir.path().join("piege.toml");
    std::fs::write(&f, texte.replace("Café des parents du mercredi", piege)).expect("write");
    let md = dir.path().join("dossier.md");
    let (_, code) = sortie(&["dossier", "-o", md.to_str().expect("utf-8"), f.to_str().expect("utf-8")]);
    assert_eq!(code, 0);
    verifier(&std::fs::read_to_string(&md).expect("md"));
    let texte = std::fs::read_to_string("examples/bilan/1.1-cafe-des-parents.toml").expect("read");
    let f = dir.path().join("bilan.toml");
    std::fs::write(&f, texte.replace("Café des parents du Mas du Taureau", piege)).expect("write");
    let md = dir.path().join("bilan.md");
    let (_, code) = sortie(&["bilan", "-o", md.to_str().expect("utf-8"), f.to_str().expect("utf-8")]);
    assert_eq!(code, 0);
    verifier(&std::fs::read_to_string(&md).expect("md"));
}
