//! The closed set of rule kinds. Each kind takes its parameters from the pack
//! (`parametres`) and names the variables its messages may use.

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
fn decimal_exact_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    decimal_exact(d).map(Some)
}

fn decimal_exact<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
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
    toml::Value::Table(t.clone())
        .try_into::<T>()
        .map_err(|e| format!("paramètres invalides : {}", super::traduire_schema(e.message().trim())))
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
