//! `fnp bilan PATH`: the action's bilan, planned against actual (src/bilan/ computes it).

use std::io::Write;
use std::path::PathBuf;

use crate::bilan::sortie;
use crate::budget::sortie::EnTete;
use crate::{Erreur, charger_regles, code};

/// Output format of `fnp bilan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatBilan {
    Table,
    Markdown,
    Csv,
    Json,
}

#[derive(Debug, Clone)]
pub struct BilanSettings {
    pub chemin: PathBuf,
    pub format: FormatBilan,
    /// `None` or `-`: standard output.
    pub sortie: Option<PathBuf>,
    pub regles: Option<PathBuf>,
    pub force: bool,
}

pub fn executer(s: &BilanSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    if let Some(sortie) = &s.sortie {
        crate::io::ecriture::refuser_sortie_sur_entree(sortie, &[&s.chemin]).map_err(Erreur::Autre)?;
    }
    let regles = charger_regles(s.regles.as_deref())?;
    let d = super::lire_un(&s.chemin, &regles)?;
    super::exiger_budget_complet(&d)?;
    let parametres = regles.parametres_pour(&d.lu.dossier);
    let mut bilan = crate::bilan::calculer(&d.lu.dossier, &parametres, &regles.plan);
    bilan.constats = crate::check::constats_bilan(&d.lu, &regles);
    let compteurs = crate::check::Compteurs::de(&bilan.constats);
    let en_tete = EnTete::de(&d.source, &d.lu.dossier);
    let ecrire = |w: &mut dyn Write| rendre(s.format, &en_tete, &bilan, w);
    match s.sortie.as_deref() {
        Some(p) if p.as_os_str() != "-" => {
            let mut tampon = Vec::new();
            ecrire(&mut tampon)?;
            crate::io::ecriture::ecrire_fichier(p, &tampon, s.force).map_err(Erreur::Autre)?;
            eprintln!(
                "{} écrit ({}, {})",
                crate::report::visible(&p.display().to_string()),
                if bilan.complet { "bilan complet" } else { "bilan incomplet" },
                sortie::compte_constats(&compteurs)
            );
        }
        _ => crate::ecrire_sans_tuyau_casse(ecrire(out).and_then(|()| out.flush()))?,
    }
    // As `fnp check`: an error of the bilan's rules is exit 1.
    Ok(if compteurs.erreur > 0 { code::NON_CONFORME } else { code::OK })
}

fn rendre(format: FormatBilan, e: &EnTete, b: &crate::bilan::Bilan, w: &mut dyn Write) -> std::io::Result<()> {
    match format {
        // The text formats show no control character of the dossier's (report::visible).
        FormatBilan::Table => sortie::table(e, b, &mut crate::report::visible::Visible::new(w)),
        FormatBilan::Markdown => sortie::markdown(e, b, &mut crate::report::visible::Visible::new(w)),
        FormatBilan::Csv => sortie::csv(e, b, w),
        FormatBilan::Json => sortie::json(e, b, w),
    }
}
