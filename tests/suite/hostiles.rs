//! The adversarial harness at small scale: every amplifying trick of `benches/hostiles.rs`
//! in one received folder with good dossiers. Each hostile file costs one dossier (an
//! `illisible` one with its French reason where the reader budget runs out), every good file
//! keeps the verdict it has alone, and the reports are written. The same files at full scale,
//! under a 1.5 GB address-space limit: `scripts/hostiles.sh`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

#[path = "../../benches/hostiles.rs"]
mod generateur;

use generateur::{Attendu, Echelle, hostiles};

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary");
    c.env("NO_COLOR", "1").timeout(Duration::from_secs(300));
    c
}

/// The good dossiers of the folder: the examples and workbooks saved by LibreOffice.
const BONS: &[&str] = &[
    "examples/1.1-cafe-des-parents.toml",
    "examples/3.1-lieu-ressource.toml",
    "examples/2.2-telephonie-sociale.toml",
    "tests/fixtures/classeurs/cafe-libreoffice.xlsx",
    "tests/fixtures/classeurs/cafe-libreoffice.xls",
    "tests/fixtures/classeurs/lieu-libreoffice.ods",
];

fn verdicts(v: &Value, racine: &Path) -> BTreeMap<String, Value> {
    v["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            let source = d["source"].as_str().unwrap_or_default();
            let nom = Path::new(source).strip_prefix(racine).map_or(source.to_string(), |p| p.display().to_string());
            (nom, d.clone())
        })
        .collect()
}

#[test]
fn every_hostile_file_costs_one_dossier_and_every_good_one_keeps_its_verdict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recus = dir.path().join("recus");
    std::fs::create_dir(&recus).expect("mkdir");
    let mut attendus_bons = BTreeMap::new();
    for bon in BONS {
        let nom = Path::new(bon).file_name().and_then(|n| n.to_str()).expect("name").to_string();
        std::fs::copy(bon, recus.join(&nom)).expect("copy");
        let o = fnp().args(["check", "--format", "json", bon]).output().expect("runs");
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        attendus_bons.insert(nom, v["dossiers"][0]["verdict"].clone());
    }
    let hostiles = hostiles(Echelle::Petite);
    for h in &hostiles {
        h.ecrire(&recus).expect("write");
    }
    let avant: Vec<(std::path::PathBuf, Vec<u8>)> =
        crate::commun::fichiers(&recus).into_iter().map(|p| (p.clone(), std::fs::read(&p).expect("read"))).collect();
    let rapport = dir.path().join("rapport");
    let annotes = dir.path().join("annotes");
    let o = fnp()
        .args(["check", "--format", "json", "--report"])
        .arg(&rapport)
        .arg("--annotate")
        .arg(&annotes)
        .arg(&recus)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let lus = verdicts(&v, &recus);
    assert_eq!(lus.len(), BONS.len() + hostiles.len(), "{:?}", lus.keys().collect::<Vec<_>>());
    for (nom, verdict) in &attendus_bons {
        assert_eq!(&lus[nom]["verdict"], verdict, "{nom}");
    }
    for h in &hostiles {
        let d = &lus[h.nom];
        match &h.attendu {
            Attendu::Illisible(raison) => {
                assert_eq!(d["verdict"], "illisible", "{}: {d:#}", h.nom);
                let message = d["constats"][0]["message"].as_str().unwrap_or_default();
                assert!(message.contains(raison), "{}: {message}", h.nom);
            }
            Attendu::Verdict => assert_ne!(d["verdict"], "illisible", "{}: {d:#}", h.nom),
        }
    }
    for f in ["synthese.csv", "synthese.json", "rapport.html", "constats.csv"] {
        assert!(rapport.join(f).is_file(), "{f}");
    }
    // The received folder is as it was, byte for byte.
    for (p, octets) in avant {
        assert_eq!(std::fs::read(&p).expect("read"), octets, "{}", p.display());
    }
    // The bilans of the same folder: the same readers, one row a file.
    let rapport_bilans = dir.path().join("bilans");
    let o = fnp().args(["bilan", "--report"]).arg(&rapport_bilans).arg(&recus).output().expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let bilans: Value =
        serde_json::from_slice(&std::fs::read(rapport_bilans.join("bilans.json")).expect("bilans.json")).expect("json");
    let n = bilans.as_array().map(Vec::len).or_else(|| bilans["bilans"].as_array().map(Vec::len));
    assert_eq!(n, Some(BONS.len() + hostiles.len()), "{bilans:#}");
}
