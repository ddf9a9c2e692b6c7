//! Where the bilan's rules run: the kinds `bilan-*` of the packs (rules `BILAN-*`), on the
//! actual side of a dossier (`realise`, `[indicateurs_realises]`). `fnp bilan` applies them;
//! `fnp check` too, to a dossier that holds a bilan (rules v4, [`verifier`]); `fnp rules
//! test` adds them to a pinned case of a bilan rule.
//!
//! The findings are made as `check` makes its own (`check::constat_de`), so that a bilan's
//! finding reads like any other: `bilan` depends on `check`, never the reverse.

use rust_decimal::Decimal;

use crate::budget::{self, Budget, Eligibilite};
use crate::check::evaluer::{
    Declenchement, declenche, equilibre, euros, liste, plafond, valeurs_depense, variables_communes,
};
use crate::check::{Constat, EtatBilan, Resultat, appliquer_forcages, constat_de, trier, verdict};
use crate::lecture::Lu;
use crate::model::montant::{format_decimal_fr, format_nombre_fr};
use crate::model::{Dossier, Montant};
use crate::rules::{Regles, Verification};

/// The findings of the bilan (`fnp bilan`): the rules of the bilan in force for the dossier
/// (kinds `bilan-*`, ids `BILAN-*`), on its actual side. Those that need the actual totals
/// run only on a complete bilan; none runs when a budget line could not be read (`fnp
/// bilan` refuses such a dossier).
pub fn constats_bilan(lu: &Lu, regles: &Regles) -> Vec<Constat> {
    let dossier = &lu.dossier;
    if dossier.lignes_rejetees {
        return Vec::new();
    }
    let selection = regles.selection(dossier);
    let portees = crate::rules::Portees::de(dossier);
    let parametres = regles.parametres_selon(&selection, dossier.exercice());
    let (reel, manquantes) = super::calcul::dossier_realise(dossier);
    let budget_reel = manquantes.is_empty().then(|| budget::calculer(&reel, &parametres));
    let realise = Realise { dossier: &reel, budget: budget_reel.as_ref() };
    let communs = variables_communes(dossier);
    let mut constats = Vec::new();
    for (_, regle) in &selection.regles {
        for cas in regle.cas_pour(&portees).filter(|c| c.verification.du_bilan()) {
            for declenchement in evaluer_bilan(&cas.verification, dossier, &realise, &parametres) {
                // A staff line without increased working time is named by packs of rules v4
                // (their `messages.personnel`); a pack written before keeps its reading.
                if declenchement.situation == "personnel" && !cas.messages.contains_key("personnel") {
                    continue;
                }
                constats.push(constat_de(regle, cas, declenchement, &communs, lu, regles));
            }
        }
    }
    appliquer_forcages(&mut constats, regles);
    trier(&mut constats);
    constats
}

/// Adds the bilan's findings to a checked dossier, decides its verdict again and notes its
/// completeness: a dossier that holds a bilan (`verifier`), and a pinned case of a bilan
/// rule (`fnp rules test`).
pub fn ajouter_bilan(r: &mut Resultat, lu: &Lu, regles: &Regles) {
    if r.bilan.is_some() {
        return;
    }
    r.constats.extend(constats_bilan(lu, regles));
    trier(&mut r.constats);
    r.verdict = verdict(&r.constats);
    let lignes_non_renseignees = super::calcul::lignes_sans_realise(&lu.dossier);
    r.bilan = Some(EtatBilan { complet: lignes_non_renseignees.is_empty(), lignes_non_renseignees });
}

/// Every finding of a bilan, as `fnp bilan` lists them: the bilan's first, then the
/// dossier's own (those of `fnp check` on the planned side), so that `fnp bilan` and `fnp
/// check` give one verdict (rules v4). `dossier` is the dossier's result from [`verifier`]
/// or `check::verifier`; its bilan findings, if any, are not counted twice.
/// Returns them and how many, first, are the bilan's. A result that holds the bilan already
/// (`verifier` on a dossier that holds one) gives its findings; the rules are not run again.
pub fn constats_du_bilan(lu: &Lu, regles: &Regles, dossier: &Resultat) -> (Vec<Constat>, usize) {
    let du_bilan = |c: &Constat| regles.regle(&c.regle).is_some_and(|(_, r)| r.du_bilan());
    let (deja, autres): (Vec<Constat>, Vec<Constat>) = dossier.constats.iter().cloned().partition(du_bilan);
    let mut constats = if dossier.bilan.is_some() { deja } else { constats_bilan(lu, regles) };
    let n = constats.len();
    constats.extend(autres);
    (constats, n)
}

/// Checks a dossier read, as `fnp check` does everywhere (the command line, the batch
/// reports, the annotated copies, the page): the dossier's rules and, when it holds a bilan
/// (rules v4, `Dossier::tient_un_bilan`), the bilan's too, so that one file never gets two
/// verdicts. The one entry that decides a dossier's verdict.
pub fn verifier(source: &str, lu: &Lu, regles: &Regles) -> Resultat {
    let mut r = crate::check::verifier(source, lu, regles);
    r.copie_de_fnp = crate::ecriture::marque::est_copie_de_fnp(lu);
    if lu.dossier.tient_un_bilan() {
        ajouter_bilan(&mut r, lu, regles);
    }
    r
}

/// The actual side of a dossier, for the bilan's kinds.
pub struct Realise<'a> {
    /// The dossier as it happened: every reported line carries its `realise` as its amount.
    pub dossier: &'a Dossier,
    /// The budget figures of the actual dossier; `None` while a line is not reported.
    pub budget: Option<&'a Budget>,
}

/// A gap in euros with its sign: `+180,00 €`, `-240,00 €`.
fn euros_signe(v: Decimal) -> String {
    if v > Decimal::ZERO { format!("+{}", euros(v)) } else { euros(v) }
}

/// Whether a gap departs from the planned amount by more than every given threshold: in
/// percent of the planned amount (exactly: |gap| × 100 > threshold × |planned|; from nothing
/// planned, any gap does), and in euros.
///
/// The products are checked: lint refuses a threshold outside 0–100 %, yet a pack loaded
/// without lint must not end the run. A product too large for a decimal is larger than any
/// product that fits, so an overflow decides the comparison exactly.
fn au_dela(prevu: Decimal, ecart: Decimal, seuil_pourcentage: Option<Decimal>, seuil_euros: Option<Decimal>) -> bool {
    let e = ecart.abs();
    let pourcentage = seuil_pourcentage.is_none_or(|s| {
        if prevu.is_zero() {
            return !e.is_zero();
        }
        match (e.checked_mul(Decimal::ONE_HUNDRED), s.checked_mul(prevu.abs())) {
            (Some(gauche), Some(droite)) => gauche > droite,
            // The threshold times the planned amount is beyond every gap.
            (_, None) => false,
            (None, Some(_)) => true,
        }
    });
    let montant = seuil_euros.is_none_or(|s| e > s);
    !e.is_zero() && pourcentage && montant
}

/// How far below its planned value an indicator was reached, in percent of the plan, when
/// that is more than `seuil_pourcentage` (exactly: (planned − reached) × 100 > threshold ×
/// planned); `None` otherwise, and for a plan of 0 or less. Arithmetic is checked: rule
/// parameters and indicators are data, and never make the engine panic.
fn sous_le_prevu(prevu: Decimal, realise: Decimal, seuil_pourcentage: Decimal) -> Option<Decimal> {
    if prevu <= Decimal::ZERO || realise >= prevu {
        return None;
    }
    // A difference too large for a decimal is beyond any threshold.
    let Some(manque) = prevu.checked_sub(realise) else { return Some(Decimal::MAX) };
    // In percent of the plan; a quotient too large for a decimal is beyond any threshold.
    let pourcent = manque.checked_div(prevu).and_then(|x| x.checked_mul(Decimal::ONE_HUNDRED));
    let au_dela = match (manque.checked_mul(Decimal::ONE_HUNDRED), seuil_pourcentage.checked_mul(prevu)) {
        (Some(gauche), Some(droite)) => gauche > droite,
        _ => pourcent.is_none_or(|p| p > seuil_pourcentage),
    };
    au_dela.then(|| pourcent.unwrap_or(Decimal::MAX))
}

/// The bilan's kinds, on the planned dossier `d` and its actual side.
pub fn evaluer_bilan(v: &Verification, d: &Dossier, r: &Realise<'_>, p: &budget::Parametres) -> Vec<Declenchement> {
    use Verification as V;
    let mut sortie = Vec::new();
    match v {
        V::BilanEquilibre => {
            if let Some(b) = r.budget
                && let Some(mut dec) = equilibre(r.dossier, b, "realise")
            {
                // Rules v4: at the total of the sheet whose actual total is the smaller (the
                // « Réalisé » of its total row, or its header), never at one line that is not
                // the cause.
                dec.champ = if b.total_charges < b.total_produits {
                    "depense.total.realise".into()
                } else {
                    "recette.total.realise".into()
                };
                sortie.push(dec);
            }
        }
        V::BilanPlafond => {
            if let Some(b) = r.budget {
                let taux = (p.taux * Decimal::ONE_HUNDRED).normalize();
                sortie.extend(plafond(r.dossier, b, taux, &p.financeurs_caf, "realise"));
            }
        }
        V::BilanEcartExplique { seuil_pourcentage, seuil_euros } => {
            let depenses = d.depenses.iter().map(|l| {
                ("dépense", format!("depense[{}]", l.index), l.libelle.clone(), l.montant, l.realise, &l.explication)
            });
            let recettes = d.recettes.iter().map(|l| {
                let libelle = l.libelle.clone().unwrap_or_else(|| l.financeur.to_string());
                ("recette", format!("recette[{}]", l.index), libelle, l.montant, l.realise, &l.explication)
            });
            let contributions = d.contributions.iter().map(|l| {
                let libelle = l.libelle.clone().unwrap_or_else(|| l.nature.to_string());
                ("contribution", format!("contribution[{}]", l.index), libelle, l.montant, l.realise, &l.explication)
            });
            for (genre, chemin, libelle, montant, realise, explication) in depenses.chain(recettes).chain(contributions)
            {
                let Some(realise) = realise else { continue };
                if explication.as_deref().is_some_and(|x| !x.trim().is_empty()) {
                    continue;
                }
                let (prevu, reel) = (montant.valeur(), realise.valeur());
                if !au_dela(prevu, reel - prevu, *seuil_pourcentage, *seuil_euros) {
                    continue;
                }
                let c = super::calcul::Comparaison::new(prevu, Some(reel));
                let pourcent = c.ecart_pourcent.map_or_else(
                    || "rien n'était prévu".to_string(),
                    |x| {
                        let t = format!("{}\u{a0}%", crate::model::montant::format_decimal_fr(x, 1));
                        if x > Decimal::ZERO { format!("+{t}") } else { t }
                    },
                );
                sortie.push(declenche(
                    "",
                    format!("{chemin}.realise"),
                    vec![
                        ("ligne", genre.to_string()),
                        ("libelle", libelle),
                        ("prevu", euros(prevu)),
                        ("realise", euros(reel)),
                        ("ecart", euros_signe(reel - prevu)),
                        ("ecart_pourcent", pourcent),
                        ("seuils", crate::rules::seuils_fr(*seuil_pourcentage, *seuil_euros)),
                    ],
                ));
            }
        }
        V::BilanIndicateursRealises => {
            // A value rejected by the reader already has its own finding.
            let manquants: Vec<super::calcul::Indicateur> = super::calcul::indicateurs(d)
                .into_iter()
                .filter(|i| {
                    i.prevu.is_some() && i.realise.is_none() && !d.rejete(&format!("indicateurs_realises.{}", i.cle))
                })
                .collect();
            if let Some(premier) = manquants.first() {
                // Named by their labels; pointed at the first empty « Réalisé : … » row, where
                // the value is typed (rules v4).
                let noms: Vec<String> = manquants
                    .iter()
                    .map(|i| format!("{} (prévu : {})", i.libelle, i.prevu.map(format_nombre_fr).unwrap_or_default()))
                    .collect();
                sortie.push(declenche(
                    "",
                    format!("indicateurs_realises.{}", premier.cle),
                    vec![("manquants", liste(&noms))],
                ));
            }
        }
        V::BilanIndicateurEcart { seuil_pourcentage } => {
            // Said in the bilan's comment: nothing to explain again.
            if d.texte("bilan.commentaire").is_some_and(|t| !t.trim().is_empty()) {
                return sortie;
            }
            let en_dessous: Vec<(super::calcul::Indicateur, Decimal)> = super::calcul::indicateurs(d)
                .into_iter()
                .filter_map(|i| {
                    let (prevu, realise) = (i.prevu?, i.realise?);
                    let pourcent = sous_le_prevu(prevu, realise, *seuil_pourcentage)?;
                    Some((i, pourcent))
                })
                .collect();
            if let Some((premier, _)) = en_dessous.first() {
                let ecarts: Vec<String> = en_dessous
                    .iter()
                    .map(|(i, pourcent)| {
                        format!(
                            "{} : {} atteints, {} prévus (-{}\u{a0}%)",
                            i.libelle,
                            i.realise.map(format_nombre_fr).unwrap_or_default(),
                            i.prevu.map(format_nombre_fr).unwrap_or_default(),
                            format_decimal_fr(*pourcent, 1)
                        )
                    })
                    .collect();
                sortie.push(declenche(
                    "",
                    format!("indicateurs_realises.{}", premier.cle),
                    vec![
                        ("ecarts", liste(&ecarts)),
                        ("seuil", format!("{}\u{a0}%", format_nombre_fr(*seuil_pourcentage))),
                    ],
                ));
            }
        }
        V::BilanDepensesEligibles => {
            let natures = d.axe_volet().and_then(|av| p.eligibles.get(&av)).unwrap_or(&p.eligibles_defaut);
            for ligne in &r.dossier.depenses {
                // Only what was really spent: a line reported above 0 (a line of the actual
                // dossier keeps its `realise`, now also its amount).
                if ligne.realise.is_none_or(|m| m <= Montant::ZERO) {
                    continue;
                }
                let situation = match budget::eligibilite(r.dossier, ligne, p) {
                    Eligibilite::NatureIneligible => "",
                    Eligibilite::CompteIneligible => "compte",
                    // Rules v4: a staff line without increased working time.
                    Eligibilite::PersonnelSansHausse => "personnel",
                    _ => continue,
                };
                sortie.push(declenche(
                    situation,
                    format!("depense[{}].realise", ligne.index),
                    valeurs_depense(ligne, natures),
                ));
            }
        }
        _ => {}
    }
    sortie
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::au_dela;
    use crate::rules::Verification;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn a_gap_to_explain_is_beyond_every_given_threshold() {
        // 15 %: exactly the threshold is not beyond it, a cent more is, either way.
        assert!(!au_dela(d("1000"), d("150"), Some(d("15")), None));
        assert!(au_dela(d("1000"), d("150.01"), Some(d("15")), None));
        assert!(au_dela(d("1000"), d("-150.01"), Some(d("15")), None));
        assert!(!au_dela(d("1000"), d("-150"), Some(d("15")), None));
        // Nothing planned: any gap is beyond a percentage; no gap never is.
        assert!(au_dela(Decimal::ZERO, d("0.01"), Some(d("15")), None));
        assert!(!au_dela(Decimal::ZERO, Decimal::ZERO, Some(d("15")), None));
        // Both thresholds: beyond each.
        assert!(!au_dela(d("100"), d("50"), Some(d("15")), Some(d("100"))));
        assert!(au_dela(d("1000"), d("200"), Some(d("15")), Some(d("100"))));
        assert!(!au_dela(d("100000"), d("500"), Some(d("15")), Some(d("100"))));
        // Euros only.
        assert!(!au_dela(d("10"), d("100"), None, Some(d("100"))));
        assert!(au_dela(d("10"), d("100.01"), None, Some(d("100"))));
    }

    /// Lint refuses a threshold outside 0–100 %, but a pack loaded some other way must not
    /// end the run: the engine compares with checked products, and never panics.
    #[test]
    fn an_absurd_threshold_never_panics_the_engine() {
        assert!(!au_dela(d("1000"), d("150"), Some(Decimal::MAX), None));
        assert!(!au_dela(Decimal::MAX, Decimal::MAX, Some(Decimal::MAX), Some(Decimal::MAX)));
        assert!(au_dela(d("1000"), Decimal::MAX, Some(d("15")), None));
        let texte = "format = 1\nexercice = 2025\n[action]\naxe = 1\nvolet = 1\n\
                     [[depense]]\nnature = \"prestation\"\nlibelle = \"a\"\nmontant = \"999999999.99\"\nrealise = 1\n";
        let dossier = crate::lecture::toml::lire_toml(texte, "t.toml").expect("TOML").dossier;
        let regles = crate::rules::Regles::embarquees().expect("embedded packs");
        let p = regles.parametres_pour(&dossier);
        let (reel, _) = super::super::calcul::dossier_realise(&dossier);
        let r = super::Realise { dossier: &reel, budget: None };
        for seuil in [Decimal::MAX, Decimal::MIN, d("79228162514264337593543950")] {
            let v = Verification::BilanEcartExplique { seuil_pourcentage: Some(seuil), seuil_euros: Some(seuil) };
            let _ = super::evaluer_bilan(&v, &dossier, &r, &p);
        }
    }

    #[test]
    fn an_indicator_below_plan_by_more_than_the_threshold() {
        use super::sous_le_prevu;
        // 15 %: 51 of 60 is exactly 15 % below, 50 of 60 is beyond.
        assert_eq!(sous_le_prevu(d("60"), d("51"), d("15")), None);
        assert_eq!(sous_le_prevu(d("60"), d("50"), d("15")).map(|x| x.round_dp(1)), Some(d("16.7")));
        // Above plan, at plan, nothing planned: nothing to explain.
        assert_eq!(sous_le_prevu(d("60"), d("80"), d("15")), None);
        assert_eq!(sous_le_prevu(d("60"), d("60"), d("0")), None);
        assert_eq!(sous_le_prevu(Decimal::ZERO, Decimal::ZERO, d("15")), None);
        // Reached 0: 100 % below.
        assert_eq!(sous_le_prevu(d("10"), Decimal::ZERO, d("15")), Some(d("100")));
        // Absurd values never panic.
        let _ = sous_le_prevu(Decimal::MAX, Decimal::MIN, Decimal::MAX);
        let _ = sous_le_prevu(Decimal::new(1, 28), Decimal::MIN, Decimal::ZERO);
        assert!(sous_le_prevu(Decimal::MAX, Decimal::ZERO, d("15")).is_some());
        let p = |t: &str| t.parse::<toml::Table>().expect("toml");
        let e = Verification::compiler("bilan-indicateur-ecart", &p("seuil_pourcentage = 150")).expect_err("150 %");
        assert!(e.contains("hors de 0 à 100"), "{e}");
        assert_eq!(
            Verification::compiler("bilan-indicateur-ecart", &p("seuil_pourcentage = \"12.5\"")).expect("valid"),
            Verification::BilanIndicateurEcart { seuil_pourcentage: d("12.5") }
        );
    }
}
