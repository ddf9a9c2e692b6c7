//! Writes the dossier workbook of spreadsheet.md with rust_xlsxwriter: the blank template
//! (`fnp template`), a dossier converted from TOML (`fnp convert`), and the annotated copy
//! handed back to an association (`fnp check --annotate`).

use std::collections::HashMap;

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DataValidation, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, ProtectionOptions,
    Workbook, Worksheet, XlsxError,
};

use crate::check::Constat;
use crate::ecriture::annotation::anomalies;
use crate::ecriture::cellules::{NOTE_MAX, TEXTE_MAX, hauteur, lignes_pliees, milliers, tronquer};
use crate::model::schema::{self, Champ, Colonne, Genre};
use crate::model::{Dossier, Montant, Valeur};
use crate::rules::Gravite;

/// Where each field was written: field path (`porteur.nom`, `depense[2].montant`) →
/// (sheet index, row, column).
pub type Positions = HashMap<String, (usize, u32, u16)>;

/// What to write.
#[derive(Default)]
pub struct Options<'a> {
    /// The dossier's values, if any (a blank template otherwise).
    pub dossier: Option<&'a Dossier>,
    /// Only the sections this volet (`"3.1"`) needs.
    pub volet: Option<String>,
    /// Findings to show as notes on their cells, and an `Anomalies` sheet.
    pub constats: Option<&'a [Constat]>,
    /// With a volet: what the rules may ask of it (any Caf's); the rows no rule covering it
    /// asks for, and that another rule names, are left out (`None`: every row).
    pub champs: Option<crate::rules::ChampsDemandes>,
    /// The action types offered in the type cell's drop-down list (those of the packs, or of
    /// the template's volet); none: no list.
    pub types: Vec<String>,
    /// A text past Excel's limit ([`TEXTE_MAX`]) is written cut, with a visible mark (the
    /// annotated copy: the association reads the rest in what it sent). Otherwise writing
    /// is refused naming the field (`fnp convert`: a conversion is lossless or does not
    /// happen).
    pub tronquer: bool,
}

/// The first text of the dossier too long for a cell of Excel: its field and its length
/// in characters.
fn texte_trop_long(d: &Dossier) -> Option<(String, usize)> {
    let trop = |t: &str| t.encode_utf16().count() > TEXTE_MAX;
    for c in schema::champs::CHAMPS {
        let texte = match d.valeur(c.cle) {
            Some(v) => texte_affiche(v),
            None => d.bruts.get(c.cle).cloned(),
        };
        if let Some(t) = texte.filter(|t| trop(t)) {
            return Some((c.cle.to_string(), t.chars().count()));
        }
    }
    for nom in schema::LIGNES {
        for (index, valeurs) in d.lignes_en_valeurs(nom) {
            for (cle, v) in valeurs {
                if let Some(t) = texte_affiche(&v).filter(|t| trop(t)) {
                    return Some((format!("{nom}[{index}].{cle}"), t.chars().count()));
                }
            }
        }
    }
    for l in &d.lignes_brutes {
        for (cle, t) in &l.cellules {
            if trop(t) {
                return Some((format!("{}[{}].{cle}", l.nom, l.index), t.chars().count()));
            }
        }
    }
    None
}

use schema::NOMS_FEUILLES;
const FORMAT_EUROS: &str = "#,##0.00\\ \"€\"";
const LIGNES_SAISIE: u32 = 200;

/// The writer's errors in French: a text too long cannot reach it (cut or refused before),
/// the others would be a defect of fnp; never the library's English.
fn err(e: XlsxError) -> String {
    let raison = match e {
        XlsxError::MaxStringLengthExceeded => {
            format!("un texte dépasse les {} caractères qu'une cellule d'Excel peut contenir", milliers(TEXTE_MAX))
        }
        XlsxError::IoError(e) => crate::lecture::description_io(&e),
        autre => format!("erreur interne de fnp ({autre:?})"),
    };
    format!("écriture du classeur impossible : {raison}")
}

/// The sections a volet needs (format, exercice and the general sections always).
fn section_utile(cle: &str, volet: Option<&str>) -> bool {
    let Some(v) = volet else { return true };
    match cle.split_once('.').map(|(s, _)| s) {
        Some("groupe") => v.starts_with("1."),
        Some("lieu") => v == "3.1",
        Some("telephonie") => v == "2.2",
        Some("reseau") => v == "4.1",
        _ => true,
    }
}

/// Column of the `Dossier` sheet, hidden, holding the action types when their list is too
/// long for a drop-down written inline (Excel takes 255 characters there).
const COLONNE_TYPES: u16 = 4;

/// The drop-down list of the axe, volet and type cells (their values are not an enumerated
/// genre of the schema: the types come from the packs).
fn liste_deroulante(f: &mut Worksheet, cle: &str, ligne: u32, types: &[String]) -> Result<(), XlsxError> {
    let dv = match cle {
        "action.axe" => offerte(DataValidation::new().allow_list_strings(&["1", "2", "3", "4"])?)?,
        "action.volet" => offerte(DataValidation::new().allow_list_strings(&["1", "2"])?)?,
        "action.type" if !types.is_empty() => {
            // In French words (« Café des parents »), which fnp reads as the code.
            let mots: Vec<String> = types.iter().map(|t| schema::libelle_valeur("action.type", t)).collect();
            if mots.iter().map(|t| t.chars().count() + 1).sum::<usize>() <= 255 {
                offerte(DataValidation::new().allow_list_strings(&mots)?)?
            } else {
                for (i, t) in mots.iter().enumerate() {
                    f.write_string(i as u32 + 1, COLONNE_TYPES, t)?;
                }
                f.set_column_hidden(COLONNE_TYPES)?;
                offerte(
                    DataValidation::new().allow_list_formula(Formula::new(format!("=$E$2:$E${}", types.len() + 1))),
                )?
            }
        }
        _ => return Ok(()),
    };
    f.add_data_validation(ligne, 1, ligne, 1, &dv)?;
    Ok(())
}

/// Whether a row is offered: every one without a list; with one, the required ones, those a
/// rule may ask for or that no rule names, and any the dossier already holds (never a value
/// left out).
fn champ_utile(c: &Champ, demandes: Option<&crate::rules::ChampsDemandes>, d: Option<&Dossier>) -> bool {
    let Some(demandes) = demandes else { return true };
    c.requis || demandes.offre(c.cle) || d.is_some_and(|d| d.valeur(c.cle).is_some())
}

fn valeurs_liste(genre: Genre) -> Option<Vec<&'static str>> {
    match genre {
        Genre::Choix(v) => Some(v.to_vec()),
        Genre::Booleen => Some(vec!["oui", "non"]),
        _ => None,
    }
}

/// The help of a column of a line sheet (`depense`, `compte`), shown when one of its cells is
/// selected (at most 255 characters, Excel's limit).
fn aide_colonne(ligne: &str, cle: &str, requis: bool) -> &'static str {
    match (ligne, cle) {
        ("depense", "nature") => {
            "Obligatoire. La nature de la dépense, dans la liste : elle dit si la dépense peut compter dans les dépenses éligibles au FNP."
        }
        ("depense", "libelle") => {
            "Obligatoire. Ce qui est payé, en quelques mots (par exemple : « Psychologue, 20 séances »)."
        }
        ("depense", "compte") => {
            "Facultatif. Le compte du plan comptable (par exemple 6064 pour les fournitures) ; laissé vide, fnp prend celui de la nature."
        }
        ("depense", "hausse_temps_travail") => {
            "Pour une charge de personnel : « oui » si l'action augmente le temps de travail d'un salarié ; sans hausse, la dépense reste au budget mais ne compte pas dans les dépenses éligibles."
        }
        ("depense", "justificatif") => {
            "Pour une charge de personnel qui compte grâce à une hausse du temps de travail : la pièce qui la prouve (contrat, avenant, heures complémentaires ou supplémentaires, récupération)."
        }
        (_, "dispositif") => {
            "Seulement pour une ligne d'un Laep ou d'un Clas : leurs budgets sont comptés à part. Sinon, laissez vide."
        }
        (_, "montant") if requis => "Obligatoire. Le montant prévu, en euros (par exemple : 1 200,50).",
        (_, "realise") => "En fin d'année, pour le bilan : le montant réalisé, en euros. Laissez vide pour la demande.",
        (_, "explication") => "Pour le bilan : pourquoi le réalisé s'écarte du prévu.",
        ("recette", "financeur") => {
            "Obligatoire. Qui finance : caf-fnp pour la demande au Fonds national parentalité, puis les autres financeurs, un par ligne."
        }
        ("recette", "libelle") => {
            "Facultatif. Précisez le financeur (par exemple : « Ville de Lyon, politique de la ville »)."
        }
        ("recette", "statut") => "Facultatif. Où en est ce financement : demandé ou acquis.",
        ("contribution", "nature") => {
            "Obligatoire. La nature de la contribution volontaire en nature : bénévolat, mise à disposition de personnel ou de locaux, dons en nature."
        }
        ("contribution", "libelle") => "Facultatif. Ce qui est apporté (par exemple : « 2 bénévoles, 40 heures »).",
        _ if requis => "Obligatoire.",
        _ => "Facultatif.",
    }
}

/// The drop-down list of a cell of key `cle` (`porteur.statut`, `depense.nature`): its values
/// in French words, what fnp reads best (« Petit matériel », not `petit-materiel`), the codes
/// where the words pass the 255 characters Excel takes inline. Offered, never imposed: a
/// value outside the list gets an information, not a refusal, since fnp reads other
/// writings too (and says at the check what it cannot read).
fn liste(cle: &str, valeurs: &[&str]) -> Result<DataValidation, XlsxError> {
    let mots: Vec<String> = valeurs.iter().map(|v| schema::libelle_valeur(cle, v)).collect();
    let longueur = |l: &[String]| l.iter().map(|v| v.chars().count() + 1).sum::<usize>();
    let retenues: Vec<String> =
        if longueur(&mots) <= 255 { mots } else { valeurs.iter().map(|v| v.to_string()).collect() };
    offerte(DataValidation::new().allow_list_strings(&retenues)?)
}

/// A list offered, not imposed (see [`liste`]).
fn offerte(dv: DataValidation) -> Result<DataValidation, XlsxError> {
    dv.set_error_style(rust_xlsxwriter::DataValidationErrorStyle::Information)
        .set_error_title("Valeur hors de la liste")?
        .set_error_message(
            "Cette valeur n'est pas dans la liste. fnp la lira si elle désigne une valeur connue ; sinon, la vérification le dira.",
        )
}

/// An amount as an Excel number: exact, since an amount has at most 11 significant digits
/// and a double holds 15.
fn nombre_excel(m: Montant) -> f64 {
    m.brut().parse::<f64>().unwrap_or_default()
}

fn ecrire_valeur(
    f: &mut Worksheet,
    ligne: u32,
    col: u16,
    genre: Genre,
    v: &Valeur,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match v {
        Valeur::Booleen(b) => {
            f.write_string_with_format(ligne, col, if *b { "oui" } else { "non" }, &formats.saisie)?
        }
        Valeur::Entier(n) => f.write_number_with_format(ligne, col, *n as f64, &formats.saisie)?,
        Valeur::Decimal(d) if genre == Genre::Montant => {
            let m = Montant::new(*d).unwrap_or_default();
            f.write_number_with_format(ligne, col, nombre_excel(m), &formats.euros)?
        }
        // Other decimals (ETP, average attendance) have few digits: the double read back
        // through its shortest form is the same decimal.
        Valeur::Decimal(d) => {
            f.write_number_with_format(ligne, col, d.to_f64().unwrap_or_default(), &formats.saisie)?
        }
        Valeur::Texte(t) => f.write_string_with_format(ligne, col, tronquer(t, TEXTE_MAX), &formats.texte)?,
        Valeur::Date(d) => {
            let dt = ExcelDateTime::from_ymd(d.annee as u16, d.mois, d.jour)?;
            f.write_datetime_with_format(ligne, col, &dt, &formats.date)?
        }
        Valeur::Liste(l) => {
            f.write_string_with_format(ligne, col, tronquer(&l.join(", "), TEXTE_MAX), &formats.texte)?
        }
        Valeur::Ages(a, b) => f.write_string_with_format(ligne, col, format!("{a}-{b}"), &formats.texte)?,
    };
    Ok(())
}

struct Formats {
    entete: Format,
    /// A group heading of the `Dossier` sheet (« La structure qui porte l'action »).
    titre: Format,
    libelle: Format,
    /// The label of a required field: bold.
    libelle_requis: Format,
    /// The hidden key column.
    cle: Format,
    aide: Format,
    saisie: Format,
    texte: Format,
    euros: Format,
    date: Format,
    /// A value people must not change (`format`): locked, greyed.
    verrouille: Format,
    /// Cells of the `Dossier` sheet outside the table: free for notes.
    libre: Format,
}

impl Formats {
    fn new() -> Formats {
        let entete = Format::new()
            .set_bold()
            .set_font_color(Color::White)
            .set_background_color(Color::RGB(0x1D4E89))
            .set_border_bottom(FormatBorder::Medium)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_locked();
        let libelle = Format::new()
            .set_font_color(Color::RGB(0x10243E))
            .set_background_color(Color::RGB(0xF3F6F9))
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_locked();
        Formats {
            entete,
            titre: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(0x10243E))
                .set_background_color(Color::RGB(0xD6E3F0))
                .set_border_top(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
                .set_locked(),
            libelle_requis: libelle.clone().set_bold(),
            libelle,
            cle: Format::new().set_font_color(Color::RGB(0x5B6770)).set_locked(),
            aide: Format::new()
                .set_font_color(Color::RGB(0x5B6770))
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_locked(),
            saisie: Format::new().set_unlocked().set_align(FormatAlign::Left).set_align(FormatAlign::Top),
            texte: Format::new().set_unlocked().set_num_format("@").set_text_wrap().set_align(FormatAlign::Top),
            euros: Format::new().set_unlocked().set_num_format(FORMAT_EUROS).set_align(FormatAlign::Top),
            date: Format::new()
                .set_unlocked()
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            verrouille: Format::new()
                .set_locked()
                .set_font_color(Color::RGB(0x5B6770))
                .set_background_color(Color::RGB(0xE7E9EC))
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            libre: Format::new().set_unlocked(),
        }
    }
}

/// Print setup of every sheet: A4 landscape, one page wide, the header row on every page,
/// the sheet's name and the page number.
fn mise_en_page(f: &mut Worksheet) -> Result<(), XlsxError> {
    f.set_paper_size(9);
    f.set_landscape();
    f.set_print_fit_to_pages(1, 0);
    f.set_repeat_rows(0, 0)?;
    // Inches: 1.5 cm left and right, 2 cm top and bottom, header and footer at 0.8 cm.
    f.set_margins(0.6, 0.6, 0.8, 0.8, 0.3, 0.3);
    f.set_print_center_horizontally(true);
    f.set_print_gridlines(true);
    f.set_header("&L&8Fonds national parentalité — dossier de demande&R&8&A");
    f.set_footer("&C&8Page &P sur &N");
    Ok(())
}

/// The text a value shows in its cell, when it may wrap.
fn texte_affiche(v: &Valeur) -> Option<String> {
    match v {
        Valeur::Texte(t) => Some(t.clone()),
        Valeur::Liste(l) => Some(l.join(", ")),
        _ => None,
    }
}

fn couleur(g: Gravite) -> Color {
    match g {
        Gravite::Erreur => Color::RGB(0xF8C9C4),
        Gravite::Avertissement => Color::RGB(0xFFE3B3),
        Gravite::Info => Color::RGB(0xCFE6F5),
    }
}

fn feuille_lignes(
    f: &mut Worksheet,
    nom: &'static str,
    colonnes: &'static [Colonne],
    d: Option<&Dossier>,
    formats: &Formats,
    positions: &mut Positions,
    indice: usize,
) -> Result<(), XlsxError> {
    let mut lignes_entete = 1;
    let mut largeurs = Vec::with_capacity(colonnes.len());
    for (j, c) in colonnes.iter().enumerate() {
        f.write_string_with_format(0, j as u16, c.entete, &formats.entete)?;
        // Wide enough for the longest value of the list (`mise-a-disposition-personnel`).
        let largeur = match (c.cle, c.genre) {
            ("libelle", _) => 44.0,
            ("montant" | "realise", _) => 14.0,
            ("explication", _) => 36.0,
            ("hausse_temps_travail", _) => 15.0,
            (_, Genre::Choix(v)) => v.iter().map(|x| x.len()).max().unwrap_or(10).max(10) as f64 + 3.0,
            _ => 14.0,
        };
        lignes_entete = lignes_entete.max(lignes_pliees(c.entete, largeur));
        largeurs.push(largeur);
        f.set_column_width(j as u16, largeur)?;
        // Every column says what it wants when a cell of it is selected (its list, if any,
        // offered as the rest of the template offers them).
        let dv = match valeurs_liste(c.genre) {
            Some(valeurs) => liste(&format!("{nom}.{}", c.cle), &valeurs)?,
            None => DataValidation::new().allow_any_value(),
        };
        {
            let dv = dv.set_input_title(c.entete)?.set_input_message(aide_colonne(nom, c.cle, c.requis))?;
            f.add_data_validation(1, j as u16, LIGNES_SAISIE, j as u16, &dv)?;
        }
        f.set_column_format(j as u16, format_de(c.genre, formats))?;
    }
    f.set_row_height(0, hauteur(lignes_entete) + 3.0)?;
    f.set_freeze_panes(1, 0)?;
    mise_en_page(f)?;
    let Some(d) = d else { return Ok(()) };
    let lignes = d.lignes_en_valeurs(nom);
    // Lines that could not be read are handed back as written, in their place.
    let mut lignes: Vec<(usize, Vec<(&str, Valeur)>)> = lignes;
    let brutes: Vec<(usize, Vec<(&str, Valeur)>)> = d
        .lignes_brutes
        .iter()
        .filter(|l| l.nom == nom)
        .map(|l| (l.index, l.cellules.iter().map(|(k, t)| (k.as_str(), Valeur::Texte(t.clone()))).collect()))
        .collect();
    lignes.extend(brutes);
    lignes.sort_by_key(|(i, _)| *i);
    for (rang, (index, valeurs)) in lignes.iter().enumerate() {
        let ligne = rang as u32 + 1;
        let mut lignes_pleines = 1;
        for (cle, v) in valeurs {
            if let Some(j) = colonnes.iter().position(|c| c.cle == *cle) {
                ecrire_valeur(f, ligne, j as u16, colonnes[j].genre, v, formats)?;
                positions.insert(format!("{nom}[{index}].{cle}"), (indice, ligne, j as u16));
                if let Some(t) = texte_affiche(v) {
                    lignes_pleines = lignes_pleines.max(lignes_pliees(&t, largeurs[j]));
                }
            }
        }
        if lignes_pleines > 1 {
            f.set_row_height(ligne, hauteur(lignes_pleines))?;
        }
        positions.insert(format!("{nom}[{index}]"), (indice, ligne, 0));
    }
    Ok(())
}

/// A field's help as the workbook shows it: what to type in a cell (`08/01/2025`, `0-3`,
/// `caf, cpam`), not the TOML syntax of the shared help text.
fn aide_classeur(c: &Champ) -> String {
    let mut aide = c
        .aide
        .replace("(AAAA-MM-JJ)", "(JJ/MM/AAAA)")
        .replace("[min, max]", "min-max, par exemple 0-3")
        .replace(['"', '[', ']'], "");
    if c.requis {
        aide = format!("Obligatoire. {aide}");
    }
    match c.genre {
        Genre::ListeChoix(v) => aide.push_str(&format!(" Valeurs séparées par des virgules parmi : {}.", v.join(", "))),
        Genre::ListeTexte => aide.push_str(" Valeurs séparées par des virgules."),
        _ => {}
    }
    aide
}

/// Column widths of the `Dossier` sheet: label, value, help, key (hidden).
const LARGEURS_DOSSIER: [f64; 4] = [40.0, 40.0, 62.0, 36.0];

/// The `Dossier` sheet: one row per key under the heading of its group, column A its French
/// label (bold with ` *` when required), B its value, C its help, and D, hidden, the dotted
/// key the reader goes by (carried with its row wherever people move it). The sheet is
/// protected without a password: only the values can be typed (and rows inserted, cells
/// formatted), `format` stays 1.
fn feuille_dossier(
    f: &mut Worksheet,
    options: &Options<'_>,
    formats: &Formats,
    positions: &mut Positions,
) -> Result<(), XlsxError> {
    let d = options.dossier;
    for (j, titre) in ["Champ (* : obligatoire)", "Valeur", "Aide", "Clé"].iter().enumerate() {
        f.write_string_with_format(0, j as u16, *titre, &formats.entete)?;
    }
    for (j, largeur) in LARGEURS_DOSSIER.iter().enumerate() {
        f.set_column_width(j as u16, *largeur)?;
        // Below the table, cells stay free for notes (read as such).
        if j < 3 {
            f.set_column_format(j as u16, &formats.libre)?;
        }
    }
    f.set_column_hidden(3)?;
    f.set_row_height(0, 20)?;
    f.set_freeze_panes(1, 0)?;
    let champs: Vec<&Champ> = schema::champs::CHAMPS
        .iter()
        .filter(|c| section_utile(c.cle, options.volet.as_deref()))
        .filter(|c| champ_utile(c, options.champs.as_ref(), d))
        .collect();
    let mut ligne = 0u32;
    let mut section_courante = None;
    for c in champs {
        let section = schema::section(c.cle);
        if section_courante != Some(section) {
            section_courante = Some(section);
            if let Some((_, titre)) = schema::TITRES_SECTIONS.iter().find(|(s, _)| *s == section) {
                ligne += 1;
                f.write_string_with_format(ligne, 0, *titre, &formats.titre)?;
                f.write_blank(ligne, 1, &formats.titre)?;
                f.write_blank(ligne, 2, &formats.titre)?;
                f.set_row_height(ligne, 20)?;
                if !section.is_empty() {
                    positions.entry(section.to_string()).or_insert((0, ligne, 0));
                }
            }
        }
        ligne += 1;
        // Required by the format, or by a rule in force for this type of action (a typed
        // template): marked « * », the rule said in the help.
        let exige = options.champs.as_ref().and_then(|d| d.exiges.get(c.cle)).filter(|_| !c.requis);
        let requis = c.requis || exige.is_some();
        let libelle = if requis { format!("{} *", c.libelle) } else { c.libelle.to_string() };
        f.write_string_with_format(
            ligne,
            0,
            &libelle,
            if requis { &formats.libelle_requis } else { &formats.libelle },
        )?;
        let mut aide = aide_classeur(c);
        if let Some((titre, oui)) = exige {
            let attendu = if *oui { " : répondez « oui »" } else { "" };
            aide = format!("Obligatoire pour ce type d'action{attendu} (règle « {titre} »). {aide}");
        }
        f.write_string_with_format(ligne, 2, &aide, &formats.aide)?;
        f.write_string_with_format(ligne, 3, c.cle, &formats.cle)?;
        // Rows whose help or value wraps are sized to it (neither Excel nor LibreOffice does
        // it when it opens the file); other rows keep their automatic height, which grows
        // with what people type (the description's, in the template).
        let mut lignes = lignes_pliees(&aide, LARGEURS_DOSSIER[2]).max(lignes_pliees(&libelle, LARGEURS_DOSSIER[0]));
        f.write_blank(ligne, 1, format_de(c.genre, formats))?;
        if let Some(valeurs) = valeurs_liste(c.genre) {
            let dv = liste(c.cle, &valeurs)?;
            f.add_data_validation(ligne, 1, ligne, 1, &dv)?;
        }
        liste_deroulante(f, c.cle, ligne, &options.types)?;
        positions.insert(c.cle.to_string(), (0, ligne, 1));
        if let Some(v) = d.and_then(|d| d.valeur(c.cle)) {
            ecrire_valeur(f, ligne, 1, c.genre, v, formats)?;
            if let Some(t) = texte_affiche(v) {
                lignes = lignes.max(lignes_pliees(&t, LARGEURS_DOSSIER[1]));
            }
        } else if let Some(b) = d.and_then(|d| d.bruts.get(c.cle)) {
            // A rejected value is handed back as it was written.
            f.write_string_with_format(ligne, 1, tronquer(b, TEXTE_MAX), &formats.texte)?;
            lignes = lignes.max(lignes_pliees(b, LARGEURS_DOSSIER[1]));
        }
        if lignes > 1 {
            f.set_row_height(ligne, hauteur(lignes))?;
        }
        if c.cle == "format" {
            f.set_cell_format(ligne, 1, &formats.verrouille)?;
        }
    }
    let mut protection = ProtectionOptions::new();
    protection.format_cells = true;
    protection.format_columns = true;
    protection.format_rows = true;
    protection.insert_rows = true;
    protection.insert_columns = true;
    protection.delete_rows = true;
    protection.insert_links = true;
    f.protect_with_options(&protection);
    mise_en_page(f)
}

/// Writes the workbook; returns its bytes and where each field went.
pub fn ecrire(options: &Options<'_>) -> Result<(Vec<u8>, Positions), String> {
    let formats = Formats::new();
    let mut classeur = Workbook::new();
    let mut positions = Positions::new();
    let d = options.dossier;
    if !options.tronquer
        && let Some((champ, n)) = d.and_then(texte_trop_long)
    {
        return Err(format!(
            "« {champ} » : texte de {} caractères, au-delà des {} qu'une cellule d'Excel peut contenir : conversion refusée, elle perdrait la fin du texte (raccourcissez-le, ou gardez le dossier en TOML)",
            milliers(n),
            milliers(TEXTE_MAX)
        ));
    }
    {
        let f = classeur.add_worksheet().set_name(NOMS_FEUILLES[0]).map_err(err)?;
        feuille_dossier(f, options, &formats, &mut positions).map_err(err)?;
    }
    for (k, nom) in schema::LIGNES.iter().enumerate() {
        let f = classeur.add_worksheet().set_name(NOMS_FEUILLES[k + 1]).map_err(err)?;
        feuille_lignes(f, nom, schema::colonnes(nom), d, &formats, &mut positions, k + 1).map_err(err)?;
    }
    if let Some(constats) = options.constats {
        annoter(&mut classeur, constats, &positions, &formats).map_err(err)?;
    }
    let octets = classeur.save_to_buffer().map_err(err)?;
    Ok((octets, positions))
}

/// The format of an input cell of this kind of value: euros for an amount, a date format,
/// text for what must stay as typed (a department `01`, a list).
fn format_de(genre: Genre, formats: &Formats) -> &Format {
    match genre {
        Genre::Montant => &formats.euros,
        Genre::Date => &formats.date,
        Genre::Texte | Genre::Departement | Genre::ListeChoix(_) | Genre::ListeTexte | Genre::Ages => &formats.texte,
        _ => &formats.saisie,
    }
}

/// The kind of value at a field path (`porteur.nom`, `depense[2].montant`), if it is one.
fn genre_du_champ(cle: &str) -> Option<Genre> {
    match cle.split_once('[') {
        Some((liste, reste)) => {
            let colonne = reste.split_once("].")?.1;
            schema::colonnes(liste).iter().find(|c| c.cle == colonne).map(|c| c.genre)
        }
        None => schema::champ(cle).map(|c| c.genre),
    }
}

/// Each finding as a note on its cell, the cell coloured by severity (its number or date
/// format kept), and an `Anomalies` sheet listing them all.
fn annoter(
    classeur: &mut Workbook,
    constats: &[Constat],
    positions: &Positions,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let mut genres: HashMap<(usize, u32, u16), Genre> = HashMap::new();
    let mut par_cellule: HashMap<(usize, u32, u16), Vec<&Constat>> = HashMap::new();
    for c in constats {
        let champ = c.emplacement.champ.as_deref().unwrap_or("");
        let mut cle = champ;
        let pos = loop {
            if let Some(p) = positions.get(cle) {
                break Some(*p);
            }
            match cle.rfind(['.', '[']) {
                Some(i) => cle = &cle[..i],
                None => break None,
            }
        };
        if let Some(p) = pos {
            par_cellule.entry(p).or_default().push(c);
            if let Some(g) = genre_du_champ(cle) {
                genres.insert(p, g);
            }
        }
    }
    for ((feuille, ligne, col), liste) in &par_cellule {
        let f = classeur.worksheet_from_index(*feuille)?;
        let texte: Vec<String> = liste.iter().map(|c| format!("{} [{}] : {}", c.gravite, c.regle, c.message)).collect();
        let note = Note::new(tronquer(&texte.join("\n\n"), NOTE_MAX)).set_author("fnp").set_width(420).set_height(180);
        f.insert_note(*ligne, *col, &note)?;
        let pire = liste.iter().map(|c| c.gravite).min().unwrap_or(Gravite::Info);
        // Colour the cell by the worst severity, keeping its value and its format.
        let base = genres.get(&(*feuille, *ligne, *col)).map_or(&formats.saisie, |g| format_de(*g, formats));
        f.set_cell_format(*ligne, *col, &base.clone().set_background_color(couleur(pire)).set_unlocked())?;
    }
    let f = classeur.add_worksheet().set_name("Anomalies")?;
    let entete = Format::new().set_bold().set_font_color(Color::White).set_background_color(Color::RGB(0x1D4E89));
    for (j, (titre, largeur)) in anomalies::COLONNES.iter().enumerate() {
        f.write_string_with_format(0, j as u16, *titre, &entete)?;
        f.set_column_width(j as u16, *largeur)?;
    }
    f.set_freeze_panes(1, 0)?;
    mise_en_page(f)?;
    for (i, c) in constats.iter().enumerate() {
        let l = i as u32 + 1;
        let fond = Format::new().set_background_color(couleur(c.gravite)).set_text_wrap().set_align(FormatAlign::Top);
        let valeurs = anomalies::ligne(c, c.emplacement.cellule.as_deref());
        for (j, v) in valeurs.iter().enumerate() {
            f.write_string_with_format(l, j as u16, v, &fond)?;
        }
        f.set_row_height(l, anomalies::hauteur(&valeurs))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
