//! `fnp check --report DIR`: `synthese.csv` (French Excel), `synthese.json` (the JSON of
//! cli.md) and `rapport.html` (one self-contained page), each written atomically.

use std::path::Path;

use serde::Serialize;

use super::Synthese;
use crate::budget::texte_deux_decimales;
use crate::check::{Constat, Resultat};
use crate::io::ecriture::ecrire_fichier;
use crate::io::tableur;
use crate::render;

/// The batch summary as CSV: one row per dossier.
pub fn synthese_csv(resultats: &[Resultat]) -> Result<Vec<u8>, String> {
    let mut tampon = Vec::new();
    {
        let mut w = tableur::ecrivain(&mut tampon).map_err(|e| e.to_string())?;
        let t = tableur::texte_sur;
        w.write_record([
            "source",
            "verdict",
            "porteur",
            "exercice",
            "axe",
            "volet",
            "type",
            "erreurs",
            "avertissements",
            "infos",
            "total_charges",
            "total_eligible",
            "base_plafond",
            "plafond_caf",
            "financement_caf",
            "demande_fnp",
            "montant_max_fnp",
            "regles",
        ])
        .map_err(|e| e.to_string())?;
        for r in resultats {
            let c = r.compteurs();
            let o = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
            let mut regles: Vec<&str> = r.constats.iter().map(|c| c.regle.as_str()).collect();
            regles.dedup();
            let mut ligne = vec![
                t(&r.source),
                r.verdict.as_str().to_string(),
                t(r.porteur.as_deref().unwrap_or("")),
                o(r.exercice),
                o(r.axe),
                o(r.volet),
                t(r.type_action.as_deref().unwrap_or("")),
                c.erreur.to_string(),
                c.avertissement.to_string(),
                c.info.to_string(),
            ];
            match &r.budget {
                Some(b) => ligne.extend(
                    [
                        b.total_charges,
                        b.total_eligible,
                        b.base_plafond,
                        b.plafond_caf,
                        b.financement_caf,
                        b.demande_fnp,
                        b.montant_max_fnp,
                    ]
                    .map(tableur::nombre),
                ),
                None => ligne.extend(std::iter::repeat_n(String::new(), 7)),
            }
            ligne.push(t(&regles.join(" ")));
            w.write_record(&ligne).map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(tampon)
}

#[derive(Serialize)]
struct DossierRapport<'a> {
    numero: usize,
    source: &'a str,
    verdict: &'static str,
    verdict_libelle: &'static str,
    porteur: &'a str,
    axe_volet: String,
    type_action: &'a str,
    erreurs: usize,
    avertissements: usize,
    infos: usize,
    demande_fnp: Option<String>,
    montant_max_fnp: Option<String>,
    constats: Vec<ConstatRapport<'a>>,
}

#[derive(Serialize)]
struct ConstatRapport<'a> {
    #[serde(flatten)]
    constat: &'a Constat,
    lieu: String,
}

#[derive(Serialize)]
struct Contexte<'a> {
    version: &'static str,
    genere_le: String,
    synthese: Synthese,
    dossiers: Vec<DossierRapport<'a>>,
}

/// Where a finding is, for people: `dossier.xlsx:Dépenses!C5`, `projet.toml:27:3`.
pub fn lieu(c: &Constat) -> String {
    let e = &c.emplacement;
    match (&e.cellule, e.ligne, e.colonne) {
        (Some(cellule), _, _) => format!("{}:{cellule}", e.fichier),
        (None, Some(l), Some(col)) => format!("{}:{l}:{col}", e.fichier),
        _ => e.fichier.clone(),
    }
}

pub fn rapport_html(resultats: &[Resultat]) -> Result<String, String> {
    let dossiers = resultats
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let c = r.compteurs();
            DossierRapport {
                numero: i + 1,
                source: &r.source,
                verdict: r.verdict.as_str(),
                verdict_libelle: r.verdict.libelle(),
                porteur: r.porteur.as_deref().unwrap_or(""),
                axe_volet: match (r.axe, r.volet) {
                    (Some(a), Some(v)) => format!("{a}.{v}"),
                    _ => String::new(),
                },
                type_action: r.type_action.as_deref().unwrap_or(""),
                erreurs: c.erreur,
                avertissements: c.avertissement,
                infos: c.info,
                demande_fnp: r.budget.as_ref().map(|b| texte_deux_decimales(&b.demande_fnp)),
                montant_max_fnp: r.budget.as_ref().map(|b| texte_deux_decimales(&b.montant_max_fnp)),
                constats: r.constats.iter().map(|c| ConstatRapport { constat: c, lieu: lieu(c) }).collect(),
            }
        })
        .collect();
    let contexte = Contexte {
        version: env!("CARGO_PKG_VERSION"),
        genere_le: render::aujourd_hui(),
        synthese: Synthese::de(resultats),
        dossiers,
    };
    let env = render::environnement(None)?;
    render::rendre(&env, "rapport.html.j2", &contexte)
}

/// Writes the three report files into `dossier`.
pub fn ecrire_rapports(dossier: &Path, resultats: &[Resultat], force: bool) -> Result<(), String> {
    let csv = synthese_csv(resultats)?;
    let mut json = serde_json::to_vec_pretty(&super::json::document(resultats)).map_err(|e| e.to_string())?;
    json.push(b'\n');
    let html = rapport_html(resultats)?;
    ecrire_fichier(&dossier.join("synthese.csv"), &csv, force)?;
    ecrire_fichier(&dossier.join("synthese.json"), &json, force)?;
    ecrire_fichier(&dossier.join("rapport.html"), html.as_bytes(), force)
}
