//! `fnp bilan DIR --report R`: the year's bilans at once, for an instructor. One row per
//! action (planned and actual charges, the gap, the FNP amount granted and the amount the
//! actual expenses justify, the indicators reached), `bilans.csv` and `constats.csv` for
//! French Excel, `bilans.json`, and `rapport.html` with the filters of `fnp check --report`;
//! the four files are put in place together, once all are written.

use std::path::Path;

use rust_decimal::Decimal;
use serde::Serialize;

use super::calcul::Bilan;
use crate::budget::sortie::EnTete;
use crate::check::{Compteurs, Constat, Verdict};
use crate::ecriture::tableur;
use crate::render;

pub const FICHIERS: [&str; 4] = ["bilans.csv", "constats.csv", "bilans.json", "rapport.html"];

/// What came of one file of the batch.
#[derive(Debug, Clone, Serialize)]
pub struct LigneLot {
    pub numero: usize,
    #[serde(flatten)]
    pub en_tete: EnTete,
    /// `complet`, `incomplet` (a line without `realise`) or `illisible`.
    pub etat: &'static str,
    /// The verdict of the bilan's findings, as `fnp check` decides one: `conforme`,
    /// `a-verifier`, `non-conforme`, or `illisible`. A complete bilan may be non-conforme.
    pub verdict: Verdict,
    /// The verdict in French: `non conforme`.
    pub verdict_libelle: &'static str,
    pub compteurs: Compteurs,
    /// Why the bilan is unreadable or incomplete, in French.
    pub raison: Option<String>,
    pub bilan: Option<Bilan>,
    /// Planned indicators with their actual value, out of the planned ones.
    pub indicateurs_renseignes: usize,
    pub indicateurs_prevus: usize,
    pub constats: Vec<Constat>,
    /// fnp's own annotated copy, unchanged since fnp wrote it: a bilan like any other, said so.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub copie_de_fnp: bool,
}

impl LigneLot {
    pub fn lisible(numero: usize, en_tete: EnTete, bilan: Bilan, constats: Vec<Constat>) -> LigneLot {
        let prevus: Vec<_> = bilan.indicateurs.iter().filter(|i| i.prevu.is_some()).collect();
        let renseignes = prevus.iter().filter(|i| i.realise.is_some()).count();
        let (etat, raison) = if bilan.complet {
            ("complet", None)
        } else {
            ("incomplet", Some(format!("sans montant réalisé : {}", bilan.non_renseignees_libelles.join(", "))))
        };
        let verdict = crate::check::verdict(&constats);
        LigneLot {
            numero,
            en_tete,
            etat,
            verdict,
            verdict_libelle: verdict.libelle(),
            compteurs: Compteurs::de(&constats),
            raison,
            indicateurs_renseignes: renseignes,
            indicateurs_prevus: prevus.len(),
            bilan: Some(bilan),
            constats,
            copie_de_fnp: false,
        }
    }

    pub fn illisible(numero: usize, source: &str, raison: String, constats: Vec<Constat>) -> LigneLot {
        LigneLot {
            numero,
            en_tete: EnTete {
                source: source.to_string(),
                porteur: None,
                intitule: None,
                exercice: None,
                axe: None,
                volet: None,
                type_action: None,
            },
            etat: "illisible",
            verdict: Verdict::Illisible,
            verdict_libelle: Verdict::Illisible.libelle(),
            compteurs: Compteurs::de(&constats),
            raison: Some(raison),
            bilan: None,
            indicateurs_renseignes: 0,
            indicateurs_prevus: 0,
            constats,
            copie_de_fnp: false,
        }
    }

    /// The line printed on the terminal for this action.
    pub fn resume(&self) -> String {
        let Some(b) = &self.bilan else {
            return format!("{} : illisible — {}", self.en_tete.source, self.raison.as_deref().unwrap_or_default());
        };
        let euros = crate::budget::sortie::euros;
        let reel = b.total_charges.realise.map_or_else(|| "non renseignées".into(), euros);
        let justifie = b.fnp.montant_fnp_justifie.map_or_else(|| "non calculé".into(), euros);
        let accorde = b.fnp.montant_fnp_accorde.map_or_else(|| "non renseigné".into(), euros);
        let copie = if self.copie_de_fnp { " — copie annotée par fnp, inchangée" } else { "" };
        format!(
            "{} : {} — charges prévues {}, réalisées {} ; FNP accordé {accorde}, justifié {justifie} ; indicateurs {}/{}{copie}",
            self.en_tete.source,
            etat_et_verdict(b.complet, &self.compteurs),
            euros(b.total_charges.prevu),
            reel,
            self.indicateurs_renseignes,
            self.indicateurs_prevus
        )
    }
}

/// Completeness and conformity side by side, the two facts an instructor reads:
/// `bilan complet, non conforme : 2 erreurs, 1 avertissement`, `bilan incomplet, conforme`.
pub fn etat_et_verdict(complet: bool, c: &Compteurs) -> String {
    let etat = if complet { "bilan complet" } else { "bilan incomplet" };
    let pluriel = crate::report::pluriel;
    if c.erreur > 0 {
        let avert = if c.avertissement > 0 {
            format!(", {}", pluriel(c.avertissement, "avertissement", "avertissements"))
        } else {
            String::new()
        };
        format!("{etat}, non conforme : {}{avert}", pluriel(c.erreur, "erreur", "erreurs"))
    } else if c.avertissement > 0 {
        format!("{etat}, à vérifier : {}", pluriel(c.avertissement, "avertissement", "avertissements"))
    } else {
        format!("{etat}, conforme")
    }
}

fn montant(v: Option<Decimal>) -> String {
    v.map(tableur::nombre).unwrap_or_default()
}

fn texte(v: Option<&str>) -> String {
    tableur::texte_sur(v.unwrap_or_default())
}

/// A CSV for French Excel: UTF-8 with a BOM, `;` between cells, no cell starting a formula.
fn csv_fr(entetes: &[&str], lignes: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, String> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer("\u{feff}".as_bytes().to_vec());
    let echec = |e: csv::Error| format!("CSV : {e}");
    w.write_record(entetes).map_err(echec)?;
    for l in lignes {
        w.write_record(&l).map_err(echec)?;
    }
    w.into_inner().map_err(|e| format!("CSV : {e}"))
}

fn bilans_csv(lignes: &[LigneLot]) -> Result<Vec<u8>, String> {
    let o = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    csv_fr(
        &[
            "Fichier",
            "Chemin",
            "Bilan",
            "Verdict",
            "Erreurs",
            "Avertissements",
            "Informations",
            "Porteur",
            "Action",
            "Exercice",
            "Axe",
            "Volet",
            "Type d'action",
            "Charges prévues",
            "Charges réalisées",
            "Écart des charges",
            "Écart des charges (%)",
            "Produits réalisés",
            "Montant FNP accordé",
            "Montant FNP justifié (calcul indicatif de fnp)",
            "Écart avec le montant accordé",
            "Indicateurs renseignés",
            "Indicateurs prévus",
            "Constats",
            "Remarque",
        ],
        lignes.iter().map(|l| {
            let e = &l.en_tete;
            let b = l.bilan.as_ref();
            vec![
                tableur::texte_sur(crate::model::noms::nom_de_fichier(&e.source)),
                tableur::texte_sur(&e.source),
                l.etat.to_string(),
                l.verdict_libelle.to_string(),
                l.compteurs.erreur.to_string(),
                l.compteurs.avertissement.to_string(),
                l.compteurs.info.to_string(),
                texte(e.porteur.as_deref()),
                texte(e.intitule.as_deref()),
                o(e.exercice),
                o(e.axe),
                o(e.volet),
                texte(
                    e.type_action.as_deref().map(|t| crate::model::schema::libelle_valeur("action.type", t)).as_deref(),
                ),
                montant(b.map(|b| b.total_charges.prevu)),
                montant(b.and_then(|b| b.total_charges.realise)),
                montant(b.and_then(|b| b.total_charges.ecart)),
                b.and_then(|b| b.total_charges.ecart_pourcent)
                    .map(|p| p.to_string().replace('.', ","))
                    .unwrap_or_default(),
                montant(b.and_then(|b| b.total_produits.realise)),
                montant(b.and_then(|b| b.fnp.montant_fnp_accorde)),
                montant(b.and_then(|b| b.fnp.montant_fnp_justifie)),
                montant(b.and_then(|b| b.fnp.ecart_accorde)),
                if b.is_some() { l.indicateurs_renseignes.to_string() } else { String::new() },
                if b.is_some() { l.indicateurs_prevus.to_string() } else { String::new() },
                l.constats.len().to_string(),
                texte(l.raison.as_deref()),
            ]
        }),
    )
}

fn constats_csv(lignes: &[LigneLot]) -> Result<Vec<u8>, String> {
    use crate::report::fichiers::{ENTETES_CONSTAT, colonnes_constat};
    csv_fr(
        &[&["Fichier", "Chemin", "Bilan", "Porteur"][..], &ENTETES_CONSTAT[..]].concat(),
        lignes.iter().flat_map(|l| {
            l.constats.iter().map(move |k| {
                let dossier = [
                    tableur::texte_sur(crate::model::noms::nom_de_fichier(&l.en_tete.source)),
                    tableur::texte_sur(&l.en_tete.source),
                    l.etat.to_string(),
                    texte(l.en_tete.porteur.as_deref()),
                ];
                dossier.into_iter().chain(colonnes_constat(k)).collect()
            })
        }),
    )
}

/// Counts shown at the top of the page and at the end of the batch.
#[derive(Debug, Default, Serialize)]
pub struct SyntheseLot {
    pub bilans: usize,
    pub complet: usize,
    pub incomplet: usize,
    pub illisible: usize,
    /// The readable bilans by verdict (an unreadable one is counted in `illisible`).
    pub conforme: usize,
    #[serde(rename = "a-verifier")]
    pub a_verifier: usize,
    #[serde(rename = "non-conforme")]
    pub non_conforme: usize,
    #[serde(serialize_with = "super::calcul::deux_decimales")]
    pub total_accorde: Decimal,
    #[serde(serialize_with = "super::calcul::deux_decimales")]
    pub total_justifie: Decimal,
    /// What the packs of the run change in fnp's national rules (`Regles::ecarts`), as
    /// `fnp check --report` says it: the verdicts depend on it (hostile round 4).
    pub regles_modifiees: Vec<String>,
}

pub fn synthese(lignes: &[LigneLot]) -> SyntheseLot {
    let mut s = SyntheseLot { bilans: lignes.len(), ..Default::default() };
    for l in lignes {
        match l.etat {
            "complet" => s.complet += 1,
            "incomplet" => s.incomplet += 1,
            _ => s.illisible += 1,
        }
        match l.verdict {
            Verdict::Conforme => s.conforme += 1,
            Verdict::AVerifier => s.a_verifier += 1,
            Verdict::NonConforme => s.non_conforme += 1,
            Verdict::Illisible => {}
        }
        if let Some(b) = &l.bilan {
            s.total_accorde += b.fnp.montant_fnp_accorde.unwrap_or_default();
            s.total_justifie += b.fnp.montant_fnp_justifie.unwrap_or_default();
        }
    }
    s
}

#[derive(Serialize)]
struct Contexte<'a> {
    version: &'static str,
    genere_le: String,
    synthese: &'a SyntheseLot,
    lignes: &'a [LigneLot],
    avertissement: &'static str,
}

/// Writes the four report files in `dossier` (which must exist), all or nothing;
/// `regles_modifiees`, what the run's packs change in the national rules.
pub fn ecrire(dossier: &Path, lignes: &[LigneLot], regles_modifiees: &[String], force: bool) -> Result<(), String> {
    let s = SyntheseLot { regles_modifiees: regles_modifiees.to_vec(), ..synthese(lignes) };
    let mut json = serde_json::json!({
        "outil": "fnp",
        "version": env!("CARGO_PKG_VERSION"),
        "bilans": lignes,
        "synthese": &s,
    });
    crate::lecture::json_stable(&mut json);
    let json = serde_json::to_vec_pretty(&json).map_err(|e| format!("JSON : {e}"))?;
    let contexte = Contexte {
        version: env!("CARGO_PKG_VERSION"),
        genere_le: render::aujourd_hui(),
        synthese: &s,
        lignes,
        avertissement: super::calcul::AVERTISSEMENT,
    };
    let html = render::rendre(&render::environnement(None)?, "rapport-bilan.html.j2", &contexte)?;
    let fichiers = [
        (FICHIERS[0], bilans_csv(lignes)?),
        (FICHIERS[1], constats_csv(lignes)?),
        (FICHIERS[2], json),
        (FICHIERS[3], html.into_bytes()),
    ];
    crate::ecriture::atomique::ecrire_ensemble(dossier, &fichiers, force)
}
