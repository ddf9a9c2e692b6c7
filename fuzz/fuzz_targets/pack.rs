//! The rule-pack loader.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = std::str::from_utf8(data) {
        let _ = fnp::rules::chargement::charger_pack(t, "f.toml");
    }
});
