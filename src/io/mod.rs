//! Readers (and later writers) of dossiers, with the location of every value.

pub mod annotation;
pub mod assemblage;
pub mod budget;
pub mod cfb;
pub mod classeur;
pub mod decouverte;
pub mod ecrire_classeur;
pub mod ecrire_toml;
pub mod ecriture;
pub mod erreurs_toml;
pub mod marque;
pub mod ods;
pub mod tableur;
pub mod toml;
pub mod verrou;
pub mod zip;

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::model::Dossier;

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

/// The label a workbook gives a field (`depense[2].montant` → « Montant (€) »), if any.
pub fn libelle_du_champ(champ: &str) -> Option<&'static str> {
    let sans_index = match champ.split_once('[') {
        Some((liste, reste)) => format!("{liste}{}", reste.split_once(']').map_or("", |(_, r)| r)),
        None => champ.to_string(),
    };
    crate::model::schema::libelle_de(&sans_index)
}

impl Emplacement {
    /// Where it is, for people: `dossier.xlsx:Dépenses!C5`, `projet.toml:27:3`, or the file.
    pub fn lieu(&self) -> String {
        match (&self.cellule, self.ligne, self.colonne) {
            (Some(cellule), _, _) => format!("{}:{cellule}", self.fichier),
            (None, Some(l), Some(col)) => format!("{}:{l}:{col}", self.fichier),
            _ => self.fichier.clone(),
        }
    }

    /// The place told as a person reads it, without the file: « Recettes, 1re ligne,
    /// montant (cellule Recettes!C2) », « Lieu, demi_journees_ouverture (ligne 27) ».
    pub fn lieu_lisible(&self) -> String {
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

/// A field path told in words: `recette[0].montant` → « Recettes, 1re ligne, montant »,
/// `lieu.etp_referent` → « Lieu, etp_referent », `exercice` → « exercice ».
pub fn champ_lisible(champ: &str) -> String {
    let section = |s: &str| -> Option<&'static str> {
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
    };
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
                cellule: Some(format!("{feuille}!{}{}", classeur::lettres_colonne(*colonne), ligne + 1)),
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

/// An input problem found by a reader: becomes a finding with the rule id `regle`
/// (`SAISIE-*`), located at `champ`.
#[derive(Debug, Clone, PartialEq)]
pub struct Saisie {
    pub regle: &'static str,
    pub message: String,
    pub champ: String,
    /// An explicit location when the field's own one is not the right place.
    pub etendue: Option<Range<usize>>,
}

/// Most findings a reader gives for one rule in one file: a dossier with 300 000 unknown
/// keys or bad cells gets the first ones told at their place and the number of the others,
/// not 300 000 findings to hold, print and write in every report (the verdict is the same).
pub const SAISIES_PAR_REGLE: usize = 200;

/// Counts a reader's findings per rule, to keep at most [`SAISIES_PAR_REGLE`] of each.
#[derive(Debug, Default)]
pub(crate) struct Plafond(Vec<(&'static str, usize)>);

impl Plafond {
    /// Counts one more finding of `regle`: whether it is kept.
    pub(crate) fn garder(&mut self, regle: &'static str) -> bool {
        let n = match self.0.iter_mut().find(|(r, _)| *r == regle) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.0.push((regle, 1));
                1
            }
        };
        n <= SAISIES_PAR_REGLE
    }

    /// Whether `regle` has given all the findings it may: the caller counts the next one
    /// ([`Plafond::garder`]) without building its message.
    pub(crate) fn plein(&self, regle: &'static str) -> bool {
        self.0.iter().any(|(r, n)| *r == regle && *n >= SAISIES_PAR_REGLE)
    }

    /// Says, on the last finding kept of each rule past the bound, how many were left out.
    pub(crate) fn conclure(&self, saisies: &mut [Saisie]) {
        for (regle, n) in &self.0 {
            if *n > SAISIES_PAR_REGLE
                && let Some(derniere) = saisies.iter_mut().rev().find(|s| s.regle == *regle)
            {
                let autres = n - SAISIES_PAR_REGLE;
                derniere.message.push_str(&format!(
                    " (et {autres} autre{} constat{} de la même règle dans ce dossier, non détaillé{} : corrigez d'abord ceux-ci)",
                    if autres > 1 { "s" } else { "" },
                    if autres > 1 { "s" } else { "" },
                    if autres > 1 { "s" } else { "" }
                ));
            }
        }
    }
}

/// What a reader gives back for one file.
#[derive(Debug, Clone)]
pub struct Lu {
    pub dossier: Dossier,
    pub saisies: Vec<Saisie>,
    pub reperes: Reperes,
    /// The very bytes a workbook was read from: its annotated copy is made from them, never
    /// from a second read of the disk (a file replaced in between would get comments about
    /// values it no longer holds).
    pub octets: Option<Arc<[u8]>>,
}

/// One reason a file cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probleme {
    pub message: String,
    pub emplacement: Emplacement,
}

/// A file that cannot be read as a dossier at all (verdict `illisible`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Illisible {
    /// The first reason, in file order.
    pub message: String,
    pub emplacement: Emplacement,
    /// The other reasons, in file order after the first: every TOML syntax error of the file.
    pub autres: Vec<Probleme>,
    /// The file's text when it is text (to show the offending line).
    pub texte: Option<Texte>,
}

impl Illisible {
    /// A file that cannot be read, with no position in it.
    pub fn sans_position(fichier: &str, message: impl Into<String>) -> Illisible {
        Illisible {
            message: message.into(),
            emplacement: Emplacement { fichier: fichier.to_string(), ..Default::default() },
            autres: Vec::new(),
            texte: None,
        }
    }

    /// Every reason, in file order.
    pub fn problemes(&self) -> impl Iterator<Item = (&str, &Emplacement)> {
        std::iter::once((self.message.as_str(), &self.emplacement))
            .chain(self.autres.iter().map(|p| (p.message.as_str(), &p.emplacement)))
    }

    /// Every reason with its place (`projet.toml:70:9 : …`), one a line.
    pub fn detail(&self) -> String {
        self.problemes().map(|(m, e)| format!("{} : {m}", e.lieu())).collect::<Vec<_>>().join("\n")
    }
}

/// Reads any supported dossier: a `.toml` file, a workbook, or a CSV dossier folder.
pub fn lire(chemin: &std::path::Path, affiche: &str) -> Result<Lu, Illisible> {
    lire_avec(chemin, affiche, &classeur::Limites::default())
}

std::thread_local! {
    /// Set while a reader runs under [`proteger`]: its panics are expected and silent.
    static LECTURE_PROTEGEE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs a panic hook that stays quiet for panics caught while reading a file (a reader
/// library failing on a broken file), and reports every other panic as usual.
pub fn installer_crochet_panique() {
    let defaut = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !LECTURE_PROTEGEE.with(std::cell::Cell::get) {
            defaut(info);
        }
    }));
}

/// Runs a reader so that a panic inside it (a dependency included) becomes an unreadable
/// file with a French message, never a crash of `fnp`.
pub fn proteger(affiche: &str, lecture: impl FnOnce() -> Result<Lu, Illisible>) -> Result<Lu, Illisible> {
    LECTURE_PROTEGEE.with(|c| c.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(lecture));
    LECTURE_PROTEGEE.with(|c| c.set(false));
    r.unwrap_or_else(|_| {
        Err(Illisible::sans_position(
            affiche,
            "fichier abîmé : sa lecture a échoué (erreur interne du lecteur) ; enregistrez-le à nouveau depuis le tableur",
        ))
    })
}

/// [`lire`] with explicit bounds.
pub fn lire_avec(chemin: &std::path::Path, affiche: &str, limites: &classeur::Limites) -> Result<Lu, Illisible> {
    proteger(affiche, || lire_sans_protection(chemin, affiche, limites))
}

/// The path that means standard input (`fnp check -`): a TOML dossier.
pub const ENTREE_STANDARD: &str = "-";

/// How a path given on the command line is shown: standard input by name, any other path
/// by [`texte_chemin`].
pub fn nom_affiche(chemin: &std::path::Path) -> String {
    if est_entree_standard(chemin) { "(entrée standard)".into() } else { texte_chemin(chemin) }
}

/// A path as text, never lossy: two different paths never give the same text (docs/cli.md,
/// « Noms de fichiers »). On Unix a byte that is not UTF-8 is written `\xE9` and a
/// backslash `\\`, so that a valid name holding the four characters `\xE9` stays apart;
/// on Windows an unpaired surrogate is written `<U+D800>` (`<` is forbidden in a Windows
/// name). A valid name without a backslash is shown as it is.
pub fn texte_chemin(chemin: &std::path::Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let octets = chemin.as_os_str().as_bytes();
        let mut s = String::with_capacity(octets.len());
        for morceau in octets.utf8_chunks() {
            s.push_str(&morceau.valid().replace('\\', "\\\\"));
            for o in morceau.invalid() {
                s.push_str(&format!("\\x{o:02X}"));
            }
        }
        s
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStrExt;
        char::decode_utf16(chemin.as_os_str().encode_wide())
            .map(|c| match c {
                Ok(c) => c.to_string(),
                Err(e) => format!("<U+{:04X}>", e.unpaired_surrogate()),
            })
            .collect()
    }
    #[cfg(not(any(unix, windows)))]
    {
        chemin.display().to_string()
    }
}

/// The bytes of a path from its text by [`texte_chemin`], which it undoes on Unix (`\xE9`
/// is the byte 0xE9, `\\` a backslash): for a URI that names the file itself (SARIF).
/// Elsewhere the text's own bytes.
pub fn octets_chemin(texte: &str) -> Vec<u8> {
    #[cfg(unix)]
    {
        let o = texte.as_bytes();
        let mut v = Vec::with_capacity(o.len());
        let mut i = 0;
        while i < o.len() {
            let hexa = |k: usize| o.get(k).and_then(|c| char::from(*c).to_digit(16));
            match (o[i], o.get(i + 1)) {
                (b'\\', Some(b'\\')) => {
                    v.push(b'\\');
                    i += 2;
                }
                (b'\\', Some(b'x')) if hexa(i + 2).is_some() && hexa(i + 3).is_some() => {
                    v.push((hexa(i + 2).unwrap_or(0) * 16 + hexa(i + 3).unwrap_or(0)) as u8);
                    i += 4;
                }
                (c, _) => {
                    v.push(c);
                    i += 1;
                }
            }
        }
        v
    }
    #[cfg(not(unix))]
    {
        texte.as_bytes().to_vec()
    }
}

/// A workbook recognised by its first bytes (a zip: xlsx, xlsm, ods; an OLE file: xls), for
/// the bytes that came on standard input, where only TOML is read.
fn classeur_sur_entree(octets: &[u8]) -> Option<&'static str> {
    if octets.starts_with(b"PK\x03\x04") {
        Some("xlsx, xlsm ou ods")
    } else if octets.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("xls d'Excel 97-2003")
    } else {
        None
    }
}

/// Whether a path given on the command line is standard input.
pub fn est_entree_standard(chemin: &std::path::Path) -> bool {
    chemin.as_os_str() == ENTREE_STANDARD
}

/// Memory budget of one TOML dossier: parsing holds the text, its tree and every location,
/// about fifteen times the file; past this, whatever `--max-size` allows, the file is one
/// unreadable dossier instead of a batch ended by the system running out of memory. A
/// dossier is a few kilobytes.
pub const TOML_MAX: u64 = 64 * 1024 * 1024;

/// The text of a TOML dossier, from bytes already bounded by `--max-size`.
fn texte_toml(octets: Vec<u8>, affiche: &str, limites: &classeur::Limites) -> Result<Lu, Illisible> {
    if octets.len() as u64 > TOML_MAX {
        return Err(Illisible::sans_position(
            affiche,
            format!(
                "dossier TOML de {} octets : au-delà de {TOML_MAX} octets, sa lecture demanderait trop de mémoire (un dossier en compte quelques milliers)",
                octets.len()
            ),
        ));
    }
    let texte = String::from_utf8(octets).map_err(|e| {
        Illisible::sans_position(
            affiche,
            format!(
                "le fichier n'est pas encodé en UTF-8 (octet invalide à la position {}) ; enregistrez-le en UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    toml::lire_toml_borne(&texte, affiche, limites)
}

fn lire_sans_protection(chemin: &std::path::Path, affiche: &str, limites: &classeur::Limites) -> Result<Lu, Illisible> {
    if est_entree_standard(chemin) {
        use std::io::Read;
        let mut octets = Vec::new();
        std::io::stdin().lock().take(limites.taille_max.saturating_add(1)).read_to_end(&mut octets).map_err(|e| {
            Illisible::sans_position(affiche, format!("entrée standard illisible : {}", message_io(&e)))
        })?;
        if octets.len() as u64 > limites.taille_max {
            return Err(Illisible::sans_position(
                affiche,
                format!("entrée standard trop grosse (plus de {} octets : --max-size)", limites.taille_max),
            ));
        }
        if let Some(genre) = classeur_sur_entree(&octets) {
            return Err(Illisible::sans_position(
                affiche,
                format!(
                    "l'entrée standard contient un classeur ({genre}), pas un dossier TOML : fnp ne lit que du TOML sur l'entrée standard ; donnez le classeur par son chemin (fnp check dossier.xlsx)"
                ),
            ));
        }
        return texte_toml(octets, affiche, limites);
    }
    if chemin.is_dir() {
        return classeur::lire_dossier_csv(chemin, affiche, limites);
    }
    let ext = chemin.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let sans_ligne = |message: String| Illisible::sans_position(affiche, message);
    match ext.as_deref() {
        Some(e @ ("toml" | "xlsx" | "xlsm" | "xls" | "ods")) => {
            let octets = lire_fichier_borne(chemin, limites.taille_max).map_err(sans_ligne)?;
            lire_octets_sans_protection(affiche, e, octets, limites)
        }
        Some("csv") => Err(sans_ligne(
            "un dossier CSV est un répertoire qui contient Dossier.csv, Depenses.csv, Recettes.csv et Contributions.csv : donnez le répertoire".into(),
        )),
        _ => Err(sans_ligne("extension de fichier non reconnue : fnp lit les dossiers .toml, .xlsx, .xlsm, .xls, .ods et les répertoires CSV".into())),
    }
}

/// Reads a dossier from its bytes, read once: `ext` (`toml`, `xlsx`, `xlsm`, `xls`, `ods`)
/// says its kind, `affiche` is the name it is shown by. The one entry of every reader for a
/// file, whoever has its bytes (the command line, a page holding a dropped file); a reader
/// failing on it (a panic included) makes it unreadable, never a crash.
pub fn lire_octets(affiche: &str, ext: &str, octets: Vec<u8>, limites: &classeur::Limites) -> Result<Lu, Illisible> {
    proteger(affiche, || lire_octets_sans_protection(affiche, ext, octets, limites))
}

fn lire_octets_sans_protection(
    affiche: &str,
    ext: &str,
    octets: Vec<u8>,
    limites: &classeur::Limites,
) -> Result<Lu, Illisible> {
    if octets.len() as u64 > limites.taille_max {
        return Err(Illisible::sans_position(
            affiche,
            format!("fichier trop gros ({} octets, limite {} octets : --max-size)", octets.len(), limites.taille_max),
        ));
    }
    match ext.to_ascii_lowercase().as_str() {
        "toml" => texte_toml(octets, affiche, limites),
        e @ ("xlsx" | "xlsm" | "xls" | "ods") => classeur::lire_classeur_octets(Arc::from(octets), e, affiche, limites),
        _ => Err(Illisible::sans_position(
            affiche,
            "extension de fichier non reconnue : fnp lit les dossiers .toml, .xlsx, .xlsm, .xls, .ods et les répertoires CSV",
        )),
    }
}

/// Reads a file that must be a regular one (a link to one is followed), never more than
/// `max` bytes whatever size the file system reports: a FIFO, a device or a socket is
/// refused before it is opened (opening a FIFO would block), a `/dev/zero` behind a link is
/// refused, and a file that grows past `max` while read is refused too. The error is French.
pub fn lire_fichier_borne(chemin: &std::path::Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(chemin).map_err(|e| message_io(&e))?;
    if let Some(sorte) = sorte_speciale(&meta) {
        return Err(format!("{sorte} : fnp ne lit que des fichiers ordinaires"));
    }
    if meta.len() > max {
        return Err(format!("fichier trop gros ({} octets, limite {max} octets : --max-size)", meta.len()));
    }
    let fichier = std::fs::File::open(chemin).map_err(|e| message_io(&e))?;
    let mut octets = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).min(1 << 24));
    fichier.take(max.saturating_add(1)).read_to_end(&mut octets).map_err(|e| message_io(&e))?;
    if octets.len() as u64 > max {
        return Err(format!("fichier trop gros (plus de {max} octets : --max-size)"));
    }
    Ok(octets)
}

/// What a path is when it is no regular file: said in French (`None` for a regular file).
pub fn sorte_speciale(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("c'est un dossier");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("c'est un tube nommé (FIFO)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("c'est un périphérique (/dev/…)");
        }
        if t.is_socket() {
            return Some("c'est une socket");
        }
    }
    Some("ce n'est pas un fichier ordinaire")
}

/// A French message for an I/O error.
pub fn message_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "fichier introuvable".into(),
        PermissionDenied => "lecture refusée (droits insuffisants)".into(),
        IsADirectory => "c'est un dossier, pas un fichier".into(),
        _ => format!("lecture impossible : {}", description_io(e)),
    }
}

/// What went wrong, in French, without saying whether it was a read or a write (the caller
/// says which): the cause by its kind (which the standard library maps from each system's
/// numbers, and which a library wrapping the error keeps), else by the system's number, never
/// in a library's English (tempfile wraps every error of a temporary file as `No space left
/// on device (os error 28) at path …`).
pub fn description_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let code = code_systeme(e);
    let selon_le_genre = match e.kind() {
        NotFound => Some("fichier ou dossier introuvable"),
        PermissionDenied => Some("droits insuffisants"),
        AlreadyExists => Some("le fichier existe déjà"),
        NotADirectory => Some("un élément du chemin n'est pas un dossier"),
        IsADirectory => Some("c'est un dossier, pas un fichier"),
        StorageFull => Some("plus de place sur le disque"),
        QuotaExceeded => Some("quota de disque dépassé"),
        ReadOnlyFilesystem => Some("système de fichiers en lecture seule"),
        FileTooLarge => Some("fichier trop gros pour le système de fichiers"),
        InvalidFilename => Some("nom de fichier ou chemin trop long pour le système"),
        OutOfMemory => Some("mémoire insuffisante"),
        UnexpectedEof => Some("fin de fichier inattendue"),
        WriteZero => Some("écriture interrompue (rien n'a pu être écrit)"),
        ResourceBusy => Some("fichier ou périphérique occupé"),
        StaleNetworkFileHandle => Some("fichier réseau devenu inaccessible"),
        TimedOut => Some("délai dépassé"),
        Interrupted => Some("opération interrompue"),
        _ => None,
    };
    if let Some(texte) = selon_le_genre {
        return texte.into();
    }
    match code {
        Some(5) => "erreur d'entrée-sortie du disque".into(),
        Some(24) => "trop de fichiers ouverts".into(),
        #[cfg(target_os = "linux")]
        Some(40) => "trop de liens symboliques (une boucle ?)".into(),
        #[cfg(target_os = "macos")]
        Some(62) => "trop de liens symboliques (une boucle ?)".into(),
        Some(n) => format!("erreur du système n° {n}"),
        None => "erreur inattendue du système".into(),
    }
}

/// The system's number of an I/O error, also when a library wrapped it in an error of its
/// own: an `io::Error` inside, or tempfile's private `PathError`, whose text holds the
/// standard library's `(os error N)`.
pub fn code_systeme(e: &std::io::Error) -> Option<i32> {
    if let Some(n) = e.raw_os_error() {
        return Some(n);
    }
    let dedans = e.get_ref()?;
    if let Some(io) = dedans.downcast_ref::<std::io::Error>() {
        return code_systeme(io);
    }
    let texte = dedans.to_string();
    let debut = texte.find("(os error ")? + "(os error ".len();
    texte[debut..].split(')').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every cause the system gives a write, as tempfile hands it over (wrapped with the
    /// path), said in French: never the library's English.
    #[cfg(unix)]
    #[test]
    fn write_errors_wrapped_by_tempfile_are_said_in_french() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("tempdir");
        // A real one: a temporary file whose handle writes to /dev/full.
        if let Ok(plein) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
            let chemin = dir.path().join("t");
            std::fs::write(&chemin, b"").expect("write");
            let mut t = tempfile::NamedTempFile::from_parts(
                plein,
                tempfile::TempPath::try_from_path(chemin).expect("absolute path"),
            );
            let e = t.write_all(b"x").and_then(|()| t.flush()).expect_err("full");
            assert_eq!(description_io(&e), "plus de place sur le disque", "{e}");
        }
        let e = tempfile::Builder::new().tempfile_in(dir.path().join("absent")).expect_err("no folder");
        assert_eq!(description_io(&e), "fichier ou dossier introuvable", "{e}");
        // Each cause, wrapped as tempfile wraps it (a private error holding the text).
        for (code, attendu) in [
            (28, "plus de place sur le disque"),
            (30, "système de fichiers en lecture seule"),
            (27, "fichier trop gros pour le système de fichiers"),
            (13, "droits insuffisants"),
            (1, "droits insuffisants"),
            (36, "nom de fichier ou chemin trop long pour le système"),
            (5, "erreur d'entrée-sortie du disque"),
            (71, "erreur du système n° 71"),
        ] {
            let brute = std::io::Error::from_raw_os_error(code);
            let enveloppe = std::io::Error::new(brute.kind(), format!("{brute} at path \"/tmp/x\""));
            assert_eq!(code_systeme(&enveloppe), Some(code));
            let dedans = std::io::Error::new(brute.kind(), std::io::Error::from_raw_os_error(code));
            for e in [&brute, &enveloppe, &dedans] {
                let d = description_io(e);
                assert_eq!(d, attendu, "{e}");
            }
        }
        assert_eq!(description_io(&std::io::Error::other("boom")), "erreur inattendue du système");
    }

    #[cfg(unix)]
    #[test]
    fn paths_are_shown_without_loss_and_never_alike() {
        use std::os::unix::ffi::OsStrExt;
        let p = |o: &[u8]| texte_chemin(std::path::Path::new(std::ffi::OsStr::from_bytes(o)));
        assert_eq!(p(b"dossiers/caf\xc3\xa9.toml"), "dossiers/café.toml");
        assert_eq!(p(b"caf\xe9.toml"), "caf\\xE9.toml");
        assert_eq!(p(b"caf\xe8.toml"), "caf\\xE8.toml");
        // A valid name that holds the escape itself stays apart.
        assert_eq!(p(b"caf\\xE9.toml"), "caf\\\\xE9.toml");
        assert_eq!(p(b"\xff\xfe"), "\\xFF\\xFE");
        assert_eq!(nom_affiche(std::path::Path::new("-")), "(entrée standard)");
        // The text gives the bytes back: every pair of bytes, and names mixing both escapes.
        let mut noms: Vec<Vec<u8>> = (0..=255u8).flat_map(|a| (0..=255u8).map(move |b| vec![a, b'\\', b])).collect();
        noms.extend([b"caf\\xE9".to_vec(), b"\\x".to_vec(), b"\\xZZ\\".to_vec(), ["é\\".as_bytes(), b"\xe9"].concat()]);
        for n in noms {
            assert_eq!(octets_chemin(&p(&n)), n, "{}", p(&n));
        }
    }

    #[test]
    fn lines_and_columns() {
        let t = "ab\ncdé f\n";
        assert_eq!(ligne_colonne(t, 0), (1, 1));
        assert_eq!(ligne_colonne(t, 3), (2, 1));
        // 'é' is two bytes: 'f' is the 5th character.
        assert_eq!(ligne_colonne(t, 8), (2, 5));
        let lignes = Lignes::de(t);
        for offset in 0..=t.len() + 2 {
            assert_eq!(lignes.ligne_colonne(t, offset), ligne_colonne(t, offset), "{offset}");
        }
        for offset in 0..t.len() {
            assert_eq!(lignes.ligne(offset), ligne_colonne(t, offset).0, "{offset}");
        }
    }
}
