//! Output formats of `fnp check`: one file each, behind [`Rapport`].

pub mod fichiers;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};

use rust_decimal::Decimal;

use crate::check::{Resultat, Verdict};

/// An output format of checked dossiers.
pub trait Rapport {
    fn ecrire(&self, resultats: &[Resultat], sortie: &mut dyn Write) -> io::Result<()>;
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
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Frequence {
    pub regle: String,
    pub dossiers: usize,
}

fn decimal_texte<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::budget::texte_deux_decimales(d))
}

impl Synthese {
    pub fn de(resultats: &[Resultat]) -> Synthese {
        let mut s = Synthese { dossiers: resultats.len(), ..Default::default() };
        let mut regles: BTreeMap<&str, usize> = BTreeMap::new();
        for r in resultats {
            match r.verdict {
                Verdict::Conforme => s.conforme += 1,
                Verdict::AVerifier => s.a_verifier += 1,
                Verdict::NonConforme => s.non_conforme += 1,
                Verdict::Illisible => s.illisible += 1,
            }
            if let (Some(a), Some(v)) = (r.axe, r.volet) {
                *s.par_volet.entry(format!("{a}.{v}")).or_default() += 1;
            }
            let mut vues: Vec<&str> = r.constats.iter().map(|c| c.regle.as_str()).collect();
            vues.sort_unstable();
            vues.dedup();
            for id in vues {
                *regles.entry(id).or_default() += 1;
            }
            if let Some(b) = &r.budget {
                s.total_demande_fnp += b.demande_fnp;
                s.total_montant_max_fnp += b.montant_max_fnp;
            }
        }
        let mut frequentes: Vec<Frequence> =
            regles.into_iter().map(|(regle, dossiers)| Frequence { regle: regle.to_string(), dossiers }).collect();
        frequentes.sort_by(|a, b| b.dossiers.cmp(&a.dossiers).then_with(|| a.regle.cmp(&b.regle)));
        frequentes.truncate(10);
        s.regles_frequentes = frequentes;
        s
    }
}

/// `1 erreur`, `2 erreurs`.
pub fn pluriel(n: usize, singulier: &str, pluriel: &str) -> String {
    format!("{n} {}", if n > 1 { pluriel } else { singulier })
}
