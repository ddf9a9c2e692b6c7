//! Prepares the embedded rule files at build time: each TOML file of `rules/` is parsed once
//! here and written to `OUT_DIR` as JSON, the same tables in the same order, which the binary
//! reads several times faster than TOML when it starts (`Regles::embarquees`). Nothing of the
//! packs is checked here: the same code checks them at run time, from either form, and a
//! test compares the packs read both ways.
//!
//! The start of every `[[regle]]` and `[[surcharge]]` table in the TOML text (the line a
//! finding or an error names) is kept beside it: `{ "debut": <byte offset>, "valeur": {…} }`.

use std::path::Path;

/// The embedded files, by stem; the packs' rules and overlays carry their offsets.
const FICHIERS: &[(&str, bool)] = &[("national", true), ("rhone", true), ("cerfa", false), ("exemples", false)];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let sortie = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    for (nom, pack) in FICHIERS {
        let chemin = format!("rules/{nom}.toml");
        println!("cargo::rerun-if-changed={chemin}");
        let texte = std::fs::read_to_string(&chemin).unwrap_or_else(|e| panic!("{chemin}: {e}"));
        let json = preparer(&texte, *pack).unwrap_or_else(|e| panic!("{chemin}: {e}"));
        std::fs::write(Path::new(&sortie).join(format!("{nom}.json")), json).expect("write to OUT_DIR");
    }
}

fn preparer(texte: &str, pack: bool) -> Result<String, String> {
    let table: toml::Table = toml::from_str(texte).map_err(|e| e.to_string())?;
    let mut json = serde_json::to_value(&table).map_err(|e| e.to_string())?;
    if pack {
        let document = toml::de::DeTable::parse(texte).map_err(|e| e.to_string())?;
        for cle in ["regle", "surcharge"] {
            let Some((_, valeur)) = document.get_ref().iter().find(|(k, _)| k.get_ref().as_ref() == cle) else {
                continue;
            };
            let toml::de::DeValue::Array(tables) = valeur.get_ref() else {
                return Err(format!("`{cle}` is not an array of tables"));
            };
            let Some(serde_json::Value::Array(elements)) = json.get_mut(cle) else {
                return Err(format!("`{cle}` is not an array"));
            };
            if tables.len() != elements.len() {
                return Err(format!("`{cle}`: {} tables parsed, {} converted", tables.len(), elements.len()));
            }
            for (element, table) in elements.iter_mut().zip(tables.iter()) {
                let valeur = std::mem::take(element);
                *element = serde_json::json!({ "debut": table.span().start, "valeur": valeur });
            }
        }
    }
    serde_json::to_string(&json).map_err(|e| e.to_string())
}
