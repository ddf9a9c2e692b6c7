//! The findings a reader makes, by rule id (their severity, title and source are in
//! `rules/national.toml`; their messages are the readers' own, where they are met), and the
//! placeholder `fnp init` writes where a value is to give.

pub const CHAMP_INCONNU: &str = "SAISIE-CHAMP-INCONNU";
pub const CHAMP_MANQUANT: &str = "SAISIE-CHAMP-MANQUANT";
pub const TYPE: &str = "SAISIE-TYPE";
pub const MONTANT: &str = "SAISIE-MONTANT";
pub const DATE: &str = "SAISIE-DATE";
pub const A_COMPLETER: &str = "SAISIE-A-COMPLETER";
pub const COLONNE_INCONNUE: &str = "SAISIE-COLONNE-INCONNUE";
/// A workbook carrying macros, or links to other files (DDE included): an `avertissement`.
pub const MACROS: &str = "CLASSEUR-MACROS";
pub const LIENS_EXTERNES: &str = "CLASSEUR-LIENS-EXTERNES";
/// A total row whose value differs from the sum of the lines above it (an `avertissement`).
pub const TOTAL: &str = "SAISIE-TOTAL";
/// A `Dossier` row whose label is far from every key: a note people added (an `info`).
pub const LIGNE_IGNOREE: &str = "SAISIE-LIGNE-IGNOREE";
/// An info: number cells whose formula fnp cannot recompute, read as saved.
pub const FORMULE: &str = "SAISIE-FORMULE";

/// The placeholder `fnp init` writes where the treasurer must give a value.
pub const MARQUE_A_COMPLETER: &str = "À COMPLÉTER";

/// The message for a value that is not one of `liste` (TOML and workbooks alike), with the
/// value meant when one is close.
pub fn valeur_inconnue(nom: &str, valeur: &str, liste: &[&str]) -> String {
    let conseil = match crate::model::schema::synonyme(valeur, liste)
        .or_else(|| crate::model::schema::suggestion(valeur, liste.iter().copied()))
    {
        Some(s) => format!("vouliez-vous dire \"{s}\" ? "),
        None => String::new(),
    };
    format!(
        "« {nom} » : valeur \"{valeur}\" inconnue ; {conseil}valeurs acceptées : {}",
        crate::model::schema::liste_valeurs(liste)
    )
}
