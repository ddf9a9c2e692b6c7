//! `fnp init`: a commented starting dossier for one type of action, with placeholders that
//! `fnp check` flags until they are filled, and the rules that apply explained.

use crate::lecture::Affiche;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use serde::Serialize;

use crate::rules::{Regles, Verification};
use crate::{Erreur, charger_regles, code, render};

#[derive(Debug, Clone)]
pub struct InitSettings {
    pub axe: Option<i64>,
    pub volet: Option<i64>,
    pub type_action: Option<String>,
    /// `-` for standard output.
    pub sortie: PathBuf,
    pub force: bool,
    pub regles: Option<PathBuf>,
}

#[derive(Serialize)]
struct RegleCitee {
    id: String,
    gravite: &'static str,
    titre: String,
}

#[derive(Serialize)]
struct Bornes {
    min: String,
    max: String,
}

#[derive(Serialize)]
struct Contexte {
    genere_le: String,
    nom_fichier: String,
    exercice: i64,
    axe: i64,
    volet: i64,
    volet_cle: String,
    volet_libelle: String,
    #[serde(rename = "type")]
    type_action: String,
    collectif: bool,
    temps_fort: bool,
    famille_1000j: bool,
    regles: Vec<RegleCitee>,
    taille: Bornes,
    seances_min: String,
    ouverture_min: String,
    etp_min: String,
    taux: String,
    eligibles: String,
    seconde_nature: String,
    indicateurs: Vec<String>,
}

/// A bound of an `intervalle` rule, as the pack sets it (so that comments follow the data).
fn borne(regles: &Regles, id: &str, min: bool) -> String {
    regles
        .regle(id)
        .and_then(|(_, r)| {
            r.cas.iter().find_map(|c| match &c.verification {
                Verification::Intervalle { min: bmin, max: bmax, .. } => {
                    let b = if min { bmin } else { bmax };
                    b.as_ref().map(|b| crate::model::montant::format_nombre_fr(b.valeur))
                }
                _ => None,
            })
        })
        .unwrap_or_else(|| "?".into())
}

/// The type of action `texte` names among `tous`: its code, as people write it (« Café des
/// parents »), or its number in the list asked (`numeros`).
fn type_nomme(regles: &Regles, texte: &str, tous: &[String], numeros: bool) -> Option<String> {
    let texte = texte.trim();
    if numeros && let Ok(n) = texte.parse::<usize>() {
        return (1..=tous.len()).contains(&n).then(|| tous[n - 1].clone());
    }
    regles.type_nomme(texte).map(str::to_string)
}

/// The type closest to what was typed, to suggest: the nearest by spelling, else the one
/// type whose code starts with it (« cafe » → « cafe-des-parents »).
fn type_proche(texte: &str, tous: &[String]) -> Option<String> {
    let code = crate::model::code_de(texte);
    crate::model::schema::suggestion(&code, tous.iter().map(String::as_str)).map(str::to_string).or_else(|| {
        let debut: Vec<&String> = tous.iter().filter(|t| !code.is_empty() && t.starts_with(&code)).collect();
        (debut.len() == 1).then(|| debut[0].clone())
    })
}

/// Asks for the type on a terminal, again until it names one (or the input ends).
fn demander_type(regles: &Regles, entree: &mut dyn std::io::BufRead, err: &mut dyn Write) -> Result<String, Erreur> {
    let mut choix = Vec::new();
    let _ = writeln!(err, "Quel type d'action ?");
    for v in regles.national().volets.values() {
        let _ = writeln!(err, "  {} :", v.libelle);
        for t in &v.types {
            choix.push(t.clone());
            let _ = writeln!(err, "    {:>2}. {t}", choix.len());
        }
    }
    loop {
        let _ = write!(err, "Numéro ou nom du type : ");
        let _ = err.flush();
        let mut ligne = String::new();
        if entree.read_line(&mut ligne)? == 0 {
            return Err(Erreur::Autre("aucun type d'action choisi".into()));
        }
        if let Some(t) = type_nomme(regles, &ligne, &choix, true) {
            return Ok(t);
        }
        let conseil =
            type_proche(&ligne, &choix).map(|t| format!(" ; vouliez-vous dire « {t} » ?")).unwrap_or_default();
        let _ = writeln!(err, "type « {} » inconnu{conseil}", ligne.trim());
    }
}

pub fn executer(s: &InitSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let regles = charger_regles(s.regles.as_deref())?;
    let national = regles.national();
    let tous: Vec<String> = national.volets.values().flat_map(|v| v.types.iter().cloned()).collect();
    let type_action = match &s.type_action {
        Some(t) => t.clone(),
        None if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() => {
            demander_type(&regles, &mut std::io::stdin().lock(), &mut std::io::stderr())?
        }
        None => {
            return Err(Erreur::Autre(format!(
                "précisez le type d'action avec --type ; types possibles : {}",
                tous.join(", ")
            )));
        }
    };
    // The type as people write it (« Café des parents ») names its code.
    let type_action = type_nomme(&regles, &type_action, &tous, false).unwrap_or(type_action);
    let Some(volet_cle) = national.volet_du_type(&type_action).map(str::to_string) else {
        let conseil =
            type_proche(&type_action, &tous).map(|x| format!("vouliez-vous dire « {x} » ? ")).unwrap_or_default();
        return Err(Erreur::Autre(format!(
            "type d'action « {type_action} » inconnu ; {conseil}types possibles : {}",
            tous.join(", ")
        )));
    };
    let (axe, volet) = match volet_cle.split_once('.').map(|(a, v)| (a.parse::<i64>(), v.parse::<i64>())) {
        Some((Ok(a), Ok(v))) => (a, v),
        _ => return Err(Erreur::Autre(format!("volet « {volet_cle} » mal nommé dans le pack national"))),
    };
    if s.axe.is_some_and(|a| a != axe) || s.volet.is_some_and(|v| v != volet) {
        let types = national.volets.get(&format!("{}.{}", s.axe.unwrap_or(axe), s.volet.unwrap_or(volet)));
        return Err(Erreur::Autre(format!(
            "le type « {type_action} » relève de l'axe {axe} volet {volet}{}",
            types
                .map(|v| format!(" ; types de l'axe et du volet demandés : {}", v.types.join(", ")))
                .unwrap_or_default()
        )));
    }
    let famille = |f: &str| national.familles.get(f).is_some_and(|t| t.contains(&type_action));
    let mut citees = Vec::new();
    for (pack, r) in regles.toutes() {
        let saisie = r.cas.iter().all(|c| c.verification == Verification::Saisie);
        // A request's template names the rules `fnp check` applies, not the bilan's.
        if saisie
            || r.du_bilan()
            || !pack.departements.is_empty()
            || !national.couvre_type(&r.portee, &volet_cle, &type_action)
        {
            continue;
        }
        if r.cas.iter().any(|c| national.couvre_type(&c.portee, &volet_cle, &type_action)) {
            citees.push(RegleCitee { id: r.id.clone(), gravite: r.gravite.as_str(), titre: r.titre.clone() });
        }
    }
    let parametres = regles.parametres_budget(None)?;
    let eligibles = parametres.eligibles.get(&volet_cle).unwrap_or(&parametres.eligibles_defaut).clone();
    let seconde_nature = ["location", "communication", "petit-materiel"]
        .into_iter()
        .find(|n| eligibles.iter().any(|e| e == n))
        .unwrap_or("prestation");
    let indicateurs = regles
        .regle("GEN-INDICATEURS")
        .and_then(|(_, r)| {
            r.cas.iter().find(|c| national.couvre_type(&c.portee, &volet_cle, &type_action)).and_then(|c| {
                match &c.verification {
                    Verification::IndicateursRequis { indicateurs } => {
                        Some(indicateurs.iter().map(|i| i.trim_start_matches("indicateurs.").to_string()).collect())
                    }
                    _ => None,
                }
            })
        })
        .unwrap_or_default();
    let (taille_id, seances_id) = if volet_cle == "1.2" {
        ("A1V2-TAILLE-GROUPE", "A1V2-REGULARITE")
    } else {
        ("A1V1-TAILLE-GROUPE", "A1V1-REGULARITE")
    };
    let aujourdhui = render::aujourd_hui();
    let annee = aujourdhui.rsplit('/').next().and_then(|a| a.parse::<i64>().ok()).unwrap_or(2025);
    let ecrit_sur_stdout = s.sortie.as_os_str() == "-";
    let contexte = Contexte {
        genere_le: aujourdhui,
        nom_fichier: if ecrit_sur_stdout { "projet.toml".into() } else { s.sortie.affiche() },
        exercice: annee.max(national.exercice_du.unwrap_or(annee)),
        axe,
        volet,
        volet_libelle: national.volets.get(&volet_cle).map(|v| v.libelle.clone()).unwrap_or_default(),
        volet_cle: volet_cle.clone(),
        type_action: type_action.clone(),
        collectif: famille("collectifs"),
        temps_fort: famille("temps-forts"),
        famille_1000j: famille("groupes-1000-jours"),
        regles: citees,
        taille: Bornes { min: borne(&regles, taille_id, true), max: borne(&regles, taille_id, false) },
        seances_min: borne(&regles, seances_id, true),
        ouverture_min: borne(&regles, "A3V1-OUVERTURE", true),
        etp_min: borne(&regles, "A3V1-ETP-REFERENT", true),
        taux: crate::model::montant::format_nombre_fr(parametres.taux * rust_decimal::Decimal::ONE_HUNDRED),
        eligibles: eligibles.join(", "),
        seconde_nature: seconde_nature.to_string(),
        indicateurs,
    };
    let env = render::environnement(None).map_err(Erreur::Autre)?;
    let texte = render::rendre(&env, "init.toml.j2", &contexte).map_err(Erreur::Autre)?;
    if ecrit_sur_stdout {
        crate::ecrire_sans_tuyau_casse(out.write_all(texte.as_bytes()).and_then(|()| out.flush()))?;
    } else {
        crate::ecriture::atomique::ecrire_fichier(&s.sortie, texte.as_bytes(), s.force).map_err(Erreur::Autre)?;
        eprintln!(
            "{} écrit : complétez les valeurs « À COMPLÉTER », puis lancez fnp check {}",
            s.sortie.affiche(),
            s.sortie.affiche()
        );
    }
    Ok(code::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asked on a terminal, a type that is no type gets the nearest one suggested and the
    /// question again; a French name, a number or a code is taken.
    #[test]
    fn the_type_is_asked_again_with_a_suggestion() {
        let regles = Regles::embarquees().expect("rules");
        let mut err = Vec::new();
        let t =
            demander_type(&regles, &mut std::io::Cursor::new("cafe\nCafé des Parents\n"), &mut err).expect("a type");
        assert_eq!(t, "cafe-des-parents");
        let err = String::from_utf8(err).expect("utf8");
        assert!(err.contains("type « cafe » inconnu ; vouliez-vous dire « cafe-des-parents » ?"), "{err}");
        assert_eq!(err.matches("Numéro ou nom du type").count(), 2, "{err}");
        let t = demander_type(&regles, &mut std::io::Cursor::new("1\n"), &mut Vec::new()).expect("a number");
        assert!(!t.is_empty());
        assert!(demander_type(&regles, &mut std::io::Cursor::new("xyz\n"), &mut Vec::new()).is_err(), "input ends");
    }
}
