//! Assembling the rules: the embedded packs (prepared at build time) or a pack folder on
//! disk, each pack checked, local overlays resolved against the national rules.

use super::chargement::charger_pack;
use super::*;
use crate::lecture::Affiche;

impl Regles {
    /// The packs compiled into the binary, read from the form build.rs prepared; every check
    /// of a pack runs as for a folder's (`tests`: equal to [`Regles::depuis_dossier`] on
    /// `rules/`).
    pub fn embarquees() -> Result<Regles, PackInvalide> {
        let packs = Self::packs_embarques()?;
        let plan = crate::budget::cerfa::Plan::charger_prepare(CERFA_PREPARE, "rules/cerfa.toml")?;
        let exemples = charger_exemples_prepares(EXEMPLES_PREPARES, "rules/exemples.toml")?;
        Regles::assembler(packs, plan, exemples, "règles embarquées".into())
    }

    /// The embedded packs, each loaded and checked on its own.
    fn packs_embarques() -> Result<Vec<Pack>, PackInvalide> {
        EMBARQUES
            .iter()
            .zip(EMBARQUES_PREPARES)
            .map(|((nom, texte), json)| charger_pack_prepare(json, texte, nom))
            .collect()
    }

    /// Every `*.toml` pack of a folder. A folder holding only local packs (a Caf's own)
    /// adds them to the embedded national pack: [`Regles::national_embarque`] says so.
    pub fn depuis_dossier(dossier: &Path) -> Result<Regles, PackInvalide> {
        let invalide = |message: String| PackInvalide { fichier: dossier.affiche(), ligne: None, message };
        let lecture = std::fs::read_dir(dossier)
            .map_err(|e| invalide(format!("dossier de règles illisible : {}", crate::lecture::message_io(&e))))?;
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
        let mut exemples = None;
        for f in &fichiers {
            let nom = f.affiche();
            // A pack is a few hundred kilobytes: 16 MB bounds a mistaken or hostile file.
            let octets = crate::lecture::lire_fichier_borne(f, 16 << 20).map_err(|message| PackInvalide {
                fichier: nom.clone(),
                ligne: None,
                message,
            })?;
            let texte = String::from_utf8(octets).map_err(|_| PackInvalide {
                fichier: nom.clone(),
                ligne: None,
                message: "le fichier n'est pas encodé en UTF-8".into(),
            })?;
            if f.file_name().is_some_and(|n| n == crate::budget::cerfa::NOM_FICHIER) {
                plan = Some(crate::budget::cerfa::Plan::charger(&texte, &nom)?);
            } else if f.file_name().is_some_and(|n| n == NOM_EXEMPLES) {
                exemples = Some(charger_exemples(&texte, &nom)?);
            } else {
                packs.push(charger_pack(&texte, &nom)?);
            }
        }
        let plan = match plan {
            Some(p) => p,
            None => crate::budget::cerfa::Plan::charger(crate::budget::cerfa::EMBARQUE, "rules/cerfa.toml")?,
        };
        let exemples = match exemples {
            Some(e) => e,
            None => charger_exemples(EXEMPLES, "rules/exemples.toml")?,
        };
        let mut national_embarque = false;
        if !packs.is_empty() && packs.iter().all(|p| p.niveau == Niveau::Local) {
            let embarques = Self::packs_embarques()?;
            packs.splice(0..0, embarques.into_iter().filter(|p| p.niveau == Niveau::National));
            national_embarque = true;
        }
        let mut regles = Regles::assembler(packs, plan, exemples, dossier.affiche())?;
        regles.national_embarque = national_embarque;
        Ok(regles)
    }

    fn assembler(
        packs: Vec<Pack>,
        plan: crate::budget::cerfa::Plan,
        exemples: BTreeMap<String, String>,
        origine: String,
    ) -> Result<Regles, PackInvalide> {
        let nationaux = packs.iter().filter(|p| p.niveau == Niveau::National).count();
        if nationaux != 1 {
            return Err(PackInvalide {
                fichier: origine,
                ligne: None,
                message: format!("il faut exactement un pack de niveau « national », il y en a {nationaux}"),
            });
        }
        // An id lives in one pack; several dated versions of it must not overlap.
        let mut ou: BTreeMap<&str, &Pack> = BTreeMap::new();
        for p in &packs {
            for (i, r) in p.regles.iter().enumerate() {
                if let Some(autre) = ou.insert(&r.id, p)
                    && autre.fichier != p.fichier
                {
                    return Err(PackInvalide {
                        fichier: p.fichier.clone(),
                        ligne: Some(r.ligne),
                        message: format!(
                            "la règle {} est déjà définie dans {} ; un pack local la change par une [[surcharge]]",
                            r.id, autre.fichier
                        ),
                    });
                }
                for avant in &p.regles[..i] {
                    if avant.id == r.id && chevauchent(&avant.portee, &r.portee) {
                        return Err(PackInvalide {
                            fichier: p.fichier.clone(),
                            ligne: Some(r.ligne),
                            message: format!(
                                "la règle {} a deux versions en vigueur la même année (lignes {} et {}) : {} et {}",
                                r.id,
                                avant.ligne,
                                r.ligne,
                                periode(&avant.portee),
                                periode(&r.portee)
                            ),
                        });
                    }
                }
            }
        }
        // Two overlays of one rule in force together must agree.
        let locaux: Vec<&Pack> = packs.iter().filter(|p| p.niveau == Niveau::Local).collect();
        for (i, a) in locaux.iter().enumerate() {
            for b in &locaux[i..] {
                let ensemble = a.departements.iter().any(|d| b.departements.contains(d))
                    && a.exercice_du.unwrap_or(i64::MIN) <= b.exercice_au.unwrap_or(i64::MAX)
                    && b.exercice_du.unwrap_or(i64::MIN) <= a.exercice_au.unwrap_or(i64::MAX);
                if !ensemble {
                    continue;
                }
                for (j, x) in a.surcharges.iter().enumerate() {
                    let debut = if std::ptr::eq(*a, *b) { j + 1 } else { 0 };
                    for y in b.surcharges.iter().skip(debut).filter(|y| y.id == x.id) {
                        let contradiction = x.gravite.is_some() && y.gravite.is_some() && x.gravite != y.gravite
                            || x.parametres.iter().any(|(k, v)| y.parametres.get(k).is_some_and(|w| w != v));
                        if contradiction {
                            return Err(PackInvalide {
                                fichier: b.fichier.clone(),
                                ligne: Some(y.ligne),
                                message: format!(
                                    "surcharge {} : contredit la surcharge de {}:{} pour les mêmes départements et exercices (gravité ou paramètres différents)",
                                    y.id, a.fichier, x.ligne
                                ),
                            });
                        }
                    }
                }
            }
        }
        let mut packs = packs;
        resoudre_portees(&mut packs)?;
        // The overlaid rules are built first, reading the national pack in place (a copy of
        // every national rule cost more than building them), then given to their packs.
        let national_regles: Vec<&Regle> =
            packs.iter().filter(|p| p.niveau == Niveau::National).flat_map(|p| &p.regles).collect();
        let mut surchargees: Vec<Vec<Regle>> = Vec::new();
        for p in packs.iter().filter(|p| p.niveau == Niveau::Local) {
            let mut construites = Vec::new();
            for s in &p.surcharges {
                let erreur = |m: String| PackInvalide {
                    fichier: p.fichier.clone(),
                    ligne: Some(s.ligne),
                    message: format!("surcharge {} : {m}", s.id),
                };
                let versions: Vec<&Regle> = national_regles.iter().copied().filter(|r| r.id == s.id).collect();
                if versions.is_empty() {
                    let proche = national_regles
                        .iter()
                        .map(|r| (strsim::damerau_levenshtein(&s.id, &r.id), &r.id))
                        .filter(|(d, _)| *d <= 3)
                        .min()
                        .map(|(_, x)| format!(" ; vouliez-vous dire {x} ?"))
                        .unwrap_or_default();
                    return Err(erreur(format!("aucune règle nationale {} à surcharger{proche}", s.id)));
                }
                for r in versions {
                    let mut nouvelle = r.clone();
                    if let Some(g) = s.gravite {
                        nouvelle.gravite = g;
                    }
                    for c in &mut nouvelle.cas {
                        let mut params = c.parametres.clone();
                        params.extend(s.parametres.clone());
                        c.verification = Verification::compiler(c.verification.nom(), &params).map_err(&erreur)?;
                        if let Some(f) = super::champs::controler_verification(&c.verification) {
                            return Err(erreur(format!("clé « {} » : {}", f.cle, f.message)));
                        }
                        c.parametres = params;
                    }
                    nouvelle.pack = p.id.clone();
                    nouvelle.motif = Some(s.motif.clone());
                    nouvelle.surcharge = Some(phrase_surcharge(p, s));
                    nouvelle.verifie_le = s.verifie_le.or(r.verifie_le);
                    nouvelle.ligne = s.ligne;
                    construites.push(nouvelle);
                }
            }
            surchargees.push(construites);
        }
        for (p, construites) in packs.iter_mut().filter(|p| p.niveau == Niveau::Local).zip(surchargees) {
            p.regles_surchargees = construites;
        }
        let regles = Regles {
            packs,
            plan,
            origine,
            forcages: BTreeMap::new(),
            exemples,
            national_embarque: false,
            ecarts: Vec::new(),
        };
        regles.parametres_budget(None)?;
        Ok(regles)
    }
}

/// How an overlay is told beside the quoted sentence of its findings: who (the Caf of a
/// local pack, read from its label « Caf du Rhône : … »), what it applies (the values of its
/// parameters, or its severity), and why: « la Caf du Rhône applique 10 : <motif> ».
fn phrase_surcharge(pack: &Pack, s: &Surcharge) -> String {
    let nom = pack.libelle.split(" : ").next().unwrap_or(&pack.libelle).trim();
    let qui = if nom.starts_with("Caf ") { format!("la {nom}") } else { format!("le pack « {nom} »") };
    // A bound (`{ champ, valeur }`) alone reads as its value (« applique 10 »); any other
    // parameter, or several, with their names (« applique seuil_pourcentage = 5 »).
    let borne = |v: &toml::Value| v.as_table().and_then(|t| t.get("valeur")).map(valeur_simple);
    let nomme = |(k, v): (&String, &toml::Value)| format!("{k} = {}", borne(v).unwrap_or_else(|| valeur_simple(v)));
    let mut quoi: Vec<String> = match s.parametres.values().next() {
        Some(v) if s.parametres.len() == 1 && borne(v).is_some() => borne(v).into_iter().collect(),
        _ => s.parametres.iter().map(nomme).collect(),
    };
    if let Some(g) = s.gravite {
        quoi.push(format!("la gravité « {g} »"));
    }
    let quoi = if quoi.is_empty() { "sa version de la règle".to_string() } else { quoi.join(", ") };
    format!("{qui} applique {quoi} : {}", s.motif.trim())
}

/// A parameter's value as people read it: `10`, `texte`, `a, b`.
fn valeur_simple(v: &toml::Value) -> String {
    match v {
        toml::Value::String(t) => t.clone(),
        toml::Value::Array(a) => a.iter().map(valeur_simple).collect::<Vec<_>>().join(", "),
        autre => autre.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Who changes the rule, to what, and why: a bound by its value, another parameter by
    /// its name, a severity in words; a pack not named « Caf … » by its label.
    #[test]
    fn an_overlay_is_told_with_its_pack_its_values_and_its_motif() {
        let regles = Regles::embarquees().expect("embedded");
        let mut pack = regles.packs.iter().find(|p| p.id == "rhone").expect("rhone").clone();
        let surcharge = |parametres: &str, gravite: Option<Gravite>| Surcharge {
            id: "X".into(),
            gravite,
            parametres: parametres.parse().expect("toml"),
            motif: " parce que. ".into(),
            verifie_le: None,
            ligne: 1,
        };
        let borne = surcharge("max = { champ = \"groupe.participants_max\", valeur = 10 }", None);
        assert_eq!(phrase_surcharge(&pack, &borne), "la Caf du Rhône applique 10 : parce que.");
        let seuil = surcharge("seuil_pourcentage = 5", Some(Gravite::Erreur));
        assert_eq!(
            phrase_surcharge(&pack, &seuil),
            "la Caf du Rhône applique seuil_pourcentage = 5, la gravité « erreur » : parce que."
        );
        pack.libelle = "Schéma de l'Isère".into();
        assert_eq!(
            phrase_surcharge(&pack, &surcharge("", None)),
            "le pack « Schéma de l'Isère » applique sa version de la règle : parce que."
        );
    }
}
