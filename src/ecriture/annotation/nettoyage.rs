//! fnp's annotations taken off a copy it annotated, so that a copy corrected by the
//! association and checked again holds only what is still wrong (the treasurer's loop).
//!
//! Every annotated copy carries a hidden sheet, [`FEUILLE_RELEVE`], that records what fnp
//! changed: for each cell it highlighted, the sheet, the cell, the cell's own style (as the
//! style of a cell of the record, so that it survives a spreadsheet renumbering the styles
//! when it saves), whether fnp added the cell, and whether fnp's comment was new or followed
//! the association's; and the name of the `Anomalies` sheet fnp added. Taking the annotations
//! off puts each cell's style back, removes fnp's comments (and their shapes) or fnp's text
//! after the association's, and removes the `Anomalies` sheet and the record. Values are
//! never touched: they are the association's, corrected or not.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Cursor;

use quick_xml::events::Event;

use super::paquet::{Archive, Relations, dossier_de, ecrire, rels_de, resoudre};
use super::xml::{self, Evenements, Retouche};

/// The hidden sheet that records what fnp changed.
pub const FEUILLE_RELEVE: &str = "fnp-origine";
/// The record's first cell: what it is, and its version.
const ENTETE: &str = "fnp-origine 1";
/// Most cells a record lists (a workbook's findings are a few hundred at most).
const CELLULES_MAX: usize = 100_000;

/// A cell fnp highlighted and commented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touchee {
    pub feuille: String,
    /// 0-based row and column.
    pub position: (u32, u32),
    /// The cell's own style index; `None` for a cell fnp added.
    pub style: Option<u32>,
    /// fnp's comment was the cell's only one (else it followed the association's).
    pub commentaire_nouveau: bool,
}

fn chaine(ligne: u32, col: u32, texte: &str) -> String {
    format!(
        "<c r=\"{}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
        xml::reference(ligne, col),
        xml::echapper(texte)
    )
}

/// The record sheet's part.
pub fn feuille_releve(anomalies: &str, touchees: &[Touchee]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    s.push_str("<row r=\"1\">");
    s.push_str(&chaine(0, 0, ENTETE));
    s.push_str(&chaine(0, 1, anomalies));
    s.push_str(&chaine(
        0,
        2,
        "Feuille de fnp : ce que ses couleurs et ses commentaires ont remplacé, pour les retirer à la vérification suivante. Ne la modifiez pas.",
    ));
    s.push_str("</row>");
    for (i, t) in touchees.iter().enumerate() {
        let l = i as u32 + 1;
        s.push_str(&format!("<row r=\"{}\">", l + 1));
        s.push_str(&chaine(l, 0, &t.feuille));
        s.push_str(&chaine(l, 1, &xml::reference(t.position.0, t.position.1)));
        // The cell's own style, on a cell of the record.
        match t.style {
            Some(st) => s.push_str(&format!("<c r=\"{}\" s=\"{st}\"><v>0</v></c>", xml::reference(l, 2))),
            None => s.push_str(&format!("<c r=\"{}\"><v>0</v></c>", xml::reference(l, 2))),
        }
        s.push_str(&chaine(l, 3, if t.commentaire_nouveau { "nouveau" } else { "ajoute" }));
        s.push_str(&chaine(l, 4, if t.style.is_some() { "presente" } else { "ajoutee" }));
        s.push_str("</row>");
    }
    s.push_str("</sheetData></worksheet>");
    s
}

/// The record of a copy: the `Anomalies` sheet's name and the cells; `None` for a workbook
/// without one (not fnp's copy, or annotated before fnp kept a record).
fn lire_releve(octets: &[u8]) -> Result<Option<(String, Vec<Touchee>)>, String> {
    use calamine::Reader;
    let Ok(mut x) = calamine::Xlsx::new(Cursor::new(octets)) else { return Ok(None) };
    if !x.sheet_names().iter().any(|n| n == FEUILLE_RELEVE) {
        return Ok(None);
    }
    let mut lecteur = x.worksheet_cells_reader(FEUILLE_RELEVE).map_err(|e| format!("{FEUILLE_RELEVE} : {e}"))?;
    // Row → (texts by column, style of column C).
    let mut lignes: BTreeMap<u32, ([String; 5], usize)> = BTreeMap::new();
    while let Some((cellule, style)) =
        lecteur.next_cell_with_style_id().map_err(|e| format!("{FEUILLE_RELEVE} : {e}"))?
    {
        let (l, c) = cellule.get_position();
        if c > 4 {
            continue;
        }
        if lignes.len() > CELLULES_MAX {
            return Err(format!("feuille {FEUILLE_RELEVE} de plus de {CELLULES_MAX} lignes"));
        }
        let texte = match cellule.get_value() {
            calamine::DataRef::SharedString(s) => s.to_string(),
            calamine::DataRef::String(s) => s.clone(),
            _ => String::new(),
        };
        let ligne = lignes.entry(l).or_default();
        ligne.0[c as usize] = texte;
        if c == 2 {
            ligne.1 = style;
        }
    }
    let Some((_, (entete, _))) = lignes.first_key_value() else { return Ok(None) };
    if entete[0] != ENTETE {
        return Ok(None);
    }
    let anomalies = entete[1].clone();
    let touchees = lignes
        .into_iter()
        .skip(1)
        .filter_map(|(_, (t, style))| {
            let position = xml::lire_reference(&t[1])?;
            Some(Touchee {
                feuille: t[0].clone(),
                position,
                style: (t[4] != "ajoutee").then_some(style as u32),
                commentaire_nouveau: t[3] == "nouveau",
            })
        })
        .collect();
    Ok(Some((anomalies, touchees)))
}

/// A sheet's cells given back their own style (a cell fnp added loses its style).
fn retablir_styles(texte: &str, partie: &str, styles: &BTreeMap<(u32, u32), Option<u32>>) -> Result<String, String> {
    let mut ev = Evenements::new(texte, partie);
    let mut retouches = Vec::new();
    let mut dans_donnees = false;
    let mut ligne: Option<u32> = None;
    let mut derniere_ligne: Option<u32> = None;
    let mut derniere_col: Option<u32> = None;
    while let Some((e, etendue, profondeur)) = ev.suivant()? {
        match &e {
            Event::Start(b) | Event::Empty(b) => {
                let vide = matches!(e, Event::Empty(_));
                let nom = xml::nom_local(b);
                if profondeur == 1 && nom == "sheetData" {
                    dans_donnees = !vide;
                } else if dans_donnees && profondeur == 2 && nom == "row" {
                    let l = xml::numero_ligne(b, derniere_ligne);
                    derniere_ligne = Some(l);
                    derniere_col = None;
                    ligne = (!vide).then_some(l);
                } else if let (true, 3, Some(l), "c") = (dans_donnees, profondeur, ligne, nom) {
                    let c = xml::numero_colonne(b, derniere_col);
                    derniere_col = Some(c);
                    if let Some(style) = styles.get(&(l, c)) {
                        // Style 0 is the default: written as no style at all, as most
                        // writers do.
                        let balise = match style {
                            Some(s) if *s > 0 => xml::balise_avec(b, &[("s", &s.to_string())], vide),
                            _ => xml::balise_sans(b, &["s"], vide),
                        };
                        retouches.push(Retouche::remplacer(etendue.clone(), balise));
                    }
                }
            }
            Event::End(b) => {
                let nom = xml::nom_local_fin(b.name().into_inner());
                if dans_donnees && profondeur == 2 && nom == "row" {
                    ligne = None;
                } else if profondeur == 1 && nom == "sheetData" {
                    dans_donnees = false;
                }
            }
            _ => {}
        }
    }
    xml::appliquer(texte, retouches)
}

/// Whether a comment's text is fnp's (« fnp : » first, as fnp writes it).
fn de_fnp(texte: &str) -> bool {
    texte.trim_start().starts_with("fnp :")
}

/// Where fnp's text starts inside a text that holds the association's first: the line
/// « fnp : » after a line break (a spreadsheet that keeps no runs, openpyxl say, writes the
/// comment as one text); the association's text ends before the breaks.
fn debut_fnp(texte: &str) -> Option<usize> {
    let i = texte.match_indices("fnp :").map(|(i, _)| i).find(|i| *i > 0 && texte[..*i].ends_with('\n'))?;
    Some(texte[..i].trim_end_matches(['\n', '\r', ' ']).len())
}

/// A `<t>` of a comment: where its content is, its text, the start of its run (if in one)
/// and the end of its element (the run's end when in one).
struct Morceau {
    contenu: std::ops::Range<usize>,
    texte: String,
    run: Option<usize>,
    fin: usize,
}

/// The sheet's comments without fnp's: a comment fnp wrote alone is removed, fnp's text
/// after the association's is cut (its runs, or the end of a plain text). Returns the part
/// and the cells whose comment is gone.
fn retirer_commentaires(
    texte: &str,
    partie: &str,
    cellules: &BTreeSet<(u32, u32)>,
) -> Result<(String, Vec<(u32, u32)>), String> {
    let mut ev = Evenements::new(texte, partie);
    let mut retouches = Vec::new();
    let mut retirees = Vec::new();
    // The comment being read: its cell, its start, its pieces of text, where its text ends.
    type Courant = ((u32, u32), usize, Vec<Morceau>, Option<usize>);
    let mut courant: Option<Courant> = None;
    let mut run: Option<usize> = None;
    // Inside a `<t>` of the comment (not a phonetic one): where its content starts.
    let mut dans_t: Option<usize> = None;
    let mut dans_phonetique = false;
    let mut texte_t = String::new();
    while let Some((e, etendue, _)) = ev.suivant()? {
        match &e {
            Event::Start(b) | Event::Empty(b) => {
                let vide = matches!(e, Event::Empty(_));
                match xml::nom_local(b) {
                    "comment" if !vide => {
                        courant = xml::attribut(b, "ref")
                            .and_then(|r| xml::lire_reference(&r))
                            .filter(|c| cellules.contains(c))
                            .map(|cellule| (cellule, etendue.start, Vec::new(), None));
                    }
                    "r" if courant.is_some() && !vide => run = Some(etendue.start),
                    "rPh" => dans_phonetique = !vide,
                    "t" if !vide && !dans_phonetique && courant.is_some() => {
                        dans_t = Some(etendue.end);
                        texte_t.clear();
                    }
                    _ => {}
                }
            }
            Event::Text(t) if dans_t.is_some() => texte_t.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if dans_t.is_some() => {
                // `&amp;`, `&#10;` and the like inside a text.
                match r.resolve_char_ref() {
                    Ok(Some(c)) => texte_t.push(c),
                    _ => texte_t.push_str(match AsRef::<str>::as_ref(r) {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    }),
                }
            }
            Event::End(b) => match xml::nom_local_fin(b.name().into_inner()) {
                "t" => {
                    if let (Some(debut), Some(c)) = (dans_t.take(), courant.as_mut()) {
                        c.2.push(Morceau {
                            contenu: debut..etendue.start,
                            texte: std::mem::take(&mut texte_t),
                            run,
                            fin: etendue.end,
                        });
                    }
                }
                "rPh" => dans_phonetique = false,
                "r" => {
                    if let (Some(debut), Some(c)) = (run.take(), courant.as_mut()) {
                        for m in c.2.iter_mut().filter(|m| m.run == Some(debut)) {
                            m.fin = etendue.end;
                        }
                    }
                }
                "text" => {
                    if let Some(c) = courant.as_mut() {
                        c.3 = Some(etendue.start);
                    }
                }
                "comment" => {
                    let Some((cellule, debut, morceaux, Some(fin_texte))) = courant.take() else { continue };
                    let tout: String = morceaux.iter().map(|m| m.texte.as_str()).collect();
                    if de_fnp(&tout) {
                        retouches.push(Retouche::remplacer(debut..etendue.end, ""));
                        retirees.push(cellule);
                    } else if let Some(m) = morceaux.iter().find(|m| m.run.is_some() && de_fnp(&m.texte)) {
                        // fnp's runs after the association's.
                        retouches.push(Retouche::remplacer(m.run.unwrap_or(m.contenu.start)..fin_texte, ""));
                    } else if let Some((m, i)) = morceaux.iter().find_map(|m| debut_fnp(&m.texte).map(|i| (m, i))) {
                        // One text holding both: cut after the association's.
                        retouches.push(Retouche::remplacer(m.contenu.clone(), xml::echapper(&m.texte[..i])));
                        if m.fin < fin_texte {
                            retouches.push(Retouche::remplacer(m.fin..fin_texte, ""));
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok((xml::appliquer(texte, retouches)?, retirees))
}

/// The drawing of a sheet's notes without the shapes of the cells given (the legacy VML
/// Excel and LibreOffice write: `<v:shape>` blocks naming their cell by `<x:Row>` and
/// `<x:Column>`). A drawing in another form is kept as it is.
fn retirer_formes(vml: &str, cellules: &[(u32, u32)]) -> String {
    let mut sortie = String::with_capacity(vml.len());
    let mut reste = vml;
    while let Some(i) = reste.find("<v:shape ") {
        let Some(j) = reste[i..].find("</v:shape>").map(|j| i + j + "</v:shape>".len()) else { break };
        let bloc = &reste[i..j];
        let nombre = |balise: &str| -> Option<u32> {
            let debut = bloc.find(&format!("<x:{balise}>"))? + balise.len() + 4;
            let fin = bloc[debut..].find('<')? + debut;
            bloc[debut..fin].trim().parse().ok()
        };
        sortie.push_str(&reste[..i]);
        let cellule = nombre("Row").zip(nombre("Column"));
        if !cellule.is_some_and(|c| cellules.contains(&c)) {
            sortie.push_str(bloc);
        }
        reste = &reste[j..];
    }
    sortie.push_str(reste);
    sortie
}

/// The parts of a text without the elements `retirer` picks (empty elements, or start to end).
fn sans_elements(
    texte: &str,
    partie: &str,
    retirer: impl Fn(&quick_xml::events::BytesStart<'_>) -> bool,
) -> Result<String, String> {
    let mut ev = Evenements::new(texte, partie);
    let mut retouches = Vec::new();
    let mut ouvert: Option<(usize, usize)> = None;
    while let Some((e, etendue, profondeur)) = ev.suivant()? {
        match &e {
            Event::Empty(b) if ouvert.is_none() && retirer(b) => retouches.push(Retouche::remplacer(etendue, "")),
            Event::Start(b) if ouvert.is_none() && retirer(b) => ouvert = Some((etendue.start, profondeur)),
            Event::End(_) if ouvert.is_some_and(|(_, p)| p == profondeur) => {
                if let Some((debut, _)) = ouvert.take() {
                    retouches.push(Retouche::remplacer(debut..etendue.end, ""));
                }
            }
            _ => {}
        }
    }
    xml::appliquer(texte, retouches)
}

/// The workbook `octets` without fnp's annotations, or `None` when it holds no record of them.
pub fn nettoyer(octets: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let zip = zip::ZipArchive::new(Cursor::new(octets)).map_err(|e| crate::lecture::zip::message_zip(&e))?;
    let noms: HashSet<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let mut a = Archive { zip, noms, changees: BTreeMap::new(), ajoutees: Vec::new(), supprimees: HashSet::new() };
    let racine = Relations::lire(a.lire("_rels/.rels")?, "_rels/.rels")?;
    let Some(classeur) = racine.liste.iter().find(|r| r.genre == super::REL_DOC).map(|r| resoudre("", &r.cible)) else {
        return Err("classeur sans partie principale (_rels/.rels)".into());
    };
    let base = dossier_de(&classeur).to_string();
    let rels_classeur_nom = rels_de(&classeur);
    let rels_classeur = Relations::lire(a.lire(&rels_classeur_nom)?, &rels_classeur_nom)?;
    let texte_classeur = a.lire_requise(&classeur)?;
    let sommaire = super::lire_sommaire(&texte_classeur, &classeur, &rels_classeur, &base)?;
    // Most workbooks are not fnp's copies: the record is read only where its sheet is.
    if !sommaire.feuilles.iter().any(|f| f.nom == FEUILLE_RELEVE) {
        return Ok(None);
    }
    let Some((anomalies, touchees)) = lire_releve(octets)? else { return Ok(None) };

    // Each sheet's cells: their style back, fnp's comments and shapes off.
    let mut par_feuille: BTreeMap<&str, Vec<&Touchee>> = BTreeMap::new();
    for t in &touchees {
        par_feuille.entry(t.feuille.as_str()).or_default().push(t);
    }
    for (nom, liste) in par_feuille {
        let Some(f) = sommaire.feuilles.iter().find(|f| f.nom == nom) else { continue };
        let partie = f.partie.clone();
        let styles: BTreeMap<(u32, u32), Option<u32>> = liste.iter().map(|t| (t.position, t.style)).collect();
        let texte = a.lire_requise(&partie)?;
        a.changer(&partie, retablir_styles(&texte, &partie, &styles)?);
        let dossier = dossier_de(&partie).to_string();
        let rels_nom = rels_de(&partie);
        let rels = Relations::lire(a.lire(&rels_nom)?, &rels_nom)?;
        let cellules: BTreeSet<(u32, u32)> = liste.iter().map(|t| t.position).collect();
        let mut retirees = Vec::new();
        if let Some(nom) = rels.de_genre("comments").map(|r| resoudre(&dossier, &r.cible))
            && let Some(t) = a.lire(&nom)?
        {
            let (t, r) = retirer_commentaires(&t, &nom, &cellules)?;
            a.changer(&nom, t);
            retirees = r;
        }
        if !retirees.is_empty()
            && let Some(nom) = rels.de_genre("vmlDrawing").map(|r| resoudre(&dossier, &r.cible))
            && let Some(t) = a.lire(&nom)?
        {
            a.changer(&nom, retirer_formes(&t, &retirees));
        }
    }

    // The Anomalies sheet and the record, gone from the workbook, its relationships, its
    // content types and its defined names.
    let retirees: Vec<usize> = sommaire
        .feuilles
        .iter()
        .enumerate()
        .filter(|(_, f)| f.nom == FEUILLE_RELEVE || (!anomalies.is_empty() && f.nom == anomalies))
        .map(|(i, _)| i)
        .collect();
    let ids: HashSet<&str> = retirees.iter().map(|i| sommaire.feuilles[*i].id.as_str()).collect();
    let parties: Vec<String> = retirees.iter().map(|i| sommaire.feuilles[*i].partie.clone()).collect();
    let restantes = sommaire.feuilles.len() - retirees.len();
    let texte = {
        let mut ev = Evenements::new(&texte_classeur, &classeur);
        let mut retouches = Vec::new();
        let mut nom_defini: Option<(usize, Option<usize>, quick_xml::events::BytesStart<'_>, std::ops::Range<usize>)> =
            None;
        while let Some((e, etendue, _)) = ev.suivant()? {
            match &e {
                Event::Empty(b) | Event::Start(b) => {
                    let vide = matches!(e, Event::Empty(_));
                    match xml::nom_local(b) {
                        "sheet" if xml::attribut_local(b, "id").is_some_and(|id| ids.contains(id.as_str())) => {
                            retouches.push(Retouche::remplacer(etendue.clone(), ""));
                        }
                        "workbookView" => {
                            let trop = |n: &str| {
                                xml::attribut(b, n)
                                    .and_then(|v| v.trim().parse::<usize>().ok())
                                    .is_some_and(|v| v >= restantes)
                            };
                            let changes: Vec<(&str, &str)> =
                                ["activeTab", "firstSheet"].into_iter().filter(|n| trop(n)).map(|n| (n, "0")).collect();
                            if !changes.is_empty() {
                                retouches
                                    .push(Retouche::remplacer(etendue.clone(), xml::balise_avec(b, &changes, vide)));
                            }
                        }
                        "definedName" => {
                            let local = xml::attribut(b, "localSheetId").and_then(|v| v.trim().parse::<usize>().ok());
                            if vide {
                                if local.is_some_and(|l| retirees.contains(&l)) {
                                    retouches.push(Retouche::remplacer(etendue.clone(), ""));
                                }
                            } else {
                                nom_defini = Some((etendue.start, local, b.clone().into_owned(), etendue.clone()));
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(b) if xml::nom_local_fin(b.name().into_inner()) == "definedName" => {
                    if let Some((debut, local, balise, ouverture)) = nom_defini.take()
                        && let Some(l) = local
                    {
                        if retirees.contains(&l) {
                            retouches.push(Retouche::remplacer(debut..etendue.end, ""));
                        } else {
                            let avant = retirees.iter().filter(|r| **r < l).count();
                            if avant > 0 {
                                let nouveau = (l - avant).to_string();
                                retouches.push(Retouche::remplacer(
                                    ouverture,
                                    xml::balise_avec(&balise, &[("localSheetId", &nouveau)], false),
                                ));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        xml::appliquer(&texte_classeur, retouches)?
    };
    a.changer(&classeur, texte);
    if let Some(t) = &rels_classeur.texte {
        let t = sans_elements(t, &rels_classeur_nom, |b| {
            xml::nom_local(b) == "Relationship" && xml::attribut(b, "Id").is_some_and(|id| ids.contains(id.as_str()))
        })?;
        a.changer(&rels_classeur_nom, t);
    }
    let types = a.lire_requise("[Content_Types].xml")?;
    let noms_types: HashSet<String> = parties.iter().map(|p| format!("/{p}")).collect();
    let types = sans_elements(&types, "[Content_Types].xml", |b| {
        xml::nom_local(b) == "Override" && xml::attribut(b, "PartName").is_some_and(|n| noms_types.contains(&n))
    })?;
    a.changer("[Content_Types].xml", types);
    for p in parties {
        a.supprimees.insert(rels_de(&p));
        a.supprimees.insert(p);
    }
    ecrire(a).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnp_s_comments_go_and_the_association_s_stay() {
        let t = r#"<comments><authors><author>Trésorier</author><author>fnp</author></authors><commentList><comment ref="B2" authorId="0"><text><r><t>Validé en bureau</t></r><r><rPr><b/></rPr><t xml:space="preserve">

fnp :</t></r><r><t xml:space="preserve">
erreur : trop</t></r></text></comment><comment ref="C3" authorId="1"><text><r><t>fnp :</t></r><r><t>
info &amp; plus</t></r></text></comment><comment ref="D4" authorId="0"><text><t>à garder</t></text></comment></commentList></comments>"#;
        let cellules: BTreeSet<(u32, u32)> = [(1, 1), (2, 2), (3, 3)].into_iter().collect();
        let (sortie, retirees) = retirer_commentaires(t, "c.xml", &cellules).expect("ok");
        assert_eq!(retirees, [(2, 2)]);
        assert_eq!(
            sortie,
            r#"<comments><authors><author>Trésorier</author><author>fnp</author></authors><commentList><comment ref="B2" authorId="0"><text><r><t>Validé en bureau</t></r></text></comment><comment ref="D4" authorId="0"><text><t>à garder</t></text></comment></commentList></comments>"#
        );
    }

    #[test]
    fn fnp_s_text_after_the_association_s_in_one_text_is_cut() {
        let t = "<comments><commentList><comment ref=\"B2\" authorId=\"0\"><text><t xml:space=\"preserve\">Validé &amp; signé\n\nfnp :\nerreur</t></text></comment></commentList></comments>";
        let cellules: BTreeSet<(u32, u32)> = [(1, 1)].into_iter().collect();
        let (sortie, retirees) = retirer_commentaires(t, "c.xml", &cellules).expect("ok");
        assert!(retirees.is_empty());
        assert_eq!(
            sortie,
            "<comments><commentList><comment ref=\"B2\" authorId=\"0\"><text><t xml:space=\"preserve\">Validé &amp; signé</t></text></comment></commentList></comments>"
        );
    }

    #[test]
    fn shapes_of_removed_comments_go() {
        let v = r##"<xml><v:shapetype id="t"/><v:shape id="a" type="#t"><x:ClientData ObjectType="Note"><x:Row>2</x:Row><x:Column>2</x:Column></x:ClientData></v:shape><v:shape id="b"><x:ClientData><x:Row>1</x:Row><x:Column>1</x:Column></x:ClientData></v:shape></xml>"##;
        assert_eq!(
            retirer_formes(v, &[(2, 2)]),
            r#"<xml><v:shapetype id="t"/><v:shape id="b"><x:ClientData><x:Row>1</x:Row><x:Column>1</x:Column></x:ClientData></v:shape></xml>"#
        );
    }

    #[test]
    fn cells_get_their_own_style_back() {
        let f = r#"<worksheet><sheetData><row r="2"><c r="A2" s="7" t="s"><v>0</v></c><c r="B2" s="9"/></row></sheetData></worksheet>"#;
        let styles: BTreeMap<(u32, u32), Option<u32>> = [((1, 0), Some(3)), ((1, 1), None)].into_iter().collect();
        assert_eq!(
            retablir_styles(f, "s.xml", &styles).expect("ok"),
            r#"<worksheet><sheetData><row r="2"><c r="A2" t="s" s="3"><v>0</v></c><c r="B2"/></row></sheetData></worksheet>"#
        );
    }
}
