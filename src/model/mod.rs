//! The validated dossier: what a reader (TOML, workbook, CSV) produces and the rule engine
//! checks. Every value here has passed its type check: amounts are [`Montant`]s, dates are
//! real dates, enumerated values are members of their list in [`schema`].

pub mod ecrire_toml;
pub mod emplacement;
pub mod montant;
pub mod noms;
pub mod schema;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::Decimal;

pub use montant::Montant;

/// A calendar date, validated (`2025-02-29` does not exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub annee: i32,
    pub mois: u8,
    pub jour: u8,
}

impl Date {
    pub fn new(annee: i32, mois: u8, jour: u8) -> Option<Date> {
        let bissextile = (annee % 4 == 0 && annee % 100 != 0) || annee % 400 == 0;
        let max = match mois {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if bissextile => 29,
            2 => 28,
            _ => return None,
        };
        (1..=max).contains(&jour).then_some(Date { annee, mois, jour })
    }

    /// The date `jours` days after 1970-01-01 (proleptic Gregorian, H. Hinnant's algorithm).
    pub fn depuis_jours_unix(jours: i64) -> Option<Date> {
        let z = jours + 719_468;
        let ere = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let jour = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let mois = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let annee = yoe + ere * 400 + i64::from(mois <= 2);
        Date::new(i32::try_from(annee).ok()?, mois, jour)
    }

    /// A date as people type it: `08/01/2025`, `08-01-2025`, `08.01.2025`, `2025-01-08` or
    /// unpadded `2025-1-8` (a time after it is ignored).
    pub fn lire_texte(s: &str) -> Option<Date> {
        let t = s.trim();
        let t = t.split(['T', ' ']).next().unwrap_or(t);
        let parties: Vec<&str> = t.split(['/', '-', '.']).collect();
        let [x, m, y] = parties.as_slice() else { return None };
        if !parties.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        // The year is the part of four digits, first (ISO) or last (French).
        let (a, j) = match (x.len(), y.len()) {
            (4, 1..=2) if !t.contains('/') && !t.contains('.') => (x, y),
            (1..=2, 4) => (y, x),
            _ => return None,
        };
        if m.len() > 2 {
            return None;
        }
        Date::new(a.parse().ok()?, m.parse().ok()?, j.parse().ok()?)
    }

    /// French display: `08/01/2025`.
    pub fn fr(self) -> String {
        format!("{:02}/{:02}/{:04}", self.jour, self.mois, self.annee)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.annee, self.mois, self.jour)
    }
}

/// A value from a closed list of the schema (e.g. a nature of expense).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(&'static str);

impl Code {
    /// The member of `liste` equal to `texte`, if any.
    pub fn parmi(texte: &str, liste: &'static [&'static str]) -> Option<Code> {
        liste.iter().find(|v| **v == texte).map(|v| Code(v))
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A scalar field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Valeur {
    Booleen(bool),
    Entier(i64),
    Decimal(Decimal),
    Texte(String),
    Date(Date),
    Liste(Vec<String>),
    Ages(i64, i64),
}

impl Valeur {
    /// The value as a number, for comparisons.
    pub fn nombre(&self) -> Option<Decimal> {
        match self {
            Valeur::Entier(n) => Some(Decimal::from(*n)),
            Valeur::Decimal(d) => Some(*d),
            _ => None,
        }
    }

    /// A short French rendering for messages.
    pub fn fr(&self) -> String {
        match self {
            Valeur::Booleen(true) => "oui".into(),
            Valeur::Booleen(false) => "non".into(),
            Valeur::Entier(n) => n.to_string(),
            Valeur::Decimal(d) => montant::format_nombre_fr(*d),
            Valeur::Texte(t) => t.clone(),
            Valeur::Date(d) => d.fr(),
            Valeur::Liste(l) if l.is_empty() => "(liste vide)".into(),
            Valeur::Liste(l) => l.join(", "),
            Valeur::Ages(a, b) => format!("{a} à {b} ans"),
        }
    }
}

/// An expense line (`[[depense]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Depense {
    /// Position among the dossier's expense lines, from 0, as written (`depense[2]`).
    pub index: usize,
    pub nature: Code,
    pub libelle: String,
    pub montant: Montant,
    pub compte: Option<String>,
    pub dispositif: Option<Code>,
    pub hausse_temps_travail: bool,
    pub justificatif: Option<Code>,
    /// What was really spent, received or contributed (the bilan); `None`: not reported.
    pub realise: Option<Montant>,
    /// Why the actual amount departs from the planned one (the bilan).
    pub explication: Option<String>,
}

/// An income line (`[[recette]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Recette {
    pub index: usize,
    pub financeur: Code,
    pub libelle: Option<String>,
    pub montant: Montant,
    /// `demande` unless written.
    pub statut: Code,
    pub dispositif: Option<Code>,
    /// What was really spent, received or contributed (the bilan); `None`: not reported.
    pub realise: Option<Montant>,
    /// Why the actual amount departs from the planned one (the bilan).
    pub explication: Option<String>,
}

/// A contribution in kind (`[[contribution]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub index: usize,
    pub nature: Code,
    pub libelle: Option<String>,
    pub montant: Montant,
    /// What was really spent, received or contributed (the bilan); `None`: not reported.
    pub realise: Option<Montant>,
    /// Why the actual amount departs from the planned one (the bilan).
    pub explication: Option<String>,
}

/// A dossier as read. Scalar fields are keyed by their dotted key of the schema; a field
/// that is absent, or whose value was rejected by the reader, has no entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dossier {
    pub champs: BTreeMap<&'static str, Valeur>,
    pub depenses: Vec<Depense>,
    pub recettes: Vec<Recette>,
    pub contributions: Vec<Contribution>,
    /// Fields present in the input but rejected (a `SAISIE-*` finding was made): rules that
    /// depend on them do not run, so that one typo gives one finding.
    pub champs_rejetes: BTreeSet<String>,
    /// Some budget line could not be read: budget figures would be wrong, so the budget
    /// rules do not run.
    pub lignes_rejetees: bool,
    /// The text of each rejected value, as written, by field path: kept so that a copy of
    /// the dossier (an annotated workbook) loses nothing.
    pub bruts: BTreeMap<String, String>,
    /// The budget lines that could not be read, as written.
    pub lignes_brutes: Vec<LigneBrute>,
}

/// A budget line that could not be read, cell by cell as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LigneBrute {
    /// `depense`, `recette`, `contribution`.
    pub nom: &'static str,
    pub index: usize,
    /// (column key, text).
    pub cellules: Vec<(String, String)>,
}

impl Dossier {
    /// Whether the dossier holds a bilan (format.md, rules v4): an actual amount on a budget
    /// line, an indicator reached, or a year-end field (`[bilan]`), read or rejected by the
    /// reader; the empty rows every template carries do not count.
    pub fn tient_un_bilan(&self) -> bool {
        let du_bilan = |cle: &str| {
            cle.starts_with("indicateurs_realises.") || cle.starts_with("bilan.") || cle.ends_with(".realise")
        };
        self.depenses.iter().any(|l| l.realise.is_some())
            || self.recettes.iter().any(|l| l.realise.is_some())
            || self.contributions.iter().any(|l| l.realise.is_some())
            || self.champs.keys().any(|k| du_bilan(k))
            || self.champs_rejetes.iter().any(|k| du_bilan(k))
            || self.lignes_brutes.iter().any(|l| l.cellules.iter().any(|(k, t)| k == "realise" && !t.trim().is_empty()))
    }

    pub fn valeur(&self, cle: &str) -> Option<&Valeur> {
        self.champs.get(cle)
    }

    pub fn entier(&self, cle: &str) -> Option<i64> {
        match self.champs.get(cle) {
            Some(Valeur::Entier(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn texte(&self, cle: &str) -> Option<&str> {
        match self.champs.get(cle) {
            Some(Valeur::Texte(t)) => Some(t),
            _ => None,
        }
    }

    /// An absent boolean is `false` (rules.md).
    pub fn vrai(&self, cle: &str) -> bool {
        matches!(self.champs.get(cle), Some(Valeur::Booleen(true)))
    }

    pub fn date(&self, cle: &str) -> Option<Date> {
        match self.champs.get(cle) {
            Some(Valeur::Date(d)) => Some(*d),
            _ => None,
        }
    }

    pub fn liste(&self, cle: &str) -> Option<&[String]> {
        match self.champs.get(cle) {
            Some(Valeur::Liste(l)) => Some(l),
            _ => None,
        }
    }

    pub fn exercice(&self) -> Option<i64> {
        self.entier("exercice")
    }

    pub fn axe(&self) -> Option<i64> {
        self.entier("action.axe")
    }

    pub fn volet(&self) -> Option<i64> {
        self.entier("action.volet")
    }

    /// `"1.1"` when both axe and volet are known.
    pub fn axe_volet(&self) -> Option<String> {
        Some(format!("{}.{}", self.axe()?, self.volet()?))
    }

    pub fn type_action(&self) -> Option<&str> {
        self.texte("action.type")
    }

    pub fn departement_caf(&self) -> Option<&str> {
        self.texte("caf.departement")
    }

    /// The value of a field for rules, including derived sub-fields:
    /// `action.age_enfants.min` and `action.age_enfants.max`.
    pub fn valeur_regle(&self, cle: &str) -> Option<Valeur> {
        if let Some(base) = cle.strip_suffix(".min")
            && let Some(Valeur::Ages(a, _)) = self.champs.get(base)
        {
            return Some(Valeur::Entier(*a));
        }
        if let Some(base) = cle.strip_suffix(".max")
            && let Some(Valeur::Ages(_, b)) = self.champs.get(base)
        {
            return Some(Valeur::Entier(*b));
        }
        self.champs.get(cle).cloned()
    }

    /// Whether the reader rejected this field (or the field a derived key comes from).
    pub fn rejete(&self, cle: &str) -> bool {
        self.champs_rejetes.contains(cle)
            || cle
                .strip_suffix(".min")
                .or_else(|| cle.strip_suffix(".max"))
                .is_some_and(|b| self.champs_rejetes.contains(b))
    }

    /// Sum of the `participation-familles` income lines.
    pub fn participation_familles(&self) -> Montant {
        self.recettes.iter().filter(|r| r.financeur.as_str() == "participation-familles").map(|r| r.montant).sum()
    }

    /// Whether the action is free for families (format.md: `gratuit`, or when absent, no
    /// `participation-familles` income above 0).
    pub fn gratuite(&self) -> bool {
        match self.champs.get("action.gratuit") {
            Some(Valeur::Booleen(b)) => *b,
            _ => self.participation_familles() == Montant::ZERO,
        }
    }

    /// The budget lines of `nom` (`depense`, `recette`, `contribution`) as (index, given
    /// columns with their values), in the dossier's order: what the writers need.
    pub fn lignes_en_valeurs(&self, nom: &str) -> Vec<(usize, Vec<(&'static str, Valeur)>)> {
        let texte = |t: &str| Some(Valeur::Texte(t.to_string()));
        let garder =
            |v: Vec<(&'static str, Option<Valeur>)>| v.into_iter().filter_map(|(k, x)| x.map(|x| (k, x))).collect();
        match nom {
            "depense" => self
                .depenses
                .iter()
                .map(|l| {
                    (
                        l.index,
                        garder(vec![
                            ("nature", texte(l.nature.as_str())),
                            ("libelle", texte(&l.libelle)),
                            ("montant", Some(Valeur::Decimal(l.montant.valeur()))),
                            ("realise", l.realise.map(|m| Valeur::Decimal(m.valeur()))),
                            ("explication", l.explication.as_deref().and_then(texte)),
                            ("compte", l.compte.as_deref().and_then(texte)),
                            ("dispositif", l.dispositif.and_then(|x| texte(x.as_str()))),
                            ("hausse_temps_travail", l.hausse_temps_travail.then_some(Valeur::Booleen(true))),
                            ("justificatif", l.justificatif.and_then(|x| texte(x.as_str()))),
                        ]),
                    )
                })
                .collect(),
            "recette" => self
                .recettes
                .iter()
                .map(|r| {
                    (
                        r.index,
                        garder(vec![
                            ("financeur", texte(r.financeur.as_str())),
                            ("libelle", r.libelle.as_deref().and_then(texte)),
                            ("montant", Some(Valeur::Decimal(r.montant.valeur()))),
                            ("realise", r.realise.map(|m| Valeur::Decimal(m.valeur()))),
                            ("explication", r.explication.as_deref().and_then(texte)),
                            ("statut", texte(r.statut.as_str())),
                            ("dispositif", r.dispositif.and_then(|x| texte(x.as_str()))),
                        ]),
                    )
                })
                .collect(),
            _ => self
                .contributions
                .iter()
                .map(|c| {
                    (
                        c.index,
                        garder(vec![
                            ("nature", texte(c.nature.as_str())),
                            ("libelle", c.libelle.as_deref().and_then(texte)),
                            ("montant", Some(Valeur::Decimal(c.montant.valeur()))),
                            ("realise", c.realise.map(|m| Valeur::Decimal(m.valeur()))),
                            ("explication", c.explication.as_deref().and_then(texte)),
                        ]),
                    )
                })
                .collect(),
        }
    }

    pub fn porteur(&self) -> Option<&str> {
        self.texte("porteur.nom")
    }
}

/// A lower-case letter without its French accent (`é` → `e`): the one folding that loose
/// comparisons of names, rule markers and enumerated values share.
/// A value as its code (`Café des Parents` → `cafe-des-parents`): lower case, no accents,
/// every run of spaces or punctuation one `-`. How people's words are matched to the codes
/// of the packs (action types).
pub fn code_de(texte: &str) -> String {
    let mut code = String::with_capacity(texte.len());
    for c in texte.trim().chars().flat_map(char::to_lowercase).map(sans_accent) {
        if c.is_alphanumeric() {
            code.push(c);
        } else if !code.is_empty() && !code.ends_with('-') {
            code.push('-');
        }
    }
    code.trim_end_matches('-').to_string()
}

pub fn sans_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' => 'i',
        'ô' | 'ö' | 'ó' | 'œ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2025, 2, 29).is_none());
        assert!(Date::new(2025, 13, 1).is_none());
        assert!(Date::new(2025, 4, 31).is_none());
        assert_eq!(Date::new(2025, 1, 8).map(|d| d.fr()), Some("08/01/2025".into()));
    }
}
