//! `fnp`: checks French *Fonds national parentalité* (FNP) funding dossiers against the
//! fund's rules, kept as data in rule packs.
//!
//! The binary (`src/main.rs`) only parses the command line into [`Settings`] and calls
//! [`run`]; everything else lives here.

// A reader's error carries the location and the text for the caret display; it is built once
// per unreadable file, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod budget;
pub mod check;
pub mod commandes;
pub mod io;
pub mod model;
pub mod render;
pub mod report;
pub mod rules;

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;

use check::{Resultat, Verdict};
use rules::{Gravite, PackInvalide, Regles};

/// Output format of `fnp check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Humain,
    Json,
}

/// Options of `fnp check`.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    pub chemins: Vec<PathBuf>,
    pub format: Format,
    pub strict: bool,
    pub regles: Option<PathBuf>,
    pub silencieux: bool,
    pub jobs: Option<usize>,
}

/// What to do, as parsed from the command line.
#[derive(Debug, Clone)]
pub enum Settings {
    Check(CheckSettings),
    Budget(commandes::budget::BudgetSettings),
    Dossier(commandes::dossier::DossierSettings),
    Init(commandes::init::InitSettings),
    Template(commandes::classeur::TemplateSettings),
    Convert(commandes::classeur::ConvertSettings),
}

/// A failure of the command itself (exit code 2), as opposed to findings.
#[derive(Debug, thiserror::Error)]
pub enum Erreur {
    #[error("pack de règles invalide : {0}")]
    Regles(#[from] PackInvalide),
    #[error("aucun dossier à vérifier dans {0} (fichiers .toml recherchés)")]
    AucunDossier(String),
    #[error("écriture impossible : {0}")]
    Ecriture(#[from] std::io::Error),
    #[error("{0}")]
    Autre(String),
}

/// Exit codes of cli.md.
pub mod code {
    pub const OK: u8 = 0;
    pub const NON_CONFORME: u8 = 1;
    pub const ECHEC: u8 = 2;
}

/// Runs a command, writing its normal output to `sortie`. Returns the exit code.
pub fn run(settings: Settings, sortie: &mut dyn Write) -> Result<u8, Erreur> {
    match settings {
        Settings::Check(s) => run_check(&s, sortie),
        Settings::Budget(s) => commandes::budget::executer(&s, sortie),
        Settings::Dossier(s) => commandes::dossier::executer(&s, sortie),
        Settings::Init(s) => commandes::init::executer(&s, sortie),
        Settings::Template(s) => commandes::classeur::template(&s, sortie),
        Settings::Convert(s) => commandes::classeur::convert(&s, sortie),
    }
}

/// Loads the rules of a run: the embedded packs, or those of `--rules DIR`.
pub fn charger_regles(dossier: Option<&std::path::Path>) -> Result<Regles, PackInvalide> {
    match dossier {
        Some(d) => Regles::depuis_dossier(d),
        None => Regles::embarquees(),
    }
}

/// Reads and checks every dossier of the paths, in parallel, in a stable order.
pub fn verifier_chemins(chemins: &[PathBuf], regles: &Regles) -> Result<Vec<Resultat>, Erreur> {
    let parametres = regles.parametres_budget()?;
    let entrees = io::decouverte::decouvrir(chemins);
    if entrees.is_empty() {
        let noms: Vec<String> = chemins.iter().map(|c| c.display().to_string()).collect();
        return Err(Erreur::AucunDossier(noms.join(", ")));
    }
    Ok(entrees
        .par_iter()
        .map(|entree| {
            let affiche = entree.chemin().display().to_string();
            match entree {
                io::decouverte::Entree::Introuvable { raison, .. } => {
                    check::illisible(&affiche, io::Illisible::sans_position(&affiche, raison.clone()), regles)
                }
                io::decouverte::Entree::Fichier(chemin) => match io::lire(chemin, &affiche) {
                    Ok(lu) => check::verifier(&affiche, &lu, regles, &parametres),
                    Err(e) => check::illisible(&affiche, e, regles),
                },
            }
        })
        .collect())
}

/// A reader that stops early (`fnp check … | head`) is not a failure of the check.
pub(crate) fn ecrire_sans_tuyau_casse(r: std::io::Result<()>) -> Result<(), Erreur> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        autre => Ok(autre?),
    }
}

/// The exit code for a batch (cli.md).
pub fn code_de_sortie(resultats: &[Resultat], strict: bool) -> u8 {
    if resultats.iter().any(|r| r.verdict == Verdict::Illisible) {
        code::ECHEC
    } else if resultats.iter().any(|r| {
        r.verdict == Verdict::NonConforme || (strict && r.constats.iter().any(|c| c.gravite == Gravite::Avertissement))
    }) {
        code::NON_CONFORME
    } else {
        code::OK
    }
}

fn run_check(s: &CheckSettings, sortie: &mut dyn Write) -> Result<u8, Erreur> {
    let regles = charger_regles(s.regles.as_deref())?;
    let resultats = match s.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| Erreur::Autre(format!("impossible de lancer {n} tâches : {e}")))?
            .install(|| verifier_chemins(&s.chemins, &regles))?,
        None => verifier_chemins(&s.chemins, &regles)?,
    };
    let rapport: Box<dyn report::Rapport> = match s.format {
        Format::Humain => Box::new(report::human::Humain { silencieux: s.silencieux }),
        Format::Json => Box::new(report::json::Json),
    };
    ecrire_sans_tuyau_casse(rapport.ecrire(&resultats, sortie).and_then(|()| sortie.flush()))?;
    Ok(code_de_sortie(&resultats, s.strict))
}
