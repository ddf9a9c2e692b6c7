//! Exact money amounts.
//!
//! Amounts are read from TOML integers, TOML floats (from their literal text, never through
//! `f64`) or French-formatted strings, and kept as [`rust_decimal::Decimal`] values that are
//! non-negative, below one billion and have at most two decimal places.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// A validated amount in euros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Montant(Decimal);

/// Why a text is not an amount (French message for the user).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MontantInvalide {
    #[error("« {0} » n'est pas un montant (exemples acceptés : 1200, 1200.50, \"1 200,50 €\")")]
    Illisible(String),
    #[error("le montant {0} est négatif ; un montant doit être positif ou nul")]
    Negatif(String),
    #[error("le montant {0} a plus de 2 décimales ; arrondissez au centime")]
    TropDeDecimales(String),
    #[error("le montant {0} dépasse la limite de 999 999 999,99 €")]
    TropGrand(String),
    /// A French way of writing that fnp reads only once rewritten: the rewrite to use.
    #[error("« {texte} » n'est pas un montant tel quel : {raison} ; écrivez \"{proposition}\"")]
    AReecrire { texte: String, proposition: String, raison: &'static str },
    /// A separator followed by exactly three digits: thousands or decimals? (rules v2)
    #[error(
        "« {texte} » est ambigu : {milliers} € (séparateur des milliers) ou {decimales} € (séparateur décimal) ? écrivez \"{milliers}\" ou \"{decimales}\""
    )]
    Ambigu { texte: String, milliers: String, decimales: String },
}

/// The rewrite of an amount written in a French (or English) way fnp does not read as it is:
/// `800 euros` → `800 €`, `1.200,00` → `1 200,00`, `1,200.50` → `1 200,50`.
fn reecriture(texte: &str) -> Option<MontantInvalide> {
    let t = texte.trim();
    let bas = t.to_lowercase();
    let sans_mot = ["euros", "euro", "eur.", "e"]
        .iter()
        .find_map(|m| bas.strip_suffix(m).map(|r| t[..r.len()].trim_end().to_string()))
        .filter(|r| !r.is_empty() && r.chars().last().is_some_and(|c| c.is_ascii_digit()));
    if let Some(reste) = sans_mot
        && parse_decimal_fr(&reste).is_some()
    {
        return Some(MontantInvalide::AReecrire {
            texte: t.to_string(),
            proposition: format!("{reste} €"),
            raison: "le mot « euros » ne se lit pas, le signe € oui",
        });
    }
    let chiffres_et = |seps: &[char]| t.chars().all(|c| c.is_ascii_digit() || seps.contains(&c));
    // `1.200,00`: points between thousands, a decimal comma.
    if chiffres_et(&['.', ',']) && t.contains('.') && t.matches(',').count() == 1 && t.rfind('.') < t.find(',') {
        let proposition = t.replace('.', " ");
        if parse_decimal_fr(&proposition).is_some() {
            return Some(MontantInvalide::AReecrire {
                texte: t.to_string(),
                proposition,
                raison: "les milliers se séparent par une espace, pas par un point",
            });
        }
    }
    // `1,200.50`: the English way, commas between thousands, a decimal point.
    if chiffres_et(&['.', ',']) && t.contains(',') && t.matches('.').count() == 1 && t.rfind(',') < t.find('.') {
        let proposition = t.replace(',', " ").replace('.', ",");
        if parse_decimal_fr(&proposition).is_some() {
            return Some(MontantInvalide::AReecrire {
                texte: t.to_string(),
                proposition,
                raison: "écrit à l'anglaise : en français, une espace entre les milliers et une virgule décimale",
            });
        }
    }
    None
}

/// `1.200`, `1,200`, `12.000`: one separator, then exactly three digits, and nothing else
/// but digits, a sign, spaces or the euro sign around — a thousands grouping or a decimal.
/// Returns the two readings, French-written (`1 200`, `1,20`).
fn lectures_ambigues(texte: &str) -> Option<(String, String)> {
    let t = sans_euro(texte).trim_start_matches('+');
    let separateurs: Vec<(usize, char)> = t.char_indices().filter(|(_, c)| matches!(c, '.' | ',')).collect();
    let [(i, _)] = separateurs.as_slice() else { return None };
    let (entier, decimales) = (&t[..*i], &t[i + 1..]);
    if entier.is_empty()
        || !entier.bytes().all(|b| b.is_ascii_digit())
        || decimales.len() != 3
        || !decimales.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let milliers = Decimal::from_str(&format!("{entier}{decimales}")).ok()?;
    let decimal = Decimal::from_str(&format!("{entier}.{decimales}")).ok()?;
    let fr = |d: Decimal, n: u32| format_decimal_fr(d, n).replace('\u{202f}', " ");
    Some((fr(milliers, 0), fr(decimal, 2)))
}

const LIMITE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

impl Montant {
    pub const ZERO: Montant = Montant(Decimal::ZERO);

    /// Validates a decimal value as an amount.
    pub fn new(valeur: Decimal) -> Result<Self, MontantInvalide> {
        let texte = || valeur.normalize().to_string();
        if valeur.is_sign_negative() && !valeur.is_zero() {
            return Err(MontantInvalide::Negatif(texte()));
        }
        if valeur.scale() > 2 && valeur.normalize().scale() > 2 {
            return Err(MontantInvalide::TropDeDecimales(texte()));
        }
        if valeur >= LIMITE {
            return Err(MontantInvalide::TropGrand(texte()));
        }
        let mut v = valeur.abs();
        v.rescale(2);
        Ok(Montant(v))
    }

    /// Parses an amount as a user writes it: `1200`, `1200.5`, `1 200,50`, `1 200,50 €`,
    /// with plain, no-break (U+00A0) or narrow no-break (U+202F) spaces between thousands.
    /// A separator followed by exactly three digits (`"1.200"`) is refused with both readings.
    pub fn parse_texte(texte: &str) -> Result<Self, MontantInvalide> {
        if let Some((milliers, decimales)) = lectures_ambigues(texte) {
            return Err(MontantInvalide::Ambigu { texte: texte.trim().to_string(), milliers, decimales });
        }
        match parse_decimal_fr(texte) {
            Some(v) => Self::new(v),
            None => Err(reecriture(texte).unwrap_or_else(|| MontantInvalide::Illisible(texte.to_string()))),
        }
    }

    /// Reads a TOML float from its literal text (e.g. `1200.1`), exactly.
    /// A float written with exactly three digits after the point (`1.200`) is ambiguous.
    pub fn parse_litteral_toml(litteral: &str) -> Result<Self, MontantInvalide> {
        if let Some((milliers, decimales)) = lectures_ambigues(litteral) {
            return Err(MontantInvalide::Ambigu { texte: litteral.trim().to_string(), milliers, decimales });
        }
        let nettoye: String = litteral.chars().filter(|c| *c != '_').collect();
        let valeur = Decimal::from_str(&nettoye)
            .or_else(|_| Decimal::from_scientific(&nettoye))
            .map_err(|_| MontantInvalide::Illisible(litteral.to_string()))?;
        Self::new(valeur)
    }

    pub fn valeur(self) -> Decimal {
        self.0
    }

    /// The plain form with two decimals, as in JSON: `1200.50`.
    pub fn brut(self) -> String {
        format!("{:.2}", self.0)
    }

    /// The French form: `1 200,50 €` (with narrow no-break spaces between thousands and a
    /// no-break space before the euro sign).
    pub fn fr(self) -> String {
        format!("{}\u{a0}€", format_decimal_fr(self.0, 2))
    }
}

impl fmt::Display for Montant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fr())
    }
}

impl std::iter::Sum for Montant {
    fn sum<I: Iterator<Item = Montant>>(iter: I) -> Self {
        Montant(iter.map(|m| m.0).sum())
    }
}

impl<'a> std::iter::Sum<&'a Montant> for Montant {
    fn sum<I: Iterator<Item = &'a Montant>>(iter: I) -> Self {
        iter.copied().sum()
    }
}

/// A sum of amounts may exceed the per-line limit; budget figures are therefore plain
/// decimals built from [`Montant`] values, rounded to the cent where the rules say so.
pub fn arrondi_inferieur_centime(valeur: Decimal) -> Decimal {
    let mut v = valeur.round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity);
    v.rescale(2);
    v
}

/// The text of an amount without its surrounding spaces and its trailing `€` or `EUR`.
fn sans_euro(texte: &str) -> &str {
    let t = texte.trim_matches(|c: char| c.is_whitespace() || c == '\u{202f}');
    let t = t.strip_suffix('€').or_else(|| t.strip_suffix("EUR")).or_else(|| t.strip_suffix("eur")).unwrap_or(t);
    t.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{202f}')
}

/// Parses a decimal number written the French way or the plain way. Returns `None` when the
/// text is not a number. Accepts a trailing `€` or `EUR`, thousands separated by spaces
/// (plain, U+00A0, U+202F), a decimal comma or point, and a leading sign.
pub fn parse_decimal_fr(texte: &str) -> Option<Decimal> {
    let t = sans_euro(texte);
    if t.is_empty() {
        return None;
    }
    let (signe, corps) = match t.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", t.strip_prefix('+').unwrap_or(t)),
    };
    // Thousands groups: spaces are only allowed between groups of exactly three digits.
    let mut chiffres = String::with_capacity(corps.len());
    let mut separateur_decimal_vu = false;
    let mut groupe = 0usize;
    let mut espace_vu = false;
    let mut precedent_espace = false;
    for c in corps.chars() {
        match c {
            '0'..='9' => {
                chiffres.push(c);
                groupe += 1;
                precedent_espace = false;
            }
            ' ' | '\u{a0}' | '\u{202f}' if !separateur_decimal_vu => {
                if precedent_espace || groupe == 0 || (espace_vu && groupe != 3) || groupe > 3 {
                    return None;
                }
                espace_vu = true;
                precedent_espace = true;
                groupe = 0;
            }
            ',' | '.' if !separateur_decimal_vu => {
                if precedent_espace || (espace_vu && groupe != 3) {
                    return None;
                }
                separateur_decimal_vu = true;
                chiffres.push('.');
                groupe = 0;
            }
            _ => return None,
        }
    }
    if precedent_espace || (espace_vu && !separateur_decimal_vu && groupe != 3) {
        return None;
    }
    if chiffres.starts_with('.') {
        chiffres.insert(0, '0');
    }
    if chiffres.ends_with('.') || chiffres.is_empty() {
        return None;
    }
    Decimal::from_str(&format!("{signe}{chiffres}")).ok()
}

/// Formats a decimal the French way with `decimales` places: `1 200,50`, thousands separated
/// by narrow no-break spaces (U+202F).
pub fn format_decimal_fr(valeur: Decimal, decimales: u32) -> String {
    let mut v = valeur.round_dp(decimales);
    v.rescale(decimales);
    let texte = v.abs().to_string();
    let (entier, fraction) = match texte.split_once('.') {
        Some((e, f)) => (e.to_string(), Some(f.to_string())),
        None => (texte, None),
    };
    let mut groupes = String::new();
    for (i, c) in entier.chars().enumerate() {
        if i > 0 && (entier.len() - i) % 3 == 0 {
            groupes.push('\u{202f}');
        }
        groupes.push(c);
    }
    let signe = if v.is_sign_negative() && !v.is_zero() { "-" } else { "" };
    match fraction {
        Some(f) => format!("{signe}{groupes},{f}"),
        None => format!("{signe}{groupes}"),
    }
}

/// Formats a number (not an amount) the French way with as many decimals as it needs
/// (`0,5`, `12`, `2025`, `12 500`): as French typography does, four-digit numbers — years
/// among them — are not split.
pub fn format_nombre_fr(valeur: Decimal) -> String {
    let n = valeur.normalize();
    let texte = format_decimal_fr(n, n.scale());
    if n.abs() < Decimal::from(10_000) { texte.replace('\u{202f}', "") } else { texte }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> String {
        Montant::parse_texte(s).map(|m| m.brut()).unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn french_and_plain_forms() {
        assert_eq!(m("1200"), "1200.00");
        assert_eq!(m("1200.5"), "1200.50");
        assert_eq!(m("1200,50"), "1200.50");
        assert_eq!(m("1 200,50"), "1200.50");
        assert_eq!(m("1 200,50 €"), "1200.50");
        assert_eq!(m("1\u{a0}200,50\u{a0}€"), "1200.50");
        assert_eq!(m("1\u{202f}200,50€"), "1200.50");
        assert_eq!(m("12 345 678,9"), "12345678.90");
        assert_eq!(m("0,05"), "0.05");
        assert_eq!(m(",5"), "0.50");
        assert_eq!(m("  42  "), "42.00");
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for bad in ["", "€", "douze", "1 20,00", "12  000", "1,200.50", "1.2.3", "1 2000", "1e3", "12,", "--1"] {
            assert!(Montant::parse_texte(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(matches!(Montant::parse_texte("-5"), Err(MontantInvalide::Negatif(_))));
        assert!(matches!(Montant::parse_texte("1 200,345"), Err(MontantInvalide::TropDeDecimales(_))));
        // rules v2: one separator then three digits may be thousands or decimals.
        assert!(matches!(Montant::parse_texte("1,234"), Err(MontantInvalide::Ambigu { .. })));
        assert!(matches!(Montant::parse_texte("1 000 000 000"), Err(MontantInvalide::TropGrand(_))));
        assert!(Montant::parse_texte("999 999 999,99").is_ok());
        // Trailing zeros are not extra precision once the thousands are grouped by spaces.
        assert_eq!(m("1 012,500"), "1012.50");
    }

    #[test]
    fn french_ways_of_writing_get_their_rewrite() {
        for (texte, proposition) in [
            ("800 euros", "800 €"),
            ("800 Euros", "800 €"),
            ("1 200,50 euros", "1 200,50 €"),
            ("1.200,00", "1 200,00"),
            ("12.345.678,90", "12 345 678,90"),
            ("1,200.50", "1 200,50"),
        ] {
            match Montant::parse_texte(texte) {
                Err(MontantInvalide::AReecrire { proposition: p, .. }) => assert_eq!(p, proposition, "{texte}"),
                autre => panic!("{texte}: {autre:?}"),
            }
            assert!(Montant::parse_texte(proposition).is_ok(), "{proposition}");
        }
        assert!(matches!(Montant::parse_texte("douze euros"), Err(MontantInvalide::Illisible(_))));
    }

    #[test]
    fn ambiguous_amounts_are_refused_with_both_readings() {
        for (texte, milliers, decimales) in [
            ("1.200", "1 200", "1,20"),
            ("1,200", "1 200", "1,20"),
            ("12.000", "12 000", "12,00"),
            ("1,500 €", "1 500", "1,50"),
        ] {
            let e = Montant::parse_texte(texte).expect_err(texte);
            assert_eq!(
                e,
                MontantInvalide::Ambigu { texte: texte.into(), milliers: milliers.into(), decimales: decimales.into() }
            );
            assert!(e.to_string().contains(&format!("écrivez \"{milliers}\" ou \"{decimales}\"")), "{e}");
        }
        assert!(matches!(Montant::parse_litteral_toml("1.200"), Err(MontantInvalide::Ambigu { .. })));
        // Not ambiguous: two decimals, spaces for thousands, four digits.
        assert_eq!(m("1.20"), "1.20");
        assert_eq!(m("1 200,50"), "1200.50");
        assert_eq!(m("1200"), "1200.00");
        assert!(m("1,2000").starts_with("ERR") || m("1,2000") == "1.20");
        assert_eq!(Montant::parse_litteral_toml("1.25").map(Montant::brut), Ok("1.25".to_string()));
    }

    #[test]
    fn toml_float_literals_are_read_exactly() {
        assert_eq!(Montant::parse_litteral_toml("1200.1").map(|m| m.brut()), Ok("1200.10".into()));
        assert_eq!(Montant::parse_litteral_toml("0.1").map(|m| m.brut()), Ok("0.10".into()));
        assert_eq!(Montant::parse_litteral_toml("1_200.25").map(|m| m.brut()), Ok("1200.25".into()));
        assert_eq!(Montant::parse_litteral_toml("1.2e3").map(|m| m.brut()), Ok("1200.00".into()));
        assert!(Montant::parse_litteral_toml("0.125").is_err());
        assert!(Montant::parse_litteral_toml("nan").is_err());
        assert!(Montant::parse_litteral_toml("inf").is_err());
    }

    #[test]
    fn sums_are_exact() {
        let total: Montant = ["0.10", "0.20", "0.30"].iter().map(|s| Montant::parse_texte(s).unwrap()).sum();
        assert_eq!(total.brut(), "0.60");
    }

    #[test]
    fn french_display() {
        assert_eq!(Montant::parse_texte("3700").unwrap().fr(), "3\u{202f}700,00\u{a0}€");
        assert_eq!(Montant::parse_texte("0").unwrap().fr(), "0,00\u{a0}€");
        assert_eq!(Montant::parse_texte("1234567.8").unwrap().fr(), "1\u{202f}234\u{202f}567,80\u{a0}€");
        assert_eq!(format_nombre_fr(Decimal::new(5, 1)), "0,5");
        assert_eq!(format_nombre_fr(Decimal::new(12, 0)), "12");
        assert_eq!(format_nombre_fr(Decimal::new(2025, 0)), "2025");
        assert_eq!(format_nombre_fr(Decimal::new(12_500, 0)), "12\u{202f}500");
    }

    #[test]
    fn rounding_down_to_the_cent() {
        assert_eq!(arrondi_inferieur_centime(Decimal::new(38_405, 4)).to_string(), "3.84");
        assert_eq!(arrondi_inferieur_centime(Decimal::new(3_840, 0)).to_string(), "3840.00");
    }
}
