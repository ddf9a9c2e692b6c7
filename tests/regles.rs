//! The rule packs against the contract: every id of `../shared/spec/rules.md` with its
//! severity, every quoted sentence found in its source text, and the pinned cases of
//! `tests/cases/` (a dossier that fires each rule, and a close one that does not).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use fnp::rules::{Gravite, Regles};
use serde_json::Value;

fn partage(chemin: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared").join(chemin);
    assert!(p.exists(), "{} est introuvable : le dépôt shared/ doit être à côté du projet", p.display());
    p
}

/// Ids and severities of the catalogue tables of rules.md.
fn catalogue() -> BTreeMap<String, Gravite> {
    let texte = std::fs::read_to_string(partage("spec/rules.md")).expect("rules.md");
    let mut ids = BTreeMap::new();
    for ligne in texte.lines() {
        let cellules: Vec<&str> = ligne.split('|').map(str::trim).collect();
        if cellules.len() < 4 {
            continue;
        }
        let (Some(id), Some(gravite)) =
            (cellules[1].strip_prefix('`').and_then(|c| c.strip_suffix('`')), cellules.get(2))
        else {
            continue;
        };
        let gravite = match *gravite {
            "erreur" => Gravite::Erreur,
            "avertissement" => Gravite::Avertissement,
            "info" => Gravite::Info,
            _ => continue,
        };
        ids.insert(id.to_string(), gravite);
    }
    // The input findings are described in prose.
    for id in [
        "SAISIE-CHAMP-INCONNU",
        "SAISIE-CHAMP-MANQUANT",
        "SAISIE-TYPE",
        "SAISIE-MONTANT",
        "SAISIE-DATE",
        "LECTURE",
        "REGLES-EXERCICE",
    ] {
        ids.insert(id.to_string(), Gravite::Erreur);
    }
    ids.insert("SAISIE-COLONNE-INCONNUE".into(), Gravite::Info);
    assert!(ids.len() > 50, "the catalogue tables of rules.md were not found ({} ids)", ids.len());
    ids
}

#[test]
fn the_packs_hold_every_id_of_the_catalogue_with_its_severity() {
    let regles = Regles::embarquees().expect("embedded packs");
    for (id, gravite) in catalogue() {
        let (_, r) = regles.regle(&id).unwrap_or_else(|| panic!("{id} manque dans rules/"));
        assert_eq!(r.gravite, gravite, "{id}: gravité");
    }
}

#[test]
fn every_quote_appears_verbatim_in_its_source() {
    let regles = Regles::embarquees().expect("embedded packs");
    let mut cites = 0;
    for (pack, r) in regles.toutes() {
        let s = &r.source;
        match (&s.fichier, &s.citation) {
            (Some(fichier), Some(citation)) => {
                let texte = std::fs::read_to_string(partage(&format!("sources/{fichier}")))
                    .unwrap_or_else(|e| panic!("{}: {fichier}: {e}", r.id));
                assert!(
                    texte.contains(citation.as_str()),
                    "{} ({}) : citation introuvable dans {fichier} : {citation}",
                    r.id,
                    pack.id
                );
                cites += 1;
            }
            (Some(_), None) | (None, Some(_)) => {
                panic!("{}: source incomplète (fichier et citation vont ensemble)", r.id)
            }
            (None, None) => assert!(
                s.document.is_some() || r.cas.iter().all(|c| c.verification == fnp::rules::Verification::Saisie),
                "{}: aucune source",
                r.id
            ),
        }
    }
    assert!(cites >= 45, "only {cites} quoted rules");
}

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary built");
    c.env("NO_COLOR", "1");
    c
}

/// Runs `fnp check --format json` once over a folder; dossiers by source path.
fn verifier_dossier(dossier: &Path) -> BTreeMap<String, Value> {
    let sortie = fnp().arg("check").arg("--format").arg("json").arg(dossier).output().expect("fnp runs");
    let v: Value = serde_json::from_slice(&sortie.stdout).expect("JSON");
    v["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .map(|d| (d["source"].as_str().unwrap_or_default().to_string(), d.clone()))
        .collect()
}

fn regles_de(d: &Value) -> BTreeSet<String> {
    d["constats"]
        .as_array()
        .map_or_else(BTreeSet::new, |c| c.iter().filter_map(|x| x["regle"].as_str().map(String::from)).collect())
}

#[test]
fn pinned_cases_fire_or_not() {
    let racine = Path::new("tests/cases");
    let resultats = verifier_dossier(racine);
    let mut echecs = Vec::new();
    let mut couverts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (source, d) in &resultats {
        let chemin = Path::new(source);
        let Ok(relatif) = chemin.strip_prefix(racine) else { continue };
        let parties: Vec<&str> = relatif.iter().filter_map(|p| p.to_str()).collect();
        let [id, genre, _fichier] = parties.as_slice() else { continue };
        let presents = regles_de(d);
        let entree = couverts.entry(id.to_string()).or_default();
        match *genre {
            "declenche" => {
                entree.0 += 1;
                if !presents.contains(*id) {
                    echecs.push(format!("{source} : {id} attendu, constats {presents:?}"));
                }
            }
            "ne-declenche-pas" => {
                entree.1 += 1;
                if presents.contains(*id) {
                    echecs.push(format!("{source} : {id} ne devait pas se déclencher : {:#}", d["constats"]));
                }
            }
            _ => {}
        }
    }
    assert!(echecs.is_empty(), "{} cas en échec :\n{}", echecs.len(), echecs.join("\n"));
    for id in catalogue().keys() {
        if id == "SAISIE-COLONNE-INCONNUE" {
            continue; // workbooks only
        }
        let (oui, non) = couverts.get(id).copied().unwrap_or_default();
        assert!(oui > 0, "{id} : aucun cas qui le déclenche dans tests/cases/{id}/declenche");
        if id != "LECTURE" {
            assert!(non > 0, "{id} : aucun cas voisin qui ne le déclenche pas dans tests/cases/{id}/ne-declenche-pas");
        }
    }
}

/// Budget figures computed by hand from rules.md's definitions, to the cent.
#[test]
fn budget_figures_match_hand_computed_ones() {
    let racine = Path::new("tests/cases/budget");
    let resultats = verifier_dossier(racine);
    let mut n = 0;
    for (source, d) in &resultats {
        let attendu_chemin = Path::new(source).with_extension("json");
        let attendu: Value = serde_json::from_str(
            &std::fs::read_to_string(&attendu_chemin).unwrap_or_else(|e| panic!("{}: {e}", attendu_chemin.display())),
        )
        .expect("expected JSON");
        assert_eq!(d["budget"], attendu, "{source}");
        n += 1;
    }
    assert!(n >= 6, "only {n} budget cases");
}

#[test]
fn the_docs_describe_every_key_and_every_kind_of_check() {
    let format = std::fs::read_to_string("docs/format.md").expect("docs/format.md");
    for c in fnp::model::schema::CHAMPS {
        let cle = c.cle.rsplit('.').next().unwrap_or(c.cle);
        assert!(format.contains(&format!("| `{cle}` |")), "docs/format.md ne décrit pas {}", c.cle);
    }
    let regles = std::fs::read_to_string("docs/regles.md").expect("docs/regles.md");
    for v in fnp::rules::VERIFICATIONS {
        assert!(regles.contains(&format!("| `{v}` |")), "docs/regles.md ne décrit pas la vérification {v}");
    }
}
