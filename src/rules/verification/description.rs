//! What each rule kind tests, in French, with its parameters (`fnp explain`, docs/rules.md).

use rust_decimal::Decimal;

use super::{Absence, Verification};

fn liste_fr(v: &[String]) -> String {
    v.iter().map(|x| format!("« {x} »")).collect::<Vec<_>>().join(", ")
}

impl Verification {
    /// What the check tests, in French, with its parameters (for `fnp explain`).
    pub fn description(&self) -> String {
        use crate::model::montant::format_nombre_fr as n;
        use Verification as V;
        match self {
            V::TypeAction => "l'axe et le volet existent, et le type d'action appartient à ce volet".into(),
            V::BooleensRequis { champs } => format!("{} doi(ven)t valoir true (absent = false)", liste_fr(champs)),
            V::BooleensSignales { champs } => format!("se déclenche si {} vaut true", liste_fr(champs)),
            V::Intervalle { min, max, si_absent } => {
                let mut parties = Vec::new();
                if let Some(b) = min {
                    parties.push(format!("« {} » au moins {}", b.champ, n(b.valeur)));
                }
                if let Some(b) = max {
                    parties.push(format!("« {} » au plus {}", b.champ, n(b.valeur)));
                }
                let absent = match si_absent {
                    Absence::Signaler => "une valeur absente est signalée",
                    Absence::Ignorer => "ne s'applique pas si la valeur est absente",
                };
                format!("{} ; {absent}", parties.join(" et "))
            }
            V::Valeurs { champ, autorisees: Some(a), .. } => format!("« {champ} » parmi {}", liste_fr(a)),
            V::Valeurs { champ, interdites, .. } => {
                format!("« {champ} » ne vaut pas {}", liste_fr(interdites.as_deref().unwrap_or_default()))
            }
            V::ListeContient { champ, tous, un_parmi } => {
                let mut parties = Vec::new();
                if !tous.is_empty() {
                    parties.push(format!("contient {}", liste_fr(tous)));
                }
                if !un_parmi.is_empty() {
                    parties.push(format!("contient au moins l'un de {}", liste_fr(un_parmi)));
                }
                format!("la liste « {champ} » {}", parties.join(" et "))
            }
            V::ListeDans { champ, autorisees } => {
                format!("la liste « {champ} » est renseignée et chacun de ses éléments est parmi {}", liste_fr(autorisees))
            }
            V::ListeNonVide { champ } => format!("la liste « {champ} » est renseignée et non vide"),
            V::DatesDans { du, au } => {
                format!("l'action commence au plus tôt le {} et finit au plus tard le {}", du.fr(), au.fr())
            }
            V::Toujours => "se déclenche toujours pour les actions de sa portée".into(),
            V::IndicateursRequis { indicateurs } => format!("indicateurs renseignés : {}", liste_fr(indicateurs)),
            V::Comparaison { gauche, droite } => {
                format!("« {gauche} » ne dépasse pas « {droite} » (quand les deux sont donnés)")
            }
            V::Gratuite => {
                "l'action est gratuite pour les familles (gratuit, ou aucune participation des familles)".into()
            }
            V::GratuiteContradictoire => "gratuit = true exclut toute participation des familles".into(),
            V::Periode => "la période de l'action est ordonnée et rejoint l'année de l'exercice".into(),
            V::Siret { .. } => "un SIRET donné a 14 chiffres et une clé de contrôle juste".into(),
            V::FinanceCaf { financeurs, champ } => {
                format!("des recettes {} au-dessus de 0 demandent « {champ} » = true", liste_fr(financeurs))
            }
            V::PersonnelFinanceCaf { financeurs, champ } => format!(
                "une dépense de personnel comptée éligible, quand le porteur est financé par ailleurs par la Caf (« {champ} » vrai, ou des recettes {} au-dessus de 0) : un rappel, une fois par dossier",
                liste_fr(financeurs)
            ),
            V::Equilibre => "total des charges = total des produits".into(),
            V::DemandePresente => "une demande au FNP est inscrite, au-dessus de 0".into(),
            V::Plafond { taux_pourcentage, dispositifs_exclus, volets_dispositifs, financeurs_caf, .. } => format!(
                "financement Caf ({}) au plus {} % du budget, hors lignes {} en volet {} (ailleurs l'étiquette est sans effet)",
                liste_fr(financeurs_caf),
                n(*taux_pourcentage),
                liste_fr(dispositifs_exclus),
                volets_dispositifs.as_deref().map_or_else(|| "tous".to_string(), liste_fr)
            ),
            V::DemandeEligible => "demande FNP au plus égale au total des dépenses éligibles".into(),
            V::DepensesEligibles { eligibles, defaut, comptes_non_eligibles } => {
                let mut t: Vec<String> = eligibles.iter().map(|(v, l)| format!("{v} : {}", l.join(", "))).collect();
                t.push(format!("autres volets : {}", defaut.join(", ")));
                format!(
                    "natures éligibles par volet — {} ; jamais éligibles : les comptes commençant par {}",
                    t.join(" ; "),
                    liste_fr(comptes_non_eligibles)
                )
            }
            V::Personnel { nature, champ_porteur: None, champ_ligne, .. } => format!(
                "une dépense « {nature} » n'est éligible qu'avec « {champ_ligne} » = true, quel que soit le financement du porteur"
            ),
            V::Personnel { nature, champ_porteur: Some(champ_porteur), financeurs, champ_ligne } => format!(
                "une dépense « {nature} » d'un porteur déjà financé par la Caf (« {champ_porteur} » vrai, ou des recettes {} au-dessus de 0) n'est éligible qu'avec « {champ_ligne} » = true (lecture d'avant les règles v4)",
                liste_fr(financeurs)
            ),
            V::CompteContribution { comptes } => format!(
                "une dépense sur un compte commençant par {} est une contribution en nature, pas une charge : elle sort des dépenses éligibles et de la base du plafond",
                liste_fr(comptes)
            ),
            V::DispositifDemande => "la ligne de la demande au FNP ne porte pas d'étiquette « dispositif »".into(),
            V::DispositifHorsLieu => {
                "une étiquette « dispositif » (laep, clas) n'a d'effet que dans un lieu ressource ; ailleurs elle est signalée et ignorée".into()
            }
            V::PersonnelJustificatif => {
                "une dépense de personnel comptée grâce à la hausse du temps de travail nomme son justificatif".into()
            }
            V::Saisie => "constat produit par la lecture du dossier".into(),
            V::BilanEquilibre => "bilan (fnp bilan) : total des charges réalisées = total des produits réalisés".into(),
            V::BilanPlafond => {
                "bilan (fnp bilan) : le financement Caf réalisé reste sous le plafond de la règle « plafond » en vigueur, calculé sur le budget réalisé".into()
            }
            V::BilanEcartExplique { seuil_pourcentage, seuil_euros } => format!(
                "bilan (fnp bilan) : une ligne dont le réalisé s'écarte du prévu de plus de {} porte une explication",
                seuils_fr(*seuil_pourcentage, *seuil_euros)
            ),
            V::BilanIndicateursRealises => {
                "bilan (fnp bilan) : chaque indicateur prévu dans [indicateurs] a sa valeur atteinte dans [indicateurs_realises]".into()
            }
            V::BilanIndicateurEcart { seuil_pourcentage } => format!(
                "bilan (fnp bilan) : un indicateur atteint à plus de {}\u{a0}% sous sa valeur prévue est expliqué dans le commentaire du bilan ([bilan] commentaire)",
                crate::model::montant::format_nombre_fr(*seuil_pourcentage)
            ),
            V::BilanDepensesEligibles => {
                "bilan (fnp bilan) : aucune dépense réalisée (realise au-dessus de 0) d'une nature ou d'un compte non éligibles selon la règle « depenses-eligibles » en vigueur, ni de personnel sans hausse du temps de travail (règle « personnel »)".into()
            }
        }
    }
}

/// The thresholds of a gap in French: `15 %`, `100,00 €`, `15 % et 100,00 €`.
pub fn seuils_fr(seuil_pourcentage: Option<Decimal>, seuil_euros: Option<Decimal>) -> String {
    use crate::model::montant::{format_decimal_fr, format_nombre_fr};
    let mut parties = Vec::new();
    if let Some(s) = seuil_pourcentage {
        parties.push(format!("{}\u{a0}%", format_nombre_fr(s)));
    }
    if let Some(s) = seuil_euros {
        parties.push(format!("{}\u{a0}€", format_decimal_fr(s, 2)));
    }
    parties.join(" et ")
}
