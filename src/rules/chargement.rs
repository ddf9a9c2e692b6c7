//! Loading a rule pack from its TOML text: the raw schema of a pack file, its errors in
//! French (with the file, the line and the key), and the checks made while compiling its
//! rules (ids, messages, variables, validity periods, overlays in the national pack).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::invalide::prepare_invalide;
use super::{
    Cas, DefinitionForce, Force, Gravite, Niveau, Pack, PackInvalide, Portee, Regle, Source, Surcharge, TitreSource,
    Verification, Volet, modele, variables_du_modele,
};

/// The longest message template a pack may give, in characters, and its most placeholders.
const MESSAGE_MAX: usize = 2_000;
const REPERES_MAX: usize = 40;

pub(super) fn charger_exemples(texte: &str, nom: &str) -> Result<BTreeMap<String, String>, PackInvalide> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Exemple {
        extrait: String,
    }
    let brut: BTreeMap<String, Exemple> = toml::from_str(texte).map_err(|e| PackInvalide {
        fichier: nom.to_string(),
        ligne: e.span().map(|s| crate::lecture::ligne_colonne(texte, s.start).0),
        message: format!("fichier d'exemples invalide : {}", message_toml(&e, texte)),
    })?;
    Ok(brut.into_iter().map(|(k, v)| (k, v.extrait)).collect())
}

/// A TOML error of a rules file, in French: syntax errors with their hint, schema errors
/// (an unknown, missing or mistyped key) naming the key and what to write.
fn message_toml(e: &toml::de::Error, texte: &str) -> String {
    if let Some(m) = crate::lecture::erreurs_toml::traduire(e.message(), texte, e.span()) {
        return m;
    }
    let message = traduire_schema(e.message().trim());
    // The key at the error, read from its line (`gravite = "grave"` → gravite).
    let cle = e.span().and_then(|s| {
        let debut = texte[..s.start.min(texte.len())].rfind('\n').map_or(0, |i| i + 1);
        let ligne = texte[debut..].lines().next()?;
        let (cle, _) = ligne.split_once('=')?;
        let cle = cle.trim();
        (!cle.is_empty() && !cle.starts_with('[') && !message.contains(&format!("« {cle} »"))).then(|| cle.to_string())
    });
    match cle {
        Some(c) => format!("clé « {c} » : {message}"),
        None => message,
    }
}

/// serde's and toml's English words for a schema error, in French, by kind (an unknown,
/// missing or duplicate key, an unknown value, a value of the wrong type, a number too large),
/// keeping the details (the key, the value, what is possible).
pub fn traduire_schema(message: &str) -> String {
    let liste = |l: &str| -> String {
        l.replace(" or ", ", ")
            .split(", ")
            .map(|x| x.trim().trim_start_matches("one of ").trim_matches('`'))
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let entre = |m: &str| m.split('`').nth(1).unwrap_or("").to_string();
    if let Some(reste) = message.strip_prefix("unknown field ") {
        let (champ, attendus) = reste.split_once(", expected ").unwrap_or((reste, ""));
        let champ = champ.trim_matches('`');
        return if attendus.is_empty() || attendus.starts_with("there are no fields") {
            format!("clé « {champ} » inconnue ici (aucune clé permise)")
        } else {
            format!("clé « {champ} » inconnue ; clés possibles : {}", liste(attendus))
        };
    }
    if message.starts_with("missing field ") {
        return format!("clé obligatoire « {} » absente", entre(message));
    }
    if let Some(reste) = message.strip_prefix("unknown variant ") {
        let (valeur, attendus) = reste.split_once(", expected ").unwrap_or((reste, ""));
        return format!("valeur « {} » inconnue ; valeurs possibles : {}", valeur.trim_matches('`'), liste(attendus));
    }
    if let Some(reste) = message.strip_prefix("invalid type: ") {
        let (trouve, attendu) = reste.split_once(", expected ").unwrap_or((reste, "?"));
        // A number beyond the 64-bit integers (`99999999999999999999`).
        if trouve.contains(" as i128") || trouve.contains(" as u128") {
            return format!(
                "nombre entier trop grand : {} (au plus {})",
                entre(trouve),
                crate::model::montant::format_nombre_fr(rust_decimal::Decimal::from(i64::MAX))
            );
        }
        let date_en_texte = attendu.contains("date") && trouve.starts_with("string");
        let mut m = format!("type inattendu : on attend {}, pas {}", type_fr(attendu), type_fr(trouve));
        if date_en_texte {
            m.push_str(" (une date s'écrit sans guillemets : 2025-11-01)");
        }
        return m;
    }
    if let Some(reste) = message.strip_prefix("invalid value: ") {
        let (trouve, attendu) = reste.split_once(", expected ").unwrap_or((reste, "?"));
        return format!("valeur invalide : {} ; on attend {}", type_fr(trouve), type_fr(attendu));
    }
    if let Some(reste) = message.strip_prefix("invalid length ") {
        let (n, attendu) = reste.split_once(", expected ").unwrap_or((reste, "?"));
        return format!("longueur {n} inattendue ; on attend {}", type_fr(attendu));
    }
    if message.contains("did not match any variant of untagged enum") {
        return "valeur d'un type inattendu : un nombre entier ou un nombre décimal entre guillemets (\"0.5\") est attendu".into();
    }
    if let Some(reste) = message.strip_prefix("duplicate field ") {
        return format!("clé « {} » écrite deux fois", reste.trim_matches('`'));
    }
    // toml's words for a value of an enumeration (`gravite = 3`).
    if message.starts_with("wanted string or table") {
        return "type inattendu : on attend un texte entre guillemets, l'une des valeurs possibles".into();
    }
    if message.starts_with("wanted exactly 1 element") {
        return "une seule valeur attendue".into();
    }
    message.to_string()
}

/// serde's name of a type or of a value found (`string "2025"`, `integer `3``, `a sequence`),
/// in French, keeping the value.
fn type_fr(t: &str) -> String {
    let t = t.trim();
    let valeur = |prefixe: &str| t.strip_prefix(prefixe).map(str::trim).unwrap_or("").to_string();
    let avec = |nom: &str, v: String| if v.is_empty() { nom.to_string() } else { format!("{nom} {v}") };
    match t.split_whitespace().next().unwrap_or("") {
        "string" => avec("un texte", valeur("string")),
        "integer" => avec("un nombre entier", valeur("integer")),
        "boolean" => avec("un booléen", valeur("boolean")),
        "floating" => avec("un nombre décimal", valeur("floating point")),
        "float" => avec("un nombre décimal", valeur("float")),
        "map" => "une table".into(),
        "sequence" => "une liste".into(),
        "i64" | "u64" | "u32" | "usize" | "i32" | "u8" | "u16" | "i128" => "un nombre entier".into(),
        "f64" | "f32" => "un nombre décimal".into(),
        "unit" | "option" => "une valeur".into(),
        _ if t.contains("sequence") || t.contains("array") || t.contains("list") => "une liste".into(),
        _ if t.contains("map") || t.contains("struct") || t.contains("table") => "une table".into(),
        _ if t.contains("date") => "une date (AAAA-MM-JJ)".into(),
        _ if t.contains("string") || t.contains("identifier") || t.contains("variant") => "un texte".into(),
        _ if t.contains("boolean") => "true ou false".into(),
        _ if t.contains("integer") || t.contains("i64") => "un nombre entier".into(),
        _ if t.contains("any valid TOML value") => "une valeur".into(),
        _ => t.to_string(),
    }
}

/// A pack file as written. `R` and `S` are its `[[regle]]` and `[[surcharge]]` tables with
/// where each starts in the text: spanned when read from TOML, with their offset when read
/// from the form prepared at build time (build.rs).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackBrut<R, S> {
    pack: EnTeteBrut,
    #[serde(default)]
    messages: BTreeMap<String, String>,
    #[serde(default)]
    volets: BTreeMap<String, Volet>,
    #[serde(default)]
    familles: BTreeMap<String, Vec<String>>,
    #[serde(default = "Vec::new")]
    regle: Vec<R>,
    #[serde(default = "Vec::new")]
    surcharge: Vec<S>,
    #[serde(default)]
    sources: BTreeMap<String, TitreSource>,
    #[serde(default)]
    forces: BTreeMap<Force, DefinitionForce>,
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
    verifie_le: Option<toml::value::Datetime>,
    force: Option<Force>,
    force_ecart: Option<String>,
    force_lecture: Option<String>,
}

/// A local pack's change to a national rule, for its department and years.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SurchargeBrute {
    id: String,
    gravite: Option<Gravite>,
    #[serde(default)]
    parametres: toml::Table,
    motif: String,
    verifie_le: Option<toml::value::Datetime>,
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

/// A table of a pack with the byte offset where it starts in the pack's text.
trait Situe<T> {
    fn ouvrir(self) -> (usize, T);
}

impl<T> Situe<T> for toml::Spanned<T> {
    fn ouvrir(self) -> (usize, T) {
        (self.span().start, self.into_inner())
    }
}

/// A table of a pack prepared at build time, with its offset in the TOML text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Place<T> {
    debut: usize,
    valeur: T,
}

impl<T> Situe<T> for Place<T> {
    fn ouvrir(self) -> (usize, T) {
        (self.debut, self.valeur)
    }
}

/// Loads and checks one pack. `nom` is the file name shown in errors.
pub fn charger_pack(texte: &str, nom: &str) -> Result<Pack, PackInvalide> {
    let brut: PackBrut<toml::Spanned<RegleBrute>, toml::Spanned<SurchargeBrute>> =
        toml::from_str(texte).map_err(|e| PackInvalide {
            fichier: nom.to_string(),
            ligne: e.span().map(|s| crate::lecture::ligne_colonne(texte, s.start).0),
            message: format!("pack de règles invalide : {}", message_toml(&e, texte)),
        })?;
    compiler_pack(brut, texte, nom)
}

/// Loads and checks one embedded pack from the JSON build.rs prepared from its TOML `texte`:
/// the same tables, then the same checks as [`charger_pack`].
pub(super) fn charger_pack_prepare(json: &str, texte: &str, nom: &str) -> Result<Pack, PackInvalide> {
    let brut: PackBrut<Place<RegleBrute>, Place<SurchargeBrute>> =
        serde_json::from_str(json).map_err(|e| prepare_invalide(nom, &e))?;
    compiler_pack(brut, texte, nom)
}

/// The examples of `exemples.toml`, from the JSON build.rs prepared.
pub(super) fn charger_exemples_prepares(json: &str, nom: &str) -> Result<BTreeMap<String, String>, PackInvalide> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Exemple {
        extrait: String,
    }
    let brut: BTreeMap<String, Exemple> = serde_json::from_str(json).map_err(|e| prepare_invalide(nom, &e))?;
    Ok(brut.into_iter().map(|(k, v)| (k, v.extrait)).collect())
}

/// The checks and the compilation of a pack, read from either form.
fn compiler_pack<R: Situe<RegleBrute>, S: Situe<SurchargeBrute>>(
    brut: PackBrut<R, S>,
    texte: &str,
    nom: &str,
) -> Result<Pack, PackInvalide> {
    let regles_brutes: Vec<(usize, RegleBrute)> = brut.regle.into_iter().map(Situe::ouvrir).collect();
    let surcharges_brutes: Vec<(usize, SurchargeBrute)> = brut.surcharge.into_iter().map(Situe::ouvrir).collect();
    let defauts = brut.messages;
    let lignes = crate::lecture::Lignes::de(texte);
    let ligne_de_cle = |cle: &str| {
        texte.find(&format!("\n{cle}")).map(|i| lignes.ligne(i + 1)).or_else(|| texte.starts_with(cle).then_some(1))
    };
    if let (Some(du), Some(au)) = (brut.pack.exercice_du, brut.pack.exercice_au)
        && du > au
    {
        return Err(PackInvalide {
            fichier: nom.to_string(),
            ligne: ligne_de_cle("exercice_au"),
            message: format!(
                "[pack] : la période de validité commence après sa fin (exercice_du = {du}, exercice_au = {au})"
            ),
        });
    }
    if brut.pack.niveau == Niveau::National
        && let Some((debut, s)) = surcharges_brutes.first()
    {
        return Err(PackInvalide {
            fichier: nom.to_string(),
            ligne: Some(lignes.ligne(*debut)),
            message: format!(
                "[[surcharge]] {} dans le pack national : seul un pack local surcharge une règle nationale ; changez la règle elle-même",
                s.id
            ),
        });
    }
    let mut regles = Vec::new();
    for (debut, r) in regles_brutes {
        let ligne = lignes.ligne(debut);
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
        // A field a rule names must exist in a dossier, with the type its check reads: the
        // error names the line of the field's key.
        let champ_fautif = |f: super::champs::ChampFautif| {
            let fin = texte[debut..].find("\n[[").map_or(texte.len(), |i| debut + i);
            let ligne_cle =
                texte[debut..fin].find(&format!("\"{}\"", f.champ)).map_or(ligne, |i| lignes.ligne(debut + i));
            PackInvalide {
                fichier: nom.to_string(),
                ligne: Some(ligne_cle),
                message: format!("règle {} : clé « {} » : {}", r.id, f.cle, f.message),
            }
        };
        let portees = std::iter::once(("portee".to_string(), &r.portee))
            .chain(bruts.iter().enumerate().map(|(i, c)| (format!("cas[{i}].portee"), &c.portee)));
        for (ou, p) in portees {
            if let Some(f) = super::champs::controler_portee(p, &ou) {
                return Err(champ_fautif(f));
            }
        }
        for p in std::iter::once(&r.portee).chain(bruts.iter().map(|c| &c.portee)) {
            if let (Some(du), Some(au)) = (p.exercice_du, p.exercice_au)
                && du > au
            {
                return Err(erreur(format!(
                    "portée : la période de validité commence après sa fin (exercice_du = {du}, exercice_au = {au})"
                )));
            }
        }
        let mut cas = Vec::new();
        for c in bruts {
            let mut params = r.parametres.clone();
            params.extend(c.parametres);
            let nom_verification = c.verification.as_deref().unwrap_or(&r.verification);
            let v = Verification::compiler(nom_verification, &params).map_err(&erreur)?;
            if let Some(f) = super::champs::controler_verification(&v) {
                return Err(champ_fautif(f));
            }
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
                // A pack is an input too (hostile round 4): a message is a sentence or two, and
                // its placeholders few; a message that would make every finding megabytes long
                // is refused at load time, in lint as in check.
                let longueur = modele.chars().count();
                let reperes = modele.matches('{').count();
                if longueur > MESSAGE_MAX || reperes > REPERES_MAX {
                    let ou = if situation.is_empty() { "message".to_string() } else { format!("messages.{situation}") };
                    return Err(erreur(format!(
                        "{ou} trop long : {longueur} caractères et {reperes} repères (au plus {MESSAGE_MAX} caractères et {REPERES_MAX} repères {{…}})"
                    )));
                }
                for var in variables_du_modele(modele) {
                    // A field placeholder (`{cle:…}`, `{saisir:…}`, `{table:…}`, `{liste:…}`)
                    // must name what the dossier's schema has.
                    if let Some((genre, argument)) = var.split_once(':') {
                        modele::reference_valide(genre, argument).map_err(|m| {
                            let ou = if situation.is_empty() {
                                "message".to_string()
                            } else {
                                format!("messages.{situation}")
                            };
                            erreur(format!("{ou} : {m}"))
                        })?;
                        continue;
                    }
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
            cas.push(Cas { portee: c.portee, verification: v, parametres: params, messages });
        }
        if cas.iter().any(|c| c.verification.du_bilan()) && !cas.iter().all(|c| c.verification.du_bilan()) {
            return Err(erreur(
                "une règle du bilan (vérifications bilan-*) n'a que des cas du bilan : fnp bilan l'applique, fnp check jamais"
                    .into(),
            ));
        }
        let verifie_le = date_toml(r.verifie_le.as_ref()).map_err(&erreur)?;
        regles.push(Regle {
            id: r.id,
            gravite: r.gravite,
            titre: r.titre,
            source: r.source,
            portee: r.portee,
            cas,
            pack: brut.pack.id.clone(),
            ligne,
            verifie_le,
            motif: None,
            surcharge: None,
            force: r.force,
            force_ecart: r.force_ecart,
            force_lecture: r.force_lecture,
        });
    }
    let mut surcharges = Vec::new();
    for (debut, s) in surcharges_brutes {
        let ligne = lignes.ligne(debut);
        let verifie_le = date_toml(s.verifie_le.as_ref()).map_err(|m| PackInvalide {
            fichier: nom.to_string(),
            ligne: Some(ligne),
            message: format!("surcharge {} : {m}", s.id),
        })?;
        surcharges.push(Surcharge {
            id: s.id,
            gravite: s.gravite,
            parametres: s.parametres,
            motif: s.motif,
            verifie_le,
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
        surcharges,
        regles_surchargees: Vec::new(),
        fichier: nom.to_string(),
        sources: brut.sources,
        forces: brut.forces,
    })
}

/// A TOML date (`2025-11-01`) as a date.
fn date_toml(d: Option<&toml::value::Datetime>) -> Result<Option<crate::model::Date>, String> {
    let Some(d) = d else { return Ok(None) };
    match (d.date, d.time) {
        (Some(x), None) => crate::model::Date::new(i32::from(x.year), x.month, x.day)
            .map(Some)
            .ok_or_else(|| format!("verifie_le : date {d} invalide")),
        _ => Err(format!("verifie_le attend une date sans heure (AAAA-MM-JJ), pas {d}")),
    }
}

/// Rule ids: upper-case ASCII letters, digits and single dashes (`A1V1-TAILLE-GROUPE`).
pub fn id_valide(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
}

/// Whether two versions' exercice ranges share a year.
pub(super) fn chevauchent(a: &Portee, b: &Portee) -> bool {
    let (a0, a1) = (a.exercice_du.unwrap_or(i64::MIN), a.exercice_au.unwrap_or(i64::MAX));
    let (b0, b1) = (b.exercice_du.unwrap_or(i64::MIN), b.exercice_au.unwrap_or(i64::MAX));
    a0 <= b1 && b0 <= a1
}

/// Resolves the families of every scope (a pack's own `[familles]`, else the national
/// pack's) and checks that scopes only name volets and types that exist.
pub(super) fn resoudre_portees(packs: &mut [Pack]) -> Result<(), PackInvalide> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of serde or toml schema error reads in French, with its details, and no
    /// English word is left.
    #[test]
    fn schema_errors_are_translated_by_kind_keeping_the_details() {
        let cas = [
            ("wanted string or table", "on attend un texte entre guillemets"),
            (
                "invalid type: integer `99999999999999999999` as i128, expected any valid TOML value",
                "nombre entier trop grand : 99999999999999999999",
            ),
            (
                "invalid type: string \"2025-01-01\", expected a date",
                "on attend une date (AAAA-MM-JJ), pas un texte \"2025-01-01\" (une date s'écrit sans guillemets",
            ),
            ("invalid type: string \"a\", expected a sequence", "on attend une liste, pas un texte \"a\""),
            (
                "invalid type: floating point `1.5`, expected i64",
                "on attend un nombre entier, pas un nombre décimal `1.5`",
            ),
            (
                "unknown field `si_absent`, expected `champ` or `valeur`",
                "clé « si_absent » inconnue ; clés possibles : champ, valeur",
            ),
            (
                "unknown variant `grave`, expected one of `erreur`, `avertissement`, `info`",
                "valeur « grave » inconnue ; valeurs possibles : erreur, avertissement, info",
            ),
            ("invalid length 3, expected a tuple of size 2", "longueur 3 inattendue"),
        ];
        for (anglais, francais) in cas {
            let t = traduire_schema(anglais);
            assert!(t.contains(francais), "{anglais} → {t}");
            for mot in [" expected", "wanted", " as i128", " or ", "invalid", "any valid", " found"] {
                assert!(!t.contains(mot), "{anglais} → {t} ({mot})");
            }
        }
    }
}
