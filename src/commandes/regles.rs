//! The rule keepers' commands: `fnp rules list|lint|test|impact` and `fnp explain ID`.

use crate::lecture::Affiche;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use super::impact::{FormatImpact, ImpactSettings, impact};
use crate::check::Resultat;
use crate::report::pluriel;
use crate::rules::{Gravite, Pack, Regle, Regles, Verification, ids_proches, periode};
use crate::{Erreur, charger_regles, code, ecrire_sans_tuyau_casse};

// ---------------------------------------------------------------------------------------
// list / explain

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatListe {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Default)]
pub struct Filtres {
    pub exercice: Option<i64>,
    pub departement: Option<String>,
    pub axe: Option<i64>,
    pub volet: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct ListeSettings {
    pub regles: Option<PathBuf>,
    pub filtres: Filtres,
    pub format: FormatListe,
}

#[derive(Serialize)]
struct RegleJson<'a> {
    id: &'a str,
    gravite: Gravite,
    titre: &'a str,
    pack: &'a str,
    fichier: String,
    verification: &'static str,
    description: String,
    portee: &'a crate::rules::Portee,
    periode: String,
    parametres: BTreeMap<String, toml::Value>,
    message: &'a str,
    source: &'a crate::rules::Source,
    verifie_le: Option<String>,
    motif: Option<&'a str>,
    force: Option<crate::rules::Force>,
    force_ecart: Option<&'a str>,
    force_lecture: Option<&'a str>,
    source_titre: Option<String>,
    validite: String,
}

/// Whether a rule version passes the filters.
fn retenue(regles: &Regles, pack: &Pack, r: &Regle, f: &Filtres) -> bool {
    // What `check` applies: nothing but REGLES-EXERCICE when no national pack is in force,
    // and a local pack only together with the national one.
    if let Some(e) = f.exercice
        && !regles.national().en_vigueur(Some(e), f.departement.as_deref())
    {
        return false;
    }
    if let Some(e) = f.exercice {
        let en_pack = pack.exercice_du.is_none_or(|du| e >= du) && pack.exercice_au.is_none_or(|au| e <= au);
        let en_version = r.portee.exercice_du.is_none_or(|du| e >= du) && r.portee.exercice_au.is_none_or(|au| e <= au);
        if !en_pack || !en_version {
            return false;
        }
    }
    // Without a department every pack's rules are listed, local ones included.
    if let Some(d) = &f.departement
        && !pack.departements.is_empty()
        && !pack.departements.contains(d)
    {
        return false;
    }
    if f.axe.is_some() || f.volet.is_some() {
        let national = regles.national();
        let volets_de = |p: &crate::rules::Portee| -> Vec<String> {
            let mut v = p.volets.clone();
            for t in p.types.iter().chain(p.types_des_familles.iter()) {
                if let Some(x) = national.volet_du_type(t) {
                    v.push(x.to_string());
                }
            }
            v
        };
        let mut volets = volets_de(&r.portee);
        for c in &r.cas {
            volets.extend(volets_de(&c.portee));
        }
        if !volets.is_empty() {
            let ok = volets.iter().any(|v| {
                let (a, vo) = v.split_once('.').unwrap_or((v, ""));
                f.axe.is_none_or(|x| a == x.to_string()) && f.volet.is_none_or(|x| vo == x.to_string())
            });
            if !ok {
                return false;
            }
        }
    }
    true
}

fn portee_fr(regles: &Regles, r: &Regle) -> String {
    let mut parties = Vec::new();
    let p = &r.portee;
    let national = regles.national();
    if !p.volets.is_empty() {
        parties.push(
            p.volets
                .iter()
                .map(|v| national.volets.get(v).map_or(v.clone(), |x| x.libelle.clone()))
                .collect::<Vec<_>>()
                .join(" ; "),
        );
    }
    if !p.familles.is_empty() {
        parties.push(format!("types {}", p.familles.join(", ")));
    }
    if !p.types.is_empty() {
        parties.push(format!("type {}", p.types.join(", ")));
    }
    for c in &p.si {
        let condition = match (&c.vrai, &c.dans, &c.hors) {
            (Some(true), _, _) => format!("« {} » vrai", c.champ),
            (Some(false), _, _) => format!("« {} » pas vrai", c.champ),
            (_, Some(d), _) => format!("« {} » parmi {}", c.champ, d.join(", ")),
            (_, _, Some(h)) => format!("« {} » autre que {}", c.champ, h.join(", ")),
            _ => c.champ.clone(),
        };
        parties.push(format!("si {condition}"));
    }
    let cas: Vec<String> = r
        .cas
        .iter()
        .filter(|c| !c.portee.volets.is_empty() || !c.portee.types.is_empty())
        .map(|c| c.portee.volets.iter().chain(c.portee.types.iter()).cloned().collect::<Vec<_>>().join(", "))
        .collect();
    if !cas.is_empty() {
        parties.push(format!("selon le cas : {}", cas.join(" ; ")));
    }
    // The bilan's rules: `fnp bilan` applies them, `fnp check` never does.
    match (parties.is_empty(), r.du_bilan()) {
        (true, true) => "tous les bilans (fnp bilan seul)".into(),
        (true, false) => "tous les dossiers".into(),
        (false, true) => format!("{} · fnp bilan seul", parties.join(" · ")),
        (false, false) => parties.join(" · "),
    }
}

/// The exercices REGLES-EXERCICE fires for: those before the national pack's first (rules
/// v4), or after its last; `None` when the national pack covers every year.
fn exercices_hors_regles(regles: &Regles) -> Option<(String, String)> {
    let n = regles.national();
    match (n.exercice_du, n.exercice_au) {
        (Some(du), None) => Some((format!("–{}", du - 1), format!("les exercices avant {du}"))),
        (None, Some(au)) => Some((format!("{}–", au + 1), format!("les exercices après {au}"))),
        (Some(du), Some(au)) => {
            Some((format!("–{}, {}–", du - 1, au + 1), format!("les exercices avant {du} ou après {au}")))
        }
        (None, None) => None,
    }
}

/// The exercices a rule version is in force, its pack's and its own: `2025–`, `2025–2026`;
/// for REGLES-EXERCICE, the exercices it fires for (`–2024`).
fn validite_regle(regles: &Regles, p: &Pack, r: &Regle) -> String {
    if r.id == crate::check::REGLES_EXERCICE {
        return exercices_hors_regles(regles).map_or_else(|| "jamais".into(), |(court, _)| court);
    }
    validite_courte(p, r)
}

/// The exercices a rule version is in force, its pack's and its own: `2025–`, `2025–2026`.
fn validite_courte(p: &Pack, r: &Regle) -> String {
    let du = [p.exercice_du, r.portee.exercice_du].into_iter().flatten().max();
    let au = [p.exercice_au, r.portee.exercice_au].into_iter().flatten().min();
    let dep = if p.departements.is_empty() { String::new() } else { format!(" ({})", p.departements.join(", ")) };
    match (du, au) {
        (Some(a), Some(b)) => format!("{a}–{b}{dep}"),
        (Some(a), None) => format!("{a}–{dep}"),
        (None, Some(b)) => format!("–{b}{dep}"),
        (None, None) => format!("toujours{dep}"),
    }
}

fn pack_fr(p: &Pack) -> String {
    let mut t = format!("{} ({}", p.id, p.libelle);
    if !p.departements.is_empty() {
        t.push_str(&format!(", Caf {}", p.departements.join(", ")));
    }
    let pseudo = crate::rules::Portee { exercice_du: p.exercice_du, exercice_au: p.exercice_au, ..Default::default() };
    t.push_str(&format!(", {})", periode(&pseudo)));
    t
}

/// Every version of every rule, with its pack, in pack order (overlays after their pack's rules).
fn versions(regles: &Regles) -> Vec<(&Pack, &Regle)> {
    let mut v: Vec<(&Pack, &Regle)> = Vec::new();
    for p in &regles.packs {
        v.extend(p.regles.iter().map(|r| (p, r)));
        v.extend(p.regles_surchargees.iter().map(|r| (p, r)));
    }
    v
}

/// The rule in French, as `fnp explain` and `docs/rules.md` show it.
pub fn expliquer(regles: &Regles, pack: &Pack, r: &Regle, titre_niveau: &str) -> String {
    let mut t = String::new();
    t.push_str(&format!("{titre_niveau}{} — {}\n\n", r.id, r.titre));
    let origine = if r.motif.is_some() {
        format!("surcharge du pack {}", pack_fr(pack))
    } else {
        format!("pack {}", pack_fr(pack))
    };
    t.push_str(&format!("- gravité : {}\n- {origine}, {}:{}\n", r.gravite, pack.fichier, r.ligne));
    if let Some(m) = &r.motif {
        t.push_str(&format!("- motif de la surcharge : {m}\n"));
    }
    if r.id == crate::check::REGLES_EXERCICE {
        // Rules v4: the exercices it fires for, those no national rule covers.
        let quand = exercices_hors_regles(regles).map_or_else(|| "jamais".into(), |(_, long)| long);
        t.push_str(&format!(
            "- s'applique : les dossiers dont l'exercice n'a pas de règles nationales en vigueur ({quand})\n"
        ));
    } else {
        t.push_str(&format!("- s'applique : {} ; {}\n", portee_fr(regles, r), periode(&r.portee)));
    }
    for c in &r.cas {
        let ou = if c.portee.volets.is_empty() && c.portee.types.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                c.portee.volets.iter().chain(c.portee.types.iter()).cloned().collect::<Vec<_>>().join(", ")
            )
        };
        t.push_str(&format!("- vérifie{ou} : {}\n", c.verification.description()));
        if !c.parametres.is_empty() {
            t.push_str(&format!(
                "- paramètres{ou} : `{}`\n",
                toml::Value::Table(c.parametres.clone()).to_string().replace('\n', " ").trim()
            ));
        }
    }
    let message = r.message();
    if !message.is_empty() {
        t.push_str(&format!("- message : « {message} »\n"));
    }
    if let Some(f) = r.force {
        t.push_str(&format!("- force de la phrase source : {}", f.as_str()));
        if let Some(l) = &r.force_lecture {
            t.push_str(&format!(" (lue : {l})"));
        }
        t.push('\n');
    }
    if let Some(e) = &r.force_ecart {
        t.push_str(&format!("- écart de gravité : {e}\n"));
    }
    let s = &r.source;
    if let Some(nom) = regles.source_lisible(s) {
        t.push_str(&format!("- source : {nom}{}\n", s.section.as_ref().map(|x| format!(", {x}")).unwrap_or_default()));
        if let Some(q) = &s.citation {
            t.push_str(&format!("  > « {q} »\n"));
        }
    }
    // A rule that quotes no sentence has no text to be checked against.
    match r.verifie_le {
        Some(d) => t.push_str(&format!("- vérifiée contre le texte le : {}\n", d.fr())),
        None if s.citation.is_some() => t.push_str("- vérifiée contre le texte : pas encore\n"),
        None => {}
    }
    if let Some(ex) = regles.exemples.get(&r.id) {
        t.push_str("\nExemple d'extrait de dossier qui la déclenche :\n\n```toml\n");
        t.push_str(ex.trim_end());
        t.push_str("\n```\n");
    }
    t
}

pub fn liste(s: &ListeSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let regles = charger_regles(s.regles.as_deref())?;
    let choisies: Vec<(&Pack, &Regle)> =
        versions(&regles).into_iter().filter(|(p, r)| retenue(&regles, p, r, &s.filtres)).collect();
    let texte = match s.format {
        FormatListe::Json => {
            let v: Vec<RegleJson<'_>> = choisies
                .iter()
                .map(|(p, r)| RegleJson {
                    id: &r.id,
                    gravite: r.gravite,
                    titre: &r.titre,
                    pack: &r.pack,
                    fichier: format!("{}:{}", p.fichier, r.ligne),
                    verification: r.cas.first().map_or("", |c| c.verification.nom()),
                    description: r.cas.iter().map(|c| c.verification.description()).collect::<Vec<_>>().join(" ; "),
                    portee: &r.portee,
                    periode: periode(&r.portee),
                    parametres: r.cas.first().map(|c| c.parametres.clone().into_iter().collect()).unwrap_or_default(),
                    message: r.message(),
                    source: &r.source,
                    verifie_le: r.verifie_le.map(|d| d.to_string()),
                    motif: r.motif.as_deref(),
                    force: r.force,
                    force_ecart: r.force_ecart.as_deref(),
                    force_lecture: r.force_lecture.as_deref(),
                    source_titre: regles.source_lisible(&r.source),
                    validite: validite_regle(&regles, p, r),
                })
                .collect();
            let mut t = serde_json::to_string_pretty(&v).map_err(|e| Erreur::Autre(e.to_string()))?;
            t.push('\n');
            t
        }
        FormatListe::Markdown => {
            let mut t = String::from(
                "# Les règles du Fonds national parentalité\n\n\
                 Généré par `fnp rules list --format md` depuis les packs de `rules/` : ne pas modifier à la main.\n\n",
            );
            for (p, r) in &choisies {
                t.push_str(&expliquer(&regles, p, r, "## "));
                t.push('\n');
            }
            t
        }
        FormatListe::Table => {
            let mut t = String::new();
            for (p, r) in &choisies {
                let cible = portee_fr(&regles, r);
                let cible: String = cible.chars().take(48).collect();
                t.push_str(&format!(
                    "{:<28} {:<13} {:<9} {:<16} {:<48}  {}\n",
                    r.id,
                    r.gravite.as_str(),
                    r.pack,
                    validite_regle(&regles, p, r),
                    cible,
                    r.titre
                ));
            }
            t.push_str(&match choisies.len() {
                0 => "aucune règle\n".to_string(),
                1 => "1 règle\n".to_string(),
                n => format!("{n} règles\n"),
            });
            t
        }
    };
    let texte =
        if matches!(s.format, FormatListe::Json) { texte } else { crate::report::visible(texte.as_str()).into_owned() };
    ecrire_sans_tuyau_casse(out.write_all(texte.as_bytes()).and_then(|()| out.flush()))?;
    Ok(code::OK)
}

#[derive(Debug, Clone)]
pub struct ExplainSettings {
    pub id: String,
    pub regles: Option<PathBuf>,
    pub filtres: Filtres,
}

pub fn explain(s: &ExplainSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let regles = charger_regles(s.regles.as_deref())?;
    let id = s.id.trim().to_uppercase();
    let trouvees: Vec<(&Pack, &Regle)> = versions(&regles)
        .into_iter()
        .filter(|(_, r)| r.id == id)
        .filter(|(p, r)| retenue(&regles, p, r, &s.filtres))
        .collect();
    if trouvees.is_empty() {
        let existe = regles.regle(&id).is_some();
        let message = if existe {
            format!("la règle {id} n'est pas en vigueur pour ces critères")
        } else {
            let proches = ids_proches(&regles, &id);
            format!(
                "règle {} inconnue{}",
                s.id,
                if proches.is_empty() { String::new() } else { format!(" ; règles proches : {}", proches.join(", ")) }
            )
        };
        return Err(Erreur::Autre(message));
    }
    let mut t = String::new();
    for (i, (p, r)) in trouvees.iter().enumerate() {
        if i > 0 {
            t.push('\n');
        }
        t.push_str(&expliquer(&regles, p, r, ""));
    }
    let t = crate::report::visible(t.as_str()).into_owned();
    ecrire_sans_tuyau_casse(out.write_all(t.as_bytes()).and_then(|()| out.flush()))?;
    Ok(code::OK)
}

// ---------------------------------------------------------------------------------------
// lint

#[derive(Debug, Clone)]
pub struct LintSettings {
    pub regles: Option<PathBuf>,
    pub sources: Option<PathBuf>,
}

/// Whitespace-insensitive containment (a quote may wrap differently than its source).
fn contient_modulo_espaces(texte: &str, citation: &str) -> bool {
    let plier = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    plier(texte).contains(&plier(citation))
}

/// The largest source text lint reads (the fund's fiches are about 200 Ko).
const SOURCE_MAX: u64 = 16 << 20;

/// A source text of the folder `--sources`, named by a pack (hostile round 4: a pack is an
/// input too): a plain file name in that folder, never a path out of it (`../dehors.txt`), a
/// regular file only (never `/dev/zero`), bounded.
fn lire_source(dossier: &Path, nom: &str) -> Result<String, String> {
    let simple = !nom.is_empty()
        && !nom.contains(['/', '\\', ':'])
        && nom != "."
        && nom != ".."
        && Path::new(nom).components().count() == 1;
    if !simple {
        return Err("un nom de fichier du dossier des textes est attendu, sans chemin".into());
    }
    let chemin = dossier.join(nom);
    let meta = std::fs::symlink_metadata(&chemin).map_err(|e| crate::lecture::message_io(&e))?;
    if !meta.is_file() {
        return Err("ce n'est pas un fichier ordinaire du dossier des textes".into());
    }
    let octets = crate::lecture::lire_fichier_borne(&chemin, SOURCE_MAX)?;
    String::from_utf8(octets).map_err(|_| "le texte n'est pas encodé en UTF-8".into())
}

pub fn lint(s: &LintSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let regles = match charger_regles(s.regles.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(out, "{}:{}: erreur : {}", e.fichier, e.ligne.unwrap_or(1), e.message);
            let _ = writeln!(out, "0 règle vérifiée, 1 erreur");
            return Ok(code::ECHEC);
        }
    };
    let aujourd_hui = crate::render::date_du_jour();
    let forces = regles.forces();
    let mut erreurs = Vec::new();
    let mut avertissements = Vec::new();
    let mut n = 0;
    for (p, r) in versions(&regles) {
        n += 1;
        let ou = format!("{}:{}", p.fichier, r.ligne);
        let saisie = r.cas.iter().all(|c| c.verification == Verification::Saisie);
        let src = &r.source;
        if let Some(f) = &src.fichier {
            if regles.titre_source(f).is_none() {
                erreurs.push(format!(
                    "{ou}: erreur : {} : la source {f} n'a pas de titre : ajoutez [sources.\"{f}\"] titre = \"…\" à un pack",
                    r.id
                ));
            }
            match (&src.citation, &s.sources) {
                (Some(q), Some(dossier)) => match lire_source(dossier, f) {
                    Ok(texte) if contient_modulo_espaces(&texte, q) => {}
                    Ok(_) => erreurs
                        .push(format!("{ou}: erreur : {} : la citation n'apparaît pas dans {f} : « {q} »", r.id)),
                    Err(m) => erreurs.push(format!("{ou}: erreur : {} : source {f} illisible : {m}", r.id)),
                },
                (None, _) if src.section.is_none() => erreurs.push(format!(
                    "{ou}: erreur : {} : une source dans les textes donne sa citation (source.citation) ou son passage (source.section)",
                    r.id
                )),
                _ => {}
            }
        } else if src.citation.is_some() {
            erreurs.push(format!("{ou}: erreur : {} : une citation sans fichier source (source.fichier)", r.id));
        } else if src.reference.is_none() && src.document.is_none() && !saisie {
            avertissements.push(format!("{ou}: avertissement : {} : aucune source", r.id));
        }
        let examen = crate::rules::force::examiner(r, &forces);
        erreurs.extend(examen.erreurs.into_iter().map(|m| format!("{ou}: erreur : {} : {m}", r.id)));
        avertissements
            .extend(examen.avertissements.into_iter().map(|m| format!("{ou}: avertissement : {} : {m}", r.id)));
        if !saisie {
            match r.verifie_le {
                None => avertissements
                    .push(format!("{ou}: avertissement : {} : jamais vérifiée contre son texte (verifie_le)", r.id)),
                Some(d) if d > aujourd_hui => erreurs.push(format!(
                    "{ou}: erreur : {} : verifie_le = {} est dans le futur (aujourd'hui : {})",
                    r.id,
                    d,
                    aujourd_hui.fr()
                )),
                Some(d)
                    if (i64::from(aujourd_hui.annee) - i64::from(d.annee)) * 12
                        + (i64::from(aujourd_hui.mois) - i64::from(d.mois))
                        > 12 =>
                {
                    avertissements.push(format!(
                        "{ou}: avertissement : {} : vérifiée le {}, il y a plus de 12 mois",
                        r.id,
                        d.fr()
                    ))
                }
                _ => {}
            }
        }
    }
    if s.sources.is_none() {
        avertissements.push("citations non comparées aux textes : donnez --sources DOSSIER".into());
    }
    // Each departure from fnp's national rules, listed (hostile round 4): a keeper's change is
    // allowed, never silent.
    avertissements.extend(regles.ecarts.iter().map(|e| format!("écart aux règles nationales de fnp : {e}")));
    for l in erreurs.iter().chain(avertissements.iter()) {
        writeln!(out, "{l}")?;
    }
    writeln!(
        out,
        "{} lues dans {} : {}, {}",
        pluriel(n, "règle", "règles"),
        pluriel(regles.packs.len(), "pack", "packs"),
        pluriel(erreurs.len(), "erreur", "erreurs"),
        pluriel(avertissements.len(), "avertissement", "avertissements")
    )?;
    Ok(if erreurs.is_empty() { code::OK } else { code::ECHEC })
}

// ---------------------------------------------------------------------------------------
// test

#[derive(Debug, Clone)]
pub struct TestSettings {
    pub regles: Option<PathBuf>,
    /// `None`: the `cas/` folder in or beside the rules folder (an export), else `tests/cases`.
    pub cas: Option<PathBuf>,
    pub bless: bool,
}

/// Name of the cases' folder in an export (`fnp rules export`).
pub const DOSSIER_CAS: &str = "cas";

/// The cases of a run of `rules test`: the folder given, else the `cas/` folder of an export
/// (in the rules folder, or beside it for a local pack kept in a sub-folder), else the
/// repository's `tests/cases`.
fn dossier_des_cas(s: &TestSettings) -> PathBuf {
    if let Some(c) = &s.cas {
        return c.clone();
    }
    if let Some(d) = &s.regles {
        let candidats = [Some(d.join(DOSSIER_CAS)), d.parent().map(|p| p.join(DOSSIER_CAS))];
        if let Some(c) = candidats.into_iter().flatten().find(|c| c.is_dir()) {
            return c;
        }
    }
    PathBuf::from("tests/cases")
}

/// What a case is expected to give (`.attendu.toml` of a rule's folder).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
struct Attendu {
    verdict: String,
    regles: Vec<String>,
}

pub fn test(s: &TestSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let regles = charger_regles(s.regles.as_deref())?;
    let cas = dossier_des_cas(s);
    if !cas.is_dir() {
        return Err(Erreur::Autre(format!(
            "{} : dossier de cas introuvable ; donnez-le par --cases DOSSIER (le dossier {DOSSIER_CAS}/ qu'écrit « fnp rules export »)",
            cas.affiche()
        )));
    }
    let mut resultats = crate::commandes::check::verifier_chemins(std::slice::from_ref(&cas), &regles)?;
    // A case of a bilan rule (`BILAN-*`) is run as `fnp check` then `fnp bilan` would: its
    // findings are both.
    for r in &mut resultats {
        let id = Path::new(&r.source).strip_prefix(&cas).ok().and_then(|p| p.iter().next()).and_then(|x| x.to_str());
        if id.and_then(|id| regles.regle(id)).is_some_and(|(_, regle)| regle.du_bilan())
            && let Ok(lu) = crate::lecture::lire(Path::new(&r.source), &r.source)
        {
            crate::bilan::ajouter_bilan(r, &lu, &regles);
        }
    }
    let par_source: BTreeMap<String, &Resultat> = resultats.iter().map(|r| (r.source.clone(), r)).collect();
    let mut echecs: Vec<String> = Vec::new();
    let mut reussis = 0usize;
    let mut couverture: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut dossiers_regles: BTreeSet<PathBuf> = BTreeSet::new();
    let mut ignorees: BTreeSet<String> = BTreeSet::new();
    for (source, r) in &par_source {
        let chemin = Path::new(source);
        let Ok(relatif) = chemin.strip_prefix(&cas) else { continue };
        let parties: Vec<&str> = relatif.iter().filter_map(|x| x.to_str()).collect();
        let [id, genre, _] = parties.as_slice() else { continue };
        if !matches!(*genre, "declenche" | "ne-declenche-pas") {
            continue;
        }
        // The cases of a rule these packs do not hold (a local pack tested without the
        // others of an export): named, not played.
        if regles.regle(id).is_none() {
            ignorees.insert(id.to_string());
            continue;
        }
        dossiers_regles.insert(cas.join(id));
        let vues: BTreeSet<&str> = r.constats.iter().map(|c| c.regle.as_str()).collect();
        let entree = couverture.entry(id.to_string()).or_default();
        let ok = if *genre == "declenche" {
            entree.0 += 1;
            vues.contains(id)
        } else {
            entree.1 += 1;
            !vues.contains(id)
        };
        if ok {
            reussis += 1;
        } else {
            echecs.push(format!(
                "{source} : {id} {} ; constats : {}",
                if *genre == "declenche" { "attendu, absent" } else { "présent, inattendu" },
                vues.iter().copied().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    // Recorded expectations (verdict and all rule ids), re-recorded by --bless.
    for d in &dossiers_regles {
        let fichier = d.join(".attendu.toml");
        let mut actuel: BTreeMap<String, Attendu> = BTreeMap::new();
        for (source, r) in &par_source {
            if let Ok(rel) = Path::new(source).strip_prefix(d) {
                let mut ids: Vec<String> = r.constats.iter().map(|c| c.regle.clone()).collect();
                ids.sort();
                ids.dedup();
                actuel.insert(
                    rel.to_string_lossy().replace('\\', "/"),
                    Attendu { verdict: r.verdict.as_str().into(), regles: ids },
                );
            }
        }
        if s.bless {
            let texte = toml::to_string(&actuel).map_err(|e| Erreur::Autre(e.to_string()))?;
            crate::ecriture::atomique::ecrire_fichier(
                &fichier,
                format!("# Attendu des cas, réenregistré par « fnp rules test --bless » ; relisez le diff.\n{texte}")
                    .as_bytes(),
                true,
            )
            .map_err(Erreur::Autre)?;
            continue;
        }
        let Ok(texte) = std::fs::read_to_string(&fichier) else { continue };
        let attendu: BTreeMap<String, Attendu> =
            toml::from_str(&texte).map_err(|e| Erreur::Autre(format!("{} : {}", fichier.affiche(), e.message())))?;
        for (cas, a) in &attendu {
            match actuel.get(cas) {
                Some(x) if x == a => {}
                Some(x) => echecs.push(format!(
                    "{}/{cas} : attendu {} [{}], obtenu {} [{}] (fnp rules test --bless pour réenregistrer)",
                    d.affiche(),
                    a.verdict,
                    a.regles.join(", "),
                    x.verdict,
                    x.regles.join(", ")
                )),
                None => echecs.push(format!("{}/{cas} : cas attendu mais absent", d.affiche())),
            }
        }
    }
    // Coverage: every rule has a case that fires it and a close one that does not; each rule
    // lacking either is named, and the run fails.
    let mut manques = Vec::new();
    let ids: BTreeSet<&str> = regles.toutes().map(|(_, r)| r.id.as_str()).collect();
    let mut sans_cas: Vec<&str> = Vec::new();
    for id in &ids {
        let (oui, non) = couverture.get(*id).copied().unwrap_or_default();
        if oui == 0 {
            manques.push(format!("{id} : aucun cas qui la déclenche ({}/{id}/declenche/)", cas.affiche()));
        }
        if non == 0 {
            manques.push(format!(
                "{id} : aucun cas voisin qui ne la déclenche pas ({}/{id}/ne-declenche-pas/)",
                cas.affiche()
            ));
        }
        if oui == 0 || non == 0 {
            sans_cas.push(id);
        }
    }
    for e in echecs.iter().chain(manques.iter()) {
        writeln!(out, "ÉCHEC {e}")?;
    }
    if !ignorees.is_empty() {
        writeln!(
            out,
            "cas ignorés : {} absentes de ces packs : {}",
            pluriel(ignorees.len(), "règle", "règles"),
            ignorees.iter().cloned().collect::<Vec<_>>().join(", ")
        )?;
    }
    writeln!(
        out,
        "couverture : {} règles sur {} ont leurs deux sortes de cas{}",
        ids.len() - sans_cas.len(),
        ids.len(),
        if sans_cas.is_empty() { String::new() } else { format!(" ; sans : {}", sans_cas.join(", ")) }
    )?;
    let total_echecs = echecs.len() + manques.len();
    writeln!(out, "{} ; {}", pluriel(reussis, "cas réussi", "cas réussis"), pluriel(total_echecs, "échec", "échecs"))?;
    Ok(if total_echecs == 0 { code::OK } else { code::NON_CONFORME })
}
