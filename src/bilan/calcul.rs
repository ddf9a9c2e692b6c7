//! The bilan computed: planned against actual, line by line, and the fund's figures on the
//! actual budget (see the room's door, `bilan/mod.rs`).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::budget::cerfa::{self, BudgetPresente, Plan};
use crate::budget::{self, Budget, Parametres};
use crate::model::{Date, Dossier, Montant, Valeur, schema};

/// What fnp says of its own FNP figures on the actual budget.
pub const AVERTISSEMENT: &str = "calcul indicatif de fnp ; la Caf décide";

/// A planned amount against an actual one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Comparaison {
    #[serde(serialize_with = "deux_decimales")]
    pub prevu: Decimal,
    /// `None`: not reported (for a total: some line under it is not).
    #[serde(serialize_with = "deux_decimales_ou_rien")]
    pub realise: Option<Decimal>,
    /// Actual minus planned.
    #[serde(serialize_with = "deux_decimales_ou_rien")]
    pub ecart: Option<Decimal>,
    /// The gap in percent of the planned amount, one decimal (half away from zero); `None`
    /// when nothing was planned (0) or nothing reported.
    #[serde(serialize_with = "une_decimale_ou_rien")]
    pub ecart_pourcent: Option<Decimal>,
}

impl Comparaison {
    pub fn new(prevu: Decimal, realise: Option<Decimal>) -> Comparaison {
        let ecart = realise.map(|r| r - prevu);
        let ecart_pourcent = ecart.filter(|_| !prevu.is_zero()).map(|e| {
            (e * Decimal::ONE_HUNDRED / prevu).round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        });
        Comparaison { prevu, realise, ecart, ecart_pourcent }
    }

    /// The sum of comparisons: its actual side is known only when every one is.
    fn somme<'a>(it: impl IntoIterator<Item = &'a Comparaison>) -> Comparaison {
        let mut prevu = Decimal::ZERO;
        let mut realise = Some(Decimal::ZERO);
        for c in it {
            prevu += c.prevu;
            realise = realise.zip(c.realise).map(|(a, b)| a + b);
        }
        Comparaison::new(prevu, realise)
    }
}

/// One budget line of the bilan.
#[derive(Debug, Clone, Serialize)]
pub struct LigneBilan {
    /// Where the line is in the dossier: `depense[2]`.
    pub chemin: String,
    /// The account (expenses), the funder's label (income), `86/87` comptes (contributions).
    pub compte: String,
    pub libelle: String,
    #[serde(flatten)]
    pub montants: Comparaison,
    pub explication: Option<String>,
    /// Expenses: whether the line counts in the fund's eligible total (planned budget).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligible: Option<bool>,
}

/// A class of accounts (expenses) or a group of funders (income), with its lines.
#[derive(Debug, Clone, Serialize)]
pub struct GroupeBilan {
    pub code: String,
    pub numero: Option<String>,
    pub libelle: String,
    pub lignes: Vec<LigneBilan>,
    #[serde(flatten)]
    pub total: Comparaison,
}

/// An evaluation indicator, planned against reached.
#[derive(Debug, Clone, Serialize)]
pub struct Indicateur {
    /// The key in `[indicateurs]` and `[indicateurs_realises]`.
    pub cle: String,
    pub libelle: String,
    #[serde(serialize_with = "nombre_ou_rien")]
    pub prevu: Option<Decimal>,
    #[serde(serialize_with = "nombre_ou_rien")]
    pub realise: Option<Decimal>,
}

/// The fund's figures, planned and actual, and what the actual expenses justify.
#[derive(Debug, Clone, Serialize)]
pub struct FnpBilan {
    pub prevu: Budget,
    /// On the actual budget; `None` while the bilan is incomplete.
    pub realise: Option<Budget>,
    #[serde(serialize_with = "deux_decimales_ou_rien")]
    pub montant_fnp_accorde: Option<Decimal>,
    /// The lesser of the amount granted and the maximum on the actual budget; `None` when
    /// either is unknown.
    #[serde(serialize_with = "deux_decimales_ou_rien")]
    pub montant_fnp_justifie: Option<Decimal>,
    /// Justified minus granted (≤ 0).
    #[serde(serialize_with = "deux_decimales_ou_rien")]
    pub ecart_accorde: Option<Decimal>,
    pub avertissement: &'static str,
}

/// The whole bilan.
#[derive(Debug, Clone, Serialize)]
pub struct Bilan {
    /// Every budget line carries its `realise`.
    pub complet: bool,
    /// The lines without `realise` (`depense[1]`), in the dossier's order.
    pub non_renseignees: Vec<String>,
    /// The same lines named as people read them: `dépense « Affiches »`.
    pub non_renseignees_libelles: Vec<String>,
    #[serde(serialize_with = "date_ou_rien")]
    pub date: Option<Date>,
    pub commentaire: Option<String>,
    pub charges: Vec<GroupeBilan>,
    pub total_charges: Comparaison,
    pub produits: Vec<GroupeBilan>,
    pub total_produits: Comparaison,
    pub contributions: Vec<LigneBilan>,
    pub total_contributions: Comparaison,
    pub fnp: FnpBilan,
    pub indicateurs: Vec<Indicateur>,
    /// The findings of the bilan's rules (`BILAN-*`, [`constats_bilan`]), then the dossier's
    /// own ([`constats_du_bilan`]: one verdict with `fnp check`, rules v4), with the fields of
    /// `fnp check`'s; empty until the command adds them.
    pub constats: Vec<crate::check::Constat>,
    /// How many of `constats`, first, are the bilan's own (`BILAN-*`); the rest are the
    /// dossier's.
    #[serde(skip)]
    pub constats_du_bilan: usize,
}

/// The dossier as it happened: every line's amount replaced by its `realise`; and the lines
/// that have none (left with their planned amount, never used while they exist).
pub fn dossier_realise(d: &Dossier) -> (Dossier, Vec<String>) {
    let mut r = d.clone();
    let mut manquantes = Vec::new();
    for l in &mut r.depenses {
        match l.realise {
            Some(m) => l.montant = m,
            None => manquantes.push(format!("depense[{}]", l.index)),
        }
    }
    for l in &mut r.recettes {
        match l.realise {
            Some(m) => l.montant = m,
            None => manquantes.push(format!("recette[{}]", l.index)),
        }
    }
    for l in &mut r.contributions {
        match l.realise {
            Some(m) => l.montant = m,
            None => manquantes.push(format!("contribution[{}]", l.index)),
        }
    }
    (r, manquantes)
}

/// A budget line named by its label, never by its path: `dépense « Affiches »`; a line
/// without a label is named by its funder or nature in French.
pub fn nom_ligne(genre: &str, libelle: Option<&str>, repli: &str) -> String {
    let libelle = libelle.map(str::trim).filter(|l| !l.is_empty()).unwrap_or(repli);
    format!("{genre} « {libelle} »")
}

/// The lines of `d` without `realise`, named as people read them (see [`nom_ligne`]).
pub fn lignes_sans_realise(d: &Dossier) -> Vec<String> {
    let depenses =
        d.depenses.iter().filter(|l| l.realise.is_none()).map(|l| {
            nom_ligne("dépense", Some(&l.libelle), &schema::libelle_valeur("depense.nature", l.nature.as_str()))
        });
    let recettes = d.recettes.iter().filter(|l| l.realise.is_none()).map(|l| {
        nom_ligne("recette", l.libelle.as_deref(), &schema::libelle_valeur("recette.financeur", l.financeur.as_str()))
    });
    let contributions = d.contributions.iter().filter(|l| l.realise.is_none()).map(|l| {
        nom_ligne(
            "contribution",
            l.libelle.as_deref(),
            &schema::libelle_valeur("contribution.nature", l.nature.as_str()),
        )
    });
    depenses.chain(recettes).chain(contributions).collect()
}

fn comparer(prevu: Montant, realise: Option<Montant>) -> Comparaison {
    Comparaison::new(prevu.valeur(), realise.map(Montant::valeur))
}

/// The bilan of a dossier whose budget lines were all read.
pub fn calculer(d: &Dossier, p: &Parametres, plan: &Plan) -> Bilan {
    let prevu = budget::calculer(d, p);
    let presente: BudgetPresente = cerfa::presenter(d, &prevu, p, plan);
    let (reel, non_renseignees) = dossier_realise(d);

    let charges: Vec<GroupeBilan> = presente
        .charges
        .iter()
        .map(|c| {
            let lignes: Vec<LigneBilan> = c
                .lignes
                .iter()
                .map(|l| {
                    let ligne = d.depenses.iter().find(|x| x.index == l.index);
                    LigneBilan {
                        chemin: format!("depense[{}]", l.index),
                        compte: l.compte.clone(),
                        libelle: l.libelle.clone(),
                        montants: comparer(l.montant, ligne.and_then(|x| x.realise)),
                        explication: ligne.and_then(|x| x.explication.clone()),
                        eligible: Some(l.eligible),
                    }
                })
                .collect();
            GroupeBilan {
                code: c.code.clone(),
                numero: c.numero.clone(),
                libelle: c.libelle.clone(),
                total: Comparaison::somme(lignes.iter().map(|l| &l.montants)),
                lignes,
            }
        })
        .collect();
    let produits: Vec<GroupeBilan> = presente
        .produits
        .iter()
        .map(|g| {
            let lignes: Vec<LigneBilan> = g
                .lignes
                .iter()
                .map(|l| {
                    let ligne = d.recettes.iter().find(|x| x.index == l.index);
                    LigneBilan {
                        chemin: format!("recette[{}]", l.index),
                        compte: l.financeur_libelle.clone(),
                        libelle: l.libelle.clone().unwrap_or_else(|| l.financeur_libelle.clone()),
                        montants: comparer(l.montant, ligne.and_then(|x| x.realise)),
                        explication: ligne.and_then(|x| x.explication.clone()),
                        eligible: None,
                    }
                })
                .collect();
            GroupeBilan {
                code: g.code.clone(),
                numero: g.numero.clone(),
                libelle: g.libelle.clone(),
                total: Comparaison::somme(lignes.iter().map(|l| &l.montants)),
                lignes,
            }
        })
        .collect();
    // `presenter` keeps the contributions in the dossier's order.
    let contributions: Vec<LigneBilan> = presente
        .contributions
        .iter()
        .zip(&d.contributions)
        .map(|(c, ligne)| LigneBilan {
            chemin: format!("contribution[{}]", ligne.index),
            compte: format!("{} / {}", c.emploi, c.ressource),
            libelle: c.libelle.clone().unwrap_or_else(|| schema::libelle_valeur("contribution.nature", &c.nature)),
            montants: comparer(c.montant, ligne.realise),
            explication: ligne.explication.clone(),
            eligible: None,
        })
        .collect();

    let complet = non_renseignees.is_empty();
    let realise = complet.then(|| budget::calculer(&reel, p));
    let accorde = match d.valeur("bilan.montant_fnp_accorde") {
        Some(Valeur::Decimal(x)) => Some(deux(*x)),
        _ => None,
    };
    let justifie = accorde.zip(realise.as_ref()).map(|(a, r)| a.min(r.montant_max_fnp));
    let fnp = FnpBilan {
        prevu,
        realise,
        montant_fnp_accorde: accorde,
        montant_fnp_justifie: justifie,
        ecart_accorde: justifie.zip(accorde).map(|(j, a)| j - a),
        avertissement: AVERTISSEMENT,
    };

    Bilan {
        complet,
        non_renseignees,
        non_renseignees_libelles: lignes_sans_realise(d),
        date: d.date("bilan.date"),
        commentaire: d.texte("bilan.commentaire").map(str::to_string),
        total_charges: Comparaison::somme(charges.iter().map(|c| &c.total)),
        charges,
        total_produits: Comparaison::somme(produits.iter().map(|c| &c.total)),
        produits,
        total_contributions: Comparaison::somme(contributions.iter().map(|c| &c.montants)),
        contributions,
        fnp,
        indicateurs: indicateurs(d),
        constats: Vec::new(),
        constats_du_bilan: 0,
    }
}

/// Each planned indicator with the value reached (or none), then those reached but not
/// planned, in the order of the format.
pub fn indicateurs(d: &Dossier) -> Vec<Indicateur> {
    schema::champs::CHAMPS
        .iter()
        .filter_map(|c| {
            let cle = c.cle.strip_prefix("indicateurs.")?;
            let prevu = d.valeur(c.cle).and_then(Valeur::nombre);
            let realise = d.valeur(&format!("indicateurs_realises.{cle}")).and_then(Valeur::nombre);
            (prevu.is_some() || realise.is_some()).then(|| Indicateur {
                cle: cle.to_string(),
                libelle: c.aide.trim_end_matches('.').replace(" prévus", "").replace(" prévues", ""),
                prevu,
                realise,
            })
        })
        .collect()
}

fn date_ou_rien<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

fn deux(mut v: Decimal) -> Decimal {
    v.rescale(2);
    v
}

pub(super) fn deux_decimales<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&budget::texte_deux_decimales(d))
}

fn deux_decimales_ou_rien<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&budget::texte_deux_decimales(d)),
        None => s.serialize_none(),
    }
}

fn une_decimale_ou_rien<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => {
            let mut v = *d;
            v.rescale(1);
            s.serialize_str(&v.to_string())
        }
        None => s.serialize_none(),
    }
}

fn nombre_ou_rien<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.normalize().to_string()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn gaps_in_euros_and_percent() {
        let c = Comparaison::new(d("2400"), Some(d("2700")));
        assert_eq!(c.ecart, Some(d("300")));
        assert_eq!(c.ecart_pourcent, Some(d("12.5")));
        // 1/3 of 100 % → 33,3 %; half a tenth rounds away from zero.
        assert_eq!(Comparaison::new(d("3"), Some(d("4"))).ecart_pourcent, Some(d("33.3")));
        assert_eq!(Comparaison::new(d("800"), Some(d("799.60"))).ecart_pourcent, Some(d("-0.1")));
        // Nothing planned: no percent; nothing reported: no gap at all.
        let zero = Comparaison::new(Decimal::ZERO, Some(d("150")));
        assert_eq!((zero.ecart, zero.ecart_pourcent), (Some(d("150")), None));
        let absent = Comparaison::new(d("600"), None);
        assert_eq!((absent.ecart, absent.ecart_pourcent), (None, None));
    }

    fn dossier(texte: &str) -> Dossier {
        crate::lecture::toml::lire_toml(texte, "t.toml").expect("TOML").dossier
    }

    const BASE: &str = "format = 1\nexercice = 2025\n[action]\naxe = 1\nvolet = 1\n";

    #[test]
    fn the_actual_dossier_carries_each_realise_and_names_the_missing() {
        let dos = dossier(&format!(
            "{BASE}[[depense]]\nnature = \"prestation\"\nlibelle = \"a\"\nmontant = 100\nrealise = 80\n\
             [[depense]]\nnature = \"location\"\nlibelle = \"b\"\nmontant = 50\n\
             [[contribution]]\nnature = \"benevolat\"\nmontant = 10\nrealise = 0\n"
        ));
        let (reel, manquantes) = dossier_realise(&dos);
        assert_eq!(reel.depenses[0].montant.valeur(), d("80"));
        assert_eq!(reel.contributions[0].montant.valeur(), Decimal::ZERO);
        assert_eq!(manquantes, vec!["depense[1]".to_string()]);
        let regles = crate::rules::Regles::embarquees().expect("embedded packs");
        let b = calculer(&dos, &regles.parametres_pour(&dos), &regles.plan);
        assert!(!b.complet);
        assert!(b.fnp.realise.is_none() && b.fnp.montant_fnp_justifie.is_none());
        assert_eq!((b.total_charges.prevu, b.total_charges.realise), (d("150"), None));
        // A realise of 0 is reported: the contributions' total is known.
        assert_eq!(b.total_contributions.realise, Some(Decimal::ZERO));
        assert_eq!(b.total_contributions.ecart_pourcent, Some(d("-100")));
    }

    #[test]
    fn a_total_is_unknown_while_a_line_is() {
        let a = Comparaison::new(d("100"), Some(d("90")));
        let b = Comparaison::new(d("50"), None);
        let t = Comparaison::somme([&a, &b]);
        assert_eq!((t.prevu, t.realise), (d("150"), None));
        let t = Comparaison::somme([&a, &a]);
        assert_eq!((t.realise, t.ecart), (Some(d("180")), Some(d("-20"))));
    }
}
