//! `fnp check --report DIR`: `synthese.csv` (one row per dossier) and `constats.csv` (one row
//! per finding), both for French Excel, `synthese.json` (the JSON of cli.md) and
//! `rapport.html` (one self-contained page). The CSV and the JSON are written to
//! temporary files as the batch goes, then all three are renamed into place at the end: an
//! interrupted batch leaves no report.

use crate::lecture::Affiche;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tempfile::NamedTempFile;

use super::{Rapport, Synthese};
use crate::budget::texte_deux_decimales;
use crate::check::{Constat, Resultat};
use crate::ecriture::tableur;
use crate::render;

pub const FICHIERS: [&str; 4] = ["synthese.csv", "synthese.json", "rapport.html", "constats.csv"];

#[derive(Serialize)]
struct DossierRapport {
    numero: usize,
    source: String,
    /// The file's name, shown first (issue 33), the path under it.
    nom: String,
    verdict: &'static str,
    verdict_libelle: &'static str,
    /// Rules v4: `complet`, `incomplet` for a dossier that holds a bilan.
    bilan: Option<&'static str>,
    /// The lines without actual amounts of an incomplete bilan, named.
    bilan_manquants: Vec<String>,
    copie_de_fnp: bool,
    porteur: String,
    axe_volet: String,
    type_action: String,
    /// The type in French, as the page shows it (`café des parents`).
    type_libelle: String,
    erreurs: usize,
    avertissements: usize,
    infos: usize,
    demande_fnp: Option<String>,
    montant_max_fnp: Option<String>,
    constats: Vec<Constat>,
    /// The annotated copy: its link from the report's folder, and how it was made.
    copie: Option<LienCopie>,
}

#[derive(Serialize)]
struct LienCopie {
    lien: Option<String>,
    en_place: bool,
    remarque: Option<String>,
}

#[derive(Serialize)]
struct Contexte<'a> {
    version: &'static str,
    genere_le: String,
    synthese: &'a Synthese,
    dossiers: &'a [DossierRapport],
}

/// The report files of a batch, filled dossier by dossier: into temporary files of the
/// report folder (`fnp check --report`, [`Rapports::ouvrir`]), or in memory (the web page's
/// zip, [`Rapports::en_memoire`]).
pub struct Rapports<S: Write = NamedTempFile> {
    dossier: PathBuf,
    force: bool,
    csv: csv::Writer<BufWriter<S>>,
    /// One row per finding (`constats.csv`), for an instructor to filter in Excel.
    constats: csv::Writer<BufWriter<S>>,
    json: BufWriter<S>,
    json_ecrivain: super::json::Json,
    lignes: Vec<DossierRapport>,
    /// The annotation folder, as a link from the report's folder (`../annotes`).
    copies: Option<String>,
}

fn err(fichier: &Path, e: impl Into<EchecEcriture>) -> String {
    let raison = match e.into() {
        EchecEcriture::Io(e) => crate::lecture::description_io(&e),
        EchecEcriture::Autre(t) => t,
    };
    format!("{} : écriture impossible : {raison}", fichier.affiche())
}

/// What failed while writing a report: the system (said in French) or the CSV writer.
pub enum EchecEcriture {
    Io(std::io::Error),
    Autre(String),
}

impl From<std::io::Error> for EchecEcriture {
    fn from(e: std::io::Error) -> Self {
        EchecEcriture::Io(e)
    }
}

impl From<&std::io::Error> for EchecEcriture {
    fn from(e: &std::io::Error) -> Self {
        EchecEcriture::Io(match e.raw_os_error() {
            Some(code) => std::io::Error::from_raw_os_error(code),
            None => std::io::Error::new(e.kind(), e.to_string()),
        })
    }
}

impl From<csv::Error> for EchecEcriture {
    fn from(e: csv::Error) -> Self {
        match e.into_kind() {
            csv::ErrorKind::Io(e) => EchecEcriture::Io(e),
            autre => EchecEcriture::Autre(format!("{autre:?}")),
        }
    }
}

impl Rapports<NamedTempFile> {
    /// Prepares the files in `dossier` (which must exist, locked by the caller with
    /// `io::verrou::preparer_sortie`).
    pub fn ouvrir(dossier: &Path, force: bool) -> Result<Rapports, String> {
        for f in FICHIERS {
            if dossier.join(f).exists() && !force {
                return Err(format!("{} existe déjà : ajoutez --force pour le remplacer", dossier.join(f).affiche()));
            }
        }
        Rapports::avec(dossier, force, || {
            crate::ecriture::atomique::temporaire_dans(dossier).map_err(|e| err(dossier, e))
        })
    }

    /// The annotated copies are written in `copies`: the page links to them.
    pub fn lier_copies(&mut self, copies: &Path) {
        let (Some(de), Some(vers)) =
            (crate::ecriture::atomique::chemin_reel(&self.dossier), crate::ecriture::atomique::chemin_reel(copies))
        else {
            return;
        };
        let (a, b): (Vec<_>, Vec<_>) = (de.components().collect(), vers.components().collect());
        let commun = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let mut lien: Vec<String> = std::iter::repeat_n("..".to_string(), a.len() - commun).collect();
        lien.extend(b[commun..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
        self.copies = Some(lien.join("/"));
    }

    /// Writes the summary, the HTML page, and renames the files into place.
    pub fn terminer(self, synthese: &Synthese) -> Result<(), String> {
        let d = self.dossier.clone();
        let force = self.force;
        let (csv, json, html, constats) = self.finir(synthese)?;
        // All or nothing: a full disk or a failure leaves the previous set of reports whole.
        let mut page = crate::ecriture::atomique::temporaire_dans(&d).map_err(|e| err(&d.join(FICHIERS[2]), e))?;
        page.write_all(html.as_bytes()).map_err(|e| err(&d.join(FICHIERS[2]), e))?;
        let fichiers = [(csv, FICHIERS[0]), (json, FICHIERS[1]), (page, FICHIERS[2]), (constats, FICHIERS[3])];
        crate::ecriture::atomique::mettre_en_place(
            fichiers.into_iter().map(|(f, nom)| (f, d.join(nom))).collect(),
            force,
        )
    }
}

impl Rapports<Vec<u8>> {
    /// The report files in memory (the web page's zip); `copies` is the annotated copies'
    /// folder as a link from the reports' (`../copies annotées`), if any.
    pub fn en_memoire(copies: Option<String>) -> Result<Rapports<Vec<u8>>, String> {
        let mut r = Rapports::avec(Path::new("rapports"), true, || Ok(Vec::new()))?;
        r.copies = copies;
        Ok(r)
    }

    /// The four files, named as in the report folder.
    pub fn fichiers(self, synthese: &Synthese) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
        let (csv, json, html, constats) = self.finir(synthese)?;
        Ok(vec![(FICHIERS[0], csv), (FICHIERS[1], json), (FICHIERS[2], html.into_bytes()), (FICHIERS[3], constats)])
    }
}

/// The columns of one finding in a `constats.csv`, after those of its dossier: the same in
/// `fnp check --report` and `fnp bilan --report`.
pub const ENTETES_CONSTAT: [&str; 6] =
    ["Règle", "Règle (titre)", "Gravité", "Message", "Où (cellule ou ligne)", "Source"];

/// One finding's cells under [`ENTETES_CONSTAT`], safe for a spreadsheet; its source by title
/// and section.
pub fn colonnes_constat(k: &Constat) -> [String; 6] {
    let t = tableur::texte_sur;
    let source = match (&k.source_titre, &k.section) {
        (Some(s), Some(x)) => format!("{s}, {x}"),
        (Some(s), None) => s.clone(),
        _ => String::new(),
    };
    [
        t(&k.regle),
        t(k.titre.as_deref().unwrap_or("")),
        k.gravite.as_str().to_string(),
        t(&k.message),
        t(&k.lieu),
        t(&source),
    ]
}

impl<S: Write> Rapports<S> {
    fn avec(
        dossier: &Path,
        force: bool,
        mut nouveau: impl FnMut() -> Result<S, String>,
    ) -> Result<Rapports<S>, String> {
        // French Excel: UTF-8 with a BOM, `;` between cells, French headers.
        let mut tableur_fr = |entetes: &[&str]| -> Result<csv::Writer<BufWriter<S>>, String> {
            let mut brut = BufWriter::new(nouveau()?);
            brut.write_all("\u{feff}".as_bytes()).map_err(|e| err(dossier, e))?;
            let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(brut);
            w.write_record(entetes).map_err(|e| err(dossier, e))?;
            Ok(w)
        };
        // Issue 33: the file's name first (Excel's first column shows it whole), its path in a
        // column of its own; types and rules in words beside their codes.
        let csv = tableur_fr(&[
            "Fichier",
            "Chemin",
            "Verdict",
            // Rules v4: « bilan complet », « bilan incomplet », empty for a dossier.
            "Bilan",
            "Porteur",
            "Exercice",
            "Axe",
            "Volet",
            "Type d'action",
            "Type (code)",
            "Erreurs",
            "Avertissements",
            "Informations",
            "Total des charges",
            "Dépenses éligibles",
            "Base du plafond",
            "Plafond Caf",
            "Financement Caf",
            "Demande FNP",
            "Montant FNP maximal",
            "Règles",
            "Règles (titres)",
            "Copie annotée",
            "Annotation",
            // Hostile round 4: fnp's own copy among the received files, checked all the same.
            "Remarque",
        ])?;
        let constats = tableur_fr(&[&["Fichier", "Chemin", "Verdict", "Porteur"][..], &ENTETES_CONSTAT[..]].concat())?;
        let mut json = BufWriter::new(nouveau()?);
        let mut json_ecrivain = super::json::Json::default();
        json_ecrivain.debut(&mut json).map_err(|e| err(dossier, e))?;
        Ok(Rapports {
            dossier: dossier.to_path_buf(),
            force,
            csv,
            constats,
            json,
            json_ecrivain,
            lignes: Vec::new(),
            copies: None,
        })
    }

    /// Adds one dossier to the three files.
    pub fn ajouter(&mut self, r: &Resultat) -> Result<(), String> {
        let t = tableur::texte_sur;
        let c = r.compteurs();
        let o = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        let mut regles: Vec<&str> = r.constats.iter().map(|c| c.regle.as_str()).collect();
        regles.dedup();
        for k in &r.constats {
            let dossier = [
                t(crate::model::noms::nom_de_fichier(&r.source)),
                t(&r.source),
                r.verdict.libelle().to_string(),
                t(r.porteur.as_deref().unwrap_or("")),
            ];
            self.constats
                .write_record(dossier.into_iter().chain(colonnes_constat(k)))
                .map_err(|e| err(&self.dossier, e))?;
        }
        let mut ligne = vec![
            t(crate::model::noms::nom_de_fichier(&r.source)),
            t(&r.source),
            r.verdict.libelle().to_string(),
            r.bilan.as_ref().map(|b| format!("bilan {}", b.etat())).unwrap_or_default(),
            t(r.porteur.as_deref().unwrap_or("")),
            o(r.exercice),
            o(r.axe),
            o(r.volet),
            t(&r.type_action
                .as_deref()
                .map(|x| crate::model::schema::libelle_valeur("action.type", x))
                .unwrap_or_default()),
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
        let mut titres: Vec<&str> = r.constats.iter().filter_map(|c| c.titre.as_deref()).collect();
        titres.dedup();
        ligne.push(t(&titres.join(" ; ")));
        match &r.annotation {
            Some(a) => {
                ligne.push(t(a.fichier.as_deref().unwrap_or("")));
                ligne.push(t(&match (a.en_place, &a.remarque) {
                    (true, Some(m)) => format!("sur le classeur reçu ; {m}"),
                    (true, None) => "sur le classeur reçu".to_string(),
                    (false, Some(m)) => m.clone(),
                    (false, None) => "reconstruite sur le modèle de fnp".to_string(),
                }));
            }
            None => ligne.extend([String::new(), String::new()]),
        }
        ligne.push(if r.copie_de_fnp { "copie annotée par fnp, inchangée".into() } else { String::new() });
        self.csv.write_record(&ligne).map_err(|e| err(&self.dossier, e))?;
        self.json_ecrivain.dossier(r, &mut self.json).map_err(|e| err(&self.dossier, e))?;
        self.lignes.push(DossierRapport {
            numero: self.lignes.len() + 1,
            source: r.source.clone(),
            verdict: r.verdict.as_str(),
            nom: crate::model::noms::nom_de_fichier(&r.source).to_string(),
            verdict_libelle: r.verdict.libelle(),
            bilan: r.bilan.as_ref().map(|b| b.etat()),
            bilan_manquants: r.bilan.as_ref().map(|b| b.lignes_non_renseignees.clone()).unwrap_or_default(),
            copie_de_fnp: r.copie_de_fnp,
            porteur: r.porteur.clone().unwrap_or_default(),
            axe_volet: match (r.axe, r.volet) {
                (Some(a), Some(v)) => format!("{a}.{v}"),
                _ => String::new(),
            },
            type_action: r.type_action.clone().unwrap_or_default(),
            type_libelle: r
                .type_action
                .as_deref()
                .map(|t| crate::model::schema::libelle_valeur("action.type", t))
                .unwrap_or_default(),
            erreurs: c.erreur,
            avertissements: c.avertissement,
            infos: c.info,
            demande_fnp: r.budget.as_ref().map(|b| texte_deux_decimales(&b.demande_fnp)),
            montant_max_fnp: r.budget.as_ref().map(|b| texte_deux_decimales(&b.montant_max_fnp)),
            constats: r.constats.clone(),
            copie: r.annotation.as_ref().map(|a| LienCopie {
                lien: a.fichier.as_ref().zip(self.copies.as_ref()).map(|(f, d)| {
                    let chemin = if d.is_empty() { f.clone() } else { format!("{d}/{f}") };
                    // The copy's name is the text fnp shows (io::texte_chemin), a backslash
                    // included; only Windows separates folders with it.
                    super::sarif::uri(&if cfg!(windows) { chemin.replace('\\', "/") } else { chemin })
                }),
                en_place: a.en_place,
                remarque: a.remarque.clone(),
            }),
        });
        Ok(())
    }

    /// Ends the files: the JSON closed with the summary, the HTML page rendered.
    fn finir(mut self, synthese: &Synthese) -> Result<(S, S, String, S), String> {
        let d = self.dossier.clone();
        self.json_ecrivain.fin(synthese, &mut self.json).map_err(|e| err(&d, e))?;
        let contexte = Contexte {
            version: env!("CARGO_PKG_VERSION"),
            genere_le: render::aujourd_hui(),
            synthese,
            dossiers: &self.lignes,
        };
        let env = render::environnement(None)?;
        let html = render::rendre(&env, "rapport.html.j2", &contexte)?;
        let csv =
            self.csv.into_inner().map_err(|e| err(&d, e.error()))?.into_inner().map_err(|e| err(&d, e.error()))?;
        let json = self.json.into_inner().map_err(|e| err(&d, e.error()))?;
        let constats =
            self.constats.into_inner().map_err(|e| err(&d, e.error()))?.into_inner().map_err(|e| err(&d, e.error()))?;
        Ok((csv, json, html, constats))
    }
}
