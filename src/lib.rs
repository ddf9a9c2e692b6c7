//! `fnp`: checks French *Fonds national parentalité* (FNP) funding dossiers against the
//! fund's rules, kept as data in rule packs.
//!
//! The binary (`src/main.rs`) only parses the command line into [`Settings`] and calls
//! [`run`]; everything else lives here.

// A reader's error carries the location and the text for the caret display; it is built once
// per unreadable file, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod bilan;
pub mod budget;
pub mod check;
pub mod cli;
pub mod commandes;
pub mod ecriture;
pub mod interruption;
pub mod lecture;
pub mod model;
pub mod render;
pub mod report;
pub mod rules;
#[cfg(target_arch = "wasm32")]
pub mod web;

use std::io::Write;
use std::path::PathBuf;

use check::{Resultat, Verdict};
pub use interruption::{interrompre, interrompre_par, interrompu, signal, signal_recu};
use rules::{Gravite, PackInvalide, Regles};

/// Output format of `fnp check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Humain,
    Json,
    Junit,
    Sarif,
    Github,
}

/// Options of `fnp check`.
#[derive(Debug, Clone, Default)]
pub struct CheckSettings {
    pub chemins: Vec<PathBuf>,
    pub format: Format,
    pub strict: bool,
    pub regles: Option<PathBuf>,
    pub silencieux: bool,
    pub jobs: Option<usize>,
    /// Bounds on each input.
    pub limites: lecture::limites::Limites,
    /// `--report DIR`: `synthese.csv`, `synthese.json`, `rapport.html`.
    pub rapport: Option<PathBuf>,
    /// `--annotate DIR`: an annotated copy of each workbook.
    pub annoter: Option<PathBuf>,
    /// Replace existing report files and annotated copies.
    pub force: bool,
    /// Show a progress bar (on a terminal, for long batches).
    pub progression: bool,
    /// Show the arithmetic behind each finding.
    pub expliquer: bool,
    /// Follow links that lead out of a batch folder (`--follow-links`).
    pub suivre_liens: bool,
    /// `--deny`, `--warn`, `--allow`: rule id → forced severity, `None` to silence.
    pub forcages: Vec<(String, Option<rules::Gravite>)>,
}

impl CheckSettings {
    /// Whether the run is a batch (several paths, a folder) or writes files (reports,
    /// annotated copies): what Ctrl-C must stop cleanly.
    pub fn lot_ou_fichiers(&self) -> bool {
        self.chemins.len() != 1
            || self.chemins.iter().any(|c| c.is_dir())
            || self.rapport.is_some()
            || self.annoter.is_some()
    }
}

impl Settings {
    /// Whether the command stops cleanly on an interruption (Ctrl-C, SIGTERM, SIGHUP): a
    /// batch, or a run writing a set of files. Every other command is short or writes one
    /// file through a rename, and is left to the signal's default action (ended at once).
    pub fn interruptible(&self) -> bool {
        match self {
            Settings::Check(c) => c.lot_ou_fichiers(),
            Settings::Bilan(b) => b.lot(),
            Settings::Drop(_) => true,
            _ => false,
        }
    }
}

/// What to do, as parsed from the command line.
#[derive(Debug, Clone)]
pub enum Settings {
    Check(CheckSettings),
    Budget(commandes::budget::BudgetSettings),
    Bilan(commandes::bilan::BilanSettings),
    Dossier(commandes::dossier::DossierSettings),
    Init(commandes::init::InitSettings),
    Template(commandes::classeur::TemplateSettings),
    Convert(commandes::classeur::ConvertSettings),
    RulesList(commandes::regles::ListeSettings),
    RulesLint(commandes::regles::LintSettings),
    RulesTest(commandes::regles::TestSettings),
    RulesImpact(commandes::regles::ImpactSettings),
    RulesExport(commandes::export::ExportSettings),
    Explain(commandes::regles::ExplainSettings),
    /// `fnp drop`: what `verifier-un-dossier.cmd` runs.
    Drop(commandes::depot::DropSettings),
}

/// A failure of the command itself (exit code 2), as opposed to findings.
#[derive(Debug, thiserror::Error)]
pub enum Erreur {
    #[error("pack de règles invalide : {0}")]
    Regles(#[from] PackInvalide),
    #[error(
        "aucun dossier à vérifier dans {0} (fnp cherche les fichiers .toml, .xlsx, .xlsm, .xls, .ods et les répertoires CSV)"
    )]
    AucunDossier(String),
    /// Said in French with its cause (io::description_io), never in the system's English.
    #[error("écriture impossible : {}", crate::lecture::description_io(.0))]
    Ecriture(#[from] std::io::Error),
    #[error("{0}")]
    Autre(String),
    #[error(
        "interrompu ({}) : aucun rapport n'a été écrit, les fichiers déjà écrits sont complets",
        cause_interruption()
    )]
    Interrompu,
}

impl Erreur {
    /// An output that could not be written, or the run interrupted while writing it: an
    /// interruption is never reported as a write error (its exit code is the signal's).
    pub fn ecriture(message: String) -> Erreur {
        if interrompu() { Erreur::Interrompu } else { Erreur::Autre(message) }
    }
}

/// What interrupted the run, in words.
fn cause_interruption() -> &'static str {
    match signal_recu() {
        Some(signal::SIGTERM) => "signal SIGTERM : arrêt demandé",
        Some(signal::SIGHUP) => "signal SIGHUP : terminal fermé",
        _ => "Ctrl-C",
    }
}

/// Exit codes of cli.md.
pub mod code {
    pub const OK: u8 = 0;
    pub const NON_CONFORME: u8 = 1;
    pub const ECHEC: u8 = 2;
    /// Interrupted by Ctrl-C (128 + SIGINT, as shells report it).
    pub const INTERROMPU: u8 = 130;
    /// Ended by SIGTERM (128 + 15).
    pub const TERMINE: u8 = 143;
    /// Ended by SIGHUP, the terminal closed (128 + 1).
    pub const RACCROCHE: u8 = 129;

    /// The exit code of a run interrupted by `signal` (cli.md).
    pub fn interruption(signal: Option<i32>) -> u8 {
        match signal {
            Some(super::signal::SIGTERM) => TERMINE,
            Some(super::signal::SIGHUP) => RACCROCHE,
            _ => INTERROMPU,
        }
    }
}

/// Runs a command, writing its normal output to `sortie`. Returns the exit code.
pub fn run(settings: Settings, sortie: &mut dyn Write) -> Result<u8, Erreur> {
    match settings {
        Settings::Check(s) => commandes::check::executer(&s, sortie),
        Settings::Budget(s) => commandes::budget::executer(&s, sortie),
        Settings::Bilan(s) => commandes::bilan::executer(&s, sortie),
        Settings::Dossier(s) => commandes::dossier::executer(&s, sortie),
        Settings::Init(s) => commandes::init::executer(&s, sortie),
        Settings::Template(s) => commandes::classeur::template(&s, sortie),
        Settings::Convert(s) => commandes::classeur::convert(&s, sortie),
        Settings::RulesList(s) => commandes::regles::liste(&s, sortie),
        Settings::RulesLint(s) => commandes::regles::lint(&s, sortie),
        Settings::RulesTest(s) => commandes::regles::test(&s, sortie),
        Settings::RulesImpact(s) => commandes::regles::impact(&s, sortie),
        Settings::RulesExport(s) => commandes::export::export(&s, sortie),
        Settings::Explain(s) => commandes::regles::explain(&s, sortie),
        Settings::Drop(s) => commandes::depot::executer(&s, sortie),
    }
}

/// Loads the rules of a run: the embedded packs, or those of `--rules DIR`.
pub fn charger_regles(dossier: Option<&std::path::Path>) -> Result<Regles, PackInvalide> {
    let regles = match dossier {
        Some(d) => {
            let mut r = Regles::depuis_dossier(d)?;
            // A keeper may change the law as data; every run says what changed (hostile round 4).
            r.noter_ecarts(&Regles::embarquees()?);
            r
        }
        None => Regles::embarquees()?,
    };
    annoncer(&regles);
    Ok(regles)
}

/// Tells on the terminal (stderr) when a folder of local packs was added to the embedded
/// national pack.
pub(crate) fn annoncer(regles: &Regles) {
    if let Some(a) = regles.annonce() {
        eprintln!("note : {}", crate::report::visible(a.as_str()));
    }
    if !regles.ecarts.is_empty() {
        eprintln!(
            "attention : règles modifiées par rapport aux règles nationales de fnp ({}) :",
            crate::report::visible(&regles.origine)
        );
        for e in &regles.ecarts {
            eprintln!("  {}", crate::report::visible(e));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_batch_or_a_run_writing_files_needs_a_clean_ctrl_c() {
        let un = |chemins: &[&str]| CheckSettings {
            chemins: chemins.iter().map(PathBuf::from).collect(),
            ..Default::default()
        };
        assert!(!un(&["examples/1.1-cafe-des-parents.toml"]).lot_ou_fichiers());
        assert!(!un(&["-"]).lot_ou_fichiers());
        assert!(un(&["examples"]).lot_ou_fichiers());
        assert!(un(&["a.toml", "b.toml"]).lot_ou_fichiers());
        let rapport = CheckSettings { rapport: Some("rapport".into()), ..un(&["a.toml"]) };
        assert!(rapport.lot_ou_fichiers());
        let annote = CheckSettings { annoter: Some("annotes".into()), ..un(&["a.xlsx"]) };
        assert!(annote.lot_ou_fichiers());
    }
}
