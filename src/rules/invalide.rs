//! A pack that cannot be used: where and why, in French (exit code 2). Apart from the
//! packs themselves, so that what loads a pack's neighbour (the budget layout, `cerfa.toml`)
//! says its errors the same way without depending on the rules.

/// An invalid rule pack: the command stops with exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{fichier}{}: {message}", ligne.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct PackInvalide {
    pub fichier: String,
    pub ligne: Option<usize>,
    pub message: String,
}

/// A prepared file that does not read back: a fault of the build, never of the user.
pub fn prepare_invalide(nom: &str, e: &serde_json::Error) -> PackInvalide {
    PackInvalide {
        fichier: nom.to_string(),
        ligne: None,
        message: format!("forme préparée à la compilation illisible (erreur interne de fnp) : {e}"),
    }
}
