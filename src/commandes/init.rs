//! `fnp init`: a commented starting dossier for one type of action, with placeholders that
//! `fnp check` flags until they are filled, and the rules that apply explained.

use std::io::{BufRead, IsTerminal, Write};
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

/// Asks for the type on a terminal.
fn demander_type(regles: &Regles) -> Result<String, Erreur> {
    let mut choix = Vec::new();
    let mut err = std::io::stderr();
    let _ = writeln!(err, "Quel type d'action ?");
    for (cle, v) in &regles.national().volets {
        let _ = writeln!(err, "  {} :", v.libelle);
        for t in &v.types {
            choix.push(t.clone());
            let _ = writeln!(err, "    {:>2}. {t}", choix.len());
        }
        let _ = cle;
    }
    let _ = write!(err, "Numéro ou nom du type : ");
    let _ = err.flush();
    let mut ligne = String::new();
    std::io::stdin().lock().read_line(&mut ligne)?;
    let ligne = ligne.trim();
    match ligne.parse::<usize>() {
        Ok(n) if (1..=choix.len()).contains(&n) => Ok(choix[n - 1].clone()),
        _ if choix.iter().any(|c| c == ligne) => Ok(ligne.to_string()),
        _ => Err(Erreur::Autre(format!("type « {ligne} » inconnu"))),
    }
}

pub fn executer(s: &InitSettings, out: &mut dyn Write) -> Result<u8, Erreur> {
    let regles = charger_regles(s.regles.as_deref())?;
    let national = regles.national();
    let tous: Vec<String> = national.volets.values().flat_map(|v| v.types.iter().cloned()).collect();
    let type_action = match &s.type_action {
        Some(t) => t.clone(),
        None if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() => demander_type(&regles)?,
        None => {
            return Err(Erreur::Autre(format!(
                "précisez le type d'action avec --type ; types possibles : {}",
                tous.join(", ")
            )));
        }
    };
    let Some(volet_cle) = national.volet_du_type(&type_action).map(str::to_string) else {
        let conseil = crate::model::schema::suggestion(&type_action, tous.iter().map(String::as_str))
            .map(|x| format!("vouliez-vous dire « {x} » ? "))
            .unwrap_or_default();
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
        nom_fichier: if ecrit_sur_stdout { "projet.toml".into() } else { s.sortie.display().to_string() },
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
        crate::io::ecriture::ecrire_fichier(&s.sortie, texte.as_bytes(), s.force).map_err(Erreur::Autre)?;
        eprintln!(
            "{} écrit : complétez les valeurs « À COMPLÉTER », puis lancez fnp check {}",
            s.sortie.display(),
            s.sortie.display()
        );
    }
    Ok(code::OK)
}
