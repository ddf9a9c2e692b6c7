//! `--format json`: one object on stdout, as cli.md describes, written dossier by dossier so
//! that a batch of any size streams.

use std::io::{self, Write};

use serde::Serialize;

use super::{Rapport, Synthese};
use crate::budget::Budget;
use crate::check::{Compteurs, Constat, Resultat, Verdict};

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
    }
}

/// A value pretty-printed and indented to sit at `niveau` inside the document.
fn indente<T: Serialize>(valeur: &T, niveau: usize) -> io::Result<String> {
    let texte = serde_json::to_string_pretty(valeur)?;
    let marge = " ".repeat(niveau);
    Ok(texte
        .lines()
        .enumerate()
        .map(|(i, l)| if i == 0 { l.to_string() } else { format!("{marge}{l}") })
        .collect::<Vec<_>>()
        .join("\n"))
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
        write!(sortie, "{separateur}\n    {}", indente(&dossier_json(r), 4)?)
    }

    fn fin(&mut self, synthese: &Synthese, sortie: &mut dyn Write) -> io::Result<()> {
        let fermeture = if self.premier_ecrit { "\n  ]" } else { "]" };
        writeln!(sortie, "{fermeture},\n  \"synthese\": {}\n}}", indente(synthese, 2)?)
    }
}
