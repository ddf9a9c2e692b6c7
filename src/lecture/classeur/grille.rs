//! One sheet (or CSV file) as a grid of cells, with where it lies, its formulas, and a
//! number's formula recomputed against its saved value (hostile round 4).

use super::*;

/// Where the cells of a grid are.
#[derive(Debug, Clone)]
pub(super) enum Lieu {
    /// A workbook sheet: `Dépenses!C5`.
    Feuille(Arc<str>),
    /// A CSV file: `dossier/Depenses.csv:7:3`.
    Csv(Arc<str>),
}

/// One sheet (or CSV file) as a grid of cells.
#[derive(Debug, Clone)]
pub struct Grille {
    pub(super) lieu: Lieu,
    /// Rows of cells, from `debut`.
    pub(super) cellules: Vec<Vec<Data>>,
    /// Absolute (row, column) of the first cell.
    pub(super) debut: (u32, u32),
    /// Absolute positions of cells that hold a formula.
    pub(super) formules: HashSet<(u32, u32)>,
    /// The formulas' texts, where the reader gives them (xlsx): recomputed for amounts.
    pub(super) textes_formules: HashMap<(u32, u32), Box<str>>,
}

/// A number cell's formula against its saved value (`Grille::recalcul`).
pub(super) enum Recalcul {
    /// The formula gives the saved value.
    Juste,
    /// It gives another: the message naming both.
    Faux(String),
    /// fnp cannot evaluate it (another sheet, a function other than `SUM`…): the saved value
    /// is read, and said to be.
    NonRecalcule(Box<str>),
}

impl Grille {
    /// The sheet's name (the CSV file's, for a CSV dossier).
    pub(super) fn nom_feuille(&self) -> String {
        match &self.lieu {
            Lieu::Feuille(nom) | Lieu::Csv(nom) => nom.to_string(),
        }
    }

    pub(super) fn repere(&self, ligne: u32, col: u32) -> Repere {
        let (l, c) = (self.debut.0 + ligne, self.debut.1 + col);
        match &self.lieu {
            Lieu::Feuille(nom) => Repere::Cellule { feuille: nom.clone(), ligne: l, colonne: c },
            Lieu::Csv(fichier) => {
                Repere::Position { fichier: fichier.clone(), ligne: l as usize + 1, colonne: c as usize + 1 }
            }
        }
    }

    pub(super) fn cellule(&self, ligne: usize, col: usize) -> &Data {
        self.cellules.get(ligne).and_then(|r| r.get(col)).unwrap_or(&Data::Empty)
    }

    /// Whether a cell that must hold a value is blank: a required key of the `Dossier` sheet
    /// (`dossier`), or a required column of a non-blank line (other sheets).
    pub(super) fn a_des_blancs_requis(&self, dossier: bool) -> bool {
        let vide = |d: &Data| matches!(d, Data::Empty) || matches!(d, Data::String(s) if s.trim().is_empty());
        if dossier {
            let cols = ColonnesDossier::de(self);
            return (cols.premiere..self.cellules.len())
                .any(|i| cols.champ(self, i).is_some_and(|c| c.requis) && vide(self.cellule(i, cols.valeur)));
        }
        let Some(entete) = self.cellules.iter().position(|r| !ligne_vide(r)) else { return false };
        let requises: Vec<usize> = self.cellules[entete]
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                let titre = texte_cellule(c).unwrap_or_default();
                schema::LIGNES.iter().any(|l| colonne_par_titre(l, &titre).is_some_and(|col| col.requis))
            })
            .map(|(j, _)| j)
            .collect();
        self.cellules[entete + 1..]
            .iter()
            .filter(|r| !ligne_vide(r))
            .any(|r| requises.iter().any(|j| r.get(*j).is_none_or(vide)))
    }

    pub(super) fn est_formule(&self, ligne: usize, col: usize) -> bool {
        self.formules.contains(&(self.debut.0 + ligne as u32, self.debut.1 + col as u32))
    }

    /// A number cell's formula recomputed as a spreadsheet would (hostile round 4): `None`
    /// when the cell holds no formula; else whether its saved value `lue` is what the formula
    /// gives, the message naming both when it is not, or the formula fnp cannot evaluate (the
    /// saved value then stands, and is said to). `genre` tells how the two are written
    /// (an amount to the cent, a count, a number).
    pub(super) fn recalcul(&self, ligne: usize, col: usize, lue: &Valeur, genre: Genre) -> Option<Recalcul> {
        let enregistree = match lue {
            Valeur::Decimal(d) => *d,
            Valeur::Entier(n) => Decimal::from(*n),
            _ => return None,
        };
        let f = self.textes_formules.get(&(self.debut.0 + ligne as u32, self.debut.1 + col as u32))?;
        let valeur = |l: u32, c: u32| -> Option<Decimal> {
            let (Some(l), Some(c)) = (l.checked_sub(self.debut.0), c.checked_sub(self.debut.1)) else {
                return Some(Decimal::ZERO);
            };
            // A number as the spreadsheet holds it; text, a date or an error is not evaluated
            // here (a spreadsheet would say #VALUE! or skip it, depending on the function).
            match self.cellule(l as usize, c as usize) {
                Data::Empty => Some(Decimal::ZERO),
                Data::Int(n) => Some(Decimal::from(*n)),
                Data::Float(f) => cellules::decimal_de_nombre(*f),
                _ => None,
            }
        };
        let Some(calculee) = formule::evaluer(f, &valeur) else {
            return Some(Recalcul::NonRecalcule(f.clone()));
        };
        // A spreadsheet shows an amount to the cent, a count whole; a saved value written with
        // floating-point noise (0.1+0.2) is the same number.
        let arrondi =
            |d: Decimal, dp: u32| d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let dp = match genre {
            Genre::Montant => 2,
            Genre::Entier => 0,
            _ => 9,
        };
        let calculee = arrondi(calculee, dp);
        if calculee == arrondi(enregistree, dp) {
            return Some(Recalcul::Juste);
        }
        let fr = |d: Decimal| match genre {
            Genre::Montant => Montant::new(d).map(|m| m.fr()).unwrap_or_else(|_| d.to_string()),
            _ => crate::model::montant::format_nombre_fr(d),
        };
        Some(Recalcul::Faux(format!(
            "la formule ={} donne {} quand le tableur la recalcule (le modèle de fnp le lui demande à l'ouverture), mais la valeur enregistrée dans le fichier est {} : fnp ne choisit pas entre les deux ; ouvrez le classeur dans votre tableur, vérifiez {} et enregistrez-le",
            f.trim_start_matches('='),
            fr(calculee),
            fr(enregistree),
            if genre == Genre::Montant { "ce montant" } else { "cette valeur" }
        )))
    }

    pub(super) fn formule_sans_valeur(&self, ligne: usize, col: usize) -> bool {
        matches!(self.cellule(ligne, col), Data::Empty)
            && self.formules.contains(&(self.debut.0 + ligne as u32, self.debut.1 + col as u32))
    }
}

pub(super) fn ligne_vide(r: &[Data]) -> bool {
    r.iter().all(|c| match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    })
}

/// A grid from the cells that hold something (row, column, value): rows between them are
/// empty vectors, cheap even when rows are far apart.
pub(super) fn grille_creuse(nom: &str, cellules: Vec<(u32, u32, Data)>, formules: HashSet<(u32, u32)>) -> Grille {
    let (l0, c0) = (cellules.iter().map(|c| c.0).min().unwrap_or(0), cellules.iter().map(|c| c.1).min().unwrap_or(0));
    let (l1, c1) = (cellules.iter().map(|c| c.0).max().unwrap_or(0), cellules.iter().map(|c| c.1).max().unwrap_or(0));
    let largeur = (c1 - c0 + 1) as usize;
    // Rows between are empty vectors: cheap even when rows are far apart.
    let mut grille: Vec<Vec<Data>> = vec![Vec::new(); if cellules.is_empty() { 0 } else { (l1 - l0 + 1) as usize }];
    for (l, c, v) in cellules {
        let ligne = &mut grille[(l - l0) as usize];
        if ligne.is_empty() {
            ligne.resize(largeur, Data::Empty);
        }
        ligne[(c - c0) as usize] = v;
    }
    Grille {
        lieu: Lieu::Feuille(Arc::from(nom)),
        cellules: grille,
        debut: (l0, c0),
        formules,
        textes_formules: HashMap::new(),
    }
}
