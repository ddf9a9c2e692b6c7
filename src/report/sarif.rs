//! `--format sarif`: SARIF 2.1.0, for code-scanning tools: the rules with their French help
//! and source, results with file/line/column, workbook cells as logical locations.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::Rapport;
use crate::check::Resultat;
use crate::rules::Gravite;

#[derive(Default)]
pub struct Sarif {
    regles: BTreeMap<String, Value>,
    resultats: Vec<Value>,
}

fn niveau(g: Gravite) -> &'static str {
    match g {
        Gravite::Erreur => "error",
        Gravite::Avertissement => "warning",
        Gravite::Info => "note",
    }
}

impl Rapport for Sarif {
    fn dossier(&mut self, r: &Resultat, _sortie: &mut dyn Write) -> io::Result<()> {
        let r = &*super::forme_stable(r);
        let regles = &mut self.regles;
        let resultats_sarif = &mut self.resultats;
        {
            for c in &r.constats {
                regles.entry(c.regle.clone()).or_insert_with(|| {
                    let mut aide = c.titre.clone().unwrap_or_default();
                    if let Some(q) = &c.citation {
                        aide.push_str(&format!(
                            "\n\nSource : {} — « {q} »",
                            c.source_titre.clone().unwrap_or_default()
                        ));
                    }
                    json!({
                        "id": c.regle,
                        "name": c.regle,
                        "shortDescription": { "text": c.titre.clone().unwrap_or_else(|| c.regle.clone()) },
                        "help": { "text": aide },
                        "defaultConfiguration": { "level": niveau(c.gravite) },
                        "properties": { "source": c.source, "section": c.section, "pack": c.pack }
                    })
                });
                let e = &c.emplacement;
                // The file's own bytes (a name that is not UTF-8 is shown escaped).
                let fichier = crate::lecture::octets_chemin(&e.fichier);
                let mut physique = json!({ "artifactLocation": { "uri": uri_octets(&fichier) } });
                if let (Some(l), Some(col)) = (e.ligne, e.colonne) {
                    physique["region"] = json!({ "startLine": l, "startColumn": col });
                }
                let mut emplacement = json!({ "physicalLocation": physique });
                let mut logiques = Vec::new();
                if let Some(cellule) = &e.cellule {
                    logiques.push(json!({ "name": cellule, "fullyQualifiedName": format!("{}:{cellule}", e.fichier), "kind": "cell" }));
                }
                if let Some(champ) = &e.champ {
                    logiques.push(json!({ "name": champ, "kind": "field" }));
                }
                if !logiques.is_empty() {
                    emplacement["logicalLocations"] = Value::Array(logiques);
                }
                resultats_sarif.push(json!({
                    "ruleId": c.regle,
                    "level": niveau(c.gravite),
                    "message": { "text": c.message },
                    "locations": [emplacement]
                }));
            }
        }
        Ok(())
    }

    fn fin(&mut self, _: &super::Synthese, sortie: &mut dyn Write) -> io::Result<()> {
        let regles = std::mem::take(&mut self.regles);
        let resultats_sarif = std::mem::take(&mut self.resultats);
        let document = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "fnp",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://www.caf.fr/",
                    "rules": regles.into_values().collect::<Vec<_>>()
                } },
                "results": resultats_sarif
            }]
        });
        serde_json::to_writer_pretty(&mut *sortie, &document)?;
        writeln!(sortie)
    }
}

/// A path as a SARIF `uri` (a URI reference, RFC 3986): every byte but the unreserved
/// characters and `/` percent-encoded (`a b#1.toml` → `a%20b%231.toml`).
pub(crate) fn uri(chemin: &str) -> String {
    uri_octets(chemin.as_bytes())
}

/// [`uri`] of a path given by its bytes.
pub(crate) fn uri_octets(chemin: &[u8]) -> String {
    let mut s = String::with_capacity(chemin.len());
    for &o in chemin {
        if o.is_ascii_alphanumeric() || matches!(o, b'-' | b'.' | b'_' | b'~' | b'/') {
            s.push(char::from(o));
        } else {
            s.push_str(&format!("%{o:02X}"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(super::uri("retours/dossier 2 #3 100%.xlsx"), "retours/dossier%202%20%233%20100%25.xlsx");
        assert_eq!(super::uri("é.toml"), "%C3%A9.toml");
    }
}
