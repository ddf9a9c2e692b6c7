//! The bilan of an action (format.md « The bilan »): planned against actual, line by line in
//! the layout of the Cerfa compte rendu financier (n° 15059), and the fund's figures
//! recomputed on the actual budget with the dossier's own rules.
//!
//! Nothing here computes a budget figure of its own: the planned side is
//! [`crate::budget::calculer`] and [`crate::budget::cerfa::presenter`] on the dossier, the
//! actual side is the same computation on a copy of the dossier whose every line carries its
//! `realise` as its amount. A line without `realise` is not reported: the bilan is then
//! incomplete, its totals are unknown (never a guessed 0), and the actual figures of the fund
//! are not computed.
//!
//! The bilan's rules (`BILAN-*`, kinds `bilan-*`) run in `bilan/regles.rs` ([`constats_bilan`]):
//! `bilan` depends on `check` (its findings, verdicts and the making of a finding), never the
//! reverse.

mod calcul;
pub mod document;
pub mod lot;
mod regles;
pub mod sortie;

pub use calcul::{
    AVERTISSEMENT, Bilan, Comparaison, FnpBilan, GroupeBilan, Indicateur, LigneBilan, calculer, dossier_realise,
    indicateurs, lignes_sans_realise, nom_ligne,
};
pub use regles::{ajouter_bilan, constats_bilan, constats_du_bilan, verifier};
