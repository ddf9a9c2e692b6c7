//! `fnp dossier PATH -o FILE`: the document to send, rendered from the templates.

use crate::lecture::Affiche;
use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::budget::cerfa::{self, BudgetPresente};
use crate::check::{Compteurs, Constat};
use crate::model::{Valeur, schema};
use crate::{Erreur, charger_regles, code, render};

/// Output format of `fnp dossier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatDocument {
    Html,
    Markdown,
}

#[derive(Debug, Clone)]
pub struct DossierSettings {
    pub chemin: PathBuf,
    /// `None` or `-`: standard output.
    pub sortie: Option<PathBuf>,
    pub format: FormatDocument,
    pub modeles: Option<PathBuf>,
    pub regles: Option<PathBuf>,
    pub force: bool,
}

/// What the templates see.
#[derive(Serialize)]
pub struct Contexte<'a> {
    pub version: &'static str,
    pub source: &'a str,
    pub genere_le: String,
    pub dossier: serde_json::Value,
    pub volet_libelle: Option<String>,
    pub gratuite: bool,
    /// The dossier does not say whether the action is free: `gratuite` is inferred from the
    /// budget (a participation of families or none), and the document says so.
    pub gratuite_deduite: bool,
    pub budget: BudgetPresente,
    /// The fund's figures, labelled, in display order.
    pub fnp: Vec<(String, String)>,
    /// Why the eligible total bounds the FNP amount, when it does (in words, never keys).
    pub limite: Option<String>,
    /// Share of each income line in the total income, by line index (`62,5 %`).
    pub parts: Vec<String>,
    /// Planned indicators: (French label, value).
    pub indicateurs: Vec<(String, String)>,
    pub verdict: &'static str,
    pub compteurs: Compteurs,
    pub constats: &'a [Constat],
}

pub fn executer(s: &DossierSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    if let Some(sortie) = &s.sortie {
        crate::ecriture::atomique::refuser_sortie_sur_entree(sortie, &[&s.chemin]).map_err(Erreur::Autre)?;
    }
    let regles = charger_regles(s.regles.as_deref())?;
    let d = super::lire_un(&s.chemin, &regles)?;
    super::exiger_budget_complet(&d)?;
    let texte = document(&regles, &d, s.format, s.modeles.as_deref()).map_err(Erreur::Autre)?;
    match s.sortie.as_deref() {
        None => crate::ecrire_sans_tuyau_casse(out.write_all(texte.as_bytes()).and_then(|()| out.flush()))?,
        Some(p) if p.as_os_str() == "-" => {
            crate::ecrire_sans_tuyau_casse(out.write_all(texte.as_bytes()).and_then(|()| out.flush()))?
        }
        Some(p) => {
            crate::ecriture::atomique::ecrire_fichier(p, texte.as_bytes(), s.force).map_err(Erreur::Autre)?;
            eprintln!("{} écrit ({})", crate::report::visible(&p.affiche()), d.resultat.verdict.libelle());
        }
    }
    Ok(code::OK)
}

/// The document of a dossier read and checked, in `format`, from the embedded templates or
/// those of `modeles`: what `fnp dossier` writes, and what the web page offers to download.
/// The caller has made sure every budget line was read (`exiger_budget_complet`).
pub fn document(
    regles: &crate::rules::Regles,
    d: &super::DossierLu,
    format: FormatDocument,
    modeles: Option<&std::path::Path>,
) -> Result<String, String> {
    let parametres = regles.parametres_pour(&d.lu.dossier);
    let dossier = &d.lu.dossier;
    let chiffres = crate::budget::calculer(dossier, &parametres);
    let budget = cerfa::presenter(dossier, &chiffres, &parametres, &regles.plan);
    let total = chiffres.total_produits;
    let mut parts = vec![String::new(); dossier.recettes.iter().map(|r| r.index + 1).max().unwrap_or(0)];
    for r in &dossier.recettes {
        if !total.is_zero() {
            let p = (r.montant.valeur() * rust_decimal::Decimal::ONE_HUNDRED / total).round_dp(1);
            parts[r.index] = format!("{}\u{a0}%", crate::model::montant::format_nombre_fr(p));
        }
    }
    let indicateurs = schema::champs::CHAMPS
        .iter()
        .filter(|c| c.cle.starts_with("indicateurs."))
        .filter_map(|c| {
            let v = dossier.valeur(c.cle)?;
            let libelle = c.aide.trim_end_matches('.').to_string();
            Some((
                libelle,
                if let Valeur::Decimal(x) = v { crate::model::montant::format_nombre_fr(*x) } else { v.fr() },
            ))
        })
        .collect();
    // The findings in words: no key, cell or syntax in a document (render::mots).
    let constats = render::mots::constats_document(&d.resultat.constats);
    let volet_libelle = dossier.axe_volet().and_then(|av| regles.national().volets.get(&av).map(|v| v.libelle.clone()));
    let contexte = Contexte {
        version: env!("CARGO_PKG_VERSION"),
        source: &d.source,
        genere_le: render::aujourd_hui(),
        dossier: render::champs(dossier),
        volet_libelle,
        gratuite: dossier.gratuite(),
        gratuite_deduite: !dossier.champs.contains_key("action.gratuit"),
        fnp: crate::budget::sortie::lignes_fnp(&budget),
        limite: crate::budget::explication::explication(dossier, &chiffres, &parametres, true),
        budget,
        parts,
        indicateurs,
        verdict: d.resultat.verdict.as_str(),
        compteurs: d.resultat.compteurs(),
        constats: &constats,
    };
    let env = render::environnement(modeles)?;
    let nom = match format {
        FormatDocument::Html => "dossier.html.j2",
        FormatDocument::Markdown => "dossier.md.j2",
    };
    render::rendre(&env, nom, &contexte)
}
