//! Every bound a reader takes, in one place: the file's size and rows (`Limites`, set by
//! `--max-size` and `--max-rows`), then each format's own bounds, then the memory a reader
//! may spend on one file (`Budget`), counted on what it decodes (not on what an
//! archive declares): the bytes of cell text as they are unescaped and repeated, and the
//! cells kept. Every workbook and CSV reader charges this budget before it keeps anything,
//! so no input under `--max-size` can make fnp ask for more, whatever trick it plays
//! (a shared string used by many cells, a repeated row, `<text:s text:c="2000000000"/>`).
//! Past it, the file is one `illisible` dossier and the batch goes on
//! (docs/robustness.md, « Memory and time budget »).

/// Bounds checked before any work.
#[derive(Debug, Clone, Copy)]
pub struct Limites {
    /// Largest file read, in bytes.
    pub taille_max: u64,
    /// Most rows holding data in one sheet.
    pub lignes_max: usize,
}

impl Default for Limites {
    fn default() -> Self {
        Limites { taille_max: 20 * 1024 * 1024, lignes_max: 10_000 }
    }
}

/// Text a dossier may hold once decoded, for all its cells together: a dossier holds a few
/// kilobytes; the largest hand-filled workbooks seen hold under 1 Mo.
pub const TEXTE_MAX: u64 = 32 * 1024 * 1024;

/// Columns read in a sheet or a CSV file: the layout uses a handful; cells further right
/// are ignored.
pub const COLONNES_MAX: u32 = 64;

/// Sheets (or CSV files) of a dossier: `Dossier`, `Dépenses`, `Recettes`, `Contributions`.
pub const FEUILLES_LUES: u64 = 4;

// TOML

/// Memory budget of one TOML dossier: parsing holds the text, its tree and every location,
/// about fifteen times the file; past this, whatever `--max-size` allows, the file is one
/// unreadable dossier instead of a batch ended by the system running out of memory. A
/// dossier is a few kilobytes.
pub const TOML_MAX: u64 = 64 * 1024 * 1024;

/// Past this many syntax errors, the others of the file are only counted: a file that is
/// not TOML at all (a text saved under the wrong name) gives one error per line.
pub const TOML_ERREURS_MAX: usize = 20;

/// Depth of nesting the `toml` crate accepts (its own `LIMIT`): the second pass below must
/// build the same structure as the first (`erreurs_toml.rs`).
pub const TOML_PROFONDEUR_MAX: u32 = 80;

// Findings

/// Most findings a reader gives for one rule in one file: a dossier with 300 000 unknown
/// keys or bad cells gets the first ones told at their place and the number of the others,
/// not 300 000 findings to hold, print and write in every report (the verdict is the same).
pub const SAISIES_PAR_REGLE: usize = 200;

// Archives (xlsx, xlsm, ods)

/// Most uncompressed bytes the parts of one workbook may declare.
pub const TAILLE_DEPLIEE_MAX: u64 = 256 * 1024 * 1024;

/// Most parts in one workbook.
pub const PARTIES_MAX: usize = 20_000;

/// Largest compression ratio accepted for a big part.
pub const RATIO_MAX: u64 = 1_000;

/// Memory budget of one workbook's texts: the reader holds every shared string at once
/// (about twice its XML in memory), so a 2.7 Mo file whose strings unfold to 250 Mo would
/// cost 550 Mo, per file and per core. A dossier workbook holds a few kilobytes of text.
pub const CHAINES_MAX: u64 = 32 * 1024 * 1024;

/// The largest relationship or content-types part read to find active content by its type.
pub const TYPES_MAX: u64 = 1024 * 1024;

// xls

/// Largest grid (rows × columns) a sheet may need.
pub const XLS_CELLULES_MAX: u64 = 4_000_000;

// CSV

/// Most bytes of one CSV field: Excel's cells hold 32 767 characters at most.
pub const CHAMP_CSV_MAX: usize = 256 * 1024;

// Formulas recomputed (hostile round 4)

/// The most formula texts kept per sheet (a dossier's few money formulas).
pub const FORMULES_GARDEES: usize = 10_000;

/// The longest formula text kept; a longer one is said as not recomputed.
pub const FORMULE_MAX: usize = 4096;

/// The most tokens a formula may have to be evaluated.
pub const FORMULE_JETONS_MAX: usize = 512;

/// The deepest nesting (brackets, `SUM`) a formula may have to be evaluated.
pub const FORMULE_PROFONDEUR_MAX: usize = 32;

/// What is left to spend on one file.
#[derive(Debug, Clone)]
pub struct Budget {
    texte: u64,
    cellules: u64,
}

/// Which part of the budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depassement {
    /// More decoded text than [`TEXTE_MAX`].
    Texte,
    /// More cells than the sheets of a dossier may hold (`--max-rows` × 64, per sheet).
    Cellules,
}

impl Budget {
    /// The budget of one file read under `limites`.
    pub fn pour(limites: &Limites) -> Budget {
        let par_feuille = (limites.lignes_max as u64).saturating_add(1).saturating_mul(u64::from(COLONNES_MAX));
        Budget { texte: TEXTE_MAX, cellules: par_feuille.saturating_mul(FEUILLES_LUES) }
    }

    /// Spends `octets` bytes of decoded text.
    pub fn texte(&mut self, octets: usize) -> Result<(), Depassement> {
        self.texte = self.texte.checked_sub(octets as u64).ok_or(Depassement::Texte)?;
        Ok(())
    }

    /// Spends one kept cell holding `octets` bytes of text.
    pub fn cellule(&mut self, octets: usize) -> Result<(), Depassement> {
        self.cellules = self.cellules.checked_sub(1).ok_or(Depassement::Cellules)?;
        self.texte(octets)
    }

    /// Whether `octets` more bytes of text would still fit (to refuse before decoding).
    pub fn reste_texte(&self) -> u64 {
        self.texte
    }
}

impl Depassement {
    /// Why the file is refused, in French, for the sheet or file `ou`.
    pub fn message(self, ou: &str) -> String {
        match self {
            Depassement::Texte => format!(
                "{ou} : plus de {} Mo de texte une fois déplié (un dossier en compte quelques milliers d'octets) ; sa lecture demanderait trop de mémoire, fnp ne le lit pas",
                TEXTE_MAX / (1024 * 1024)
            ),
            Depassement::Cellules => format!(
                "{ou} : trop de cellules remplies pour un dossier (limite : --max-rows lignes de {COLONNES_MAX} colonnes par feuille) ; sa lecture demanderait trop de mémoire, fnp ne le lit pas"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_runs_out_and_says_so() {
        let mut b = Budget::pour(&Limites { taille_max: 1, lignes_max: 0 });
        for _ in 0..(COLONNES_MAX as usize * 4) {
            b.cellule(1).expect("within");
        }
        assert_eq!(b.cellule(0), Err(Depassement::Cellules));
        let mut b = Budget::pour(&Limites::default());
        b.texte(TEXTE_MAX as usize).expect("exactly the budget");
        assert_eq!(b.texte(1), Err(Depassement::Texte));
        assert!(Depassement::Texte.message("feuille « Dépenses »").contains("32 Mo"));
    }
}
