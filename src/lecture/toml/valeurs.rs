//! A TOML value read as a field value of its kind: amounts exact, dates, codes as people
//! type them; what is no value of its kind is a finding, never a guess.

use super::*;
use crate::lecture::saisies::valeur_inconnue;

pub(super) type Rejet = (&'static str, String);

/// Converts a TOML value to a field value of `genre`. `Genre::Montant` gives a
/// `Valeur::Decimal` holding a validated amount.
pub(super) fn convertir(genre: Genre, valeur: &Spanned<DeValue<'_>>, cle: &str) -> Result<Valeur, Rejet> {
    let v = valeur.get_ref();
    let nom = cle.rsplit('.').next().unwrap_or(cle);
    let attendu = || (TYPE, format!("« {nom} » attend {}, pas {}", genre.description(), type_toml(v)));
    match genre {
        Genre::Entier => match v {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                // A negative axe or volet is a wrong action (GEN-TYPE-ACTION), not a typo.
                Ok(n) if n >= 0 || matches!(cle, "action.axe" | "action.volet") => Ok(Valeur::Entier(n)),
                Ok(n) => Err((TYPE, format!("« {nom} » attend un nombre positif ou nul, pas {n}"))),
                Err(_) => Err((TYPE, format!("« {nom} » : nombre trop grand"))),
            },
            DeValue::String(s) if s.trim().parse::<i64>().is_ok() => {
                Err((TYPE, format!("« {nom} » attend un nombre entier : écrivez {} sans guillemets", s.trim())))
            }
            _ => Err(attendu()),
        },
        Genre::Decimal => {
            let d = match v {
                DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok().map(Decimal::from),
                DeValue::Float(f) => litteral_decimal(f.as_str()),
                DeValue::String(s) => parse_decimal_fr(s),
                _ => return Err(attendu()),
            };
            match d {
                Some(d) if !d.is_sign_negative() || d.is_zero() => Ok(Valeur::Decimal(d.normalize())),
                Some(_) => Err((TYPE, format!("« {nom} » attend un nombre positif ou nul"))),
                None => Err(attendu()),
            }
        }
        Genre::Booleen => match v {
            DeValue::Boolean(b) => Ok(Valeur::Booleen(*b)),
            DeValue::String(s) => {
                Err((TYPE, format!("« {nom} » attend true ou false (sans guillemets), pas le texte \"{s}\"")))
            }
            _ => Err(attendu()),
        },
        Genre::Texte => match v {
            DeValue::String(s) => Ok(Valeur::Texte(s.to_string())),
            DeValue::Integer(i) => {
                Err((TYPE, format!("« {nom} » attend un texte : écrivez \"{}\" entre guillemets", i.as_str())))
            }
            _ => Err(attendu()),
        },
        Genre::Departement => match v {
            DeValue::String(s) if schema::departement_valide(s) => Ok(Valeur::Texte(s.to_string())),
            DeValue::String(s) => {
                Err((TYPE, format!("« {s} » n'est pas un code de département : {}", genre.description())))
            }
            DeValue::Integer(i) => {
                let code = format!("{:0>2}", i.as_str());
                Err((TYPE, format!("« {nom} » attend un code entre guillemets : écrivez \"{code}\"")))
            }
            _ => Err(attendu()),
        },
        Genre::Date => match v {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) if dt.offset.is_none() => Date::new(i32::from(d.year), d.month, d.day)
                    .map(Valeur::Date)
                    .ok_or_else(|| (DATE, format!("« {nom} » : la date {dt} n'existe pas"))),
                _ => Err((DATE, format!("« {nom} » attend une date sans heure, par exemple 2025-01-08, pas {dt}"))),
            },
            DeValue::String(s) => Err((
                DATE,
                match date_texte(s) {
                    Some(d) => format!("« {nom} » : écrivez la date sans guillemets : {nom} = {d}"),
                    None => format!(
                        "« {nom} » : « {s} » n'est pas une date ; écrivez-la AAAA-MM-JJ sans guillemets, par exemple 2025-01-08"
                    ),
                },
            )),
            _ => Err((DATE, format!("« {nom} » attend une date (AAAA-MM-JJ, sans guillemets), pas {}", type_toml(v)))),
        },
        Genre::Choix(liste) => match v {
            DeValue::String(s) if liste.contains(&s.as_ref()) => Ok(Valeur::Texte(s.to_string())),
            // As people write it: its French label or its code with capitals and accents.
            DeValue::String(s) if let Some(v) = valeur_ecrite(s, liste) => Ok(Valeur::Texte(v.to_string())),
            DeValue::String(s) => Err((TYPE, valeur_inconnue(nom, s, liste))),
            _ => Err(attendu()),
        },
        Genre::ListeChoix(_) | Genre::ListeTexte => {
            let DeValue::Array(a) = v else {
                return Err(attendu());
            };
            let mut sortie = Vec::new();
            for e in a.iter() {
                match e.get_ref() {
                    DeValue::String(s) => {
                        if let Genre::ListeChoix(liste) = genre
                            && !liste.contains(&s.as_ref())
                        {
                            match valeur_ecrite(s, liste) {
                                Some(v) => {
                                    sortie.push(v.to_string());
                                    continue;
                                }
                                None => return Err((TYPE, valeur_inconnue(nom, s, liste))),
                            }
                        }
                        sortie.push(s.to_string());
                    }
                    autre => {
                        return Err((
                            TYPE,
                            format!("« {nom} » attend une liste de textes ; un élément est {}", type_toml(autre)),
                        ));
                    }
                }
            }
            if sortie.is_empty() {
                // An empty list says nothing: it is the same as an absent key (as a blank
                // cell in a workbook).
                return Err((VIDE, String::new()));
            }
            Ok(Valeur::Liste(sortie))
        }
        Genre::Ages => {
            let DeValue::Array(a) = v else {
                return Err(attendu());
            };
            let nombres: Vec<Option<i64>> = a
                .iter()
                .map(|e| match e.get_ref() {
                    DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
                    _ => None,
                })
                .collect();
            match nombres.as_slice() {
                [Some(min), Some(max)] if *min >= 0 && min <= max && *max <= 120 => Ok(Valeur::Ages(*min, *max)),
                [Some(min), Some(max)] if min > max => Err((
                    TYPE,
                    format!("« {nom} » : l'âge minimum {min} dépasse l'âge maximum {max} ; écrivez [min, max]"),
                )),
                _ => Err((TYPE, format!("« {nom} » attend deux âges en années, [min, max], par exemple [0, 3]"))),
            }
        }
        Genre::Montant => {
            let m = match v {
                DeValue::Integer(i) if i.radix() == 10 => Montant::parse_litteral_toml(i.as_str()),
                DeValue::Float(f) => Montant::parse_litteral_toml(f.as_str()),
                DeValue::String(s) => Montant::parse_texte(s),
                _ => {
                    return Err((MONTANT, format!("« {nom} » attend {}, pas {}", genre.description(), type_toml(v))));
                }
            };
            m.map(|m| Valeur::Decimal(m.valeur())).map_err(|e| (MONTANT, format!("« {nom} » : {e}")))
        }
    }
}

fn litteral_decimal(litteral: &str) -> Option<Decimal> {
    let nettoye: String = litteral.chars().filter(|c| *c != '_').collect();
    nettoye.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(&nettoye).ok())
}

/// `08/01/2025` or `2025-01-08` written as a string → the TOML date to write instead.
/// The value of a closed list that `texte` names as people write it: its code with capitals,
/// accents or spaces (« Petit matériel »), or its French label (« Centre social »).
fn valeur_ecrite(texte: &str, liste: &[&'static str]) -> Option<&'static str> {
    let code = crate::model::code_de(texte);
    liste.iter().find(|v| **v == code).copied().or_else(|| crate::model::schema::valeur_de_liste(liste, texte))
}

fn date_texte(s: &str) -> Option<String> {
    Date::lire_texte(s).map(|d| d.to_string())
}
