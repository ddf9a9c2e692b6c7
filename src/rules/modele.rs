//! Message templates: `{name}` placeholders filled with the values of a finding, and
//! placeholders for the dossier's fields, filled in the words of where the dossier came from
//! (its medium, [`Support`]): TOML keys and syntax for a TOML file, the template's French
//! labels and the value to type for a workbook or a CSV folder.
//!
//! | placeholder | TOML | workbook |
//! | --- | --- | --- |
//! | `{champ:lieu.etp_referent}` | `lieu.etp_referent` | ETP du professionnel référent (its label) |
//! | `{cle:porteur.charte_parentalite}` | `charte_parentalite` | « Adhésion à la charte … » (its label) |
//! | `{saisir:porteur.charte_parentalite=oui}` | `charte_parentalite = true` | « Adhésion à la charte … » : oui |
//! | `{saisir:recette.financeur=caf-fnp}` | `financeur = "caf-fnp"` | « Financeur » : the value's label |
//! | `{table:indicateurs}` | `[indicateurs]` | la rubrique « Les indicateurs … » de la feuille Dossier |
//! | `{liste:recette}` | `[[recette]]` | la feuille Recettes |
//!
//! A line's column (`recette.financeur`, `depense.hausse_temps_travail`) is named by its
//! header in a workbook. Packs are checked at load time: every key named exists.

use crate::model::schema;

/// Where a dossier came from, which decides the words of its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Support {
    /// A TOML file: keys, tables and TOML values.
    #[default]
    Toml,
    /// A workbook or a CSV folder: the template's labels, sheets and values as typed.
    Classeur,
}

use schema::libelle_de;

/// The sheet of a list of lines.
fn feuille(liste: &str) -> Option<&'static str> {
    schema::feuille_de_liste(liste)
}

/// Whether a field placeholder names something the schema knows.
pub fn reference_valide(genre: &str, argument: &str) -> Result<(), String> {
    let cle = argument.split_once('=').map_or(argument, |(c, _)| c).trim();
    let connu = match genre {
        "cle" | "champ" | "saisir" => libelle_de(cle).is_some(),
        "table" => schema::SECTIONS.contains(&cle),
        "liste" => feuille(cle).is_some(),
        _ => return Err(format!("« {{{genre}:…}} » : sorte de repère inconnue (champ, cle, saisir, table, liste)")),
    };
    if connu {
        Ok(())
    } else {
        Err(format!("« {{{genre}:{argument}}} » : « {cle} » n'est pas un champ, une table ou une liste du dossier"))
    }
}

/// A field placeholder (`genre:argument`) in the words of `support`.
fn repere(genre: &str, argument: &str, support: Support) -> Option<String> {
    let (cle, valeur) = match argument.split_once('=') {
        Some((c, v)) => (c.trim(), Some(v.trim())),
        None => (argument.trim(), None),
    };
    let feuille_cle = |cle: &str| cle.rsplit_once('.').map_or(cle, |(_, k)| k).to_string();
    Some(match (genre, support) {
        ("champ", Support::Toml) => cle.to_string(),
        ("champ", Support::Classeur) => libelle_de(cle)?.to_string(),
        ("cle", Support::Toml) => feuille_cle(cle),
        ("cle", Support::Classeur) => format!("« {} »", libelle_de(cle)?),
        ("saisir", Support::Toml) => {
            let v = valeur?;
            let toml = match v {
                "oui" => "true".to_string(),
                "non" => "false".to_string(),
                v if v.parse::<f64>().is_ok() => v.to_string(),
                v => format!("\"{v}\""),
            };
            format!("{} = {toml}", feuille_cle(cle))
        }
        ("saisir", Support::Classeur) => {
            // A value of a closed list as its drop-down shows it (« Caf : Fonds national … »).
            let v = valeur?;
            format!("« {} » : {}", libelle_de(cle)?, schema::libelle_de_liste(cle, v).unwrap_or(v))
        }
        ("table", Support::Toml) => format!("[{cle}]"),
        ("table", Support::Classeur) => {
            let titre = schema::TITRES_SECTIONS.iter().find(|(s, _)| *s == cle).map(|(_, t)| *t)?;
            format!("la rubrique « {titre} » de la feuille Dossier")
        }
        ("liste", Support::Toml) => format!("[[{cle}]]"),
        ("liste", Support::Classeur) => format!("la feuille {}", feuille(cle)?),
        _ => return None,
    })
}

/// [`remplir`] in the words of `support`: `{name}` from the values, `{genre:argument}` from
/// the dossier's schema.
pub fn remplir_pour(modele: &str, valeurs: &[(&str, String)], support: Support) -> String {
    let mut sortie = String::with_capacity(modele.len() + 32);
    let mut reste = modele;
    while let Some(debut) = reste.find('{') {
        sortie.push_str(&reste[..debut]);
        let apres = &reste[debut + 1..];
        let Some(fin) = apres.find('}') else {
            sortie.push('{');
            reste = apres;
            continue;
        };
        let nom = &apres[..fin];
        let rendu = match nom.split_once(':') {
            Some((genre, argument)) => repere(genre, argument, support),
            None => valeurs.iter().find(|(k, _)| *k == nom).map(|(_, v)| v.clone()),
        };
        match rendu {
            Some(v) => sortie.push_str(&v),
            None => {
                sortie.push('{');
                sortie.push_str(nom);
                sortie.push('}');
            }
        }
        reste = &apres[fin + 1..];
    }
    sortie.push_str(reste);
    sortie
}

/// Variables every message may use.
pub const VARIABLES_COMMUNES: &[&str] = &["champ", "type", "axe", "volet", "exercice", "departement"];

/// The placeholders of a template, in order (field placeholders `genre:argument` included).
pub fn variables_du_modele(modele: &str) -> Vec<String> {
    let mut sortie = Vec::new();
    let mut reste = modele;
    while let Some(debut) = reste.find('{') {
        let apres = &reste[debut + 1..];
        match apres.find('}') {
            Some(fin) => {
                sortie.push(apres[..fin].to_string());
                reste = &apres[fin + 1..];
            }
            None => break,
        }
    }
    sortie
}

/// Fills a template; an unknown placeholder is left as written (packs are checked at load
/// time, so this does not happen with a loaded pack).
pub fn remplir(modele: &str, valeurs: &[(&str, String)]) -> String {
    let mut sortie = String::with_capacity(modele.len() + 32);
    let mut reste = modele;
    while let Some(debut) = reste.find('{') {
        sortie.push_str(&reste[..debut]);
        let apres = &reste[debut + 1..];
        match apres.find('}') {
            Some(fin) => {
                let nom = &apres[..fin];
                match valeurs.iter().find(|(k, _)| *k == nom) {
                    Some((_, v)) => sortie.push_str(v),
                    None => {
                        sortie.push('{');
                        sortie.push_str(nom);
                        sortie.push('}');
                    }
                }
                reste = &apres[fin + 1..];
            }
            None => {
                sortie.push('{');
                reste = apres;
            }
        }
    }
    sortie.push_str(reste);
    sortie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill() {
        assert_eq!(remplir("{a} < {b} {c}", &[("a", "4".into()), ("b", "5".into())]), "4 < 5 {c}");
        assert_eq!(variables_du_modele("x {a} y {b}"), vec!["a", "b"]);
        assert_eq!(remplir("sans", &[]), "sans");
    }

    #[test]
    fn fields_in_the_words_of_each_medium() {
        let m = "confirmez-le ({saisir:porteur.contrat_engagement_republicain=oui}) ; ajoutez {cle:indicateurs.parents_qpv} dans {table:indicateurs}, et une ligne {liste:recette} avec {saisir:recette.financeur=caf-fnp}";
        assert_eq!(
            remplir_pour(m, &[], Support::Toml),
            "confirmez-le (contrat_engagement_republicain = true) ; ajoutez parents_qpv dans [indicateurs], et une ligne [[recette]] avec financeur = \"caf-fnp\""
        );
        let c = remplir_pour(m, &[], Support::Classeur);
        assert!(!c.contains('{') && !c.contains('[') && !c.contains('_') && !c.contains(" = "), "{c}");
        assert!(
            c.contains("« Financeur » : Caf : Fonds national parentalité")
                && c.contains("la feuille Recettes")
                && !c.contains("caf-fnp"),
            "{c}"
        );
        assert!(reference_valide("cle", "groupe.participants_maxi").is_err());
        assert!(reference_valide("saisir", "depense.hausse_temps_travail=oui").is_ok());
    }
}
