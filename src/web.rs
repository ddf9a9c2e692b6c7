//! The web page's entry (`dist/fnp.html`, scripts/web.sh): the library called from
//! JavaScript in a Web Worker, with a file's name and bytes. Every rule, reader, check,
//! figure, document and copy is the command line's own: this module only converts.
//! Built for wasm32 only; nothing leaves the page.

use wasm_bindgen::prelude::*;

use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::check::Resultat;
use crate::commandes::DossierLu;
use crate::lecture::{self, limites::Limites};
use crate::report::Synthese;
use crate::report::fichiers::Rapports;
use crate::rules::Regles;

thread_local! {
    /// The embedded rules, read once per worker.
    static REGLES: Result<Regles, String> = Regles::embarquees().map_err(|e| e.to_string());
}

/// The folders of the page's zip, as an instructor would name them with `--report` and
/// `--annotate`.
const DOSSIER_RAPPORT: &str = "rapport";
const DOSSIER_COPIES: &str = "copies annotées";

/// A batch being put in a zip: the four reports as `fnp check --report` writes them, and
/// the annotated copies as `--annotate` names them. The zip is written as the batch goes
/// and handed to the page piece by piece (`lot_ajouter` returns what each copy added), so
/// the module holds one dossier's copy at a time, never the batch: a batch of a hundred
/// 19 MB workbooks fits as well as one (hostile round 4).
struct Lot {
    rapports: Rapports<Vec<u8>>,
    synthese: Synthese,
    noms: crate::commandes::annoter::NomsDeCopies,
    zip: zip::ZipWriter<zip::write::StreamWriter<Tampon>>,
    sortie: Rc<RefCell<Vec<u8>>>,
}

/// Where the streamed zip writes: a buffer the page empties after each dossier.
struct Tampon(Rc<RefCell<Vec<u8>>>);

impl Write for Tampon {
    fn write(&mut self, octets: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(octets);
        Ok(octets.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Lot {
    /// What the zip has written since the last call, for the page to keep.
    fn vider(&self) -> Vec<u8> {
        std::mem::take(&mut *self.sortie.borrow_mut())
    }
}

fn echec_zip(e: impl std::fmt::Display) -> String {
    format!("zip : {e}")
}

thread_local! {
    static LOT: RefCell<Option<Lot>> = const { RefCell::new(None) };
}

fn avec_regles<T>(f: impl FnOnce(&Regles) -> Result<T, String>) -> Result<T, String> {
    REGLES.with(|r| match r {
        Ok(r) => f(r),
        Err(e) => Err(e.clone()),
    })
}

/// The extension that says a file's kind (`toml`, `xlsx`…), lower case.
fn extension(nom: &str) -> String {
    nom.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

/// What the page gives for one dossier: a file, or the files of a CSV dossier (a folder
/// holding `Dossier.csv`), as `[[name, bytes], …]`.
enum Entree {
    Fichier(Vec<u8>),
    Csv(Vec<(String, Vec<u8>)>),
}

impl Entree {
    /// `fichiers` as the page sends them: one `[name, bytes]` pair named `nom` is that file;
    /// anything else is the files of the CSV dossier `nom`.
    fn de(nom: &str, fichiers: &js_sys::Array) -> Entree {
        let mut paires: Vec<(String, Vec<u8>)> = fichiers
            .iter()
            .map(|v| {
                let paire = js_sys::Array::from(&v);
                (paire.get(0).as_string().unwrap_or_default(), js_sys::Uint8Array::new(&paire.get(1)).to_vec())
            })
            .collect();
        match paires.as_slice() {
            [(n, _)] if n == nom => Entree::Fichier(paires.pop().map(|(_, o)| o).unwrap_or_default()),
            _ => Entree::Csv(paires),
        }
    }

    /// The kind of dossier that gets an annotated copy, as `--annotate` tells it: a workbook
    /// (`xlsx`…) or a CSV dossier (`csv`, a copy rebuilt on fnp's template); `None` for TOML.
    fn genre_copie(&self, nom: &str) -> Option<&'static str> {
        match self {
            Entree::Csv(_) => Some("csv"),
            Entree::Fichier(_) => crate::commandes::annoter::genre_classeur(&extension(nom)),
        }
    }
}

/// What the page is told of a dossier checked: `document`, the JSON `fnp check --format
/// json` gives for it; `type_libelle`, its action type in words as `rapport.html` shows it
/// (« café des parents », not `cafe-des-parents`); `copie`, whether it gets an annotated
/// copy (a readable workbook or CSV dossier).
fn reponse(r: Resultat, copie: bool) -> Result<String, String> {
    let type_libelle =
        r.type_action.as_deref().map(|t| crate::model::schema::libelle_valeur("action.type", t)).unwrap_or_default();
    let copie = copie && r.verdict != crate::check::Verdict::Illisible;
    let document = serde_json::to_value(crate::report::json::document(&[r])).map_err(|e| e.to_string())?;
    Ok(serde_json::json!({ "document": document, "type_libelle": type_libelle, "copie": copie }).to_string())
}

/// A dossier the page did not read, unreadable for `raison`.
fn illisible(nom: &str, raison: &str, regles: &Regles) -> Resultat {
    crate::check::illisible(nom, lecture::Illisible::sans_position(nom, raison.to_string()), regles)
}

/// Reads and checks one dossier; an unreadable one is an `illisible` result, never an error.
fn lire_et_verifier(nom: &str, entree: Entree, regles: &Regles) -> (Option<lecture::Lu>, Resultat) {
    let lu = match entree {
        Entree::Fichier(octets) => lecture::lire_octets(nom, &extension(nom), octets, &Limites::default()),
        Entree::Csv(fichiers) => lecture::lire_csv_octets(nom, fichiers, &Limites::default()),
    };
    match lu {
        Ok(lu) => {
            let r = crate::bilan::verifier(nom, &lu, regles);
            (Some(lu), r)
        }
        Err(e) => (None, crate::check::illisible(nom, e, regles)),
    }
}

#[wasm_bindgen]
extern "C" {
    /// The worker's `fnpPanique(message)`: keeps a panic's words before the module aborts
    /// (wasm has no unwinding), so the page can say why a file stopped fnp.
    #[wasm_bindgen(js_name = fnpPanique)]
    fn panique(message: &str, detail: &str);
}

/// Run once when the worker instantiates the module.
#[wasm_bindgen(start)]
fn demarrer() {
    std::panic::set_hook(Box::new(|info| {
        let p = info.payload();
        let message = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        panique(&message, &info.to_string());
    }));
}

/// Panics on purpose, as a reader library might on a broken file: tests/web/verdicts.mjs
/// proves with it that a file stopping the module (a real abort) costs the page one row.
#[wasm_bindgen]
pub fn essai_arret() {
    panic!("arrêt voulu par le test de la page");
}

/// Which of the files dropped are dossiers, by their paths in the folder dropped
/// (`Retours/nord/a.xlsx`), and why each other one is left aside: the command line's own
/// rules for a folder (`lecture::decouverte::selection`), as JSON
/// `{"dossiers": [{"nom", "fichiers": [indices], "csv"}], "ecartes": [[path, reason]], "caches": n}`.
#[wasm_bindgen]
pub fn selection(chemins: Vec<String>) -> Result<String, String> {
    serde_json::to_string(&lecture::decouverte::selection(&chemins)).map_err(|e| e.to_string())
}

/// The most bytes fnp reads of one file (the command line's `--max-size` by default): the
/// page does not even load a bigger one.
#[wasm_bindgen]
pub fn taille_max() -> f64 {
    Limites::default().taille_max as f64
}

/// A dossier the page did not read (a file past `taille_max`, or one that stopped the
/// module): unreadable for `raison`, as `verifier` gives it.
#[wasm_bindgen]
pub fn verifier_illisible(nom: &str, raison: &str) -> Result<String, String> {
    avec_regles(|regles| reponse(illisible(nom, raison, regles), false))
}

/// fnp's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Checks one dossier (a file, or a CSV dossier's files): what [`reponse`] says.
#[wasm_bindgen]
pub fn verifier(nom: &str, fichiers: js_sys::Array) -> Result<String, String> {
    avec_regles(|regles| {
        let entree = Entree::de(nom, &fichiers);
        let copie = entree.genre_copie(nom).is_some();
        let (_, r) = lire_et_verifier(nom, entree, regles);
        reponse(r, copie)
    })
}

/// The annotated copy of a workbook or CSV dossier (`fnp check --annotate`): its name, as
/// the command line names it, and its bytes; an error in French for a TOML file or an
/// unreadable dossier.
#[wasm_bindgen]
pub fn copie_annotee(nom: &str, fichiers: js_sys::Array) -> Result<js_sys::Array, String> {
    avec_regles(|regles| {
        let entree = Entree::de(nom, &fichiers);
        let Some(genre) = entree.genre_copie(nom) else {
            return Err(format!(
                "{nom} n'est pas un classeur : seuls les classeurs et les dossiers CSV reçoivent une copie annotée"
            ));
        };
        let (Some(lu), r) = lire_et_verifier(nom, entree, regles) else {
            return Err(format!("{nom} est illisible : pas de copie annotée"));
        };
        let c = crate::commandes::annoter::copie(genre, &lu, &r);
        let octets = c.octets?;
        let nom_copie = crate::commandes::annoter::NomsDeCopies::default().reserver(
            Path::new(""),
            nom.rsplit('/').next().unwrap_or(nom),
            c.en_place,
        );
        let sortie = js_sys::Array::new();
        sortie.push(&JsValue::from_str(&nom_copie.to_string_lossy()));
        sortie.push(&js_sys::Uint8Array::from(octets.as_slice()));
        Ok(sortie)
    })
}

/// A dossier read whole for a document: readable, its budget complete (as `fnp dossier` and
/// `fnp bilan` require), or why not in French.
fn lire_pour_document(nom: &str, fichiers: &js_sys::Array, regles: &Regles, quoi: &str) -> Result<DossierLu, String> {
    let (Some(lu), resultat) = lire_et_verifier(nom, Entree::de(nom, fichiers), regles) else {
        return Err(format!("{nom} est illisible : pas de {quoi}"));
    };
    let d = DossierLu { source: nom.to_string(), lu, resultat };
    crate::commandes::exiger_budget_complet(&d).map_err(|e| e.to_string())?;
    Ok(d)
}

/// The dossier's document (`fnp dossier -o dossier.html`): printable HTML. Not named
/// `document`: the no-modules glue declares every export as a function in its scope, and one
/// called `document` would hide the browser's (the glue reads `document.currentScript`).
#[wasm_bindgen]
pub fn document_dossier(nom: &str, fichiers: js_sys::Array) -> Result<String, String> {
    avec_regles(|regles| {
        let d = lire_pour_document(nom, &fichiers, regles, "document")?;
        crate::commandes::dossier::document(regles, &d, crate::commandes::dossier::FormatDocument::Html, None)
    })
}

/// The action's bilan (`fnp bilan -o bilan.html`): printable HTML, planned against actual.
#[wasm_bindgen]
pub fn document_bilan(nom: &str, fichiers: js_sys::Array) -> Result<String, String> {
    avec_regles(|regles| {
        let d = lire_pour_document(nom, &fichiers, regles, "bilan")?;
        let bilan = crate::commandes::bilan::calculer(regles, &d);
        let en_tete = crate::budget::sortie::EnTete::de(&d.source, &d.lu.dossier);
        crate::bilan::document::html(&en_tete, &bilan, None)
    })
}

/// The blank template (`fnp template -o modele.xlsx`).
#[wasm_bindgen]
pub fn modele() -> Result<Vec<u8>, String> {
    avec_regles(|regles| crate::commandes::classeur::modele(regles, None, None))
}

/// The template for a type of action (`fnp template --type T`; the generic one for `""`):
/// `[file name, bytes]`.
#[wasm_bindgen]
pub fn modele_type(type_action: &str) -> Result<js_sys::Array, String> {
    avec_regles(|regles| {
        let (nom, octets) = crate::commandes::classeur::modele_du_type(regles, Some(type_action))?;
        Ok(js_sys::Array::of2(&JsValue::from_str(&nom), &js_sys::Uint8Array::from(octets.as_slice())))
    })
}

/// The types of action the page offers a template for, grouped by volet, as JSON:
/// `[{"volet": "1.2", "libelle": "…", "types": [["atelier-parents-enfants", "Atelier parents-enfants"]]}]`.
#[wasm_bindgen]
pub fn types_de_modele() -> Result<String, String> {
    avec_regles(|regles| {
        serde_json::to_string(&crate::commandes::classeur::types_de_modele(regles)).map_err(|e| e.to_string())
    })
}

/// Starts a batch for the zip of reports and copies (`lot_ajouter` each file in order, then
/// `lot_zip`; the zip is every piece they return, in order).
#[wasm_bindgen]
pub fn lot_debut() -> Result<(), String> {
    let rapports = Rapports::en_memoire(Some(format!("../{DOSSIER_COPIES}")))?;
    let sortie = Rc::new(RefCell::new(Vec::new()));
    let zip = zip::ZipWriter::new_stream(Tampon(Rc::clone(&sortie)));
    LOT.with(|l| {
        *l.borrow_mut() = Some(Lot { rapports, synthese: Synthese::default(), noms: Default::default(), zip, sortie })
    });
    Ok(())
}

/// A path from the page in its parts, none that climbs or names nothing (`..`, `.`, empty).
fn parties_sures(nom: &str) -> Vec<&str> {
    nom.split(['/', '\\']).filter(|p| !p.is_empty() && *p != "." && *p != "..").collect()
}

/// The folders of a file given with its path in a dropped folder (`Retours/nord/a.xlsx`),
/// relative to that folder (`nord`), as `--annotate` mirrors them.
fn sous_dossier(nom: &str) -> PathBuf {
    let parties = parties_sures(nom);
    match parties.len() {
        0..=2 => PathBuf::new(),
        n => parties[1..n - 1].iter().collect(),
    }
}

fn ajouter(r: Resultat) -> Result<(), String> {
    LOT.with(|l| {
        let mut l = l.borrow_mut();
        let lot = l.as_mut().ok_or("aucun lot commencé")?;
        lot.rapports.ajouter(&r)?;
        lot.synthese.ajouter(&r);
        Ok(())
    })
}

/// Checks one dossier of the batch and adds it to the reports, with its annotated copy if
/// it is a workbook or a CSV dossier: returns the zip's bytes written meanwhile (the copy,
/// stored as it is: a workbook is already compressed), for the page to keep in order.
#[wasm_bindgen]
pub fn lot_ajouter(nom: &str, fichiers: js_sys::Array) -> Result<Vec<u8>, String> {
    let r = avec_regles(|regles| {
        let entree = Entree::de(nom, &fichiers);
        let genre = entree.genre_copie(nom);
        let (lu, mut r) = lire_et_verifier(nom, entree, regles);
        if let (Some(lu), Some(genre)) = (lu, genre) {
            let c = crate::commandes::annoter::copie(genre, &lu, &r);
            let base = nom.rsplit('/').next().unwrap_or(nom);
            let ecrite = match c.octets {
                Ok(octets) => LOT.with(|l| {
                    let mut l = l.borrow_mut();
                    let lot = l.as_mut().ok_or("aucun lot commencé")?;
                    let relatif = lot.noms.reserver(&sous_dossier(nom), base, c.en_place);
                    let chemin = Path::new(DOSSIER_COPIES).join(&relatif);
                    let options =
                        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
                    lot.zip.start_file(chemin.to_string_lossy(), options).map_err(echec_zip)?;
                    lot.zip.write_all(&octets).map_err(echec_zip)?;
                    Ok::<_, String>(Ok(relatif))
                })?,
                Err(e) => Err(e),
            };
            r.annotation = Some(crate::commandes::annoter::note_de_copie(
                ecrite.as_deref().map_err(Clone::clone),
                c.en_place,
                c.remarque,
            ));
        }
        Ok(r)
    })?;
    ajouter(r)?;
    LOT.with(|l| Ok(l.borrow().as_ref().map(Lot::vider).unwrap_or_default()))
}

/// A file of the batch that stopped fnp when the page read it before: unreadable, said so,
/// and not read again.
#[wasm_bindgen]
pub fn lot_illisible(nom: &str, raison: &str) -> Result<Vec<u8>, String> {
    ajouter(avec_regles(|regles| Ok(illisible(nom, raison, regles)))?)?;
    Ok(Vec::new())
}

/// Closes the zip being written (its directory after the copies it holds) and starts the
/// next one: returns the closed zip's tail. The page calls it before a copy would take the
/// part past a few hundred megabytes, so that no download is a single Blob a browser gives
/// up on (Chromium cancels one of about 760 MB, docs/web.md); copies keep their names across
/// parts, and the last part holds the reports.
#[wasm_bindgen]
pub fn lot_partie() -> Result<Vec<u8>, String> {
    LOT.with(|l| {
        let mut l = l.borrow_mut();
        let lot = l.as_mut().ok_or("aucun lot commencé")?;
        let suivant = zip::ZipWriter::new_stream(Tampon(Rc::clone(&lot.sortie)));
        std::mem::replace(&mut lot.zip, suivant).finish().map_err(echec_zip)?;
        Ok(lot.vider())
    })
}

/// The batch's zip, its end: `rapport/` with the four reports and the zip's directory, after
/// every piece `lot_ajouter` returned (`copies annotées/` with the copies).
#[wasm_bindgen]
pub fn lot_zip() -> Result<Vec<u8>, String> {
    let Some(mut lot) = LOT.with(|l| l.borrow_mut().take()) else {
        return Err("aucun lot commencé".into());
    };
    lot.synthese.terminer();
    let fichiers = lot.rapports.fichiers(&lot.synthese)?;
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (nom, octets) in fichiers {
        lot.zip.start_file(format!("{DOSSIER_RAPPORT}/{nom}"), options).map_err(echec_zip)?;
        lot.zip.write_all(&octets).map_err(echec_zip)?;
    }
    let sortie = Rc::clone(&lot.sortie);
    lot.zip.finish().map_err(echec_zip)?;
    Ok(std::mem::take(&mut *sortie.borrow_mut()))
}

/// The module's memory now, in bytes (it only grows): the page's test reads it after a
/// batch's zip to show that the zip never held the batch.
#[wasm_bindgen]
pub fn memoire() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}

/// The dossier documents of many dossiers in one zip (issue 33: an instructor prints the A4
/// documents of the dossiers shown, not one ticked dossier at a time), streamed as the lot's
/// zip is: `documents_debut`, `documents_ajouter` for each dossier (what the zip wrote since
/// the last call), `documents_fin` (the rest). Each document is `fnp dossier`'s, named after
/// its dossier's path (`nord/a.dossier.html`).
struct Documents {
    zip: zip::ZipWriter<zip::write::StreamWriter<Tampon>>,
    sortie: Rc<RefCell<Vec<u8>>>,
    noms: std::collections::BTreeSet<String>,
}

thread_local! {
    static DOCUMENTS: RefCell<Option<Documents>> = const { RefCell::new(None) };
}

#[wasm_bindgen]
pub fn documents_debut() {
    let sortie = Rc::new(RefCell::new(Vec::new()));
    let zip = zip::ZipWriter::new_stream(Tampon(Rc::clone(&sortie)));
    DOCUMENTS.with(|d| *d.borrow_mut() = Some(Documents { zip, sortie, noms: Default::default() }));
}

/// The name of a dossier's document in the zip: its path in the folder dropped, without the
/// dossier file's extension, `.dossier.html` after it; `~2`, `~3` when two would meet.
fn nom_document(nom: &str, pris: &std::collections::BTreeSet<String>) -> String {
    let chemin = parties_sures(nom).join("/");
    let base = match chemin.rsplit_once('.') {
        Some((b, e)) if lecture::decouverte::EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()) => b.to_string(),
        _ => chemin,
    };
    let mut n = 1;
    loop {
        let candidat = if n == 1 { format!("{base}.dossier.html") } else { format!("{base}~{n}.dossier.html") };
        if !pris.contains(&candidat) {
            return candidat;
        }
        n += 1;
    }
}

/// Adds one dossier's document; an unreadable dossier, or one whose budget could not be read,
/// is an error in French and adds nothing.
#[wasm_bindgen]
pub fn documents_ajouter(nom: &str, fichiers: js_sys::Array) -> Result<Vec<u8>, String> {
    let html = document_dossier(nom, fichiers)?;
    DOCUMENTS.with(|d| {
        let mut d = d.borrow_mut();
        let d = d.as_mut().ok_or("aucun lot de documents commencé")?;
        let chemin = nom_document(nom, &d.noms);
        d.noms.insert(chemin.clone());
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        d.zip.start_file(chemin, options).map_err(echec_zip)?;
        d.zip.write_all(html.as_bytes()).map_err(echec_zip)?;
        Ok(std::mem::take(&mut *d.sortie.borrow_mut()))
    })
}

#[wasm_bindgen]
pub fn documents_fin() -> Result<Vec<u8>, String> {
    let Some(d) = DOCUMENTS.with(|d| d.borrow_mut().take()) else {
        return Err("aucun lot de documents commencé".into());
    };
    let sortie = Rc::clone(&d.sortie);
    d.zip.finish().map_err(echec_zip)?;
    Ok(std::mem::take(&mut *sortie.borrow_mut()))
}
