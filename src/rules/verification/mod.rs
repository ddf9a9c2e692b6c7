//! The closed set of rule kinds. Each kind takes its parameters from the pack
//! (`parametres`, compiled in `compiler.rs`), names the variables its messages may use, and
//! says in French what it tests (`description.rs`).

mod compiler;
pub mod description;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

/// What a rule does when the value it tests is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Absence {
    /// Fire with the `absent` message (a value the scope needs).
    #[default]
    Signaler,
    /// Do not run (an optional value).
    Ignorer,
}

/// One bound of an interval check.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Borne {
    pub champ: String,
    /// Decimal written as a TOML integer or a string (`"0.5"`), never a binary float.
    #[serde(deserialize_with = "decimal_exact")]
    pub valeur: Decimal,
}

/// An optional decimal parameter, written as [`decimal_exact`] reads it.
pub(super) fn decimal_exact_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    decimal_exact(d).map(Some)
}

pub(super) fn decimal_exact<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Brut {
        Entier(i64),
        Texte(String),
    }
    match Brut::deserialize(d)? {
        Brut::Entier(n) => Ok(Decimal::from(n)),
        Brut::Texte(t) => t
            .parse::<Decimal>()
            .map_err(|_| serde::de::Error::custom(format!("« {t} » n'est pas un nombre décimal (écrivez \"0.5\")"))),
    }
}

/// The largest amount a parameter may give: a billion euros, the bound of every amount of a
/// dossier (`Montant`). A parameter above it has no meaning, and the arithmetic on it could
/// overflow.
const MONTANT_MAXIMAL: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// The kinds of check.
#[derive(Debug, Clone, PartialEq)]
pub enum Verification {
    /// The axe/volet exists and the type belongs to it (the pack's `[volets]`).
    TypeAction,
    /// Each of these booleans must be true (absent is false); one finding naming those that are not.
    BooleensRequis { champs: Vec<String> },
    /// Fires when any of these booleans is true.
    BooleensSignales { champs: Vec<String> },
    /// A number must stay within bounds, each bound on its own field.
    Intervalle { min: Option<Borne>, max: Option<Borne>, si_absent: Absence },
    /// A text value must be one of `autorisees`, or none of `interdites`.
    Valeurs { champ: String, autorisees: Option<Vec<String>>, interdites: Option<Vec<String>>, si_absent: Absence },
    /// A list must hold all of `tous` and at least one of `un_parmi`; absent is empty.
    ListeContient { champ: String, tous: Vec<String>, un_parmi: Vec<String> },
    /// A list must be given, not empty, and every element be one of `autorisees`.
    ListeDans { champ: String, autorisees: Vec<String> },
    /// A list must be given and not empty.
    ListeNonVide { champ: String },
    /// The action's dates stay within `[du, au]`.
    DatesDans { du: crate::model::Date, au: crate::model::Date },
    /// Fires whenever the rule's scope covers the dossier.
    Toujours,
    /// One finding naming the indicators the dossier lacks.
    IndicateursRequis { indicateurs: Vec<String> },
    /// `gauche <= droite` when both are given.
    Comparaison { gauche: String, droite: String },
    /// The action is free for families.
    Gratuite,
    /// `gratuit = true` is written while families pay.
    GratuiteContradictoire,
    /// The period is ordered and overlaps the exercice.
    Periode,
    /// A given SIRET is 14 digits with a valid Luhn key.
    Siret { siren_la_poste: String },
    /// Income from `financeurs` above 0 requires the bearer's flag `champ` (packs written
    /// before rules v4).
    FinanceCaf { financeurs: Vec<String>, champ: String },
    /// Rules v4: a staff line counted as eligible, in the dossier of a bearer funded by the
    /// Caf otherwise (its flag `champ` true, or income from `financeurs` above 0): one
    /// reminder naming the counted staff lines and what shows the other funding.
    PersonnelFinanceCaf { financeurs: Vec<String>, champ: String },
    /// Expenses equal income.
    Equilibre,
    /// A request to the fund is present and above 0.
    DemandePresente,
    /// The Caf funding stays under the ceiling; also the ceiling's parameters for the budget.
    Plafond {
        taux_pourcentage: Decimal,
        dispositifs_exclus: Vec<String>,
        /// Where tags take effect (`None`: every volet, as packs before rules v2).
        volets_dispositifs: Option<Vec<String>>,
        financeurs_caf: Vec<String>,
        financeur_demande: String,
    },
    /// The request does not exceed the eligible expenses.
    DemandeEligible,
    /// Expense natures eligible by volet (`eligibles`), else `defaut`; accounts never eligible.
    DepensesEligibles {
        eligibles: BTreeMap<String, Vec<String>>,
        defaut: Vec<String>,
        comptes_non_eligibles: Vec<String>,
    },
    /// Personnel lines count only with increased working time (`champ_ligne`), whatever the
    /// bearer's funding (rules v4). A pack written before rules v4 names the bearer's flag
    /// (`champ_porteur`) and Caf funders (`financeurs`): the condition then holds only for a
    /// bearer already funded by the Caf, as it was read.
    Personnel { nature: String, champ_porteur: Option<String>, financeurs: Vec<String>, champ_ligne: String },
    /// Expense lines on accounts of contributions in kind (86/87): not expenses.
    CompteContribution { comptes: Vec<String> },
    /// The request line carries a `dispositif` tag.
    DispositifDemande,
    /// A line carries a `dispositif` tag in a volet where tags take no effect.
    DispositifHorsLieu,
    /// Personnel lines counted through increased working time should name their proof.
    PersonnelJustificatif,
    /// Produced by the readers or the engine itself (`SAISIE-*`, `LECTURE`, `REGLES-EXERCICE`):
    /// the pack gives its severity, title and source.
    Saisie,
    // The kinds of the bilan (`fnp bilan` only, never `fnp check`): they read the actual
    // side of the dossier (`realise`, `[indicateurs_realises]`).
    /// Bilan: the actual expenses equal the actual income (a complete bilan only).
    BilanEquilibre,
    /// Bilan: the actual Caf funding stays under the ceiling of the `plafond` rule in force,
    /// computed on the actual budget (a complete bilan only).
    BilanPlafond,
    /// Bilan: a reported line whose actual departs from its planned amount by more than every
    /// given threshold carries an `explication`.
    BilanEcartExplique { seuil_pourcentage: Option<Decimal>, seuil_euros: Option<Decimal> },
    /// Bilan: every planned indicator (`[indicateurs]`) has its value reached.
    BilanIndicateursRealises,
    /// Bilan: an indicator reached below its planned value by more than `seuil_pourcentage`
    /// percent is explained in the bilan's comment (`bilan.commentaire`).
    BilanIndicateurEcart { seuil_pourcentage: Decimal },
    /// Bilan: actual expenses (`realise` above 0) that are not eligible by the
    /// `depenses-eligibles` rule in force (their nature in the volet, or their account), or
    /// (rules v4) by the `personnel` rule (staff without increased working time).
    BilanDepensesEligibles,
}

/// The kinds and their names in packs.
pub const NOMS: &[&str] = &[
    "type-action",
    "booleens-requis",
    "booleens-signales",
    "intervalle",
    "valeurs",
    "liste-contient",
    "liste-dans",
    "liste-non-vide",
    "dates-dans",
    "toujours",
    "indicateurs-requis",
    "comparaison",
    "gratuite",
    "gratuite-contradictoire",
    "periode",
    "siret",
    "finance-caf",
    "personnel-finance-caf",
    "equilibre",
    "demande-presente",
    "plafond",
    "demande-eligible",
    "depenses-eligibles",
    "personnel",
    "personnel-justificatif",
    "compte-contribution",
    "dispositif-demande",
    "dispositif-hors-lieu",
    "saisie",
    "bilan-equilibre",
    "bilan-plafond",
    "bilan-ecart-explique",
    "bilan-indicateurs-realises",
    "bilan-indicateur-ecart",
    "bilan-depenses-eligibles",
];

impl Verification {
    /// The kind's name in packs.
    pub fn nom(&self) -> &'static str {
        use Verification as V;
        match self {
            V::TypeAction => "type-action",
            V::BooleensRequis { .. } => "booleens-requis",
            V::BooleensSignales { .. } => "booleens-signales",
            V::Intervalle { .. } => "intervalle",
            V::Valeurs { .. } => "valeurs",
            V::ListeContient { .. } => "liste-contient",
            V::ListeDans { .. } => "liste-dans",
            V::ListeNonVide { .. } => "liste-non-vide",
            V::DatesDans { .. } => "dates-dans",
            V::Toujours => "toujours",
            V::IndicateursRequis { .. } => "indicateurs-requis",
            V::Comparaison { .. } => "comparaison",
            V::Gratuite => "gratuite",
            V::GratuiteContradictoire => "gratuite-contradictoire",
            V::Periode => "periode",
            V::Siret { .. } => "siret",
            V::FinanceCaf { .. } => "finance-caf",
            V::PersonnelFinanceCaf { .. } => "personnel-finance-caf",
            V::Equilibre => "equilibre",
            V::DemandePresente => "demande-presente",
            V::Plafond { .. } => "plafond",
            V::DemandeEligible => "demande-eligible",
            V::DepensesEligibles { .. } => "depenses-eligibles",
            V::Personnel { .. } => "personnel",
            V::PersonnelJustificatif => "personnel-justificatif",
            V::CompteContribution { .. } => "compte-contribution",
            V::DispositifDemande => "dispositif-demande",
            V::DispositifHorsLieu => "dispositif-hors-lieu",
            V::Saisie => "saisie",
            V::BilanEquilibre => "bilan-equilibre",
            V::BilanPlafond => "bilan-plafond",
            V::BilanEcartExplique { .. } => "bilan-ecart-explique",
            V::BilanIndicateursRealises => "bilan-indicateurs-realises",
            V::BilanIndicateurEcart { .. } => "bilan-indicateur-ecart",
            V::BilanDepensesEligibles => "bilan-depenses-eligibles",
        }
    }

    /// Whether the kind belongs to the bilan: `fnp bilan` runs it on the actual side of the
    /// dossier, `fnp check` never does.
    pub fn du_bilan(&self) -> bool {
        use Verification as V;
        matches!(
            self,
            V::BilanEquilibre
                | V::BilanPlafond
                | V::BilanEcartExplique { .. }
                | V::BilanIndicateursRealises
                | V::BilanIndicateurEcart { .. }
                | V::BilanDepensesEligibles
        )
    }

    /// Variables the kind's messages may use (besides the common ones).
    pub fn variables(&self) -> &'static [&'static str] {
        use Verification as V;
        match self {
            V::TypeAction => &["types", "volets"],
            V::BooleensRequis { .. } | V::BooleensSignales { .. } => &["champs"],
            V::Intervalle { .. } => &["valeur", "min", "max"],
            V::Valeurs { .. } => &["valeur", "valeurs"],
            V::ListeContient { .. } => &["valeur", "manquants", "attendus"],
            V::ListeDans { .. } => &["valeur", "attendus", "hors", "nombre_hors", "nombre"],
            V::ListeNonVide { .. } => &[],
            V::DatesDans { .. } => &["debut", "fin", "du", "au"],
            V::Toujours => &[],
            // REGLES-EXERCICE names the exercices the packs cover (rules v4).
            V::Saisie => &["exercices_connus"],
            V::IndicateursRequis { .. } => &["manquants"],
            V::Comparaison { .. } => &["gauche", "droite", "valeur_gauche", "valeur_droite"],
            V::Gratuite | V::GratuiteContradictoire => &["montant"],
            V::Periode => &["debut", "fin"],
            V::Siret { .. } => &["siret"],
            V::FinanceCaf { .. } => &["montant"],
            V::PersonnelFinanceCaf { .. } => &["lignes", "montant", "recettes"],
            V::Equilibre => &["total_charges", "total_produits", "ecart"],
            V::DemandePresente => &["demande_fnp"],
            V::Plafond { .. } => &["financement_caf", "plafond_caf", "base_plafond", "taux", "depassement"],
            V::DemandeEligible => &["demande_fnp", "total_eligible", "depassement"],
            V::DepensesEligibles { .. } => &["nature", "libelle", "montant", "eligibles", "compte"],
            V::Personnel { .. } | V::PersonnelJustificatif => &["libelle", "montant"],
            V::CompteContribution { .. } => &["libelle", "montant", "compte"],
            V::DispositifDemande | V::DispositifHorsLieu => &["libelle", "montant", "dispositif", "ligne"],
            V::BilanEquilibre => &["total_charges", "total_produits", "ecart"],
            V::BilanPlafond => &["financement_caf", "plafond_caf", "base_plafond", "taux", "depassement"],
            V::BilanEcartExplique { .. } => {
                &["ligne", "libelle", "prevu", "realise", "ecart", "ecart_pourcent", "seuils"]
            }
            V::BilanIndicateursRealises => &["manquants"],
            V::BilanIndicateurEcart { .. } => &["ecarts", "seuil"],
            V::BilanDepensesEligibles => &["nature", "libelle", "montant", "eligibles", "compte"],
        }
    }

    /// Alternative message situations the kind uses (`messages.<situation>`).
    pub fn situations(&self) -> &'static [&'static str] {
        use Verification as V;
        match self {
            V::TypeAction => &["volet_inconnu"],
            V::Intervalle { si_absent: Absence::Signaler, .. }
            | V::Valeurs { si_absent: Absence::Signaler, .. }
            | V::ListeContient { .. }
            | V::ListeDans { .. } => &["absent"],
            V::Periode => &["inversee"],
            // Rules v4: the message names only what shows the other funding, as written.
            V::PersonnelFinanceCaf { .. } => &["recette", "declaration-et-recette"],
            _ => &[],
        }
    }

    /// Fields whose rejection by the reader makes this check meaningless.
    pub fn champs(&self) -> Vec<&str> {
        use Verification as V;
        match self {
            V::BooleensRequis { champs } | V::BooleensSignales { champs } => {
                champs.iter().map(String::as_str).collect()
            }
            V::Intervalle { min, max, .. } => min.iter().chain(max.iter()).map(|b| b.champ.as_str()).collect(),
            V::Valeurs { champ, .. }
            | V::ListeContient { champ, .. }
            | V::ListeDans { champ, .. }
            | V::ListeNonVide { champ } => vec![champ.as_str()],
            V::DatesDans { .. } => vec!["action.debut", "action.fin"],
            V::Comparaison { gauche, droite } => vec![gauche.as_str(), droite.as_str()],
            V::Gratuite | V::GratuiteContradictoire => vec!["action.gratuit"],
            V::Periode => vec!["action.debut", "action.fin", "exercice"],
            V::Siret { .. } => vec!["porteur.siret"],
            V::FinanceCaf { champ, .. } | V::PersonnelFinanceCaf { champ, .. } => vec![champ.as_str()],
            V::TypeAction => vec!["action.axe", "action.volet", "action.type"],
            _ => Vec::new(),
        }
    }

    /// Whether the check reads the budget lines (it does not run when a line was rejected).
    /// Whether its findings say why an expense line is left out of the eligible total: when
    /// that total bounds the FNP amount, they come first (issue 32).
    pub fn explique_l_eligibilite(&self) -> bool {
        matches!(self, Verification::DepensesEligibles { .. } | Verification::Personnel { .. })
    }

    pub fn lit_le_budget(&self) -> bool {
        use Verification as V;
        matches!(
            self,
            V::Gratuite
                | V::GratuiteContradictoire
                | V::FinanceCaf { .. }
                | V::PersonnelFinanceCaf { .. }
                | V::Equilibre
                | V::DemandePresente
                | V::Plafond { .. }
                | V::DemandeEligible
                | V::DispositifDemande
                | V::DispositifHorsLieu
        )
    }
}

#[cfg(test)]
mod tests {
    /// Every kind the embedded packs use is named in `NOMS` (the list an unknown kind's error
    /// gives, and docs/regles.md describes), and every name there compiles to its kind.
    #[test]
    fn every_kind_is_named() {
        let regles = crate::rules::Regles::embarquees().expect("embedded packs");
        for (_, r) in regles.toutes() {
            for c in &r.cas {
                assert!(super::NOMS.contains(&c.verification.nom()), "{} absent de NOMS", c.verification.nom());
            }
        }
        for nom in super::NOMS {
            let e = super::Verification::compiler(nom, &toml::Table::new()).err().unwrap_or_default();
            assert!(!e.contains("inconnue"), "{nom}: {e}");
        }
    }
}
