//! The engine: a read dossier and the rules in force give findings, a verdict and the budget
//! figures. It never prints.

pub(crate) mod evaluer;

use serde::Serialize;

use crate::budget::{self, Budget};
use crate::lecture::{Emplacement, Illisible, Lu, Texte};
use crate::rules::{Gravite, Regles, Source, Support, remplir_pour};

pub const LECTURE: &str = "LECTURE";
pub const REGLES_EXERCICE: &str = "REGLES-EXERCICE";

/// A finding: one rule that fires, where, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constat {
    pub regle: String,
    pub gravite: Gravite,
    pub message: String,
    pub emplacement: Emplacement,
    /// The source file (or external reference, or document) of the rule, for programs.
    pub source: Option<String>,
    /// The source as people read it: its title, never its file name (rules v2).
    pub source_titre: Option<String>,
    /// The place told in words: « Recettes, 1re ligne, montant (cellule Recettes!C2) ».
    pub lieu: String,
    /// The rule's short title.
    pub titre: Option<String>,
    /// The exact sentence of the source the rule encodes.
    pub citation: Option<String>,
    /// The heading of the source passage.
    pub section: Option<String>,
    /// The pack that decided it (`national`, `rhone`).
    pub pack: Option<String>,
    /// The arithmetic behind it (`fnp check --explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calcul: Option<String>,
    /// Why a local pack changed the rule (its `[[surcharge]]` motif), when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub motif: Option<String>,
    /// The overlay told beside the quoted sentence: « la Caf du Rhône applique 10 : <motif> ».
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surcharge: Option<String>,
    /// It says why a line is left out of the eligible total while that total bounds the FNP
    /// amount: the finding to act on first, placed first (issue 32).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub limite_le_montant: bool,
}

impl Constat {
    /// A finding with no source yet; its place in words comes from its location.
    pub fn nouveau(regle: &str, gravite: Gravite, message: String, emplacement: Emplacement) -> Self {
        Constat {
            regle: regle.to_string(),
            gravite,
            message,
            lieu: emplacement.lieu_lisible(),
            emplacement,
            source: None,
            source_titre: None,
            titre: None,
            citation: None,
            section: None,
            pack: None,
            calcul: None,
            motif: None,
            surcharge: None,
            limite_le_montant: false,
        }
    }

    fn avec_source(mut self, source: &Source, regles: &Regles) -> Self {
        self.source = source.identifiant().map(str::to_string);
        self.source_titre = regles.source_lisible(source);
        self.citation = source.citation.clone();
        self.section = source.section.clone();
        self
    }
}

/// The verdict of a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Conforme,
    AVerifier,
    NonConforme,
    Illisible,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Conforme => "conforme",
            Verdict::AVerifier => "a-verifier",
            Verdict::NonConforme => "non-conforme",
            Verdict::Illisible => "illisible",
        }
    }

    /// French label for people: `à vérifier`.
    pub fn libelle(self) -> &'static str {
        match self {
            Verdict::Conforme => "conforme",
            Verdict::AVerifier => "à vérifier",
            Verdict::NonConforme => "non conforme",
            Verdict::Illisible => "illisible",
        }
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Compteurs {
    pub erreur: usize,
    pub avertissement: usize,
    pub info: usize,
}

/// Everything known about one checked dossier.
#[derive(Debug, Clone)]
pub struct Resultat {
    /// The path as given by the user (or found in a folder).
    pub source: String,
    pub verdict: Verdict,
    pub exercice: Option<i64>,
    pub axe: Option<i64>,
    pub volet: Option<i64>,
    pub type_action: Option<String>,
    pub porteur: Option<String>,
    pub constats: Vec<Constat>,
    /// `None` when the dossier is unreadable or a budget line was rejected.
    pub budget: Option<Budget>,
    /// The source text, to show the offending lines.
    pub texte: Option<Texte>,
    /// The annotated copy written for it (`fnp check --annotate`).
    pub annotation: Option<CopieAnnotee>,
    /// Rules v4: the dossier holds a bilan, checked with the bilan's rules too
    /// (`bilan::verifier`); its completeness. `None`: a dossier without any actual value.
    pub bilan: Option<EtatBilan>,
    /// The file is fnp's own annotated copy, unchanged since fnp wrote it (io::marque): a
    /// dossier like any other, whose row says so (hostile round 4: nothing put in a received
    /// folder leaves the report).
    pub copie_de_fnp: bool,
}

/// What is known of the bilan a dossier holds (rules v4): its completeness, shown beside its
/// verdict (a complete bilan with an erreur is `non-conforme`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EtatBilan {
    /// Every budget line carries its `realise`.
    pub complet: bool,
    /// The lines without `realise`, named as people read them (`dépense « Affiches »`).
    pub lignes_non_renseignees: Vec<String>,
}

impl EtatBilan {
    /// `complet`, `incomplet`: the word of reports and JSON.
    pub fn etat(&self) -> &'static str {
        if self.complet { "complet" } else { "incomplet" }
    }
}

/// The annotated copy of one dossier (`fnp check --annotate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopieAnnotee {
    /// The copy, relative to the annotation folder (`None`: it could not be written).
    pub fichier: Option<String>,
    /// The association's own workbook with comments added (`true`), or a workbook rebuilt
    /// on fnp's template (`false`: xls, ods, CSV, or a workbook fnp cannot edit in place).
    pub en_place: bool,
    /// Why it was rebuilt or not written, in French.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarque: Option<String>,
}

impl Resultat {
    pub fn compteurs(&self) -> Compteurs {
        Compteurs::de(&self.constats)
    }
}

impl Compteurs {
    /// The counts of a set of findings.
    pub fn de(constats: &[Constat]) -> Compteurs {
        let mut c = Compteurs::default();
        for k in constats {
            match k.gravite {
                Gravite::Erreur => c.erreur += 1,
                Gravite::Avertissement => c.avertissement += 1,
                Gravite::Info => c.info += 1,
            }
        }
        c
    }
}

/// The verdict of a set of findings (cli.md, « Findings and verdicts »).
pub fn verdict(constats: &[Constat]) -> Verdict {
    if constats.iter().any(|c| c.regle == LECTURE) {
        Verdict::Illisible
    } else if constats.iter().any(|c| c.gravite == Gravite::Erreur) {
        Verdict::NonConforme
    } else if constats.iter().any(|c| c.gravite == Gravite::Avertissement) {
        Verdict::AVerifier
    } else {
        Verdict::Conforme
    }
}

/// The exercices the national pack covers, in words: « des exercices 2025 et suivants »,
/// « des exercices 2025 à 2027 », « de l'exercice 2025 ».
pub fn exercices_connus(regles: &Regles) -> String {
    let national = regles.national();
    match (national.exercice_du, national.exercice_au) {
        (Some(du), Some(au)) if du == au => format!("de l'exercice {du}"),
        (Some(du), Some(au)) => format!("des exercices {du} à {au}"),
        (Some(du), None) => format!("des exercices {du} et suivants"),
        (None, Some(au)) => format!("des exercices jusqu'à {au}"),
        (None, None) => "de tous les exercices".into(),
    }
}

/// A finding of a built-in id (`SAISIE-*`, `LECTURE`, `REGLES-EXERCICE`): severity, title
/// and source come from the pack when it defines the id.
fn constat_interne(regles: &Regles, id: &str, message: String, emplacement: Emplacement) -> Constat {
    let regle = regles.regle(id);
    let gravite = regle.map_or(Gravite::Erreur, |(_, r)| r.gravite);
    let mut c = Constat::nouveau(id, gravite, message, emplacement);
    c.titre = regle.map(|(_, r)| r.titre.clone());
    c.pack = regle.map(|(p, _)| p.id.clone());
    match regle {
        Some((_, r)) => c.avec_source(&r.source, regles),
        None => c,
    }
}

/// `--deny`, `--warn`, `--allow`: the command line decides last.
pub(crate) fn appliquer_forcages(constats: &mut Vec<Constat>, regles: &Regles) {
    if regles.forcages.is_empty() {
        return;
    }
    constats.retain_mut(|c| match regles.forcages.get(&c.regle) {
        None => true,
        Some(None) => false,
        Some(Some(g)) => {
            c.gravite = *g;
            c.pack = Some("ligne-de-commande".into());
            true
        }
    });
}

/// Findings in the order of every output, as the treasurer acts: what bounds the FNP amount
/// first, then by severity, then by place in the file (a workbook by sheet, row, column).
pub(crate) fn trier(constats: &mut [Constat]) {
    constats.sort_by_cached_key(|c| (!c.limite_le_montant, c.gravite, c.emplacement.rang()));
}

/// A field as the medium names it: its key in TOML, its label in a workbook (a short key of
/// a list of indicators, `parents_qpv`, is looked for in its section).
fn champ_pour(champ: &str, support: Support) -> String {
    if support == Support::Toml {
        return champ.to_string();
    }
    libelle_pour(champ).unwrap_or_else(|| crate::lecture::champ_lisible(champ))
}

/// The label of a key in a workbook, if the schema has one.
fn libelle_pour(cle: &str) -> Option<String> {
    crate::model::schema::libelle_de(cle)
        .or_else(|| crate::model::schema::libelle_de(&format!("indicateurs.{cle}")))
        .map(str::to_string)
}

/// The closed list whose values a message variable holds: by its name for the budget's
/// (`nature`, `eligibles`, `types`, `dispositif`), else the list of the field the finding
/// points at, for the variables that quote its values.
fn cle_de_valeurs<'a>(variable: &str, champ: &'a str) -> Option<&'a str> {
    let cle = match variable {
        "nature" | "eligibles" => "depense.nature",
        "type" | "types" => "action.type",
        "dispositif" => "depense.dispositif",
        "financeur" => "recette.financeur",
        "valeur" | "valeurs" | "attendus" | "hors" => champ,
        _ => return None,
    };
    crate::model::schema::a_des_libelles(cle).then_some(cle)
}

/// `prestation, petit-materiel` → `Prestation, Petit matériel`: each value of the list
/// that the list holds named by its label, anything else left as written.
fn libelles_de_valeurs(cle: &str, valeurs: &str) -> String {
    valeurs
        .split(", ")
        .map(|v| {
            crate::model::schema::libelle_de_liste(cle, v)
                .or_else(|| crate::model::schema::libelle_connu(v))
                .map_or_else(|| v.to_string(), str::to_string)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The finding of one firing of a rule's case.
pub(crate) fn constat_de(
    regle: &crate::rules::Regle,
    cas: &crate::rules::Cas,
    declenchement: evaluer::Declenchement,
    communs: &[(&'static str, String)],
    lu: &Lu,
    regles: &Regles,
) -> Constat {
    // In the words of where the dossier came from: a workbook (or CSV folder) has no text.
    let support = if lu.reperes.texte.is_some() { Support::Toml } else { Support::Classeur };
    let cle_du_champ = crate::model::emplacement::sans_index(&declenchement.champ);
    let en_mots = |(k, v): (&'static str, String)| -> (&'static str, String) {
        if support != Support::Classeur {
            return (k, v);
        }
        match k {
            // Lists of keys (indicators missing, fields not confirmed) named as the medium names them.
            "manquants" | "champs" | "gauche" | "droite" => (
                k,
                v.split(", ")
                    .map(|c| libelle_pour(c).map_or_else(|| c.to_string(), |l| format!("« {l} »")))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            // Values of a closed list named by their labels in a workbook (« Petit matériel »,
            // never `petit-materiel`), as the template's drop-downs show them.
            _ => match cle_de_valeurs(k, &cle_du_champ) {
                Some(cle) => (k, libelles_de_valeurs(cle, &v)),
                None => (k, v),
            },
        }
    };
    let mut vars: Vec<(&'static str, String)> = communs.iter().cloned().map(en_mots).collect();
    let champ = declenchement.champ_affiche.clone().unwrap_or_else(|| declenchement.champ.clone());
    vars.push(("champ", champ_pour(&champ, support)));
    vars.extend(declenchement.variables.into_iter().map(en_mots));
    let message = remplir_pour(cas.message(declenchement.situation), &vars, support);
    let emplacement = lu.reperes.emplacement(&declenchement.champ);
    let mut c = Constat::nouveau(&regle.id, regle.gravite, message, emplacement);
    c.titre = Some(regle.titre.clone());
    c.pack = Some(regle.pack.clone());
    c.calcul = declenchement.calcul;
    c.motif = regle.motif.clone();
    c.surcharge = regle.surcharge.clone();
    c.avec_source(&regle.source, regles)
}

/// The result for a file that could not be read.
pub fn illisible(source: &str, erreur: Illisible, regles: &Regles) -> Resultat {
    let Illisible { message, emplacement, autres, texte } = erreur;
    // One finding per reason, in file order (every syntax error of a TOML dossier).
    let constats = std::iter::once(constat_interne(regles, LECTURE, message, emplacement))
        .chain(autres.into_iter().map(|p| constat_interne(regles, LECTURE, p.message, p.emplacement)))
        .collect();
    Resultat {
        source: source.to_string(),
        verdict: Verdict::Illisible,
        exercice: None,
        axe: None,
        volet: None,
        type_action: None,
        porteur: None,
        constats,
        budget: None,
        texte,
        annotation: None,
        bilan: None,
        copie_de_fnp: false,
    }
}

/// The action type as people write it (« Café des parents », « cafe des parents »): a type
/// of the packs once case, accents, spaces and punctuation are set aside. `None` when the
/// dossier already names a type exactly, or names none the packs know (GEN-TYPE-ACTION says so).
fn type_nomme(dossier: &crate::model::Dossier, regles: &Regles) -> Option<crate::model::Dossier> {
    let crate::model::Valeur::Texte(ecrit) = dossier.champs.get("action.type")? else { return None };
    let t = regles.type_nomme(ecrit).filter(|t| *t != ecrit)?;
    let mut d = dossier.clone();
    d.champs.insert("action.type", crate::model::Valeur::Texte(t.to_string()));
    Some(d)
}

/// Checks a dossier that was read.
pub fn verifier(source: &str, lu: &Lu, regles: &Regles) -> Resultat {
    let Lu { dossier, saisies, reperes, .. } = lu;
    let nomme;
    let dossier = match type_nomme(dossier, regles) {
        Some(d) => {
            nomme = d;
            &nomme
        }
        None => dossier,
    };
    let selection = regles.selection(dossier);
    let portees = crate::rules::Portees::de(dossier);
    let parametres_dossier = regles.parametres_selon(&selection, dossier.exercice());
    let parametres = &parametres_dossier;
    let mut constats: Vec<Constat> = saisies
        .iter()
        .map(|s| {
            let emplacement = match &s.etendue {
                Some(e) => reperes.a_l_etendue(Some(&s.champ), e.clone()),
                None => reperes.emplacement(&s.champ),
            };
            constat_interne(regles, s.regle, s.message.clone(), emplacement)
        })
        .collect();

    let mut budget = budget::calculer(dossier, parametres);
    let classeur = lu.reperes.texte.is_none();
    budget.explication = budget::explication::explication(dossier, &budget, parametres, classeur);
    let limite = !dossier.lignes_rejetees && budget.limite_par_eligibles();
    if !selection.exercice_couvert
        && let Some(e) = dossier.exercice()
    {
        let connus = exercices_connus(regles);
        let vars = [("exercice", e.to_string()), ("exercices_connus", connus.clone())];
        // Rules v4: the words come from the pack's message when it gives one.
        let message = match regles.regle(REGLES_EXERCICE).map(|(_, r)| r.message()).filter(|m| !m.is_empty()) {
            Some(modele) => remplir_pour(modele, &vars, Support::Toml),
            None => format!(
                "aucune règle en vigueur pour l'exercice {e} : fnp connaît les règles {connus} ; vérifiez l'exercice du dossier"
            ),
        };
        constats.push(constat_interne(regles, REGLES_EXERCICE, message, reperes.emplacement("exercice")));
    }

    let communs = evaluer::variables_communes(dossier);
    for (_, regle) in &selection.regles {
        for cas in regle.cas_pour(&portees) {
            let v = &cas.verification;
            // The bilan's rules are `fnp bilan`'s (`bilan::constats_bilan`): a dossier is checked
            // the same whether or not it carries its bilan.
            if v.du_bilan()
                || v.champs().iter().any(|c| dossier.rejete(c))
                || (v.lit_le_budget() && dossier.lignes_rejetees)
            {
                continue;
            }
            for declenchement in evaluer::evaluer(v, dossier, &budget, parametres, regles) {
                let mut c = constat_de(regle, cas, declenchement, &communs, lu, regles);
                c.limite_le_montant = limite && v.explique_l_eligibilite();
                constats.push(c);
            }
        }
    }

    appliquer_forcages(&mut constats, regles);
    trier(&mut constats);
    let verdict = verdict(&constats);
    Resultat {
        source: source.to_string(),
        verdict,
        exercice: dossier.exercice(),
        axe: dossier.axe(),
        volet: dossier.volet(),
        type_action: dossier.type_action().map(str::to_string),
        porteur: dossier.porteur().map(str::to_string),
        constats,
        budget: (!dossier.lignes_rejetees).then_some(budget),
        texte: reperes.texte.clone(),
        annotation: None,
        bilan: None,
        copie_de_fnp: false,
    }
}
