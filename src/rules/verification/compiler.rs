//! Compiling a rule kind from its name and the pack's parameters: each kind's parameters,
//! checked for their meaning (a percentage within 0–100, an amount under a billion euros).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Absence, Borne, MONTANT_MAXIMAL, NOMS, Verification, decimal_exact, decimal_exact_option};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PChamps {
    champs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PIntervalle {
    min: Option<Borne>,
    max: Option<Borne>,
    #[serde(default)]
    si_absent: Absence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PValeurs {
    champ: String,
    autorisees: Option<Vec<String>>,
    interdites: Option<Vec<String>>,
    #[serde(default)]
    si_absent: Absence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PListe {
    champ: String,
    #[serde(default)]
    tous: Vec<String>,
    #[serde(default)]
    un_parmi: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PListeDans {
    champ: String,
    autorisees: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PChamp {
    champ: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PDates {
    du: toml::value::Datetime,
    au: toml::value::Datetime,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PComptes {
    comptes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PIndicateurs {
    indicateurs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PComparaison {
    gauche: String,
    droite: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PSiret {
    siren_la_poste: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PFinanceCaf {
    financeurs: Vec<String>,
    champ: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PPlafond {
    taux_pourcentage: i64,
    dispositifs_exclus: Vec<String>,
    /// Absent in packs written before rules v2: tags then take effect in every volet.
    volets_dispositifs: Option<Vec<String>>,
    financeurs_caf: Vec<String>,
    financeur_demande: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PEligibles {
    eligibles: BTreeMap<String, Vec<String>>,
    defaut: Vec<String>,
    #[serde(default)]
    comptes_non_eligibles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PPersonnel {
    nature: String,
    champ_porteur: Option<String>,
    #[serde(default)]
    financeurs: Vec<String>,
    champ_ligne: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PEcart {
    #[serde(default, deserialize_with = "decimal_exact_option")]
    seuil_pourcentage: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal_exact_option")]
    seuil_euros: Option<Decimal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PEcartIndicateur {
    #[serde(deserialize_with = "decimal_exact")]
    seuil_pourcentage: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rien {}

fn params<T: for<'de> Deserialize<'de>>(t: &toml::Table) -> Result<T, String> {
    toml::Value::Table(t.clone()).try_into::<T>().map_err(|e| {
        format!("paramètres invalides : {}", crate::rules::chargement::traduire_schema(e.message().trim()))
    })
}

impl Verification {
    /// Builds a check from its kind name and parameters.
    pub fn compiler(nom: &str, p: &toml::Table) -> Result<Verification, String> {
        use Verification as V;
        Ok(match nom {
            "type-action" => params::<Rien>(p).map(|_| V::TypeAction)?,
            "booleens-requis" => V::BooleensRequis { champs: params::<PChamps>(p)?.champs },
            "booleens-signales" => V::BooleensSignales { champs: params::<PChamps>(p)?.champs },
            "intervalle" => {
                let x: PIntervalle = params(p)?;
                if x.min.is_none() && x.max.is_none() {
                    return Err("« intervalle » demande au moins une borne min ou max".into());
                }
                // Every number a scope bounds is a count, an age, a year or a share of
                // time: none is negative, and none reaches a billion.
                if let Some(b) =
                    x.min.iter().chain(x.max.iter()).find(|b| b.valeur.is_sign_negative() && !b.valeur.is_zero())
                {
                    return Err(format!(
                        "borne {} négative pour « {} » : un nombre du dossier (effectif, séances, âge…) n'est jamais négatif",
                        b.valeur.normalize(),
                        b.champ
                    ));
                }
                if let Some(b) = x.min.iter().chain(x.max.iter()).find(|b| b.valeur > MONTANT_MAXIMAL) {
                    return Err(format!(
                        "borne {} pour « {} » au-delà d'un milliard : aucun nombre d'un dossier ne l'atteint",
                        b.valeur.normalize(),
                        b.champ
                    ));
                }
                V::Intervalle { min: x.min, max: x.max, si_absent: x.si_absent }
            }
            "valeurs" => {
                let x: PValeurs = params(p)?;
                if x.autorisees.is_none() == x.interdites.is_none() {
                    return Err("« valeurs » demande soit « autorisees », soit « interdites »".into());
                }
                V::Valeurs {
                    champ: x.champ,
                    autorisees: x.autorisees,
                    interdites: x.interdites,
                    si_absent: x.si_absent,
                }
            }
            "liste-contient" => {
                let x: PListe = params(p)?;
                V::ListeContient { champ: x.champ, tous: x.tous, un_parmi: x.un_parmi }
            }
            "liste-dans" => {
                let x: PListeDans = params(p)?;
                V::ListeDans { champ: x.champ, autorisees: x.autorisees }
            }
            "liste-non-vide" => V::ListeNonVide { champ: params::<PChamp>(p)?.champ },
            "dates-dans" => {
                let x: PDates = params(p)?;
                let date = |d: &toml::value::Datetime| match (d.date, d.time) {
                    (Some(j), None) => crate::model::Date::new(i32::from(j.year), j.month, j.day)
                        .ok_or_else(|| format!("date {d} invalide")),
                    _ => Err(format!("« {d} » : une date sans heure est attendue (AAAA-MM-JJ)")),
                };
                let (du, au) = (date(&x.du)?, date(&x.au)?);
                if du > au {
                    return Err(format!("« dates-dans » : du ({}) est après au ({})", du.fr(), au.fr()));
                }
                V::DatesDans { du, au }
            }
            "toujours" => params::<Rien>(p).map(|_| V::Toujours)?,
            "indicateurs-requis" => V::IndicateursRequis { indicateurs: params::<PIndicateurs>(p)?.indicateurs },
            "comparaison" => {
                let x: PComparaison = params(p)?;
                V::Comparaison { gauche: x.gauche, droite: x.droite }
            }
            "gratuite" => params::<Rien>(p).map(|_| V::Gratuite)?,
            "gratuite-contradictoire" => params::<Rien>(p).map(|_| V::GratuiteContradictoire)?,
            "periode" => params::<Rien>(p).map(|_| V::Periode)?,
            "siret" => V::Siret { siren_la_poste: params::<PSiret>(p)?.siren_la_poste },
            "finance-caf" => {
                let x: PFinanceCaf = params(p)?;
                V::FinanceCaf { financeurs: x.financeurs, champ: x.champ }
            }
            "personnel-finance-caf" => {
                let x: PFinanceCaf = params(p)?;
                V::PersonnelFinanceCaf { financeurs: x.financeurs, champ: x.champ }
            }
            "equilibre" => params::<Rien>(p).map(|_| V::Equilibre)?,
            "demande-presente" => params::<Rien>(p).map(|_| V::DemandePresente)?,
            "plafond" => {
                let x: PPlafond = params(p)?;
                if !(0..=100).contains(&x.taux_pourcentage) {
                    return Err(format!("taux_pourcentage {} hors de 0 à 100", x.taux_pourcentage));
                }
                V::Plafond {
                    taux_pourcentage: Decimal::from(x.taux_pourcentage),
                    dispositifs_exclus: x.dispositifs_exclus,
                    volets_dispositifs: x.volets_dispositifs,
                    financeurs_caf: x.financeurs_caf,
                    financeur_demande: x.financeur_demande,
                }
            }
            "demande-eligible" => params::<Rien>(p).map(|_| V::DemandeEligible)?,
            "depenses-eligibles" => {
                let x: PEligibles = params(p)?;
                V::DepensesEligibles {
                    eligibles: x.eligibles,
                    defaut: x.defaut,
                    comptes_non_eligibles: x.comptes_non_eligibles,
                }
            }
            "personnel" => {
                let x: PPersonnel = params(p)?;
                V::Personnel {
                    nature: x.nature,
                    champ_porteur: x.champ_porteur,
                    financeurs: x.financeurs,
                    champ_ligne: x.champ_ligne,
                }
            }
            "personnel-justificatif" => params::<Rien>(p).map(|_| V::PersonnelJustificatif)?,
            "compte-contribution" => V::CompteContribution { comptes: params::<PComptes>(p)?.comptes },
            "dispositif-demande" => params::<Rien>(p).map(|_| V::DispositifDemande)?,
            "dispositif-hors-lieu" => params::<Rien>(p).map(|_| V::DispositifHorsLieu)?,
            "saisie" => params::<Rien>(p).map(|_| V::Saisie)?,
            "bilan-equilibre" => params::<Rien>(p).map(|_| V::BilanEquilibre)?,
            "bilan-plafond" => params::<Rien>(p).map(|_| V::BilanPlafond)?,
            "bilan-ecart-explique" => {
                let x: PEcart = params(p)?;
                if x.seuil_pourcentage.is_none() && x.seuil_euros.is_none() {
                    return Err(
                        "« bilan-ecart-explique » demande au moins un seuil : seuil_pourcentage ou seuil_euros".into(),
                    );
                }
                if let Some(n) =
                    [x.seuil_pourcentage, x.seuil_euros].into_iter().flatten().find(|s| s.is_sign_negative())
                {
                    return Err(format!("seuil {n} négatif : un seuil d'écart est positif ou nul"));
                }
                if let Some(s) = x.seuil_pourcentage.filter(|s| *s > Decimal::ONE_HUNDRED) {
                    return Err(format!(
                        "seuil_pourcentage {} hors de 0 à 100 : c'est un pourcentage du montant prévu",
                        s.normalize()
                    ));
                }
                if let Some(s) = x.seuil_euros.filter(|s| *s > MONTANT_MAXIMAL) {
                    return Err(format!(
                        "seuil_euros {} au-delà d'un milliard d'euros : aucun montant d'un dossier ne l'atteint",
                        s.normalize()
                    ));
                }
                V::BilanEcartExplique { seuil_pourcentage: x.seuil_pourcentage, seuil_euros: x.seuil_euros }
            }
            "bilan-indicateurs-realises" => params::<Rien>(p).map(|_| V::BilanIndicateursRealises)?,
            "bilan-indicateur-ecart" => {
                let x: PEcartIndicateur = params(p)?;
                let s = x.seuil_pourcentage;
                if s.is_sign_negative() || s > Decimal::ONE_HUNDRED {
                    return Err(format!(
                        "seuil_pourcentage {} hors de 0 à 100 : c'est un pourcentage de la valeur prévue",
                        s.normalize()
                    ));
                }
                V::BilanIndicateurEcart { seuil_pourcentage: s }
            }
            "bilan-depenses-eligibles" => params::<Rien>(p).map(|_| V::BilanDepensesEligibles)?,
            autre => {
                return Err(format!(
                    "vérification « {autre} » inconnue ; vérifications possibles : {}",
                    NOMS.join(", ")
                ));
            }
        })
    }
}
