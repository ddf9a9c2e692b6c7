//! `fnp bilan PATH`: the action's bilan, planned against actual (src/bilan/ computes it).

use crate::lecture::Affiche;
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
    /// The document to attach, printable on A4 (`-o bilan.html`).
    Html,
}

#[derive(Debug, Clone)]
pub struct BilanSettings {
    pub chemins: Vec<PathBuf>,
    /// `--report DIR`: the instructor's files for a batch.
    pub rapport: Option<PathBuf>,
    /// `--follow-links`: in a folder, links that lead out of it are followed too.
    pub suivre_liens: bool,
    pub format: FormatBilan,
    /// `None` or `-`: standard output.
    pub sortie: Option<PathBuf>,
    pub regles: Option<PathBuf>,
    pub force: bool,
}

impl BilanSettings {
    /// The one bilan of a single file, if that is what was asked (not a batch).
    fn un_seul(&self) -> Option<&PathBuf> {
        match self.chemins.as_slice() {
            [c] if self.rapport.is_none() && (crate::lecture::est_entree_standard(c) || !c.is_dir()) => Some(c),
            _ => None,
        }
    }

    /// Whether this is a batch of bilans (what an interruption must stop cleanly).
    pub fn lot(&self) -> bool {
        self.un_seul().is_none()
    }
}

pub fn executer(s: &BilanSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let un_seul = s.un_seul();
    let Some(chemin) = un_seul else { return lot(s, out) };
    if let Some(sortie) = &s.sortie {
        crate::ecriture::atomique::refuser_sortie_sur_entree(sortie, &[chemin]).map_err(Erreur::Autre)?;
    }
    let regles = charger_regles(s.regles.as_deref())?;
    let d = super::lire_un(chemin, &regles)?;
    super::exiger_budget_complet(&d)?;
    let bilan = calculer(&regles, &d);
    let compteurs = crate::check::Compteurs::de(&bilan.constats);
    let en_tete = EnTete::de(&d.source, &d.lu.dossier);
    let document = match s.format {
        FormatBilan::Html => Some(crate::bilan::document::html(&en_tete, &bilan, None).map_err(Erreur::Autre)?),
        _ => None,
    };
    let ecrire = |w: &mut dyn Write| match &document {
        Some(html) => w.write_all(html.as_bytes()),
        None => rendre(s.format, &en_tete, &bilan, w),
    };
    match s.sortie.as_deref() {
        Some(p) if p.as_os_str() != "-" => {
            let mut tampon = Vec::new();
            ecrire(&mut tampon)?;
            crate::ecriture::atomique::ecrire_fichier(p, &tampon, s.force).map_err(Erreur::Autre)?;
            eprintln!(
                "{} écrit ({})",
                crate::report::visible(&p.affiche()),
                crate::bilan::lot::etat_et_verdict(bilan.complet, &compteurs),
            );
        }
        _ => crate::ecrire_sans_tuyau_casse(ecrire(out).and_then(|()| out.flush()))?,
    }
    // As `fnp check`: an error (of the bilan's rules or the dossier's) is exit 1.
    Ok(if compteurs.erreur > 0 { code::NON_CONFORME } else { code::OK })
}

/// The bilan of a dossier read (planned against actual) with the findings of the bilan's
/// rules: what `fnp bilan` shows, and the web page's bilan document.
pub fn calculer(regles: &crate::rules::Regles, d: &super::DossierLu) -> crate::bilan::Bilan {
    let parametres = regles.parametres_pour(&d.lu.dossier);
    let mut bilan = crate::bilan::calculer(&d.lu.dossier, &parametres, &regles.plan);
    (bilan.constats, bilan.constats_du_bilan) = crate::bilan::constats_du_bilan(&d.lu, regles, &d.resultat);
    bilan
}

fn rendre(format: FormatBilan, e: &EnTete, b: &crate::bilan::Bilan, w: &mut dyn Write) -> std::io::Result<()> {
    match format {
        // The text formats show no control character of the dossier's (report::visible).
        FormatBilan::Table => sortie::table(e, b, &mut crate::report::visible::Visible::new(w)),
        FormatBilan::Markdown => sortie::markdown(e, b, &mut crate::report::visible::Visible::new(w)),
        FormatBilan::Csv => sortie::csv(e, b, w),
        FormatBilan::Json => sortie::json(e, b, w),
        FormatBilan::Html => Ok(()),
    }
}

/// Many bilans (or a folder of them): one line each on the terminal and, with `--report`,
/// the instructor's files (bilan::lot).
fn lot(s: &BilanSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    use rayon::prelude::*;

    use crate::bilan::lot::LigneLot;
    use crate::lecture::decouverte::{self, Entree};

    if s.sortie.is_some() || s.format != FormatBilan::Table {
        return Err(Erreur::Autre(
            "pour plusieurs bilans, -o et --format ne s'appliquent pas : utilisez --report DOSSIER (bilans.csv, constats.csv, bilans.json, rapport.html)".into(),
        ));
    }
    let regles = charger_regles(s.regles.as_deref())?;
    let sorties: Vec<PathBuf> = s.rapport.iter().filter_map(|d| crate::ecriture::atomique::chemin_reel(d)).collect();
    for (d, reel) in s.rapport.iter().zip(&sorties) {
        if s.chemins.iter().any(|c| crate::ecriture::atomique::chemin_reel(c).as_ref() == Some(reel)) {
            return Err(Erreur::Autre(format!(
                "{} est aussi une entrée : choisissez un répertoire de sortie qui ne soit pas lu",
                d.affiche()
            )));
        }
    }
    // The report folder is created (marked as fnp's) if missing and locked for the run.
    let _verrou = match &s.rapport {
        Some(d) => Some(crate::ecriture::verrou::preparer_sortie(d).map_err(Erreur::Autre)?),
        None => None,
    };
    if let Some(d) = &s.rapport
        && !s.force
        && let Some(f) = crate::bilan::lot::FICHIERS.iter().map(|f| d.join(f)).find(|f| f.exists())
    {
        return Err(Erreur::Autre(format!("{} existe déjà : ajoutez --force pour le remplacer", f.affiche())));
    }
    let decouverte = decouverte::decouvrir_tout(&s.chemins, s.suivre_liens);
    if decouverte.entrees.is_empty() {
        let noms: Vec<String> = s.chemins.iter().map(|c| crate::lecture::texte_chemin(c)).collect();
        return Err(Erreur::AucunDossier(noms.join(", ")));
    }
    let limites = crate::lecture::limites::Limites::default();
    let copies = std::sync::Mutex::new(Vec::new());
    let lignes: Vec<LigneLot> = decouverte
        .entrees
        .par_iter()
        .enumerate()
        .filter_map(|(i, entree)| {
            // Once interrupted, the files left are passed over.
            if crate::interrompu() {
                return None;
            }
            let affiche = crate::lecture::nom_affiche(entree.chemin());
            let lu = match entree {
                Entree::Introuvable { raison, .. } => Err(raison.clone()),
                Entree::Fichier(c) => crate::lecture::lire_avec(c, &affiche, &limites).map_err(|e| e.message),
            };
            Some(match lu {
                Err(raison) => LigneLot::illisible(i + 1, &affiche, raison, Vec::new()),
                Ok(lu) if lu.dossier.lignes_rejetees => LigneLot::illisible(
                    i + 1,
                    &affiche,
                    format!("des lignes du budget sont illisibles (voir fnp check {affiche})"),
                    Vec::new(),
                ),
                Ok(lu) => {
                    let parametres = regles.parametres_pour(&lu.dossier);
                    let mut bilan = crate::bilan::calculer(&lu.dossier, &parametres, &regles.plan);
                    let dossier = crate::bilan::verifier(&affiche, &lu, &regles);
                    (bilan.constats, bilan.constats_du_bilan) = crate::bilan::constats_du_bilan(&lu, &regles, &dossier);
                    let constats = bilan.constats.clone();
                    // fnp's own annotated copy among the files: a bilan like any other, said.
                    if dossier.copie_de_fnp && matches!(entree, Entree::Fichier(c) if !s.chemins.contains(c)) {
                        copies.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(affiche.clone());
                    }
                    let mut ligne = LigneLot::lisible(i + 1, EnTete::de(&affiche, &lu.dossier), bilan, constats);
                    ligne.copie_de_fnp = dossier.copie_de_fnp;
                    ligne
                }
            })
        })
        .collect();
    if crate::interrompu() {
        return Err(Erreur::Interrompu);
    }
    let mut lignes = lignes;
    for (k, l) in lignes.iter_mut().enumerate() {
        l.numero = k + 1;
    }
    let mut copies = copies.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    copies.sort();
    let mut tampon = std::io::BufWriter::new(&mut *out);
    let mut ecrire = || -> std::io::Result<()> {
        for l in &lignes {
            writeln!(tampon, "{}", crate::report::visible(&l.resume()))?;
        }
        let t = crate::bilan::lot::synthese(&lignes);
        let s = |n: usize| if n > 1 { "s" } else { "" };
        writeln!(
            tampon,
            "\nBilan : {} — {} complet{}, {} incomplet{}, {} illisible{} ; {} conforme{}, {} à vérifier, {} non conforme{}",
            crate::report::pluriel(t.bilans, "action", "actions"),
            t.complet,
            s(t.complet),
            t.incomplet,
            s(t.incomplet),
            t.illisible,
            s(t.illisible),
            t.conforme,
            s(t.conforme),
            t.a_verifier,
            t.non_conforme,
            s(t.non_conforme),
        )?;
        tampon.flush()
    };
    crate::ecrire_sans_tuyau_casse(ecrire())?;
    for ligne in decouverte.lignes_ecartees().into_iter().chain(super::check::ligne_copies_de_fnp(&copies)) {
        eprintln!("{}", crate::report::visible(&ligne));
    }
    if let Some(d) = &s.rapport {
        crate::bilan::lot::ecrire(d, &lignes, &regles.ecarts, s.force).map_err(Erreur::ecriture)?;
    }
    // As `fnp check`: an unreadable file is 2, else an error of the bilan's rules is 1.
    let erreur = lignes.iter().any(|l| l.constats.iter().any(|c| c.gravite == crate::rules::Gravite::Erreur));
    Ok(if lignes.iter().any(|l| l.etat == "illisible") {
        code::ECHEC
    } else if erreur {
        code::NON_CONFORME
    } else {
        code::OK
    })
}
