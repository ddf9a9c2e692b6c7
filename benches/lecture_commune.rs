//! The raw read shared by the two baselines: every sheet of every workbook of a folder read
//! with calamine and nothing else, in parallel with rayon on the same cores as `fnp check`.

use calamine::{Reader, open_workbook_auto};
use rayon::prelude::*;

pub fn principal() -> Result<(), String> {
    let dossier = std::env::args().nth(1).ok_or("usage : lecture-brute DOSSIER")?;
    let mut fichiers: Vec<_> =
        std::fs::read_dir(&dossier).map_err(|e| e.to_string())?.flatten().map(|e| e.path()).collect();
    fichiers.sort();
    let cellules: usize = fichiers
        .par_iter()
        .map(|f| {
            let Ok(mut classeur) = open_workbook_auto(f) else { return 0 };
            let noms = classeur.sheet_names();
            noms.iter().filter_map(|n| classeur.worksheet_range(n).ok()).map(|r| r.used_cells().count()).sum::<usize>()
        })
        .sum();
    println!("{} classeurs, {cellules} cellules", fichiers.len());
    Ok(())
}
