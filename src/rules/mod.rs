//! Rule packs: loading them (embedded or from a folder), checking them, and selecting the
//! rules in force for a dossier.
//!
//! A pack is a TOML file of `rules/`. The kinds of check are a closed set ([`Verification`]);
//! every number, list, date, severity, message and source quote is data of the pack.

mod modele;
mod verification;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use modele::{remplir, variables_du_modele};
pub use verification::{Absence, Borne, NOMS as VERIFICATIONS, Verification};

use crate::model::Dossier;

/// The packs compiled into the binary.
pub const EMBARQUES: &[(&str, &str)] = &[
    ("rules/national.toml", include_str!("../../rules/national.toml")),
    ("rules/rhone.toml", include_str!("../../rules/rhone.toml")),
];

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
    /// A source that is not a file of the sources folder (e.g. the Cerfa budget form).
    pub document: Option<String>,
}

impl Source {
    /// What the JSON `source` field shows: the file name, else the document.
    pub fn reference(&self) -> Option<&str> {
        self.fichier.as_deref().or(self.document.as_deref())
    }
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
    /// The id of the pack that defines it.
    pub pack: String,
    /// 1-based line of the rule in its pack file.
    pub ligne: usize,
}

impl Regle {
    /// The checks whose scope covers the dossier.
    pub fn cas_pour<'a>(&'a self, d: &'a Dossier, pack: &'a Pack) -> impl Iterator<Item = &'a Cas> + 'a {
        self.cas.iter().filter(move |c| pack.couvre(&c.portee, d))
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
    pub fichier: String,
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

    /// Whether a scope covers the dossier.
    pub fn couvre(&self, p: &Portee, d: &Dossier) -> bool {
        if !p.volets.is_empty() && !d.axe_volet().is_some_and(|av| p.volets.contains(&av)) {
            return false;
        }
        let type_action = d.type_action();
        if !p.types.is_empty() && !type_action.is_some_and(|t| p.types.iter().any(|x| x == t)) {
            return false;
        }
        if !p.familles.is_empty() && !type_action.is_some_and(|t| p.types_des_familles.iter().any(|x| x == t)) {
            return false;
        }
        if !p.departements.is_empty() && !d.departement_caf().is_some_and(|dep| p.departements.iter().any(|x| x == dep))
        {
            return false;
        }
        if let Some(du) = p.exercice_du
            && d.exercice().is_none_or(|e| e < du)
        {
            return false;
        }
        if let Some(au) = p.exercice_au
            && d.exercice().is_none_or(|e| e > au)
        {
            return false;
        }
        p.si.iter().all(|c| condition(c, d))
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

/// An invalid rule pack: the command stops with exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{fichier}{}: {message}", ligne.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct PackInvalide {
    pub fichier: String,
    pub ligne: Option<usize>,
    pub message: String,
}

/// All the packs of a run.
#[derive(Debug, Clone)]
pub struct Regles {
    pub packs: Vec<Pack>,
    /// The budget layout (`cerfa.toml`).
    pub plan: crate::budget::cerfa::Plan,
    /// Where they came from (`embarqué` or a folder).
    pub origine: String,
}

/// The rules that apply to one dossier.
pub struct Selection<'a> {
    pub regles: Vec<(&'a Pack, &'a Regle)>,
    /// `false` when no national pack is in force for the dossier's exercice.
    pub exercice_couvert: bool,
}

impl Regles {
    /// The packs compiled into the binary.
    pub fn embarquees() -> Result<Regles, PackInvalide> {
        let packs = EMBARQUES.iter().map(|(nom, texte)| charger_pack(texte, nom)).collect::<Result<Vec<_>, _>>()?;
        let plan = crate::budget::cerfa::Plan::charger(crate::budget::cerfa::EMBARQUE, "rules/cerfa.toml")?;
        Regles::assembler(packs, plan, "règles embarquées".into())
    }

    /// Every `*.toml` pack of a folder.
    pub fn depuis_dossier(dossier: &Path) -> Result<Regles, PackInvalide> {
        let invalide = |message: String| PackInvalide { fichier: dossier.display().to_string(), ligne: None, message };
        let lecture = std::fs::read_dir(dossier)
            .map_err(|e| invalide(format!("dossier de règles illisible : {}", crate::io::message_io(&e))))?;
        let mut fichiers: Vec<PathBuf> = lecture
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        fichiers.sort();
        if fichiers.is_empty() {
            return Err(invalide("aucun fichier de règles .toml dans ce dossier".into()));
        }
        let mut packs = Vec::new();
        let mut plan = None;
        for f in &fichiers {
            let nom = f.display().to_string();
            let texte = std::fs::read_to_string(f).map_err(|e| PackInvalide {
                fichier: nom.clone(),
                ligne: None,
                message: crate::io::message_io(&e),
            })?;
            if f.file_name().is_some_and(|n| n == crate::budget::cerfa::NOM_FICHIER) {
                plan = Some(crate::budget::cerfa::Plan::charger(&texte, &nom)?);
            } else {
                packs.push(charger_pack(&texte, &nom)?);
            }
        }
        let plan = match plan {
            Some(p) => p,
            None => crate::budget::cerfa::Plan::charger(crate::budget::cerfa::EMBARQUE, "rules/cerfa.toml")?,
        };
        Regles::assembler(packs, plan, dossier.display().to_string())
    }

    fn assembler(packs: Vec<Pack>, plan: crate::budget::cerfa::Plan, origine: String) -> Result<Regles, PackInvalide> {
        let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
        for p in &packs {
            for r in &p.regles {
                if let Some(autre) = ids.insert(&r.id, &p.fichier) {
                    return Err(PackInvalide {
                        fichier: p.fichier.clone(),
                        ligne: Some(r.ligne),
                        message: format!("la règle {} est déjà définie dans {autre}", r.id),
                    });
                }
            }
        }
        let nationaux = packs.iter().filter(|p| p.niveau == Niveau::National).count();
        if nationaux != 1 {
            return Err(PackInvalide {
                fichier: origine,
                ligne: None,
                message: format!("il faut exactement un pack de niveau « national », il y en a {nationaux}"),
            });
        }
        let mut packs = packs;
        resoudre_portees(&mut packs)?;
        let regles = Regles { packs, plan, origine };
        regles.parametres_budget()?;
        Ok(regles)
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

    /// The rules in force for a dossier, national first, then local packs.
    pub fn selection(&self, d: &Dossier) -> Selection<'_> {
        let exercice = d.exercice();
        let departement = d.departement_caf();
        let exercice_couvert = self.national().en_vigueur(exercice, departement);
        let regles = if exercice_couvert {
            self.packs
                .iter()
                .filter(|p| p.en_vigueur(exercice, departement))
                .flat_map(|p| p.regles.iter().map(move |r| (p, r)))
                .filter(|(p, r)| p.couvre(&r.portee, d))
                .collect()
        } else {
            Vec::new()
        };
        Selection { regles, exercice_couvert }
    }

    /// The budget parameters, taken from the national pack's rules of kind `plafond`,
    /// `depenses-eligibles` and `personnel`.
    pub fn parametres_budget(&self) -> Result<crate::budget::Parametres, PackInvalide> {
        let national = self.national();
        let trouver = |nom: &str| {
            national
                .regles
                .iter()
                .flat_map(|r| r.cas.iter().map(|c| &c.verification))
                .find(|v| v.nom() == nom)
                .ok_or_else(|| PackInvalide {
                    fichier: national.fichier.clone(),
                    ligne: None,
                    message: format!(
                        "le pack national doit contenir une règle de vérification « {nom} » (paramètres du budget)"
                    ),
                })
        };
        let (
            Verification::Plafond { taux_pourcentage, dispositifs_exclus, financeurs_caf, financeur_demande },
            Verification::DepensesEligibles { eligibles, defaut },
            Verification::Personnel { nature, champ_porteur, champ_ligne },
        ) = (trouver("plafond")?, trouver("depenses-eligibles")?, trouver("personnel")?)
        else {
            unreachable!("found by kind name")
        };
        Ok(crate::budget::Parametres {
            taux: *taux_pourcentage / rust_decimal::Decimal::ONE_HUNDRED,
            dispositifs_exclus: dispositifs_exclus.clone(),
            financeurs_caf: financeurs_caf.clone(),
            financeur_demande: financeur_demande.clone(),
            eligibles: eligibles.clone(),
            eligibles_defaut: defaut.clone(),
            personnel_nature: nature.clone(),
            personnel_champ_porteur: champ_porteur.clone(),
            personnel_champ_ligne: champ_ligne.clone(),
        })
    }
}

/// Resolves the families of every scope (a pack's own `[familles]`, else the national
/// pack's) and checks that scopes only name volets and types that exist.
fn resoudre_portees(packs: &mut [Pack]) -> Result<(), PackInvalide> {
    let Some(national) = packs.iter().find(|p| p.niveau == Niveau::National) else { return Ok(()) };
    let familles_nationales = national.familles.clone();
    let volets = national.volets.clone();
    let types_connus: BTreeSet<String> = volets.values().flat_map(|v| v.types.iter().cloned()).collect();
    for pack in packs.iter_mut() {
        let mut familles = familles_nationales.clone();
        familles.extend(pack.familles.clone());
        for (nom, types) in &familles {
            if let Some(t) = types.iter().find(|t| !types_connus.contains(*t)) {
                return Err(PackInvalide {
                    fichier: pack.fichier.clone(),
                    ligne: None,
                    message: format!("la famille « {nom} » cite un type d'action inconnu : « {t} »"),
                });
            }
        }
        for regle in &mut pack.regles {
            let erreur = |message: String| PackInvalide {
                fichier: pack.fichier.clone(),
                ligne: Some(regle.ligne),
                message: format!("règle {} : {message}", regle.id),
            };
            let portees = std::iter::once(&mut regle.portee).chain(regle.cas.iter_mut().map(|c| &mut c.portee));
            for portee in portees {
                for f in &portee.familles {
                    let types = familles.get(f).ok_or_else(|| {
                        erreur(format!(
                            "famille « {f} » inconnue ; familles définies : {}",
                            familles.keys().cloned().collect::<Vec<_>>().join(", ")
                        ))
                    })?;
                    portee.types_des_familles.extend(types.iter().cloned());
                }
                if let Some(v) = portee.volets.iter().find(|v| !volets.contains_key(*v)) {
                    return Err(erreur(format!(
                        "volet « {v} » inconnu ; volets : {}",
                        volets.keys().cloned().collect::<Vec<_>>().join(", ")
                    )));
                }
                if let Some(t) = portee.types.iter().find(|t| !types_connus.contains(*t)) {
                    return Err(erreur(format!("type d'action « {t} » inconnu")));
                }
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Loading

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackBrut {
    pack: EnTeteBrut,
    #[serde(default)]
    messages: BTreeMap<String, String>,
    #[serde(default)]
    volets: BTreeMap<String, Volet>,
    #[serde(default)]
    familles: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    regle: Vec<toml::Spanned<RegleBrute>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnTeteBrut {
    id: String,
    libelle: String,
    niveau: Niveau,
    exercice_du: Option<i64>,
    exercice_au: Option<i64>,
    #[serde(default)]
    departements: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegleBrute {
    id: String,
    gravite: Gravite,
    titre: String,
    verification: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    messages: BTreeMap<String, String>,
    #[serde(default)]
    source: Source,
    #[serde(default)]
    portee: Portee,
    #[serde(default)]
    parametres: toml::Table,
    #[serde(default)]
    cas: Vec<CasBrut>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CasBrut {
    #[serde(default)]
    portee: Portee,
    /// A case may use another kind of check than the rule's.
    verification: Option<String>,
    #[serde(default)]
    parametres: toml::Table,
    message: Option<String>,
    #[serde(default)]
    messages: BTreeMap<String, String>,
}

/// Loads and checks one pack. `nom` is the file name shown in errors.
pub fn charger_pack(texte: &str, nom: &str) -> Result<Pack, PackInvalide> {
    let brut: PackBrut = toml::from_str(texte).map_err(|e| PackInvalide {
        fichier: nom.to_string(),
        ligne: e.span().map(|s| crate::io::ligne_colonne(texte, s.start).0),
        message: format!("pack de règles invalide : {}", e.message().trim()),
    })?;
    let defauts = brut.messages;
    let mut regles = Vec::new();
    for spanned in brut.regle {
        let ligne = crate::io::ligne_colonne(texte, spanned.span().start).0;
        let r = spanned.into_inner();
        let erreur = |message: String| PackInvalide {
            fichier: nom.to_string(),
            ligne: Some(ligne),
            message: format!("règle {} : {message}", r.id),
        };
        if !id_valide(&r.id) {
            return Err(erreur(
                "identifiant mal formé (lettres majuscules, chiffres et tirets, par exemple A1V1-TAILLE-GROUPE)".into(),
            ));
        }
        let mut messages_regle = r.messages.clone();
        if !r.message.is_empty() {
            messages_regle.insert(String::new(), r.message.clone());
        }
        let bruts: Vec<CasBrut> = if r.cas.is_empty() {
            vec![CasBrut {
                portee: Portee::default(),
                verification: None,
                parametres: toml::Table::new(),
                message: None,
                messages: BTreeMap::new(),
            }]
        } else {
            r.cas
        };
        let mut cas = Vec::new();
        for c in bruts {
            let mut params = r.parametres.clone();
            params.extend(c.parametres);
            let nom_verification = c.verification.as_deref().unwrap_or(&r.verification);
            let v = Verification::compiler(nom_verification, &params).map_err(&erreur)?;
            let mut messages = messages_regle.clone();
            messages.extend(c.messages);
            if let Some(m) = c.message {
                messages.insert(String::new(), m);
            }
            for (situation, modele) in &defauts {
                messages.entry(situation.clone()).or_insert_with(|| modele.clone());
            }
            if !messages.contains_key("") && v != Verification::Saisie {
                return Err(erreur("message manquant".into()));
            }
            for situation in v.situations() {
                if !messages.contains_key(*situation) {
                    return Err(erreur(format!(
                        "message « messages.{situation} » manquant pour ce type de vérification"
                    )));
                }
            }
            let permises: BTreeSet<&str> = v.variables().iter().chain(modele::VARIABLES_COMMUNES).copied().collect();
            for (situation, modele) in &messages {
                for var in variables_du_modele(modele) {
                    if !permises.contains(var.as_str()) {
                        let ou =
                            if situation.is_empty() { "message".to_string() } else { format!("messages.{situation}") };
                        return Err(erreur(format!(
                            "{ou} : variable {{{var}}} inconnue ; variables possibles : {}",
                            permises.iter().map(|v| format!("{{{v}}}")).collect::<Vec<_>>().join(", ")
                        )));
                    }
                }
            }
            cas.push(Cas { portee: c.portee, verification: v, messages });
        }
        regles.push(Regle {
            id: r.id,
            gravite: r.gravite,
            titre: r.titre,
            source: r.source,
            portee: r.portee,
            cas,
            pack: brut.pack.id.clone(),
            ligne,
        });
    }
    Ok(Pack {
        id: brut.pack.id,
        libelle: brut.pack.libelle,
        niveau: brut.pack.niveau,
        exercice_du: brut.pack.exercice_du,
        exercice_au: brut.pack.exercice_au,
        departements: brut.pack.departements,
        volets: brut.volets,
        familles: brut.familles,
        regles,
        fichier: nom.to_string(),
    })
}

/// Rule ids: upper-case ASCII letters, digits and single dashes (`A1V1-TAILLE-GROUPE`).
pub fn id_valide(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_packs_load() {
        let r = Regles::embarquees().expect("embedded packs are valid");
        assert_eq!(r.national().id, "national");
        assert!(r.regle("A3V1-OUVERTURE").is_some());
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
