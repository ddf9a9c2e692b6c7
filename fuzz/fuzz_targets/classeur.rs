//! The workbook reader, fed whole files (the first byte picks xlsx, ods or xls), through the
//! same protection as `fnp`: a panic of a reader library must become an unreadable file.
#![no_main]
use std::sync::{LazyLock, Once};

use libfuzzer_sys::fuzz_target;

static REGLES: LazyLock<fnp::rules::Regles> = LazyLock::new(|| fnp::rules::Regles::embarquees().expect("packs"));
static CROCHET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // libFuzzer's hook aborts on any panic; ours lets the protected ones unwind.
    CROCHET.call_once(fnp::lecture::installer_crochet_panique);
    let Some((choix, octets)) = data.split_first() else { return };
    let ext = ["xlsx", "ods", "xls"][*choix as usize % 3];
    let limites = fnp::lecture::limites::Limites::default();
    let lu = fnp::lecture::proteger("f", || fnp::lecture::classeur::lire_classeur_octets(std::sync::Arc::from(octets), ext, "f", &limites));
    if let Ok(lu) = lu {
        let _ = fnp::check::verifier("f", &lu, &REGLES);
    }
});
