//! What every reader shares once a value is typed: building budget lines, and reporting
//! the required keys that are missing.

use super::Saisie;
use super::saisies::CHAMP_MANQUANT;
use crate::model::schema::{self, Colonne, Genre};
use crate::model::{Code, Contribution, Depense, Dossier, Montant, Recette, Valeur};

/// Adds a budget line (`depense`, `recette`, `contribution`) from its typed columns. The
/// caller has reported any problem; a line without a valid amount or nature is rejected.
pub fn construire_ligne(dossier: &mut Dossier, nom: &str, index: usize, valeurs: Vec<(&'static Colonne, Valeur)>) {
    let mut v = Valeurs(valeurs);
    let premier = v.code(if nom == "recette" { "financeur" } else { "nature" });
    let montant = match v.prendre("montant") {
        Some(Valeur::Decimal(d)) => Montant::new(d).ok(),
        _ => None,
    };
    let (Some(montant), Some(premier)) = (montant, premier) else {
        dossier.lignes_rejetees = true;
        return;
    };
    let realise = match v.prendre("realise") {
        Some(Valeur::Decimal(d)) => Montant::new(d).ok(),
        _ => None,
    };
    let explication = v.texte("explication");
    match nom {
        "depense" => dossier.depenses.push(Depense {
            index,
            nature: premier,
            libelle: v.texte("libelle").unwrap_or_default(),
            montant,
            compte: v.texte("compte"),
            dispositif: v.code("dispositif"),
            hausse_temps_travail: matches!(v.prendre("hausse_temps_travail"), Some(Valeur::Booleen(true))),
            justificatif: v.code("justificatif"),
            realise,
            explication,
        }),
        "recette" => dossier.recettes.push(Recette {
            index,
            financeur: premier,
            libelle: v.texte("libelle"),
            montant,
            statut: v.code("statut").or_else(|| Code::parmi("demande", schema::STATUTS_RECETTE)).unwrap_or(premier),
            dispositif: v.code("dispositif"),
            realise,
            explication,
        }),
        _ => dossier.contributions.push(Contribution {
            index,
            nature: premier,
            libelle: v.texte("libelle"),
            montant,
            realise,
            explication,
        }),
    }
}

/// The typed columns of a line, each taken once (no copy of its text).
struct Valeurs(Vec<(&'static Colonne, Valeur)>);

impl Valeurs {
    fn prendre_colonne(&mut self, cle: &str) -> Option<(&'static Colonne, Valeur)> {
        let i = self.0.iter().position(|(c, _)| c.cle == cle)?;
        Some(self.0.swap_remove(i))
    }

    fn prendre(&mut self, cle: &str) -> Option<Valeur> {
        self.prendre_colonne(cle).map(|(_, v)| v)
    }

    fn texte(&mut self, cle: &str) -> Option<String> {
        match self.prendre(cle)? {
            Valeur::Texte(t) => Some(t),
            _ => None,
        }
    }

    fn code(&mut self, cle: &str) -> Option<Code> {
        match self.prendre_colonne(cle)? {
            (Colonne { genre: Genre::Choix(liste), .. }, Valeur::Texte(t)) => Code::parmi(&t, liste),
            _ => None,
        }
    }
}

/// The message for a required key absent from the dossier; `conseil` says where to add it.
pub fn absente(c: &schema::Champ, conseil: &str) -> String {
    format!("clé obligatoire « {} » absente ({}) ; {conseil}", c.cle, c.aide.trim_end_matches('.'))
}

/// Reports every required scalar key that is neither given nor rejected; `message` says it,
/// given its field and its section (`None` for a top-level key), usually with `absente`.
pub fn manquants(
    dossier: &mut Dossier,
    saisies: &mut Vec<Saisie>,
    message: impl Fn(&schema::Champ, Option<&str>) -> String,
) {
    for c in schema::champs::CHAMPS.iter().filter(|c| c.requis) {
        if dossier.champs.contains_key(c.cle) || dossier.champs_rejetes.contains(c.cle) {
            continue;
        }
        let section = c.cle.split_once('.').map(|(s, _)| s);
        if section.is_some_and(|s| dossier.champs_rejetes.contains(s)) {
            continue;
        }
        saisies.push(Saisie {
            regle: CHAMP_MANQUANT,
            message: message(c, section),
            champ: c.cle.to_string(),
            etendue: None,
        });
    }
}
