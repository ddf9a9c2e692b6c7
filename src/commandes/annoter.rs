//! `fnp check --annotate DIR`: each workbook handed back annotated. An xlsx or xlsm is
//! annotated as received (crate::ecriture::annotation); an xls, an ods or a CSV folder, which fnp cannot
//! edit in place, gets a copy rebuilt on fnp's template, and says so. The copies mirror the
//! inputs' subfolders, so that no two inputs share a copy, and a name too long for the file
//! system is shortened with a stable suffix.

use crate::lecture::Affiche;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::check::{CopieAnnotee, Resultat};
use crate::lecture::decouverte::Entree;
use crate::lecture::{self, Lu};

/// Longest file name written (most file systems allow 255 bytes).
const NOM_MAX: usize = 240;

/// The annotated copies of one batch.
pub struct Copies {
    dossier: PathBuf,
    force: bool,
    chemins: Vec<PathBuf>,
    /// Copies claimed so far: never two inputs on one copy.
    prises: NomsDeCopies,
    /// The batch's inputs that lie in the annotation folder (real paths): never written over.
    entrees: HashSet<PathBuf>,
}

/// Only the plain names of a path (no root, `.` or `..`).
fn noms_simples(p: &Path) -> PathBuf {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n),
            _ => None,
        })
        .collect()
}

/// Where an input's copy goes, relative to the annotation folder, before its name is made:
/// inside a folder given on the command line, its path below that folder (prefixed by the
/// folder's name when several paths were given); a file given itself, its name (its
/// relative path when several were given).
pub fn relatif(entree: &Path, chemins: &[PathBuf]) -> PathBuf {
    let plusieurs = chemins.len() > 1;
    for c in chemins {
        if entree != c
            && c.is_dir()
            && let Ok(reste) = entree.strip_prefix(c)
        {
            if !plusieurs {
                return noms_simples(reste);
            }
            let mut base = noms_simples(c);
            if base.as_os_str().is_empty() {
                base = std::fs::canonicalize(c).ok().and_then(|x| x.file_name().map(PathBuf::from)).unwrap_or_default();
            }
            return base.join(noms_simples(reste));
        }
    }
    let nom = entree.file_name().map(PathBuf::from).unwrap_or_else(|| PathBuf::from("dossier"));
    if plusieurs && entree.is_relative() && !entree.components().any(|c| c == Component::ParentDir) {
        let p = noms_simples(entree);
        if !p.as_os_str().is_empty() {
            return p;
        }
    }
    nom
}

/// The copy's file name: `a.annote.xlsx` for `a.xlsx` annotated in place (`.xlsm` keeps its
/// extension, its macros are kept), `a.ods.annote.xlsx` for a copy rebuilt from another
/// kind of input; shortened past [`NOM_MAX`] bytes with a suffix that depends only on the
/// input's name.
pub fn nom_copie(nom_entree: &str, en_place: bool, doublon: usize) -> String {
    let (tige, ext) = match nom_entree.rsplit_once('.') {
        Some((t, e)) if !t.is_empty() && !e.contains(['/', '\\']) => (t, e.to_ascii_lowercase()),
        _ => (nom_entree, String::new()),
    };
    // An annotated copy annotated again (corrected in the copy, checked again) keeps its
    // name: never `a.annote.annote.xlsx`.
    let tige = match tige.len().checked_sub(".annote".len()) {
        Some(i)
            if (ext == "xlsx" || ext == "xlsm")
                && tige.is_char_boundary(i)
                && tige[i..].eq_ignore_ascii_case(".annote")
                && i > 0 =>
        {
            &tige[..i]
        }
        _ => tige,
    };
    let (tige, suffixe) = if en_place {
        (tige, format!(".annote.{ext}"))
    } else if ext == "xlsx" {
        (tige, ".annote.xlsx".to_string())
    } else {
        (nom_entree, ".annote.xlsx".to_string())
    };
    let doublon = if doublon > 1 { format!("-{doublon}") } else { String::new() };
    if tige.len() + doublon.len() + suffixe.len() <= NOM_MAX {
        return format!("{tige}{doublon}{suffixe}");
    }
    let empreinte = format!("~{:08x}", crc32fast::hash(nom_entree.as_bytes()));
    let mut coupe = NOM_MAX - suffixe.len() - doublon.len() - empreinte.len();
    while !tige.is_char_boundary(coupe) {
        coupe -= 1;
    }
    format!("{}{empreinte}{doublon}{suffixe}", &tige[..coupe])
}

/// A file or folder name Windows accepts, made from one it may not: the characters it forbids
/// (`<>:"/\|?*` and controls) become `_`, trailing dots and spaces too, and a reserved device
/// name (`CON`, `NUL`, `COM1`…, whatever its extension and case) gets a `_` before it.
pub fn nom_pour_windows(nom: &str) -> String {
    let mut s: String =
        nom.chars().map(|c| if c.is_control() || "<>:\"/\\|?*".contains(c) { '_' } else { c }).collect();
    let garde = s.trim_end_matches(['.', ' ']).len();
    if garde < s.len() {
        let fin = "_".repeat(s[garde..].chars().count());
        s.truncate(garde);
        s.push_str(&fin);
    }
    let base = s.split('.').next().unwrap_or("").trim_end().to_ascii_uppercase();
    // COM and LPT with a digit 1 to 9, or a superscript ¹ ² ³, which Windows also takes for a
    // device (hostile round 4: `COM¹.xlsx`).
    let port = |b: &str| {
        let mut c = b.chars();
        let numero = c.next();
        c.next().is_none() && numero.is_some_and(|n| matches!(n, '1'..='9' | '¹' | '²' | '³'))
    };
    let reserve = matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$")
        || base.strip_prefix("COM").or_else(|| base.strip_prefix("LPT")).is_some_and(port);
    if reserve { format!("_{s}") } else { s }
}

fn genre(chemin: &Path) -> Option<&'static str> {
    if chemin.is_dir() {
        return Some("csv");
    }
    genre_classeur(chemin.extension()?.to_str()?)
}

/// The workbook kind of a file's extension (`xlsx`, `xlsm`, `xls`, `ods`, any case): the
/// files that get an annotated copy, besides CSV dossiers (`csv`).
pub fn genre_classeur(extension: &str) -> Option<&'static str> {
    ["xlsx", "xlsm", "xls", "ods"].into_iter().find(|e| e.eq_ignore_ascii_case(extension))
}

/// What the reports say of a copy: its name in the annotation folder once written, or why it
/// was not.
pub fn note_de_copie(ecrite: Result<&Path, String>, en_place: bool, remarque: Option<String>) -> CopieAnnotee {
    match ecrite {
        Ok(relatif) => CopieAnnotee { fichier: Some(relatif.to_string_lossy().into_owned()), en_place, remarque },
        Err(e) => {
            CopieAnnotee { fichier: None, en_place: false, remarque: Some(format!("copie annotée non écrite : {e}")) }
        }
    }
}

impl Copies {
    pub fn new(dossier: &Path, force: bool, chemins: &[PathBuf]) -> Copies {
        Copies {
            dossier: dossier.to_path_buf(),
            force,
            chemins: chemins.to_vec(),
            prises: NomsDeCopies::default(),
            entrees: HashSet::new(),
        }
    }

    /// Notes the inputs that lie inside the annotation folder (an existing folder given as
    /// `--annotate` inside a checked one, whose dossiers are checked): no copy is ever written
    /// over one of them, `--force` or not. Costs nothing when the folders are apart.
    pub fn proteger_entrees(&mut self, entrees: &[Entree]) {
        let Some(racine) = crate::ecriture::atomique::chemin_reel(&self.dossier) else { return };
        let meles = self.chemins.iter().filter_map(|c| crate::ecriture::atomique::chemin_reel(c));
        if !meles.into_iter().any(|c| racine.starts_with(&c) || c.starts_with(&racine)) {
            return;
        }
        self.entrees = entrees
            .iter()
            .filter_map(|e| match e {
                Entree::Fichier(p) => crate::ecriture::atomique::chemin_reel(p),
                Entree::Introuvable { .. } => None,
            })
            .filter(|p| p.starts_with(&racine))
            .collect();
    }

    /// Writes the annotated copy of one dossier (workbooks and CSV folders only).
    pub fn ecrire(&self, entree: &Entree, lu: &Lu, r: &Resultat) -> Option<CopieAnnotee> {
        let Entree::Fichier(chemin) = entree else { return None };
        // An interrupted run writes no more copies (those already in place are whole).
        if crate::interrompu() {
            return None;
        }
        let genre = genre(chemin)?;
        let relatif = relatif(chemin, &self.chemins);
        // Names as fnp shows them (lecture::texte_chemin): a name that is not UTF-8 gets a copy
        // named with its bytes escaped, like everywhere it is shown, and never shares it.
        let nom_entree = relatif.file_name().map(|n| lecture::texte_chemin(Path::new(n))).unwrap_or_default();
        let sous_dossier = relatif.parent().map(|p| PathBuf::from(lecture::texte_chemin(p))).unwrap_or_default();
        let Copie { octets, en_place, remarque } = copie(genre, lu, r);
        let relatif_copie = self.prises.reserver(&sous_dossier, &nom_entree, en_place);
        let cible = self.dossier.join(&relatif_copie);
        let ecrit = octets.and_then(|o| {
            if crate::interrompu() {
                return Err("interrompu".into());
            }
            if let Some(parent) = cible.parent() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    format!("{} : impossible de créer le dossier : {}", parent.affiche(), lecture::description_io(&e))
                })?;
            }
            if !self.entrees.is_empty()
                && crate::ecriture::atomique::chemin_reel(&cible).is_some_and(|c| self.entrees.contains(&c))
            {
                return Err(format!(
                    "{} est un des dossiers vérifiés : fnp n'écrit jamais sur ce qu'il lit",
                    cible.affiche()
                ));
            }
            crate::ecriture::atomique::ecrire_fichier_differe(&cible, &o, self.force)
        });
        Some(note_de_copie(ecrit.map(|()| relatif_copie.as_path()), en_place, remarque))
    }

    /// Makes every copy durable at once (one sync for the batch, not one per file).
    pub fn terminer(&self) -> Result<(), String> {
        crate::ecriture::atomique::synchroniser(&self.dossier)
    }
}

/// The names of a batch's copies, relative to their folder, claimed one by one.
#[derive(Default)]
pub struct NomsDeCopies {
    /// Claimed so far, lower case: two copies never differ only by case (Windows, macOS).
    prises: Mutex<HashSet<String>>,
}

impl NomsDeCopies {
    /// Claims the copy's path: the first free one of `nom`, `nom-2`, … Every part of it is a
    /// name Windows accepts (the copies go back to associations that mostly use it).
    pub fn reserver(&self, dossier: &Path, nom_entree: &str, en_place: bool) -> PathBuf {
        let dossier: PathBuf = dossier.iter().map(|c| nom_pour_windows(&c.to_string_lossy())).collect();
        let mut prises = self.prises.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for n in 1.. {
            let p = dossier.join(nom_pour_windows(&nom_copie(nom_entree, en_place, n)));
            if prises.insert(p.to_string_lossy().to_lowercase()) {
                return p;
            }
        }
        unreachable!("an unbounded range always yields a free name")
    }
}

/// An annotated copy, in memory.
pub struct Copie {
    pub octets: Result<Vec<u8>, String>,
    /// On the association's own workbook (`true`), or rebuilt on fnp's template.
    pub en_place: bool,
    /// Why it was rebuilt, in French.
    pub remarque: Option<String>,
}

/// The annotated copy of a dossier of kind `genre` (`xlsx`, `xlsm`, `xls`, `ods`, `csv`):
/// the workbook as received with a comment at each finding's cell, else one rebuilt on fnp's
/// template, with the reason; marked as fnp's (crate::ecriture::marque). What `--annotate` writes, and
/// what the web page offers to download.
pub fn copie(genre: &str, lu: &Lu, r: &Resultat) -> Copie {
    // Active content the received workbook holds stays in a copy made in place, as received
    // (hostile round 4): the note says so, for the one who opens the copy.
    let actif = r.constats.iter().any(|c| c.regle == "CLASSEUR-MACROS" || c.regle == "CLASSEUR-LIENS-EXTERNES");
    // A conforme dossier's copy is the workbook to send the Caf: nothing of fnp's in it but
    // its mark (a former annotation taken off), the treasurer's loop closed.
    let propre = r.verdict == crate::check::Verdict::Conforme;
    const PROPRE: &str = "dossier conforme : la copie ne porte aucune annotation de fnp (ni commentaire, ni couleur, ni feuille Anomalies) ; c'est le classeur à envoyer à la Caf, avec le document du dossier";
    let (octets, en_place, remarque) = match en_place(genre, lu, r, propre) {
        Ok(o) if actif => (
            Ok(o),
            true,
            Some(format!(
                "le classeur reçu contient des macros, des objets incorporés ou des liaisons (voir ses constats CLASSEUR-*) : la copie annotée les garde tels quels, fnp n'y touche pas ; ne les activez pas en l'ouvrant{}",
                if propre { format!(" ; {PROPRE}") } else { String::new() }
            )),
        ),
        Ok(o) => (Ok(o), true, propre.then(|| PROPRE.to_string())),
        Err(raison) => {
            let rebati = crate::ecriture::modele::ecrire(&crate::ecriture::modele::Options {
                dossier: Some(&lu.dossier),
                constats: (!propre).then_some(&r.constats[..]),
                tronquer: true,
                ..Default::default()
            });
            (rebati.map(|(o, _)| o), false, Some(raison))
        }
    };
    // fnp's mark, tied to the dossier as read: found again in a checked folder, the copy is
    // left aside until the association changes a value (crate::ecriture::marque).
    let octets = octets
        .map(|o| crate::ecriture::marque::marquer(&o, &crate::ecriture::marque::empreinte(&lu.dossier)).unwrap_or(o));
    Copie { octets, en_place, remarque }
}

/// The workbook as received with the findings, or why it cannot be.
fn en_place(genre: &str, lu: &Lu, r: &Resultat, propre: bool) -> Result<Vec<u8>, String> {
    let rebatie = "copie reconstruite sur le modèle de fnp : la mise en page de l'association n'y est pas";
    match genre {
        "xls" => {
            return Err(format!(
                "classeur .xls (ancien format d'Excel), que fnp ne sait pas annoter en place ; {rebatie}"
            ));
        }
        "ods" => {
            return Err(format!("classeur OpenDocument (.ods), que fnp ne sait pas annoter en place ; {rebatie}"));
        }
        "csv" => return Err(format!("dossier de fichiers CSV, qui ne peuvent porter de commentaires ; {rebatie}")),
        _ => {}
    }
    let sans = |raison: String| format!("annotation en place impossible ({raison}) ; {rebatie}");
    // The very bytes that were checked (read once): the comments speak of what they hold.
    let Some(octets) = lu.octets.as_deref() else {
        return Err(sans("le classeur lu n'a pas été gardé".into()));
    };
    // A workbook comes from outside: whatever its parts hold, a failure to edit them is
    // one rebuilt copy, never a stopped batch.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if propre {
            // Clean: the workbook as received, a former annotation of fnp's taken off.
            crate::ecriture::annotation::nettoyage::nettoyer(octets).map(|n| n.unwrap_or_else(|| octets.to_vec()))
        } else {
            crate::ecriture::annotation::annoter(octets, &r.constats)
        }
    }))
    .unwrap_or_else(|_| Err("erreur interne de fnp en l'éditant".into()))
    .map_err(sans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_mirror_the_inputs_and_never_share_a_name() {
        let d = tempfile::tempdir().expect("tempdir");
        let racine = d.path().join("retours");
        std::fs::create_dir_all(racine.join("a")).expect("mkdir");
        let un = vec![racine.clone()];
        assert_eq!(relatif(&racine.join("a/x.xlsx"), &un), PathBuf::from("a/x.xlsx"));
        assert_eq!(relatif(&racine.join("x.xlsx"), &un), PathBuf::from("x.xlsx"));
        let deux = vec![racine.clone(), d.path().join("autre.xlsx")];
        assert!(relatif(&racine.join("a/x.xlsx"), &deux).ends_with("retours/a/x.xlsx"));
        assert_eq!(relatif(Path::new("/loin/x.xlsx"), &[PathBuf::from("/loin/x.xlsx")]), PathBuf::from("x.xlsx"));
        assert_eq!(
            relatif(Path::new("b/x.xlsx"), &[PathBuf::from("a/x.xlsx"), PathBuf::from("b/x.xlsx")]),
            PathBuf::from("b/x.xlsx")
        );
        assert_eq!(nom_copie("a.xlsx", true, 1), "a.annote.xlsx");
        assert_eq!(nom_copie("a.XLSM", true, 1), "a.annote.xlsm");
        assert_eq!(nom_copie("a.ods", false, 1), "a.ods.annote.xlsx");
        assert_eq!(nom_copie("a.xlsx", false, 1), "a.annote.xlsx");
        assert_eq!(nom_copie("a.annote.xlsx", true, 1), "a.annote.xlsx");
        assert_eq!(nom_copie("a.ANNOTE.xlsm", true, 1), "a.annote.xlsm");
        assert_eq!(nom_copie("a.annote.xlsx", false, 2), "a-2.annote.xlsx");
        assert_eq!(nom_copie(".annote.xlsx", true, 1), ".annote.annote.xlsx");
        assert_eq!(nom_copie("dossier-csv", false, 2), "dossier-csv-2.annote.xlsx");
    }

    /// The copy is made from the bytes that were checked: a file replaced on the disk after
    /// it was read (a sync client, a colleague saving) does not get comments about values it
    /// no longer holds.
    #[test]
    fn the_copy_is_made_from_the_bytes_that_were_checked() {
        use calamine::Reader;
        let d = tempfile::tempdir().expect("tempdir");
        let recu = d.path().join("recu.xlsx");
        let lu_octets = std::fs::read("tests/fixtures/classeurs/cafe-libreoffice.xlsx").expect("fixture");
        let lu = lecture::lire_octets("recu.xlsx", "xlsx", lu_octets.clone(), &lecture::limites::Limites::default())
            .expect("read");
        let regles = crate::rules::Regles::embarquees().expect("rules");
        let r = crate::check::verifier("recu.xlsx", &lu, &regles);
        // Replaced on the disk after the check.
        std::fs::copy("tests/fixtures/classeurs/cellule-lointaine.xlsx", &recu).expect("replace");
        let sortie = d.path().join("annotes");
        std::fs::create_dir(&sortie).expect("mkdir");
        let copies = Copies::new(&sortie, false, std::slice::from_ref(&recu));
        let copie = copies.ecrire(&Entree::Fichier(recu.clone()), &lu, &r).expect("a copy");
        let fichier = sortie.join(copie.fichier.expect("written"));
        let valeurs = |octets: Vec<u8>| {
            let mut c = calamine::Xlsx::new(std::io::Cursor::new(octets)).expect("xlsx");
            c.worksheet_range("Dossier").expect("Dossier")
        };
        let copie = valeurs(std::fs::read(&fichier).expect("copy"));
        let checke = valeurs(lu_octets);
        assert_eq!(copie.cells().count(), checke.cells().count());
        for (l, c, v) in checke.cells() {
            assert_eq!(copie.get((l, c)), Some(v), "{l} {c}");
        }
    }

    /// Names Windows refuses or reserves, from received files, give copies it accepts;
    /// ordinary names are kept as they are.
    #[test]
    fn copies_get_names_windows_accepts() {
        assert_eq!(nom_pour_windows("dossier.annote.xlsx"), "dossier.annote.xlsx");
        assert_eq!(nom_pour_windows("Café des parents.annote.xlsx"), "Café des parents.annote.xlsx");
        assert_eq!(nom_pour_windows("CON.annote.xlsx"), "_CON.annote.xlsx");
        assert_eq!(nom_pour_windows("nul"), "_nul");
        assert_eq!(nom_pour_windows("com1.xlsx"), "_com1.xlsx");
        assert_eq!(nom_pour_windows("com0.xlsx"), "com0.xlsx");
        // Superscript digits name devices too (hostile round 4).
        assert_eq!(nom_pour_windows("COM¹.annote.xlsx"), "_COM¹.annote.xlsx");
        assert_eq!(nom_pour_windows("lpt³.xlsx"), "_lpt³.xlsx");
        assert_eq!(nom_pour_windows("COM10.xlsx"), "COM10.xlsx");
        assert_eq!(nom_pour_windows("console.xlsx"), "console.xlsx");
        assert_eq!(nom_pour_windows("a<b>:c\"d|e?f*.xlsx"), "a_b__c_d_e_f_.xlsx");
        assert_eq!(nom_pour_windows("retours. "), "retours__");
        let copies = NomsDeCopies::default();
        let p = copies.reserver(Path::new("CON/lot ."), "NUL.xlsx", true);
        assert_eq!(p, PathBuf::from("_CON/lot__/_NUL.annote.xlsx"));
        // Two names Windows would make one (case) stay apart.
        let a = copies.reserver(Path::new(""), "Dossier.xlsx", true);
        let b = copies.reserver(Path::new(""), "dossier.xlsx", true);
        assert_ne!(a.to_string_lossy().to_lowercase(), b.to_string_lossy().to_lowercase());
    }

    #[test]
    fn a_long_name_is_shortened_stably_within_the_limit() {
        let long = format!("{}.xlsx", "é".repeat(125));
        let a = nom_copie(&long, true, 1);
        assert!(a.len() <= NOM_MAX, "{}", a.len());
        assert!(a.ends_with(".annote.xlsx"), "{a}");
        assert_eq!(a, nom_copie(&long, true, 1), "stable");
        let autre = format!("{}.xlsx", "é".repeat(126));
        assert_ne!(nom_copie(&autre, true, 1), a, "two long names stay apart");
        assert!(nom_copie(&long, true, 3).len() <= NOM_MAX);
    }
}
