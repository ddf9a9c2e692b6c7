//! The `Anomalies` sheet added to the workbook as received: one row per finding (rule,
//! severity, message, cell as a link to it, source title, quoted sentence), frozen header,
//! filters, printed landscape on A4, one page wide.

use std::collections::HashMap;

use super::xml::{echapper, reference};
use crate::check::Constat;
use crate::rules::Gravite;

/// The columns of the sheet and their widths, for both the copy as received and the copy
/// rebuilt on fnp's template.
pub const COLONNES: [(&str, f64); 6] =
    [("Règle", 26.0), ("Gravité", 14.0), ("Message", 80.0), ("Cellule", 18.0), ("Source", 48.0), ("Texte", 70.0)];

/// One finding's row: rule, severity, message, where (the cell, else the place in words),
/// the source by its title and section (never its file name), the sentence quoted. A text
/// longer than a cell of Excel holds (a message quoting a long value) is cut with a visible
/// mark.
pub fn ligne(c: &Constat, cellule: Option<&str>) -> [String; 6] {
    ligne_entiere(c, cellule).map(|v| {
        match crate::ecriture::cellules::tronquer(&v, crate::ecriture::cellules::TEXTE_MAX) {
            std::borrow::Cow::Borrowed(_) => v,
            std::borrow::Cow::Owned(t) => t,
        }
    })
}

fn ligne_entiere(c: &Constat, cellule: Option<&str>) -> [String; 6] {
    let source = match (&c.source_titre, &c.section) {
        (Some(t), Some(sec)) => format!("{t}, {sec}"),
        (Some(t), None) => t.clone(),
        (None, _) => String::new(),
    };
    [
        c.regle.clone(),
        c.gravite.as_str().to_string(),
        c.message.clone(),
        cellule.map_or_else(|| c.lieu.clone(), str::to_string),
        source,
        match (&c.citation, &c.surcharge) {
            (Some(q), Some(s)) => format!("{q} ({s})"),
            (q, s) => q.clone().or_else(|| s.as_ref().map(|s| format!("({s})"))).unwrap_or_default(),
        },
    ]
}

/// The height a row needs for its wrapped texts, in points.
pub fn hauteur(valeurs: &[String; 6]) -> f64 {
    let lignes = valeurs
        .iter()
        .zip(COLONNES)
        .map(|(v, (_, largeur))| crate::ecriture::cellules::lignes_pliees(v, largeur))
        .max();
    crate::ecriture::cellules::hauteur(lignes.unwrap_or(1).max(1))
}

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
        let lieu = cellules.get(i).and_then(Option::as_ref).map(|(feuille, cell)| {
            liens.push_str(&format!(
                "<hyperlink ref=\"{}\" location=\"{}\" display=\"{}\"/>",
                reference(l, 3),
                echapper(&cible(feuille, cell)),
                echapper(&format!("{feuille}!{cell}"))
            ));
            format!("{feuille}!{cell}")
        });
        let valeurs = ligne(c, lieu.as_deref());
        // Wrapped texts need their height set: LibreOffice does not grow a row on opening.
        s.push_str(&format!("<row r=\"{}\" ht=\"{}\" customHeight=\"1\">", l + 1, hauteur(&valeurs)));
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
