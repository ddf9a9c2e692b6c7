//! The commands other than `check`, one file each.

pub mod annoter;
pub mod bilan;
pub mod budget;
pub mod check;
pub mod classeur;
pub mod depot;
pub mod dossier;
pub mod export;
pub mod impact;
pub mod init;
pub mod regles;

use std::path::Path;

use crate::Erreur;
use crate::check::Resultat;
use crate::lecture::{self, Lu};
use crate::rules::Regles;

/// One dossier read and checked, for the commands that work on a single dossier.
pub struct DossierLu {
    pub source: String,
    pub lu: Lu,
    pub resultat: Resultat,
}

/// Reads and checks one dossier; an unreadable one is an error naming the place.
pub fn lire_un(chemin: &Path, regles: &Regles) -> Result<DossierLu, Erreur> {
    let source = lecture::nom_affiche(chemin);

    let lu = lecture::lire(chemin, &source).map_err(|e| Erreur::Autre(e.detail()))?;
    let resultat = crate::bilan::verifier(&source, &lu, regles);
    Ok(DossierLu { source, lu, resultat })
}

/// The budget needs every budget line: say which ones could not be read.
pub fn exiger_budget_complet(d: &DossierLu) -> Result<(), Erreur> {
    if !d.lu.dossier.lignes_rejetees {
        return Ok(());
    }
    let details: Vec<String> = d
        .resultat
        .constats
        .iter()
        .filter(|c| {
            c.emplacement
                .champ
                .as_deref()
                .is_some_and(|ch| crate::model::schema::LIGNES.iter().any(|l| ch.starts_with(l)))
        })
        .map(|c| format!("  {} : {}", c.emplacement.lieu(), c.message))
        .collect();
    Err(Erreur::Autre(format!(
        "le budget ne peut pas être établi : des lignes du budget sont illisibles (voir fnp check {}) :\n{}",
        d.source,
        details.join("\n")
    )))
}
