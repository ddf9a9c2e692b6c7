//! The CSV decoding and grid reading.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limites = fnp::lecture::limites::Limites::default();
    let _ = fnp::lecture::classeur::csv::grille_csv(data, "f.csv", &limites);
    let _ = fnp::lecture::classeur::csv::decoder(data);
});
