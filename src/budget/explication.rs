//! Why the FNP amount is what it is, in one sentence (issue 32, « the figures explain
//! themselves »): when the eligible total, not the Caf ceiling, bounds it, the lines left out
//! of the eligible total are named with what to do.

use super::{Budget, Eligibilite, Parametres, sortie::euros};
use crate::model::Dossier;
use crate::model::schema::{libelle_de, libelle_valeur};

/// Lines named one by one; the others are counted.
const LIGNES_NOMMEES: usize = 3;

impl Budget {
    /// What the ceiling leaves to the request: the Caf ceiling less the other Caf funding.
    pub fn plafond_demande(&self) -> rust_decimal::Decimal {
        self.plafond_caf - (self.financement_caf - self.demande_fnp)
    }

    /// Whether the eligible total, not the ceiling, bounds the FNP amount, lines of the
    /// budget being left out of it.
    pub fn limite_par_eligibles(&self) -> bool {
        self.total_eligible < self.plafond_demande() && self.lignes.iter().any(|e| non_comptee(*e))
    }
}

/// A line in the budget (and the ceiling's base) but not in the eligible total.
fn non_comptee(e: Eligibilite) -> bool {
    e.dans_la_base() && !e.compte()
}

/// The sentence, when the eligible total bounds the FNP amount; `None` otherwise. `classeur`:
/// the words of the workbook (labels, « oui »), else those of a TOML file (keys, `true`).
pub fn explication(d: &Dossier, b: &Budget, p: &Parametres, classeur: bool) -> Option<String> {
    if !b.limite_par_eligibles() {
        return None;
    }
    let lignes: Vec<_> =
        d.depenses.iter().zip(&b.lignes).filter(|(_, e)| non_comptee(**e)).map(|(l, e)| (l, *e)).collect();
    let total: rust_decimal::Decimal = lignes.iter().map(|(l, _)| l.montant.valeur()).sum();
    let mut noms: Vec<String> = lignes
        .iter()
        .take(LIGNES_NOMMEES)
        .map(|(l, e)| {
            let raison = match e {
                Eligibilite::PersonnelSansHausse => "salaire sans hausse du temps de travail".to_string(),
                Eligibilite::CompteIneligible => format!(
                    "compte {} d'investissement ou d'amortissement, jamais éligible",
                    l.compte.as_deref().unwrap_or_default().trim()
                ),
                _ => format!(
                    "nature « {} » non éligible dans ce volet",
                    libelle_valeur("depense.nature", l.nature.as_str())
                ),
            };
            format!("« {} » ({}, {raison})", l.libelle.trim(), euros(l.montant.valeur()))
        })
        .collect();
    if lignes.len() > LIGNES_NOMMEES {
        let reste = &lignes[LIGNES_NOMMEES..];
        let montant: rust_decimal::Decimal = reste.iter().map(|(l, _)| l.montant.valeur()).sum();
        let n = reste.len();
        noms.push(format!("et {n} autre{} ligne{} ({})", s(n), s(n), euros(montant)));
    }
    let mut phrase = format!(
        "Le montant FNP finançable ({}) est limité par les dépenses éligibles, pas par le plafond Caf ({}) : {} de dépenses ne sont pas comptés, {}.",
        euros(b.montant_max_fnp),
        euros(b.plafond_demande()),
        euros(total),
        noms.join(", ")
    );
    if lignes.iter().any(|(_, e)| *e == Eligibilite::PersonnelSansHausse) {
        let cle = &p.personnel_champ_ligne;
        phrase.push_str(&if classeur {
            format!(
                " Pour un salaire : répondez « oui » à « {} » sur sa ligne si l'action augmente le temps de travail d'un salarié.",
                libelle_de(&format!("depense.{cle}")).unwrap_or(cle)
            )
        } else {
            format!(" Pour un salaire : indiquez {cle} = true sur sa ligne si l'action augmente le temps de travail d'un salarié.")
        });
    }
    Some(phrase)
}

fn s(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}
