//! `fnp check --annotate`: the association's own workbook handed back as received, each
//! finding a comment on the very cell it talks about. Checked from the outside: the copy is
//! read back with calamine (every value of every sheet as it was) and its comments are
//! found through the archive's own relationships, with code independent of fnp's.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use assert_cmd::Command;
use calamine::{Data, Reader, open_workbook_auto};
use quick_xml::events::Event;
use rust_xlsxwriter::{Format, Formula, Note, Workbook};
use serde_json::Value;

fn fnp() -> Command {
    Command::cargo_bin("fnp").expect("binary")
}

/// A workbook changed the way people change it: a hidden help sheet first, the Dossier
/// sheet with a title row above the header, a note row inserted, the association's own
/// comment on a cell fnp will comment too, columns of Dépenses in another order with an
/// extra one, a total row whose cached value is wrong, a merged cell, euro formats.
fn classeur_modifie(chemin: &Path) {
    let mut wb = Workbook::new();
    let gras = Format::new().set_bold();
    let euros = Format::new().set_num_format("#,##0.00\\ \"€\"").set_background_color(0xE0F0E0);
    wb.add_worksheet().set_name("Mode d'emploi").expect("name").set_hidden(true);
    {
        let f = wb.add_worksheet().set_name("Dossier").expect("name");
        f.merge_range(0, 0, 0, 2, "Dossier FNP 2025 — Les Petits Pas", &gras).expect("merge");
        f.write_string_with_format(1, 0, "Champ", &gras).expect("w");
        f.write_string_with_format(1, 1, "Valeur", &gras).expect("w");
        let lignes: &[(&str, &str)] = &[
            ("format", "#1"),
            ("exercice", "#2025"),
            ("caf.departement", "69"),
            ("porteur.nom", "Association Les Petits Pas"),
            ("porteur.statut", "association"),
            ("porteur.departement", "69"),
            ("porteur.siret", "73282932000074"),
            ("Remarque du trésorier", "déposé en retard"),
            ("porteur.finance_caf", "oui"),
            ("porteur.contrat_engagement_republicain", "oui"),
            ("porteur.charte_parentalite", "oui"),
            ("action.intitule", "Café des parents du mercredi"),
            ("action.axe", "#1"),
            ("action.volet", "#1"),
            ("action.type", "cafe-des-parents"),
            ("action.debut", "2025-01-08"),
            ("action.fin", "2025-12-17"),
            ("action.public", "parents"),
            ("action.projet_parentalite", "oui"),
            ("action.intervenants_qualifies", "oui"),
            ("territoire.communes", "Villeurbanne"),
            ("groupe.participants_min", "#8"),
            ("groupe.participants_max", "#15"),
            ("groupe.seances", "#20"),
            ("groupe.frequence", "bimensuelle"),
            ("indicateurs.participants", "#60"),
            ("indicateurs.seances", "#20"),
        ];
        for (i, (k, v)) in lignes.iter().enumerate() {
            let l = i as u32 + 2;
            f.write_string(l, 0, *k).expect("w");
            match v.strip_prefix('#') {
                Some(n) => f.write_number(l, 1, n.parse::<f64>().expect("n")).expect("w"),
                None => f.write_string(l, 1, *v).expect("w"),
            };
            if *k == "groupe.participants_max" {
                f.insert_note(l, 1, &Note::new("Validé en réunion de bureau").set_author("Trésorier")).expect("note");
            }
            if *k == "porteur.nom" {
                f.insert_note(l, 1, &Note::new("Nom complet").set_author("Trésorier")).expect("note");
            }
        }
    }
    {
        let f = wb.add_worksheet().set_name("Dépenses").expect("name");
        for (j, h) in ["N°", "Montant (€)", "Libellé", "Nature"].iter().enumerate() {
            f.write_string_with_format(0, j as u16, *h, &gras).expect("w");
        }
        let lignes: &[(f64, &str, &str)] = &[
            (2400.0, "Psychologue intervenante", "prestation"),
            (1800.0, "Animatrice", "personnel"),
            (600.0, "Quote-part du loyer", "fonctionnement"),
        ];
        for (i, (m, l, n)) in lignes.iter().enumerate() {
            let r = i as u32 + 1;
            f.write_number(r, 0, r as f64).expect("w");
            f.write_number_with_format(r, 1, *m, &euros).expect("w");
            f.write_string(r, 2, *l).expect("w");
            f.write_string(r, 3, *n).expect("w");
        }
        f.write_string(4, 2, "TOTAL DES CHARGES").expect("w");
        f.write_formula_with_format(4, 1, Formula::new("=SUM(B2:B4)").set_result("4700"), &euros).expect("w");
    }
    {
        let f = wb.add_worksheet().set_name("Recettes").expect("name");
        for (j, h) in ["Financeur", "Montant", "Statut"].iter().enumerate() {
            f.write_string(0, j as u16, *h).expect("w");
        }
        f.write_string(1, 0, "caf-fnp").expect("w");
        f.write_number(1, 1, 3000.0).expect("w");
        f.write_string(2, 0, "commune").expect("w");
        f.write_string(2, 1, "1800").expect("w");
        f.write_string(2, 2, "acquis").expect("w");
    }
    wb.save(chemin).expect("save");
}

/// The parts of an archive, inflated.
fn parties(chemin: &Path) -> BTreeMap<String, Vec<u8>> {
    let f = std::fs::File::open(chemin).expect("open");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let mut v = BTreeMap::new();
    for i in 0..z.len() {
        let mut p = z.by_index(i).expect("part");
        let mut o = Vec::new();
        p.read_to_end(&mut o).expect("read");
        v.insert(p.name().expect("name").to_string(), o);
    }
    v
}

/// Every start or empty element of a part: local name and attributes (local names too).
fn elements(xml: &[u8]) -> Vec<(String, BTreeMap<String, String>)> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut v = Vec::new();
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf).expect("xml") {
            Event::Eof => break,
            Event::Start(b) | Event::Empty(b) => {
                let local = |n: &str| n.rsplit(':').next().unwrap_or(n).to_string();
                let attrs =
                    b.attributes().flatten().map(|a| (local(a.key.into_inner()), a.value.to_string())).collect();
                v.push((local(b.name().into_inner()), attrs));
            }
            _ => {}
        }
        buf.clear();
    }
    v
}

/// The comments of each sheet, by sheet name: cell → text, found as Excel finds them
/// (workbook → sheet → its relationships → comments part).
fn commentaires(chemin: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let p = parties(chemin);
    let rels = |nom: &str| -> BTreeMap<String, String> {
        let (d, f) = nom.rsplit_once('/').unwrap_or(("", nom));
        let r = format!("{d}/_rels/{f}.rels");
        elements(p.get(&r).map(Vec::as_slice).unwrap_or(b"<a/>"))
            .into_iter()
            .filter(|(n, _)| n == "Relationship")
            .map(|(_, a)| (a["Id"].clone(), a["Target"].clone()))
            .collect()
    };
    let classeur = rels("xl/workbook.xml");
    let mut v = BTreeMap::new();
    for (n, a) in elements(&p["xl/workbook.xml"]) {
        if n != "sheet" {
            continue;
        }
        let feuille = format!("xl/{}", classeur[&a["id"]].trim_start_matches("/xl/"));
        let mut notes = BTreeMap::new();
        for (id, cible) in rels(&feuille) {
            if !cible.contains("comments") {
                continue;
            }
            let _ = id;
            let part = format!("xl/{}", cible.trim_start_matches("../").trim_start_matches("/xl/"));
            let xml = String::from_utf8(p[&part].clone()).expect("utf-8");
            for morceau in xml.split("<comment ").skip(1) {
                let cell = morceau.split('"').nth(1).expect("ref").to_string();
                // The text of every `<t>` (or `<t xml:space=…>`), in order.
                let texte: String = morceau
                    .match_indices("<t")
                    .filter(|(i, _)| matches!(morceau.as_bytes().get(i + 2), Some(b'>' | b' ')))
                    .filter_map(|(i, _)| {
                        morceau[i..].split_once('>').map(|(_, r)| r.split("</t>").next().unwrap_or(""))
                    })
                    .collect::<Vec<_>>()
                    .join("");
                let texte = texte.replace("&#10;", "\n");
                notes.insert(cell, texte);
            }
        }
        v.insert(a["name"].clone(), notes);
    }
    v
}

/// Every cell of every sheet, as calamine reads it.
fn cellules(chemin: &Path) -> BTreeMap<String, Vec<(u32, u32, Data)>> {
    let mut wb = open_workbook_auto(chemin).expect("open");
    let mut v = BTreeMap::new();
    for nom in wb.sheet_names() {
        let plage = wb.worksheet_range(&nom).expect("sheet");
        let (l0, c0) = plage.start().unwrap_or((0, 0));
        let liste: Vec<(u32, u32, Data)> = plage
            .cells()
            .filter(|(_, _, d)| !matches!(d, Data::Empty))
            .map(|(l, c, d)| (l as u32 + l0, c as u32 + c0, d.clone()))
            .collect();
        v.insert(nom, liste);
    }
    v
}

#[test]
fn the_association_s_own_workbook_comes_back_with_each_finding_on_its_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let entree = dir.path().join("retours");
    std::fs::create_dir_all(entree.join("nord")).expect("mkdir");
    let original = entree.join("nord/petits-pas.xlsx");
    classeur_modifie(&original);
    let avant = std::fs::read(&original).expect("read");
    let annotes = dir.path().join("annotes");
    let rapport = dir.path().join("rapport");
    let o = fnp()
        .args(["check", "--format", "json"])
        .arg(&entree)
        .arg("--annotate")
        .arg(&annotes)
        .arg("--report")
        .arg(&rapport)
        .output()
        .expect("runs");
    assert_eq!(std::fs::read(&original).expect("read"), avant, "input untouched");
    let json: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let d = &json["dossiers"][0];
    // The copy mirrors the input's subfolder and keeps the association's name.
    assert_eq!(d["copie_annotee"]["fichier"], "nord/petits-pas.annote.xlsx", "{d:#}");
    assert_eq!(d["copie_annotee"]["en_place"], true);
    let copie = annotes.join("nord/petits-pas.annote.xlsx");

    // Each finding located at a cell has a comment at exactly that cell, and no other cell
    // gets one from fnp.
    let mut attendus: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in d["constats"].as_array().expect("findings") {
        if let Some(cell) = c["emplacement"]["cellule"].as_str() {
            attendus.entry(cell.to_string()).or_default().insert(c["regle"].as_str().expect("id").to_string());
        }
    }
    for attendu in ["A1V1-TAILLE-GROUPE", "SAISIE-LIGNE-IGNOREE", "SAISIE-TOTAL", "GEN-DEPENSE-INELIGIBLE"] {
        assert!(attendus.values().any(|r| r.contains(attendu)), "{attendu} expected: {attendus:?}");
    }
    let notes = commentaires(&copie);
    let mut trouves: BTreeMap<String, String> = BTreeMap::new();
    for (feuille, n) in &notes {
        for (cell, texte) in n {
            if texte.contains("fnp :") {
                trouves.insert(format!("{feuille}!{cell}"), texte.clone());
            }
        }
    }
    assert_eq!(attendus.keys().collect::<Vec<_>>(), trouves.keys().collect::<Vec<_>>());
    for (cell, regles) in &attendus {
        for r in regles {
            assert!(trouves[cell].contains(r.as_str()), "{cell}: {r} in {}", trouves[cell]);
        }
    }
    // The association's own comments stay, on their cells; where fnp comments the same
    // cell, its text follows theirs.
    let max = attendus.iter().find(|(_, r)| r.contains("A1V1-TAILLE-GROUPE")).map(|(c, _)| c.clone()).expect("cell");
    let (theirs, ours) = (trouves[&max].find("Validé en réunion de bureau"), trouves[&max].find("fnp :"));
    assert!(theirs.is_some() && theirs < ours, "{}", trouves[&max]);
    assert!(
        notes["Dossier"].values().any(|t| t.contains("Nom complet") && !t.contains("fnp")),
        "{:?}",
        notes["Dossier"]
    );

    // Every value of every sheet is as received; one sheet is added.
    let (a, b) = (cellules(&original), cellules(&copie));
    for (feuille, liste) in &a {
        assert_eq!(&b[feuille], liste, "sheet {feuille} unchanged");
    }
    // (and fnp's hidden record of what it changed, to take it off again: nettoyage)
    assert_eq!(b.keys().filter(|k| !a.contains_key(*k)).collect::<Vec<_>>(), ["Anomalies", "fnp-origine"]);
    let anomalies = &b["Anomalies"];
    let lignes = anomalies.iter().map(|(l, _, _)| *l).max().unwrap_or(0);
    assert_eq!(lignes as usize, d["constats"].as_array().map_or(0, Vec::len), "one row per finding");
    assert!(anomalies.iter().any(|(_, _, v)| v.to_string() == max), "the cell is named: {anomalies:?}");

    // Parts fnp has no reason to change are copied as they were (shared strings, the
    // hidden sheet, the sheet without findings, document properties).
    let (pa, pb) = (parties(&original), parties(&copie));
    let changees: Vec<&String> = pa.iter().filter(|(k, v)| pb.get(*k) != Some(v)).map(|(k, _)| k).collect();
    for c in &changees {
        assert!(
            c.ends_with("workbook.xml")
                || c.ends_with("styles.xml")
                || c.ends_with(".rels")
                || c.starts_with("xl/worksheets/sheet")
                || c.starts_with("xl/comments")
                || c.ends_with(".vml")
                || *c == "[Content_Types].xml",
            "{c} changed"
        );
    }
    assert!(!changees.iter().any(|c| c.contains("sharedStrings") || c.contains("docProps")), "{changees:?}");
    // The workbook reads back as the same dossier.
    let relu = fnp().args(["check", "--format", "json"]).arg(&copie).output().expect("runs");
    let relu: Value = serde_json::from_slice(&relu.stdout).expect("JSON");
    assert_eq!(relu["dossiers"][0]["verdict"], d["verdict"]);

    // The reports say which copy answers which dossier, and link to it.
    let csv = std::fs::read_to_string(rapport.join("synthese.csv")).expect("csv");
    assert!(
        csv.contains("Copie annotée;Annotation")
            && csv.contains(&format!("nord{}petits-pas.annote.xlsx;sur le classeur reçu", std::path::MAIN_SEPARATOR)),
        "{csv}"
    );
    // (minijinja writes `/` as `&#x2f;` in attributes, which the browser reads as `/`)
    let html = std::fs::read_to_string(rapport.join("rapport.html")).expect("html").replace("&#x2f;", "/");
    assert!(html.contains("href=\"../annotes/nord/petits-pas.annote.xlsx\""), "link to the copy");
}

/// The `s` attribute of a cell (`B25`) in a sheet part, as written.
fn style_de(xml: &[u8], cellule: &str) -> Option<String> {
    elements(xml)
        .into_iter()
        .find(|(n, a)| n == "c" && a.get("r").map(String::as_str) == Some(cellule))
        .and_then(|(_, a)| a.get("s").cloned())
}

/// `fnp check --format json ENTREE --annotate SORTIE`, its JSON.
fn annoter(entree: &Path, sortie: &Path) -> Value {
    let o = fnp().args(["check", "--format", "json"]).arg(entree).arg("--annotate").arg(sortie).output().expect("runs");
    serde_json::from_slice(&o.stdout).expect("JSON")
}

/// The cell `reference`'s value `avant` changed to `apres` in a sheet part, as a treasurer
/// corrects it in the copy.
fn corriger(partie: &[u8], reference: &str, avant: &str, apres: &str) -> Vec<u8> {
    let texte = String::from_utf8(partie.to_vec()).expect("utf-8");
    let debut = texte.find(&format!("r=\"{reference}\"")).expect("the cell");
    let (avant, apres) = (format!("<v>{avant}</v>"), format!("<v>{apres}</v>"));
    let v = texte[debut..].find(&avant).expect("its value") + debut;
    format!("{}{apres}{}", &texte[..v], &texte[v + avant.len()..]).into_bytes()
}

/// A workbook made of these parts, saved at `chemin` (its folder made).
fn ecrire_parties(chemin: &Path, parties: &BTreeMap<String, Vec<u8>>) {
    use std::io::Write;
    std::fs::create_dir_all(chemin.parent().expect("dir")).expect("mkdir");
    let mut z = zip::ZipWriter::new(std::fs::File::create(chemin).expect("create"));
    for (nom, octets) in parties {
        z.start_file(nom.as_str(), zip::write::SimpleFileOptions::default()).expect("start");
        z.write_all(octets).expect("write");
    }
    z.finish().expect("finish");
}

/// The treasurer's loop: she corrects in the annotated copy (its comments are there) and
/// checks it again. The new copy holds only what is still wrong: the corrected cell has its
/// own style and the association's comment back, without fnp's; nothing is doubled (one
/// Anomalies sheet, one comment per cell, the same name); checked again unchanged, the copy
/// comes back the same.
#[test]
fn an_annotated_copy_corrected_and_checked_again_holds_only_what_is_still_wrong() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original = dir.path().join("petits-pas.xlsx");
    classeur_modifie(&original);
    let premier = annoter(&original, &dir.path().join("tour1"));
    let copie1 = dir.path().join("tour1/petits-pas.annote.xlsx");
    // The terminal names the file to correct, and says to correct it there.
    let o =
        fnp().arg("check").arg(&original).arg("--annotate").arg(dir.path().join("terminal")).output().expect("runs");
    let dit = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(dit.contains("Copie annotée : ") && dit.contains("corrigez directement cette copie"), "{dit}");
    let cellule_de = |json: &Value, regle: &str| -> Option<String> {
        json["dossiers"][0]["constats"]
            .as_array()?
            .iter()
            .find(|c| c["regle"] == regle)
            .and_then(|c| c["emplacement"]["cellule"].as_str().map(String::from))
    };
    let max = cellule_de(&premier, "A1V1-TAILLE-GROUPE").expect("the group size is a finding");
    let (feuille, reference) = max.split_once('!').expect("sheet!cell");
    assert_eq!(feuille, "Dossier");

    // She corrects 15 → 12 in the copy, saves it under its name, checks it again.
    let mut corrigees = parties(&copie1);
    let partie = "xl/worksheets/sheet2.xml";
    let corrige = corriger(&corrigees[partie], reference, "15", "12");
    corrigees.insert(partie.to_string(), corrige);
    let corrigee = dir.path().join("retour/petits-pas.annote.xlsx");
    ecrire_parties(&corrigee, &corrigees);
    let second = annoter(&corrigee, &dir.path().join("tour2"));
    assert!(cellule_de(&second, "A1V1-TAILLE-GROUPE").is_none(), "corrected: {second:#}");
    let copie2 = dir.path().join("tour2/petits-pas.annote.xlsx");
    assert!(copie2.exists(), "the same name, never .annote.annote: {second:#}");

    // One Anomalies sheet, one record; the sheets of the association as they were.
    let (a, b) = (cellules(&original), cellules(&copie2));
    assert_eq!(b.keys().filter(|k| !a.contains_key(*k)).collect::<Vec<_>>(), ["Anomalies", "fnp-origine"]);
    assert_eq!(
        b["Anomalies"].iter().map(|(l, _, _)| *l).max().unwrap_or(0) as usize,
        second["dossiers"][0]["constats"].as_array().map_or(0, Vec::len),
        "one row per finding still there"
    );
    // fnp's comments exactly at the cells still wrong; the association's comment is back alone.
    let mut attendus: BTreeSet<String> = BTreeSet::new();
    for c in second["dossiers"][0]["constats"].as_array().expect("findings") {
        if let Some(cell) = c["emplacement"]["cellule"].as_str() {
            attendus.insert(cell.to_string());
        }
    }
    let notes = commentaires(&copie2);
    let de_fnp: BTreeSet<String> = notes
        .iter()
        .flat_map(|(f, n)| n.iter().filter(|(_, t)| t.contains("fnp :")).map(move |(c, _)| format!("{f}!{c}")))
        .collect();
    assert_eq!(de_fnp, attendus);
    for (f, n) in &notes {
        for (c, t) in n {
            assert!(t.matches("fnp :").count() <= 1, "{f}!{c}: {t}");
        }
    }
    assert_eq!(notes["Dossier"][reference], commentaires(&original)["Dossier"][reference], "{:?}", notes["Dossier"]);
    // The corrected cell has its own style again, the one the association gave it.
    let style_original = style_de(&parties(&original)[partie], reference);
    assert_eq!(style_de(&parties(&copie2)[partie], reference), style_original);
    assert_ne!(style_de(&parties(&copie1)[partie], reference), style_original, "highlighted in the first copy");

    // Checked again as it is, the copy comes back with the same comments and cells.
    annoter(&copie1, &dir.path().join("tour1bis"));
    let copie1bis = dir.path().join("tour1bis/petits-pas.annote.xlsx");
    assert_eq!(commentaires(&copie1bis), commentaires(&copie1));
    assert_eq!(cellules(&copie1bis), cellules(&copie1));
}

/// Once conforme, the copy is the workbook to send the Caf: nothing of fnp's in it but its
/// mark — no comment, no fill, no Anomalies sheet, no record — and its note says so; a copy
/// corrected until conforme comes back clean the same way.
#[test]
fn a_conforme_dossier_s_copy_is_clean_and_says_it_is_the_one_to_send() {
    let dir = tempfile::tempdir().expect("tempdir");
    let toml = std::fs::read_to_string("examples/1.1-cafe-des-parents.toml").expect("example");
    let faux = toml.replace("participants_max = 12", "participants_max = 15");
    assert_ne!(faux, toml);
    std::fs::write(dir.path().join("faux.toml"), faux).expect("write");
    let classeur = dir.path().join("entree/cafe.xlsx");
    std::fs::create_dir_all(classeur.parent().expect("dir")).expect("mkdir");
    fnp().args(["convert"]).arg(dir.path().join("faux.toml")).arg("-o").arg(&classeur).assert().success();
    let premier = annoter(&classeur, &dir.path().join("tour1"));
    assert_ne!(premier["dossiers"][0]["verdict"], "conforme", "{premier:#}");
    let copie1 = dir.path().join("tour1/cafe.annote.xlsx");
    let cellule = premier["dossiers"][0]["constats"]
        .as_array()
        .and_then(|v| v.iter().find(|c| c["regle"] == "A1V1-TAILLE-GROUPE"))
        .and_then(|c| c["emplacement"]["cellule"].as_str())
        .expect("the group size at its cell")
        .to_string();
    let reference = cellule.split_once('!').expect("sheet!cell").1.to_string();
    // Corrected in the copy: conforme.
    let mut p = parties(&copie1);
    let partie = p
        .iter()
        .find(|(n, t)| {
            n.starts_with("xl/worksheets/sheet") && String::from_utf8_lossy(t).contains(&format!("r=\"{reference}\""))
        })
        .map(|(n, _)| n.clone())
        .expect("the Dossier sheet");
    let corrige = corriger(&p[&partie], &reference, "15", "12");
    p.insert(partie.clone(), corrige);
    let corrigee = dir.path().join("retour/cafe.annote.xlsx");
    ecrire_parties(&corrigee, &p);
    {
        let sortie = dir.path().join("tour2");
        let json = annoter(&dir.path().join("retour"), &sortie);
        let d = &json["dossiers"][0];
        assert_eq!(d["verdict"], "conforme", "{d:#}");
        let remarque = d["copie_annotee"]["remarque"].as_str().unwrap_or_default();
        assert!(remarque.contains("dossier conforme") && remarque.contains("à envoyer à la Caf"), "{remarque}");
        let copie = sortie.join("cafe.annote.xlsx");
        let o = fnp()
            .arg("check")
            .arg(&corrigee)
            .arg("--annotate")
            .arg(dir.path().join("terminal"))
            .output()
            .expect("runs");
        let dit = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert!(dit.contains("Copie à envoyer à la Caf : "), "{dit}");
        let feuilles: Vec<String> = cellules(&copie).into_keys().collect();
        assert!(!feuilles.iter().any(|f| f == "Anomalies" || f == "fnp-origine"), "{feuilles:?}");
        assert!(commentaires(&copie).values().all(|n| n.values().all(|t| !t.contains("fnp :"))), "no comment of fnp's");
        assert_eq!(style_de(&parties(&copie)[&partie], &reference), style_de(&parties(&classeur)[&partie], &reference));
        // Its mark: fnp knows it as its copy.
        let relu = fnp().args(["check", "--format", "json"]).arg(&copie).output().expect("runs");
        let relu: Value = serde_json::from_slice(&relu.stdout).expect("JSON");
        assert_eq!(relu["dossiers"][0]["copie_de_fnp"], true, "{relu:#}");
    }
}

#[test]
fn inputs_named_alike_get_copies_of_their_own_and_others_say_they_are_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let entree = dir.path().join("retours");
    for sous in ["a", "b"] {
        std::fs::create_dir_all(entree.join(sous)).expect("mkdir");
        classeur_modifie(&entree.join(sous).join("dossier.xlsx"));
    }
    classeur_modifie(&entree.join("a/dossier.xlsm"));
    std::fs::copy("tests/fixtures/classeurs/cafe-libreoffice.xls", entree.join("a/dossier.xls")).expect("copy");
    std::fs::copy("tests/fixtures/classeurs/lieu-libreoffice.ods", entree.join("a/dossier.ods")).expect("copy");
    let long = format!("{}.xlsx", "Dossier de l'association des parents du quartier ".repeat(5).trim());
    assert!(long.len() > 245);
    classeur_modifie(&entree.join("b").join(&long));
    let annotes = dir.path().join("annotes");
    let o =
        fnp().args(["check", "--format", "json"]).arg(&entree).arg("--annotate").arg(&annotes).output().expect("runs");
    let json: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let copies: BTreeMap<String, (String, bool, String)> = json["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .map(|d| {
            let c = &d["copie_annotee"];
            (
                d["source"].as_str().expect("source").rsplit("retours/").next().expect("rel").to_string(),
                (
                    c["fichier"].as_str().expect("written").to_string(),
                    c["en_place"].as_bool().expect("bool"),
                    c["remarque"].as_str().unwrap_or("").to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(copies["a/dossier.xlsx"].0, "a/dossier.annote.xlsx");
    assert_eq!(copies["b/dossier.xlsx"].0, "b/dossier.annote.xlsx");
    assert_eq!(copies["a/dossier.xlsm"].0, "a/dossier.annote.xlsm", "an xlsm stays an xlsm");
    assert!(copies["a/dossier.xlsm"].1);
    for (rebati, nom) in
        [("a/dossier.xls", "a/dossier.xls.annote.xlsx"), ("a/dossier.ods", "a/dossier.ods.annote.xlsx")]
    {
        assert_eq!(copies[rebati].0, nom);
        assert!(!copies[rebati].1);
        assert!(copies[rebati].2.contains("reconstruite sur le modèle"), "{:?}", copies[rebati]);
    }
    let court = &copies[&format!("b/{long}")].0;
    assert!(court.len() < long.len() && court.ends_with(".annote.xlsx"), "{court}");
    let noms: BTreeSet<&String> = copies.values().map(|c| &c.0).collect();
    assert_eq!(noms.len(), copies.len(), "no two inputs share a copy");
    for c in &noms {
        assert!(annotes.join(c).is_file(), "{c} written");
    }
    // Said once on the terminal.
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("6 copies annotées") && err.contains("2 reconstruites"), "{err}");
    // A second run does not overwrite them without --force, and does not read them back.
    let o =
        fnp().args(["check", "--format", "json"]).arg(&entree).arg("--annotate").arg(&annotes).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    let o = fnp()
        .args(["check", "--format", "json", "--force"])
        .arg(&entree)
        .arg("--annotate")
        .arg(&annotes)
        .output()
        .expect("runs");
    let json: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(json["synthese"]["dossiers"], 6);
}
