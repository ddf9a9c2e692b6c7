//! `fnp check --annotate`: the association's own workbook (xlsx, xlsm) handed back as it was
//! received — every sheet, row, formula, style, macro and inserted row kept — with each
//! finding as a comment on the very cell its value was read from, that cell highlighted by
//! severity, and an `Anomalies` sheet added.
//!
//! The archive is not rebuilt: the parts fnp does not change are copied as they are,
//! compressed bytes included; the parts it changes (the commented sheets, the styles, the
//! workbook's sheet list, its relationships and content types) are edited by splicing their
//! text ([`xml`]), so that whatever fnp does not understand survives untouched.

pub mod anomalies;
mod commentaires;
mod feuille;
pub mod nettoyage;
pub(crate) mod paquet;
mod styles;
pub(crate) mod xml;

use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;

use quick_xml::events::Event;

use crate::check::Constat;
use crate::rules::Gravite;
use paquet::{Archive, Relations, dossier_de, ecrire, relative, rels_de, resoudre};
use xml::{Evenements, Retouche};

pub(super) const REL_DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT_FEUILLE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const CT_COMMENTAIRES: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";

/// A sheet of the workbook: its name as shown, its part and its relationship's id.
struct Feuille {
    nom: String,
    partie: String,
    id: String,
}

/// What `workbook.xml` says: the sheets, and where a new sheet goes.
pub(super) struct Sommaire {
    feuilles: Vec<Feuille>,
    fin_feuilles: usize,
    ids: Vec<u32>,
    prefixe: String,
    /// The end of `definedNames`, or the whole element when it is empty (`<definedNames/>`).
    noms_definis: Option<usize>,
    noms_definis_vide: Option<std::ops::Range<usize>>,
    apres_noms: usize,
}

pub(super) fn lire_sommaire(texte: &str, partie: &str, rels: &Relations, base: &str) -> Result<Sommaire, String> {
    let mut ev = Evenements::new(texte, partie);
    let mut s = Sommaire {
        feuilles: Vec::new(),
        fin_feuilles: 0,
        ids: Vec::new(),
        prefixe: String::new(),
        noms_definis: None,
        noms_definis_vide: None,
        apres_noms: 0,
    };
    while let Some((e, etendue, profondeur)) = ev.suivant()? {
        match &e {
            Event::Start(b) | Event::Empty(b) => {
                let nom = xml::nom_local(b);
                if nom == "sheet" {
                    let id = xml::attribut_local(b, "id").unwrap_or_default();
                    let cible = rels.par_id(&id).map(|r| resoudre(base, &r.cible));
                    if let (Some(n), Some(cible)) = (xml::attribut(b, "name"), cible) {
                        s.feuilles.push(Feuille { nom: n, partie: cible, id: id.clone() });
                    }
                    if let Some(i) = xml::attribut(b, "sheetId").and_then(|i| i.parse().ok()) {
                        s.ids.push(i);
                    }
                }
                if matches!(e, Event::Empty(_)) && profondeur == 1 {
                    match nom {
                        "sheets" => return Err("classeur sans feuille".into()),
                        "definedNames" => s.noms_definis_vide = Some(etendue.clone()),
                        _ => {}
                    }
                }
            }
            Event::End(b) if profondeur == 1 => match xml::nom_local_fin(b.name().into_inner()) {
                "sheets" => {
                    s.fin_feuilles = etendue.start;
                    s.apres_noms = etendue.end;
                }
                "functionGroups" | "externalReferences" => s.apres_noms = etendue.end,
                "definedNames" => s.noms_definis = Some(etendue.start),
                _ => {}
            },
            _ => {}
        }
    }
    s.prefixe = ev.prefixe().to_string();
    if s.fin_feuilles == 0 {
        return Err("liste des feuilles du classeur introuvable".into());
    }
    Ok(s)
}

/// A comment's text: every finding of the cell, worst first.
fn texte_note(liste: &[&Constat]) -> String {
    let mut v: Vec<&&Constat> = liste.iter().collect();
    v.sort_by_key(|c| c.gravite);
    v.iter()
        .map(|c| {
            // Her words first: the severity and what to do; the rule's id last, beside its
            // source, for the Caf (issue 32: codes where she needs words).
            let gravite = match c.gravite {
                crate::rules::Gravite::Erreur => "Erreur",
                crate::rules::Gravite::Avertissement => "Avertissement",
                crate::rules::Gravite::Info => "Information",
            };
            let mut t = format!("{gravite} : {}", c.message);
            match &c.source_titre {
                Some(titre) => t.push_str(&format!("\nSource : {titre} (règle {})", c.regle)),
                None => t.push_str(&format!("\n(règle {})", c.regle)),
            }
            if let Some(surcharge) = &c.surcharge {
                t.push_str(&format!("\n({surcharge})"));
            }
            t
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `Dépenses!C5` → (`Dépenses`, `C5`).
fn decouper_cellule(c: &str) -> Option<(&str, &str)> {
    let (f, r) = c.rsplit_once('!')?;
    xml::lire_reference(r)?;
    Some((f, r))
}

/// The workbook `octets` (xlsx or xlsm) with the findings as comments on their cells, the
/// cells highlighted, and an `Anomalies` sheet. An error says why it cannot be done in
/// place (the caller then writes the rebuilt copy and says so).
pub fn annoter(octets: &[u8], constats: &[Constat]) -> Result<Vec<u8>, String> {
    // A copy fnp annotated before (corrected in it, checked again): its old annotations
    // first taken off, so that it holds only what is still wrong.
    let nettoye = nettoyage::nettoyer(octets)?;
    let octets: &[u8] = nettoye.as_deref().unwrap_or(octets);
    let zip = zip::ZipArchive::new(Cursor::new(octets)).map_err(|e| crate::lecture::zip::message_zip(&e))?;
    let noms: HashSet<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let mut a = Archive { zip, noms, changees: BTreeMap::new(), ajoutees: Vec::new(), supprimees: HashSet::new() };

    let racine = Relations::lire(a.lire("_rels/.rels")?, "_rels/.rels")?;
    let classeur = match racine.liste.iter().find(|r| r.genre == REL_DOC) {
        Some(r) => resoudre("", &r.cible),
        None if racine.liste.iter().any(|r| r.genre.ends_with("/officeDocument")) => {
            return Err("classeur au format « Strict Open XML », que fnp n'annote pas en place".into());
        }
        None => return Err("classeur sans partie principale (_rels/.rels)".into()),
    };
    let base = dossier_de(&classeur).to_string();
    let rels_classeur_nom = rels_de(&classeur);
    let mut rels_classeur = Relations::lire(a.lire(&rels_classeur_nom)?, &rels_classeur_nom)?;
    let texte_classeur = a.lire_requise(&classeur)?;
    let sommaire = lire_sommaire(&texte_classeur, &classeur, &rels_classeur, &base)?;
    let styles_nom = match rels_classeur.de_genre("styles") {
        Some(r) => resoudre(&base, &r.cible),
        None => return Err("classeur sans styles".into()),
    };
    let mut styles = styles::Styles::lire(a.lire_requise(&styles_nom)?)?;
    let mut types = a.lire_requise("[Content_Types].xml")?;
    let mut surcharges: Vec<(String, &str)> = Vec::new();

    // The findings by sheet and cell; the cell of each finding, for the Anomalies sheet.
    let mut par_feuille: BTreeMap<usize, BTreeMap<(u32, u32), Vec<&Constat>>> = BTreeMap::new();
    let mut cellules: Vec<Option<(String, String)>> = Vec::with_capacity(constats.len());
    for c in constats {
        let place = c.emplacement.cellule.as_deref().and_then(decouper_cellule).and_then(|(f, r)| {
            let i = sommaire.feuilles.iter().position(|x| x.nom == f)?;
            Some((i, f, r))
        });
        match place {
            Some((i, f, r)) => {
                if let Some(pos) = xml::lire_reference(r) {
                    par_feuille.entry(i).or_default().entry(pos).or_default().push(c);
                }
                cellules.push(Some((f.to_string(), r.to_string())));
            }
            None => cellules.push(None),
        }
    }

    // Shape-id blocks already used by the workbook's drawings.
    let vmls: Vec<String> = a.noms.iter().filter(|n| n.to_ascii_lowercase().ends_with(".vml")).cloned().collect();
    let mut blocs: Vec<u32> = Vec::new();
    for v in &vmls {
        if let Some(t) = a.lire(v)? {
            blocs.extend(commentaires::blocs(&t));
        }
    }
    // What fnp changes, cell by cell, for the record (nettoyage).
    let mut touchees: Vec<nettoyage::Touchee> = Vec::new();
    for (i, cibles) in &par_feuille {
        let partie = sommaire.feuilles[*i].partie.clone();
        let dossier = dossier_de(&partie).to_string();
        let texte = a.lire_requise(&partie)?;
        let existant = feuille::examiner(&texte, &partie)?;
        let rels_nom = rels_de(&partie);
        let mut rels = Relations::lire(a.lire(&rels_nom)?, &rels_nom)?;
        let notes: BTreeMap<(u32, u32), String> = cibles
            .iter()
            .map(|(k, v)| {
                let t = texte_note(v);
                (*k, super::cellules::tronquer(&t, super::cellules::NOTE_MAX).into_owned())
            })
            .collect();
        let nouvelles = match rels.de_genre("comments").map(|r| resoudre(&dossier, &r.cible)) {
            Some(nom) => {
                let t = a.lire_requise(&nom)?;
                let (t, nouvelles) = commentaires::fusionner(&t, &nom, &notes)?;
                a.changer(&nom, t);
                nouvelles
            }
            None => {
                let nom = a.nom_libre(&format!("{base}/comments"), ".xml");
                a.ajouter(nom.clone(), commentaires::nouveaux(&notes));
                rels.ajouter("comments", relative(&dossier, &nom));
                surcharges.push((nom, CT_COMMENTAIRES));
                notes.keys().copied().collect()
            }
        };
        let dessin_existant =
            existant.dessin.as_deref().and_then(|id| rels.par_id(id)).map(|r| resoudre(&dossier, &r.cible));
        let nouveau_dessin = match dessin_existant {
            Some(nom) => {
                let t = a.lire_requise(&nom)?;
                a.changer(&nom, commentaires::completer_dessin(&t, &nouvelles)?);
                None
            }
            None => {
                let bloc = (1..).find(|b| !blocs.contains(b)).unwrap_or(1);
                blocs.push(bloc);
                let nom = a.nom_libre(&format!("{base}/drawings/vmlDrawing"), ".vml");
                a.ajouter(nom.clone(), commentaires::nouveau_dessin(bloc, &nouvelles));
                surcharges.push((nom.clone(), CT_VML));
                Some(rels.ajouter("vmlDrawing", relative(&dossier, &nom)))
            }
        };
        let pires: BTreeMap<(u32, u32), Gravite> =
            cibles.iter().map(|(k, v)| (*k, v.iter().map(|c| c.gravite).min().unwrap_or(Gravite::Info))).collect();
        let (texte, origines) = feuille::retoucher(&texte, &partie, &pires, &mut styles, nouveau_dessin.as_deref())?;
        a.changer(&partie, texte);
        touchees.extend(cibles.keys().map(|pos| nettoyage::Touchee {
            feuille: sommaire.feuilles[*i].nom.clone(),
            position: *pos,
            style: origines.get(pos).copied().flatten(),
            commentaire_nouveau: nouvelles.contains(pos),
        }));
        if let Some(t) = rels.finir()? {
            a.changer(&rels_nom, t);
        }
    }

    // The Anomalies sheet, last.
    let (entete, lignes) = styles.anomalies();
    let nom_feuille = ["Anomalies".to_string(), "Anomalies fnp".into()]
        .into_iter()
        .chain((2..).map(|n| format!("Anomalies fnp {n}")))
        .find(|n| !sommaire.feuilles.iter().any(|f| f.nom.eq_ignore_ascii_case(n)))
        .unwrap_or_default();
    let partie_anomalies = a.nom_libre(&format!("{base}/worksheets/sheet"), ".xml");
    a.ajouter(partie_anomalies.clone(), anomalies::feuille(constats, &cellules, entete, &lignes));
    surcharges.push((partie_anomalies.clone(), CT_FEUILLE));
    let id = rels_classeur.ajouter("worksheet", relative(&base, &partie_anomalies));
    let sheet_id = sommaire.ids.iter().max().copied().unwrap_or(0) + 1;
    let p = &sommaire.prefixe;
    // The relationships namespace declared on the element itself: some writers declare it
    // on each `<sheet>` rather than on the workbook.
    let mut ajout_feuilles = format!(
        "<{p}sheet xmlns:r=\"{NS_REL}\" name=\"{}\" sheetId=\"{sheet_id}\" r:id=\"{id}\"/>",
        xml::echapper(&nom_feuille)
    );
    // The record of what fnp changed, hidden, last (never twice: a workbook that still has
    // one, unread, keeps it and gets none).
    if !sommaire.feuilles.iter().any(|f| f.nom == nettoyage::FEUILLE_RELEVE) {
        let partie_releve = a.nom_libre(&format!("{base}/worksheets/sheet"), ".xml");
        a.ajouter(partie_releve.clone(), nettoyage::feuille_releve(&nom_feuille, &touchees));
        surcharges.push((partie_releve.clone(), CT_FEUILLE));
        let id_releve = rels_classeur.ajouter("worksheet", relative(&base, &partie_releve));
        ajout_feuilles.push_str(&format!(
            "<{p}sheet xmlns:r=\"{NS_REL}\" name=\"{}\" sheetId=\"{}\" state=\"hidden\" r:id=\"{id_releve}\"/>",
            nettoyage::FEUILLE_RELEVE,
            sheet_id + 1
        ));
    }
    let mut retouches = vec![Retouche::inserer(sommaire.fin_feuilles, ajout_feuilles)];
    // Its header row printed on every page.
    let titres = format!(
        "<{p}definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{}\">'{}'!$1:$1</{p}definedName>",
        sommaire.feuilles.len(),
        xml::echapper(&nom_feuille.replace('\'', "''"))
    );
    retouches.push(match (sommaire.noms_definis, sommaire.noms_definis_vide.clone()) {
        (_, Some(vide)) => Retouche::remplacer(vide, format!("<{p}definedNames>{titres}</{p}definedNames>")),
        (Some(fin), None) => Retouche::inserer(fin, titres),
        (None, None) => Retouche::inserer(sommaire.apres_noms, format!("<{p}definedNames>{titres}</{p}definedNames>")),
    });
    a.changer(&classeur, xml::appliquer(&texte_classeur, retouches)?);
    if let Some(t) = rels_classeur.finir()? {
        a.changer(&rels_classeur_nom, t);
    }
    a.changer(&styles_nom, styles.finir()?);

    let Some(fin_types) = types.rfind("</") else { return Err("[Content_Types].xml illisible".into()) };
    let ajout: String = surcharges
        .iter()
        .map(|(n, t)| format!("<Override PartName=\"/{}\" ContentType=\"{t}\"/>", xml::echapper(n)))
        .collect();
    types.insert_str(fin_types, &ajout);
    a.changer("[Content_Types].xml", types);
    ecrire(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lecture::Emplacement;
    use std::io::{Read, Write};
    use zip::write::SimpleFileOptions;

    fn constat(cellule: &str, g: Gravite) -> Constat {
        let e = Emplacement { fichier: "t.xlsx".into(), cellule: Some(cellule.into()), ..Default::default() };
        Constat::nouveau("TEST", g, "message <&> \u{1b}".into(), e)
    }

    fn classeur() -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let f = wb.add_worksheet().set_name("Dépenses").expect("name");
        f.write_string(0, 0, "Nature").expect("w");
        f.write_number(1, 2, 12.5).expect("w");
        wb.save_to_buffer().expect("save")
    }

    /// The parts of `octets` with one part's text replaced.
    fn avec_partie(octets: &[u8], nom: &str, texte: &[u8]) -> Vec<u8> {
        let mut z = zip::ZipArchive::new(Cursor::new(octets)).expect("zip");
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..z.len() {
            let mut f = z.by_index(i).expect("part");
            let n = f.name().expect("name").to_string();
            let mut o = Vec::new();
            f.read_to_end(&mut o).expect("read");
            w.start_file(n.as_str(), SimpleFileOptions::default()).expect("start");
            w.write_all(if n == nom { texte } else { &o }).expect("write");
        }
        w.finish().expect("finish").into_inner()
    }

    /// Whatever a workbook's parts hold, annotating it is a copy calamine opens, or a
    /// reason — never a panic (the batch would stop) and never a copy no reader opens.
    #[test]
    fn hostile_parts_give_a_readable_copy_or_a_reason() {
        use calamine::Reader;
        let base = classeur();
        let constats = vec![constat("Dépenses!B2", Gravite::Erreur), constat("Dépenses!C2", Gravite::Info)];
        let sortie = annoter(&base, &constats).expect("a plain workbook is annotated");
        calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(sortie)).expect("opens");
        let mut z = zip::ZipArchive::new(Cursor::new(&base[..])).expect("zip");
        let mut graine: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut hasard = move |n: usize| {
            graine ^= graine << 13;
            graine ^= graine >> 7;
            graine ^= graine << 17;
            (graine % n.max(1) as u64) as usize
        };
        let noms: Vec<String> = z.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
        let (mut refus, mut copies) = (0, 0);
        for _ in 0..300 {
            let nom = &noms[hasard(noms.len())];
            let mut o = Vec::new();
            z.by_name(nom).expect("part").read_to_end(&mut o).expect("read");
            match hasard(4) {
                0 => o.truncate(hasard(o.len())),
                1 => {
                    let i = hasard(o.len());
                    o.insert(i, [b'<', b'>', b'"', b'/', 0xC3, b'&', b'!'][hasard(7)]);
                }
                2 => {
                    let i = hasard(o.len());
                    o.drain(i..(i + 1 + hasard(20)).min(o.len()));
                }
                _ => {
                    let i = hasard(o.len());
                    let j = hasard(o.len());
                    let morceau = o[i.min(j)..i.max(j)].to_vec();
                    let (a, b) = (hasard(o.len()), hasard(o.len()));
                    o.splice(a.min(b)..a.max(b), morceau);
                }
            }
            let abime = avec_partie(&base, nom, &o);
            match std::panic::catch_unwind(|| annoter(&abime, &constats)) {
                Err(_) => panic!("annotating a workbook with a damaged {nom} panicked"),
                Ok(Err(_)) => refus += 1,
                Ok(Ok(copie)) => {
                    copies += 1;
                    // Where the damaged input still opens, so does its copy.
                    let lisible = |b: Vec<u8>| {
                        calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(b))
                            .ok()
                            .and_then(|mut w| w.worksheet_range("Dépenses").ok())
                            .is_some()
                    };
                    if lisible(abime.clone()) {
                        assert!(lisible(copie), "the copy of a readable workbook with a damaged {nom} does not open");
                    }
                }
            }
        }
        assert!(refus > 0 && copies > 0, "both outcomes met: {refus} refused, {copies} copies");
    }

    #[test]
    fn part_paths_resolve_and_relate() {
        assert_eq!(resoudre("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resoudre("xl/worksheets", "../comments1.xml"), "xl/comments1.xml");
        assert_eq!(resoudre("xl", "/xl/worksheets/sheet2.xml"), "xl/worksheets/sheet2.xml");
        assert_eq!(relative("xl/worksheets", "xl/comments3.xml"), "../comments3.xml");
        assert_eq!(relative("xl/worksheets", "xl/drawings/vmlDrawing1.vml"), "../drawings/vmlDrawing1.vml");
        assert_eq!(relative("xl", "xl/worksheets/sheet5.xml"), "worksheets/sheet5.xml");
        assert_eq!(rels_de("xl/worksheets/sheet1.xml"), "xl/worksheets/_rels/sheet1.xml.rels");
        assert_eq!(rels_de("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
        assert_eq!(decouper_cellule("Dépenses!C5"), Some(("Dépenses", "C5")));
        assert_eq!(decouper_cellule("Feuille!2!B1"), Some(("Feuille!2", "B1")));
        assert_eq!(decouper_cellule("Dossier"), None);
    }
}
