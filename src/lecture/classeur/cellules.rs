//! What a cell holds, read as a value of its kind: numbers, texts as people type them
//! (`1 200,50 €`, `oui`, `08/01/2025`), Excel dates and booleans, formula and error cells;
//! a cell that is no value of its kind is a finding at that cell.

use super::*;

/// An enumerated value as people type it: `Association` → `association`,
/// `Petit matériel` → `petit-materiel`.
pub(super) fn code_saisi(texte: &str) -> String {
    normaliser(texte).replace('_', "-")
}

/// The value of `liste` that `texte` stands for (the code itself, or as people type it).
pub(super) fn choix_saisi(texte: &str, liste: &'static [&'static str]) -> Option<&'static str> {
    let texte = texte.trim();
    liste
        .iter()
        .find(|v| **v == texte)
        .or_else(|| {
            let code = code_saisi(texte);
            liste.iter().find(|v| **v == code)
        })
        .copied()
        // Its French label, as the template's documents show it (« Caf – FNP »).
        .or_else(|| crate::model::schema::valeur_de_liste(liste, texte))
}

/// A cell as text, trimmed (`None` when blank); text cells are borrowed, not copied.
pub(super) fn texte_cellule(d: &Data) -> Option<Cow<'_, str>> {
    match d {
        Data::Empty => None,
        Data::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then_some(Cow::Borrowed(t))
        }
        Data::Int(n) => Some(Cow::Owned(n.to_string())),
        Data::Float(f) => Some(Cow::Owned(f.to_string())),
        Data::Bool(b) => Some(Cow::Borrowed(if *b { "oui" } else { "non" })),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(Cow::Borrowed(s)),
        Data::DateTime(dt) => Some(Cow::Owned(dt.as_f64().to_string())),
        Data::Error(e) => Some(Cow::Owned(format!("{e}"))),
    }
}

/// A spreadsheet number as the decimal people typed: the shortest text that reads back as
/// the same binary value (`1200.1`, not `1200.0999…`), never binary arithmetic.
pub(super) fn decimal_de_nombre(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return Some(Decimal::from(f as i64));
    }
    // Formatted on the stack when it fits (amounts do), else in a string.
    let mut tampon = [0u8; 48];
    let mut curseur = std::io::Cursor::new(&mut tampon[..]);
    let texte = match std::io::Write::write_fmt(&mut curseur, format_args!("{f}")) {
        Ok(()) => {
            let n = curseur.position() as usize;
            Cow::Borrowed(std::str::from_utf8(&tampon[..n]).ok()?)
        }
        Err(_) => Cow::Owned(format!("{f}")),
    };
    texte.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(&texte).ok())
}

/// Days since 1899-12-30 (Excel's 1900 date system) → date.
pub(super) fn date_excel(serie: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serie) {
        return None;
    }
    Date::depuis_jours_unix(serie.floor() as i64 - 25_569)
}

type Rejet = (&'static str, String);

/// Converts a cell to a field value of `genre`, reading it as people meant it.
pub(super) fn convertir(genre: Genre, d: &Data, cle: &str) -> Result<Valeur, Rejet> {
    let nom = cle.rsplit('.').next().unwrap_or(cle);
    if let Data::Error(e) = d {
        let regle = if genre == Genre::Montant { MONTANT } else { TYPE };
        return Err((regle, format!("« {nom} » : la cellule contient une erreur de formule ({e})")));
    }
    // The cell as text, computed only when needed (most cells are read without it).
    let texte = || texte_cellule(d).unwrap_or_default();
    let attendu = || (TYPE, format!("« {nom} » attend {}, pas « {} »", genre.description(), texte()));
    match genre {
        Genre::Entier => {
            let n = match d {
                Data::Int(n) => Some(*n),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => Some(*f as i64),
                Data::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            };
            match n {
                Some(n) if n >= 0 || matches!(cle, "action.axe" | "action.volet") => Ok(Valeur::Entier(n)),
                Some(n) => Err((TYPE, format!("« {nom} » attend un nombre positif ou nul, pas {n}"))),
                None => Err(attendu()),
            }
        }
        Genre::Decimal => {
            let x = match d {
                Data::Int(n) => Some(Decimal::from(*n)),
                Data::Float(f) => decimal_de_nombre(*f),
                Data::String(s) => parse_decimal_fr(s),
                _ => None,
            };
            match x {
                Some(x) if !x.is_sign_negative() || x.is_zero() => Ok(Valeur::Decimal(x.normalize())),
                _ => Err(attendu()),
            }
        }
        Genre::Booleen => {
            let b = match d {
                Data::Bool(b) => Some(*b),
                Data::Int(1) => Some(true),
                Data::Int(0) => Some(false),
                Data::Float(f) if *f == 1.0 => Some(true),
                Data::Float(f) if *f == 0.0 => Some(false),
                Data::String(s) => match normaliser(s).as_str() {
                    "oui" | "true" | "vrai" | "1" | "o" | "x" => Some(true),
                    "non" | "false" | "faux" | "0" | "n" => Some(false),
                    _ => None,
                },
                _ => None,
            };
            b.map(Valeur::Booleen).ok_or_else(|| (TYPE, format!("« {nom} » attend oui ou non, pas « {} »", texte())))
        }
        Genre::Texte => {
            let t = match d {
                // A SIRET typed as a number keeps its 14 digits.
                Data::Float(f) if f.fract() == 0.0 && cle == "porteur.siret" => format!("{:014}", *f as i64),
                Data::Int(n) if cle == "porteur.siret" => format!("{n:014}"),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => format!("{}", *f as i64),
                // Free text is kept as typed (line breaks and trailing spaces included).
                Data::String(s) => s.clone(),
                _ => texte().into_owned(),
            };
            Ok(Valeur::Texte(t))
        }
        Genre::Departement => {
            let code = match d {
                Data::Int(n) => format!("{n:02}"),
                Data::Float(f) if f.fract() == 0.0 => format!("{:02}", *f as i64),
                _ => {
                    let t = texte().to_uppercase();
                    if t.len() == 1 && t.chars().all(|c| c.is_ascii_digit()) { format!("0{t}") } else { t }
                }
            };
            if schema::departement_valide(&code) {
                Ok(Valeur::Texte(code))
            } else {
                Err((TYPE, format!("« {} » n'est pas un code de département : {}", texte(), genre.description())))
            }
        }
        Genre::Date => {
            let date = match d {
                Data::DateTime(dt) => date_excel(dt.as_f64()),
                Data::Float(f) => date_excel(*f),
                Data::Int(n) => date_excel(*n as f64),
                Data::DateTimeIso(s) | Data::String(s) => Date::lire_texte(s),
                _ => None,
            };
            date.map(Valeur::Date).ok_or_else(|| {
                (DATE, format!("« {nom} » : « {} » n'est pas une date (écrivez 08/01/2025 ou 2025-01-08)", texte()))
            })
        }
        Genre::Choix(liste) => {
            let texte = texte();
            match choix_saisi(&texte, liste) {
                Some(v) => Ok(Valeur::Texte(v.to_string())),
                None => Err((TYPE, crate::lecture::saisies::valeur_inconnue(nom, &texte, liste))),
            }
        }
        Genre::ListeChoix(_) | Genre::ListeTexte => {
            let mut sortie = Vec::new();
            let texte = texte();
            for element in texte.split([',', ';']).map(str::trim).filter(|e| !e.is_empty()) {
                if let Genre::ListeChoix(liste) = genre {
                    match choix_saisi(element, liste) {
                        Some(v) => sortie.push(v.to_string()),
                        None => return Err((TYPE, crate::lecture::saisies::valeur_inconnue(nom, element, liste))),
                    }
                } else {
                    sortie.push(element.to_string());
                }
            }
            if sortie.is_empty() {
                return Err((
                    TYPE,
                    format!(
                        "« {nom} » : liste vide ; laissez la cellule vide ou donnez des valeurs séparées par des virgules"
                    ),
                ));
            }
            Ok(Valeur::Liste(sortie))
        }
        Genre::Ages => {
            let texte = texte();
            let nombres: Vec<i64> = texte
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.parse().ok())
                .collect();
            match nombres.as_slice() {
                [a, b] if a <= b && *b <= 120 => Ok(Valeur::Ages(*a, *b)),
                _ => Err((TYPE, format!("« {nom} » attend deux âges, par exemple 0-3, pas « {texte} »"))),
            }
        }
        Genre::Montant => {
            let m = match d {
                Data::Int(n) => Montant::new(Decimal::from(*n)),
                Data::Float(f) => match decimal_de_nombre(*f) {
                    // A cell computed by a formula may carry binary noise (0.1 + 0.2): the
                    // amount people see is rounded to the cent by the cell format.
                    Some(x) if x.scale() > 2 && (x.round_dp(2) - x).abs() < Decimal::new(1, 9) => {
                        Montant::new(x.round_dp(2))
                    }
                    Some(x) => Montant::new(x),
                    None => return Err((MONTANT, format!("« {nom} » : « {} » n'est pas un montant", texte()))),
                },
                Data::String(s) => Montant::parse_texte(s),
                _ => return Err((MONTANT, format!("« {nom} » attend un montant, pas « {} »", texte()))),
            };
            m.map(|m| Valeur::Decimal(m.valeur())).map_err(|e| (MONTANT, format!("« {nom} » : {e}")))
        }
    }
}
