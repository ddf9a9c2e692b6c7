//! What every reader shares once a value is typed: building budget lines, and reporting
//! the required keys that are missing.

use super::Saisie;
use super::toml::CHAMP_MANQUANT;
use crate::model::schema::{self, Colonne, Genre};
use crate::model::{Code, Contribution, Depense, Dossier, Montant, Recette, Valeur};

/// Adds a budget line (`depense`, `recette`, `contribution`) from its typed columns. The
/// caller has reported any problem; a line without a valid amount or nature is rejected.
pub fn construire_ligne(dossier: &mut Dossier, nom: &str, index: usize, valeurs: &[(&'static Colonne, Valeur)]) {
    let get = |k: &str| valeurs.iter().find(|(c, _)| c.cle == k).map(|(_, v)| v.clone());
    let code = |k: &str| match get(k) {
        Some(Valeur::Texte(t)) => schema::colonnes(nom).iter().find(|c| c.cle == k).and_then(|c| match c.genre {
            Genre::Choix(liste) => Code::parmi(&t, liste),
            _ => None,
        }),
        _ => None,
    };
    let texte = |k: &str| match get(k) {
        Some(Valeur::Texte(t)) => Some(t),
        _ => None,
    };
    let montant = match get("montant") {
        Some(Valeur::Decimal(d)) => Montant::new(d).ok(),
        _ => None,
    };
    let (Some(montant), Some(premier)) = (montant, code(if nom == "recette" { "financeur" } else { "nature" })) else {
        dossier.lignes_rejetees = true;
        return;
    };
    match nom {
        "depense" => dossier.depenses.push(Depense {
            index,
            nature: premier,
            libelle: texte("libelle").unwrap_or_default(),
            montant,
            compte: texte("compte"),
            dispositif: code("dispositif"),
            hausse_temps_travail: matches!(get("hausse_temps_travail"), Some(Valeur::Booleen(true))),
            justificatif: code("justificatif"),
        }),
        "recette" => dossier.recettes.push(Recette {
            index,
            financeur: premier,
            libelle: texte("libelle"),
            montant,
            statut: code("statut").or_else(|| Code::parmi("demande", schema::STATUTS_RECETTE)).unwrap_or(premier),
            dispositif: code("dispositif"),
        }),
        _ => dossier.contributions.push(Contribution { index, nature: premier, libelle: texte("libelle"), montant }),
    }
}

/// Reports every required scalar key that is neither given nor rejected; `conseil` says where
/// to add it, given its section (`None` for a top-level key).
pub fn manquants(dossier: &mut Dossier, saisies: &mut Vec<Saisie>, conseil: impl Fn(Option<&str>) -> String) {
    for c in schema::CHAMPS.iter().filter(|c| c.requis) {
        if dossier.champs.contains_key(c.cle) || dossier.champs_rejetes.contains(c.cle) {
            continue;
        }
        let section = c.cle.split_once('.').map(|(s, _)| s);
        if section.is_some_and(|s| dossier.champs_rejetes.contains(s)) {
            continue;
        }
        let message =
            format!("clé obligatoire « {} » absente ({}) ; {}", c.cle, c.aide.trim_end_matches('.'), conseil(section));
        saisies.push(Saisie { regle: CHAMP_MANQUANT, message, champ: c.cle.to_string(), etendue: None });
    }
}
