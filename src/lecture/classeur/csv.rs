//! CSV dossiers: a folder of `Dossier.csv`, `Depenses.csv`, `Recettes.csv` and
//! `Contributions.csv` (spreadsheet.md « CSV »), read from the folder or from the files'
//! bytes, each file decoded as French Excel writes it and made a grid for the sheet reader.

use crate::lecture::limites::CHAMP_CSV_MAX;
use std::path::Path;
use std::sync::Arc;

use calamine::Data;
use foldhash::{HashSet, HashSetExt};

use super::{FEUILLES, Grille, Lieu, Limites, illisible, lire_grilles, normaliser};
use crate::lecture::limites::{Budget, COLONNES_MAX};
use crate::lecture::{Illisible, Lu};

/// The CSV files of a CSV dossier folder, matched loosely (`Dossier.csv`, `depenses.csv`).
pub fn fichiers_csv(dossier: &Path) -> Option<[Option<std::path::PathBuf>; 4]> {
    let mut trouves: [Option<std::path::PathBuf>; 4] = [None, None, None, None];
    for e in std::fs::read_dir(dossier).ok()?.flatten() {
        let p = e.path();
        if let Some(k) = p.file_name().and_then(|n| n.to_str()).and_then(rang_csv) {
            trouves[k] = Some(p);
        }
    }
    trouves[0].is_some().then_some(trouves)
}

/// Which file of a CSV dossier a file name is, as people name them (`Dossier.csv`,
/// `dépenses.CSV`…): 0 to 3 in the order of the sheets, `None` for any other file.
pub fn rang_csv(nom_fichier: &str) -> Option<usize> {
    let (base, ext) = nom_fichier.rsplit_once('.')?;
    if !ext.eq_ignore_ascii_case("csv") {
        return None;
    }
    let nom = normaliser(base);
    FEUILLES.iter().position(|f| *f == nom)
}

/// Decodes CSV bytes as French Excel writes them: UTF-8 (with or without BOM), UTF-16 with
/// BOM, else Windows-1252.
pub fn decoder(octets: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(octets) {
        let (texte, _) = enc.decode_without_bom_handling(&octets[bom..]);
        return texte.into_owned();
    }
    match std::str::from_utf8(octets) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(octets).0.into_owned(),
    }
}

/// A CSV file's bytes as a grid (any encoding French Excel writes, `;` or `,`), read field
/// by field within the reader budget: fields past the layout's 64 columns are passed over
/// without being kept (a 19 Mo row of `;` costs nothing), a field longer than any cell a
/// spreadsheet writes is refused, and every field kept is charged first.
pub fn grille_csv(octets: &[u8], affiche: &str, limites: &Limites) -> Result<Grille, String> {
    grille_csv_budget(octets, affiche, limites, &mut Budget::pour(limites))
}

fn grille_csv_budget(octets: &[u8], affiche: &str, limites: &Limites, budget: &mut Budget) -> Result<Grille, String> {
    let affiche = affiche.to_string();
    let texte = decoder(octets);
    let premiere = texte.lines().next().unwrap_or("");
    let separateur = if premiere.matches(';').count() >= premiere.matches(',').count() { b';' } else { b',' };
    let mut lecteur = csv_core::ReaderBuilder::new().delimiter(separateur).build();
    let mut entree = texte.as_bytes();
    let mut sortie = [0u8; 8192];
    let mut champ: Vec<u8> = Vec::new();
    let (mut colonne, mut longueur) = (0u32, 0usize);
    let mut ligne: Vec<Data> = Vec::new();
    let mut cellules: Vec<Vec<Data>> = Vec::new();
    loop {
        let (resultat, lus, ecrits) = lecteur.read_field(entree, &mut sortie);
        entree = &entree[lus..];
        longueur = longueur.saturating_add(ecrits);
        if longueur > CHAMP_CSV_MAX {
            return Err(format!(
                "{affiche} : ligne {} : un champ de plus de {CHAMP_CSV_MAX} octets (un tableur n'en écrit pas) ; fnp ne lit pas ce fichier",
                cellules.len() + 1
            ));
        }
        if colonne < COLONNES_MAX {
            champ.extend_from_slice(&sortie[..ecrits]);
        }
        match resultat {
            csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull => {}
            csv_core::ReadFieldResult::Field { record_end } => {
                if colonne < COLONNES_MAX {
                    let texte = String::from_utf8_lossy(&champ);
                    if texte.trim().is_empty() {
                        ligne.push(Data::Empty);
                    } else {
                        budget.cellule(texte.len()).map_err(|d| d.message(&affiche))?;
                        ligne.push(Data::String(texte.into_owned()));
                    }
                }
                champ.clear();
                longueur = 0;
                colonne = colonne.saturating_add(1);
                if record_end {
                    // Trailing empty fields hold nothing.
                    while matches!(ligne.last(), Some(Data::Empty)) {
                        ligne.pop();
                    }
                    cellules.push(std::mem::take(&mut ligne));
                    colonne = 0;
                    if cellules.len() > limites.lignes_max + 1 {
                        return Err(format!("{affiche} : plus de {} lignes (limite : --max-rows)", limites.lignes_max));
                    }
                }
            }
            csv_core::ReadFieldResult::End => break,
        }
    }
    Ok(Grille {
        lieu: Lieu::Csv(Arc::from(affiche)),
        cellules,
        debut: (0, 0),
        formules: HashSet::new(),
        textes_formules: Default::default(),
    })
}

/// Reads a CSV dossier folder: its files one at a time, each bounded by `--max-size`.
pub fn lire_dossier_csv(dossier: &Path, affiche: &str, limites: &Limites) -> Result<Lu, Illisible> {
    let fichiers =
        fichiers_csv(dossier).ok_or_else(|| {
            illisible(
                affiche,
                "ce répertoire n'est pas un dossier CSV (pas de Dossier.csv) : donnez un fichier de dossier (.toml, classeur) ou un répertoire CSV ; pour vérifier tout un répertoire, fnp check",
            )
        })?;
    lire_csv_un_a_un(affiche, limites, |k| {
        let p = fichiers[k].as_ref()?;
        let nom = crate::lecture::texte_chemin(p);
        Some(
            crate::lecture::lire_fichier_borne(p, limites.taille_max)
                .map(|o| (nom.clone(), o))
                .map_err(|m| format!("{nom} : {m}")),
        )
    })
}

/// Reads a CSV dossier from its files' bytes, each with the name it is shown by in findings
/// (`retours/petits-pas/Depenses.csv`): the files are told apart by their names as in a
/// folder ([`rang_csv`]), others are passed over. What a page holding a dropped folder reads.
pub fn lire_csv_octets(affiche: &str, fichiers: Vec<(String, Vec<u8>)>, limites: &Limites) -> Result<Lu, Illisible> {
    let mut rangs: [Option<(String, Vec<u8>)>; 4] = [None, None, None, None];
    for (nom, octets) in fichiers {
        let base = nom.rsplit(['/', '\\']).next().unwrap_or(&nom);
        if let Some(k) = rang_csv(base) {
            rangs[k] = Some((nom, octets));
        }
    }
    if rangs[0].is_none() {
        return Err(illisible(
            affiche,
            "pas de fichier Dossier.csv : un dossier CSV est fait de Dossier.csv, Depenses.csv, Recettes.csv et Contributions.csv",
        ));
    }
    lire_csv_un_a_un(affiche, limites, |k| {
        let (nom, octets) = rangs[k].take()?;
        Some(if octets.len() as u64 > limites.taille_max {
            Err(format!(
                "{nom} : fichier trop gros ({} octets, limite {} octets : --max-size)",
                octets.len(),
                limites.taille_max
            ))
        } else {
            Ok((nom, octets))
        })
    })
}

/// The four files of a CSV dossier, `fichier(k)` giving the name and bytes of the k-th
/// (Dossier.csv first) when it is there: each one made a grid and its bytes let go before
/// the next is asked for, all under one reader budget, as the sheets of a workbook.
fn lire_csv_un_a_un(
    affiche: &str,
    limites: &Limites,
    mut fichier: impl FnMut(usize) -> Option<Result<(String, Vec<u8>), String>>,
) -> Result<Lu, Illisible> {
    let mut grilles: Vec<Option<Grille>> = Vec::with_capacity(4);
    let mut budget = Budget::pour(limites);
    for k in 0..FEUILLES.len() {
        grilles.push(match fichier(k) {
            Some(f) => {
                let (nom, octets) = f.map_err(|m| illisible(affiche, m))?;
                Some(grille_csv_budget(&octets, &nom, limites, &mut budget).map_err(|m| illisible(affiche, m))?)
            }
            None => None,
        });
    }
    let Some(Some(d)) = grilles.first() else { return Err(illisible(affiche, "pas de fichier Dossier.csv")) };
    Ok(lire_grilles(affiche, d, [grilles[1].as_ref(), grilles[2].as_ref(), grilles[3].as_ref()], "Dossier.csv"))
}
