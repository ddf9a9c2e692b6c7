//! Reads the sheets of an ods workbook that a dossier needs, streaming its `content.xml`
//! once, within the reader budget (`io::budget`).
//!
//! calamine lays out every sheet of an ods densely when it opens the file, expands
//! `<text:s text:c="…"/>` and repeated rows and cells without bound, and reads
//! `number-rows-repeated` after decoding character references: a 40-byte element could ask
//! for 2 GB. Here only the four sheets of the layout are read (the others are skipped as
//! they stream by), every repeat is counted on what it decodes to, and cells further right
//! than the layout's 64 columns are never kept. Cells come out as calamine's `Data`, with
//! calamine's own reading of ods values, so the rest of the reader does not know the
//! difference.

use crate::lecture::limites::{FORMULE_MAX, FORMULES_GARDEES};
use std::io::{BufReader, Read};

use calamine::Data;
use foldhash::{HashMap, HashMapExt, HashSet};
use quick_xml::events::{BytesStart, Event};

use super::limites::{Budget, COLONNES_MAX, Depassement};

/// The rows of a sheet (the format's bound, as calamine and LibreOffice have it).
const LIGNES_ODS: u64 = 1_048_576;

/// Why an ods workbook cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub enum Refus {
    /// A sheet with more rows holding data than the limit.
    TropDeLignes { feuille: String },
    /// The budget ran out in this sheet.
    Budget { feuille: String, depassement: Depassement },
    /// The workbook is encrypted.
    MotDePasse,
    /// Not an ods workbook, or a damaged one: what is wrong, in French.
    Illisible(String),
}

/// One sheet read: its cells holding something, and where formulas are.
#[derive(Debug, Default)]
pub struct FeuilleOds {
    pub nom: String,
    /// (row, column, value), in reading order.
    pub cellules: Vec<(u32, u32, Data)>,
    pub formules: HashSet<(u32, u32)>,
    /// The formulas' texts as the file writes them (`of:=SUM([.C2:.C5])`), the first
    /// [`FORMULES_GARDEES`] of the sheet: recomputed for numbers (hostile round 4).
    pub textes_formules: HashMap<(u32, u32), Box<str>>,
}

/// What was read of a workbook.
#[derive(Debug, Default)]
pub struct ClasseurOds {
    /// Every sheet's name and whether it is visible, in order.
    pub feuilles: Vec<(String, bool)>,
    /// The sheets asked for, by the index `voulue` gave them.
    pub lues: Vec<(usize, FeuilleOds)>,
    /// What the workbook takes from elsewhere.
    pub externes: Externes,
}

/// What an ods workbook takes from elsewhere, which fnp never fetches or runs
/// (`CLASSEUR-LIENS-EXTERNES`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Externes {
    /// Links to other files or DDE: a linked sheet (`table:table-source`), DDE links.
    pub liens: bool,
    /// Connections to external data: a range linked to a web page or a file
    /// (`table:cell-range-source`, LibreOffice's « Lien vers des données externes »), a
    /// database range or a pivot table fed by a database query, SQL or table
    /// (`table:database-source-*`) or by a service (`table:source-service`).
    pub connexions: bool,
    /// Scripts bound to the document's events (`office:load`…, `script:event-listener`),
    /// found by the element, whatever the script is called (hostile round 4): macros.
    pub scripts: bool,
}

impl Externes {
    /// Notes what the element `nom` takes from elsewhere; whether it does.
    fn noter(&mut self, nom: &str) -> bool {
        match nom {
            "table:cell-range-source"
            | "table:database-source-query"
            | "table:database-source-sql"
            | "table:database-source-table"
            | "table:source-service" => self.connexions = true,
            "table:table-source" | "table:dde-link" | "table:dde-source" | "office:dde-source" => self.liens = true,
            "script:event-listener" | "presentation:event-listener" => self.scripts = true,
            _ => return false,
        }
        true
    }

    /// Notes a formula that reaches out, found by its text wherever it is (hostile round 4).
    fn noter_formule(&mut self, externe: Option<bool>) {
        match externe {
            Some(true) => self.liens = true,
            Some(false) => self.connexions = true,
            None => {}
        }
    }
}

/// A decoded attribute value (character references and entities resolved, as a reader of
/// the format must), or `None`.
fn attribut(e: &BytesStart<'_>, nom: &str) -> Option<String> {
    let a = e.try_get_attribute(nom).ok().flatten()?;
    Some(
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.to_string()),
    )
}

/// A repeat count: at least 1; a number too large for 64 bits is as large as can be.
fn repetition(e: &BytesStart<'_>, nom: &str) -> u64 {
    match attribut(e, nom) {
        Some(v) => {
            let v = v.trim();
            match v.parse::<u64>() {
                Ok(n) => n.max(1),
                Err(_) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => u64::MAX,
                Err(_) => 1,
            }
        }
        None => 1,
    }
}

fn ouvrir(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, nom: &str) -> Result<Option<Vec<u8>>, Refus> {
    // Small parts only (mimetype, manifest): read whole, bounded.
    let mut partie = match archive.by_name(nom) {
        Ok(p) => p,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(Refus::Illisible(super::zip::message_zip(&e))),
    };
    let mut octets = Vec::new();
    (&mut partie)
        .take(1024 * 1024)
        .read_to_end(&mut octets)
        .map_err(|e| Refus::Illisible(super::description_io(&e)))?;
    Ok(Some(octets))
}

/// Reads the workbook `octets`: the sheets for which `voulue(name, visible)` gives an index
/// are read (each index once, the first sheet wins), within `budget`, with at most
/// `lignes_max` rows holding data per sheet.
pub fn lire(
    octets: &[u8],
    voulue: &dyn Fn(&str, bool) -> Option<usize>,
    budget: &mut Budget,
    lignes_max: u64,
) -> Result<ClasseurOds, Refus> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(octets))
        .map_err(|e| Refus::Illisible(format!("archive zip illisible : {}", super::zip::message_zip(&e))))?;
    match ouvrir(&mut archive, "mimetype")? {
        Some(m) if m.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") => {}
        Some(_) => {
            return Err(Refus::Illisible(
                "ce n'est pas un classeur tableur OpenDocument (type de document différent)".into(),
            ));
        }
        None => return Err(Refus::Illisible("partie « mimetype » absente : ce n'est pas un classeur ods".into())),
    }
    if let Some(manifeste) = ouvrir(&mut archive, "META-INF/manifest.xml")?
        && manifeste.windows(b"encryption-data".len()).any(|w| w == b"encryption-data")
    {
        return Err(Refus::MotDePasse);
    }
    let contenu = match archive.by_name("content.xml") {
        Ok(c) => c,
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(Refus::Illisible("partie « content.xml » absente".into()));
        }
        Err(e) => return Err(Refus::Illisible(super::zip::message_zip(&e))),
    };
    // The zip reader stops at the part's declared size, which the archive check bounds.
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(contenu));
    xml.config_mut().check_end_names = false;
    Lecture { xml, tampon: Vec::new(), budget, lignes_max, voulue, externes: Externes::default() }.classeur()
}

struct Lecture<'a, R: std::io::BufRead> {
    xml: quick_xml::Reader<R>,
    tampon: Vec<u8>,
    budget: &'a mut Budget,
    lignes_max: u64,
    voulue: &'a dyn Fn(&str, bool) -> Option<usize>,
    /// What the workbook takes from elsewhere, noted wherever it is met (skipped sheets too).
    externes: Externes,
}

/// A cell's value as calamine reads ods: the first value attribute wins; a string (or an
/// error) without one takes the cell's text.
struct Valeur {
    donnee: Data,
    formule: bool,
    /// The formula's text (`table:formula`), when the cell has one.
    texte_formule: Option<Box<str>>,
    texte_a_lire: bool,
    /// The formula reaches out: a link (`true`) or a fetch (`false`), told by its whole
    /// text (`zip::formule_externe`).
    externe: Option<bool>,
}

fn valeur(e: &BytesStart<'_>) -> Valeur {
    let mut donnee = Data::Empty;
    let (mut fixee, mut chaine, mut erreur, mut formule) = (false, false, false, false);
    let mut texte_formule = None;
    let mut externe = None;
    for a in e.attributes().with_checks(false).flatten() {
        let cle = a.key.as_ref();
        let texte = || {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        };
        match cle {
            "office:value" if !fixee => {
                let t = texte();
                donnee = match t.trim().parse::<f64>() {
                    Ok(f) => Data::Float(f),
                    // Unreadable as a number: kept as written, told at its cell.
                    Err(_) => Data::String(t),
                };
                fixee = true;
            }
            "office:string-value" if !fixee => {
                donnee = Data::String(texte());
                fixee = true;
            }
            "office:date-value" if !fixee => {
                donnee = Data::DateTimeIso(texte());
                fixee = true;
            }
            "office:time-value" if !fixee => {
                donnee = Data::DurationIso(texte());
                fixee = true;
            }
            "office:boolean-value" if !fixee => {
                let t = texte();
                donnee = Data::Bool(t == "true" || t == "TRUE");
                fixee = true;
            }
            "office:value-type" if !fixee => chaine = a.value.as_ref() == "string",
            "calcext:value-type" => erreur = a.value.as_ref() == "error",
            "table:formula" => {
                formule = !a.value.is_empty();
                // A formula longer than any dossier's amount needs is kept as a mark that
                // cannot be evaluated: said as not recomputed, never read as another.
                texte_formule = formule.then(|| {
                    let t = texte();
                    externe = super::zip::formule_externe(&t);
                    if t.len() <= FORMULE_MAX { t.into_boxed_str() } else { Box::from("…") }
                });
            }
            _ => {}
        }
    }
    let texte_a_lire = (!fixee && chaine) || (erreur && matches!(&donnee, Data::String(s) if s.is_empty()));
    Valeur { donnee, formule, texte_formule, texte_a_lire, externe }
}

fn vide(d: &Data) -> bool {
    matches!(d, Data::Empty) || matches!(d, Data::String(s) if s.trim().is_empty())
}

fn taille(d: &Data) -> usize {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.len(),
        _ => 0,
    }
}

/// What an element start tells the reader, taken out of the XML buffer.
enum Debut {
    Style(Option<String>),
    ProprietesTable(bool),
    Table { nom: String, style: Option<String>, vide: bool },
    Autre,
}

/// A cell being read in a row.
struct Cellule {
    valeur: Valeur,
    colonnes: u64,
}

fn illisible_xml(e: quick_xml::Error) -> Refus {
    Refus::Illisible(format!("content.xml illisible : {e}"))
}

impl<R: std::io::BufRead> Lecture<'_, R> {
    /// A formula in a sheet passed over is looked at all the same (hostile round 4).
    fn noter_formule_passee(&mut self, e: &BytesStart<'_>) {
        if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell")
            && let Some(f) = attribut(e, "table:formula")
        {
            self.externes.noter_formule(super::zip::formule_externe(&f));
        }
    }

    /// Skips what is inside the element just started, as it streams by, noting only what
    /// it takes from elsewhere.
    fn passer(&mut self) -> Result<(), Refus> {
        let mut profondeur = 0usize;
        let mut tampon = Vec::new();
        loop {
            tampon.clear();
            match self.xml.read_event_into(&mut tampon).map_err(illisible_xml)? {
                Event::Start(e) => {
                    self.externes.noter(e.name().as_ref());
                    self.noter_formule_passee(&e);
                    profondeur += 1;
                }
                Event::Empty(e) => {
                    self.externes.noter(e.name().as_ref());
                    self.noter_formule_passee(&e);
                }
                Event::End(_) if profondeur == 0 => return Ok(()),
                Event::End(_) => profondeur -= 1,
                Event::Eof => return Err(Refus::Illisible("content.xml tronqué".into())),
                _ => {}
            }
        }
    }

    fn classeur(mut self) -> Result<ClasseurOds, Refus> {
        let mut classeur = ClasseurOds::default();
        // Automatic table styles: name → visible.
        let mut styles: HashMap<String, bool> = HashMap::new();
        let mut style: Option<String> = None;
        let mut prises: Vec<usize> = Vec::new();
        loop {
            self.tampon.clear();
            let debut = match self.xml.read_event_into(&mut self.tampon).map_err(illisible_xml)? {
                Event::Eof => break,
                Event::End(e) => {
                    if e.name().as_ref() == "style:style" {
                        style = None;
                    }
                    continue;
                }
                Event::Start(e) if self.externes.noter(e.name().as_ref()) => continue,
                Event::Empty(e) if self.externes.noter(e.name().as_ref()) => continue,
                Event::Start(e) => debut(&e, false),
                Event::Empty(e) => debut(&e, true),
                _ => continue,
            };
            match debut {
                Debut::Style(s) => style = s,
                Debut::ProprietesTable(visible) => {
                    if let Some(s) = &style {
                        styles.insert(s.clone(), visible);
                    }
                }
                Debut::Table { nom, style: style_table, vide } => {
                    let visible = style_table.and_then(|s| styles.get(&s).copied()).unwrap_or(true);
                    classeur.feuilles.push((nom.clone(), visible));
                    match (self.voulue)(&nom, visible).filter(|k| !prises.contains(k)) {
                        Some(k) => {
                            prises.push(k);
                            let feuille =
                                if vide { FeuilleOds { nom, ..Default::default() } } else { self.feuille(nom)? };
                            classeur.lues.push((k, feuille));
                        }
                        None if !vide => self.passer()?,
                        None => {}
                    }
                }
                Debut::Autre => {}
            }
        }
        classeur.externes = self.externes;
        Ok(classeur)
    }

    /// Reads one sheet, from just after its start to its end.
    fn feuille(&mut self, nom: String) -> Result<FeuilleOds, Refus> {
        let mut f = FeuilleOds { nom, ..Default::default() };
        let refus_budget = |f: &FeuilleOds, depassement| Refus::Budget { feuille: f.nom.clone(), depassement };
        // The row about to be read (repeats counted), rows holding data so far.
        let (mut ligne, mut pleines) = (0u64, 0u64);
        // The row being read: its repeat count, its next column, its cells holding something.
        let mut repetee = 1u64;
        let mut colonne = 0u64;
        let mut dans_ligne = false;
        let mut rangee: Vec<(u32, Data, bool, Option<Box<str>>)> = Vec::new();
        loop {
            self.tampon.clear();
            enum Quoi {
                Ligne { repetee: u64, vide: bool },
                FinLigne,
                Cellule { cellule: Cellule, vide: bool },
                Table,
                FinTable,
                Rien,
            }
            let quoi = match self.xml.read_event_into(&mut self.tampon).map_err(illisible_xml)? {
                Event::Eof => return Err(Refus::Illisible("content.xml tronqué".into())),
                Event::Start(e) if e.name().as_ref() == "table:table" => Quoi::Table,
                Event::End(e) if e.name().as_ref() == "table:table" => Quoi::FinTable,
                Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                    Quoi::Ligne { repetee: repetition(&e, "table:number-rows-repeated"), vide: false }
                }
                Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                    Quoi::Ligne { repetee: repetition(&e, "table:number-rows-repeated"), vide: true }
                }
                Event::End(e) if e.name().as_ref() == "table:table-row" => Quoi::FinLigne,
                Event::Start(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                    let colonnes = repetition(&e, "table:number-columns-repeated");
                    let valeur = valeur(&e);
                    self.externes.noter_formule(valeur.externe);
                    Quoi::Cellule { cellule: Cellule { valeur, colonnes }, vide: false }
                }
                Event::Empty(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                    let colonnes = repetition(&e, "table:number-columns-repeated");
                    let valeur = valeur(&e);
                    self.externes.noter_formule(valeur.externe);
                    Quoi::Cellule { cellule: Cellule { valeur, colonnes }, vide: true }
                }
                Event::Start(e) | Event::Empty(e) => {
                    self.externes.noter(e.name().as_ref());
                    Quoi::Rien
                }
                _ => Quoi::Rien,
            };
            match quoi {
                // A table inside the sheet (in a drawing): not part of its grid.
                Quoi::Table => self.passer()?,
                Quoi::FinTable => return Ok(f),
                Quoi::Ligne { repetee: r, vide } => {
                    if vide {
                        ligne = ligne.saturating_add(r);
                    } else {
                        (repetee, colonne, dans_ligne) = (r, 0, true);
                        rangee.clear();
                    }
                }
                Quoi::FinLigne if dans_ligne => {
                    dans_ligne = false;
                    // A row holding nothing, however often repeated (LibreOffice writes the
                    // blank rows down to the last one as one), costs nothing. One holding
                    // something counts for each repeat, formulas included, before it is laid out.
                    if rangee.is_empty() {
                        ligne = ligne.saturating_add(repetee);
                        continue;
                    }
                    pleines = pleines.saturating_add(repetee);
                    if pleines > self.lignes_max {
                        return Err(Refus::TropDeLignes { feuille: f.nom.clone() });
                    }
                    // Rows past the format's last one are not laid out (as calamine does).
                    let fois = repetee.min(LIGNES_ODS.saturating_sub(ligne));
                    for k in 0..fois {
                        let l = (ligne + k) as u32;
                        for (c, d, formule, texte) in &rangee {
                            if let Some(t) = texte
                                && f.textes_formules.len() < FORMULES_GARDEES
                            {
                                f.textes_formules.insert((l, *c), t.clone());
                            }
                            if *formule && vide(d) {
                                self.budget.cellule(0).map_err(|x| refus_budget(&f, x))?;
                                f.formules.insert((l, *c));
                            } else if *formule {
                                f.formules.insert((l, *c));
                            }
                            if !vide(d) {
                                self.budget.cellule(taille(d)).map_err(|x| refus_budget(&f, x))?;
                                f.cellules.push((l, *c, d.clone()));
                            }
                        }
                    }
                    ligne = ligne.saturating_add(repetee);
                }
                Quoi::FinLigne => {}
                Quoi::Cellule { mut cellule, vide: fermee } => {
                    if !fermee {
                        if cellule.valeur.texte_a_lire {
                            let texte = self.texte(&f.nom)?;
                            cellule.valeur.donnee = Data::String(texte);
                        } else {
                            self.passer()?;
                        }
                    }
                    let Valeur { donnee, formule, texte_formule, .. } = cellule.valeur;
                    if dans_ligne && (formule || !vide(&donnee)) {
                        let fin = colonne.saturating_add(cellule.colonnes).min(u64::from(COLONNES_MAX));
                        for c in colonne..fin {
                            // Charged once per column it covers; the row's repeats later.
                            self.budget.texte(taille(&donnee)).map_err(|x| refus_budget(&f, x))?;
                            rangee.push((c as u32, donnee.clone(), formule, texte_formule.clone()));
                        }
                    }
                    colonne = colonne.saturating_add(cellule.colonnes);
                }
                Quoi::Rien => {}
            }
        }
    }

    /// The text of a cell, as calamine reads it: paragraphs joined by line feeds, `text:s`
    /// as its count of spaces, tabs and line breaks, notes (`office:annotation`) left out.
    /// Every byte is charged to the budget before it is added.
    fn texte(&mut self, feuille: &str) -> Result<String, Refus> {
        enum Ajout {
            Texte(String),
            Espaces(u64),
            Car(char),
            Paragraphe,
            Note,
            Fin,
            Rien,
        }
        let refus = |depassement| Refus::Budget { feuille: feuille.to_string(), depassement };
        let mut s = String::new();
        let mut premier_paragraphe = true;
        let mut profondeur = 0usize;
        let mut tampon = Vec::new();
        loop {
            tampon.clear();
            let externes = &mut self.externes;
            let mut element = |e: &BytesStart<'_>| match e.name().as_ref() {
                "text:p" => Ajout::Paragraphe,
                "text:s" => Ajout::Espaces(repetition(e, "text:c")),
                "text:tab" => Ajout::Car('\t'),
                "text:line-break" => Ajout::Car('\n'),
                "office:annotation" => Ajout::Note,
                autre => {
                    externes.noter(autre);
                    Ajout::Rien
                }
            };
            let ajout = match self.xml.read_event_into(&mut tampon).map_err(illisible_xml)? {
                Event::Eof => return Err(Refus::Illisible("content.xml tronqué".into())),
                Event::End(_) if profondeur == 0 => Ajout::Fin,
                Event::End(_) => {
                    profondeur -= 1;
                    Ajout::Rien
                }
                Event::Start(e) => {
                    profondeur += 1;
                    element(&e)
                }
                Event::Empty(e) => match element(&e) {
                    // An empty note holds nothing to skip.
                    Ajout::Note => Ajout::Rien,
                    autre => autre,
                },
                Event::Text(t) => Ajout::Texte(t.xml10_content().into_owned()),
                Event::CData(t) => Ajout::Texte(t.xml10_content().into_owned()),
                Event::GeneralRef(r) => {
                    let c = match r.xml10_content().as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => r.resolve_char_ref().ok().flatten(),
                    };
                    c.map_or(Ajout::Rien, Ajout::Car)
                }
                _ => Ajout::Rien,
            };
            match ajout {
                Ajout::Fin => return Ok(s),
                Ajout::Texte(t) => {
                    self.budget.texte(t.len()).map_err(refus)?;
                    s.push_str(&t);
                }
                Ajout::Espaces(n) => {
                    let n = usize::try_from(n).unwrap_or(usize::MAX);
                    self.budget.texte(n).map_err(refus)?;
                    s.extend(std::iter::repeat_n(' ', n));
                }
                Ajout::Car(c) => {
                    self.budget.texte(c.len_utf8()).map_err(refus)?;
                    s.push(c);
                }
                Ajout::Paragraphe => {
                    if premier_paragraphe {
                        premier_paragraphe = false;
                    } else {
                        self.budget.texte(1).map_err(refus)?;
                        s.push('\n');
                    }
                }
                Ajout::Note => {
                    profondeur -= 1;
                    self.passer()?;
                }
                Ajout::Rien => {}
            }
        }
    }
}

fn debut(e: &BytesStart<'_>, vide: bool) -> Debut {
    match e.name().as_ref() {
        "style:style" => Debut::Style(attribut(e, "style:name")),
        "style:table-properties" => {
            Debut::ProprietesTable(attribut(e, "table:display").is_none_or(|v| v.trim() != "false"))
        }
        "table:table" => Debut::Table {
            nom: attribut(e, "table:name").unwrap_or_default(),
            style: attribut(e, "table:style-name"),
            vide,
        },
        _ => Debut::Autre,
    }
}

#[cfg(test)]
mod tests;
