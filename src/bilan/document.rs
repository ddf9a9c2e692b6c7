//! The bilan as a document to attach (`fnp bilan -o bilan.html`): the compte rendu financier
//! laid out like the Cerfa n° 15059, printable on A4, rendered from `templates/bilan.html.j2`
//! with the figures already written in French, as the other outputs write them.

use serde::Serialize;

use super::calcul::{Bilan, Comparaison, GroupeBilan, LigneBilan};
use super::sortie::{incomplet, lignes_accorde, lignes_fnp, nombre, pourcent, realise, titre_groupe};
use crate::budget::sortie::{EnTete, euros};
use crate::render;

/// One row: planned, actual, gap and gap in percent, written out; `sens` for its colour.
#[derive(Serialize)]
struct Ligne {
    compte: Option<String>,
    libelle: String,
    prevu: String,
    realise: String,
    ecart: String,
    pourcent: String,
    /// `hausse`, `baisse` or `egal` (or empty when not reported).
    sens: &'static str,
    explication: Option<String>,
}

fn ligne(compte: Option<String>, libelle: String, c: &Comparaison, explication: Option<String>) -> Ligne {
    let sens = match c.ecart {
        Some(e) if e > rust_decimal::Decimal::ZERO => "hausse",
        Some(e) if e < rust_decimal::Decimal::ZERO => "baisse",
        Some(_) => "egal",
        None => "",
    };
    Ligne {
        compte,
        libelle,
        prevu: euros(c.prevu),
        realise: realise(c),
        ecart: super::sortie::ecart(c),
        pourcent: pourcent(c),
        sens,
        explication,
    }
}

fn lignes(l: &[LigneBilan], comptes: bool) -> Vec<Ligne> {
    l.iter()
        .map(|x| {
            let compte = comptes.then(|| crate::budget::cerfa::numero(&x.compte)).flatten();
            ligne(compte, x.libelle.clone(), &x.montants, x.explication.clone())
        })
        .collect()
}

#[derive(Serialize)]
struct Groupe {
    titre: Ligne,
    lignes: Vec<Ligne>,
}

fn groupes(g: &[GroupeBilan], comptes: bool) -> Vec<Groupe> {
    g.iter()
        .map(|g| Groupe { titre: ligne(None, titre_groupe(g), &g.total, None), lignes: lignes(&g.lignes, comptes) })
        .collect()
}

#[derive(Serialize)]
struct Contexte<'a> {
    version: &'static str,
    genere_le: String,
    source: &'a str,
    en_tete: &'a EnTete,
    titre: String,
    sous_titre: String,
    date: Option<String>,
    incomplet: Option<String>,
    charges: Vec<Groupe>,
    total_charges: Ligne,
    produits: Vec<Groupe>,
    total_produits: Ligne,
    contributions: Vec<Ligne>,
    total_contributions: Ligne,
    fnp: Vec<(String, String, String)>,
    accorde: Vec<(String, String, bool)>,
    avertissement: &'static str,
    indicateurs: Vec<(String, String, String)>,
    commentaire: Option<&'a str>,
    /// The findings of the bilan's rules (`BILAN-*`).
    constats: Vec<crate::check::Constat>,
    /// Their verdict (`non-conforme`…) and counts, for the banner at the top.
    verdict: &'static str,
    compteurs: crate::check::Compteurs,
}

/// The HTML document of a bilan.
pub fn html(e: &EnTete, b: &Bilan, modeles: Option<&std::path::Path>) -> Result<String, String> {
    let contexte = Contexte {
        version: env!("CARGO_PKG_VERSION"),
        genere_le: render::aujourd_hui(),
        source: &e.source,
        en_tete: e,
        titre: e.titre(),
        sous_titre: e.sous_titre(),
        date: b.date.map(|d| d.fr()),
        incomplet: incomplet(b),
        charges: groupes(&b.charges, true),
        total_charges: ligne(None, "Total des charges".into(), &b.total_charges, None),
        produits: groupes(&b.produits, false),
        total_produits: ligne(None, "Total des produits".into(), &b.total_produits, None),
        contributions: lignes(&b.contributions, false),
        total_contributions: ligne(None, "Total des contributions".into(), &b.total_contributions, None),
        fnp: lignes_fnp(b),
        accorde: lignes_accorde(b),
        avertissement: super::calcul::AVERTISSEMENT,
        indicateurs: b.indicateurs.iter().map(|i| (i.libelle.clone(), nombre(i.prevu), nombre(i.realise))).collect(),
        commentaire: b.commentaire.as_deref(),
        constats: render::mots::constats_document(&b.constats),
        verdict: crate::check::verdict(&b.constats).as_str(),
        compteurs: crate::check::Compteurs::de(&b.constats),
    };
    let env = render::environnement(modeles)?;
    render::rendre(&env, "bilan.html.j2", &contexte)
}
