//! `fnp check PATH...`: read and check every dossier, in parallel, in a stable order; print
//! the findings; write the batch reports and the annotated workbooks.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::check::{self, Resultat};
use crate::io::classeur::Limites;
use crate::io::decouverte::{self, Entree};
use crate::io::{self, Lu};
use crate::rules::Regles;
use crate::{CheckSettings, Erreur, Format, charger_regles, code_de_sortie, ecrire_sans_tuyau_casse, report};

/// Reads one input, turning any failure of a reader (a panic included) into `illisible`.
fn lire_isole(entree: &Entree, limites: &Limites) -> Result<Lu, io::Illisible> {
    let affiche = entree.chemin().display().to_string();
    match entree {
        Entree::Introuvable { raison, .. } => Err(io::Illisible::sans_position(&affiche, raison.clone())),
        Entree::Fichier(chemin) => {
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| io::lire_avec(chemin, &affiche, limites))) {
                Ok(r) => r,
                Err(_) => Err(io::Illisible::sans_position(
                    &affiche,
                    "erreur interne en lisant ce fichier (il est probablement abîmé) ; les autres dossiers sont vérifiés",
                )),
            }
        }
    }
}

/// Reads and checks every dossier of the paths, in parallel, results in a stable order.
/// `apres` sees each dossier that could be read, in the worker thread.
pub fn verifier_chemins(chemins: &[PathBuf], regles: &Regles) -> Result<Vec<Resultat>, Erreur> {
    verifier_avec(chemins, regles, &Limites::default(), false, &|_, _, _| Ok(()))
}

type Apres<'a> = dyn Fn(&Entree, &Lu, &Resultat) -> Result<(), String> + Sync + 'a;

fn verifier_avec(
    chemins: &[PathBuf],
    regles: &Regles,
    limites: &Limites,
    barre: bool,
    apres: &Apres<'_>,
) -> Result<Vec<Resultat>, Erreur> {
    let entrees = decouverte::decouvrir(chemins);
    if entrees.is_empty() {
        let noms: Vec<String> = chemins.iter().map(|c| c.display().to_string()).collect();
        return Err(Erreur::AucunDossier(noms.join(", ")));
    }
    let progression = if barre && entrees.len() > 1 && std::io::stderr().is_terminal() {
        let p = indicatif::ProgressBar::new(entrees.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} dossiers vérifiés ({eta} restantes)")
        {
            p.set_style(style);
        }
        Some(p)
    } else {
        None
    };
    let erreurs_ecriture = Mutex::new(Vec::new());
    let resultats = entrees
        .par_iter()
        .map(|entree| {
            let affiche = entree.chemin().display().to_string();
            if crate::interrompu() {
                // Ctrl-C: finish quickly, nothing more is read or written.
                return check::illisible(
                    &affiche,
                    io::Illisible::sans_position(&affiche, "vérification interrompue"),
                    regles,
                );
            }
            let r = match lire_isole(entree, limites) {
                Ok(lu) => {
                    let r = check::verifier(&affiche, &lu, regles);
                    if let Err(e) = apres(entree, &lu, &r)
                        && let Ok(mut v) = erreurs_ecriture.lock()
                    {
                        v.push(e);
                    }
                    r
                }
                Err(e) => check::illisible(&affiche, e, regles),
            };
            if let Some(p) = &progression {
                p.inc(1);
            }
            r
        })
        .collect();
    if let Some(p) = progression {
        p.finish_and_clear();
    }
    if crate::interrompu() {
        return Err(Erreur::Interrompu);
    }
    let erreurs = erreurs_ecriture.into_inner().unwrap_or_default();
    if !erreurs.is_empty() {
        return Err(Erreur::Autre(erreurs.join("\n")));
    }
    Ok(resultats)
}

/// Names of the annotated copies: `<stem>.annote.xlsx`, made unique within the batch.
fn noms_annotes(chemins: &[PathBuf]) -> HashMap<PathBuf, String> {
    let mut vus: HashMap<String, usize> = HashMap::new();
    let mut noms = HashMap::new();
    for e in decouverte::decouvrir(chemins) {
        let p = e.chemin().to_path_buf();
        let base = p.file_stem().and_then(|s| s.to_str()).unwrap_or("dossier").to_string();
        let n = vus.entry(base.clone()).or_default();
        *n += 1;
        let nom = if *n == 1 { format!("{base}.annote.xlsx") } else { format!("{base}-{n}.annote.xlsx") };
        noms.insert(p, nom);
    }
    noms
}

fn est_classeur(p: &Path) -> bool {
    p.is_dir()
        || p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm" | "xls" | "ods"))
}

/// Creates an output folder if its parent exists.
fn preparer_dossier(d: &Path) -> Result<(), Erreur> {
    if d.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(d).map_err(|e| {
        Erreur::Autre(format!("{} : impossible de créer le dossier : {}", d.display(), io::message_io(&e)))
    })
}

pub fn executer(s: &CheckSettings, sortie: &mut dyn Write) -> Result<u8, Erreur> {
    let mut regles = charger_regles(s.regles.as_deref())?;
    for (id, gravite) in &s.forcages {
        regles.forcer(id, *gravite).map_err(Erreur::Autre)?;
    }
    if let Some(d) = &s.annoter {
        preparer_dossier(d)?;
    }
    if let Some(d) = &s.rapport {
        preparer_dossier(d)?;
        for f in ["synthese.csv", "synthese.json", "rapport.html"] {
            if d.join(f).exists() && !s.force {
                return Err(Erreur::Autre(format!(
                    "{} existe déjà : ajoutez --force pour le remplacer",
                    d.join(f).display()
                )));
            }
        }
    }
    let noms = s.annoter.as_ref().map(|_| noms_annotes(&s.chemins)).unwrap_or_default();
    let annoter = |entree: &Entree, lu: &Lu, r: &Resultat| -> Result<(), String> {
        let (Some(dossier), Entree::Fichier(chemin)) = (&s.annoter, entree) else { return Ok(()) };
        if !est_classeur(chemin) {
            return Ok(());
        }
        let nom = noms.get(chemin).cloned().unwrap_or_else(|| "dossier.annote.xlsx".into());
        let (octets, _) = io::ecrire_classeur::ecrire(&io::ecrire_classeur::Options {
            dossier: Some(&lu.dossier),
            constats: Some(&r.constats),
            ..Default::default()
        })?;
        io::ecriture::ecrire_fichier(&dossier.join(nom), &octets, s.force)
    };
    let travail = || verifier_avec(&s.chemins, &regles, &s.limites, s.progression, &annoter);
    let resultats = match s.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| Erreur::Autre(format!("impossible de lancer {n} tâches : {e}")))?
            .install(travail)?,
        None => travail()?,
    };
    if let Some(d) = &s.rapport {
        report::fichiers::ecrire_rapports(d, &resultats, s.force).map_err(Erreur::Autre)?;
    }
    let rapport: Box<dyn report::Rapport> = match s.format {
        Format::Humain => Box::new(report::human::Humain { silencieux: s.silencieux, expliquer: s.expliquer }),
        Format::Json => Box::new(report::json::Json),
        Format::Junit => Box::new(report::junit::Junit),
        Format::Sarif => Box::new(report::sarif::Sarif),
        Format::Github => Box::new(report::github::Github),
    };
    ecrire_sans_tuyau_casse(rapport.ecrire(&resultats, sortie).and_then(|()| sortie.flush()))?;
    Ok(code_de_sortie(&resultats, s.strict))
}
