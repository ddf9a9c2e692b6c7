//! `fnp rules impact`: which dossiers change verdict, findings or fundable amount between two
//! rule packs (folders, `embarquees` for the rules built into the binary, or `git:REF` read from
//! the repository).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::check::{Resultat, Verdict};
use crate::model::montant::format_decimal_fr;
use crate::report::pluriel;
use crate::rules::{Gravite, Regles};
use crate::{Erreur, code, ecrire_sans_tuyau_casse};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatImpact {
    Humain,
    Markdown,
    Json,
}

#[derive(Debug, Clone)]
pub struct ImpactSettings {
    pub base: String,
    pub tete: String,
    pub chemins: Vec<PathBuf>,
    pub format: FormatImpact,
    pub echec_si_changement: bool,
}

/// The name of the rules built into the binary, for `--base` and `--head`.
pub const EMBARQUEES: &str = "embarquees";

/// A pack folder, `embarquees` (the rules built into the binary), or `git:REF` read from the
/// repository at that revision.
fn charger_version(spec: &str, temporaires: &mut Vec<tempfile::TempDir>) -> Result<Regles, Erreur> {
    if spec == EMBARQUEES || spec == "embarquées" {
        return Ok(Regles::embarquees()?);
    }
    let Some(reference) = spec.strip_prefix("git:") else {
        let regles = Regles::depuis_dossier(Path::new(spec))?;
        crate::annoncer(&regles);
        return Ok(regles);
    };
    let sortie = std::process::Command::new("git")
        // `--end-of-options`: a reference starting with `-` is never read as an option.
        .args(["ls-tree", "--name-only", "--end-of-options", reference, "--", "rules/"])
        .output()
        .map_err(|e| Erreur::Autre(format!("git introuvable : {e}")))?;
    if !sortie.status.success() {
        return Err(Erreur::Autre(format!("{spec} : {}", String::from_utf8_lossy(&sortie.stderr).trim())));
    }
    let dir = tempfile::tempdir()?;
    for f in String::from_utf8_lossy(&sortie.stdout).lines().filter(|f| f.ends_with(".toml")) {
        let contenu = std::process::Command::new("git")
            .args(["show", "--end-of-options", &format!("{reference}:{f}")])
            .output()
            .map_err(|e| Erreur::Autre(e.to_string()))?;
        let nom = Path::new(f).file_name().ok_or_else(|| Erreur::Autre(format!("{f} : nom invalide")))?;
        std::fs::write(dir.path().join(nom), contenu.stdout)?;
    }
    let r = Regles::depuis_dossier(dir.path())?;
    temporaires.push(dir);
    Ok(r)
}

#[derive(Serialize)]
struct Changement {
    source: String,
    verdict_avant: Verdict,
    verdict_apres: Verdict,
    apparues: Vec<String>,
    disparues: Vec<String>,
    montant_max_avant: Option<String>,
    montant_max_apres: Option<String>,
}

#[derive(Serialize)]
struct Impact {
    base: String,
    tete: String,
    dossiers: usize,
    changes: Vec<Changement>,
    par_regle: BTreeMap<String, Vec<String>>,
    devenus_non_conformes: usize,
    devenus_conformes: usize,
    ecart_montant_max_fnp: String,
}

pub fn impact(s: &ImpactSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let mut temporaires = Vec::new();
    let base = charger_version(&s.base, &mut temporaires)?;
    let tete = charger_version(&s.tete, &mut temporaires)?;
    let avant = crate::commandes::check::verifier_chemins(&s.chemins, &base)?;
    let apres = crate::commandes::check::verifier_chemins(&s.chemins, &tete)?;
    let mut changes = Vec::new();
    let mut par_regle: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut non_conformes, mut conformes) = (0, 0);
    let mut ecart = rust_decimal::Decimal::ZERO;
    for (a, b) in avant.iter().zip(&apres) {
        let ids = |r: &Resultat| -> BTreeSet<(String, Gravite)> {
            r.constats.iter().map(|c| (c.regle.clone(), c.gravite)).collect()
        };
        let (ia, ib) = (ids(a), ids(b));
        let apparues: Vec<String> = ib.difference(&ia).map(|(r, g)| format!("{r} ({g})")).collect();
        let disparues: Vec<String> = ia.difference(&ib).map(|(r, g)| format!("{r} ({g})")).collect();
        let (ma, mb) = (a.budget.as_ref().map(|x| x.montant_max_fnp), b.budget.as_ref().map(|x| x.montant_max_fnp));
        if a.verdict == b.verdict && apparues.is_empty() && disparues.is_empty() && ma == mb {
            continue;
        }
        if a.verdict != Verdict::NonConforme && b.verdict == Verdict::NonConforme {
            non_conformes += 1;
        }
        if a.verdict == Verdict::NonConforme && b.verdict != Verdict::NonConforme {
            conformes += 1;
        }
        if let (Some(x), Some(y)) = (ma, mb) {
            ecart += y - x;
        }
        for r in apparues.iter().chain(disparues.iter()) {
            let id = r.split(' ').next().unwrap_or(r).to_string();
            par_regle.entry(id).or_default().push(a.source.clone());
        }
        for v in par_regle.values_mut() {
            v.dedup();
        }
        changes.push(Changement {
            source: a.source.clone(),
            verdict_avant: a.verdict,
            verdict_apres: b.verdict,
            apparues,
            disparues,
            montant_max_avant: ma.map(|x| crate::budget::texte_deux_decimales(&x)),
            montant_max_apres: mb.map(|x| crate::budget::texte_deux_decimales(&x)),
        });
    }
    let rapport = Impact {
        base: s.base.clone(),
        tete: s.tete.clone(),
        dossiers: avant.len(),
        devenus_non_conformes: non_conformes,
        devenus_conformes: conformes,
        ecart_montant_max_fnp: crate::budget::texte_deux_decimales(&ecart),
        changes,
        par_regle,
    };
    let euros = |t: &str| {
        t.parse::<rust_decimal::Decimal>()
            .map(|d| format!("{}\u{a0}€", format_decimal_fr(d, 2)))
            .unwrap_or_else(|_| t.to_string())
    };
    let texte = match s.format {
        FormatImpact::Json => {
            format!("{}\n", serde_json::to_string_pretty(&rapport).map_err(|e| Erreur::Autre(e.to_string()))?)
        }
        FormatImpact::Markdown | FormatImpact::Humain => {
            let md = s.format == FormatImpact::Markdown;
            let mut t = String::new();
            if md {
                t.push_str(&format!("### Impact des règles : `{}` → `{}`\n\n", rapport.base, rapport.tete));
            } else {
                t.push_str(&format!("Impact des règles : {} → {}\n", rapport.base, rapport.tete));
            }
            t.push_str(&format!(
                "{} dossiers vérifiés, {} changent ; {} deviennent non conformes, {} cessent de l'être ; montant FNP finançable : {} au total\n\n",
                rapport.dossiers,
                rapport.changes.len(),
                rapport.devenus_non_conformes,
                rapport.devenus_conformes,
                euros(&rapport.ecart_montant_max_fnp)
            ));
            for (id, sources) in &rapport.par_regle {
                t.push_str(&if md {
                    format!("**{id}** ({})\n\n", pluriel(sources.len(), "dossier", "dossiers"))
                } else {
                    format!("{id} ({})\n", pluriel(sources.len(), "dossier", "dossiers"))
                });
                for src in sources {
                    if let Some(c) = rapport.changes.iter().find(|c| &c.source == src) {
                        let montant = match (&c.montant_max_avant, &c.montant_max_apres) {
                            (Some(x), Some(y)) if x != y => format!(" ; maximum FNP {} → {}", euros(x), euros(y)),
                            _ => String::new(),
                        };
                        let details = format!(
                            "{} : {} → {}{}{}{}",
                            c.source,
                            c.verdict_avant.libelle(),
                            c.verdict_apres.libelle(),
                            if c.apparues.is_empty() {
                                String::new()
                            } else {
                                format!(" ; + {}", c.apparues.join(", "))
                            },
                            if c.disparues.is_empty() {
                                String::new()
                            } else {
                                format!(" ; − {}", c.disparues.join(", "))
                            },
                            montant
                        );
                        t.push_str(&if md {
                            format!("- `{}`\n", details.replace('`', "'"))
                        } else {
                            format!("  {details}\n")
                        });
                    }
                }
                t.push('\n');
            }
            t
        }
    };
    let texte = if matches!(s.format, FormatImpact::Json) {
        texte
    } else {
        crate::report::visible(texte.as_str()).into_owned()
    };
    ecrire_sans_tuyau_casse(out.write_all(texte.as_bytes()).and_then(|()| out.flush()))?;
    Ok(if s.echec_si_changement && !rapport.changes.is_empty() { code::NON_CONFORME } else { code::OK })
}
