//! `--format json`: one object on stdout, as cli.md describes.

use std::io::{self, Write};

use serde::Serialize;

use super::{Rapport, Synthese};
use crate::budget::Budget;
use crate::check::{Compteurs, Constat, Resultat, Verdict};

pub struct Json;

#[derive(Serialize)]
struct Document<'a> {
    outil: &'static str,
    version: &'static str,
    dossiers: Vec<DossierJson<'a>>,
    synthese: Synthese,
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
}

/// The JSON value of a batch (also written as `synthese.json` by reports).
pub fn document(resultats: &[Resultat]) -> serde_json::Value {
    serde_json::to_value(structure(resultats)).unwrap_or(serde_json::Value::Null)
}

fn structure(resultats: &[Resultat]) -> Document<'_> {
    Document {
        outil: "fnp",
        version: env!("CARGO_PKG_VERSION"),
        dossiers: resultats
            .iter()
            .map(|r| DossierJson {
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
            })
            .collect(),
        synthese: Synthese::de(resultats),
    }
}

impl Rapport for Json {
    fn ecrire(&self, resultats: &[Resultat], sortie: &mut dyn Write) -> io::Result<()> {
        let mut tampon = io::BufWriter::new(&mut *sortie);
        serde_json::to_writer_pretty(&mut tampon, &structure(resultats))?;
        writeln!(tampon)?;
        tampon.flush()
    }
}
