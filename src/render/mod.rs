//! Documents rendered from templates (minijinja): the dossier to send, as HTML or Markdown.
//! The templates of `templates/` are embedded; `--templates DIR` overrides any of them by
//! name. HTML templates are auto-escaped, Markdown ones escape Markdown syntax, so nothing
//! written in a dossier can inject markup.

use crate::lecture::Affiche;
use std::collections::BTreeMap;
use std::path::Path;

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, Output, State};
use serde::Serialize;

use crate::model::montant::{format_decimal_fr, format_nombre_fr};
use crate::model::{Dossier, Valeur};

pub mod mots;

/// The embedded templates, by name.
pub const MODELES: &[(&str, &str)] = &[
    ("bilan.html.j2", include_str!("../../templates/bilan.html.j2")),
    ("dossier.html.j2", include_str!("../../templates/dossier.html.j2")),
    ("dossier.md.j2", include_str!("../../templates/dossier.md.j2")),
    ("init.toml.j2", include_str!("../../templates/init.toml.j2")),
    ("rapport.html.j2", include_str!("../../templates/rapport.html.j2")),
    ("rapport-bilan.html.j2", include_str!("../../templates/rapport-bilan.html.j2")),
    ("rapport-script.html.j2", include_str!("../../templates/rapport-script.html.j2")),
    ("rapport-style.html.j2", include_str!("../../templates/rapport-style.html.j2")),
];

/// Escapes Markdown syntax (and raw HTML) in a text written by a user; newlines become
/// spaces so that a value stays in its table cell. CommonMark's punctuation and GitHub's
/// extensions are both neutralised, each by a backslash escape (valid before any ASCII
/// punctuation, invisible once rendered): strikethrough (`~`), tables (`|`), task lists
/// (`[ ]`), entities (`&lt;`, by escaping `&`), math (`$`), mentions and e-mail autolinks
/// (`@`), URL autolinks (`http://`: a `:` touching a letter or digit, which also stops
/// `:emoji:` shortcodes) and `www.` autolinks (the dot after `www`).
pub fn echapper_markdown(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len() + 8);
    let caracteres: Vec<char> = texte.chars().collect();
    for (i, &c) in caracteres.iter().enumerate() {
        let avant = i.checked_sub(1).and_then(|j| caracteres.get(j)).copied();
        let apres = caracteres.get(i + 1).copied();
        let mot = |x: Option<char>| x.is_some_and(|x| x.is_alphanumeric() || matches!(x, '_' | '+' | '-'));
        let echapper = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '{' | '}' | '~' | '&' | '$' | '@' => {
                true
            }
            ':' => mot(avant) || mot(apres),
            '.' => i >= 3 && caracteres[i - 3..i].iter().collect::<String>().eq_ignore_ascii_case("www"),
            _ => false,
        };
        match c {
            '\r' => {}
            '\n' => sortie.push(' '),
            _ => {
                if echapper {
                    sortie.push('\\');
                }
                sortie.push(c);
            }
        }
    }
    // A text starting with `-`, `+` or `=` would become a list item or a heading underline,
    // one starting with `1. ` or `1) ` an ordered list item (`0.1.0` is none).
    if sortie.starts_with(['-', '+', '=']) {
        sortie.insert(0, '\\');
    } else {
        let chiffres = sortie.chars().take_while(char::is_ascii_digit).count();
        let reste = &sortie[chiffres..];
        if chiffres > 0 && reste.starts_with(['.', ')']) && (reste.len() == 1 || reste[1..].starts_with([' ', '\t'])) {
            sortie.insert(chiffres, '\\');
        }
    }
    sortie
}

fn formateur(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if matches!(state.auto_escape(), AutoEscape::Custom(nom) if nom == "markdown") {
        if value.is_undefined() || value.is_none() {
            return Ok(());
        }
        let texte = if value.is_safe() { value.to_string() } else { echapper_markdown(&value.to_string()) };
        return out.write_str(&texte).map_err(Error::from);
    }
    minijinja::escape_formatter(out, state, value)
}

/// `"1200.50"` (or a number) → `1 200,50 €`.
fn filtre_euros(v: Value) -> String {
    let texte = v.to_string();
    match texte.parse::<rust_decimal::Decimal>() {
        Ok(d) => format!("{}\u{a0}€", format_decimal_fr(d, 2)),
        Err(_) => texte,
    }
}

/// `"62.50"` → `62,5`.
fn filtre_nombre(v: Value) -> String {
    let texte = v.to_string();
    match texte.parse::<rust_decimal::Decimal>() {
        Ok(d) => format_nombre_fr(d),
        Err(_) => texte,
    }
}

/// `{{ dossier.action.type | fr("action.type") }}`: an enumerated value, or each value of a
/// list, by its French label (model::schema::libelle_valeur); anything else as it is.
fn filtre_fr(v: Value, cle: &str) -> Value {
    if let Some(texte) = v.as_str() {
        return Value::from(crate::model::schema::libelle_valeur(cle, texte));
    }
    match v.try_iter() {
        Ok(it) if v.len().is_some() => Value::from(
            it.map(|x| match x.as_str() {
                Some(t) => Value::from(crate::model::schema::libelle_valeur(cle, t)),
                None => x,
            })
            .collect::<Vec<_>>(),
        ),
        _ => v,
    }
}

/// The template environment: embedded templates, overridden by those of `dossier`.
pub fn environnement(dossier: Option<&Path>) -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|nom| {
        let nom = nom.strip_suffix(".j2").unwrap_or(nom);
        if nom.ends_with(".md") {
            AutoEscape::Custom("markdown".into())
        } else if nom.ends_with(".html") || nom.ends_with(".htm") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(formateur);
    // Files end with their newline, as the template writes it.
    if let Ok(syntaxe) = minijinja::syntax::SyntaxConfig::builder().keep_trailing_newline(true).build() {
        env.set_syntax(syntaxe);
    }
    env.add_filter("euros", filtre_euros);
    env.add_filter("nombre", filtre_nombre);
    env.add_filter("fr", filtre_fr);
    let mut modeles: BTreeMap<String, String> = MODELES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    if let Some(d) = dossier {
        // Templates from a folder are inputs too (hostile round 4): their rendering is bounded
        // (a loop of loops ends with a French error, never hangs). fnp's own templates render
        // a document with a few hundred thousand instructions at most.
        env.set_fuel(Some(CARBURANT_MODELES));
        let lecture = std::fs::read_dir(d).map_err(|e| {
            format!("{} : dossier de modèles illisible : {}", d.affiche(), crate::lecture::message_io(&e))
        })?;
        for entree in lecture.flatten() {
            let chemin = entree.path();
            let Some(nom) = chemin.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
            if nom.ends_with(".j2") {
                let octets = crate::lecture::lire_fichier_borne(&chemin, 16 << 20)
                    .map_err(|m| format!("{} : {m}", chemin.affiche()))?;
                let texte = String::from_utf8(octets)
                    .map_err(|_| format!("{} : le modèle n'est pas encodé en UTF-8", chemin.affiche()))?;
                modeles.insert(nom, texte);
            }
        }
    }
    for (nom, texte) in modeles {
        env.add_template_owned(nom.clone(), texte).map_err(|e| format!("modèle {nom} invalide : {}", erreur_fr(&e)))?;
    }
    Ok(env)
}

/// Renders a template with a serialisable context.
pub fn rendre<C: Serialize>(env: &Environment<'_>, nom: &str, contexte: &C) -> Result<String, String> {
    let modele = env.get_template(nom).map_err(|e| format!("modèle {nom} introuvable : {}", erreur_fr(&e)))?;
    modele
        .render(Value::from(minijinja::value::Serde(contexte)))
        .map_err(|e| format!("modèle {nom} : {}", erreur_fr(&e)))
}

/// The instructions a template from a folder may run for one document (minijinja's fuel):
/// far above what fnp's own templates need, far below a loop of loops.
const CARBURANT_MODELES: u64 = 50_000_000;

/// A template error in French, with the template and line where minijinja tells them, and
/// the errors it comes from (an include that failed): never the engine's English.
fn erreur_fr(e: &minijinja::Error) -> String {
    use minijinja::ErrorKind as K;
    // The name the engine quotes in its detail (`template "x.j2" does not exist`), else its
    // last word.
    let nom_cite = || {
        e.detail()
            .and_then(|d| d.split('"').nth(1).or_else(|| d.split_whitespace().last()))
            .map(|n| format!(" « {} »", n.trim_matches(['\'', '"'])))
            .unwrap_or_default()
    };
    let quoi = match e.kind() {
        K::SyntaxError => "erreur de syntaxe".to_string(),
        K::TemplateNotFound => format!("modèle{} introuvable", nom_cite()),
        K::BadInclude => "un modèle inclus n'a pas pu être rendu".into(),
        K::UndefinedError => "valeur indéfinie".into(),
        K::UnknownFilter => format!("filtre{} inconnu", nom_cite()),
        K::UnknownFunction => format!("fonction{} inconnue", nom_cite()),
        K::UnknownTest => format!("test{} inconnu", nom_cite()),
        K::UnknownMethod => "méthode inconnue".into(),
        K::TooManyArguments => "trop d'arguments".into(),
        K::MissingArgument => "argument manquant".into(),
        K::InvalidOperation => "opération impossible".into(),
        K::OutOfFuel => "le modèle fait trop de calculs (boucles imbriquées ?) : fnp en arrête le rendu".into(),
        K::WriteFailure => "écriture du document impossible".into(),
        K::BadEscape => "séquence d'échappement invalide dans une chaîne".into(),
        K::CannotUnpack => "valeur impossible à décomposer".into(),
        K::InvalidDelimiter => "délimiteurs de modèle invalides".into(),
        _ => "erreur de modèle".into(),
    };
    let ou = match (e.name(), e.line()) {
        (Some(n), Some(l)) => format!(" ({n}, ligne {l})"),
        (Some(n), None) => format!(" ({n})"),
        (None, Some(l)) => format!(" (ligne {l})"),
        (None, None) => String::new(),
    };
    let mut message = format!("{quoi}{ou}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        match s.downcast_ref::<minijinja::Error>() {
            Some(m) => message.push_str(&format!(" ; {}", erreur_fr(m))),
            None => message.push_str(" ; erreur interne"),
        }
        source = s.source();
        if s.downcast_ref::<minijinja::Error>().is_some() {
            break;
        }
    }
    message
}

/// The dossier's fields as nested maps (`porteur.nom`), values ready to show in French.
pub fn champs(d: &Dossier) -> serde_json::Value {
    let mut racine = serde_json::Map::new();
    for (cle, valeur) in &d.champs {
        let v = match valeur {
            Valeur::Booleen(b) => serde_json::Value::Bool(*b),
            Valeur::Entier(n) => serde_json::Value::from(*n),
            Valeur::Decimal(x) => serde_json::Value::String(format_nombre_fr(*x)),
            Valeur::Texte(t) => serde_json::Value::String(t.clone()),
            Valeur::Date(x) => serde_json::Value::String(x.fr()),
            Valeur::Liste(l) => serde_json::Value::from(l.clone()),
            Valeur::Ages(a, b) => serde_json::Value::from(vec![*a, *b]),
        };
        match cle.split_once('.') {
            Some((section, nom)) => {
                let entree =
                    racine.entry(section.to_string()).or_insert_with(|| serde_json::Value::Object(Default::default()));
                if let serde_json::Value::Object(m) = entree {
                    m.insert(nom.to_string(), v);
                }
            }
            None => {
                racine.insert(cle.to_string(), v);
            }
        }
    }
    serde_json::Value::Object(racine)
}

/// Today's date as `23/11/2026`, or the date of `SOURCE_DATE_EPOCH` when it is set (for
/// reproducible documents).
pub fn aujourd_hui() -> String {
    date_du_jour().fr()
}

/// Seconds since 1970 by the system's clock.
#[cfg(not(target_arch = "wasm32"))]
fn maintenant() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Seconds since 1970 by the browser's clock: std has none on wasm32-unknown-unknown (it
/// would panic), and the page's dates are the day the user reads them, in their time zone.
#[cfg(target_arch = "wasm32")]
fn maintenant() -> i64 {
    let d = js_sys::Date::new_0();
    (d.get_time() / 1000.0) as i64 - (d.get_timezone_offset() * 60.0) as i64
}

/// Today (or the day of `SOURCE_DATE_EPOCH`, for reproducible outputs).
pub fn date_du_jour() -> crate::model::Date {
    let secondes =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(maintenant);
    crate::model::Date::depuis_jours_unix(secondes.div_euclid(86_400))
        .or_else(|| crate::model::Date::new(1970, 1, 1))
        .unwrap_or_else(|| unreachable!("1970-01-01 is a date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        let civile = |j| crate::model::Date::depuis_jours_unix(j).map(|d| d.to_string());
        assert_eq!(civile(0).as_deref(), Some("1970-01-01"));
        assert_eq!(civile(20_415).as_deref(), Some("2025-11-23"));
        assert_eq!(civile(19_782).as_deref(), Some("2024-02-29"));
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            echapper_markdown("**gras** <b>x</b> | [lien](http://x)"),
            "\\*\\*gras\\*\\* \\<b\\>x\\</b\\> \\| \\[lien\\](http\\://x)"
        );
        assert_eq!(echapper_markdown("- liste\nsuite"), "\\- liste suite");
    }

    #[test]
    fn github_extensions_are_escaped() {
        let e = echapper_markdown;
        assert_eq!(e("~~barré~~"), "\\~\\~barré\\~\\~");
        assert_eq!(e("voir www.exemple.fr"), "voir www\\.exemple.fr");
        assert_eq!(e("WWW.X.FR"), "WWW\\.X.FR");
        assert_eq!(e("https://x.fr"), "https\\://x.fr");
        assert_eq!(e("&lt;b&gt; &amp;"), "\\&lt;b\\&gt; \\&amp;");
        assert_eq!(e("a@b.fr @equipe"), "a\\@b.fr \\@equipe");
        assert_eq!(e("[ ] tâche | [x] faite"), "\\[ \\] tâche \\| \\[x\\] faite");
        assert_eq!(e(":smile: 3 $x$"), "\\:smile\\: 3 \\$x\\$");
        assert_eq!(e("1. premier"), "1\\. premier");
        assert_eq!(e("12) douze"), "12\\) douze");
        assert_eq!(e("0.1.0"), "0.1.0");
        // French spacing before a colon is left as it is; decimals keep their dot.
        assert_eq!(e("Montant : 12.50"), "Montant : 12.50");
    }
}
