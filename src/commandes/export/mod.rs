//! `fnp rules export DIR`: the embedded rules as a rule keeper's folder — the packs as their
//! TOML text (comments kept), their pinned cases laid out as `tests/cases` is, the example
//! dossiers and a short French README of the loop (edit, lint, test, impact). Everything
//! comes from the binary: no clone, no git.

use crate::lecture::Affiche;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::commandes::regles::DOSSIER_CAS;
use crate::{Erreur, code};

// `CAS` (relative to `tests/cases`) and `DOSSIERS_EXEMPLES` (relative to `examples`), with
// the bytes of each file, listed by build.rs.
include!(concat!(env!("OUT_DIR"), "/export.rs"));

/// The README of an export.
const LISEZMOI: &str = include_str!("LISEZMOI.md");

/// Where the example dossiers go in an export.
pub const DOSSIER_EXEMPLES: &str = "dossiers-exemples";

#[derive(Debug, Clone)]
pub struct ExportSettings {
    pub dossier: PathBuf,
    pub force: bool,
}

/// Every file of an export: its path relative to the export folder and its bytes.
pub fn fichiers() -> Vec<(String, &'static [u8])> {
    let mut v: Vec<(String, &'static [u8])> = Vec::new();
    v.push(("LISEZMOI.md".into(), LISEZMOI.as_bytes()));
    for (nom, texte) in crate::rules::EMBARQUES {
        v.push((nom_de_fichier(nom), texte.as_bytes()));
    }
    v.push((crate::budget::cerfa::NOM_FICHIER.into(), crate::budget::cerfa::EMBARQUE.as_bytes()));
    v.push((crate::rules::NOM_EXEMPLES.into(), crate::rules::EXEMPLES.as_bytes()));
    v.extend(CAS.iter().map(|(nom, octets)| (format!("{DOSSIER_CAS}/{nom}"), *octets)));
    v.extend(DOSSIERS_EXEMPLES.iter().map(|(nom, octets)| (format!("{DOSSIER_EXEMPLES}/{nom}"), *octets)));
    v
}

/// `rules/national.toml` → `national.toml`.
fn nom_de_fichier(chemin: &str) -> String {
    chemin.rsplit('/').next().unwrap_or(chemin).to_string()
}

pub fn export(s: &ExportSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let d = &s.dossier;
    let affiche = d.affiche();
    if d.exists() && !d.is_dir() {
        return Err(Erreur::Autre(format!("{affiche} existe et n'est pas un dossier")));
    }
    if !s.force && d.is_dir() {
        let plein = std::fs::read_dir(d)
            .map_err(|e| Erreur::Autre(format!("{affiche} : dossier illisible : {}", crate::lecture::message_io(&e))))?
            .next()
            .is_some();
        if plein {
            return Err(Erreur::Autre(format!(
                "{affiche} n'est pas vide : choisissez un dossier nouveau ou vide, ou ajoutez --force pour remplacer les fichiers exportés (les autres restent)"
            )));
        }
    }
    let fichiers = fichiers();
    for (nom, octets) in &fichiers {
        let chemin = d.join(nom);
        if let Some(parent) = chemin.parent() {
            creer_dossier(parent)?;
        }
        crate::ecriture::atomique::ecrire_fichier_differe(&chemin, octets, s.force).map_err(Erreur::Autre)?;
    }
    crate::ecriture::atomique::synchroniser(d).map_err(Erreur::Autre)?;
    let regles = CAS.iter().filter_map(|(n, _)| n.split('/').next()).collect::<std::collections::BTreeSet<_>>().len();
    writeln!(
        out,
        "{affiche} : {} fichiers écrits — les packs de règles, les cas de {regles} règles ({DOSSIER_CAS}/), {} dossiers exemples ({DOSSIER_EXEMPLES}/) ; lisez {} pour la suite",
        fichiers.len(),
        DOSSIERS_EXEMPLES.len(),
        d.join("LISEZMOI.md").affiche()
    )?;
    Ok(code::OK)
}

fn creer_dossier(d: &Path) -> Result<(), Erreur> {
    std::fs::create_dir_all(d).map_err(|e| {
        Erreur::Autre(format!("{} : création du dossier impossible : {}", d.affiche(), crate::lecture::message_io(&e)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The export holds exactly the rule folders of `tests/cases` and every file of
    /// `examples/`, byte for byte: a case added to the repository is exported.
    #[test]
    fn the_export_holds_every_pinned_case_and_example() {
        fn sur_disque(base: &Path, d: &Path, v: &mut Vec<String>) {
            for e in std::fs::read_dir(d).expect("read_dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    sur_disque(base, &p, v);
                } else {
                    v.push(p.strip_prefix(base).expect("under").to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let mut cas = Vec::new();
        for e in std::fs::read_dir("tests/cases").expect("tests/cases").flatten() {
            let p = e.path();
            if p.join("declenche").is_dir() || p.join("ne-declenche-pas").is_dir() {
                sur_disque(Path::new("tests/cases"), &p, &mut cas);
            }
        }
        cas.sort();
        let mut exportes: Vec<String> = CAS.iter().map(|(n, _)| n.to_string()).collect();
        exportes.sort();
        assert!(exportes == cas, "exported {} case files, tests/cases has {}", exportes.len(), cas.len());
        for (n, octets) in CAS {
            assert_eq!(std::fs::read(Path::new("tests/cases").join(n)).expect("read"), *octets, "{n}");
        }
        assert!(CAS.iter().any(|(n, _)| n.ends_with(".xlsx")) && CAS.iter().any(|(n, _)| n.ends_with(".ods")));
        assert!(!CAS.iter().any(|(n, _)| n.starts_with("budget/")));
        let mut exemples = Vec::new();
        sur_disque(Path::new("examples"), Path::new("examples"), &mut exemples);
        exemples.sort();
        let mut exportes: Vec<String> = DOSSIERS_EXEMPLES.iter().map(|(n, _)| n.to_string()).collect();
        exportes.sort();
        assert_eq!(exportes, exemples);
        assert!(exemples.iter().any(|n| n.starts_with("bilan/")));
    }
}
