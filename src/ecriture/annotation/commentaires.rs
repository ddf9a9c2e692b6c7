//! The comments of a sheet (`xl/commentsN.xml`) and the shapes that show them (the legacy
//! VML drawing Excel and LibreOffice both read): new parts, or the sheet's own parts with
//! fnp's comments added — a comment the association already wrote on a cell is kept, with
//! fnp's text after it.

use std::collections::BTreeMap;

use quick_xml::events::Event;

use super::xml::{self, Evenements, Retouche};

const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
pub const AUTEUR: &str = "fnp";

/// fnp's runs of a comment: « fnp : » in bold, then the findings; `apres` when they follow
/// the association's own text.
fn texte_riche(p: &str, texte: &str, apres: bool) -> String {
    let saut = if apres { "\n\n" } else { "" };
    format!(
        "<{p}r><{p}rPr><{p}b/><{p}sz val=\"9\"/><{p}rFont val=\"Tahoma\"/></{p}rPr><{p}t xml:space=\"preserve\">{saut}fnp :</{p}t></{p}r><{p}r><{p}rPr><{p}sz val=\"9\"/><{p}rFont val=\"Tahoma\"/></{p}rPr><{p}t xml:space=\"preserve\">\n{}</{p}t></{p}r>",
        xml::echapper(texte)
    )
}

/// A new comments part for notes at these cells (`B14` → text).
pub fn nouveaux(notes: &BTreeMap<(u32, u32), String>) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"{NS_MAIN}\"><authors><author>{AUTEUR}</author></authors><commentList>"
    );
    for ((l, c), t) in notes {
        s.push_str(&format!(
            "<comment ref=\"{}\" authorId=\"0\"><text>{}</text></comment>",
            xml::reference(*l, *c),
            texte_riche("", t, false)
        ));
    }
    s.push_str("</commentList></comments>");
    s
}

/// The sheet's comments part with fnp's notes added. Returns the part and the cells that
/// got a new comment (those already commented only get text, their shape exists).
pub fn fusionner(
    texte: &str,
    partie: &str,
    notes: &BTreeMap<(u32, u32), String>,
) -> Result<(String, Vec<(u32, u32)>), String> {
    let mut ev = Evenements::new(texte, partie);
    let mut retouches = Vec::new();
    let mut prefixe = String::new();
    let mut auteurs = 0usize;
    let mut auteur_fnp: Option<usize> = None;
    let mut fin_auteurs: Option<usize> = None;
    let mut fin_liste: Option<usize> = None;
    let mut dans_auteur = false;
    let mut deja: Vec<(u32, u32)> = Vec::new();
    // Inside a comment that fnp adds to: its cell, and the depth of `text`'s children.
    let mut commentaire: Option<(u32, u32)> = None;
    let mut dans_texte: Option<usize> = None;
    let mut plat: Option<usize> = None;
    let mut liste_vide: Option<std::ops::Range<usize>> = None;
    while let Some((e, etendue, profondeur)) = ev.suivant()? {
        if prefixe.is_empty() {
            prefixe.push_str(ev.prefixe());
        }
        match &e {
            Event::Start(b) | Event::Empty(b) => {
                let vide = matches!(e, Event::Empty(_));
                let nom = xml::nom_local(b);
                match nom {
                    "author" => {
                        auteurs += 1;
                        dans_auteur = !vide;
                    }
                    "authors" if vide => return Err(format!("partie {partie} sans auteurs")),
                    // `<commentList/>`: replaced by a list holding the new comments.
                    "commentList" if vide => liste_vide = Some(etendue.clone()),
                    "comment" => {
                        commentaire = xml::attribut(b, "ref")
                            .and_then(|r| xml::lire_reference(&r))
                            .filter(|cell| notes.contains_key(cell));
                    }
                    "text" if commentaire.is_some() && !vide => dans_texte = Some(profondeur + 1),
                    "t" if dans_texte == Some(profondeur) => {
                        // A plain `<t>` directly under `<text>` becomes a run, so that
                        // fnp's runs can follow it.
                        retouches.push(Retouche::inserer(etendue.start, format!("<{prefixe}r>")));
                        if vide {
                            retouches.push(Retouche::inserer(etendue.end, format!("</{prefixe}r>")));
                        } else {
                            plat = Some(profondeur);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if dans_auteur && t.xml10_content().trim() == AUTEUR => {
                auteur_fnp = Some(auteurs - 1);
            }
            Event::End(b) => match xml::nom_local_fin(b.name().into_inner()) {
                "author" => dans_auteur = false,
                "authors" => fin_auteurs = Some(etendue.start),
                "commentList" => fin_liste = Some(etendue.start),
                "t" if plat == Some(profondeur) => {
                    retouches.push(Retouche::inserer(etendue.end, format!("</{prefixe}r>")));
                    plat = None;
                }
                "text" if dans_texte.is_some() => {
                    if let Some(cell) = commentaire {
                        let ajout = notes.get(&cell).cloned().unwrap_or_default();
                        retouches.push(Retouche::inserer(etendue.start, texte_riche(&prefixe, &ajout, true)));
                        deja.push(cell);
                    }
                    dans_texte = None;
                }
                "comment" => commentaire = None,
                _ => {}
            },
            _ => {}
        }
    }
    let Some(fin_auteurs) = fin_auteurs else { return Err(format!("partie {partie} incomplète (authors absent)")) };
    if fin_liste.is_none() && liste_vide.is_none() {
        return Err(format!("partie {partie} incomplète (commentList absent)"));
    }
    let id = match auteur_fnp {
        Some(i) => i,
        None => {
            retouches.push(Retouche::inserer(fin_auteurs, format!("<{prefixe}author>{AUTEUR}</{prefixe}author>")));
            auteurs
        }
    };
    let mut nouvelles = Vec::new();
    let mut ajout = String::new();
    for ((l, c), t) in notes {
        if deja.contains(&(*l, *c)) {
            continue;
        }
        ajout.push_str(&format!(
            "<{prefixe}comment ref=\"{}\" authorId=\"{id}\"><{prefixe}text>{}</{prefixe}text></{prefixe}comment>",
            xml::reference(*l, *c),
            texte_riche(&prefixe, t, false)
        ));
        nouvelles.push((*l, *c));
    }
    match (liste_vide, fin_liste) {
        (Some(etendue), _) => retouches
            .push(Retouche::remplacer(etendue, format!("<{prefixe}commentList>{ajout}</{prefixe}commentList>"))),
        (None, Some(fin)) => retouches.push(Retouche::inserer(fin, ajout)),
        (None, None) => {}
    }
    Ok((xml::appliquer(texte, retouches)?, nouvelles))
}

const TYPE_NOTE: &str = "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>";

fn forme(id: u32, l: u32, c: u32) -> String {
    // Anchored to the right of its cell, 3 columns wide and 6 rows high, hidden until the
    // cell is pointed at, as Excel draws its own notes.
    format!(
        "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:240pt;height:110pt;z-index:{id};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{}, 15, {}, 2, {}, 15, {}, 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{l}</x:Row><x:Column>{c}</x:Column></x:ClientData></v:shape>",
        c + 1,
        l,
        c + 4,
        l + 6
    )
}

/// A new VML drawing for notes at these cells; `bloc` is its shape-id block (`o:idmap`),
/// unique in the workbook.
pub fn nouveau_dessin(bloc: u32, cellules: &[(u32, u32)]) -> String {
    let mut s = format!(
        "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{bloc}\"/></o:shapelayout>{TYPE_NOTE}"
    );
    for (i, (l, c)) in cellules.iter().enumerate() {
        s.push_str(&forme(bloc * 1024 + 1 + i as u32, *l, *c));
    }
    s.push_str("</xml>");
    s
}

/// The sheet's VML drawing with shapes for the new notes, numbered after its own.
pub fn completer_dessin(vml: &str, cellules: &[(u32, u32)]) -> Result<String, String> {
    let Some(fin) = vml.rfind("</xml>") else { return Err("dessin VML de la feuille illisible".into()) };
    let max = vml
        .match_indices("_x0000_s")
        .filter_map(|(i, m)| {
            let reste = &vml[i + m.len()..];
            let n: String = reste.chars().take_while(char::is_ascii_digit).collect();
            n.parse::<u32>().ok()
        })
        .max()
        .unwrap_or(1024);
    let mut ajout = String::new();
    if !vml.contains("_x0000_t202") {
        ajout.push_str(TYPE_NOTE);
    }
    for (i, (l, c)) in cellules.iter().enumerate() {
        ajout.push_str(&forme(max + 1 + i as u32, *l, *c));
    }
    let mut s = String::with_capacity(vml.len() + ajout.len());
    s.push_str(&vml[..fin]);
    s.push_str(&ajout);
    s.push_str(&vml[fin..]);
    Ok(s)
}

/// The `o:idmap` blocks a VML drawing uses.
pub fn blocs(vml: &str) -> Vec<u32> {
    let mut v = Vec::new();
    for (i, _) in vml.match_indices("idmap") {
        let mut fin = vml.len().min(i + 200);
        while !vml.is_char_boundary(fin) {
            fin -= 1;
        }
        let reste = &vml[i..fin];
        if let Some(d) = reste.find("data=") {
            let apres = reste[d + 5..].trim_start_matches(['"', '\'']);
            let liste: String = apres.chars().take_while(|c| c.is_ascii_digit() || *c == ',').collect();
            v.extend(liste.split(',').filter_map(|n| n.parse::<u32>().ok()));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(v: &[((u32, u32), &str)]) -> BTreeMap<(u32, u32), String> {
        v.iter().map(|(k, t)| (*k, t.to_string())).collect()
    }

    #[test]
    fn a_comment_already_on_the_cell_is_kept_and_followed_by_fnp() {
        let c = r#"<comments xmlns="m"><authors><author>Trésorier</author></authors><commentList><comment ref="B2" authorId="0"><text><t>Vu avec la Caf</t></text></comment><comment ref="A9" authorId="0"><text><r><t>autre</t></r></text></comment></commentList></comments>"#;
        let (t, nouvelles) =
            fusionner(c, "comments1.xml", &notes(&[((1, 1), "erreur [X] : trop"), ((4, 2), "info")])).unwrap();
        assert_eq!(nouvelles, vec![(4, 2)]);
        assert!(t.contains("<authors><author>Trésorier</author><author>fnp</author></authors>"), "{t}");
        assert!(t.contains("<comment ref=\"B2\" authorId=\"0\"><text><r><t>Vu avec la Caf</t></r><r><rPr>"), "{t}");
        assert!(t.contains("erreur [X] : trop</t></r></text></comment>"), "{t}");
        assert!(t.contains("<comment ref=\"C5\" authorId=\"1\">"), "{t}");
        assert!(
            t.contains("<comment ref=\"A9\" authorId=\"0\"><text><r><t>autre</t></r></text></comment>"),
            "untouched: {t}"
        );
    }

    #[test]
    fn shapes_are_numbered_after_the_drawing_s_own() {
        let v = nouveau_dessin(3, &[(0, 1), (4, 2)]);
        assert!(v.contains("_x0000_s3073") && v.contains("_x0000_s3074"), "{v}");
        assert_eq!(blocs(&v), vec![3]);
        let w = completer_dessin(&v, &[(9, 0)]).unwrap();
        assert!(w.contains("_x0000_s3075") && w.contains("<x:Row>9</x:Row>"), "{w}");
        assert_eq!(w.matches("_x0000_t202\" coordsize").count(), 1);
    }
}
