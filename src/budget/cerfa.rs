//! The budget laid out as in the Cerfa n°12156 form: expenses by account class, income by
//! funder, contributions in kind (86/87), and the figures of the fund in their own box.
//! The layout (accounts, classes, funder groups) is data: `rules/cerfa.toml`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Budget, Eligibilite, Parametres};
use crate::model::schema;
use crate::model::{Dossier, Montant};
use crate::rules::invalide::PackInvalide;

pub const EMBARQUE: &str = include_str!("../../rules/cerfa.toml");
pub const NOM_FICHIER: &str = "cerfa.toml";

/// The layout, as loaded from `cerfa.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Default account of each expense nature.
    pub natures: BTreeMap<String, String>,
    /// Labels of usual accounts.
    #[serde(default)]
    pub comptes: BTreeMap<String, String>,
    pub charges: Vec<Classe>,
    pub produits: Vec<GroupeBrut>,
    pub contributions: BTreeMap<String, Contribution86>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classe {
    pub code: String,
    pub libelle: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupeBrut {
    pub code: String,
    pub libelle: String,
    /// Funder → label, in display order.
    pub financeurs: toml::Table,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution86 {
    pub emploi: String,
    pub ressource: String,
}

impl Plan {
    /// Loads and checks a layout: every nature, funder and contribution nature of the
    /// format must be placed, once.
    pub fn charger(texte: &str, fichier: &str) -> Result<Plan, PackInvalide> {
        let plan: Plan = toml::from_str(texte).map_err(|e| PackInvalide {
            fichier: fichier.to_string(),
            ligne: e.span().map(|s| crate::lecture::ligne_colonne(texte, s.start).0),
            message: format!("présentation du budget invalide : {}", e.message().trim()),
        })?;
        plan.verifier(fichier)
    }

    /// The embedded layout, from the JSON build.rs prepared from `cerfa.toml`: the same
    /// tables, then the same checks as [`Plan::charger`].
    pub fn charger_prepare(json: &str, fichier: &str) -> Result<Plan, PackInvalide> {
        let plan: Plan =
            serde_json::from_str(json).map_err(|e| crate::rules::invalide::prepare_invalide(fichier, &e))?;
        plan.verifier(fichier)
    }

    fn verifier(self, fichier: &str) -> Result<Plan, PackInvalide> {
        let plan = self;
        let invalide =
            |ligne: Option<usize>, message: String| PackInvalide { fichier: fichier.to_string(), ligne, message };
        for n in schema::NATURES_DEPENSE {
            let compte =
                plan.natures.get(*n).ok_or_else(|| invalide(None, format!("[natures] : « {n} » sans compte")))?;
            if plan.classe_de(compte).is_none() {
                return Err(invalide(
                    None,
                    format!("[natures] : le compte « {compte} » de « {n} » n'a pas de classe dans [[charges]]"),
                ));
            }
        }
        for f in schema::FINANCEURS {
            let n = plan.produits.iter().filter(|g| g.financeurs.contains_key(*f)).count();
            if n != 1 {
                return Err(invalide(
                    None,
                    format!("[[produits]] : le financeur « {f} » apparaît {n} fois (il faut exactement 1)"),
                ));
            }
        }
        for g in &plan.produits {
            for (f, v) in &g.financeurs {
                if !schema::FINANCEURS.contains(&f.as_str()) || !v.is_str() {
                    return Err(invalide(
                        None,
                        format!("[[produits]] {} : financeur « {f} » inconnu ou sans libellé", g.code),
                    ));
                }
            }
        }
        for c in schema::NATURES_CONTRIBUTION {
            if !plan.contributions.contains_key(*c) {
                return Err(invalide(None, format!("[contributions] : « {c} » manque")));
            }
        }
        Ok(plan)
    }

    /// The class of an account: `indirectes`, else its first two digits (`6226` → `62`),
    /// else its first digit (`2183` → `2`).
    pub fn classe_de(&self, compte: &str) -> Option<&Classe> {
        let compte = compte.trim();
        self.charges.iter().find(|c| c.code == compte).or_else(|| {
            [2, 1].into_iter().find_map(|n| {
                let tete: String = compte.chars().take(n).collect();
                (tete.chars().count() == n).then(|| self.charges.iter().find(|c| c.code == tete)).flatten()
            })
        })
    }
}

/// An expense line as presented.
#[derive(Debug, Clone, Serialize)]
pub struct LigneCharge {
    /// `depense[i]`
    pub index: usize,
    pub compte: String,
    pub compte_libelle: Option<String>,
    pub nature: String,
    pub libelle: String,
    #[serde(serialize_with = "montant_texte")]
    pub montant: Montant,
    pub dispositif: Option<String>,
    pub eligible: bool,
    /// Why the line is not eligible (French), and the rule id where there is one.
    pub motif: Option<String>,
    pub regle: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassePresentee {
    pub code: String,
    /// The account number to show (`62`), none for a group that is not an account class.
    pub numero: Option<String>,
    pub libelle: String,
    pub lignes: Vec<LigneCharge>,
    #[serde(serialize_with = "decimal_texte")]
    pub total: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneProduit {
    pub index: usize,
    pub financeur: String,
    pub financeur_libelle: String,
    pub libelle: Option<String>,
    #[serde(serialize_with = "montant_texte")]
    pub montant: Montant,
    pub statut: String,
    pub dispositif: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupePresente {
    pub code: String,
    pub numero: Option<String>,
    pub libelle: String,
    pub lignes: Vec<LigneProduit>,
    #[serde(serialize_with = "decimal_texte")]
    pub total: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneContribution {
    pub nature: String,
    pub emploi: String,
    pub ressource: String,
    pub libelle: Option<String>,
    #[serde(serialize_with = "montant_texte")]
    pub montant: Montant,
}

/// The box of the fund's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Fnp {
    #[serde(flatten)]
    pub chiffres: Budget,
    /// Ceiling rate in percent (80).
    #[serde(serialize_with = "decimal_texte")]
    pub taux_plafond: Decimal,
    /// The FNP request as a share of the expenses, in percent with 2 decimals.
    #[serde(serialize_with = "decimal_texte")]
    pub part_demande: Decimal,
    /// Income minus expenses (0 for a balanced budget).
    #[serde(serialize_with = "decimal_texte")]
    pub solde: Decimal,
}

/// The whole budget as the Cerfa shows it.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetPresente {
    pub charges: Vec<ClassePresentee>,
    #[serde(serialize_with = "decimal_texte")]
    pub total_charges: Decimal,
    pub produits: Vec<GroupePresente>,
    #[serde(serialize_with = "decimal_texte")]
    pub total_produits: Decimal,
    pub contributions: Vec<LigneContribution>,
    #[serde(serialize_with = "decimal_texte")]
    pub total_contributions: Decimal,
    pub fnp: Fnp,
}

fn montant_texte<S: serde::Serializer>(m: &Montant, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&m.brut())
}

fn decimal_texte<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::texte_deux_decimales(d))
}

fn motif(e: Eligibilite, d: &Dossier) -> (Option<String>, Option<String>) {
    match e {
        Eligibilite::Eligible => (None, None),
        Eligibilite::HorsBudgetDispositif => (Some("hors budget FNP : ligne d'un LAEP ou d'un Clas".into()), None),
        Eligibilite::CompteContribution => (
            Some("contribution volontaire en nature (compte 86/87) : pas une charge, hors dépenses éligibles et hors base du plafond".into()),
            Some("GEN-COMPTE-CONTRIBUTION".into()),
        ),
        Eligibilite::CompteIneligible => (
            Some("compte d'investissement ou d'amortissement (classe 2, 68) : jamais éligible".into()),
            Some("GEN-DEPENSE-INELIGIBLE".into()),
        ),
        Eligibilite::NatureIneligible => (
            Some(format!("nature non éligible en axe {} volet {}", opt(d.axe()), opt(d.volet()))),
            Some("GEN-DEPENSE-INELIGIBLE".into()),
        ),
        Eligibilite::PersonnelSansHausse => (
            Some("personnel sans hausse du temps de travail d'un salarié".into()),
            Some("GEN-PERSONNEL".into()),
        ),
    }
}

/// An account number is all digits; other codes (`indirectes`) are not shown as numbers.
pub fn numero(code: &str) -> Option<String> {
    (!code.is_empty() && code.bytes().all(|b| b.is_ascii_digit())).then(|| code.to_string())
}

fn opt(v: Option<i64>) -> String {
    v.map_or_else(|| "?".into(), |x| x.to_string())
}

/// Lays out a dossier's budget.
pub fn presenter(d: &Dossier, b: &Budget, p: &Parametres, plan: &Plan) -> BudgetPresente {
    let mut charges: Vec<ClassePresentee> = plan
        .charges
        .iter()
        .map(|c| ClassePresentee {
            code: c.code.clone(),
            numero: numero(&c.code),
            libelle: c.libelle.clone(),
            lignes: Vec::new(),
            total: Decimal::ZERO,
        })
        .collect();
    for (ligne, e) in d.depenses.iter().zip(&b.lignes) {
        let compte = ligne
            .compte
            .clone()
            .unwrap_or_else(|| plan.natures.get(ligne.nature.as_str()).cloned().unwrap_or_default());
        // An account outside the classes (e.g. a typo in `compte`) falls back to the nature's.
        let classe = plan
            .classe_de(&compte)
            .or_else(|| plan.natures.get(ligne.nature.as_str()).and_then(|c| plan.classe_de(c)))
            .map(|c| c.code.clone())
            .unwrap_or_default();
        let (motif, regle) = motif(*e, d);
        if let Some(c) = charges.iter_mut().find(|c| c.code == classe) {
            c.total += ligne.montant.valeur();
            c.lignes.push(LigneCharge {
                index: ligne.index,
                compte_libelle: plan.comptes.get(&compte).cloned(),
                compte,
                nature: ligne.nature.to_string(),
                libelle: ligne.libelle.clone(),
                montant: ligne.montant,
                dispositif: ligne.dispositif.map(|x| x.to_string()),
                eligible: e.compte(),
                motif,
                regle,
            });
        }
    }
    charges.retain(|c| !c.lignes.is_empty());

    let mut produits: Vec<GroupePresente> = Vec::new();
    for g in &plan.produits {
        let mut lignes = Vec::new();
        for (financeur, libelle) in &g.financeurs {
            for r in d.recettes.iter().filter(|r| r.financeur.as_str() == financeur) {
                lignes.push(LigneProduit {
                    index: r.index,
                    financeur: financeur.clone(),
                    financeur_libelle: libelle.as_str().unwrap_or(financeur).to_string(),
                    libelle: r.libelle.clone(),
                    montant: r.montant,
                    statut: r.statut.to_string(),
                    dispositif: r.dispositif.map(|x| x.to_string()),
                });
            }
        }
        if !lignes.is_empty() {
            let total = lignes.iter().map(|l| l.montant.valeur()).sum();
            produits.push(GroupePresente {
                code: g.code.clone(),
                numero: numero(&g.code),
                libelle: g.libelle.clone(),
                lignes,
                total,
            });
        }
    }

    let contributions: Vec<LigneContribution> = d
        .contributions
        .iter()
        .map(|c| {
            let comptes = plan.contributions.get(c.nature.as_str());
            LigneContribution {
                nature: c.nature.to_string(),
                emploi: comptes.map(|x| x.emploi.clone()).unwrap_or_default(),
                ressource: comptes.map(|x| x.ressource.clone()).unwrap_or_default(),
                libelle: c.libelle.clone(),
                montant: c.montant,
            }
        })
        .collect();

    let part_demande = if b.total_charges.is_zero() {
        Decimal::ZERO
    } else {
        (b.demande_fnp * Decimal::ONE_HUNDRED / b.total_charges).round_dp(2)
    };
    BudgetPresente {
        charges,
        total_charges: b.total_charges,
        produits,
        total_produits: b.total_produits,
        contributions,
        total_contributions: b.total_contributions,
        fnp: Fnp {
            chiffres: b.clone(),
            taux_plafond: (p.taux * Decimal::ONE_HUNDRED).normalize(),
            part_demande,
            solde: b.total_produits - b.total_charges,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_layout_is_valid() {
        let plan = Plan::charger(EMBARQUE, "rules/cerfa.toml").expect("valid");
        assert_eq!(plan.classe_de("6226").map(|c| c.code.as_str()), Some("62"));
        assert_eq!(plan.classe_de("indirectes").map(|c| c.code.as_str()), Some("indirectes"));
        assert!(plan.classe_de("9").is_none());
        // rules v2: a line on 864 stands under 86, an immobilisation under class 2.
        assert_eq!(plan.classe_de("864").map(|c| c.code.as_str()), Some("86"));
        assert_eq!(plan.classe_de("2183").map(|c| c.code.as_str()), Some("2"));
        assert_eq!(plan.classe_de("6811").map(|c| c.code.as_str()), Some("68"));
    }

    #[test]
    fn a_funder_placed_twice_is_refused() {
        let casse = EMBARQUE.replace("cotisations = \"Cotisations\"", "cotisations = \"Cotisations\", commune = \"x\"");
        let e = Plan::charger(&casse, "cerfa.toml").expect_err("commune twice");
        assert!(e.message.contains("commune"), "{e}");
    }
}
