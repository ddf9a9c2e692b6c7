//! The TOML reader and the whole check of what it reads.
#![no_main]
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static REGLES: LazyLock<fnp::rules::Regles> = LazyLock::new(|| fnp::rules::Regles::embarquees().expect("packs"));

fuzz_target!(|data: &[u8]| {
    if let Ok(texte) = std::str::from_utf8(data) {
        if let Ok(lu) = fnp::lecture::toml::lire_toml(texte, "f.toml") {
            let r = fnp::check::verifier("f.toml", &lu, &REGLES);
            let _ = fnp::report::json::document(&[r]);
        }
    }
});
