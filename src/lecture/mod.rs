//! Readers (and later writers) of dossiers, with the location of every value.

pub mod assemblage;
pub mod cfb;
pub mod classeur;
pub mod decouverte;
pub mod erreurs_io;
pub mod erreurs_toml;
pub mod limites;
pub mod ods;
pub mod saisies;
pub mod toml;
pub mod zip;

use crate::lecture::limites::{SAISIES_PAR_REGLE, TOML_MAX};
use std::ops::Range;
use std::sync::Arc;

use crate::model::Dossier;

pub use crate::model::emplacement::{
    Emplacement, Lignes, Repere, Reperes, Texte, champ_lisible, libelle_du_champ, ligne_colonne,
};
pub use crate::model::noms::{Affiche, chemin_stable, json_stable, octets_chemin, texte_chemin};
pub use erreurs_io::{code_systeme, description_io, message_io, sorte_speciale};

/// An input problem found by a reader: becomes a finding with the rule id `regle`
/// (`SAISIE-*`), located at `champ`.
#[derive(Debug, Clone, PartialEq)]
pub struct Saisie {
    pub regle: &'static str,
    pub message: String,
    pub champ: String,
    /// An explicit location when the field's own one is not the right place.
    pub etendue: Option<Range<usize>>,
}

/// Counts a reader's findings per rule, to keep at most [`SAISIES_PAR_REGLE`] of each.
#[derive(Debug, Default)]
pub(crate) struct Plafond(Vec<(&'static str, usize)>);

impl Plafond {
    /// Counts one more finding of `regle`: whether it is kept.
    pub(crate) fn garder(&mut self, regle: &'static str) -> bool {
        let n = match self.0.iter_mut().find(|(r, _)| *r == regle) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.0.push((regle, 1));
                1
            }
        };
        n <= SAISIES_PAR_REGLE
    }

    /// Whether `regle` has given all the findings it may: the caller counts the next one
    /// ([`Plafond::garder`]) without building its message.
    pub(crate) fn plein(&self, regle: &'static str) -> bool {
        self.0.iter().any(|(r, n)| *r == regle && *n >= SAISIES_PAR_REGLE)
    }

    /// Says, on the last finding kept of each rule past the bound, how many were left out.
    pub(crate) fn conclure(&self, saisies: &mut [Saisie]) {
        for (regle, n) in &self.0 {
            if *n > SAISIES_PAR_REGLE
                && let Some(derniere) = saisies.iter_mut().rev().find(|s| s.regle == *regle)
            {
                let autres = n - SAISIES_PAR_REGLE;
                derniere.message.push_str(&format!(
                    " (et {autres} autre{} constat{} de la même règle dans ce dossier, non détaillé{} : corrigez d'abord ceux-ci)",
                    if autres > 1 { "s" } else { "" },
                    if autres > 1 { "s" } else { "" },
                    if autres > 1 { "s" } else { "" }
                ));
            }
        }
    }
}

/// What a reader gives back for one file.
#[derive(Debug, Clone)]
pub struct Lu {
    pub dossier: Dossier,
    pub saisies: Vec<Saisie>,
    pub reperes: Reperes,
    /// The very bytes a workbook was read from: its annotated copy is made from them, never
    /// from a second read of the disk (a file replaced in between would get comments about
    /// values it no longer holds).
    pub octets: Option<Arc<[u8]>>,
}

/// One reason a file cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probleme {
    pub message: String,
    pub emplacement: Emplacement,
}

/// A file that cannot be read as a dossier at all (verdict `illisible`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Illisible {
    /// The first reason, in file order.
    pub message: String,
    pub emplacement: Emplacement,
    /// The other reasons, in file order after the first: every TOML syntax error of the file.
    pub autres: Vec<Probleme>,
    /// The file's text when it is text (to show the offending line).
    pub texte: Option<Texte>,
}

impl Illisible {
    /// A file that cannot be read, with no position in it.
    pub fn sans_position(fichier: &str, message: impl Into<String>) -> Illisible {
        Illisible {
            message: message.into(),
            emplacement: Emplacement { fichier: fichier.to_string(), ..Default::default() },
            autres: Vec::new(),
            texte: None,
        }
    }

    /// Every reason, in file order.
    pub fn problemes(&self) -> impl Iterator<Item = (&str, &Emplacement)> {
        std::iter::once((self.message.as_str(), &self.emplacement))
            .chain(self.autres.iter().map(|p| (p.message.as_str(), &p.emplacement)))
    }

    /// Every reason with its place (`projet.toml:70:9 : …`), one a line.
    pub fn detail(&self) -> String {
        self.problemes().map(|(m, e)| format!("{} : {m}", e.lieu())).collect::<Vec<_>>().join("\n")
    }
}

/// Reads any supported dossier: a `.toml` file, a workbook, or a CSV dossier folder.
pub fn lire(chemin: &std::path::Path, affiche: &str) -> Result<Lu, Illisible> {
    lire_avec(chemin, affiche, &limites::Limites::default())
}

std::thread_local! {
    /// Set while a reader runs under [`proteger`]: its panics are expected and silent.
    static LECTURE_PROTEGEE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs a panic hook that stays quiet for panics caught while reading a file (a reader
/// library failing on a broken file), and reports every other panic as usual.
pub fn installer_crochet_panique() {
    let defaut = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !LECTURE_PROTEGEE.with(std::cell::Cell::get) {
            defaut(info);
        }
    }));
}

/// Runs a reader so that a panic inside it (a dependency included) becomes an unreadable
/// file with a French message, never a crash of `fnp`.
pub fn proteger(affiche: &str, lecture: impl FnOnce() -> Result<Lu, Illisible>) -> Result<Lu, Illisible> {
    LECTURE_PROTEGEE.with(|c| c.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(lecture));
    LECTURE_PROTEGEE.with(|c| c.set(false));
    r.unwrap_or_else(|_| {
        Err(Illisible::sans_position(
            affiche,
            "fichier abîmé : sa lecture a échoué (erreur interne du lecteur) ; enregistrez-le à nouveau depuis le tableur",
        ))
    })
}

/// [`lire`] with explicit bounds.
pub fn lire_avec(chemin: &std::path::Path, affiche: &str, limites: &limites::Limites) -> Result<Lu, Illisible> {
    proteger(affiche, || lire_sans_protection(chemin, affiche, limites))
}

/// The path that means standard input (`fnp check -`): a TOML dossier.
pub const ENTREE_STANDARD: &str = "-";

/// How a path given on the command line is shown: standard input by name, any other path
/// by [`texte_chemin`].
pub fn nom_affiche(chemin: &std::path::Path) -> String {
    if est_entree_standard(chemin) { "(entrée standard)".into() } else { texte_chemin(chemin) }
}

/// A workbook recognised by its first bytes (a zip: xlsx, xlsm, ods; an OLE file: xls), for
/// the bytes that came on standard input, where only TOML is read.
fn classeur_sur_entree(octets: &[u8]) -> Option<&'static str> {
    if octets.starts_with(b"PK\x03\x04") {
        Some("xlsx, xlsm ou ods")
    } else if octets.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("xls d'Excel 97-2003")
    } else {
        None
    }
}

/// Whether a path given on the command line is standard input.
pub fn est_entree_standard(chemin: &std::path::Path) -> bool {
    chemin.as_os_str() == ENTREE_STANDARD
}

/// The text of a TOML dossier, from bytes already bounded by `--max-size`.
fn texte_toml(octets: Vec<u8>, affiche: &str, limites: &limites::Limites) -> Result<Lu, Illisible> {
    if octets.len() as u64 > TOML_MAX {
        return Err(Illisible::sans_position(
            affiche,
            format!(
                "dossier TOML de {} octets : au-delà de {TOML_MAX} octets, sa lecture demanderait trop de mémoire (un dossier en compte quelques milliers)",
                octets.len()
            ),
        ));
    }
    let texte = String::from_utf8(octets).map_err(|e| {
        Illisible::sans_position(
            affiche,
            format!(
                "le fichier n'est pas encodé en UTF-8 (octet invalide à la position {}) ; enregistrez-le en UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    toml::lire_toml_borne(&texte, affiche, limites)
}

fn lire_sans_protection(chemin: &std::path::Path, affiche: &str, limites: &limites::Limites) -> Result<Lu, Illisible> {
    if est_entree_standard(chemin) {
        use std::io::Read;
        let mut octets = Vec::new();
        std::io::stdin().lock().take(limites.taille_max.saturating_add(1)).read_to_end(&mut octets).map_err(|e| {
            Illisible::sans_position(affiche, format!("entrée standard illisible : {}", message_io(&e)))
        })?;
        if octets.len() as u64 > limites.taille_max {
            return Err(Illisible::sans_position(
                affiche,
                format!("entrée standard trop grosse (plus de {} octets : --max-size)", limites.taille_max),
            ));
        }
        if let Some(genre) = classeur_sur_entree(&octets) {
            return Err(Illisible::sans_position(
                affiche,
                format!(
                    "l'entrée standard contient un classeur ({genre}), pas un dossier TOML : fnp ne lit que du TOML sur l'entrée standard ; donnez le classeur par son chemin (fnp check dossier.xlsx)"
                ),
            ));
        }
        return texte_toml(octets, affiche, limites);
    }
    if chemin.is_dir() {
        return classeur::csv::lire_dossier_csv(chemin, affiche, limites);
    }
    let ext = chemin.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let sans_ligne = |message: String| Illisible::sans_position(affiche, message);
    match ext.as_deref() {
        Some(e @ ("toml" | "xlsx" | "xlsm" | "xls" | "ods")) => {
            let octets = lire_fichier_borne(chemin, limites.taille_max).map_err(sans_ligne)?;
            lire_octets_sans_protection(affiche, e, octets, limites)
        }
        Some("csv") => Err(sans_ligne(
            "un dossier CSV est un répertoire qui contient Dossier.csv, Depenses.csv, Recettes.csv et Contributions.csv : donnez le répertoire".into(),
        )),
        _ => Err(sans_ligne("extension de fichier non reconnue : fnp lit les dossiers .toml, .xlsx, .xlsm, .xls, .ods et les répertoires CSV".into())),
    }
}

/// Reads a dossier from its bytes, read once: `ext` (`toml`, `xlsx`, `xlsm`, `xls`, `ods`)
/// says its kind, `affiche` is the name it is shown by. The one entry of every reader for a
/// file, whoever has its bytes (the command line, a page holding a dropped file); a reader
/// failing on it (a panic included) makes it unreadable, never a crash.
pub fn lire_octets(affiche: &str, ext: &str, octets: Vec<u8>, limites: &limites::Limites) -> Result<Lu, Illisible> {
    proteger(affiche, || lire_octets_sans_protection(affiche, ext, octets, limites))
}

/// Reads a CSV dossier from its files' names and bytes (`Dossier.csv`, `Depenses.csv`…, as in
/// its folder; other files are passed over), `affiche` being the dossier's shown name (its
/// folder's). The bytes' entry for a CSV dossier, as [`lire_octets`] is for one file.
pub fn lire_csv_octets(
    affiche: &str,
    fichiers: Vec<(String, Vec<u8>)>,
    limites: &limites::Limites,
) -> Result<Lu, Illisible> {
    proteger(affiche, || classeur::csv::lire_csv_octets(affiche, fichiers, limites))
}

fn lire_octets_sans_protection(
    affiche: &str,
    ext: &str,
    octets: Vec<u8>,
    limites: &limites::Limites,
) -> Result<Lu, Illisible> {
    if octets.len() as u64 > limites.taille_max {
        return Err(Illisible::sans_position(
            affiche,
            format!("fichier trop gros ({} octets, limite {} octets : --max-size)", octets.len(), limites.taille_max),
        ));
    }
    match ext.to_ascii_lowercase().as_str() {
        "toml" => texte_toml(octets, affiche, limites),
        e @ ("xlsx" | "xlsm" | "xls" | "ods") => classeur::lire_classeur_octets(Arc::from(octets), e, affiche, limites),
        _ => Err(Illisible::sans_position(
            affiche,
            "extension de fichier non reconnue : fnp lit les dossiers .toml, .xlsx, .xlsm, .xls, .ods et les répertoires CSV",
        )),
    }
}

/// Reads a file that must be a regular one (a link to one is followed), never more than
/// `max` bytes whatever size the file system reports: a FIFO, a device or a socket is
/// refused before it is opened (opening a FIFO would block), a `/dev/zero` behind a link is
/// refused, and a file that grows past `max` while read is refused too. The error is French.
pub fn lire_fichier_borne(chemin: &std::path::Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(chemin).map_err(|e| message_io(&e))?;
    if let Some(sorte) = sorte_speciale(&meta) {
        return Err(format!("{sorte} : fnp ne lit que des fichiers ordinaires"));
    }
    if meta.len() > max {
        return Err(format!("fichier trop gros ({} octets, limite {max} octets : --max-size)", meta.len()));
    }
    let fichier = std::fs::File::open(chemin).map_err(|e| message_io(&e))?;
    let mut octets = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).min(1 << 24));
    fichier.take(max.saturating_add(1)).read_to_end(&mut octets).map_err(|e| message_io(&e))?;
    if octets.len() as u64 > max {
        return Err(format!("fichier trop gros (plus de {max} octets : --max-size)"));
    }
    Ok(octets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every cause the system gives a write, as tempfile hands it over (wrapped with the
    /// path), said in French: never the library's English.
    #[cfg(unix)]
    #[test]
    fn write_errors_wrapped_by_tempfile_are_said_in_french() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("tempdir");
        // A real one: a temporary file whose handle writes to /dev/full.
        if let Ok(plein) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
            let chemin = dir.path().join("t");
            std::fs::write(&chemin, b"").expect("write");
            let mut t = tempfile::NamedTempFile::from_parts(
                plein,
                tempfile::TempPath::try_from_path(chemin).expect("absolute path"),
            );
            let e = t.write_all(b"x").and_then(|()| t.flush()).expect_err("full");
            assert_eq!(description_io(&e), "plus de place sur le disque", "{e}");
        }
        let e = tempfile::Builder::new().tempfile_in(dir.path().join("absent")).expect_err("no folder");
        assert_eq!(description_io(&e), "fichier ou dossier introuvable", "{e}");
        // Each cause, wrapped as tempfile wraps it (a private error holding the text).
        for (code, attendu) in [
            (28, "plus de place sur le disque"),
            (30, "système de fichiers en lecture seule"),
            (27, "fichier trop gros pour le système de fichiers"),
            (13, "droits insuffisants"),
            (1, "droits insuffisants"),
            (36, "nom de fichier ou chemin trop long pour le système"),
            (5, "erreur d'entrée-sortie du disque"),
            (71, "erreur du système n° 71"),
        ] {
            let brute = std::io::Error::from_raw_os_error(code);
            let enveloppe = std::io::Error::new(brute.kind(), format!("{brute} at path \"/tmp/x\""));
            assert_eq!(code_systeme(&enveloppe), Some(code));
            let dedans = std::io::Error::new(brute.kind(), std::io::Error::from_raw_os_error(code));
            for e in [&brute, &enveloppe, &dedans] {
                let d = description_io(e);
                assert_eq!(d, attendu, "{e}");
            }
        }
        assert_eq!(description_io(&std::io::Error::other("boom")), "erreur inattendue du système");
    }

    #[cfg(unix)]
    #[test]
    fn paths_are_shown_without_loss_and_never_alike() {
        use std::os::unix::ffi::OsStrExt;
        let p = |o: &[u8]| texte_chemin(std::path::Path::new(std::ffi::OsStr::from_bytes(o)));
        assert_eq!(p(b"dossiers/caf\xc3\xa9.toml"), "dossiers/café.toml");
        assert_eq!(p(b"caf\xe9.toml"), "caf\\xE9.toml");
        assert_eq!(p(b"caf\xe8.toml"), "caf\\xE8.toml");
        // A valid name that holds the escape itself stays apart.
        assert_eq!(p(b"caf\\xE9.toml"), "caf\\\\xE9.toml");
        assert_eq!(p(b"\xff\xfe"), "\\xFF\\xFE");
        assert_eq!(nom_affiche(std::path::Path::new("-")), "(entrée standard)");
        // The text gives the bytes back: every pair of bytes, and names mixing both escapes.
        let mut noms: Vec<Vec<u8>> = (0..=255u8).flat_map(|a| (0..=255u8).map(move |b| vec![a, b'\\', b])).collect();
        noms.extend([b"caf\\xE9".to_vec(), b"\\x".to_vec(), b"\\xZZ\\".to_vec(), ["é\\".as_bytes(), b"\xe9"].concat()]);
        for n in noms {
            assert_eq!(octets_chemin(&p(&n)), n, "{}", p(&n));
        }
    }

    #[test]
    fn lines_and_columns() {
        let t = "ab\ncdé f\n";
        assert_eq!(ligne_colonne(t, 0), (1, 1));
        assert_eq!(ligne_colonne(t, 3), (2, 1));
        // 'é' is two bytes: 'f' is the 5th character.
        assert_eq!(ligne_colonne(t, 8), (2, 5));
        let lignes = Lignes::de(t);
        for offset in 0..=t.len() + 2 {
            assert_eq!(lignes.ligne_colonne(t, offset), ligne_colonne(t, offset), "{offset}");
        }
        for offset in 0..t.len() {
            assert_eq!(lignes.ligne(offset), ligne_colonne(t, offset).0, "{offset}");
        }
    }
}
