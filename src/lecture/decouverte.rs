//! Finding the dossiers to check among the paths given on the command line.

use crate::lecture::Affiche;
use std::path::{Path, PathBuf};

/// Extensions of dossier files looked for inside folders.
pub const EXTENSIONS: &[&str] = &["toml", "xlsx", "xlsm", "xls", "ods"];

/// One input: a file to read, or a path that could not be used (it becomes an `illisible`
/// dossier with its reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entree {
    Fichier(PathBuf),
    Introuvable { chemin: PathBuf, raison: String },
}

impl Entree {
    pub fn chemin(&self) -> &Path {
        match self {
            Entree::Fichier(p) | Entree::Introuvable { chemin: p, .. } => p,
        }
    }
}

/// Expands the paths: a file is taken as it is (whatever its extension, so that the reader
/// can say why it is not supported); a folder is searched recursively for dossier files,
/// in a stable (sorted) order. Hidden files and folders are skipped; links to files are
/// followed, links to folders are not.
pub fn decouvrir(chemins: &[PathBuf]) -> Vec<Entree> {
    decouvrir_tout(chemins, false).entrees
}

/// What a walk of the command line's paths found: the inputs, and the files met in folders
/// that are no dossier, counted by extension (`.pdf` → 3), for the batch summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decouverte {
    pub entrees: Vec<Entree>,
    pub ignores: std::collections::BTreeMap<String, usize>,
    /// Folders fnp created for its outputs (marked `.fnp-sortie`) met inside a checked
    /// folder, left aside, with the number of files each holds.
    pub sorties_fnp: Vec<(PathBuf, usize)>,
}

impl Decouverte {
    /// What the terminal says of the folders left aside (none when they hold nothing).
    pub fn lignes_ecartees(&self) -> Vec<String> {
        self.sorties_fnp
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(d, n)| {
                format!(
                    "{} dans {} : dossier créé par fnp pour ses rapports ou ses copies annotées ({}), non vérifié",
                    crate::model::noms::pluriel(*n, "fichier laissé de côté", "fichiers laissés de côté"),
                    d.affiche(),
                    MARQUE_SORTIE
                )
            })
            .collect()
    }
}

/// [`decouvrir`], with the files passed over. A batch folder comes from outside: a link in
/// it that leads out of it is not followed (it is one unreadable input saying so) unless
/// `suivre_liens` (`--follow-links`). Inside a folder, only the folders fnp created for its
/// outputs (marked `.fnp-sortie`, `io::verrou`) are left aside, and counted in
/// [`Decouverte::sorties_fnp`]; any other folder is searched, an output folder of this run
/// that was there before included (its dossiers are checked, never skipped in silence).
pub fn decouvrir_tout(chemins: &[PathBuf], suivre_liens: bool) -> Decouverte {
    let mut d = Decouverte::default();
    for chemin in chemins {
        if super::est_entree_standard(chemin) {
            d.entrees.push(Entree::Fichier(chemin.clone()));
            continue;
        }
        match std::fs::metadata(chemin) {
            Ok(m) if m.is_dir() && super::classeur::csv::fichiers_csv(chemin).is_some() => {
                d.entrees.push(Entree::Fichier(chemin.clone()))
            }
            Ok(m) if m.is_dir() => {
                let racine = if suivre_liens { None } else { std::fs::canonicalize(chemin).ok() };
                parcourir(chemin, racine.as_deref(), &mut d);
            }
            Ok(_) => d.entrees.push(Entree::Fichier(chemin.clone())),
            Err(e) => d.entrees.push(Entree::Introuvable { chemin: chemin.clone(), raison: super::message_io(&e) }),
        }
    }
    d
}

fn parcourir(dossier: &Path, racine: Option<&Path>, d: &mut Decouverte) {
    let lecture = match std::fs::read_dir(dossier) {
        Ok(l) => l,
        Err(e) => {
            d.entrees.push(Entree::Introuvable {
                chemin: dossier.to_path_buf(),
                raison: format!("dossier illisible : {}", super::message_io(&e)),
            });
            return;
        }
    };
    let mut enfants: Vec<PathBuf> = Vec::new();
    for e in lecture {
        match e {
            Ok(e) => enfants.push(e.path()),
            // An entry the system cannot list is said, never skipped in silence.
            Err(e) => d.entrees.push(Entree::Introuvable {
                chemin: dossier.to_path_buf(),
                raison: format!("élément illisible dans ce dossier : {}", super::description_io(&e)),
            }),
        }
    }
    enfants.sort();
    for enfant in enfants {
        let nom = enfant.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        // Hidden files passed over in silence; the lock files of an open workbook
        // (`~$dossier.xlsx`) counted with their reason, as the page says them.
        if let Some(raison) = de_passage(nom) {
            if raison != CACHE {
                *d.ignores.entry(raison.to_string()).or_default() += 1;
            }
            continue;
        }
        match std::fs::metadata(&enfant) {
            // A folder holding Dossier.csv is one CSV dossier.
            Ok(m) if m.is_dir() && super::classeur::csv::fichiers_csv(&enfant).is_some() => {
                d.entrees.push(Entree::Fichier(enfant))
            }
            // A link to a folder is not followed (no loops, no file seen twice).
            Ok(m) if m.is_dir() => {
                if !std::fs::symlink_metadata(&enfant).is_ok_and(|l| l.file_type().is_symlink()) {
                    if est_sortie_de_fnp(&enfant) {
                        let n = compter_fichiers(&enfant);
                        d.sorties_fnp.push((enfant, n));
                    } else {
                        parcourir(&enfant, racine, d);
                    }
                }
            }
            Ok(_) => {
                let ext = enfant.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                if let Some(racine) = racine
                    && std::fs::symlink_metadata(&enfant).is_ok_and(|l| l.file_type().is_symlink())
                    && !std::fs::canonicalize(&enfant).is_ok_and(|cible| cible.starts_with(racine))
                {
                    if ext.as_deref().is_some_and(|e| EXTENSIONS.contains(&e)) {
                        d.entrees.push(Entree::Introuvable {
                            chemin: enfant,
                            raison: "lien vers un fichier hors du répertoire vérifié : non suivi (--follow-links pour le suivre)"
                                .into(),
                        });
                    } else {
                        *d.ignores.entry("lien hors du répertoire".into()).or_default() += 1;
                    }
                    continue;
                }
                match ext {
                    Some(e) if EXTENSIONS.contains(&e.as_str()) => d.entrees.push(Entree::Fichier(enfant)),
                    Some(e) => *d.ignores.entry(format!(".{e}")).or_default() += 1,
                    None => *d.ignores.entry("sans extension".into()).or_default() += 1,
                }
            }
            Err(e) => {
                // A dangling link is reported only when it looks like a dossier, so that
                // unrelated files do not fail a batch; any other failure (a path too long or
                // too deep for the system, a loop of links) is always one unreadable input,
                // never a silent skip.
                let ext = enfant.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                let lien_mort = e.kind() == std::io::ErrorKind::NotFound
                    && std::fs::symlink_metadata(&enfant).is_ok_and(|l| l.file_type().is_symlink());
                if !lien_mort || ext.is_some_and(|x| EXTENSIONS.contains(&x.as_str())) {
                    d.entrees.push(Entree::Introuvable { chemin: enfant, raison: super::message_io(&e) });
                }
            }
        }
    }
}
/// The mark of a folder fnp created for its outputs.
pub const MARQUE_SORTIE: &str = ".fnp-sortie";

/// Whether `dossier` is a folder fnp created for its outputs.
pub fn est_sortie_de_fnp(dossier: &Path) -> bool {
    std::fs::symlink_metadata(dossier.join(MARQUE_SORTIE)).is_ok_and(|m| m.is_file())
}

/// What lies in a marked folder (files, hidden ones apart, recursively, links not followed):
/// what a walk of the folder holding it leaves aside.
pub fn compter_fichiers(dossier: &Path) -> usize {
    let Ok(lecture) = std::fs::read_dir(dossier) else { return 0 };
    let mut n = 0;
    for e in lecture.flatten() {
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_dir() => n += compter_fichiers(&e.path()),
            Ok(_) => n += 1,
            Err(_) => {}
        }
    }
    n
}

/// A hidden file's reason: passed over in silence.
const CACHE: &str = "fichier caché";

/// Why a file is passed over by its name alone, wherever it is met (a walk of a folder, the
/// page): the owner file Excel keeps beside an open workbook (`~$dossier.xlsx`), LibreOffice's
/// lock file (`.~lock.dossier.xlsx#`), any other hidden file (fnp's own marks among them).
/// `None`: a file to look at.
pub fn de_passage(nom: &str) -> Option<&'static str> {
    if nom.starts_with("~$") {
        Some("fichier de verrou d'Excel (le classeur est ouvert sur un poste)")
    } else if nom.starts_with(".~lock") {
        Some("fichier de verrou de LibreOffice (le classeur est ouvert sur un poste)")
    } else if nom.starts_with('.') {
        Some(CACHE)
    } else {
        None
    }
}

/// One dossier among files given by their paths (the page's files, named by their path in
/// the folder dropped): a dossier file, or the CSV files of one folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DossierNomme {
    /// Its name, as `fnp check` names it: the file's path, or the CSV dossier's folder.
    pub nom: String,
    /// The indices of its files among those given.
    pub fichiers: Vec<usize>,
    pub csv: bool,
}

/// Which of the files given by their paths are dossiers, and why each other one is left
/// aside, by the rules of a walk of a folder ([`decouvrir_tout`]): fnp's own output folders
/// (holding `.fnp-sortie`) left aside whole; hidden files, Excel's and LibreOffice's lock
/// files passed over; the CSV files of a folder that holds `Dossier.csv` one dossier; a file
/// of another kind left aside. What the page calls, so that it and the command line see the
/// same dossiers in the same folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Selection {
    pub dossiers: Vec<DossierNomme>,
    /// Each file left aside with its reason, in French (hidden files apart: none is named).
    pub ecartes: Vec<(String, String)>,
    /// Hidden files passed over in silence, as a walk does.
    pub caches: usize,
}

/// See [`Selection`]. `chemins` use `/` between folders (`Retours/nord/a.xlsx`).
pub fn selection(chemins: &[String]) -> Selection {
    let parent = |c: &str| c.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string());
    let base = |c: &str| c.rsplit('/').next().unwrap_or(c).to_string();
    let sorties: std::collections::BTreeSet<String> =
        chemins.iter().filter(|c| base(c) == MARQUE_SORTIE).map(|c| parent(c)).collect();
    let dans_sortie = |c: &str| {
        let mut d = parent(c);
        loop {
            if sorties.contains(&d) {
                return Some(d);
            }
            match d.rsplit_once('/') {
                Some((p, _)) => d = p.to_string(),
                None if !d.is_empty() => d = String::new(),
                None => return None,
            }
        }
    };
    let mut s = Selection::default();
    // CSV files by folder: (folder, indices, holds Dossier.csv).
    let mut csv: Vec<(String, Vec<usize>, bool)> = Vec::new();
    for (i, c) in chemins.iter().enumerate() {
        let nom = base(c);
        if let Some(d) = dans_sortie(c) {
            if de_passage(&nom).is_none() {
                let ou = if d.is_empty() { "le dossier déposé".to_string() } else { d };
                s.ecartes.push((
                    c.clone(),
                    format!("dans {ou} : dossier créé par fnp pour ses rapports ou ses copies annotées, non vérifié"),
                ));
            }
            continue;
        }
        match de_passage(&nom) {
            Some(CACHE) => {
                s.caches += 1;
                continue;
            }
            Some(raison) => {
                s.ecartes.push((c.clone(), raison.to_string()));
                continue;
            }
            None => {}
        }
        if let Some(rang) = super::classeur::csv::rang_csv(&nom) {
            let d = parent(c);
            match csv.iter_mut().find(|(x, _, _)| *x == d) {
                Some(g) => {
                    g.1.push(i);
                    g.2 |= rang == 0;
                }
                None => csv.push((d, vec![i], rang == 0)),
            }
            continue;
        }
        let ext = nom.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext {
            Some(e) if EXTENSIONS.contains(&e.as_str()) => {
                s.dossiers.push(DossierNomme { nom: c.clone(), fichiers: vec![i], csv: false })
            }
            Some(e) => {
                s.ecartes.push((c.clone(), format!("fichier .{e} : ni classeur, ni fichier .toml, ni dossier CSV")))
            }
            None => s.ecartes.push((c.clone(), "fichier sans extension : ni classeur, ni fichier .toml".into())),
        }
    }
    for (d, fichiers, complet) in csv {
        if complet {
            let nom = if d.is_empty() { "dossier CSV".to_string() } else { d };
            s.dossiers.push(DossierNomme { nom, fichiers, csv: true });
        } else {
            for i in fichiers {
                s.ecartes.push((chemins[i].clone(), "fichier CSV sans Dossier.csv à côté de lui".into()));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noms(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// The page's files, by path: the same dossiers a walk of the folder finds.
    #[test]
    fn a_folder_given_by_its_paths_holds_the_dossiers_a_walk_finds() {
        let chemins = noms(&[
            "Retours/a.xlsx",
            "Retours/~$a.xlsx",
            "Retours/.~lock.b.ods#",
            "Retours/b.ods",
            "Retours/.DS_Store",
            "Retours/erreur.pdf",
            "Retours/LISEZMOI",
            "Retours/rapport/.fnp-sortie",
            "Retours/rapport/synthese.csv",
            "Retours/copies/.fnp-sortie",
            "Retours/copies/a.annote.xlsx",
            "Retours/petits-pas/Dossier.csv",
            "Retours/petits-pas/Depenses.csv",
            "Retours/seul/Recettes.csv",
            "Retours/nord/c.toml",
            "Retours/rapports-anciens/a.annote.xlsx",
        ]);
        let s = selection(&chemins);
        let d: Vec<(&str, &[usize], bool)> =
            s.dossiers.iter().map(|d| (d.nom.as_str(), d.fichiers.as_slice(), d.csv)).collect();
        assert_eq!(
            d,
            vec![
                ("Retours/a.xlsx", &[0][..], false),
                ("Retours/b.ods", &[3][..], false),
                ("Retours/nord/c.toml", &[14][..], false),
                // A copy outside an output folder is a dossier like any other (hostile round 4).
                ("Retours/rapports-anciens/a.annote.xlsx", &[15][..], false),
                ("Retours/petits-pas", &[11, 12][..], true),
            ]
        );
        let raisons: Vec<(&str, &str)> = s.ecartes.iter().map(|(c, r)| (c.as_str(), r.as_str())).collect();
        assert!(
            raisons.contains(&("Retours/~$a.xlsx", "fichier de verrou d'Excel (le classeur est ouvert sur un poste)")),
            "{raisons:?}"
        );
        assert!(raisons.iter().any(|(c, r)| *c == "Retours/erreur.pdf" && r.starts_with("fichier .pdf")));
        assert!(
            raisons.iter().any(|(c, r)| *c == "Retours/copies/a.annote.xlsx" && r.contains("dossier créé par fnp"))
        );
        assert!(raisons.iter().any(|(c, r)| *c == "Retours/seul/Recettes.csv" && r.contains("sans Dossier.csv")));
        assert_eq!(s.ecartes.len(), 7, "{raisons:?}");
        assert_eq!(s.caches, 1);
        assert_eq!(de_passage("Dossier.xlsx"), None);
    }
}
