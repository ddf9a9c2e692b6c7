//! One worksheet of the workbook as received, with the cells that carry findings
//! highlighted (an absent cell is added, empty, in its row) and, when the sheet gets new
//! comments, the link to their drawing. Nothing else of the sheet changes.

use std::collections::BTreeMap;

use quick_xml::events::Event;

use super::styles::Styles;
use super::xml::{self, Evenements, Retouche};
use crate::rules::Gravite;

/// Elements that come after `legacyDrawing` in a worksheet (ECMA-376, CT_Worksheet).
const APRES_DESSIN: &[&str] =
    &["legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"];

/// What the sheet already holds that the annotation must build on.
#[derive(Debug, Default)]
pub struct Existant {
    /// The relationship id of its `legacyDrawing` (comments' shapes, form controls).
    pub dessin: Option<String>,
}

/// Reads what the annotation needs to know of a sheet before changing it.
pub fn examiner(texte: &str, partie: &str) -> Result<Existant, String> {
    let mut ev = Evenements::new(texte, partie);
    let mut ex = Existant::default();
    while let Some((e, _, _)) = ev.suivant()? {
        if let Event::Empty(b) | Event::Start(b) = &e
            && xml::nom_local(b) == "legacyDrawing"
        {
            ex.dessin = xml::attribut_local(b, "id");
        }
    }
    Ok(ex)
}

/// What a highlighted cell was before fnp touched it: its style index (`None` for a cell
/// the sheet did not have, which fnp added empty).
pub type Origines = BTreeMap<(u32, u32), Option<u32>>;

/// The sheet with each target cell (0-based row, column) highlighted for its severity and,
/// if `dessin` is given, a `legacyDrawing` pointing at that relationship; and what each
/// highlighted cell was, so that the highlight can be taken off again.
pub fn retoucher(
    texte: &str,
    partie: &str,
    cibles: &BTreeMap<(u32, u32), Gravite>,
    styles: &mut Styles,
    dessin: Option<&str>,
) -> Result<(String, Origines), String> {
    let origines: Origines = cibles.keys().map(|k| (*k, None)).collect::<BTreeMap<_, _>>();
    let mut origines = origines;
    let mut ev = Evenements::new(texte, partie);
    let mut retouches = Vec::new();
    // Targets not met yet, by row then column.
    let mut restantes: BTreeMap<u32, BTreeMap<u32, Gravite>> = BTreeMap::new();
    for ((l, c), g) in cibles {
        restantes.entry(*l).or_default().insert(*c, *g);
    }
    let mut prefixe = String::new();
    let mut dans_donnees = false;
    // The row being read (0-based), the last column seen in it.
    let mut ligne: Option<u32> = None;
    let mut derniere_ligne: Option<u32> = None;
    let mut derniere_col: Option<u32> = None;
    let mut dessin_place = dessin.is_none();
    let cellule_vide = |p: &str, l: u32, c: u32, styles: &mut Styles, g: Gravite| {
        format!("<{p}c r=\"{}\" s=\"{}\"/>", xml::reference(l, c), styles.surligne(0, g))
    };
    let ligne_entiere = |p: &str, l: u32, cols: &BTreeMap<u32, Gravite>, styles: &mut Styles| {
        let cellules: String = cols.iter().map(|(c, g)| cellule_vide(p, l, *c, styles, *g)).collect();
        format!("<{p}row r=\"{}\">{cellules}</{p}row>", l + 1)
    };
    while let Some((e, etendue, profondeur)) = ev.suivant()? {
        if prefixe.is_empty() {
            prefixe.push_str(ev.prefixe());
        }
        match &e {
            Event::Start(b) | Event::Empty(b) => {
                let vide = matches!(e, Event::Empty(_));
                let nom = xml::nom_local(b);
                if profondeur == 1 && !dessin_place && APRES_DESSIN.contains(&nom) {
                    retouches.push(Retouche::inserer(etendue.start, legacy(&prefixe, dessin.unwrap_or_default())));
                    dessin_place = true;
                }
                if profondeur == 1 && nom == "sheetData" {
                    if vide {
                        let lignes: String = std::mem::take(&mut restantes)
                            .iter()
                            .map(|(l, cols)| ligne_entiere(&prefixe, *l, cols, styles))
                            .collect();
                        let ouverture = xml::balise_avec(b, &[], false);
                        retouches.push(Retouche::remplacer(
                            etendue.clone(),
                            format!("{ouverture}{lignes}</{prefixe}sheetData>"),
                        ));
                    } else {
                        dans_donnees = true;
                    }
                } else if dans_donnees && profondeur == 2 && nom == "row" {
                    let l = xml::numero_ligne(b, derniere_ligne);
                    // Rows the sheet does not have, before this one.
                    let avant: Vec<u32> = restantes.range(..l).map(|(k, _)| *k).collect();
                    for k in avant {
                        if let Some(cols) = restantes.remove(&k) {
                            retouches.push(Retouche::inserer(etendue.start, ligne_entiere(&prefixe, k, &cols, styles)));
                        }
                    }
                    derniere_ligne = Some(l);
                    derniere_col = None;
                    if vide {
                        if let Some(cols) = restantes.remove(&l) {
                            let cellules: String =
                                cols.iter().map(|(c, g)| cellule_vide(&prefixe, l, *c, styles, *g)).collect();
                            // `spans` (the row's columns, a hint) would no longer be true.
                            let ouverture = xml::balise_sans(b, &["spans"], false);
                            retouches.push(Retouche::remplacer(
                                etendue.clone(),
                                format!("{ouverture}{cellules}</{prefixe}row>"),
                            ));
                        }
                    } else {
                        if restantes.contains_key(&l) && xml::attribut(b, "spans").is_some() {
                            retouches
                                .push(Retouche::remplacer(etendue.clone(), xml::balise_sans(b, &["spans"], false)));
                        }
                        ligne = Some(l);
                    }
                } else if let (true, 3, Some(l), "c") = (dans_donnees, profondeur, ligne, nom) {
                    let c = xml::numero_colonne(b, derniere_col);
                    derniere_col = Some(c);
                    if let Some(cols) = restantes.get_mut(&l) {
                        // Absent cells before this one.
                        let avant: Vec<u32> = cols.range(..c).map(|(k, _)| *k).collect();
                        for k in avant {
                            if let Some(g) = cols.remove(&k) {
                                retouches
                                    .push(Retouche::inserer(etendue.start, cellule_vide(&prefixe, l, k, styles, g)));
                            }
                        }
                        if let Some(g) = cols.remove(&c) {
                            let s = xml::attribut(b, "s").and_then(|s| s.trim().parse::<u32>().ok()).unwrap_or(0);
                            origines.insert((l, c), Some(s));
                            let nouveau = styles.surligne(s, g).to_string();
                            retouches.push(Retouche::remplacer(
                                etendue.clone(),
                                xml::balise_avec(b, &[("s", &nouveau)], vide),
                            ));
                        }
                        if cols.is_empty() {
                            restantes.remove(&l);
                        }
                    }
                }
            }
            Event::End(b) => {
                let nom = xml::nom_local_fin(b.name().into_inner());
                if dans_donnees && profondeur == 2 && nom == "row" {
                    if let Some(cols) = ligne.and_then(|l| restantes.remove(&l).map(|c| (l, c))) {
                        let (l, cols) = cols;
                        let cellules: String =
                            cols.iter().map(|(c, g)| cellule_vide(&prefixe, l, *c, styles, *g)).collect();
                        retouches.push(Retouche::inserer(etendue.start, cellules));
                    }
                    ligne = None;
                } else if dans_donnees && profondeur == 1 && nom == "sheetData" {
                    let lignes: String = std::mem::take(&mut restantes)
                        .iter()
                        .map(|(l, cols)| ligne_entiere(&prefixe, *l, cols, styles))
                        .collect();
                    retouches.push(Retouche::inserer(etendue.start, lignes));
                    dans_donnees = false;
                } else if profondeur == 0 && !dessin_place {
                    retouches.push(Retouche::inserer(etendue.start, legacy(&prefixe, dessin.unwrap_or_default())));
                    dessin_place = true;
                }
            }
            _ => {}
        }
    }
    if !restantes.is_empty() {
        return Err(format!("feuille {partie} sans données de cellules (sheetData absent)"));
    }
    Ok((xml::appliquer(texte, retouches)?, origines))
}

fn legacy(prefixe: &str, id: &str) -> String {
    format!(
        "<{prefixe}legacyDrawing xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"{}\"/>",
        xml::echapper(id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<styleSheet><fonts count="1"><font/></fonts><fills count="2"><fill/><fill/></fills><cellXfs count="2"><xf fontId="0"/><xf fontId="0" numFmtId="164"/></cellXfs></styleSheet>"#;

    fn retouche(feuille: &str, cibles: &[((u32, u32), Gravite)], dessin: Option<&str>) -> String {
        let mut styles = Styles::lire(STYLES.into()).unwrap();
        let cibles: BTreeMap<_, _> = cibles.iter().copied().collect();
        retoucher(feuille, "sheet1.xml", &cibles, &mut styles, dessin).unwrap().0
    }

    #[test]
    fn existing_cells_change_style_and_absent_ones_are_added_in_order() {
        let f = r#"<worksheet><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c><c r="C2" s="1"><v>12</v></c></row><row r="5" spans="1:2"/><row r="7" spans="1:1"><c r="A7"/></row></sheetData><pageMargins/></worksheet>"#;
        let t = retouche(
            f,
            &[
                ((1, 1), Gravite::Info),
                ((1, 2), Gravite::Erreur),
                ((3, 0), Gravite::Avertissement),
                ((4, 1), Gravite::Erreur),
                ((6, 2), Gravite::Erreur),
                ((9, 3), Gravite::Info),
            ],
            Some("rIdFnpV"),
        );
        assert_eq!(
            t,
            r#"<worksheet><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" s="2"/><c r="C2" s="3"><v>12</v></c></row><row r="4"><c r="A4" s="4"/></row><row r="5"><c r="B5" s="5"/></row><row r="7"><c r="A7"/><c r="C7" s="5"/></row><row r="10"><c r="D10" s="2"/></row></sheetData><pageMargins/><legacyDrawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdFnpV"/></worksheet>"#
        );
    }

    #[test]
    fn the_drawing_goes_before_the_elements_that_follow_it() {
        let f = r#"<x:worksheet xmlns:x="m"><x:sheetData/><x:tableParts count="0"/></x:worksheet>"#;
        let t = retouche(f, &[((0, 0), Gravite::Erreur)], Some("r9"));
        assert_eq!(
            t,
            r#"<x:worksheet xmlns:x="m"><x:sheetData><x:row r="1"><x:c r="A1" s="2"/></x:row></x:sheetData><x:legacyDrawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="r9"/><x:tableParts count="0"/></x:worksheet>"#
        );
    }

    #[test]
    fn rows_and_cells_without_references_are_counted() {
        let f =
            r#"<worksheet><sheetData><row><c><v>1</v></c><c><v>2</v></c></row><row><c/></row></sheetData></worksheet>"#;
        let t = retouche(f, &[((0, 1), Gravite::Erreur), ((1, 0), Gravite::Info)], None);
        assert_eq!(
            t,
            r#"<worksheet><sheetData><row><c><v>1</v></c><c s="2"><v>2</v></c></row><row><c s="3"/></row></sheetData></worksheet>"#
        );
    }
}
