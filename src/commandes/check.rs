//! `fnp check PATH...`: read and check every dossier, in parallel, in a stable order; print
//! the findings; write the batch reports and the annotated workbooks.

use crate::lecture::Affiche;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::{self, CopieAnnotee, Resultat};
use crate::lecture::decouverte::{self, Entree};
use crate::lecture::limites::Limites;
use crate::lecture::{self, Lu};
use crate::rules::Regles;
use crate::{CheckSettings, Erreur, Format, charger_regles, code, ecrire_sans_tuyau_casse, report};

/// Reads one input; any failure of a reader (a panic included, see `lecture::lire_avec`) is an
/// unreadable file.
fn lire_isole(entree: &Entree, limites: &Limites) -> Result<Lu, lecture::Illisible> {
    let affiche = lecture::nom_affiche(entree.chemin());
    match entree {
        Entree::Introuvable { raison, .. } => Err(lecture::Illisible::sans_position(&affiche, raison.clone())),
        Entree::Fichier(chemin) => lecture::lire_avec(chemin, &affiche, limites),
    }
}

/// Reads and checks every dossier of the paths, in parallel, results in a stable order.
pub fn verifier_chemins(chemins: &[PathBuf], regles: &Regles) -> Result<Vec<Resultat>, Erreur> {
    let mut tous = Vec::new();
    let entrees = decouverte::decouvrir(chemins);
    verifier_avec(chemins, &entrees, regles, &Limites::default(), false, None, &|_, _, _| None, &mut |r| {
        tous.push(r);
        Ok(())
    })?;
    Ok(tous)
}

/// What is done with each dossier read, in a worker thread: its annotated copy, if any.
type Apres<'a> = dyn Fn(&Entree, &Lu, &Resultat) -> Option<CopieAnnotee> + Sync + 'a;

/// Dossiers checked in parallel before their results are handed over, in order.
const PAQUET: usize = 256;

/// Reads and checks every dossier, `PAQUET` at a time in parallel; `apres` sees each dossier
/// that could be read (in a worker thread), `rendre` receives every result in a stable
/// order. At most two batches of results are held at a time.
#[allow(clippy::too_many_arguments)]
fn verifier_avec(
    chemins: &[PathBuf],
    entrees: &[Entree],
    regles: &Regles,
    limites: &Limites,
    barre: bool,
    pool: Option<&rayon::ThreadPool>,
    apres: &Apres<'_>,
    rendre: &mut dyn FnMut(Resultat) -> Result<(), Erreur>,
) -> Result<Vec<String>, Erreur> {
    if entrees.is_empty() {
        let noms: Vec<String> = chemins.iter().map(|c| lecture::texte_chemin(c)).collect();
        return Err(Erreur::AucunDossier(noms.join(", ")));
    }
    let progression = if barre && entrees.len() > 1 && std::io::stderr().is_terminal() {
        let p = indicatif::ProgressBar::new(entrees.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} dossiers vérifiés ({eta} restantes)")
        {
            p.set_style(style);
        }
        Some(p)
    } else {
        None
    };
    let copies_de_fnp = std::sync::Mutex::new(Vec::new());
    // Once interrupted, every worker passes over the files it has left: the run ends within
    // the time of the files being read, whatever the batch size.
    let un = |entree: &Entree| -> Option<Resultat> {
        if crate::interrompu() {
            return None;
        }
        let affiche = lecture::nom_affiche(entree.chemin());
        let r = match lire_isole(entree, limites) {
            Ok(lu) => {
                let mut r = crate::bilan::verifier(&affiche, &lu, regles);
                // fnp's own copy among the received files is a dossier like any other, its
                // row says it is fnp's copy (hostile round 4); said once at the end too.
                if r.copie_de_fnp && copie_trouvee(entree, chemins) {
                    copies_de_fnp.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(affiche.clone());
                }
                r.annotation = apres(entree, &lu, &r);
                r
            }
            Err(e) => check::illisible(&affiche, e, regles),
        };
        if let Some(p) = &progression {
            p.inc(1);
        }
        Some(r)
    };
    let calcul = |paquet: &[Entree]| -> Vec<Resultat> { paquet.par_iter().filter_map(un).collect() };
    if let [seule] = entrees
        && pool.is_none()
    {
        // One dossier, the treasurer's usual run: checked on this thread. Starting the
        // workers and the writer's thread would cost more than the check (docs/performance.md).
        if let Some(r) = un(seule) {
            rendre(r)?;
        }
    } else {
        verifier_par_paquets(entrees, pool, &calcul, rendre)?;
    }
    if let Some(p) = progression {
        p.finish_and_clear();
    }
    if crate::interrompu() {
        return Err(Erreur::Interrompu);
    }
    let mut copies = copies_de_fnp.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    copies.sort();
    Ok(copies)
}

/// Whether an annotated copy of fnp's was found in a folder (not given by name).
fn copie_trouvee(entree: &Entree, chemins: &[PathBuf]) -> bool {
    matches!(entree, Entree::Fichier(chemin) if !chemins.contains(chemin))
}

/// What the terminal says of fnp's own annotated copies found among the received files: each
/// is checked as a dossier (its row says so), never left aside.
pub(crate) fn ligne_copies_de_fnp(copies: &[String]) -> Option<String> {
    const MONTREES: usize = 5;
    let (premieres, reste) = copies.split_at(copies.len().min(MONTREES));
    let mut liste = premieres.join(", ");
    if !reste.is_empty() {
        liste.push_str(&format!(" et {} de plus", reste.len()));
    }
    match copies.len() {
        0 => None,
        1 => Some(format!(
            "1 copie annotée par fnp, inchangée depuis que fnp l'a écrite, vérifiée comme un dossier (renvoyée telle quelle ?) : {liste}"
        )),
        n => Some(format!(
            "{n} copies annotées par fnp, inchangées depuis que fnp les a écrites, vérifiées comme des dossiers (renvoyées telles quelles ?) : {liste}"
        )),
    }
}

/// Checks the dossiers `PAQUET` at a time in parallel, results handed over in order.
fn verifier_par_paquets(
    entrees: &[Entree],
    pool: Option<&rayon::ThreadPool>,
    calcul: &(dyn Fn(&[Entree]) -> Vec<Resultat> + Sync),
    rendre: &mut dyn FnMut(Resultat) -> Result<(), Erreur>,
) -> Result<(), Erreur> {
    // The next batch is checked while the results of the current one are handed over, so
    // writing the output never leaves the workers idle; at most two batches are held.
    std::thread::scope(|portee| -> Result<(), Erreur> {
        let lancer = |paquet| {
            portee.spawn(move || match pool {
                Some(p) => p.install(|| calcul(paquet)),
                None => calcul(paquet),
            })
        };
        let mut paquets = entrees.chunks(PAQUET);
        let mut en_cours = paquets.next().map(lancer);
        while let Some(tache) = en_cours.take() {
            let resultats = tache.join().unwrap_or_else(|panique| std::panic::resume_unwind(panique));
            if !crate::interrompu() {
                en_cours = paquets.next().map(lancer);
            }
            for r in resultats {
                if crate::interrompu() {
                    break;
                }
                rendre(r)?;
            }
        }
        Ok(())
    })
}

/// What the annotated copies of a batch came to, said once at the end.
#[derive(Default)]
struct BilanCopies {
    en_place: usize,
    rebaties: usize,
    echecs: usize,
    raisons_echec: Vec<String>,
    /// The copy written last and its dossier's verdict: a run of one dossier (the
    /// treasurer's) names it and says what to do with it.
    derniere: Option<(String, crate::check::Verdict)>,
}

impl BilanCopies {
    fn ajouter(&mut self, r: &Resultat) {
        let Some(c) = &r.annotation else { return };
        if let Some(f) = &c.fichier {
            self.derniere = Some((f.clone(), r.verdict));
        }
        match (&c.fichier, c.en_place) {
            (None, _) => {
                self.echecs += 1;
                self.raisons_echec.push(format!("{} : {}", r.source, c.remarque.as_deref().unwrap_or_default()));
            }
            (Some(_), true) => self.en_place += 1,
            (Some(_), false) => self.rebaties += 1,
        }
    }

    fn ligne(&self, dossier: &Path) -> Option<String> {
        let total = self.en_place + self.rebaties;
        if total + self.echecs == 0 {
            return None;
        }
        // One dossier: which file to correct, or to send.
        if total == 1
            && self.echecs == 0
            && let Some((fichier, verdict)) = &self.derniere
        {
            let chemin = dossier.join(fichier);
            return Some(if *verdict == crate::check::Verdict::Conforme {
                format!(
                    "Copie à envoyer à la Caf : {} (dossier conforme : elle ne porte aucune annotation de fnp)",
                    chemin.affiche()
                )
            } else {
                format!(
                    "Copie annotée : {} — corrigez directement cette copie (les commentaires de fnp y sont), enregistrez-la, puis vérifiez-la à nouveau : fnp retire ses anciennes annotations",
                    chemin.affiche()
                )
            });
        }
        let mut l =
            format!("{} dans {}", report::pluriel(total, "copie annotée", "copies annotées"), dossier.affiche());
        if self.rebaties > 0 {
            l.push_str(&format!(
                " ({} sur le modèle de fnp : .xls, .ods ou CSV, voir synthese.csv)",
                report::pluriel(self.rebaties, "reconstruite", "reconstruites")
            ));
        }
        for e in &self.raisons_echec {
            l.push_str(&format!("\n{e}"));
        }
        Some(l)
    }
}

pub fn executer(s: &CheckSettings, sortie: &mut dyn Write) -> Result<u8, Erreur> {
    let mut regles = charger_regles(s.regles.as_deref())?;
    for (id, gravite) in &s.forcages {
        regles.forcer(id, *gravite).map_err(Erreur::Autre)?;
    }
    // An output folder is never an input: neither given as one, nor read inside one.
    let entrees: Vec<&Path> = s.chemins.iter().map(PathBuf::as_path).collect();
    for sortie in s.rapport.iter().chain(s.annoter.iter()) {
        let reel = crate::ecriture::atomique::chemin_reel(sortie);
        if entrees.iter().any(|e| crate::ecriture::atomique::chemin_reel(e).is_some_and(|x| Some(&x) == reel.as_ref()))
        {
            return Err(Erreur::Autre(format!(
                "{} est aussi une entrée : choisissez un répertoire de sortie qui ne soit pas vérifié",
                sortie.affiche()
            )));
        }
    }
    // Each output folder is created (and marked as fnp's) if missing, and locked for the run:
    // a second run on it refuses at once.
    let sorties_du_lot: Vec<&Path> = s.annoter.iter().chain(s.rapport.iter()).map(PathBuf::as_path).collect();
    let _verrous = crate::ecriture::verrou::preparer_sorties(&sorties_du_lot).map_err(Erreur::Autre)?;
    let mut fichiers = match &s.rapport {
        Some(d) => Some(report::fichiers::Rapports::ouvrir(d, s.force).map_err(Erreur::Autre)?),
        None => None,
    };
    // Folders fnp created for its outputs are left aside (and said); an output folder that
    // was there before is searched like any other, its dossiers checked.
    let decouverte = decouverte::decouvrir_tout(&s.chemins, s.suivre_liens);
    let copies = s.annoter.as_ref().map(|d| {
        let mut c = super::annoter::Copies::new(d, s.force, &s.chemins);
        c.proteger_entrees(&decouverte.entrees);
        c
    });
    if let (Some(f), Some(d)) = (fichiers.as_mut(), &s.annoter) {
        f.lier_copies(d);
    }
    let annoter = |entree: &Entree, lu: &Lu, r: &Resultat| -> Option<CopieAnnotee> {
        copies.as_ref().and_then(|c| c.ecrire(entree, lu, r))
    };
    let mut rapport: Box<dyn report::Rapport> = match s.format {
        Format::Humain => {
            Box::new(report::human::Humain { silencieux: s.silencieux, expliquer: s.expliquer, deja_ecrits: 0 })
        }
        Format::Json => Box::new(report::json::Json::default()),
        Format::Junit => Box::new(report::junit::Junit::default()),
        Format::Sarif => Box::new(report::sarif::Sarif::default()),
        Format::Github => Box::new(report::github::Github),
    };
    // Output goes on even if the reader of stdout stops early (`| head`).
    let mut synthese = report::Synthese::default();
    synthese.ignores = decouverte.ignores.clone();
    synthese.regles_modifiees = regles.ecarts.clone();
    let mut code = code::OK;
    let mut tampon = std::io::BufWriter::new(&mut *sortie);
    ecrire_sans_tuyau_casse(rapport.debut(&mut tampon))?;
    let mut bilan_copies = BilanCopies::default();
    // Reports that cannot be written (a full disk) are given up, their temporaries removed
    // at once; every dossier is still shown, and the run ends with the reason (exit 2).
    let mut echec_rapports: Option<String> = None;
    let mut rendre = |r: Resultat| -> Result<(), Erreur> {
        bilan_copies.ajouter(&r);
        ecrire_sans_tuyau_casse(rapport.dossier(&r, &mut tampon))?;
        if let Some(f) = fichiers.as_mut()
            && let Err(e) = f.ajouter(&r)
        {
            fichiers = None;
            echec_rapports = Some(e);
        }
        code = code.max(crate::code_de_sortie(std::slice::from_ref(&r), s.strict));
        synthese.ajouter(&r);
        Ok(())
    };
    let pool = match s.jobs {
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| Erreur::Autre(format!("impossible de lancer {n} tâches : {e}")))?,
        ),
        None => None,
    };
    let copies_de_fnp = verifier_avec(
        &s.chemins,
        &decouverte.entrees,
        &regles,
        &s.limites,
        s.progression,
        pool.as_ref(),
        &annoter,
        &mut rendre,
    )?;
    synthese.terminer();
    ecrire_sans_tuyau_casse(rapport.fin(&synthese, &mut tampon).and_then(|()| tampon.flush()))?;
    if crate::interrompu() {
        return Err(Erreur::Interrompu);
    }
    for ligne in decouverte.lignes_ecartees().into_iter().chain(ligne_copies_de_fnp(&copies_de_fnp)) {
        eprintln!("{}", report::visible::visible(&ligne));
    }
    if let (Some(c), Some(d)) = (&copies, &s.annoter) {
        c.terminer().map_err(Erreur::ecriture)?;
        if let Some(ligne) = bilan_copies.ligne(d) {
            eprintln!("{}", report::visible::visible(&ligne));
        }
        if bilan_copies.echecs > 0 {
            code = code.max(code::ECHEC);
        }
    }
    if let Some(f) = fichiers
        && let Err(e) = f.terminer(&synthese)
    {
        echec_rapports = Some(e);
    }
    if let Some(e) = echec_rapports {
        return Err(Erreur::ecriture(format!("{e} ; aucun rapport n'a été écrit")));
    }
    Ok(code)
}
