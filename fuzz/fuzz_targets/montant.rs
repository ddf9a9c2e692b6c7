//! The amount parser: whatever it accepts is exact and formats back to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = std::str::from_utf8(data) {
        if let Ok(m) = fnp::model::Montant::parse_texte(t) {
            assert_eq!(fnp::model::Montant::parse_texte(&m.fr()).ok(), Some(m));
            assert_eq!(fnp::model::Montant::parse_texte(&m.brut()).ok(), Some(m));
        }
        let _ = fnp::model::Montant::parse_litteral_toml(t);
    }
});
