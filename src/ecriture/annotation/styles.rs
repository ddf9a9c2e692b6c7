//! The workbook's `styles.xml`, extended: a fill per severity, and for each cell style a
//! highlighted twin (the same number format, font, borders, alignment and protection, with
//! the severity's fill), so that a highlighted cell still shows its value as it was shown.

use std::collections::HashMap;
use std::ops::Range;

use quick_xml::events::Event;

use super::xml::{self, Evenements, Retouche};
use crate::rules::Gravite;

/// Background of a cell by the worst severity of its findings (as in the rebuilt copy).
pub fn rgb(g: Gravite) -> &'static str {
    match g {
        Gravite::Erreur => "FFF8C9C4",
        Gravite::Avertissement => "FFFFE3B3",
        Gravite::Info => "FFCFE6F5",
    }
}

/// One list of `styles.xml` (`fills`, `fonts`, `cellXfs`): where it is and what it holds.
#[derive(Default)]
struct Liste {
    /// The start tag (or the empty element), to rewrite its `count`.
    balise: Range<usize>,
    vide: bool,
    /// Where new children go (before the end tag).
    fin: usize,
    /// Each child's text, as written.
    enfants: Vec<String>,
    prefixe: String,
    ajouts: Vec<String>,
}

pub struct Styles {
    texte: String,
    fills: Liste,
    fonts: Liste,
    xfs: Liste,
    /// (original style, severity) → new style index.
    jumeaux: HashMap<(u32, Gravite), u32>,
    remplissages: HashMap<Gravite, usize>,
    gras: Option<usize>,
}

impl Styles {
    pub fn lire(texte: String) -> Result<Styles, String> {
        let mut listes: HashMap<&'static str, Liste> = HashMap::new();
        {
            let mut ev = Evenements::new(&texte, "styles.xml");
            // The list being read (at depth 1) and the start of its current child.
            let mut courante: Option<&'static str> = None;
            let mut debut_enfant = 0usize;
            while let Some((e, etendue, profondeur)) = ev.suivant()? {
                match &e {
                    Event::Start(b) | Event::Empty(b) => {
                        let vide = matches!(e, Event::Empty(_));
                        if profondeur == 1 {
                            let nom = xml::nom_local(b);
                            let cle: Option<&'static str> =
                                ["fills", "fonts", "cellXfs"].into_iter().find(|n| *n == nom);
                            if let Some(cle) = cle {
                                listes.insert(
                                    cle,
                                    Liste {
                                        balise: etendue.clone(),
                                        vide,
                                        fin: etendue.end,
                                        prefixe: xml::prefixe(b),
                                        ..Default::default()
                                    },
                                );
                                courante = (!vide).then_some(cle);
                            }
                        } else if profondeur == 2 && courante.is_some() {
                            debut_enfant = etendue.start;
                            if vide && let Some(l) = courante.and_then(|c| listes.get_mut(c)) {
                                l.enfants.push(texte[etendue.clone()].to_string());
                            }
                        }
                    }
                    Event::End(_) => {
                        if profondeur == 2
                            && let Some(l) = courante.and_then(|c| listes.get_mut(c))
                        {
                            l.enfants.push(texte[debut_enfant..etendue.end].to_string());
                        } else if profondeur == 1
                            && let Some(l) = courante.take().and_then(|c| listes.get_mut(c))
                        {
                            l.fin = etendue.start;
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut prendre = |n: &'static str| listes.remove(n);
        let (Some(fills), Some(fonts), Some(xfs)) = (prendre("fills"), prendre("fonts"), prendre("cellXfs")) else {
            return Err("styles du classeur incomplets (fills, fonts ou cellXfs absents)".into());
        };
        if xfs.enfants.is_empty() {
            return Err("styles du classeur sans style de cellule".into());
        }
        Ok(Styles { texte, fills, fonts, xfs, jumeaux: HashMap::new(), remplissages: HashMap::new(), gras: None })
    }

    fn remplissage(&mut self, g: Gravite) -> usize {
        if let Some(i) = self.remplissages.get(&g) {
            return *i;
        }
        let p = &self.fills.prefixe;
        let f = format!(
            "<{p}fill><{p}patternFill patternType=\"solid\"><{p}fgColor rgb=\"{}\"/><{p}bgColor indexed=\"64\"/></{p}patternFill></{p}fill>",
            rgb(g)
        );
        let i = self.fills.enfants.len() + self.fills.ajouts.len();
        self.fills.ajouts.push(f);
        self.remplissages.insert(g, i);
        i
    }

    fn police_grasse(&mut self) -> usize {
        if let Some(i) = self.gras {
            return i;
        }
        let p = &self.fonts.prefixe;
        let f = format!("<{p}font><{p}b/><{p}sz val=\"11\"/><{p}name val=\"Calibri\"/></{p}font>");
        let i = self.fonts.enfants.len() + self.fonts.ajouts.len();
        self.fonts.ajouts.push(f);
        self.gras = Some(i);
        i
    }

    /// A new cell style: style `base` with these attributes and, if given, its children
    /// replaced by `enfants`.
    fn deriver(&mut self, base: u32, changes: &[(&str, &str)], enfants: Option<String>) -> u32 {
        let source = self.xfs.enfants.get(base as usize).or(self.xfs.enfants.first()).cloned().unwrap_or_default();
        let mut ev = Evenements::new(&source, "styles.xml");
        let nouveau = match ev.suivant() {
            Ok(Some((Event::Empty(b), _, _))) => match enfants {
                Some(c) => format!("{}{c}</{}>", xml::balise_avec(&b, changes, false), nom(&b)),
                None => xml::balise_avec(&b, changes, true),
            },
            Ok(Some((Event::Start(b), etendue, _))) => {
                let fin = source.rfind("</").unwrap_or(source.len());
                let dedans = enfants.unwrap_or_else(|| source.get(etendue.end..fin).unwrap_or_default().to_string());
                format!("{}{dedans}</{}>", xml::balise_avec(&b, changes, false), nom(&b))
            }
            _ => format!("<{}xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>", self.xfs.prefixe),
        };
        let i = self.xfs.enfants.len() + self.xfs.ajouts.len();
        self.xfs.ajouts.push(nouveau);
        i as u32
    }

    /// The style of a cell of style `s` highlighted for severity `g`.
    pub fn surligne(&mut self, s: u32, g: Gravite) -> u32 {
        if let Some(i) = self.jumeaux.get(&(s, g)) {
            return *i;
        }
        let fill = self.remplissage(g).to_string();
        let i = self.deriver(s, &[("fillId", &fill), ("applyFill", "1")], None);
        self.jumeaux.insert((s, g), i);
        i
    }

    /// Styles of the `Anomalies` sheet: the header, then a row style per severity (wrapped,
    /// top-aligned, with the severity's fill).
    pub fn anomalies(&mut self) -> (u32, HashMap<Gravite, u32>) {
        let gras = self.police_grasse().to_string();
        let p = self.xfs.prefixe.clone();
        let entete = self.deriver(
            0,
            &[("numFmtId", "0"), ("fontId", &gras), ("applyFont", "1"), ("fillId", "0"), ("borderId", "0")],
            Some(String::new()),
        );
        let mut lignes = HashMap::new();
        for g in [Gravite::Erreur, Gravite::Avertissement, Gravite::Info] {
            let fill = self.remplissage(g).to_string();
            let alignement = format!("<{p}alignment vertical=\"top\" wrapText=\"1\"/>");
            let i = self.deriver(
                0,
                &[
                    ("numFmtId", "0"),
                    ("fontId", "0"),
                    ("fillId", &fill),
                    ("borderId", "0"),
                    ("applyFill", "1"),
                    ("applyAlignment", "1"),
                ],
                Some(alignement),
            );
            lignes.insert(g, i);
        }
        (entete, lignes)
    }

    /// The styles part with what was added.
    pub fn finir(self) -> Result<String, String> {
        let mut retouches = Vec::new();
        for (liste, nom) in [(&self.fills, "fills"), (&self.fonts, "fonts"), (&self.xfs, "cellXfs")] {
            if liste.ajouts.is_empty() {
                continue;
            }
            let total = (liste.enfants.len() + liste.ajouts.len()).to_string();
            let mut ev = Evenements::new(&self.texte[liste.balise.clone()], "styles.xml");
            let Ok(Some((Event::Start(b) | Event::Empty(b), _, _))) = ev.suivant() else {
                return Err(format!("styles du classeur illisibles ({nom})"));
            };
            let ajout: String = liste.ajouts.concat();
            if liste.vide {
                let balise = xml::balise_avec(&b, &[("count", &total)], false);
                retouches.push(Retouche::remplacer(
                    liste.balise.clone(),
                    format!("{balise}{ajout}</{}{nom}>", liste.prefixe),
                ));
            } else {
                retouches
                    .push(Retouche::remplacer(liste.balise.clone(), xml::balise_avec(&b, &[("count", &total)], false)));
                retouches.push(Retouche::inserer(liste.fin, ajout));
            }
        }
        xml::appliquer(&self.texte, retouches)
    }
}

fn nom(b: &quick_xml::events::BytesStart<'_>) -> String {
    b.name().into_inner().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00\ &quot;€&quot;"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><protection locked="0"/></xf></cellXfs></styleSheet>"##;

    #[test]
    fn a_highlighted_style_keeps_the_format_and_children_of_its_original() {
        let mut s = Styles::lire(STYLES.to_string()).unwrap();
        assert_eq!(s.surligne(1, Gravite::Erreur), 2);
        assert_eq!(s.surligne(1, Gravite::Erreur), 2, "made once");
        assert_eq!(s.surligne(0, Gravite::Info), 3);
        let t = s.finir().unwrap();
        assert!(t.contains(r#"<fills count="4">"#), "{t}");
        assert!(t.contains(r#"<cellXfs count="4">"#), "{t}");
        assert!(
            t.contains(
                r#"<xf numFmtId="164" fontId="0" borderId="0" xfId="0" applyNumberFormat="1" fillId="2" applyFill="1"><protection locked="0"/></xf>"#
            ),
            "{t}"
        );
        assert!(t.contains(r#"<fgColor rgb="FFF8C9C4"/>"#));
        // Everything before the first change is byte for byte the original.
        assert!(t.starts_with(&STYLES[..STYLES.find("<fonts").unwrap()]));
    }

    #[test]
    fn a_style_sheet_without_cell_styles_is_refused() {
        assert!(Styles::lire("<styleSheet><fonts/><fills/></styleSheet>".into()).is_err());
    }
}
