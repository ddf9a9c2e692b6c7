//! The memory a reader may spend on one file, counted on what it decodes (not on what an
//! archive declares): the bytes of cell text as they are unescaped and repeated, and the
//! cells kept. Every workbook and CSV reader charges this budget before it keeps anything,
//! so no input under `--max-size` can make fnp ask for more, whatever trick it plays
//! (a shared string used by many cells, a repeated row, `<text:s text:c="2000000000"/>`).
//! Past it, the file is one `illisible` dossier and the batch goes on
//! (docs/robustness.md, « Memory and time budget »).

use super::classeur::Limites;

/// Text a dossier may hold once decoded, for all its cells together: a dossier holds a few
/// kilobytes; the largest hand-filled workbooks seen hold under 1 Mo.
pub const TEXTE_MAX: u64 = 32 * 1024 * 1024;

/// Columns read in a sheet or a CSV file: the layout uses a handful; cells further right
/// are ignored.
pub const COLONNES_MAX: u32 = 64;

/// Sheets (or CSV files) of a dossier: `Dossier`, `Dépenses`, `Recettes`, `Contributions`.
pub const FEUILLES_LUES: u64 = 4;

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
