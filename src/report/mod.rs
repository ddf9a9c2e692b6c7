//! Output formats of `fnp check`: one file each, behind [`Rapport`].

pub mod human;
pub mod json;

use std::io::{self, Write};

use crate::check::{Resultat, Verdict};

/// An output format of checked dossiers.
pub trait Rapport {
    fn ecrire(&self, resultats: &[Resultat], sortie: &mut dyn Write) -> io::Result<()>;
}

/// Counts of dossiers by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Synthese {
    pub dossiers: usize,
    pub conforme: usize,
    #[serde(rename = "a-verifier")]
    pub a_verifier: usize,
    #[serde(rename = "non-conforme")]
    pub non_conforme: usize,
    pub illisible: usize,
}

impl Synthese {
    pub fn de(resultats: &[Resultat]) -> Synthese {
        let mut s = Synthese { dossiers: resultats.len(), ..Default::default() };
        for r in resultats {
            match r.verdict {
                Verdict::Conforme => s.conforme += 1,
                Verdict::AVerifier => s.a_verifier += 1,
                Verdict::NonConforme => s.non_conforme += 1,
                Verdict::Illisible => s.illisible += 1,
            }
        }
        s
    }
}

/// `1 erreur`, `2 erreurs`.
pub fn pluriel(n: usize, singulier: &str, pluriel: &str) -> String {
    format!("{n} {}", if n > 1 { pluriel } else { singulier })
}
