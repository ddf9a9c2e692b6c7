//! The budget figures of rules.md, in exact decimals.

pub mod cerfa;
pub mod explication;
pub mod sortie;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::montant::arrondi_inferieur_centime;
use crate::model::{Code, Depense, Dossier, Montant};

/// Budget parameters, read from the national pack's rules (`plafond`, `depenses-eligibles`,
/// `personnel`, `compte-contribution`).
#[derive(Debug, Clone, PartialEq)]
pub struct Parametres {
    /// The ceiling rate, e.g. 0.80.
    pub taux: Decimal,
    /// Lines of these `dispositif`s leave the ceiling base and the eligible total…
    pub dispositifs_exclus: Vec<String>,
    /// …in these volets only (`"3.1"`): elsewhere the tag has no effect (rules v2); `None`
    /// in packs written before rules v2, where tags take effect everywhere.
    pub dispositifs_volets: Option<Vec<String>>,
    /// Income from these funders is Caf funding.
    pub financeurs_caf: Vec<String>,
    /// The funder of this request (`caf-fnp`).
    pub financeur_demande: String,
    /// Eligible natures by volet (`"1.1"`).
    pub eligibles: BTreeMap<String, Vec<String>>,
    /// Eligible natures of a volet the table does not name.
    pub eligibles_defaut: Vec<String>,
    /// Account prefixes that are never eligible, whatever the nature (`"2"`, `"68"`).
    pub comptes_non_eligibles: Vec<String>,
    /// Account prefixes of contributions in kind (`"86"`, `"87"`): not an expense at all.
    pub comptes_contributions: Vec<String>,
    /// The personnel rule: a line of this nature counts only when its
    /// `personnel_champ_ligne` is true (rules v4: whatever the bearer's funding). Packs
    /// written before rules v4 name the bearer's flag (`personnel_champ_porteur`) and Caf
    /// funders (`personnel_financeurs`): there the condition holds only for a bearer already
    /// funded by the Caf, as they were read.
    pub personnel_nature: String,
    pub personnel_champ_porteur: Option<String>,
    pub personnel_financeurs: Vec<String>,
    pub personnel_champ_ligne: String,
}

impl Parametres {
    /// Whether the action's volet is one where `dispositif` tags take effect.
    pub fn dispositifs_actifs(&self, d: &Dossier) -> bool {
        match &self.dispositifs_volets {
            Some(volets) => d.axe_volet().is_some_and(|av| volets.contains(&av)),
            None => true,
        }
    }

    /// The tag of a line if it takes effect (rules.md: in 3.1, never on the request itself).
    pub fn tag_effectif(&self, d: &Dossier, dispositif: Option<Code>, financeur: Option<Code>) -> Option<Code> {
        let tag = dispositif.filter(|x| self.dispositifs_exclus.iter().any(|e| e == x.as_str()))?;
        if financeur.is_some_and(|f| f.as_str() == self.financeur_demande) || !self.dispositifs_actifs(d) {
            return None;
        }
        Some(tag)
    }

    /// Whether a staff line of this dossier needs increased working time to count: always
    /// (rules v4), or, in a pack written before rules v4, when the bearer is already funded
    /// by the Caf (its declaration, or a Caf income line of its budget).
    pub fn personnel_exige_hausse(&self, d: &Dossier) -> bool {
        match &self.personnel_champ_porteur {
            None => true,
            Some(champ) => deja_finance_caf(d, champ, &self.personnel_financeurs),
        }
    }

    /// The account prefix of `liste` that `compte` starts with, if any.
    fn compte_dans<'a>(compte: Option<&str>, liste: &'a [String]) -> Option<&'a str> {
        let compte = compte?.trim();
        liste.iter().find(|prefixe| compte.starts_with(prefixe.as_str())).map(String::as_str)
    }

    /// Whether an expense line's account is a contribution in kind (86/87).
    pub fn compte_contribution(&self, ligne: &Depense) -> bool {
        Self::compte_dans(ligne.compte.as_deref(), &self.comptes_contributions).is_some()
    }
}

/// Whether the bearer is funded by the Caf otherwise: by its declaration (`champ` true), or
/// by an income line of one of `financeurs` above 0.
pub fn deja_finance_caf(d: &Dossier, champ: &str, financeurs: &[String]) -> bool {
    d.vrai(champ)
        || d.recettes
            .iter()
            .any(|r| financeurs.iter().any(|f| f == r.financeur.as_str()) && !r.montant.valeur().is_zero())
}

/// Why an expense line counts or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Eligibilite {
    Eligible,
    /// Tagged `laep`/`clas` in a lieu ressource: outside the fund's budget.
    HorsBudgetDispositif,
    /// On an account of contributions in kind (86/87): not an expense (GEN-COMPTE-CONTRIBUTION).
    CompteContribution,
    /// On an account that is never eligible (class 2, 68: investments) (GEN-DEPENSE-INELIGIBLE).
    CompteIneligible,
    /// Its nature is not eligible in the volet (GEN-DEPENSE-INELIGIBLE).
    NatureIneligible,
    /// Personnel without increased working time (GEN-PERSONNEL; rules v4: whatever the
    /// bearer's funding).
    PersonnelSansHausse,
}

impl Eligibilite {
    pub fn compte(self) -> bool {
        self == Eligibilite::Eligible
    }

    /// Whether the line stays in the ceiling base (rules.md, `base_plafond`).
    pub fn dans_la_base(self) -> bool {
        !matches!(self, Eligibilite::HorsBudgetDispositif | Eligibilite::CompteContribution)
    }
}

/// The figures that decide the grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Budget {
    #[serde(serialize_with = "deux_decimales")]
    pub total_charges: Decimal,
    #[serde(serialize_with = "deux_decimales")]
    pub total_eligible: Decimal,
    #[serde(serialize_with = "deux_decimales")]
    pub total_produits: Decimal,
    #[serde(serialize_with = "deux_decimales")]
    pub total_contributions: Decimal,
    #[serde(serialize_with = "deux_decimales")]
    pub base_plafond: Decimal,
    #[serde(serialize_with = "deux_decimales")]
    pub plafond_caf: Decimal,
    #[serde(serialize_with = "deux_decimales")]
    pub financement_caf: Decimal,
    #[serde(serialize_with = "deux_decimales")]
    pub demande_fnp: Decimal,
    #[serde(serialize_with = "deux_decimales")]
    pub montant_max_fnp: Decimal,
    /// Eligibility of each expense line, in the dossier's order.
    #[serde(skip)]
    pub lignes: Vec<Eligibilite>,
    /// Why the FNP amount is bounded by the eligible total, in one sentence
    /// (`explication::explication`); set by the check, in the words of the dossier's medium.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explication: Option<String>,
}

/// Amounts in JSON: strings with two decimals (`"1200.50"`).
pub fn texte_deux_decimales(d: &Decimal) -> String {
    let mut v = *d;
    v.rescale(2);
    v.to_string()
}

fn deux_decimales<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&texte_deux_decimales(d))
}

/// Eligibility of one expense line.
pub fn eligibilite(d: &Dossier, ligne: &Depense, p: &Parametres) -> Eligibilite {
    if p.compte_contribution(ligne) {
        return Eligibilite::CompteContribution;
    }
    if p.tag_effectif(d, ligne.dispositif, None).is_some() {
        return Eligibilite::HorsBudgetDispositif;
    }
    if Parametres::compte_dans(ligne.compte.as_deref(), &p.comptes_non_eligibles).is_some() {
        return Eligibilite::CompteIneligible;
    }
    let natures = d.axe_volet().and_then(|av| p.eligibles.get(&av)).unwrap_or(&p.eligibles_defaut);
    if !natures.iter().any(|n| n == ligne.nature.as_str()) {
        return Eligibilite::NatureIneligible;
    }
    if ligne.nature.as_str() == p.personnel_nature
        && p.personnel_exige_hausse(d)
        && !ligne_vraie(ligne, &p.personnel_champ_ligne)
    {
        return Eligibilite::PersonnelSansHausse;
    }
    Eligibilite::Eligible
}

/// A boolean column of an expense line, by key.
pub fn ligne_vraie(ligne: &Depense, cle: &str) -> bool {
    match cle {
        "hausse_temps_travail" => ligne.hausse_temps_travail,
        _ => false,
    }
}

/// Computes the figures of rules.md.
pub fn calculer(d: &Dossier, p: &Parametres) -> Budget {
    let lignes: Vec<Eligibilite> = d.depenses.iter().map(|l| eligibilite(d, l, p)).collect();
    let somme = |it: &mut dyn Iterator<Item = Montant>| -> Decimal { it.map(Montant::valeur).sum() };
    let est_caf = |r: &crate::model::Recette| p.financeurs_caf.iter().any(|f| f == r.financeur.as_str());

    let total_charges = somme(&mut d.depenses.iter().map(|l| l.montant));
    let total_eligible = somme(&mut d.depenses.iter().zip(&lignes).filter(|(_, e)| e.compte()).map(|(l, _)| l.montant));
    let total_produits = somme(&mut d.recettes.iter().map(|r| r.montant));
    let total_contributions = somme(&mut d.contributions.iter().map(|c| c.montant));
    let base_plafond =
        somme(&mut d.depenses.iter().zip(&lignes).filter(|(_, e)| e.dans_la_base()).map(|(l, _)| l.montant));
    let plafond_caf = arrondi_inferieur_centime(base_plafond * p.taux);
    // Caf income whose tag takes no effect, plus, for each tag, what its Caf income leaves
    // over its own charges: that surplus funds the lieu (rules v2).
    let mut financement_caf = somme(
        &mut d
            .recettes
            .iter()
            .filter(|r| est_caf(r) && p.tag_effectif(d, r.dispositif, Some(r.financeur)).is_none())
            .map(|r| r.montant),
    );
    for tag in &p.dispositifs_exclus {
        let recettes_tag = somme(
            &mut d
                .recettes
                .iter()
                .filter(|r| {
                    est_caf(r) && p.tag_effectif(d, r.dispositif, Some(r.financeur)).is_some_and(|t| t.as_str() == tag)
                })
                .map(|r| r.montant),
        );
        let charges_tag = somme(
            &mut d
                .depenses
                .iter()
                .filter(|l| p.tag_effectif(d, l.dispositif, None).is_some_and(|t| t.as_str() == tag))
                .map(|l| l.montant),
        );
        financement_caf += (recettes_tag - charges_tag).max(Decimal::ZERO);
    }
    // The request is never tagged in effect, so it is wholly in `financement_caf`.
    let demande_fnp =
        somme(&mut d.recettes.iter().filter(|r| r.financeur.as_str() == p.financeur_demande).map(|r| r.montant));
    let autres_caf = financement_caf - demande_fnp;
    let montant_max_fnp = total_eligible.min(plafond_caf - autres_caf).max(Decimal::ZERO);

    let deux = |mut v: Decimal| {
        v.rescale(2);
        v
    };
    Budget {
        total_charges: deux(total_charges),
        total_eligible: deux(total_eligible),
        total_produits: deux(total_produits),
        total_contributions: deux(total_contributions),
        base_plafond: deux(base_plafond),
        plafond_caf,
        financement_caf: deux(financement_caf),
        demande_fnp: deux(demande_fnp),
        montant_max_fnp: deux(montant_max_fnp),
        lignes,
        explication: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema;
    use crate::model::{Code, Depense, Recette, Valeur};
    use crate::rules::Regles;

    fn params() -> Parametres {
        Regles::embarquees().and_then(|r| r.parametres_budget(None)).expect("embedded packs")
    }

    fn m(s: &str) -> Montant {
        Montant::parse_texte(s).expect("amount")
    }

    fn depense(i: usize, nature: &str, montant: &str, dispositif: Option<&str>, hausse: bool) -> Depense {
        Depense {
            index: i,
            nature: Code::parmi(nature, schema::NATURES_DEPENSE).expect("nature"),
            libelle: format!("ligne {i}"),
            montant: m(montant),
            compte: None,
            dispositif: dispositif.and_then(|d| Code::parmi(d, schema::DISPOSITIFS)),
            hausse_temps_travail: hausse,
            justificatif: None,
            realise: None,
            explication: None,
        }
    }

    fn recette(i: usize, financeur: &str, montant: &str, dispositif: Option<&str>) -> Recette {
        Recette {
            index: i,
            financeur: Code::parmi(financeur, schema::FINANCEURS).expect("financeur"),
            libelle: None,
            montant: m(montant),
            statut: Code::parmi("demande", schema::STATUTS_RECETTE).expect("statut"),
            dispositif: dispositif.and_then(|d| Code::parmi(d, schema::DISPOSITIFS)),
            realise: None,
            explication: None,
        }
    }

    fn dossier(axe: i64, volet: i64, finance_caf: bool) -> Dossier {
        let mut d = Dossier::default();
        d.champs.insert("action.axe", Valeur::Entier(axe));
        d.champs.insert("action.volet", Valeur::Entier(volet));
        d.champs.insert("porteur.finance_caf", Valeur::Booleen(finance_caf));
        d
    }

    fn texte(d: Decimal) -> String {
        texte_deux_decimales(&d)
    }

    #[test]
    fn ceiling_rounds_down_to_the_cent() {
        let mut d = dossier(1, 1, false);
        d.depenses.push(depense(0, "prestation", "1000.01", None, false));
        let b = calculer(&d, &params());
        // 80 % of 1 000,01 = 800,008 → 800,00
        assert_eq!(texte(b.plafond_caf), "800.00");
        d.depenses[0] = depense(0, "prestation", "1000.04", None, false);
        // 800,032 → 800,03
        assert_eq!(texte(calculer(&d, &params()).plafond_caf), "800.03");
    }

    #[test]
    fn laep_and_clas_lines_leave_the_base_and_the_eligible_total() {
        let mut d = dossier(3, 1, false);
        d.depenses.push(depense(0, "fonctionnement", "10000", None, false));
        d.depenses.push(depense(1, "personnel", "5000", Some("laep"), false));
        d.depenses.push(depense(2, "prestation", "1000", Some("clas"), false));
        d.recettes.push(recette(0, "caf-fnp", "6000", None));
        d.recettes.push(recette(1, "caf-autre", "4000", Some("laep")));
        d.recettes.push(recette(2, "caf-autre", "1000", None));
        let b = calculer(&d, &params());
        assert_eq!(texte(b.total_charges), "16000.00");
        assert_eq!(texte(b.total_eligible), "10000.00", "fonctionnement is eligible in 3.1");
        assert_eq!(texte(b.base_plafond), "10000.00");
        assert_eq!(texte(b.plafond_caf), "8000.00");
        assert_eq!(texte(b.financement_caf), "7000.00");
        assert_eq!(texte(b.demande_fnp), "6000.00");
        // min(10 000, 8 000 − 1 000) = 7 000
        assert_eq!(texte(b.montant_max_fnp), "7000.00");
        assert_eq!(
            b.lignes,
            vec![Eligibilite::Eligible, Eligibilite::HorsBudgetDispositif, Eligibilite::HorsBudgetDispositif]
        );
    }

    #[test]
    fn personnel_rule_and_natures_by_volet() {
        let mut d = dossier(1, 1, true);
        d.depenses.push(depense(0, "personnel", "1800", None, false));
        d.depenses.push(depense(1, "personnel", "1200", None, true));
        d.depenses.push(depense(2, "fonctionnement", "600", None, false));
        d.depenses.push(depense(3, "investissement", "400", None, false));
        let b = calculer(&d, &params());
        assert_eq!(
            b.lignes,
            vec![
                Eligibilite::PersonnelSansHausse,
                Eligibilite::Eligible,
                Eligibilite::NatureIneligible,
                Eligibilite::NatureIneligible
            ]
        );
        assert_eq!(texte(b.total_eligible), "1200.00");
        // Rules v4: without Caf funding too, a staff line counts only with increased working
        // time (the footnote sets no condition on the bearer's funding).
        let mut d2 = d.clone();
        d2.champs.insert("porteur.finance_caf", Valeur::Booleen(false));
        assert_eq!(texte(calculer(&d2, &params()).total_eligible), "1200.00");
        // A pack written before rules v4 (it names the bearer's flag) keeps its reading: a
        // bearer the Caf does not fund counts its staff lines whatever the working time.
        let mut v3 = params();
        v3.personnel_champ_porteur = Some("porteur.finance_caf".into());
        v3.personnel_financeurs = vec!["caf-autre".into()];
        assert_eq!(texte(calculer(&d2, &v3).total_eligible), "3000.00");
        assert_eq!(texte(calculer(&d, &v3).total_eligible), "1200.00");
        // A volet the table does not name: every nature but investissement.
        let mut d3 = d2.clone();
        d3.champs.insert("action.axe", Valeur::Entier(4));
        assert_eq!(texte(calculer(&d3, &params()).total_eligible), "1800.00");
    }

    #[test]
    fn maximum_is_never_negative_and_sums_are_exact() {
        let mut d = dossier(1, 1, false);
        d.depenses.push(depense(0, "prestation", "0.10", None, false));
        d.depenses.push(depense(1, "prestation", "0.20", None, false));
        d.recettes.push(recette(0, "caf-autre", "100", None));
        let b = calculer(&d, &params());
        assert_eq!(texte(b.total_charges), "0.30");
        assert_eq!(texte(b.plafond_caf), "0.24");
        assert_eq!(texte(b.montant_max_fnp), "0.00");
    }
}
