//! clap's usage errors, said in French from their kind, keeping clap's details (the argument,
//! the value, the suggestion, the usage line).

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::Arret;

/// « erreur », red and bold on a terminal (the stream strips the style elsewhere).
pub const ERREUR: &str = "\u{1b}[1m\u{1b}[31merreur\u{1b}[0m";

fn texte(e: &clap::Error, k: ContextKind) -> Option<String> {
    match e.get(k)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        ContextValue::None => None,
        _ => None,
    }
}

fn liste(e: &clap::Error, k: ContextKind) -> Vec<String> {
    match e.get(k) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}

/// The reason a value was refused by its parser (`--jobs deux`), in French.
fn raison_fr(source: &str) -> String {
    match source {
        "invalid digit found in string" => "un nombre entier est attendu".into(),
        "cannot parse integer from empty string" => "la valeur est vide".into(),
        "number too large to fit in target type" => "nombre trop grand".into(),
        "number too small to fit in target type" => "nombre trop petit (négatif ?)".into(),
        autre => autre.to_string(),
    }
}

/// The sentence of one error.
fn phrase(e: &clap::Error) -> String {
    let arg = texte(e, ContextKind::InvalidArg).unwrap_or_default();
    let valeur = texte(e, ContextKind::InvalidValue).unwrap_or_default();
    let suggestion = |k: ContextKind| {
        let s = liste(e, k);
        if s.is_empty() {
            String::new()
        } else {
            format!(" ; vouliez-vous dire {} ?", s.iter().map(|x| format!("« {x} »")).collect::<Vec<_>>().join(" ou "))
        }
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "commande « {} » inconnue{}",
            texte(e, ContextKind::InvalidSubcommand).unwrap_or_default(),
            suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument => {
            let mut s = if arg.starts_with('-') {
                format!("option « {arg} » inconnue")
            } else {
                format!("argument « {arg} » inattendu")
            };
            s.push_str(&suggestion(ContextKind::SuggestedArg));
            s.push_str(&suggestion(ContextKind::SuggestedSubcommand));
            if let Some(ContextValue::String(x)) = e.get(ContextKind::Suggested) {
                s.push_str(&format!(" ; {x}"));
            }
            s
        }
        ErrorKind::InvalidValue if valeur.is_empty() => format!("{arg} attend une valeur"),
        ErrorKind::InvalidValue => {
            let possibles = liste(e, ContextKind::ValidValue);
            let mut s = format!("valeur « {valeur} » invalide pour {arg}");
            if !possibles.is_empty() {
                s.push_str(&format!(" ; valeurs possibles : {}", possibles.join(", ")));
            }
            s.push_str(&suggestion(ContextKind::SuggestedValue));
            s
        }
        ErrorKind::ValueValidation => {
            let raison = std::error::Error::source(e).map(|s| raison_fr(&s.to_string())).unwrap_or_default();
            format!("valeur « {valeur} » invalide pour {arg} : {raison}")
        }
        ErrorKind::MissingRequiredArgument => {
            let manquants = liste(e, ContextKind::InvalidArg);
            if manquants.len() > 1 {
                format!("arguments obligatoires manquants : {}", manquants.join(", "))
            } else {
                format!("argument obligatoire manquant : {}", manquants.join(", "))
            }
        }
        ErrorKind::MissingSubcommand => format!(
            "une commande est attendue après « {} »",
            texte(e, ContextKind::InvalidSubcommand).unwrap_or_else(|| "fnp".into())
        ),
        ErrorKind::ArgumentConflict => {
            let avant = texte(e, ContextKind::PriorArg).unwrap_or_default();
            if avant.is_empty() {
                format!("« {arg} » ne peut pas être donné plusieurs fois")
            } else {
                format!("« {arg} » ne peut pas s'employer avec « {avant} »")
            }
        }
        ErrorKind::NoEquals => format!("{arg} s'écrit avec un signe égal : {arg}=VALEUR"),
        ErrorKind::TooManyValues => format!("trop de valeurs pour {arg} : « {valeur} » est de trop"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!(
            "nombre de valeurs incorrect pour {arg} : {} attendue(s), {} donnée(s)",
            texte(e, ContextKind::ExpectedNumValues).or_else(|| texte(e, ContextKind::MinValues)).unwrap_or_default(),
            texte(e, ContextKind::ActualNumValues).unwrap_or_default()
        ),
        _ => "ligne de commande incorrecte".into(),
    }
}

/// What to print for a clap error: help and version as they are (in French through the
/// templates), every usage error as a French sentence, the usage line and where to read more.
pub fn arret(e: &clap::Error) -> Arret {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return Arret::Sortie(e.render().ansi().to_string(), 0),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return Arret::Usage(e.render().ansi().to_string()),
        _ => {}
    }
    let mut t = format!("{ERREUR} : {}\n", phrase(e));
    if let Some(usage) = texte(e, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        t.push_str(&format!("\nUtilisation : {usage}\n"));
        let commande: Vec<&str> = usage
            .split_whitespace()
            .take_while(|m| !m.starts_with(['[', '<', '-']) && m.chars().all(|c| c.is_alphanumeric() || c == '-'))
            .collect();
        if !commande.is_empty() {
            t.push_str(&format!("\nPour en savoir plus : {} --help\n", commande.join(" ")));
        }
    }
    Arret::Usage(t)
}

#[cfg(test)]
mod tests {
    use super::super::analyser;
    use super::*;

    fn usage(args: &[&str]) -> String {
        match analyser(std::iter::once("fnp").chain(args.iter().copied())) {
            Err(Arret::Usage(t)) => t,
            Err(Arret::Sortie(t, c)) => panic!("{c}: {t}"),
            Ok(_) => panic!("{args:?} parsed"),
        }
    }

    #[test]
    fn usage_errors_are_french_and_keep_clap_details() {
        let t = usage(&["chek", "x"]);
        assert!(t.contains("commande « chek » inconnue ; vouliez-vous dire « check » ?"), "{t}");
        let t = usage(&["check"]);
        assert!(t.contains("argument obligatoire manquant : <CHEMIN>..."), "{t}");
        assert!(t.contains("Utilisation : fnp check <CHEMIN>...") && t.contains("fnp check --help"), "{t}");
        let t = usage(&["budget", "--format", "xx", "p.toml"]);
        assert!(
            t.contains("valeur « xx » invalide pour --format <FORMAT> ; valeurs possibles : table, md, csv, json"),
            "{t}"
        );
        let t = usage(&["check", "--formt", "json", "p.toml"]);
        assert!(t.contains("option « --formt » inconnue ; vouliez-vous dire « --format » ?"), "{t}");
        let t = usage(&["check", "--jobs", "deux", "p.toml"]);
        assert!(t.contains("valeur « deux » invalide pour --jobs <N> : un nombre entier est attendu"), "{t}");
        for anglais in ["error:", "Usage:", "tip:", "For more information", "the following"] {
            for args in [&["chek"][..], &["check"], &["budget", "--format", "xx", "p"], &["check", "--formt", "x"]] {
                assert!(!usage(args).contains(anglais), "{anglais} in {:?}", usage(args));
            }
        }
    }
}
