//! The dossier format (format 1) as a table: every key, its type, whether it is required,
//! and a French help text. The TOML reader, the workbook reader and the template writer all
//! work from this one table, so a key is declared once.

pub mod champs;
mod valeurs;

use champs::CHAMPS;
pub use valeurs::{
    a_des_libelles, deslugger, libelle_connu, libelle_de_liste, libelle_valeur, majuscule, valeur_de_liste,
    valeur_par_libelle,
};

/// The type of a scalar field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    Entier,
    Decimal,
    Booleen,
    Texte,
    Date,
    /// One value among a closed list.
    Choix(&'static [&'static str]),
    /// A list of values among a closed list.
    ListeChoix(&'static [&'static str]),
    /// A list of free texts.
    ListeTexte,
    /// `[min, max]`, two integers.
    Ages,
    /// A French department code (`"01"`…`"95"`, `"2A"`, `"2B"`, `"971"`…`"976"`).
    Departement,
    /// An amount (see `Montant`).
    Montant,
}

impl Genre {
    /// A French description of the expected type, for error messages.
    pub fn description(self) -> String {
        match self {
            Genre::Entier => "un nombre entier".into(),
            Genre::Decimal => "un nombre (décimal accepté)".into(),
            Genre::Booleen => "true ou false".into(),
            Genre::Texte => "un texte entre guillemets".into(),
            Genre::Date => "une date (AAAA-MM-JJ, sans guillemets)".into(),
            Genre::Choix(v) => format!("une de ces valeurs : {}", liste_valeurs(v)),
            Genre::ListeChoix(v) => format!("une liste de valeurs parmi : {}", liste_valeurs(v)),
            Genre::ListeTexte => "une liste de textes, par exemple [\"a\", \"b\"]".into(),
            Genre::Ages => "deux âges en années, [min, max]".into(),
            Genre::Departement => {
                "un code de département entre guillemets (\"01\"…\"95\", \"2A\", \"2B\", \"971\"…\"974\", \"976\")"
                    .into()
            }
            Genre::Montant => "un montant (1200, 1200.50 ou \"1 200,50 €\")".into(),
        }
    }
}

pub fn liste_valeurs(v: &[&str]) -> String {
    v.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

/// One key of the dossier.
#[derive(Debug, Clone, Copy)]
pub struct Champ {
    /// Dotted key: `action.axe`, `exercice`.
    pub cle: &'static str,
    /// Short French label a treasurer reads (column A of the template's `Dossier` sheet):
    /// unique, and never another field's key.
    pub libelle: &'static str,
    pub genre: Genre,
    pub requis: bool,
    /// French help text (template, `fnp init`).
    pub aide: &'static str,
}

const fn c(cle: &'static str, libelle: &'static str, genre: Genre, requis: bool, aide: &'static str) -> Champ {
    Champ { cle, libelle, genre, requis, aide }
}

pub const STATUTS: &[&str] = &[
    "association",
    "collectivite",
    "ccas",
    "etablissement-public",
    "centre-social",
    "caf",
    "cpam",
    "msa",
    "fondation",
    "mutuelle",
    "cooperative-ess",
    "entreprise",
    "autre",
];
pub const PUBLICS: &[&str] =
    &["parents", "futurs-parents", "enfants", "grands-parents", "professionnels", "tout-public"];
pub const ECHELLES: &[&str] = &["commune", "epci", "departement"];
pub const MISSIONS: &[&str] = &["information", "accueil-inconditionnel", "appui-collectifs", "services"];
pub const ECOUTANTS: &[&str] = &["psychologue", "travailleur-social", "autre"];
pub const PLAGES: &[&str] = &["matin-tot", "journee", "soiree", "samedi"];

use Genre::*;

/// The tables that hold scalar keys, in the order of format.md.
pub const SECTIONS: &[&str] = &[
    "caf",
    "porteur",
    "action",
    "territoire",
    "groupe",
    "lieu",
    "telephonie",
    "reseau",
    "indicateurs",
    "indicateurs_realises",
    "bilan",
];

/// The heading of each group of keys in the template's `Dossier` sheet (`""`: the keys at the
/// top of the file), in the order of `CHAMPS`.
pub const TITRES_SECTIONS: &[(&str, &str)] = &[
    ("", "Le dossier"),
    ("caf", "La Caf destinataire"),
    ("porteur", "La structure qui porte l'action"),
    ("action", "L'action"),
    ("territoire", "Le territoire"),
    ("groupe", "Le groupe de parents (axe 1)"),
    ("lieu", "Le lieu d'accueil (axe 3, volet 1)"),
    ("telephonie", "La téléphonie sociale (axe 2, volet 2)"),
    ("reseau", "L'animation du réseau (axe 4, volet 1)"),
    ("indicateurs", "Les indicateurs d'évaluation prévus"),
    ("indicateurs_realises", "Bilan : les indicateurs réalisés"),
    ("bilan", "Bilan : l'action réalisée"),
];

/// The workbook sheet of a list of lines (`recette` → `Recettes`).
pub fn feuille_de_liste(liste: &str) -> Option<&'static str> {
    Some(match liste {
        "depense" => "Dépenses",
        "recette" => "Recettes",
        "contribution" => "Contributions",
        _ => return None,
    })
}

/// What a key names in a workbook: a `Dossier` row's label, or a line column's header
/// (`recette.financeur` → `Financeur`).
pub fn libelle_de(cle: &str) -> Option<&'static str> {
    if let Some(c) = champ(cle) {
        return Some(c.libelle);
    }
    let (liste, colonne) = cle.split_once('.')?;
    feuille_de_liste(liste)?;
    colonnes(liste).iter().find(|c| c.cle == colonne).map(|c| c.entete)
}

/// The section of a key (`""` for `format` and `exercice`).
pub fn section(cle: &str) -> &str {
    cle.split_once('.').map_or("", |(s, _)| s)
}

/// The arrays of tables (budget lines).
pub const LIGNES: &[&str] = &["depense", "recette", "contribution"];

/// The sheets of fnp's workbook, in order: the Dossier's keys, then the three line sheets.
pub const NOMS_FEUILLES: [&str; 4] = ["Dossier", "Dépenses", "Recettes", "Contributions"];

pub fn champ(cle: &str) -> Option<&'static Champ> {
    CHAMPS.iter().find(|c| c.cle == cle)
}

/// A label as compared: lower case, no accents, the required marker `*` dropped, and every
/// run of spaces or punctuation one `_` (`Intitulé de l’action *` = `intitule_de_l_action`).
pub fn libelle_normalise(texte: &str) -> String {
    let mut s = String::with_capacity(texte.len());
    for c in texte.chars().flat_map(char::to_lowercase).map(super::sans_accent) {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('_') {
            s.push('_');
        }
    }
    while s.ends_with('_') {
        s.pop();
    }
    s
}

/// The label without a parenthesised suffix (`Montant (€)` → `Montant`), as headers are read.
fn sans_suffixe(texte: &str) -> &str {
    let t = texte.trim().trim_end_matches('*').trim_end();
    match t.rfind('(') {
        Some(i) if t.ends_with(')') && i > 0 => t[..i].trim_end(),
        _ => t,
    }
}

/// Normalised label → field; the same without a parenthesised suffix, when that names one
/// field only; normalised section titles (tables made once).
static LIBELLES: std::sync::LazyLock<std::collections::HashMap<String, &'static Champ>> =
    std::sync::LazyLock::new(|| CHAMPS.iter().map(|c| (libelle_normalise(c.libelle), c)).collect());
static LIBELLES_COURTS: std::sync::LazyLock<std::collections::HashMap<String, Option<&'static Champ>>> =
    std::sync::LazyLock::new(|| {
        let mut t = std::collections::HashMap::new();
        for c in CHAMPS {
            t.entry(libelle_normalise(sans_suffixe(c.libelle)))
                .and_modify(|v: &mut Option<&'static Champ>| *v = None)
                .or_insert(Some(c));
        }
        t
    });
static TITRES: std::sync::LazyLock<Vec<String>> =
    std::sync::LazyLock::new(|| TITRES_SECTIONS.iter().map(|(_, t)| libelle_normalise(t)).collect());

/// The field whose French label is `texte`, loosely matched (case, accents, spaces,
/// punctuation, a trailing `*`); else, the same without a parenthesised suffix on either side
/// (`Durée moyenne d'un entretien` for `Durée moyenne d'un entretien (minutes)`).
pub fn champ_par_libelle(texte: &str) -> Option<&'static Champ> {
    if let Some(c) = LIBELLES.get(&libelle_normalise(texte)) {
        return Some(c);
    }
    LIBELLES_COURTS.get(&libelle_normalise(sans_suffixe(texte))).copied().flatten()
}

/// Whether `texte` is the heading of a group of keys in the template (`TITRES_SECTIONS`).
pub fn est_titre_section(texte: &str) -> bool {
    let t = libelle_normalise(texte);
    !t.is_empty() && TITRES.contains(&t)
}

/// The field whose label is close to `texte` (a label mistyped). The edit distance of
/// `suggestion`, with a tighter bound: labels are phrases sharing words (« Cachet de la
/// structure » is three edits per word from « Nom de la structure », and no typo of it).
pub fn libelle_proche(texte: &str) -> Option<&'static Champ> {
    let t = libelle_normalise(texte);
    if t.is_empty() {
        return None;
    }
    CHAMPS
        .iter()
        .map(|c| {
            let n = libelle_normalise(c.libelle);
            let borne = (n.chars().count() / 6).max(1);
            (c, strsim::damerau_levenshtein(&t, &n), borne)
        })
        .filter(|(_, d, borne)| *d > 0 && d <= borne)
        .min_by_key(|(_, d, _)| *d)
        .map(|(c, _, _)| c)
}

/// One column of a budget line.
#[derive(Debug, Clone, Copy)]
pub struct Colonne {
    pub cle: &'static str,
    /// The workbook header (spreadsheet.md).
    pub entete: &'static str,
    pub genre: Genre,
    pub requis: bool,
}

const fn col(cle: &'static str, entete: &'static str, genre: Genre, requis: bool) -> Colonne {
    Colonne { cle, entete, genre, requis }
}

pub const NATURES_DEPENSE: &[&str] = &[
    "prestation",
    "location",
    "petit-materiel",
    "assurance",
    "communication",
    "deplacement",
    "billetterie",
    "personnel",
    "fonctionnement",
    "investissement",
];
pub const DISPOSITIFS: &[&str] = &["laep", "clas"];
pub const JUSTIFICATIFS: &[&str] =
    &["contrat", "avenant", "heures-complementaires", "heures-supplementaires", "recuperation"];
pub const FINANCEURS: &[&str] = &[
    "caf-fnp",
    "caf-autre",
    "etat",
    "region",
    "departement",
    "commune",
    "epci",
    "cpam",
    "msa",
    "ars",
    "asp",
    "fonjep",
    "fonds-europeens",
    "autre-public",
    "prive",
    "dons",
    "cotisations",
    "ventes",
    "participation-familles",
    "fonds-propres",
    "autre",
];
pub const STATUTS_RECETTE: &[&str] = &["demande", "acquis"];
pub const NATURES_CONTRIBUTION: &[&str] =
    &["benevolat", "mise-a-disposition-personnel", "mise-a-disposition-locaux", "dons-en-nature"];

pub static COLONNES_DEPENSE: &[Colonne] = &[
    col("nature", "Nature", Choix(NATURES_DEPENSE), true),
    col("libelle", "Libellé", Texte, true),
    col("montant", "Montant (€)", Montant, true),
    col("realise", "Réalisé (€)", Montant, false),
    col("explication", "Explication", Texte, false),
    col("compte", "Compte", Texte, false),
    col("dispositif", "Dispositif", Choix(DISPOSITIFS), false),
    col("hausse_temps_travail", "Hausse du temps de travail", Booleen, false),
    col("justificatif", "Justificatif", Choix(JUSTIFICATIFS), false),
];
pub static COLONNES_RECETTE: &[Colonne] = &[
    col("financeur", "Financeur", Choix(FINANCEURS), true),
    col("libelle", "Libellé", Texte, false),
    col("montant", "Montant (€)", Montant, true),
    col("realise", "Réalisé (€)", Montant, false),
    col("explication", "Explication", Texte, false),
    col("statut", "Statut", Choix(STATUTS_RECETTE), false),
    col("dispositif", "Dispositif", Choix(DISPOSITIFS), false),
];
pub static COLONNES_CONTRIBUTION: &[Colonne] = &[
    col("nature", "Nature", Choix(NATURES_CONTRIBUTION), true),
    col("libelle", "Libellé", Texte, false),
    col("montant", "Montant (€)", Montant, true),
    col("realise", "Réalisé (€)", Montant, false),
    col("explication", "Explication", Texte, false),
];

pub fn colonnes(ligne: &str) -> &'static [Colonne] {
    match ligne {
        "depense" => COLONNES_DEPENSE,
        "recette" => COLONNES_RECETTE,
        _ => COLONNES_CONTRIBUTION,
    }
}

/// Valid department codes.
pub fn departement_valide(code: &str) -> bool {
    match code.len() {
        2 => match code {
            "2A" | "2B" => true,
            "20" => false,
            _ => code.parse::<u8>().is_ok_and(|n| (1..=95).contains(&n)) && code.bytes().all(|b| b.is_ascii_digit()),
        },
        3 => matches!(code, "971" | "972" | "973" | "974" | "976"),
        _ => false,
    }
}

/// Words people write for an enumerated value, which no edit distance would find (« mairie »
/// for the funder `commune`, but for the status `collectivite`): per list, a folded word (lower
/// case, no accent, spaces as dashes) → the value to write.
type Synonymes = &'static [(&'static str, &'static str)];

const SYNONYMES: &[(&[&str], Synonymes)] = &[
    (
        FINANCEURS,
        &[
            ("mairie", "commune"),
            ("ville", "commune"),
            ("municipalite", "commune"),
            ("conseil-departemental", "departement"),
            ("cd", "departement"),
            ("conseil-regional", "region"),
            ("communaute-de-communes", "epci"),
            ("agglomeration", "epci"),
            ("communaute-d-agglomeration", "epci"),
            ("metropole", "epci"),
            ("fnp", "caf-fnp"),
            ("caf", "caf-autre"),
            ("prestation-de-service", "caf-autre"),
            ("familles", "participation-familles"),
            ("participation", "participation-familles"),
            ("participation-des-familles", "participation-familles"),
            ("adhesions", "cotisations"),
            ("fondation", "prive"),
            ("mecenat", "dons"),
            ("europe", "fonds-europeens"),
            ("fse", "fonds-europeens"),
            ("autofinancement", "fonds-propres"),
        ],
    ),
    (
        STATUTS,
        &[
            ("mairie", "collectivite"),
            ("commune", "collectivite"),
            ("departement", "collectivite"),
            ("asso", "association"),
            ("loi-1901", "association"),
            ("entreprise-privee", "entreprise"),
            ("societe", "entreprise"),
            ("scop", "cooperative-ess"),
            ("scic", "cooperative-ess"),
        ],
    ),
    (
        NATURES_DEPENSE,
        &[
            ("salaire", "personnel"),
            ("salaires", "personnel"),
            ("charges-de-personnel", "personnel"),
            ("honoraires", "prestation"),
            ("intervenant", "prestation"),
            ("materiel", "petit-materiel"),
            ("fournitures", "petit-materiel"),
            ("transport", "deplacement"),
            ("deplacements", "deplacement"),
            ("publicite", "communication"),
            ("loyer", "fonctionnement"),
            ("frais-de-structure", "fonctionnement"),
            ("achat-de-materiel-durable", "investissement"),
            ("amortissement", "investissement"),
        ],
    ),
    (
        NATURES_CONTRIBUTION,
        &[
            ("benevoles", "benevolat"),
            ("temps-benevole", "benevolat"),
            ("locaux", "mise-a-disposition-locaux"),
            ("salle", "mise-a-disposition-locaux"),
        ],
    ),
];

/// The value people meant by a word of their own (see `SYNONYMES`), for this list.
pub fn synonyme(valeur: &str, liste: &[&str]) -> Option<&'static str> {
    let plie: String = valeur
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            ' ' | '_' | '\'' | '’' => '-',
            c => super::sans_accent(c),
        })
        .collect();
    let (_, table) = SYNONYMES.iter().find(|(l, _)| std::ptr::eq(*l, liste) || *l == liste)?;
    table.iter().find(|(mot, _)| *mot == plie).map(|(_, v)| *v)
}

/// The known key closest to `cle` among `candidats`, if close enough to be a likely typo.
pub fn suggestion<'a>(cle: &str, candidats: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let cle_min = cle.to_lowercase();
    candidats
        .into_iter()
        .map(|k| (k, strsim::damerau_levenshtein(&cle_min, k)))
        .filter(|(k, d)| *d <= (k.chars().count() / 3).max(2) && *d > 0 || (*d == 0 && *k != cle))
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_people_write_for_enumerated_values() {
        assert_eq!(synonyme("Mairie", FINANCEURS), Some("commune"));
        assert_eq!(synonyme("mairie", STATUTS), Some("collectivite"));
        assert_eq!(synonyme("Conseil départemental", FINANCEURS), Some("departement"));
        assert_eq!(synonyme("salaires", NATURES_DEPENSE), Some("personnel"));
        assert_eq!(synonyme("mairie", NATURES_DEPENSE), None);
    }

    #[test]
    fn departments() {
        for ok in ["01", "19", "2A", "2B", "21", "69", "95", "971", "976"] {
            assert!(departement_valide(ok), "{ok}");
        }
        for ko in ["1", "00", "20", "96", "975", "977", "2C", "6A", "069", ""] {
            assert!(!departement_valide(ko), "{ko}");
        }
    }

    #[test]
    fn suggestions() {
        let cles = ["participants_min", "participants_max", "seances"];
        assert_eq!(suggestion("participant_min", cles), Some("participants_min"));
        assert_eq!(suggestion("Seances", cles), Some("seances"));
        assert_eq!(suggestion("budget", cles), None);
    }

    #[test]
    fn labels_are_unique_and_never_keys() {
        let mut vus = std::collections::HashSet::new();
        for c in CHAMPS {
            let n = libelle_normalise(c.libelle);
            assert!(vus.insert(n.clone()), "label « {} » twice", c.libelle);
            assert_eq!(champ_par_libelle(c.libelle).map(|x| x.cle), Some(c.cle), "{}", c.libelle);
            assert!(c.libelle.chars().count() <= 42, "label « {} » too long", c.libelle);
            assert!(!c.libelle.contains('*'), "{}", c.libelle);
        }
        // A key read as a label is that key's field or none (« Territoire rural » is
        // `territoire.rural` both ways).
        for c in CHAMPS {
            assert!(champ_par_libelle(c.cle).is_none_or(|x| x.cle == c.cle), "key {} reads as another label", c.cle);
        }
        for (_, titre) in TITRES_SECTIONS {
            assert!(!vus.contains(&libelle_normalise(titre)), "title « {titre} » is a label");
            assert!(champ_par_libelle(titre).is_none() && libelle_proche(titre).is_none(), "{titre}");
        }
        // Every section of the table has its title.
        for c in CHAMPS {
            assert!(TITRES_SECTIONS.iter().any(|(s, _)| *s == section(c.cle)), "{}", c.cle);
        }
    }

    #[test]
    fn labels_match_loosely() {
        let cle = |t: &str| champ_par_libelle(t).map(|c| c.cle);
        assert_eq!(cle("Nom de la structure *"), Some("porteur.nom"));
        assert_eq!(cle("  nom DE LA structure"), Some("porteur.nom"));
        assert_eq!(cle("Intitule de l’action"), Some("action.intitule"));
        assert_eq!(cle("Département de la CAF"), Some("caf.departement"));
        assert_eq!(cle("Durée moyenne d'un entretien"), Some("indicateurs.duree_moyenne_minutes"));
        assert_eq!(cle("Durée moyenne d'un entretien (en minutes)"), Some("indicateurs.duree_moyenne_minutes"));
        assert_eq!(cle("Remarque"), None);
        assert!(est_titre_section("LA STRUCTURE QUI PORTE L'ACTION"));
        assert_eq!(libelle_proche("Nom de la structur").map(|c| c.cle), Some("porteur.nom"));
        assert_eq!(libelle_proche("Date de débt").map(|c| c.cle), Some("action.debut"));
        // What people add to a sheet is far from every label.
        for note in [
            "Remarque",
            "Remarques",
            "Commentaire",
            "Commentaire du trésorier",
            "Observations",
            "Note",
            "Total",
            "Signature",
            "Date",
            "Contact",
            "Téléphone",
            "Courriel",
            "Président",
            "Cachet de la structure",
            "Fait à",
            "Le",
        ] {
            assert_eq!(libelle_proche(note).map(|c| c.libelle), None, "{note}");
        }
    }

    #[test]
    fn every_key_is_unique() {
        let mut vus = std::collections::HashSet::new();
        for c in CHAMPS {
            assert!(vus.insert(c.cle), "{} twice", c.cle);
        }
    }
}
