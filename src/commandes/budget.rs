//! `fnp budget PATH`: the budget as the Caf reads it.

use std::io::Write;
use std::path::PathBuf;

use crate::budget::cerfa;
use crate::budget::sortie::{self, EnTete};
use crate::{Erreur, charger_regles, code};

/// Output format of `fnp budget`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatBudget {
    Table,
    Markdown,
    Csv,
    Json,
}

#[derive(Debug, Clone)]
pub struct BudgetSettings {
    pub chemin: PathBuf,
    pub format: FormatBudget,
    pub regles: Option<PathBuf>,
}

pub fn executer(s: &BudgetSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let regles = charger_regles(s.regles.as_deref())?;
    let d = super::lire_un(&s.chemin, &regles)?;
    super::exiger_budget_complet(&d)?;
    let parametres = regles.parametres_pour(&d.lu.dossier);
    let chiffres = crate::budget::calculer(&d.lu.dossier, &parametres);
    let presente = cerfa::presenter(&d.lu.dossier, &chiffres, &parametres, &regles.plan);
    let en_tete = EnTete::de(&d.source, &d.lu.dossier);
    let ecrit = match s.format {
        // The text formats show no control character of the dossier's (report::visible).
        FormatBudget::Table => sortie::table(&en_tete, &presente, &mut crate::report::visible::Visible::new(out)),
        FormatBudget::Markdown => sortie::markdown(&en_tete, &presente, &mut crate::report::visible::Visible::new(out)),
        FormatBudget::Csv => sortie::csv(&en_tete, &presente, out),
        FormatBudget::Json => sortie::json(&en_tete, &presente, out),
    };
    crate::ecrire_sans_tuyau_casse(ecrit.and_then(|()| out.flush()))?;
    Ok(code::OK)
}
