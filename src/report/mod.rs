//! Output formats of `fnp check`: one file each, behind [`Rapport`].

pub mod fichiers;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod visible;

pub use crate::model::noms::pluriel;
pub use visible::visible;

use std::collections::BTreeMap;
use std::io::{self, Write};

use rust_decimal::Decimal;

use crate::check::{Resultat, Verdict};

/// An output format of checked dossiers, fed one dossier at a time (a batch streams).
pub trait Rapport {
    fn debut(&mut self, _sortie: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn dossier(&mut self, r: &Resultat, sortie: &mut dyn Write) -> io::Result<()>;
    fn fin(&mut self, synthese: &Synthese, sortie: &mut dyn Write) -> io::Result<()>;
}

/// A result as the formats machines read give it (JSON, SARIF, JUnit, GitHub annotations;
/// docs/cli.md, « Chemins »): every path with `/`, on every system. People read paths as
/// their system writes them (`io::texte_chemin`); a program reading fnp's JSON gets one form
/// wherever fnp ran. Nothing to change off Windows.
pub fn forme_stable(r: &Resultat) -> std::borrow::Cow<'_, Resultat> {
    use crate::lecture::chemin_stable;
    let a_changer = chemin_stable(&r.source) != r.source.as_str()
        || r.constats.iter().any(|c| chemin_stable(&c.emplacement.fichier) != c.emplacement.fichier.as_str())
        || r.annotation.as_ref().and_then(|a| a.fichier.as_deref()).is_some_and(|f| chemin_stable(f) != f);
    if !a_changer {
        return std::borrow::Cow::Borrowed(r);
    }
    let mut r = r.clone();
    r.source = chemin_stable(&r.source).into_owned();
    for c in &mut r.constats {
        c.emplacement.fichier = chemin_stable(&c.emplacement.fichier).into_owned();
    }
    if let Some(f) = r.annotation.as_mut().and_then(|a| a.fichier.as_mut()) {
        *f = chemin_stable(f).into_owned();
    }
    std::borrow::Cow::Owned(r)
}

/// Writes a whole batch already in memory.
pub fn ecrire_tout(rapport: &mut dyn Rapport, resultats: &[Resultat], sortie: &mut dyn Write) -> io::Result<()> {
    rapport.debut(sortie)?;
    for r in resultats {
        rapport.dossier(r, sortie)?;
    }
    rapport.fin(&Synthese::de(resultats), sortie)
}

/// Counts of dossiers by verdict, and what an instructor wants to know of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Synthese {
    pub dossiers: usize,
    pub conforme: usize,
    #[serde(rename = "a-verifier")]
    pub a_verifier: usize,
    #[serde(rename = "non-conforme")]
    pub non_conforme: usize,
    pub illisible: usize,
    /// Dossiers by axe and volet (`"1.1"`), in order.
    pub par_volet: BTreeMap<String, usize>,
    /// The most frequent rule ids (dossiers where each fires), most frequent first.
    pub regles_frequentes: Vec<Frequence>,
    /// Sum of the FNP requests, and of the fundable maximums, over the dossiers whose budget
    /// could be computed.
    #[serde(serialize_with = "decimal_texte")]
    pub total_demande_fnp: Decimal,
    #[serde(serialize_with = "decimal_texte")]
    pub total_montant_max_fnp: Decimal,
    /// Rules v4: the dossiers that hold a bilan, and how many of those are complete.
    #[serde(skip_serializing_if = "est_zero")]
    pub bilans: usize,
    #[serde(skip_serializing_if = "est_zero")]
    pub bilans_complets: usize,
    /// What the rules of the run change in fnp's national rules (hostile round 4), each in
    /// French; absent with the embedded rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regles_modifiees: Vec<String>,
    /// Files met in the folders that are no dossier, by extension (`.pdf` → 3).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub ignores: BTreeMap<String, usize>,
    /// Dossiers where each rule fires, while the batch runs.
    #[serde(skip)]
    compte_regles: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Frequence {
    pub regle: String,
    pub dossiers: usize,
}

fn est_zero(n: &usize) -> bool {
    *n == 0
}

fn decimal_texte<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::budget::texte_deux_decimales(d))
}

impl Synthese {
    pub fn de(resultats: &[Resultat]) -> Synthese {
        let mut s = Synthese::default();
        for r in resultats {
            s.ajouter(r);
        }
        s.terminer();
        s
    }

    /// Counts one more dossier.
    pub fn ajouter(&mut self, r: &Resultat) {
        self.dossiers += 1;
        match r.verdict {
            Verdict::Conforme => self.conforme += 1,
            Verdict::AVerifier => self.a_verifier += 1,
            Verdict::NonConforme => self.non_conforme += 1,
            Verdict::Illisible => self.illisible += 1,
        }
        if let Some(b) = &r.bilan {
            self.bilans += 1;
            self.bilans_complets += usize::from(b.complet);
        }
        if let (Some(a), Some(v)) = (r.axe, r.volet) {
            *self.par_volet.entry(format!("{a}.{v}")).or_default() += 1;
        }
        let mut vues: Vec<&str> = r.constats.iter().map(|c| c.regle.as_str()).collect();
        vues.sort_unstable();
        vues.dedup();
        for id in vues {
            *self.compte_regles.entry(id.to_string()).or_default() += 1;
        }
        if let Some(b) = &r.budget {
            self.total_demande_fnp += b.demande_fnp;
            self.total_montant_max_fnp += b.montant_max_fnp;
        }
    }

    /// Ranks the most frequent rules once the batch is done.
    pub fn terminer(&mut self) {
        let mut frequentes: Vec<Frequence> = self
            .compte_regles
            .iter()
            .map(|(regle, dossiers)| Frequence { regle: regle.clone(), dossiers: *dossiers })
            .collect();
        frequentes.sort_by(|a, b| b.dossiers.cmp(&a.dossiers).then_with(|| a.regle.cmp(&b.regle)));
        frequentes.truncate(10);
        self.regles_frequentes = frequentes;
    }
}
