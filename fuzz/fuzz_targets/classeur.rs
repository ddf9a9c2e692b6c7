//! The workbook reader, fed whole files (the first byte picks xlsx, ods or xls).
#![no_main]
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static REGLES: LazyLock<fnp::rules::Regles> = LazyLock::new(|| fnp::rules::Regles::embarquees().expect("packs"));

fuzz_target!(|data: &[u8]| {
    let Some((choix, octets)) = data.split_first() else { return };
    let ext = ["xlsx", "ods", "xls"][*choix as usize % 3];
    let limites = fnp::io::classeur::Limites::default();
    if let Ok(lu) = fnp::io::classeur::lire_classeur_octets(octets.to_vec(), ext, "f", &limites) {
        let _ = fnp::check::verifier("f", &lu, &REGLES);
    }
});
