//! `fnp template` (the blank workbook) and `fnp convert` (workbook ⇄ TOML).

use crate::lecture::Affiche;
use std::io::Write;
use std::path::PathBuf;

use crate::ecriture::modele;
use crate::lecture;
use crate::model::ecrire_toml;
use crate::{Erreur, charger_regles, code};

#[derive(Debug, Clone)]
pub struct TemplateSettings {
    pub sortie: PathBuf,
    pub type_action: Option<String>,
    /// `--axe A --volet V`.
    pub axe_volet: Option<(i64, i64)>,
    pub force: bool,
}

pub fn template(s: &TemplateSettings, _out: &mut dyn Write) -> Result<u8, Erreur> {
    let regles = charger_regles(None)?;
    let national = regles.national();
    let volet_du_type = match &s.type_action {
        Some(t) => Some(
            national
                .volet_du_type(t)
                .ok_or_else(|| {
                    let types: Vec<&str> =
                        national.volets.values().flat_map(|v| v.types.iter().map(String::as_str)).collect();
                    Erreur::Autre(format!("type d'action « {t} » inconnu ; types connus : {}", types.join(", ")))
                })?
                .to_string(),
        ),
        None => None,
    };
    let volet_demande = match s.axe_volet {
        Some((a, v)) => {
            let cle = format!("{a}.{v}");
            if !national.volets.contains_key(&cle) {
                let connus: Vec<&str> = national.volets.keys().map(String::as_str).collect();
                return Err(Erreur::Autre(format!(
                    "l'axe {a} volet {v} n'existe pas ; axes et volets du FNP : {}",
                    connus.join(", ")
                )));
            }
            Some(cle)
        }
        None => None,
    };
    let volet = match (volet_du_type, volet_demande) {
        (Some(t), Some(d)) if t != d => {
            return Err(Erreur::Autre(format!(
                "le type « {} » relève du volet {t}, pas du volet {d} donné par --axe et --volet",
                s.type_action.as_deref().unwrap_or_default()
            )));
        }
        (t, d) => t.or(d),
    };
    // The template is an xlsx: never xlsx bytes under another name (fnp itself would then
    // call the file unreadable).
    if !est_classeur(&s.sortie) {
        return Err(Erreur::Autre(pas_xlsx(&s.sortie, "fnp template")));
    }
    let octets = modele(&regles, volet, s.type_action.as_deref()).map_err(Erreur::Autre)?;
    crate::ecriture::atomique::ecrire_fichier(&s.sortie, &octets, s.force).map_err(Erreur::Autre)?;
    eprintln!("{} écrit", crate::report::visible(&s.sortie.affiche()));
    Ok(code::OK)
}

/// A volet of the national pack and the types of action a template can be made for in it,
/// as the page offers them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VoletDeModele {
    /// `1.2`.
    pub volet: String,
    pub libelle: String,
    /// Each type's code and French label (`atelier-parents-enfants`, « Atelier parents-enfants »).
    pub types: Vec<(String, String)>,
}

/// The types of action a template can be made for, by volet of the national pack.
pub fn types_de_modele(regles: &crate::rules::Regles) -> Vec<VoletDeModele> {
    regles
        .national()
        .volets
        .iter()
        .map(|(cle, v)| VoletDeModele {
            volet: cle.clone(),
            libelle: v.libelle.clone(),
            types: v
                .types
                .iter()
                .map(|t| {
                    let libelle = crate::model::schema::libelle_valeur("action.type", t);
                    (t.clone(), crate::model::schema::majuscule(&libelle))
                })
                .collect(),
        })
        .collect()
}

/// The template for a type of action (`fnp template --type T`), and its file name
/// (`modele-atelier-parents-enfants.xlsx`); the generic template (`modele-dossier.xlsx`)
/// without one.
pub fn modele_du_type(regles: &crate::rules::Regles, type_action: Option<&str>) -> Result<(String, Vec<u8>), String> {
    match type_action.filter(|t| !t.is_empty()) {
        None => Ok(("modele-dossier.xlsx".into(), modele(regles, None, None)?)),
        Some(t) => {
            let volet = regles.national().volet_du_type(t).ok_or_else(|| format!("type d'action « {t} » inconnu"))?;
            Ok((format!("modele-{t}.xlsx"), modele(regles, Some(volet.to_string()), Some(t))?))
        }
    }
}

#[derive(Debug, Clone)]
pub struct ConvertSettings {
    pub entree: PathBuf,
    pub sortie: PathBuf,
    pub force: bool,
}

fn est_classeur(p: &std::path::Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Why `fnp convert` refuses to write `sortie`.
fn sortie_refusee(sortie: &std::path::Path) -> String {
    if sortie.extension().is_some_and(|e| e.eq_ignore_ascii_case("ods")) {
        pas_xlsx(sortie, "fnp convert")
    } else {
        format!(
            "{} : extension de sortie non prise en charge (.toml ou .xlsx)",
            crate::report::visible(&sortie.affiche())
        )
    }
}

/// Why `commande` refuses to write the workbook `sortie`, and what to do instead: fnp writes
/// xlsx only, which LibreOffice saves as ods.
fn pas_xlsx(sortie: &std::path::Path, commande: &str) -> String {
    let affiche = crate::report::visible(&sortie.affiche()).to_string();
    let xlsx = crate::report::visible(&sortie.with_extension("xlsx").affiche()).to_string();
    let ext = sortie.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if ext == "ods" {
        format!(
            "{affiche} : {commande} écrit un classeur .xlsx, pas .ods ; écrivez-le en .xlsx (-o {xlsx}), puis, pour un .ods, ouvrez-le dans LibreOffice Calc et choisissez Fichier > Enregistrer sous, au format .ods (ou : libreoffice --headless --convert-to ods {xlsx}) ; fnp lit les deux"
        )
    } else {
        format!(
            "{affiche} : {commande} écrit un classeur .xlsx (Excel et LibreOffice l'ouvrent, et LibreOffice peut l'enregistrer en .ods) ; donnez un nom en .xlsx (-o {xlsx})"
        )
    }
}

pub fn convert(s: &ConvertSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    crate::ecriture::atomique::refuser_sortie_sur_entree(&s.sortie, &[&s.entree]).map_err(Erreur::Autre)?;
    // What cannot be written is said before anything is read.
    let toml = s.sortie.extension().is_some_and(|e| e == "toml") || s.sortie.as_os_str() == "-";
    if !toml && !est_classeur(&s.sortie) {
        return Err(Erreur::Autre(sortie_refusee(&s.sortie)));
    }
    let affiche = lecture::nom_affiche(&s.entree);
    let lu = lecture::lire(&s.entree, &affiche).map_err(|e| {
        let mut message = format!("{affiche} : {}", e.message);
        for p in &e.autres {
            message.push_str(&format!("\n  {} : {}", p.emplacement.lieu(), p.message));
        }
        Erreur::Autre(message)
    })?;
    // Converting keeps what could be read; say what could not, so nothing is lost silently.
    if !lu.saisies.is_empty() {
        let regles = charger_regles(None)?;
        let r = crate::check::verifier(&affiche, &lu, &regles);
        let lignes: Vec<String> = r
            .constats
            .iter()
            .filter(|c| c.regle.starts_with("SAISIE-") && c.gravite == crate::rules::Gravite::Erreur)
            .map(|c| {
                let ou = c
                    .emplacement
                    .cellule
                    .clone()
                    .or_else(|| c.emplacement.ligne.map(|l| format!("ligne {l}")))
                    .unwrap_or_default();
                format!("  {ou} : {}", c.message)
            })
            .collect();
        if !lignes.is_empty() {
            return Err(Erreur::Autre(format!(
                "{affiche} : conversion refusée, ces valeurs seraient perdues :\n{}",
                lignes.join("\n")
            )));
        }
    }
    let octets = if est_classeur(&s.sortie) {
        modele::ecrire(&modele::Options { dossier: Some(&lu.dossier), ..Default::default() }).map_err(Erreur::Autre)?.0
    } else if toml {
        ecrire_toml::ecrire(&lu.dossier, &affiche).into_bytes()
    } else {
        return Err(Erreur::Autre(sortie_refusee(&s.sortie)));
    };
    if s.sortie.as_os_str() == "-" {
        crate::ecrire_sans_tuyau_casse(out.write_all(&octets).and_then(|()| out.flush()))?;
    } else {
        crate::ecriture::atomique::ecrire_fichier(&s.sortie, &octets, s.force).map_err(Erreur::Autre)?;
        eprintln!("{} écrit", crate::report::visible(&s.sortie.affiche()));
    }
    Ok(code::OK)
}

/// The blank template (`fnp template`): for every action, or with `volet` (`"3.1"`) only
/// the rows of that volet, and with `type_action` only those a rule may ask of that type,
/// axe, volet and type filled in. What `fnp template` writes and the web page hands out.
pub fn modele(
    regles: &crate::rules::Regles,
    volet: Option<String>,
    type_action: Option<&str>,
) -> Result<Vec<u8>, String> {
    let national = regles.national();
    // Filled as sent: the format, and with --type the axe, volet and type of the action.
    let mut prerempli = crate::model::Dossier::default();
    prerempli.champs.insert("format", crate::model::Valeur::Entier(1));
    if let Some(v) = &volet
        && let Some((axe, vol)) = v.split_once('.')
        && let (Ok(axe), Ok(vol)) = (axe.parse::<i64>(), vol.parse::<i64>())
    {
        prerempli.champs.insert("action.axe", crate::model::Valeur::Entier(axe));
        prerempli.champs.insert("action.volet", crate::model::Valeur::Entier(vol));
        if let Some(t) = type_action {
            // As its drop-down shows it (« atelier parents-enfants »), which fnp reads as the type.
            let libelle = crate::model::schema::libelle_valeur("action.type", t);
            prerempli.champs.insert("action.type", crate::model::Valeur::Texte(libelle));
        }
    }
    // The type cell's drop-down: the types of the template's volet, or all of them.

    let types: Vec<String> = match &volet {
        Some(v) => national.volets.get(v).map(|v| v.types.clone()).unwrap_or_default(),
        None => national.volets.values().flat_map(|v| v.types.iter().cloned()).collect(),
    };
    // A typed template offers only the rows a rule may ask of its action (any Caf's), and
    // those every dossier has.
    let champs = volet.as_deref().map(|v| regles.champs_demandes(v, type_action));
    modele::ecrire(&modele::Options { volet, dossier: Some(&prerempli), types, champs, ..Default::default() })
        .map(|(octets, _)| octets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's templates: one per type of the national pack, named for it, prefilled with
    /// its type; the generic one without.
    #[test]
    fn a_template_for_each_type_the_page_offers() {
        let regles = crate::rules::Regles::embarquees().expect("embedded packs");
        let volets = types_de_modele(&regles);
        assert!(volets.len() >= 8, "{volets:?}");
        let atelier = volets.iter().flat_map(|v| &v.types).find(|(t, _)| t == "atelier-parents-enfants").expect("type");
        assert_eq!(atelier.1, "Atelier parents-enfants");
        for VoletDeModele { volet, types, .. } in &volets {
            for (t, _) in types {
                let (nom, octets) = modele_du_type(&regles, Some(t)).expect("template");
                assert_eq!(nom, format!("modele-{t}.xlsx"));
                let lu = lecture::lire_octets(&nom, "xlsx", octets, &Default::default()).expect("reads");
                let ecrit = lu.dossier.type_action().unwrap_or_default();
                assert_eq!(regles.type_nomme(ecrit), Some(t.as_str()), "{volet}: {ecrit}");
            }
        }
        let (nom, _) = modele_du_type(&regles, Some("")).expect("generic");
        assert_eq!(nom, "modele-dossier.xlsx");
        assert!(modele_du_type(&regles, Some("inconnu")).is_err());
    }
}
