//! The `Anomalies` sheet added to the workbook as received: one row per finding (rule,
//! severity, message, cell as a link to it, source title, quoted sentence), frozen header,
//! filters, printed landscape on A4, one page wide.

use std::collections::HashMap;

use super::xml::{echapper, reference};
use crate::check::Constat;
use crate::rules::Gravite;

const COLONNES: [(&str, f64); 6] =
    [("Règle", 26.0), ("Gravité", 14.0), ("Message", 80.0), ("Cellule", 18.0), ("Source", 48.0), ("Texte", 70.0)];

fn cellule(l: u32, c: u32, s: u32, texte: &str) -> String {
    format!(
        "<c r=\"{}\" t=\"inlineStr\" s=\"{s}\"><is><t xml:space=\"preserve\">{}</t></is></c>",
        reference(l, c),
        echapper(texte)
    )
}

/// `'Dépenses'!C5` for a link inside the workbook.
fn cible(feuille: &str, cell: &str) -> String {
    format!("'{}'!{cell}", feuille.replace('\'', "''"))
}

/// The sheet's XML. `cellules[i]`: the sheet and cell of finding `i`, when it has one in
/// this workbook.
pub fn feuille(
    constats: &[Constat],
    cellules: &[Option<(String, String)>],
    entete: u32,
    lignes: &HashMap<Gravite, u32>,
) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>",
    );
    let derniere = reference(constats.len() as u32, COLONNES.len() as u32 - 1);
    s.push_str(&format!("<dimension ref=\"A1:{derniere}\"/>"));
    s.push_str("<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>");
    for (j, (_, largeur)) in COLONNES.iter().enumerate() {
        s.push_str(&format!("<col min=\"{n}\" max=\"{n}\" width=\"{largeur}\" customWidth=\"1\"/>", n = j + 1));
    }
    s.push_str("</cols><sheetData><row r=\"1\">");
    for (j, (titre, _)) in COLONNES.iter().enumerate() {
        s.push_str(&cellule(0, j as u32, entete, titre));
    }
    s.push_str("</row>");
    let mut liens = String::new();
    for (i, c) in constats.iter().enumerate() {
        let l = i as u32 + 1;
        let st = lignes.get(&c.gravite).copied().unwrap_or(0);
        let source = match (&c.source_titre, &c.section) {
            (Some(t), Some(sec)) => format!("{t}, {sec}"),
            (Some(t), None) => t.clone(),
            (None, _) => c.source.clone().unwrap_or_default(),
        };
        let lieu = match cellules.get(i).and_then(Option::as_ref) {
            Some((feuille, cell)) => {
                liens.push_str(&format!(
                    "<hyperlink ref=\"{}\" location=\"{}\" display=\"{}\"/>",
                    reference(l, 3),
                    echapper(&cible(feuille, cell)),
                    echapper(&format!("{feuille}!{cell}"))
                ));
                format!("{feuille}!{cell}")
            }
            None => c.lieu.clone(),
        };
        s.push_str(&format!("<row r=\"{}\">", l + 1));
        let valeurs =
            [c.regle.as_str(), c.gravite.as_str(), &c.message, &lieu, &source, c.citation.as_deref().unwrap_or("")];
        for (j, v) in valeurs.iter().enumerate() {
            s.push_str(&cellule(l, j as u32, st, v));
        }
        s.push_str("</row>");
    }
    s.push_str("</sheetData>");
    s.push_str(&format!("<autoFilter ref=\"A1:{derniere}\"/>"));
    if !liens.is_empty() {
        s.push_str(&format!("<hyperlinks>{liens}</hyperlinks>"));
    }
    s.push_str("<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/></worksheet>");
    s
}
