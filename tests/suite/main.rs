//! The integration tests, in one binary (one link of fnp and its dependencies instead of one
//! per file): each module speaks for a kind of user or a part of the contract.
//! - `cli`: the command line from the outside (help, errors, formats, standard input);
//! - `classeurs`: workbooks and CSV folders read as people fill them, the template, conversion;
//! - `annotation`: the annotated copies handed back to associations;
//! - `documents`: the dossier document and budget outputs (snapshots, Chromium in scripts/);
//! - `bilan`: the compte rendu of a completed dossier (`fnp bilan`), planned against actual;
//! - `regles`, `cycle_regles`: rule packs, pinned cases, impact, money invariants;
//! - `robustesse`: hostile inputs, limits, outputs written safely;
//! - `sorties`: names shown without loss, write errors in French, Excel's limits.
//! - `windows`: what a Windows user meets (paths, CRLF, the console, long paths, locks).

mod annotation;
mod architecture;
mod bilan;
mod classeurs;
mod cli;
mod commun;
mod concurrence;
mod cycle_regles;
mod documents;
mod hostiles;
mod regles;
mod robustesse;
mod sorties;
mod tresorier;
mod windows;
