//! A money cell's formula recomputed as a spreadsheet would (hostile round 4): a workbook
//! stores each formula with the value last computed, and fnp reads that value; a cell written
//! `<f>2900</f><v>2000</v>` shows 2 900 € in Excel (fnp's own template asks it to recompute
//! everything on opening) while its saved value says 2 000 €. The formulas of a dossier's
//! amounts are simple: numbers, `+ - * /`, brackets, references to cells of the same sheet
//! and `SUM` of ranges or lists. Those are evaluated exactly, in decimals; anything else
//! (another sheet, a function, text) is not, and the saved value stands.

use crate::lecture::limites::{FORMULE_JETONS_MAX, FORMULE_PROFONDEUR_MAX};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
enum Jeton {
    Nombre(Decimal),
    /// A cell: absolute 0-based row and column.
    Cellule(u32, u32),
    /// A range of cells, corners included.
    Plage((u32, u32), (u32, u32)),
    Somme,
    Op(char),
    Ouvre,
    Ferme,
    Separateur,
}

/// The value of `formule` (with or without its leading `=`), the cells' values given by
/// `valeur` (`None`: a cell whose value is not a number, which makes the formula not
/// evaluable); `None` when fnp cannot evaluate it.
pub fn evaluer(formule: &str, valeur: &dyn Fn(u32, u32) -> Option<Decimal>) -> Option<Decimal> {
    let jetons = jetons(formule.trim().trim_start_matches('='))?;
    let mut analyse = Analyse { jetons: &jetons, i: 0, valeur, profondeur: 0 };
    let v = analyse.expression()?;
    (analyse.i == jetons.len()).then_some(v)
}

/// An OpenDocument formula (`of:=SUM([.C2:.C5])+[.B7]`, as an .ods stores it) in the
/// spreadsheet notation [`evaluer`] reads (`=SUM(C2:C5)+B7`): references of the same sheet
/// lose their brackets and dots; one to another sheet (`[$Recettes.C2]`) becomes
/// `Recettes!C2`, which is not evaluated, as in an xlsx.
pub fn depuis_openformula(formule: &str) -> String {
    let texte = formule.strip_prefix("of:").or_else(|| formule.strip_prefix("oooc:")).unwrap_or(formule);
    let mut sortie = String::with_capacity(texte.len());
    let mut reste = texte;
    while let Some(i) = reste.find(['[', '"']) {
        sortie.push_str(&reste[..i]);
        let apres = &reste[i + 1..];
        if reste[i..].starts_with('"') {
            // A text in the formula, copied as it is (it may hold brackets).
            let fin = apres.find('"').map_or(apres.len(), |f| f + 1);
            sortie.push('"');
            sortie.push_str(&apres[..fin]);
            reste = &apres[fin..];
            continue;
        }
        let Some(fin) = apres.find(']') else {
            sortie.push_str(&reste[i..]);
            return sortie;
        };
        let parties: Vec<String> = apres[..fin]
            .split(':')
            .map(|p| {
                let p = p.trim_start_matches('$');
                match p.rsplit_once('.') {
                    Some(("", cellule)) => cellule.to_string(),
                    Some((feuille, cellule)) => format!("{}!{cellule}", feuille.trim_matches('\'')),
                    None => p.to_string(),
                }
            })
            .collect();
        sortie.push_str(&parties.join(":"));
        reste = &apres[fin + 1..];
    }
    sortie.push_str(reste);
    sortie
}

/// `A` → 0, `AB` → 27.
fn colonne(lettres: &str) -> Option<u32> {
    let mut n: u32 = 0;
    for c in lettres.chars() {
        n = n.checked_mul(26)?.checked_add(u32::from(c.to_ascii_uppercase() as u8 - b'A') + 1)?;
    }
    n.checked_sub(1)
}

/// A cell reference (`B5`, `$B$5`) at the start of `texte`: its position and length.
fn reference(texte: &str) -> Option<((u32, u32), usize)> {
    let octets = texte.as_bytes();
    let mut i = 0;
    if octets.get(i) == Some(&b'$') {
        i += 1;
    }
    let debut_lettres = i;
    while octets.get(i).is_some_and(u8::is_ascii_alphabetic) {
        i += 1;
    }
    let lettres = &texte[debut_lettres..i];
    if lettres.is_empty() || lettres.len() > 3 {
        return None;
    }
    if octets.get(i) == Some(&b'$') {
        i += 1;
    }
    let debut_chiffres = i;
    while octets.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let ligne: u32 = texte[debut_chiffres..i].parse().ok()?;
    Some(((ligne.checked_sub(1)?, colonne(lettres)?), i))
}

fn jetons(texte: &str) -> Option<Vec<Jeton>> {
    let mut sortie = Vec::new();
    let mut reste = texte;
    while let Some(c) = reste.chars().next() {
        if sortie.len() > FORMULE_JETONS_MAX {
            return None;
        }
        if c.is_whitespace() {
            reste = &reste[c.len_utf8()..];
            continue;
        }
        let (jeton, longueur) = match c {
            '+' | '-' | '*' | '/' => (Jeton::Op(c), 1),
            '(' => (Jeton::Ouvre, 1),
            ')' => (Jeton::Ferme, 1),
            ',' | ';' => (Jeton::Separateur, 1),
            '0'..='9' | '.' => {
                let n = reste.find(|x: char| !(x.is_ascii_digit() || x == '.')).unwrap_or(reste.len());
                (Jeton::Nombre(reste[..n].parse().ok()?), n)
            }
            '$' | 'A'..='Z' | 'a'..='z' => {
                let mot = reste.find(|x: char| !x.is_ascii_alphabetic()).unwrap_or(reste.len());
                if reste[..mot].eq_ignore_ascii_case("SUM") && reste[mot..].trim_start().starts_with('(') {
                    (Jeton::Somme, mot)
                } else {
                    let (a, n) = reference(reste)?;
                    match reste[n..].strip_prefix(':').and_then(reference) {
                        Some((b, m)) => (Jeton::Plage(a, b), n + 1 + m),
                        None => (Jeton::Cellule(a.0, a.1), n),
                    }
                }
            }
            // Another sheet (`!`), text, a comparison, a function fnp does not know.
            _ => return None,
        };
        sortie.push(jeton);
        reste = &reste[longueur..];
    }
    Some(sortie)
}

struct Analyse<'a> {
    jetons: &'a [Jeton],
    i: usize,
    valeur: &'a dyn Fn(u32, u32) -> Option<Decimal>,
    profondeur: usize,
}

impl Analyse<'_> {
    fn suivant(&self) -> Option<&Jeton> {
        self.jetons.get(self.i)
    }

    fn expression(&mut self) -> Option<Decimal> {
        self.profondeur += 1;
        if self.profondeur > FORMULE_PROFONDEUR_MAX {
            return None;
        }
        let mut v = self.terme()?;
        while let Some(Jeton::Op(op @ ('+' | '-'))) = self.suivant().cloned() {
            self.i += 1;
            let d = self.terme()?;
            v = if op == '+' { v.checked_add(d)? } else { v.checked_sub(d)? };
        }
        self.profondeur -= 1;
        Some(v)
    }

    fn terme(&mut self) -> Option<Decimal> {
        let mut v = self.facteur()?;
        while let Some(Jeton::Op(op @ ('*' | '/'))) = self.suivant().cloned() {
            self.i += 1;
            let d = self.facteur()?;
            v = if op == '*' { v.checked_mul(d)? } else { v.checked_div(d)? };
        }
        Some(v)
    }

    fn facteur(&mut self) -> Option<Decimal> {
        let jeton = self.suivant()?.clone();
        self.i += 1;
        match jeton {
            Jeton::Op('-') => self.facteur().map(|v| -v),
            Jeton::Op('+') => self.facteur(),
            Jeton::Nombre(n) => Some(n),
            Jeton::Cellule(l, c) => (self.valeur)(l, c),
            Jeton::Ouvre => {
                let v = self.expression()?;
                (self.suivant() == Some(&Jeton::Ferme)).then(|| self.i += 1)?;
                Some(v)
            }
            Jeton::Somme => {
                (self.suivant() == Some(&Jeton::Ouvre)).then(|| self.i += 1)?;
                let mut total = Decimal::ZERO;
                loop {
                    let terme = match self.suivant()?.clone() {
                        Jeton::Plage(a, b) => {
                            self.i += 1;
                            self.somme_plage(a, b)?
                        }
                        _ => self.expression()?,
                    };
                    total = total.checked_add(terme)?;
                    match self.suivant()? {
                        Jeton::Separateur => self.i += 1,
                        Jeton::Ferme => {
                            self.i += 1;
                            return Some(total);
                        }
                        _ => return None,
                    }
                }
            }
            _ => None,
        }
    }

    /// The sum of a range: numbers only, as `SUM` ignores empty cells (text makes the range
    /// not evaluable here, where a spreadsheet would ignore it too: fnp does not guess).
    fn somme_plage(&self, a: (u32, u32), b: (u32, u32)) -> Option<Decimal> {
        let (l0, l1) = (a.0.min(b.0), a.0.max(b.0));
        let (c0, c1) = (a.1.min(b.1), a.1.max(b.1));
        // A dossier's sums cover a column of lines, not a whole sheet.
        if u64::from(l1 - l0 + 1) * u64::from(c1 - c0 + 1) > 100_000 {
            return None;
        }
        let mut total = Decimal::ZERO;
        for l in l0..=l1 {
            for c in c0..=c1 {
                total = total.checked_add((self.valeur)(l, c)?)?;
            }
        }
        Some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::{depuis_openformula, evaluer};
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn simple_formulas_are_recomputed_exactly() {
        // B1 = 1 200,50 ; B2 = 300 ; B3 empty ; C1 text.
        let valeur = |l: u32, c: u32| match (l, c) {
            (0, 1) => Some(d("1200.50")),
            (1, 1) => Some(d("300")),
            (2, 1) => Some(Decimal::ZERO),
            _ => None,
        };
        assert_eq!(evaluer("=2900", &valeur), Some(d("2900")));
        assert_eq!(evaluer("=B1+B2*2", &valeur), Some(d("1800.50")));
        assert_eq!(evaluer("=(B1+B2)/3", &valeur).map(|v| v.round_dp(2)), Some(d("500.17")));
        assert_eq!(evaluer("=SUM(B1:B3)", &valeur), Some(d("1500.50")));
        assert_eq!(evaluer("=sum($B$1;B2;10)", &valeur), Some(d("1510.50")));
        assert_eq!(evaluer("=-B2+0.1", &valeur), Some(d("-299.9")));
        // Not evaluable: another sheet, a function, text, division by zero, garbage.
        for f in ["=Dépenses!C2", "=ROUND(B1,0)", "=C1*2", "=B2/B3", "=B1+", "=(B1", "=\"texte\""] {
            assert_eq!(evaluer(f, &valeur), None, "{f}");
        }
    }

    #[test]
    fn opendocument_formulas_are_read_in_spreadsheet_notation() {
        assert_eq!(depuis_openformula("of:=[.C2]+[.C3]"), "=C2+C3");
        assert_eq!(depuis_openformula("of:=SUM([.$C$2:.C5];10)"), "=SUM($C$2:C5;10)");
        assert_eq!(depuis_openformula("of:=[$Recettes.C2]*2"), "=Recettes!C2*2");
        assert_eq!(depuis_openformula("of:=['Dépenses 2025'.C2]"), "=Dépenses 2025!C2");
        assert_eq!(depuis_openformula("of:=\"[.C2]\"&[.B1]"), "=\"[.C2]\"&B1");
        assert_eq!(depuis_openformula("oooc:=[.A1]"), "=A1");
        let valeur = |l: u32, c: u32| Some(Decimal::from(l * 10 + c));
        assert_eq!(evaluer(&depuis_openformula("of:=SUM([.B1:.B2])"), &valeur), Some(d("12")));
        assert_eq!(evaluer(&depuis_openformula("of:=[$Recettes.C2]"), &valeur), None);
    }
}
