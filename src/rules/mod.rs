//! Rule packs: loading them (embedded or from a folder), checking them, and selecting the
//! rules in force for a dossier.
//!
//! A pack is a TOML file of `rules/`. The kinds of check are a closed set ([`Verification`]);
//! every number, list, date, severity, message and source quote is data of the pack.

mod assemblage;
mod champs;
pub mod chargement;
mod ecarts;
pub mod force;
pub mod invalide;
mod modele;
mod verification;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use chargement::{charger_exemples, charger_exemples_prepares, charger_pack_prepare, chevauchent, resoudre_portees};
pub use invalide::PackInvalide;
pub use modele::{Support, remplir, remplir_pour, variables_du_modele};
pub use verification::description::seuils_fr;
pub use verification::{Absence, Borne, NOMS as VERIFICATIONS, Verification};

use crate::model::Dossier;

/// The packs compiled into the binary.
pub const EMBARQUES: &[(&str, &str)] = &[
    ("rules/national.toml", include_str!("../../rules/national.toml")),
    ("rules/rhone.toml", include_str!("../../rules/rhone.toml")),
];

/// The same packs as [`EMBARQUES`], in the order, as build.rs prepared them: their tables in
/// JSON, which reads several times faster than TOML when `fnp` starts.
const EMBARQUES_PREPARES: &[&str] =
    &[include_str!(concat!(env!("OUT_DIR"), "/national.json")), include_str!(concat!(env!("OUT_DIR"), "/rhone.json"))];
const CERFA_PREPARE: &str = include_str!(concat!(env!("OUT_DIR"), "/cerfa.json"));
const EXEMPLES_PREPARES: &str = include_str!(concat!(env!("OUT_DIR"), "/exemples.json"));

/// Excerpts of dossiers that fire each rule, shown by `fnp explain`.
pub const EXEMPLES: &str = include_str!("../../rules/exemples.toml");
pub const NOM_EXEMPLES: &str = "exemples.toml";

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gravite {
    Erreur,
    Avertissement,
    Info,
}

impl Gravite {
    pub fn as_str(self) -> &'static str {
        match self {
            Gravite::Erreur => "erreur",
            Gravite::Avertissement => "avertissement",
            Gravite::Info => "info",
        }
    }
}

impl fmt::Display for Gravite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a rule comes from: a file of `../shared/sources/` and the sentence it encodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// File name in the sources folder (`003_177385de329f9a2c.txt`).
    pub fichier: Option<String>,
    /// The heading of the passage, to find it in the file.
    pub section: Option<String>,
    /// The exact quoted sentence (or part of it), as the file writes it.
    pub citation: Option<String>,
    /// A document of the project itself (the dossier format), not a source text.
    pub document: Option<String>,
    /// An external reference (law, official form) outside the sources folder, shown as such;
    /// lint does not look for it in the sources (rules v2).
    pub reference: Option<String>,
}

impl Source {
    /// What the JSON `source` field shows: the file name, else the reference, else the document.
    pub fn identifiant(&self) -> Option<&str> {
        self.fichier.as_deref().or(self.reference.as_deref()).or(self.document.as_deref())
    }
}

/// The force of a source sentence (rules.md, rules v2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Force {
    Obligation,
    Indication,
    Recommandation,
    /// The sentence holds no force (a description): the rule says why its severity.
    Aucune,
}

impl Force {
    pub fn as_str(self) -> &'static str {
        match self {
            Force::Obligation => "obligation",
            Force::Indication => "indication",
            Force::Recommandation => "recommandation",
            Force::Aucune => "aucune",
        }
    }
}

/// A force's severity and marker words (`[forces.obligation]` of a pack).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionForce {
    pub gravite: Gravite,
    #[serde(default)]
    pub marqueurs: Vec<String>,
}

/// A source file as people read it (`[sources."003_….txt"]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitreSource {
    pub titre: String,
}

/// A condition on a field, in a rule's scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub champ: String,
    /// The field is true (`vrai = true`) or not true (`vrai = false`; absent counts as false).
    pub vrai: Option<bool>,
    /// The field's text value is one of these.
    pub dans: Option<Vec<String>>,
    /// The field's text value is none of these (an absent field matches).
    pub hors: Option<Vec<String>>,
}

/// Where a rule applies. Every given criterion must hold.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Portee {
    /// `"1.1"`, `"3.1"`…
    #[serde(default)]
    pub volets: Vec<String>,
    /// Families of types declared in the pack's `[familles]`.
    #[serde(default)]
    pub familles: Vec<String>,
    #[serde(default)]
    pub types: Vec<String>,
    /// Caf departments.
    #[serde(default)]
    pub departements: Vec<String>,
    pub exercice_du: Option<i64>,
    pub exercice_au: Option<i64>,
    #[serde(default)]
    pub si: Vec<Condition>,
    /// The types of `familles`, resolved when the packs are assembled.
    #[serde(skip)]
    pub types_des_familles: Vec<String>,
}

/// One check of a rule, with its own scope and messages (`[[regle.cas]]`).
#[derive(Debug, Clone)]
pub struct Cas {
    pub portee: Portee,
    pub verification: Verification,
    /// The parameters as written (merged with the rule's), for overlays and `explain`.
    pub parametres: toml::Table,
    /// Message templates by situation: `""` is the main one, others (`absent`, …) are named
    /// by the kind of check.
    pub messages: BTreeMap<String, String>,
}

impl Cas {
    pub fn message(&self, situation: &str) -> &str {
        self.messages.get(situation).or_else(|| self.messages.get("")).map_or("", String::as_str)
    }
}

/// One rule, compiled.
#[derive(Debug, Clone)]
pub struct Regle {
    pub id: String,
    pub gravite: Gravite,
    pub titre: String,
    pub source: Source,
    pub portee: Portee,
    /// The checks: one, or several each with its own scope (`[[regle.cas]]`); every case
    /// whose scope covers the dossier runs.
    pub cas: Vec<Cas>,
    /// The id of the pack that defines it (or that overrides it, for an overlay).
    pub pack: String,
    /// 1-based line of the rule in its pack file.
    pub ligne: usize,
    /// When someone last checked the rule against its source text.
    pub verifie_le: Option<crate::model::Date>,
    /// For an overlay of a local pack: why it changes the national rule.
    pub motif: Option<String>,
    /// For an overlay: who changes the rule, to what, and why, as the quoted sentence is
    /// followed in every output: « la Caf du Rhône applique 10 : <motif> ».
    pub surcharge: Option<String>,
    /// The force of the quoted sentence (rules v2).
    pub force: Option<Force>,
    /// Why the severity departs from the force, when it does.
    pub force_ecart: Option<String>,
    /// How the force was read when the sentence holds no marker word (« présent normatif »).
    pub force_lecture: Option<String>,
}

impl Regle {
    /// The checks whose scope covers the dossier.
    pub fn cas_pour<'a>(&'a self, portees: &'a Portees<'a>) -> impl Iterator<Item = &'a Cas> + 'a {
        self.cas.iter().filter(move |c| portees.couvre(&c.portee))
    }

    /// Whether the rule is one of the bilan's (`BILAN-*`, kinds `bilan-*`): `fnp bilan`
    /// applies it, `fnp check` never does. A rule's cases are all of the bilan or none.
    pub fn du_bilan(&self) -> bool {
        self.cas.iter().any(|c| c.verification.du_bilan())
    }

    /// The main message of the first case (for listings).
    pub fn message(&self) -> &str {
        self.cas.first().map_or("", |c| c.message(""))
    }
}

/// The level of a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Niveau {
    National,
    Local,
}

/// What the rules may ask of an action (`Regles::champs_demandes`).
#[derive(Debug, Clone, Default)]
pub struct ChampsDemandes {
    /// The fields a rule that may cover the action names.
    pub demandes: BTreeSet<String>,
    /// Every field some rule names.
    pub nommes: BTreeSet<String>,
    /// For a typed action, the fields a rule in force requires of it whatever the dossier
    /// holds (an error when missing): field → the rule's title, and whether « oui » is the
    /// value asked.
    pub exiges: BTreeMap<String, (String, bool)>,
}

impl ChampsDemandes {
    /// Whether a typed template offers the row of `cle`: asked by a rule that may cover the
    /// action, or named by no rule at all (a row every dossier has). An indicator of the bilan
    /// (`indicateurs_realises.x`) goes with its planned one.
    pub fn offre(&self, cle: &str) -> bool {
        let cle = match cle.strip_prefix("indicateurs_realises.") {
            Some(nom) => format!("indicateurs.{nom}"),
            None => cle.to_string(),
        };
        self.demandes.contains(&cle) || !self.nommes.contains(&cle)
    }
}

/// A volet of the fund: its label and its action types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Volet {
    pub libelle: String,
    pub types: Vec<String>,
}

/// A loaded pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub id: String,
    pub libelle: String,
    pub niveau: Niveau,
    pub exercice_du: Option<i64>,
    pub exercice_au: Option<i64>,
    pub departements: Vec<String>,
    pub volets: BTreeMap<String, Volet>,
    pub familles: BTreeMap<String, Vec<String>>,
    pub regles: Vec<Regle>,
    /// Overlays of national rules (local packs), as written.
    pub surcharges: Vec<Surcharge>,
    /// The overlaid national rules, built when the packs are assembled.
    pub regles_surchargees: Vec<Regle>,
    pub fichier: String,
    /// Titles of the source files (`[sources]`).
    pub sources: BTreeMap<String, TitreSource>,
    /// The forces of source sentences, their severities and marker words (`[forces]`).
    pub forces: BTreeMap<Force, DefinitionForce>,
}

/// A local pack's change to a national rule (`[[surcharge]]`).
#[derive(Debug, Clone)]
pub struct Surcharge {
    pub id: String,
    pub gravite: Option<Gravite>,
    pub parametres: toml::Table,
    pub motif: String,
    pub verifie_le: Option<crate::model::Date>,
    pub ligne: usize,
}

impl Pack {
    /// Whether the pack is in force for an exercice and a Caf department.
    pub fn en_vigueur(&self, exercice: Option<i64>, departement: Option<&str>) -> bool {
        let annee_ok = match exercice {
            Some(e) => self.exercice_du.is_none_or(|du| e >= du) && self.exercice_au.is_none_or(|au| e <= au),
            None => self.niveau == Niveau::National,
        };
        let dep_ok =
            self.departements.is_empty() || departement.is_some_and(|d| self.departements.iter().any(|x| x == d));
        annee_ok && dep_ok
    }

    /// Whether a scope covers an action type, looking only at volets, types and families
    /// (for `fnp init`, before any other value is known).
    pub fn couvre_type(&self, p: &Portee, axe_volet: &str, type_action: &str) -> bool {
        (p.volets.is_empty() || p.volets.iter().any(|v| v == axe_volet))
            && (p.types.is_empty() || p.types.iter().any(|t| t == type_action))
            && (p.familles.is_empty() || p.types_des_familles.iter().any(|t| t == type_action))
    }

    /// The volet (`"1.1"`) and its label for a type, if the type is known.
    pub fn volet_du_type(&self, type_action: &str) -> Option<&str> {
        self.volets.iter().find(|(_, v)| v.types.iter().any(|t| t == type_action)).map(|(k, _)| k.as_str())
    }
}

/// What the scopes of rules look at in one dossier, read once: a check of a dossier tests
/// the scopes of every rule against it.
pub struct Portees<'d> {
    dossier: &'d Dossier,
    axe_volet: Option<(i64, i64)>,
    type_action: Option<&'d str>,
    departement: Option<&'d str>,
    exercice: Option<i64>,
}

impl<'d> Portees<'d> {
    pub fn de(d: &'d Dossier) -> Self {
        Portees {
            dossier: d,
            axe_volet: d.axe().zip(d.volet()),
            type_action: d.type_action(),
            departement: d.departement_caf(),
            exercice: d.exercice(),
        }
    }

    /// Whether scope `p` covers the dossier.
    pub fn couvre(&self, p: &Portee) -> bool {
        let volet = |texte: &str| match (texte.split_once('.'), self.axe_volet) {
            (Some((a, v)), Some((x, y))) => a.parse() == Ok(x) && v.parse() == Ok(y),
            _ => false,
        };
        if !p.volets.is_empty() && !p.volets.iter().any(|v| volet(v)) {
            return false;
        }
        if !p.types.is_empty() && !self.type_action.is_some_and(|t| p.types.iter().any(|x| x == t)) {
            return false;
        }
        if !p.familles.is_empty() && !self.type_action.is_some_and(|t| p.types_des_familles.iter().any(|x| x == t)) {
            return false;
        }
        if !p.departements.is_empty() && !self.departement.is_some_and(|dep| p.departements.iter().any(|x| x == dep)) {
            return false;
        }
        if let Some(du) = p.exercice_du
            && self.exercice.is_none_or(|e| e < du)
        {
            return false;
        }
        if let Some(au) = p.exercice_au
            && self.exercice.is_none_or(|e| e > au)
        {
            return false;
        }
        p.si.iter().all(|c| condition(c, self.dossier))
    }
}

fn condition(c: &Condition, d: &Dossier) -> bool {
    if c.vrai.is_some_and(|attendu| d.vrai(&c.champ) != attendu) {
        return false;
    }
    let texte = d.texte(&c.champ);
    if let Some(dans) = &c.dans
        && !texte.is_some_and(|t| dans.iter().any(|x| x == t))
    {
        return false;
    }
    if let Some(hors) = &c.hors
        && texte.is_some_and(|t| hors.iter().any(|x| x == t))
    {
        return false;
    }
    true
}

/// All the packs of a run.
#[derive(Debug, Clone)]
pub struct Regles {
    pub packs: Vec<Pack>,
    /// Dossier excerpts that fire each rule (`exemples.toml`), for `fnp explain`.
    pub exemples: BTreeMap<String, String>,
    /// Severities forced on the command line (`None`: silenced).
    pub forcages: BTreeMap<String, Option<Gravite>>,
    /// The budget layout (`cerfa.toml`).
    pub plan: crate::budget::cerfa::Plan,
    /// Where they came from (`embarqué` or a folder).
    pub origine: String,
    /// The folder held only local packs: they were added to the embedded national pack.
    pub national_embarque: bool,
    /// What these rules change in fnp's embedded national rules (hostile round 4): said on
    /// the terminal and in every report; empty for the embedded rules.
    pub ecarts: Vec<String>,
}

/// The rules that apply to one dossier.
pub struct Selection<'a> {
    pub regles: Vec<(&'a Pack, &'a Regle)>,
    /// `false` when no national pack is in force for the dossier's exercice.
    pub exercice_couvert: bool,
}

impl Regles {
    /// `--deny`, `--warn`, `--allow` for a run: a severity, or `None` to silence the rule.
    pub fn forcer(&mut self, id: &str, gravite: Option<Gravite>) -> Result<(), String> {
        if self.regle(id).is_none() {
            let proches = ids_proches(self, id);
            return Err(format!(
                "règle {id} inconnue{}",
                if proches.is_empty() { String::new() } else { format!(" ; règles proches : {}", proches.join(", ")) }
            ));
        }
        if gravite.is_none() && id == "LECTURE" {
            return Err("LECTURE ne peut pas être ignorée : un fichier illisible n'est pas vérifié".into());
        }
        self.forcages.insert(id.to_string(), gravite);
        Ok(())
    }

    /// What to tell on the terminal when a folder of local packs was completed by the
    /// embedded national pack (`None` otherwise).
    pub fn annonce(&self) -> Option<String> {
        if !self.national_embarque {
            return None;
        }
        let locaux: Vec<&str> =
            self.packs.iter().filter(|p| p.niveau == Niveau::Local).map(|p| p.fichier.as_str()).collect();
        Some(format!(
            "{} : aucun pack national dans ce dossier ; {} au pack national embarqué dans fnp : {}",
            self.origine,
            if locaux.len() == 1 { "pack local ajouté" } else { "packs locaux ajoutés" },
            locaux.join(", ")
        ))
    }

    /// The fields a rule of any pack (every Caf's, whatever its department, exercice or
    /// conditions) may ask of an action of this volet (`"1.1"`) and type — its checks' fields,
    /// its indicators, the fields of its conditions — and every field some rule names: the
    /// rows a typed template offers are the first, and those no rule names at all.
    pub fn champs_demandes(&self, volet: &str, type_action: Option<&str>) -> ChampsDemandes {
        let type_ok = |liste: &[String]| liste.is_empty() || type_action.is_none_or(|t| liste.iter().any(|x| x == t));
        let couvre = |p: &Portee| {
            (p.volets.is_empty() || p.volets.iter().any(|v| v == volet))
                && type_ok(&p.types)
                && (p.familles.is_empty() || type_ok(&p.types_des_familles))
        };
        let mut c = ChampsDemandes::default();
        for (_, regle) in self.toutes() {
            for cas in &regle.cas {
                let mut champs = champs::champs_nommes(&cas.verification);
                if let Verification::IndicateursRequis { indicateurs } = &cas.verification {
                    champs.extend(indicateurs.iter().cloned());
                }
                champs.extend(regle.portee.si.iter().chain(cas.portee.si.iter()).map(|s| s.champ.clone()));
                if couvre(&regle.portee) && couvre(&cas.portee) {
                    c.demandes.extend(champs.iter().cloned());
                    // A rule of this very type, without condition, that refuses the dossier:
                    // what it asks is required (a typed template marks it).
                    let sans_condition = regle.portee.si.is_empty() && cas.portee.si.is_empty();
                    if type_action.is_some() && sans_condition && regle.gravite == Gravite::Erreur {
                        let exige = |champ: &String, oui: bool| (champ.clone(), (regle.titre.clone(), oui));
                        match &cas.verification {
                            Verification::BooleensRequis { champs } => {
                                c.exiges.extend(champs.iter().map(|x| exige(x, true)))
                            }
                            Verification::IndicateursRequis { indicateurs } => {
                                c.exiges.extend(indicateurs.iter().map(|x| exige(x, false)))
                            }
                            Verification::ListeNonVide { champ } => c.exiges.extend([exige(champ, false)]),
                            _ => {}
                        }
                    }
                }
                c.nommes.extend(champs);
            }
        }
        c
    }

    /// The action type of the packs that `texte` names as people write it: the type itself,
    /// its code with capitals, accents or spaces (« Café des parents »), or its French label
    /// (« Maison des 1000 premiers jours »).
    pub fn type_nomme(&self, texte: &str) -> Option<&str> {
        let texte = texte.trim();
        let types = || self.packs.iter().flat_map(|p| p.volets.values()).flat_map(|v| v.types.iter());
        // The type as written (the usual case) first: the loose readings cost more.
        if let Some(t) = types().find(|t| **t == texte) {
            return Some(t.as_str());
        }
        let code = crate::model::code_de(texte);
        let par_libelle = crate::model::schema::valeur_par_libelle("action.type", texte);
        types().find(|t| **t == code || par_libelle == Some(t.as_str())).map(String::as_str)
    }

    /// Notes what these rules change in fnp's embedded national rules (`ecarts`).
    pub fn noter_ecarts(&mut self, embarquees: &Regles) {
        self.ecarts = ecarts::ecarts_au_national(self, embarquees);
    }

    pub fn national(&self) -> &Pack {
        // `assembler` guarantees exactly one national pack.
        self.packs.iter().find(|p| p.niveau == Niveau::National).unwrap_or(&self.packs[0])
    }

    /// Every rule of every pack.
    pub fn toutes(&self) -> impl Iterator<Item = (&Pack, &Regle)> {
        self.packs.iter().flat_map(|p| p.regles.iter().map(move |r| (p, r)))
    }

    pub fn regle(&self, id: &str) -> Option<(&Pack, &Regle)> {
        self.toutes().find(|(_, r)| r.id == id)
    }

    /// The title of a source file, from any pack's `[sources]`.
    pub fn titre_source(&self, fichier: &str) -> Option<&str> {
        self.packs.iter().find_map(|p| p.sources.get(fichier)).map(|t| t.titre.as_str())
    }

    /// How a rule's source is named for people: the source's title (never its file name),
    /// an external reference marked as such, or the project document.
    pub fn source_lisible(&self, s: &Source) -> Option<String> {
        if let Some(f) = &s.fichier {
            return Some(self.titre_source(f).map_or_else(|| f.clone(), str::to_string));
        }
        if let Some(r) = &s.reference {
            return Some(format!("{r} (référence externe)"));
        }
        s.document.clone()
    }

    /// The forces' definitions (the national pack's, completed by local packs).
    pub fn forces(&self) -> BTreeMap<Force, &DefinitionForce> {
        let mut f: BTreeMap<Force, &DefinitionForce> = BTreeMap::new();
        for p in &self.packs {
            for (k, v) in &p.forces {
                f.entry(*k).or_insert(v);
            }
        }
        f
    }

    /// The rules in force for a dossier, national first (or their local overlays), then the
    /// local packs' own rules.
    pub fn selection(&self, d: &Dossier) -> Selection<'_> {
        let exercice = d.exercice();
        let departement = d.departement_caf();
        let exercice_couvert = self.national().en_vigueur(exercice, departement);
        if !exercice_couvert {
            return Selection { regles: Vec::new(), exercice_couvert };
        }
        let locaux: Vec<&Pack> =
            self.packs.iter().filter(|p| p.niveau == Niveau::Local && p.en_vigueur(exercice, departement)).collect();
        let national = self.national();
        let portees = Portees::de(d);
        let mut regles: Vec<(&Pack, &Regle)> = Vec::with_capacity(national.regles.len());
        for r in national.regles.iter().filter(|r| portees.couvre(&r.portee)) {
            let surcharge = locaux.iter().find_map(|p| {
                p.regles_surchargees.iter().find(|x| x.id == r.id && portees.couvre(&x.portee)).map(|x| (*p, x))
            });
            regles.push(surcharge.unwrap_or((national, r)));
        }
        for p in &locaux {
            regles.extend(p.regles.iter().filter(|r| portees.couvre(&r.portee)).map(|r| (*p, r)));
        }
        Selection { regles, exercice_couvert }
    }

    /// The budget parameters for a dossier: from the versions (and overlays) in force.
    pub fn parametres_pour(&self, d: &Dossier) -> crate::budget::Parametres {
        self.parametres_selon(&self.selection(d), d.exercice())
    }

    /// The budget parameters of a selection of rules already made for a dossier.
    pub fn parametres_selon(&self, selection: &Selection<'_>, exercice: Option<i64>) -> crate::budget::Parametres {
        parametres_de(selection.regles.iter().map(|(_, r)| *r))
            .or_else(|_| self.parametres_budget(exercice))
            .or_else(|_| self.parametres_budget(None))
            .unwrap_or_else(|_| unreachable!("checked when the packs were assembled"))
    }

    /// The budget parameters of the national pack's versions in force for an exercice (the
    /// first versions when `None`), from its rules of kind `plafond`, `depenses-eligibles`,
    /// `personnel` and (rules v2) `compte-contribution`.
    pub fn parametres_budget(&self, exercice: Option<i64>) -> Result<crate::budget::Parametres, PackInvalide> {
        let national = self.national();
        let en_vigueur = |r: &&Regle| {
            exercice.is_none_or(|e| {
                r.portee.exercice_du.is_none_or(|du| e >= du) && r.portee.exercice_au.is_none_or(|au| e <= au)
            })
        };
        parametres_de(national.regles.iter().filter(en_vigueur)).map_err(|nom| PackInvalide {
            fichier: national.fichier.clone(),
            ligne: None,
            message: format!(
                "le pack national doit contenir une règle de vérification « {nom} » en vigueur{} (paramètres du budget)",
                exercice.map(|e| format!(" pour l'exercice {e}")).unwrap_or_default()
            ),
        })
    }
}

/// The budget parameters from a set of rules; `Err(kind)` names a missing kind.
fn parametres_de<'a>(
    regles: impl Iterator<Item = &'a Regle> + Clone,
) -> Result<crate::budget::Parametres, &'static str> {
    let trouver = |nom: &'static str| {
        regles.clone().flat_map(|r| r.cas.iter().map(|c| &c.verification)).find(|v| v.nom() == nom).ok_or(nom)
    };
    let (
        Verification::Plafond {
            taux_pourcentage,
            dispositifs_exclus,
            volets_dispositifs,
            financeurs_caf,
            financeur_demande,
        },
        Verification::DepensesEligibles { eligibles, defaut, comptes_non_eligibles },
        Verification::Personnel { nature, champ_porteur, financeurs, champ_ligne },
    ) = (trouver("plafond")?, trouver("depenses-eligibles")?, trouver("personnel")?)
    else {
        unreachable!("found by kind name")
    };
    // Packs written before rules v2 have no rule of contributions entered as charges.
    let comptes = match trouver("compte-contribution") {
        Ok(Verification::CompteContribution { comptes }) => comptes.clone(),
        _ => Vec::new(),
    };
    Ok(crate::budget::Parametres {
        taux: *taux_pourcentage / rust_decimal::Decimal::ONE_HUNDRED,
        dispositifs_exclus: dispositifs_exclus.clone(),
        dispositifs_volets: volets_dispositifs.clone(),
        financeurs_caf: financeurs_caf.clone(),
        financeur_demande: financeur_demande.clone(),
        eligibles: eligibles.clone(),
        eligibles_defaut: defaut.clone(),
        comptes_non_eligibles: comptes_non_eligibles.clone(),
        comptes_contributions: comptes,
        personnel_nature: nature.clone(),
        personnel_champ_porteur: champ_porteur.clone(),
        personnel_financeurs: financeurs.clone(),
        personnel_champ_ligne: champ_ligne.clone(),
    })
}

/// A version's validity in French: `2025–2026`, `à partir de 2027`, `toujours`.
pub fn periode(p: &Portee) -> String {
    match (p.exercice_du, p.exercice_au) {
        (Some(du), Some(au)) if du == au => format!("exercice {du}"),
        (Some(du), Some(au)) => format!("exercices {du} à {au}"),
        (Some(du), None) => format!("exercices à partir de {du}"),
        (None, Some(au)) => format!("exercices jusqu'à {au}"),
        (None, None) => "tous les exercices du pack".into(),
    }
}

/// Rule ids close to `id`, for a typo.
pub fn ids_proches(regles: &Regles, id: &str) -> Vec<String> {
    let mut tous: Vec<(usize, &str)> =
        regles.toutes().map(|(_, r)| (strsim::damerau_levenshtein(&id.to_uppercase(), &r.id), r.id.as_str())).collect();
    tous.sort();
    tous.dedup_by(|a, b| a.1 == b.1);
    tous.into_iter().filter(|(d, _)| *d <= 6).take(3).map(|(_, i)| i.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::chargement::{charger_pack, id_valide};
    use super::*;

    #[test]
    fn embedded_packs_load() {
        let r = Regles::embarquees().expect("embedded packs are valid");
        assert_eq!(r.national().id, "national");
        assert!(r.regle("A3V1-OUVERTURE").is_some());
    }

    /// The embedded packs, read from the JSON build.rs prepared, are exactly the packs read
    /// from the TOML files of `rules/` as any folder's: every rule, case, parameter, message,
    /// line, source, the budget layout and the examples. A difference cannot slip in.
    #[test]
    fn prepared_embedded_packs_equal_the_packs_read_from_rules() {
        let preparees = Regles::embarquees().expect("embedded packs are valid");
        let mut lues = Regles::depuis_dossier(Path::new("rules")).expect("rules/ is valid");
        assert_eq!(
            lues.packs.iter().map(|p| p.fichier.as_str()).collect::<Vec<_>>(),
            ["national", "rhone"].map(|n| format!("rules{}{n}.toml", std::path::MAIN_SEPARATOR))
        );
        lues.origine = preparees.origine.clone();
        // The embedded packs are named `rules/…` on every system.
        for (lu, prepare) in lues.packs.iter_mut().zip(&preparees.packs) {
            lu.fichier.clone_from(&prepare.fichier);
        }
        assert_eq!(format!("{preparees:#?}"), format!("{lues:#?}"));
        // And the texts shown by `fnp rules` are those files.
        for (nom, texte) in EMBARQUES {
            assert_eq!(std::fs::read_to_string(nom).expect("read").as_str(), *texte, "{nom}");
        }
    }

    #[test]
    fn a_pack_syntax_error_is_french_and_a_schema_error_names_the_field() {
        let e = charger_pack("[pack]\nid = national\n", "p.toml").expect_err("syntax error");
        assert_eq!(e.ligne, Some(2));
        assert!(e.message.contains("un texte s'écrit entre guillemets : \"national\""), "{}", e.message);
        let e = charger_pack("[pack]\nidentifiant = \"x\"\n", "p.toml").expect_err("schema error");
        assert!(
            e.message.starts_with("pack de règles invalide : ") && e.message.contains("identifiant"),
            "{}",
            e.message
        );
    }

    #[test]
    fn ids() {
        assert!(id_valide("A1V1-TAILLE-GROUPE"));
        assert!(id_valide("L69-TERRITOIRE-PRIORITAIRE"));
        assert!(!id_valide("a1v1"));
        assert!(!id_valide("A1--B"));
        assert!(!id_valide("-A"));
    }
}
