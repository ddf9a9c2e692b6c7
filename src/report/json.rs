//! `--format json`: one object on stdout, as cli.md describes, written dossier by dossier so
//! that a batch of any size streams.

use std::io::{self, Write};

use serde::Serialize;

use super::{Rapport, Synthese};
use crate::budget::Budget;
use crate::check::{Compteurs, Constat, CopieAnnotee, EtatBilan, Resultat, Verdict};

#[derive(Default)]
pub struct Json {
    premier_ecrit: bool,
}

#[derive(Serialize)]
struct DossierJson<'a> {
    source: &'a str,
    verdict: Verdict,
    exercice: Option<i64>,
    axe: Option<i64>,
    volet: Option<i64>,
    #[serde(rename = "type")]
    type_action: Option<&'a str>,
    porteur: Option<&'a str>,
    compteurs: Compteurs,
    constats: &'a [Constat],
    budget: Option<&'a Budget>,
    /// Rules v4: the bilan the dossier holds (`complet`, `lignes_non_renseignees`), `null`
    /// for a dossier without any actual value.
    bilan: Option<&'a EtatBilan>,
    /// The file is fnp's own annotated copy, unchanged since fnp wrote it (checked as a
    /// dossier all the same); absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    copie_de_fnp: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    copie_annotee: Option<&'a CopieAnnotee>,
}

fn dossier_json(r: &Resultat) -> DossierJson<'_> {
    DossierJson {
        source: &r.source,
        verdict: r.verdict,
        exercice: r.exercice,
        axe: r.axe,
        volet: r.volet,
        type_action: r.type_action.as_deref(),
        porteur: r.porteur.as_deref(),
        compteurs: r.compteurs(),
        constats: &r.constats,
        budget: r.budget.as_ref(),
        bilan: r.bilan.as_ref(),
        copie_de_fnp: r.copie_de_fnp,
        copie_annotee: r.annotation.as_ref(),
    }
}

/// Writes a value pretty-printed and indented to sit at `niveau` (at most 8) inside the
/// document: made in memory (a dossier's few kilobytes), then written with its margin in a
/// few calls rather than one per token.
fn ecrire_indente<T: Serialize>(sortie: &mut dyn Write, valeur: &T, niveau: usize) -> io::Result<()> {
    let marge = &b"        "[..niveau.min(8)];
    let mut tampon = Vec::with_capacity(4096);
    serde_json::to_writer_pretty(&mut tampon, valeur).map_err(io::Error::from)?;
    // The margin after every line break (JSON strings never hold a raw one).
    let mut debut = 0;
    for i in memchr::memchr_iter(b'\n', &tampon) {
        sortie.write_all(&tampon[debut..=i])?;
        sortie.write_all(marge)?;
        debut = i + 1;
    }
    sortie.write_all(&tampon[debut..])
}

/// The JSON value of a batch (tests and tools that hold every result).
pub fn document(resultats: &[Resultat]) -> serde_json::Value {
    let mut tampon = Vec::new();
    let _ = super::ecrire_tout(&mut Json::default(), resultats, &mut tampon);
    serde_json::from_slice(&tampon).unwrap_or(serde_json::Value::Null)
}

impl Rapport for Json {
    fn debut(&mut self, sortie: &mut dyn Write) -> io::Result<()> {
        write!(
            sortie,
            "{{\n  \"outil\": \"fnp\",\n  \"version\": \"{}\",\n  \"dossiers\": [",
            env!("CARGO_PKG_VERSION")
        )
    }

    fn dossier(&mut self, r: &Resultat, sortie: &mut dyn Write) -> io::Result<()> {
        let separateur = if self.premier_ecrit { "," } else { "" };
        self.premier_ecrit = true;
        write!(sortie, "{separateur}\n    ")?;
        ecrire_indente(sortie, &dossier_json(&super::forme_stable(r)), 4)
    }

    fn fin(&mut self, synthese: &Synthese, sortie: &mut dyn Write) -> io::Result<()> {
        let fermeture = if self.premier_ecrit { "\n  ]" } else { "]" };
        write!(sortie, "{fermeture},\n  \"synthese\": ")?;
        ecrire_indente(sortie, synthese, 2)?;
        writeln!(sortie, "\n}}")
    }
}
