//! Writes a seeded corpus of realistic dossier workbooks for the benchmark: the examples'
//! dossiers with their expense lines varied (5 to 40 lines, mixed axes and volets).
//! `--minimal`: the smallest workbooks fnp reads instead (issue 31): the Dossier sheet as
//! dotted keys in column A and values in B, 3 to 25 expense lines (Nature, Libellé,
//! Montant), « Recettes » with « Financeur » and « Montant » only.
//!
//! `cargo run --release --example generer-corpus -- DIR N [SEED] [--minimal]`

use std::path::PathBuf;

use fnp::ecriture::modele;
use fnp::lecture;
use fnp::model::{Depense, Dossier, Montant, Valeur};
use rust_decimal::Decimal;

/// A small deterministic generator (SplitMix64): the same seed gives the same corpus.
struct Graine(u64);

impl Graine {
    fn suivant(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn entre(&mut self, min: u64, max: u64) -> u64 {
        min + self.suivant() % (max - min + 1)
    }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let dossier = PathBuf::from(args.get(1).ok_or("usage : generer-corpus DOSSIER N [GRAINE]")?);
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).ok_or("N manquant")?;
    let mut g = Graine(args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42));
    let minimal = args.iter().any(|a| a == "--minimal");
    std::fs::create_dir_all(&dossier).map_err(|e| e.to_string())?;
    let mut modeles = Vec::new();
    let mut noms: Vec<PathBuf> = std::fs::read_dir("examples")
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        // The dossiers themselves, not the completed ones of examples/bilan/.
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    noms.sort();
    for p in noms {
        let lu = lecture::lire(&p, &p.display().to_string()).map_err(|e| e.message)?;
        modeles.push(lu.dossier);
    }
    for i in 0..n {
        let mut d = modeles[g.entre(0, modeles.len() as u64 - 1) as usize].clone();
        let lignes = if minimal { g.entre(3, 25) } else { g.entre(5, 40) } as usize;
        let base = d.depenses.clone();
        d.depenses = (0..lignes)
            .map(|k| {
                let mut l: Depense = base[k % base.len()].clone();
                l.index = k;
                l.libelle = format!("{} ({})", l.libelle, k + 1);
                l.montant = Montant::new(Decimal::new(g.entre(1_000, 500_000) as i64, 2)).unwrap_or_default();
                l
            })
            .collect();
        let octets = if minimal {
            minimal_xlsx(&d).map_err(|e| e.to_string())?
        } else {
            modele::ecrire(&modele::Options { dossier: Some(&d), ..Default::default() })?.0
        };
        std::fs::write(dossier.join(format!("dossier-{i:05}.xlsx")), octets).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The smallest workbook of a dossier fnp reads: keys and values, three columns of expenses,
/// two of income, no styles, no other sheet.
fn minimal_xlsx(d: &Dossier) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut classeur = rust_xlsxwriter::Workbook::new();
    let f = classeur.add_worksheet().set_name("Dossier")?;
    for (l, (cle, v)) in d.champs.iter().enumerate() {
        let l = l as u32;
        f.write_string(l, 0, *cle)?;
        match v {
            Valeur::Entier(n) => f.write_number(l, 1, *n as f64)?,
            Valeur::Decimal(x) => f.write_string(l, 1, x.to_string())?,
            Valeur::Ages(a, b) => f.write_string(l, 1, format!("{a}-{b}"))?,
            autre => f.write_string(l, 1, autre.fr())?,
        };
    }
    let f = classeur.add_worksheet().set_name("Dépenses")?;
    for (j, t) in ["Nature", "Libellé", "Montant"].iter().enumerate() {
        f.write_string(0, j as u16, *t)?;
    }
    for (l, dep) in d.depenses.iter().enumerate() {
        let l = l as u32 + 1;
        f.write_string(l, 0, dep.nature.to_string())?;
        f.write_string(l, 1, &dep.libelle)?;
        f.write_number(l, 2, nombre(dep.montant))?;
    }
    let f = classeur.add_worksheet().set_name("Recettes")?;
    f.write_string(0, 0, "Financeur")?;
    f.write_string(0, 1, "Montant")?;
    for (l, r) in d.recettes.iter().enumerate() {
        let l = l as u32 + 1;
        f.write_string(l, 0, r.financeur.to_string())?;
        f.write_number(l, 1, nombre(r.montant))?;
    }
    classeur.save_to_buffer()
}

/// An amount as a spreadsheet number (a cell holds binary numbers; fnp reads them back
/// exactly, to the cent).
fn nombre(m: Montant) -> f64 {
    m.valeur().to_string().parse().unwrap_or(0.0)
}
