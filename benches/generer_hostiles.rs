//! Writes the hostile dossiers of `benches/hostiles.rs` into a folder, with the expected
//! outcome of each in `attendus.tsv` beside them (name, then `illisible:<reason>` or
//! `verdict`), for `scripts/hostiles.sh`.
//!
//! `cargo run --release --example generer-hostiles -- DIR [--petite]`

#[path = "hostiles.rs"]
mod hostiles;

use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dossier) = args.next() else {
        eprintln!("usage : generer-hostiles DOSSIER [--petite]");
        std::process::exit(2);
    };
    let echelle = if args.any(|a| a == "--petite") { hostiles::Echelle::Petite } else { hostiles::Echelle::Pleine };
    let dossier = std::path::Path::new(&dossier);
    std::fs::create_dir_all(dossier)?;
    let mut attendus = std::fs::File::create(dossier.with_extension("attendus.tsv"))?;
    for h in hostiles::hostiles(echelle) {
        h.ecrire(dossier)?;
        match h.attendu {
            hostiles::Attendu::Illisible(raison) => writeln!(attendus, "{}\tillisible:{raison}", h.nom)?,
            hostiles::Attendu::Verdict => writeln!(attendus, "{}\tverdict", h.nom)?,
        }
    }
    Ok(())
}
