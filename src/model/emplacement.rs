//! Where a finding points: a field's location in a TOML text (line, column) or a workbook
//! (sheet and cell), noted by the readers, and told as people read it.

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

/// Where a finding points, as printed in JSON (`emplacement`; `libelle`, the field's label
/// in the workbook, is added after `champ` when the field has one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Emplacement {
    pub fichier: String,
    pub ligne: Option<usize>,
    pub colonne: Option<usize>,
    /// The dotted field (`groupe.participants_max`, `depense[2].nature`).
    pub champ: Option<String>,
    /// The workbook cell (`Dossier!B14`), for workbooks.
    pub cellule: Option<String>,
    /// Byte range in the source text, for the caret display; not printed in JSON.
    pub etendue: Option<Range<usize>>,
}

impl Serialize for Emplacement {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let libelle = self.champ.as_deref().and_then(libelle_du_champ);
        let mut e = s.serialize_struct("Emplacement", if libelle.is_some() { 6 } else { 5 })?;
        e.serialize_field("fichier", &self.fichier)?;
        e.serialize_field("ligne", &self.ligne)?;
        e.serialize_field("colonne", &self.colonne)?;
        e.serialize_field("champ", &self.champ)?;
        if let Some(l) = libelle {
            e.serialize_field("libelle", l)?;
        }
        e.serialize_field("cellule", &self.cellule)?;
        e.end()
    }
}

/// `depense[2].nature` → `depense.nature`: a field path as the schema names its key.
pub fn sans_index(champ: &str) -> String {
    match champ.split_once('[') {
        Some((liste, reste)) => format!("{liste}{}", reste.split_once(']').map_or("", |(_, r)| r)),
        None => champ.to_string(),
    }
}

/// The label a workbook gives a field (`depense[2].montant` → « Montant (€) »), if any.
pub fn libelle_du_champ(champ: &str) -> Option<&'static str> {
    crate::model::schema::libelle_de(&sans_index(champ))
}

impl Emplacement {
    /// Where the place falls as a person reads the file, to order findings: a TOML file by
    /// line and column; a workbook by sheet (the template's order, then others by name), row
    /// and column; a finding about the whole file after those with a place.
    pub fn rang(&self) -> (bool, usize, String, u32, u32) {
        if let Some((feuille, cellule)) = self.cellule.as_deref().and_then(|c| c.rsplit_once('!')) {
            let feuille = feuille.trim_matches('\'');
            let ordre = crate::model::schema::NOMS_FEUILLES.iter().position(|f| *f == feuille);
            let (ligne, col) = lire_reference(cellule).unwrap_or((u32::MAX, u32::MAX));
            let autre = if ordre.is_some() { String::new() } else { feuille.to_string() };
            return (false, ordre.unwrap_or(usize::MAX), autre, ligne, col);
        }
        match self.ligne {
            Some(l) => (
                false,
                0,
                String::new(),
                u32::try_from(l).unwrap_or(u32::MAX),
                self.colonne.map_or(0, |c| u32::try_from(c).unwrap_or(u32::MAX)),
            ),
            None => (true, 0, String::new(), 0, 0),
        }
    }

    /// Where it is, for people: `dossier.xlsx:Dépenses!C5`, `projet.toml:27:3`, or the file.
    pub fn lieu(&self) -> String {
        match (&self.cellule, self.ligne, self.colonne) {
            (Some(cellule), _, _) => format!("{}:{cellule}", self.fichier),
            (None, Some(l), Some(col)) => format!("{}:{l}:{col}", self.fichier),
            _ => self.fichier.clone(),
        }
    }

    /// The place told as a person reads it, without the file: in a workbook by the labels
    /// beside the values, « Recettes, ligne 1 — Montant (€) (Recettes!C2) », « Porteur —
    /// Département du siège (Dossier!B15) »; in TOML by keys and line, « Lieu,
    /// demi_journees_ouverture (ligne 27) ».
    pub fn lieu_lisible(&self) -> String {
        // In a workbook, the field by the label the treasurer reads beside it (TOML keeps
        // its keys and lines, as format.md says).
        if let Some(cellule) = &self.cellule {
            return match self.champ.as_deref() {
                Some(champ) => format!("{} ({cellule})", champ_en_mots(champ)),
                None => cellule.clone(),
            };
        }
        let champ = self.champ.as_deref().map(champ_lisible);
        let position = match (&self.cellule, self.ligne) {
            (Some(cellule), _) => Some(format!("cellule {cellule}")),
            (None, Some(l)) => Some(format!("ligne {l}")),
            _ => None,
        };
        match (champ, position) {
            (Some(c), Some(p)) => format!("{c} ({p})"),
            (Some(c), None) => c,
            (None, Some(p)) => p,
            (None, None) => "le dossier entier".into(),
        }
    }
}

/// A field path told in a workbook's words: `porteur.departement` → « Porteur — Département
/// du siège », `depense[2].montant` → « Dépenses, ligne 3 — Montant (€) »; the key where the
/// field has no label.
pub fn champ_en_mots(champ: &str) -> String {
    let Some(libelle) = libelle_du_champ(champ) else { return champ_lisible(champ) };
    let (tete, _) = champ.split_once('.').unwrap_or((champ, ""));
    let groupe = match tete.split_once('[') {
        Some((liste, index)) => {
            let i = index.trim_end_matches(']').parse::<usize>().ok();
            match (section(liste), i) {
                (Some(nom), Some(i)) => Some(format!("{nom}, ligne {}", i + 1)),
                _ => None,
            }
        }
        None if tete != champ => section(tete).map(str::to_string),
        None => None,
    };
    match groupe {
        Some(g) => format!("{g} — {libelle}"),
        None => libelle.to_string(),
    }
}

/// The name of a section of the dossier, as its sheet or part of the Dossier sheet says it.
fn section(s: &str) -> Option<&'static str> {
    Some(match s {
        "depense" => "Dépenses",
        "recette" => "Recettes",
        "contribution" => "Contributions",
        "caf" => "Caf",
        "porteur" => "Porteur",
        "action" => "Action",
        "territoire" => "Territoire",
        "groupe" => "Groupe",
        "lieu" => "Lieu",
        "telephonie" => "Téléphonie",
        "reseau" => "Réseau",
        "indicateurs" => "Indicateurs",
        "indicateurs_realises" => "Indicateurs réalisés",
        "bilan" => "Bilan",
        _ => return None,
    })
}

/// A field path told in words: `recette[0].montant` → « Recettes, 1re ligne, montant »,
/// `lieu.etp_referent` → « Lieu, etp_referent », `exercice` → « exercice ».
pub fn champ_lisible(champ: &str) -> String {
    let (tete, reste) = champ.split_once('.').map_or((champ, None), |(a, b)| (a, Some(b)));
    if let Some((liste, index)) = tete.split_once('[')
        && let Some(nom) = section(liste)
        && let Ok(i) = index.trim_end_matches(']').parse::<usize>()
    {
        let rang = if i == 0 { "1re".to_string() } else { format!("{}e", i + 1) };
        return match reste {
            Some(cle) => format!("{nom}, {rang} ligne, {cle}"),
            None => format!("{nom}, {rang} ligne"),
        };
    }
    match (section(tete), reste) {
        // The bilan's totals of a sheet (rules v4, BILAN-EQUILIBRE).
        (Some(nom), Some("total.realise")) => format!("{nom}, total du réalisé"),
        (Some(nom), Some(cle)) => format!("{nom}, {cle}"),
        (Some(nom), None) => nom.to_string(),
        _ => champ.to_string(),
    }
}

/// The text of a dossier file, shared by the findings that show a line of it.
pub type Texte = Arc<str>;

/// The locations of a dossier's fields, filled by a reader.
#[derive(Debug, Clone, Default)]
pub struct Reperes {
    pub fichier: String,
    /// Field path → byte range of its value (TOML) or its cell (workbook).
    valeurs: HashMap<Cow<'static, str>, Repere>,
    /// Lines of the workbook lists, in reading order: kept apart so that reading a line costs
    /// no path string per cell (`depense[2].montant` is found from its parts).
    lignes: Vec<ReperesLigne>,
    /// Source text, to compute lines and columns and show the offending line.
    pub texte: Option<Texte>,
    /// The line starts of `texte`, made at the first location asked: each location is then a
    /// binary search, so a file with many findings costs time linear in its size.
    index: std::sync::OnceLock<Lignes>,
}

/// The locations of one line of a list (`depense[2]`) and of its cells.
#[derive(Debug, Clone)]
struct ReperesLigne {
    liste: &'static str,
    index: usize,
    ligne: Repere,
    colonnes: Vec<(&'static str, Repere)>,
}

#[derive(Debug, Clone)]
pub enum Repere {
    /// A byte range of the dossier's text (TOML).
    Etendue(Range<usize>),
    /// A workbook cell (0-based row and column; shown as `Dépenses!C5`).
    Cellule { feuille: Arc<str>, ligne: u32, colonne: u32 },
    /// A position in another file (a CSV of a CSV dossier folder), 1-based.
    Position { fichier: Arc<str>, ligne: usize, colonne: usize },
}

impl Reperes {
    pub fn new(fichier: &str, texte: Option<Texte>) -> Self {
        Reperes {
            fichier: fichier.to_string(),
            valeurs: HashMap::new(),
            lignes: Vec::new(),
            texte,
            index: std::sync::OnceLock::new(),
        }
    }

    pub fn noter(&mut self, champ: impl Into<Cow<'static, str>>, repere: Repere) {
        self.valeurs.insert(champ.into(), repere);
    }

    /// Notes where line `index` of `liste` is (`depense[index]`); its cells follow with
    /// [`Reperes::noter_cellule`].
    pub fn noter_ligne(&mut self, liste: &'static str, index: usize, repere: Repere, colonnes: usize) {
        self.lignes.push(ReperesLigne { liste, index, ligne: repere, colonnes: Vec::with_capacity(colonnes) });
    }

    /// Notes where column `colonne` of the line last noted is (`depense[index].colonne`).
    pub fn noter_cellule(&mut self, colonne: &'static str, repere: Repere) {
        if let Some(l) = self.lignes.last_mut() {
            l.colonnes.push((colonne, repere));
        }
    }

    pub fn connait(&self, champ: &str) -> bool {
        self.valeurs.contains_key(champ)
    }

    /// A line's location noted with [`Reperes::noter_ligne`]: `depense[2]` or
    /// `depense[2].montant` (the line itself when the column is not known).
    fn dans_les_lignes(&self, champ: &str) -> Option<&Repere> {
        let (liste, reste) = champ.split_once('[')?;
        let (index, apres) = reste.split_once(']')?;
        let index: usize = index.parse().ok()?;
        let ligne = self.lignes.iter().rev().find(|l| l.liste == liste && l.index == index)?;
        let colonne = apres.strip_prefix('.').and_then(|c| ligne.colonnes.iter().rev().find(|(k, _)| *k == c));
        Some(colonne.map_or(&ligne.ligne, |(_, r)| r))
    }

    /// The location of `champ`; when the field itself is absent, the closest enclosing one
    /// that exists (`depense[2]`, then the section `groupe`), else the file alone.
    pub fn emplacement(&self, champ: &str) -> Emplacement {
        if let Some(r) = self.valeurs.get(champ).or_else(|| self.dans_les_lignes(champ)) {
            return self.resoudre(champ, r);
        }
        let mut cle = champ;
        loop {
            if let Some(r) = self.valeurs.get(cle) {
                return self.resoudre(champ, r);
            }
            match cle.rfind(['.', '[']) {
                Some(i) => cle = &cle[..i],
                None => break,
            }
        }
        Emplacement { fichier: self.fichier.clone(), champ: Some(champ.to_string()), ..Default::default() }
    }

    /// A location at a byte range (e.g. a parse error).
    pub fn a_l_etendue(&self, champ: Option<&str>, etendue: Range<usize>) -> Emplacement {
        let (ligne, colonne) = match &self.texte {
            Some(t) => self.index.get_or_init(|| Lignes::de(t)).ligne_colonne(t, etendue.start),
            None => (1, 1),
        };
        Emplacement {
            fichier: self.fichier.clone(),
            ligne: Some(ligne),
            colonne: Some(colonne),
            champ: champ.map(str::to_string),
            cellule: None,
            etendue: Some(etendue),
        }
    }

    fn resoudre(&self, champ: &str, r: &Repere) -> Emplacement {
        match r {
            Repere::Etendue(e) => self.a_l_etendue(Some(champ), e.clone()),
            Repere::Cellule { feuille, ligne, colonne } => Emplacement {
                fichier: self.fichier.clone(),
                champ: Some(champ.to_string()),
                cellule: Some(format!("{feuille}!{}", reference(*ligne, *colonne))),
                ..Default::default()
            },
            Repere::Position { fichier, ligne, colonne } => Emplacement {
                fichier: fichier.to_string(),
                ligne: Some(*ligne),
                colonne: Some(*colonne),
                champ: Some(champ.to_string()),
                cellule: None,
                etendue: None,
            },
        }
    }
}

/// The start of every line of a text, to give many offsets their line number.
#[derive(Debug, Clone, Default)]
pub struct Lignes(Vec<usize>);

impl Lignes {
    pub fn de(texte: &str) -> Self {
        Lignes(std::iter::once(0).chain(texte.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    /// 1-based line of a byte offset.
    pub fn ligne(&self, offset: usize) -> usize {
        self.0.partition_point(|&debut| debut <= offset)
    }

    /// 1-based line and column (in characters) of a byte offset of `texte`, the text this
    /// index was made from: the same as [`ligne_colonne`], without reading the text before.
    pub fn ligne_colonne(&self, texte: &str, offset: usize) -> (usize, usize) {
        let offset = texte.floor_char_boundary(offset.min(texte.len()));
        let ligne = self.ligne(offset).max(1);
        let debut = self.0.get(ligne - 1).copied().unwrap_or(0).min(offset);
        (ligne, texte[debut..offset].chars().count() + 1)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn ligne_colonne(texte: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(texte.len());
    let avant = &texte[..texte.floor_char_boundary(offset)];
    let ligne = avant.matches('\n').count() + 1;
    let debut_ligne = avant.rfind('\n').map_or(0, |i| i + 1);
    let colonne = avant[debut_ligne..].chars().count() + 1;
    (ligne, colonne)
}

/// (13, 1) → `B14`: a cell's name, from its 0-based row and column.
pub fn reference(ligne: u32, col: u32) -> String {
    format!("{}{}", lettres_colonne(col), ligne + 1)
}

/// `B14` → (13, 1), 0-based row and column.
pub fn lire_reference(r: &str) -> Option<(u32, u32)> {
    let r = r.trim().trim_start_matches('$');
    let fin_lettres = r.find(|c: char| !c.is_ascii_alphabetic())?;
    let (lettres, chiffres) = r.split_at(fin_lettres);
    let chiffres = chiffres.trim_start_matches('$');
    if lettres.is_empty() || lettres.len() > 3 || chiffres.is_empty() {
        return None;
    }
    let mut col: u32 = 0;
    for b in lettres.bytes() {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    let ligne: u32 = chiffres.parse().ok()?;
    (ligne >= 1 && col >= 1).then(|| (ligne - 1, col - 1))
}

/// `0` → `A`, `27` → `AB`.
pub fn lettres_colonne(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}
