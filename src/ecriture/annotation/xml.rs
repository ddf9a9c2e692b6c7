//! Editing an XML part of a workbook without rewriting it: the part is read once as events
//! with their byte ranges, and the changes are splices of the original text, so every byte
//! that is not changed stays as received (attributes, quotes, spacing, unknown elements).

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One change to a part's text: the bytes `debut..fin` become `texte` (an insertion when
/// `debut == fin`). Insertions at one place keep the order they were made in.
#[derive(Debug, Clone)]
pub struct Retouche {
    pub debut: usize,
    pub fin: usize,
    pub texte: String,
}

impl Retouche {
    pub fn inserer(a: usize, texte: impl Into<String>) -> Retouche {
        Retouche { debut: a, fin: a, texte: texte.into() }
    }

    pub fn remplacer(etendue: Range<usize>, texte: impl Into<String>) -> Retouche {
        Retouche { debut: etendue.start, fin: etendue.end, texte: texte.into() }
    }
}

/// Applies non-overlapping changes to `source`.
pub fn appliquer(source: &str, mut retouches: Vec<Retouche>) -> Result<String, String> {
    retouches.sort_by_key(|r| (r.debut, r.fin));
    let ajout: usize = retouches.iter().map(|r| r.texte.len()).sum();
    let mut sortie = String::with_capacity(source.len() + ajout);
    let mut pos = 0;
    for r in retouches {
        if r.debut < pos || r.fin < r.debut || r.fin > source.len() {
            return Err("modifications du classeur qui se chevauchent".into());
        }
        let (Some(avant), Some(_)) = (source.get(pos..r.debut), source.get(r.debut..r.fin)) else {
            return Err("modification du classeur hors d'un caractère".into());
        };
        sortie.push_str(avant);
        sortie.push_str(&r.texte);
        pos = r.fin;
    }
    sortie.push_str(source.get(pos..).unwrap_or_default());
    Ok(sortie)
}

/// The events of a part with the byte range each one covers and its depth.
pub struct Evenements<'a> {
    lecteur: Reader<&'a [u8]>,
    pos: usize,
    profondeur: usize,
    /// The root element's prefix with its colon (`x:`), once it is read.
    prefixe: String,
    /// The part's name, for error messages.
    partie: &'a str,
}

impl<'a> Evenements<'a> {
    pub fn new(texte: &'a str, partie: &'a str) -> Evenements<'a> {
        Evenements { lecteur: Reader::from_str(texte), pos: 0, profondeur: 0, prefixe: String::new(), partie }
    }

    /// The next event, its range and its depth (the root element is at 0; an end tag has
    /// the depth of its start tag), `None` at the end of the part.
    pub fn suivant(&mut self) -> Result<Option<(Event<'a>, Range<usize>, usize)>, String> {
        let debut = self.pos;
        let e = self.lecteur.read_event().map_err(|e| format!("partie {} illisible (XML : {e})", self.partie))?;
        self.pos = self.lecteur.buffer_position() as usize;
        let profondeur = match &e {
            Event::Eof => return Ok(None),
            Event::Start(b) | Event::Empty(b) => {
                if self.profondeur == 0 && self.prefixe.is_empty() {
                    self.prefixe = prefixe(b);
                }
                let p = self.profondeur;
                if matches!(e, Event::Start(_)) {
                    self.profondeur += 1;
                }
                p
            }
            Event::End(_) => {
                self.profondeur = self.profondeur.saturating_sub(1);
                self.profondeur
            }
            _ => self.profondeur,
        };
        Ok(Some((e, debut..self.pos, profondeur)))
    }

    /// The root element's prefix (`x:` for `<x:worksheet>`), for the elements fnp adds.
    pub fn prefixe(&self) -> &str {
        &self.prefixe
    }
}

/// The local name of an element (`c` for `x:c`).
pub fn nom_local<'b>(e: &'b BytesStart<'_>) -> &'b str {
    nom_local_fin(e.name().into_inner())
}

/// The prefix of an element with its colon (`x:`), or nothing.
pub fn prefixe(e: &BytesStart<'_>) -> String {
    let n = e.name().into_inner();
    n.find(':').map_or(String::new(), |i| n[..=i].to_string())
}

/// The local part of a qualified name.
pub fn nom_local_fin(n: &str) -> &str {
    n.find(':').map_or(n, |i| &n[i + 1..])
}

/// An attribute's value, unescaped (`None` when absent or malformed).
pub fn attribut(e: &BytesStart<'_>, cle: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.into_inner() == cle)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// An attribute whose local name is `local` whatever its prefix (`r:id`, `ns:id`).
pub fn attribut_local(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        let k = a.key.into_inner();
        (k.contains(':') && nom_local_fin(k) == local)
            .then(|| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))?
    })
}

/// The start tag again, with attributes `changes` set (replaced where present, appended
/// otherwise), every other attribute kept as written. `vide`: an empty element (`/>`).
pub fn balise_avec(e: &BytesStart<'_>, changes: &[(&str, &str)], vide: bool) -> String {
    balise(e, changes, &[], vide)
}

/// The start tag again without the attributes `retirer` (an optional hint that fnp's
/// change would make wrong, such as a row's `spans`).
pub fn balise_sans(e: &BytesStart<'_>, retirer: &[&str], vide: bool) -> String {
    balise(e, &[], retirer, vide)
}

fn balise(e: &BytesStart<'_>, changes: &[(&str, &str)], retirer: &[&str], vide: bool) -> String {
    let mut s = String::from("<");
    s.push_str(e.name().into_inner());
    for a in e.attributes().with_checks(false).flatten() {
        let cle = a.key.into_inner();
        if changes.iter().any(|(k, _)| *k == cle) || retirer.contains(&cle) {
            continue;
        }
        let valeur = &a.value;
        let guillemet = if valeur.contains('"') { '\'' } else { '"' };
        s.push_str(&format!(" {cle}={guillemet}{valeur}{guillemet}"));
    }
    for (k, v) in changes {
        s.push_str(&format!(" {k}=\"{}\"", echapper(v)));
    }
    s.push_str(if vide { "/>" } else { ">" });
    s
}

/// Text for XML content or an attribute: escaped, and free of the characters XML 1.0 cannot
/// hold (controls from a dossier are shown as `\u{…}`, like on a terminal).
pub fn echapper(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            '\n' => s.push_str("&#10;"),
            '\t' => s.push('\t'),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' || ('\u{7F}'..='\u{9F}').contains(&c) => {
                s.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => s.push(c),
        }
    }
    s
}

/// The 0-based row of a sheet's `<row>`: its `r`, else the one after `precedente` (a row
/// may leave its number out).
pub fn numero_ligne(b: &BytesStart<'_>, precedente: Option<u32>) -> u32 {
    attribut(b, "r")
        .and_then(|r| r.trim().parse::<u32>().ok())
        .and_then(|r| r.checked_sub(1))
        .unwrap_or_else(|| precedente.map_or(0, |x| x + 1))
}

/// The 0-based column of a row's `<c>`: from its reference, else the one after `precedente`.
pub fn numero_colonne(b: &BytesStart<'_>, precedente: Option<u32>) -> u32 {
    attribut(b, "r").and_then(|r| lire_reference(&r)).map(|(_, c)| c).unwrap_or_else(|| precedente.map_or(0, |x| x + 1))
}

pub use crate::model::emplacement::{lire_reference, reference};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_both_ways() {
        assert_eq!(lire_reference("B14"), Some((13, 1)));
        assert_eq!(lire_reference("AA1"), Some((0, 26)));
        assert_eq!(lire_reference("$C$5"), Some((4, 2)));
        assert_eq!(lire_reference("14"), None);
        assert_eq!(lire_reference("B0"), None);
        for (l, c) in [(0, 0), (13, 1), (999, 701), (5, 26)] {
            assert_eq!(lire_reference(&reference(l, c)), Some((l, c)));
        }
    }

    #[test]
    fn splices_keep_everything_else() {
        let s = "<a x='1'><b/></a>";
        let r = appliquer(s, vec![Retouche::inserer(9, "<c/>"), Retouche::remplacer(9..13, "<b y=\"2\"/>")]).unwrap();
        assert_eq!(r, "<a x='1'><c/><b y=\"2\"/></a>");
        assert!(appliquer(s, vec![Retouche::remplacer(2..6, ""), Retouche::remplacer(4..8, "")]).is_err());
    }

    #[test]
    fn a_tag_keeps_its_attributes_as_written() {
        let s = r#"<x:c r="B2" s='3' t="s"/>"#;
        let mut ev = Evenements::new(s, "test");
        let Some((Event::Empty(e), _, 0)) = ev.suivant().unwrap() else { panic!("empty element") };
        assert_eq!(nom_local(&e), "c");
        assert_eq!(prefixe(&e), "x:");
        assert_eq!(balise_avec(&e, &[("s", "12")], true), r#"<x:c r="B2" t="s" s="12"/>"#);
        assert_eq!(attribut(&e, "r").as_deref(), Some("B2"));
    }

    #[test]
    fn text_is_escaped_and_controls_shown() {
        assert_eq!(echapper("a<b & \"c\"\u{1b}[31m"), "a&lt;b &amp; &quot;c&quot;\\u{1b}[31m");
    }
}
