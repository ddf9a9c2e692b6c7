//! Reads dossiers from workbooks (xlsx, xlsm, xls, ods, with calamine) and from CSV folders,
//! as spreadsheet.md describes them, into the same model as TOML, every finding located at
//! its cell (`Dossier!B14`) or CSV position (`Depenses.csv:7:3`).

use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use calamine::{Data, Reader};
// Hashing keys of a few bytes is most of a map's cost here: foldhash, seeded per process.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rust_decimal::Decimal;

use super::assemblage;
use super::limites::{Budget, COLONNES_MAX, Limites};
use super::saisies::{
    A_COMPLETER, CHAMP_INCONNU, CHAMP_MANQUANT, COLONNE_INCONNUE, DATE, FORMULE, LIENS_EXTERNES, LIGNE_IGNOREE, MACROS,
    MARQUE_A_COMPLETER, MONTANT, TOTAL, TYPE,
};
use super::{Illisible, Lu, Repere, Reperes, Saisie};
pub use crate::model::emplacement::lettres_colonne;
use crate::model::montant::{Montant, parse_decimal_fr};
use crate::model::schema::{self, Colonne, Genre};
use crate::model::{Date, Dossier, Valeur};

mod cellules;
pub mod csv;
mod formule;
mod grille;
mod lecteur;

use cellules::{convertir, texte_cellule};
use grille::{Grille, Lieu, Recalcul, grille_creuse, ligne_vide};
use lecteur::lire_grilles;

/// Loose comparison of names: case, accents, surrounding spaces and a parenthesised suffix
/// are ignored; spaces, `_` and `-` count alike (`Montant (€)` = `montant`).
pub fn normaliser(nom: &str) -> String {
    let sans_suffixe = match nom.trim().rfind('(') {
        Some(i) if nom.trim().ends_with(')') && i > 0 => &nom.trim()[..i],
        _ => nom.trim(),
    };
    let mut s = String::with_capacity(sans_suffixe.len());
    for c in sans_suffixe.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            ' ' | '_' | '-' | '\u{a0}' | '\u{202f}' => '_',
            c => crate::model::sans_accent(c),
        };
        if c == '_' && s.ends_with('_') {
            continue;
        }
        s.push(c);
    }
    s
}

/// The key of the `Dossier` sheet: exact first, else loosely matched (tables made once).
fn champ_par_cle(cle: &str) -> Option<&'static schema::Champ> {
    static EXACTS: LazyLock<HashMap<&'static str, &'static schema::Champ>> =
        LazyLock::new(|| schema::champs::CHAMPS.iter().map(|c| (c.cle, c)).collect());
    static NORMALISES: LazyLock<HashMap<String, &'static schema::Champ>> =
        LazyLock::new(|| schema::champs::CHAMPS.iter().map(|c| (normaliser(c.cle), c)).collect());
    let cle = cle.trim();
    EXACTS.get(cle).or_else(|| NORMALISES.get(&normaliser(cle))).copied()
}

/// The columns of a `Dossier` sheet, found by its header (`Champ`, `Valeur`, and the hidden
/// `Clé` of the template), else A and B.
#[derive(Debug, Clone, Copy)]
struct ColonnesDossier {
    /// What people read: the French label, or the dotted key itself (older and hand-made
    /// workbooks).
    champ: usize,
    valeur: usize,
    /// The template's key column, when the sheet has one.
    cle: Option<usize>,
    /// The first row of fields (1 below a header).
    premiere: usize,
}

impl ColonnesDossier {
    fn de(g: &Grille) -> ColonnesDossier {
        let entetes: Vec<String> = g
            .cellules
            .first()
            .map(|r| r.iter().map(|c| normaliser(&texte_cellule(c).unwrap_or_default())).collect())
            .unwrap_or_default();
        let position = |nom: &str| entetes.iter().position(|h| h == nom);
        // `Champ` is what people read; a sheet headed `Clé`, `Valeur` has its keys there.
        let champ = position("champ").or_else(|| position("cle")).unwrap_or(0);
        let cle = position("cle").filter(|j| *j != champ);
        let valeur = position("valeur").unwrap_or(champ + 1);
        let premiere = usize::from(["champ", "cle", "valeur"].iter().any(|nom| position(nom).is_some()));
        ColonnesDossier { champ, valeur, cle, premiere }
    }

    /// The key of row `i` given by the key column, if it holds a known one.
    fn par_cle(&self, g: &Grille, i: usize) -> Option<&'static schema::Champ> {
        self.cle.and_then(|j| texte_cellule(g.cellule(i, j))).and_then(|k| champ_par_cle(&k))
    }

    /// The field of row `i`: the key column's, else column A read as a dotted key or as a
    /// French label.
    fn champ(&self, g: &Grille, i: usize) -> Option<&'static schema::Champ> {
        self.par_cle(g, i).or_else(|| {
            let texte = texte_cellule(g.cellule(i, self.champ))?;
            champ_par_cle(&texte).or_else(|| schema::champ_par_libelle(&texte))
        })
    }
}

/// The column of the list `liste` (`depense`…) whose key or header is `titre`, loosely
/// matched; the first column in schema order wins (tables made once).
fn colonne_par_titre(liste: &str, titre: &str) -> Option<&'static Colonne> {
    static TABLES: LazyLock<HashMap<&'static str, HashMap<String, &'static Colonne>>> = LazyLock::new(|| {
        schema::LIGNES
            .iter()
            .map(|l| {
                let mut t = HashMap::new();
                for c in schema::colonnes(l) {
                    t.entry(normaliser(c.cle)).or_insert(c);
                    t.entry(normaliser(c.entete)).or_insert(c);
                }
                (*l, t)
            })
            .collect()
    });
    TABLES.get(liste)?.get(&normaliser(titre)).copied()
}

fn illisible(affiche: &str, message: impl Into<String>) -> Illisible {
    Illisible::sans_position(affiche, message)
}

/// The workbook sheets spreadsheet.md names, matched loosely.
const FEUILLES: [&str; 4] = ["dossier", "depenses", "recettes", "contributions"];

/// Reads a workbook (xlsx, xlsm, xls, ods).
pub fn lire_classeur(chemin: &Path, affiche: &str, limites: &Limites) -> Result<Lu, Illisible> {
    let octets = super::lire_fichier_borne(chemin, limites.taille_max).map_err(|m| illisible(affiche, m))?;
    let ext = chemin.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    lire_classeur_octets(Arc::from(octets), &ext, affiche, limites)
}

/// What calamine reads a workbook from: the bytes read once, shared with the annotated copy.
type Source = std::io::Cursor<Arc<[u8]>>;

/// Reads a workbook from its bytes (`ext`: `xlsx`, `xlsm`, `xls`, `ods`), within the reader
/// budget (`io::budget`): no input makes it keep more than that, whatever it declares.
pub fn lire_classeur_octets(octets: Arc<[u8]>, ext: &str, affiche: &str, limites: &Limites) -> Result<Lu, Illisible> {
    let mut lu = lire_classeur_partage(octets.clone(), ext, affiche, limites)?;
    lu.octets = Some(octets);
    Ok(lu)
}

fn lire_classeur_partage(octets: Arc<[u8]>, ext: &str, affiche: &str, limites: &Limites) -> Result<Lu, Illisible> {
    let mut contenus = super::zip::verifier_archive(&octets, ext, affiche)?;
    let mut budget = Budget::pour(limites);
    if ext == "ods" {
        let (visibles, grilles, externes) = grilles_ods(&octets, affiche, limites, &mut budget)?;
        contenus.liens_externes |= externes.liens;
        contenus.connexions |= externes.connexions;
        contenus.macros |= externes.scripts;
        return finir(affiche, visibles, grilles, contenus);
    }
    let curseur: Source = std::io::Cursor::new(octets);
    let mut classeur: calamine::Sheets<Source> = match ext {
        "xls" => calamine::Sheets::Xls(
            calamine::Xls::new(curseur).map_err(|e| illisible(affiche, message_calamine(&e.into())))?,
        ),
        _ => calamine::Sheets::Xlsx(
            calamine::Xlsx::new(curseur).map_err(|e| illisible(affiche, message_calamine(&e.into())))?,
        ),
    };
    let visibles: Vec<String> = classeur
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut grilles: [Option<Grille>; 4] = [None, None, None, None];
    let mut lues: Vec<String> = Vec::new();
    for nom in &visibles {
        let Some(k) = feuille_du_dossier(nom) else { continue };
        if grilles[k].is_some() {
            continue;
        }
        let mut grille = match &mut classeur {
            calamine::Sheets::Xlsx(x) => grille_xlsx(x, nom, affiche, limites, &mut budget, &mut contenus)?,
            autre => {
                let plage = autre.worksheet_range(nom).map_err(|e| {
                    illisible(affiche, format!("feuille « {nom} » illisible : {}", message_calamine(&e)))
                })?;
                // `--max-rows` counts data rows: the header row is not one.
                let pleines = plage.rows().filter(|r| !ligne_vide(r)).count();
                if pleines.saturating_sub(1) > limites.lignes_max {
                    return Err(trop_de_lignes(affiche, nom, limites));
                }
                let debut = plage.start().unwrap_or((0, 0));
                // Trailing blank rows (styled down to row 1 000 000) cost nothing.
                let mut cellules: Vec<Vec<Data>> = plage.rows().map(<[Data]>::to_vec).collect();
                while cellules.last().is_some_and(|r| ligne_vide(r)) {
                    cellules.pop();
                }
                let mut g = Grille {
                    lieu: Lieu::Feuille(Arc::from(nom.as_str())),
                    cellules,
                    debut,
                    formules: HashSet::new(),
                    textes_formules: HashMap::new(),
                };
                // Formulas are parsed only when a value that matters is blank: a formula with
                // no cached value reads as blank, and must be told apart from a forgotten value.
                if g.a_des_blancs_requis(k == 0)
                    && let Ok(f) = autre.worksheet_formula(nom)
                {
                    let (l0, c0) = f.start().unwrap_or((0, 0));
                    for (l, c, texte) in f.used_cells() {
                        if !texte.is_empty() {
                            g.formules.insert((l0 + l as u32, c0 + c as u32));
                        }
                    }
                }
                g
            }
        };
        grille.lieu = Lieu::Feuille(Arc::from(nom.as_str()));
        grilles[k] = Some(grille);
        // An xls sheet's formulas are read above only where a value is blank: every xls sheet
        // is looked at below.
        if matches!(classeur, calamine::Sheets::Xlsx(_)) {
            lues.push(nom.clone());
        }
    }
    // Formula text in every other sheet, hidden ones included: a formula that reaches out
    // (a DDE link, WEBSERVICE…) is told wherever it hides (hostile round 4). Only formulas
    // are looked at, as they stream by; nothing of these sheets is kept.
    for nom in classeur.sheet_names() {
        if !lues.contains(&nom) {
            formules_ailleurs(&mut classeur, &nom, &mut contenus);
        }
    }
    finir(affiche, visibles, grilles, contenus)
}

/// Notes a formula that reaches out in a sheet fnp does not read as part of the dossier.
/// A sheet its reader refuses is passed over: fnp reads nothing else of it either.
fn formules_ailleurs(classeur: &mut calamine::Sheets<Source>, nom: &str, contenus: &mut super::zip::Contenus) {
    let mut noter = |formule: &str| {
        match super::zip::formule_externe(formule) {
            Some(true) => contenus.liens_externes = true,
            Some(false) => contenus.connexions = true,
            None => {}
        }
        contenus.liens_externes && contenus.connexions
    };
    match classeur {
        calamine::Sheets::Xlsx(x) => {
            let Ok(mut lecteur) = x.worksheet_cells_reader(nom) else { return };
            while let Ok(Some(c)) = lecteur.next_formula() {
                if noter(c.get_value()) {
                    return;
                }
            }
        }
        autre => {
            let Ok(plage) = autre.worksheet_formula(nom) else { return };
            for (_, _, formule) in plage.used_cells() {
                if noter(formule) {
                    return;
                }
            }
        }
    }
}

/// Whether a sheet's name is a layout sheet's, renamed: it starts with it (« Recettes 2025 »)
/// or is one letter away (« Depense »), and is not that sheet itself.
fn feuille_renommee(nom: &str, attendue: &str) -> bool {
    let n = normaliser(nom);
    n != attendue && (n.starts_with(attendue) || strsim::levenshtein(&n, attendue) <= 1)
}

/// Which sheet of the layout a sheet name is (`Dépenses` → 1), matched loosely.
fn feuille_du_dossier(nom: &str) -> Option<usize> {
    let nom_normalise = normaliser(nom);
    FEUILLES.iter().position(|f| nom_normalise == *f)
}

/// The visible sheets of an ods, the layout's grids, what it takes from elsewhere.
type GrillesOds = (Vec<String>, [Option<Grille>; 4], super::ods::Externes);

/// An ods workbook's sheets of the layout, read by `io::ods` within the budget.
fn grilles_ods(octets: &[u8], affiche: &str, limites: &Limites, budget: &mut Budget) -> Result<GrillesOds, Illisible> {
    // The header row is not counted by --max-rows: one row more is allowed for it.
    let lignes_max = (limites.lignes_max as u64).saturating_add(1);
    let voulue = |nom: &str, visible: bool| if visible { feuille_du_dossier(nom) } else { None };
    let lu = super::ods::lire(octets, &voulue, budget, lignes_max).map_err(|refus| match refus {
        super::ods::Refus::TropDeLignes { feuille } => trop_de_lignes(affiche, &feuille, limites),
        super::ods::Refus::Budget { feuille, depassement } => {
            illisible(affiche, depassement.message(&format!("la feuille « {feuille} »")))
        }
        super::ods::Refus::MotDePasse => {
            illisible(affiche, "classeur protégé par un mot de passe : enregistrez-en une copie sans mot de passe")
        }
        super::ods::Refus::Illisible(m) => illisible(affiche, format!("ce n'est pas un classeur ods lisible : {m}")),
    })?;
    let visibles = lu.feuilles.iter().filter(|(_, v)| *v).map(|(n, _)| n.clone()).collect();
    let mut grilles: [Option<Grille>; 4] = [None, None, None, None];
    for (k, f) in lu.lues {
        if let Some(place) = grilles.get_mut(k) {
            let mut g = grille_creuse(&f.nom, f.cellules, f.formules);
            g.textes_formules =
                f.textes_formules.into_iter().map(|(k, t)| (k, formule::depuis_openformula(&t).into())).collect();
            *place = Some(g);
        }
    }
    Ok((visibles, grilles, lu.externes))
}

/// The dossier read from its sheets' grids, with what the workbook carries told.
fn finir(
    affiche: &str,
    visibles: Vec<String>,
    grilles: [Option<Grille>; 4],
    contenus: super::zip::Contenus,
) -> Result<Lu, Illisible> {
    let [dossier, depenses, recettes, contributions] = grilles;
    let Some(dossier) = dossier else {
        return Err(illisible(
            affiche,
            format!("pas de feuille « Dossier » visible ; feuilles du classeur : {}", visibles.join(", ")),
        ));
    };
    let mut lu = lire_grilles(
        affiche,
        &dossier,
        [depenses.as_ref(), recettes.as_ref(), contributions.as_ref()],
        "la feuille Dossier",
    );
    // A sheet of the layout renamed (« Recettes 2025 », « Dépenses (2) »): its lines are not
    // read, and that is said at the sheet, as a renamed column is (hostile round 4).
    for (k, grille) in [(1, &depenses), (2, &recettes), (3, &contributions)] {
        if grille.is_some() {
            continue;
        }
        let Some(renommee) = visibles.iter().find(|v| feuille_renommee(v, FEUILLES[k])) else { continue };
        let attendue = schema::NOMS_FEUILLES[k];
        let liste = schema::LIGNES[k - 1];
        lu.reperes.noter(liste, Repere::Cellule { feuille: Arc::from(renommee.as_str()), ligne: 0, colonne: 0 });
        lu.dossier.lignes_rejetees = true;
        lu.saisies.push(Saisie {
            regle: CHAMP_MANQUANT,
            message: format!(
                "feuille « {renommee} » non lue : fnp lit les lignes de la feuille « {attendue} » ; renommez-la « {attendue} » (sans ses lignes, le budget ne peut pas être établi)"
            ),
            champ: liste.into(),
            etendue: None,
        });
    }
    // Nothing in a workbook ever runs; the instructor is told what it carries.
    let signales = [
        (
            contenus.objets,
            MACROS,
            "le classeur contient un objet incorporé (objet OLE, paquet ou contrôle ActiveX) qui peut lancer un programme quand on l'ouvre ou clique dessus : fnp ne l'ouvre jamais, mais n'activez pas son contenu ; demandez un classeur sans objet incorporé",
        ),
        (
            contenus.macros,
            MACROS,
            "le classeur contient des macros : fnp ne les exécute jamais, mais ne l'ouvrez pas avec les macros activées ; demandez un classeur sans macros (.xlsx)",
        ),
        (
            contenus.liens_externes && !contenus.connexions,
            LIENS_EXTERNES,
            "le classeur contient des liaisons vers d'autres fichiers (ou DDE) : fnp lit seulement les valeurs enregistrées, qui peuvent dater ; demandez un classeur sans liaisons",
        ),
        (
            contenus.connexions && !contenus.liens_externes,
            LIENS_EXTERNES,
            "le classeur contient une connexion à des données externes (requête web, base de données ou autre fichier) : fnp ne l'actualise jamais et lit seulement les valeurs enregistrées, qui peuvent dater ; un tableur pourrait l'actualiser à l'ouverture : demandez un classeur sans connexion",
        ),
        (
            contenus.connexions && contenus.liens_externes,
            LIENS_EXTERNES,
            "le classeur contient des liaisons vers d'autres fichiers (ou DDE) et une connexion à des données externes (requête web, base de données ou autre fichier) : fnp ne les suit ni ne les actualise jamais et lit seulement les valeurs enregistrées, qui peuvent dater ; demandez un classeur sans liaisons ni connexion",
        ),
    ];
    for (_, regle, message) in signales.into_iter().filter(|(present, _, _)| *present) {
        lu.saisies.push(Saisie { regle, message: message.into(), champ: "classeur".into(), etendue: None });
    }
    Ok(lu)
}

fn trop_de_lignes(affiche: &str, nom: &str, limites: &Limites) -> Illisible {
    illisible(
        affiche,
        format!(
            "la feuille « {nom} » a plus de {} lignes de données (en-tête non compris ; limite : --max-rows)",
            limites.lignes_max
        ),
    )
}

/// An xlsx sheet read cell by cell (values and formulas in one pass), keeping only cells
/// that hold something: a single value far away (`XFD1048576`) cannot make a huge grid.
fn grille_xlsx(
    x: &mut calamine::Xlsx<Source>,
    nom: &str,
    affiche: &str,
    limites: &Limites,
    budget: &mut Budget,
    contenus: &mut super::zip::Contenus,
) -> Result<Grille, Illisible> {
    let erreur = |e: calamine::XlsxError| {
        illisible(affiche, format!("feuille « {nom} » illisible : {}", message_calamine(&e.into())))
    };
    let mut lecteur = x.worksheet_cells_reader(nom).map_err(erreur)?;
    let mut cellules: Vec<(u32, u32, Data)> = Vec::new();
    let mut formules = HashSet::new();
    let mut textes_formules = HashMap::new();
    // Rows holding data, counted as they come (an xlsx sheet lists its rows in order; a row
    // listed again later counts twice, which only makes the bound stricter).
    let mut lignes_pleines = 0usize;
    let mut derniere_ligne = None;
    while let Some(c) = lecteur.next_cell_with_formula().map_err(erreur)? {
        let (l, col) = c.pos;
        if col >= COLONNES_MAX {
            continue;
        }
        // A shared string is borrowed until it is kept: it is charged to the budget first,
        // so one long string used by many cells cannot be copied past it.
        let octets = match &c.value {
            calamine::DataRef::SharedString(s) => s.len(),
            calamine::DataRef::String(s) | calamine::DataRef::DateTimeIso(s) | calamine::DataRef::DurationIso(s) => {
                s.len()
            }
            _ => 0,
        };
        let vide = match &c.value {
            calamine::DataRef::Empty => true,
            calamine::DataRef::SharedString(s) => s.trim().is_empty(),
            calamine::DataRef::String(s) => s.trim().is_empty(),
            _ => false,
        };
        let formule = c.formula.as_ref().is_some_and(|f| !f.is_empty());
        // A formula that reaches out (a DDE link, WEBSERVICE…) is told by its text, whatever
        // the parts are called (hostile round 4).
        match c.formula.as_deref().and_then(super::zip::formule_externe) {
            Some(true) => contenus.liens_externes = true,
            Some(false) => contenus.connexions = true,
            None => {}
        }
        if vide && !formule {
            continue;
        }
        budget.cellule(octets).map_err(|d| illisible(affiche, d.message(&format!("la feuille « {nom} »"))))?;
        let valeur = Data::from(c.value);
        if formule {
            formules.insert((l, col));
            if let Some(f) = &c.formula
                && textes_formules.len() < super::limites::FORMULES_GARDEES
            {
                // Past any amount's formula: a mark that is said as not recomputed.
                let texte = if f.len() <= super::limites::FORMULE_MAX { f.as_str() } else { "…" };
                textes_formules.insert((l, col), Box::from(texte));
            }
        }
        if derniere_ligne != Some(l) {
            derniere_ligne = Some(l);
            lignes_pleines += 1;
            // The header row is not a data row.
            if lignes_pleines > limites.lignes_max + 1 {
                return Err(trop_de_lignes(affiche, nom, limites));
            }
        }
        cellules.push((l, col, valeur));
    }
    let mut grille = grille_creuse(nom, cellules, formules);
    grille.textes_formules = textes_formules;
    Ok(grille)
}

fn message_calamine(e: &calamine::Error) -> String {
    use calamine::Error as E;
    match e {
        E::Xlsx(calamine::XlsxError::Password) | E::Xls(calamine::XlsError::Password) => {
            "classeur protégé par un mot de passe : enregistrez-en une copie sans mot de passe".into()
        }
        E::Io(io) => super::message_io(io),
        // The reader's own words are kept last, marked as such, for whoever repairs the file.
        E::Xlsx(calamine::XlsxError::Zip(z)) => {
            format!("ce n'est pas un classeur xlsx lisible : {}", super::zip::message_zip(z))
        }
        E::Xlsx(calamine::XlsxError::Io(io)) => super::message_io(io),
        E::Xlsx(x) => {
            format!(
                "ce n'est pas un classeur xlsx lisible (fichier abîmé ou d'un autre format ; détail du lecteur : {x})"
            )
        }
        E::Xls(x) => format!("ce n'est pas un classeur xls lisible (détail du lecteur : {x})"),
        E::Ods(x) => format!("ce n'est pas un classeur ods lisible (détail du lecteur : {x})"),
        autre => format!("classeur illisible (détail du lecteur : {autre})"),
    }
}

#[cfg(test)]
mod tests;
