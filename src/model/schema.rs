//! The dossier format (format 1) as a table: every key, its type, whether it is required,
//! and a French help text. The TOML reader, the workbook reader and the template writer all
//! work from this one table, so a key is declared once.

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

/// The scalar keys of format 1, in the order of format.md.
pub static CHAMPS: &[Champ] = &[
    c("format", "Version du format", Entier, true, "Version du format de dossier : toujours 1."),
    c(
        "exercice",
        "Année de financement",
        Entier,
        true,
        "Année de financement demandée (ex. 2025) ; choisit les règles en vigueur.",
    ),
    c(
        "caf.departement",
        "Département de la Caf",
        Departement,
        true,
        "Département de la Caf destinataire (ex. \"69\").",
    ),
    c("porteur.nom", "Nom de la structure", Texte, true, "Nom de la structure qui porte l'action."),
    c("porteur.statut", "Statut juridique", Choix(STATUTS), true, "Statut juridique de la structure."),
    c("porteur.siret", "Numéro SIRET", Texte, false, "Numéro SIRET (14 chiffres, espaces permis)."),
    c("porteur.rna", "Numéro RNA", Texte, false, "Numéro RNA des associations : W suivi de 9 chiffres."),
    c(
        "porteur.contrat_engagement_republicain",
        "Contrat d'engagement républicain signé",
        Booleen,
        false,
        "Le contrat d'engagement républicain est signé (associations, fondations).",
    ),
    c(
        "porteur.charte_parentalite",
        "Charte de soutien à la parentalité",
        Booleen,
        false,
        "La structure adhère à la charte nationale de soutien à la parentalité.",
    ),
    c("porteur.commune", "Commune du siège", Texte, false, "Commune du siège de la structure."),
    c("porteur.departement", "Département du siège", Departement, true, "Département du siège de la structure."),
    c(
        "porteur.finance_caf",
        "Structure déjà financée par la Caf",
        Booleen,
        false,
        "La structure reçoit déjà un financement de la Caf (prestation de service ou subvention).",
    ),
    c("action.intitule", "Intitulé de l'action", Texte, true, "Intitulé de l'action."),
    c("action.axe", "Axe du FNP", Entier, true, "Axe du FNP (1 à 4)."),
    c("action.volet", "Volet de l'axe", Entier, true, "Volet de l'axe (1 ou 2)."),
    c(
        "action.type",
        "Type d'action",
        Texte,
        true,
        "Type d'action de cet axe et de ce volet (ex. \"cafe-des-parents\").",
    ),
    c("action.debut", "Date de début", Date, true, "Date de début de l'action (AAAA-MM-JJ)."),
    c("action.fin", "Date de fin", Date, true, "Date de fin de l'action (AAAA-MM-JJ)."),
    c("action.description", "Description de l'action", Texte, false, "Description libre de l'action."),
    c("action.gratuit", "Gratuite pour les familles", Booleen, false, "L'action est gratuite pour les familles."),
    c("action.public", "Publics visés", ListeChoix(PUBLICS), false, "Publics visés."),
    c("action.age_enfants", "Âges des enfants", Ages, false, "Âges des enfants concernés, en années : [min, max]."),
    c(
        "action.renouvellement",
        "Action déjà financée l'an dernier",
        Booleen,
        false,
        "L'action a déjà été financée l'an dernier.",
    ),
    c(
        "action.projet_parentalite",
        "Dans un projet parentalité de la structure",
        Booleen,
        false,
        "L'action s'inscrit dans un projet parentalité de la structure.",
    ),
    c(
        "action.demarche_globale",
        "Temps fort dans une démarche globale",
        Booleen,
        false,
        "(Temps forts) L'événement s'inscrit dans un accompagnement plus large des parents.",
    ),
    c("action.intervenants_qualifies", "Intervenants qualifiés", Booleen, false, "Les intervenants sont qualifiés."),
    c("action.animateurs", "Qui anime l'action", ListeTexte, false, "Qui anime, ex. [\"caf\", \"cpam\"]."),
    c("action.partenaires", "Partenaires de l'action", ListeTexte, false, "Partenaires, ex. [\"pmi\", \"maternite\"]."),
    c("territoire.communes", "Communes de l'action", ListeTexte, false, "Communes où se déroule l'action."),
    c(
        "territoire.qpv",
        "En quartier prioritaire (QPV)",
        Booleen,
        false,
        "L'action a lieu en quartier prioritaire de la politique de la ville.",
    ),
    c("territoire.rural", "Territoire rural", Booleen, false, "Territoire rural ou semi-rural."),
    c(
        "territoire.centre_social",
        "Centre social sur le territoire",
        Booleen,
        false,
        "Un centre social existe déjà sur ce territoire.",
    ),
    c("territoire.echelle", "Échelle d'intervention", Choix(ECHELLES), false, "Échelle d'intervention."),
    c(
        "groupe.participants_min",
        "Minimum de parents par séance",
        Entier,
        false,
        "Nombre minimum de parents attendus par séance.",
    ),
    c(
        "groupe.participants_max",
        "Maximum de parents par séance",
        Entier,
        false,
        "Nombre maximum de parents attendus par séance.",
    ),
    c("groupe.seances", "Nombre de séances du groupe", Entier, false, "Nombre de séances prévues."),
    c("groupe.frequence", "Fréquence des séances", Texte, false, "Fréquence, ex. \"hebdomadaire\", \"mensuelle\"."),
    c("groupe.enfants_admis", "Enfants présents aux séances", Booleen, false, "Les enfants assistent aux séances."),
    c(
        "groupe.duree_definie",
        "Durée du groupe fixée à l'avance",
        Booleen,
        false,
        "La durée de vie du groupe est fixée à l'avance.",
    ),
    c(
        "groupe.formation_professionnels",
        "Formation de professionnels",
        Booleen,
        false,
        "(Temps forts) L'événement est une formation de professionnels.",
    ),
    c(
        "groupe.reflexion_pratiques_educatives",
        "Réflexion sur les pratiques éducatives",
        Booleen,
        false,
        "(Axe 1 volet 2) L'activité soutient une réflexion sur les pratiques éducatives.",
    ),
    c(
        "groupe.enfants_sous_responsabilite_parents",
        "Enfants sous la responsabilité des parents",
        Booleen,
        false,
        "(Axe 1 volet 2) Les enfants présents restent sous la responsabilité de leurs parents.",
    ),
    c(
        "lieu.demi_journees_ouverture",
        "Demi-journées d'ouverture par semaine",
        Entier,
        false,
        "Demi-journées d'ouverture au public par semaine.",
    ),
    c(
        "lieu.etp_referent",
        "ETP du professionnel référent",
        Decimal,
        false,
        "Équivalent temps plein du professionnel référent (ex. 0.5).",
    ),
    c(
        "lieu.accueillant_qualifie",
        "Accueillant qualifié présent",
        Booleen,
        false,
        "Au moins un accueillant qualifié est présent pendant l'ouverture.",
    ),
    c("lieu.missions", "Missions assurées", ListeChoix(MISSIONS), false, "Missions assurées."),
    c(
        "lieu.espace_confidentiel",
        "Espace confidentiel",
        Booleen,
        false,
        "Les locaux ont un espace confidentiel pour les entretiens.",
    ),
    c("lieu.espace_collectif", "Espace collectif", Booleen, false, "Les locaux ont un espace collectif."),
    c("lieu.accessible", "Locaux accessibles à tous", Booleen, false, "Les locaux sont accessibles à tous."),
    c(
        "lieu.acces_specifique",
        "Accès identifié comme lieu parentalité",
        Booleen,
        false,
        "Les locaux ont un accès spécifique, identifié comme lieu dédié à la parentalité.",
    ),
    c(
        "lieu.accueil_handicap",
        "Accueil du handicap organisé",
        Booleen,
        false,
        "L'accueil des parents en situation de handicap ou d'enfants en situation de handicap est organisé.",
    ),
    c("lieu.itinerant", "Lieu itinérant", Booleen, false, "Le lieu est itinérant."),
    c(
        "lieu.facilitateur_forme",
        "Facilitateur formé dans l'équipe",
        Booleen,
        false,
        "(Maison des 1000 premiers jours) Un facilitateur formé fait partie de l'équipe.",
    ),
    c(
        "telephonie.ecoutants",
        "Qualification des écoutants",
        ListeChoix(ECOUTANTS),
        false,
        "Qualification de chaque écoutant de la ligne.",
    ),
    c(
        "telephonie.plages",
        "Plages d'ouverture de la ligne",
        ListeChoix(PLAGES),
        false,
        "Plages d'ouverture de la ligne.",
    ),
    c(
        "telephonie.anonyme",
        "Appels anonymes ou confidentiels",
        Booleen,
        false,
        "Les appels sont anonymes et/ou confidentiels.",
    ),
    c(
        "reseau.delegation_appel_a_projet",
        "Animation déléguée par appel à projets",
        Booleen,
        false,
        "La Caf a délégué l'animation du réseau par appel à projets.",
    ),
    c(
        "reseau.neutralite",
        "Engagement de neutralité",
        Booleen,
        false,
        "La structure s'engage à la neutralité dans l'animation du réseau.",
    ),
    c("indicateurs.participants", "Participants prévus", Entier, false, "Nombre de participants prévus."),
    c(
        "indicateurs.participants_adultes",
        "Adultes participants prévus",
        Entier,
        false,
        "Nombre d'adultes participants prévus.",
    ),
    c(
        "indicateurs.participants_enfants",
        "Enfants participants prévus",
        Entier,
        false,
        "Nombre d'enfants participants prévus.",
    ),
    c(
        "indicateurs.parents_differents",
        "Parents différents prévus",
        Entier,
        false,
        "Nombre de parents différents prévus.",
    ),
    c("indicateurs.seances", "Séances prévues", Entier, false, "Nombre de séances prévues."),
    c("indicateurs.presence_moyenne", "Présence moyenne par séance", Decimal, false, "Présence moyenne par séance."),
    c("indicateurs.parents_qpv", "Parents résidant en QPV", Entier, false, "Nombre de parents résidant en QPV."),
    c("indicateurs.familles_accueillies", "Familles accueillies", Entier, false, "Nombre de familles accueillies."),
    c("indicateurs.animations", "Nombre d'animations", Entier, false, "Nombre d'animations."),
    c("indicateurs.partenariats", "Nombre de partenariats", Entier, false, "Nombre de partenariats."),
    c(
        "indicateurs.instances_partenariales",
        "Instances partenariales",
        Entier,
        false,
        "Nombre d'instances partenariales.",
    ),
    c("indicateurs.heures_permanence", "Heures de permanence", Entier, false, "Heures de permanence."),
    c("indicateurs.entretiens", "Nombre d'entretiens", Entier, false, "Nombre d'entretiens."),
    c(
        "indicateurs.duree_moyenne_minutes",
        "Durée moyenne d'un entretien (minutes)",
        Entier,
        false,
        "Durée moyenne d'un entretien, en minutes.",
    ),
    c(
        "indicateurs.appels_orientes",
        "Appels orientés vers un partenaire",
        Entier,
        false,
        "Nombre d'appels orientés vers un partenaire.",
    ),
    c("indicateurs.enfants_accompagnes", "Enfants accompagnés", Entier, false, "Nombre d'enfants accompagnés."),
    c(
        "indicateurs.entretiens_parents",
        "Entretiens avec les parents",
        Entier,
        false,
        "Nombre d'entretiens avec les parents.",
    ),
    c("indicateurs.collectifs", "Nombre de collectifs", Entier, false, "Nombre de collectifs."),
    c("indicateurs.rencontres_reseau", "Rencontres du réseau", Entier, false, "Nombre de rencontres du réseau."),
    c("indicateurs.outils", "Outils produits", Entier, false, "Nombre d'outils produits."),
    c("indicateurs.actions_formation", "Actions de formation", Entier, false, "Nombre d'actions de formation."),
    // The bilan (format.md « The bilan », 2026-11-30): the indicators reached, then the bilan itself.
    c(
        "indicateurs_realises.participants",
        "Réalisé : participants",
        Entier,
        false,
        "Nombre de participants atteint (bilan).",
    ),
    c(
        "indicateurs_realises.participants_adultes",
        "Réalisé : adultes participants",
        Entier,
        false,
        "Nombre d'adultes participants atteint (bilan).",
    ),
    c(
        "indicateurs_realises.participants_enfants",
        "Réalisé : enfants participants",
        Entier,
        false,
        "Nombre d'enfants participants atteint (bilan).",
    ),
    c(
        "indicateurs_realises.parents_differents",
        "Réalisé : parents différents",
        Entier,
        false,
        "Nombre de parents différents atteint (bilan).",
    ),
    c("indicateurs_realises.seances", "Réalisé : séances", Entier, false, "Nombre de séances tenues (bilan)."),
    c(
        "indicateurs_realises.presence_moyenne",
        "Réalisé : présence moyenne par séance",
        Decimal,
        false,
        "Présence moyenne par séance constatée (bilan).",
    ),
    c(
        "indicateurs_realises.parents_qpv",
        "Réalisé : parents résidant en QPV",
        Entier,
        false,
        "Nombre de parents résidant en QPV atteint (bilan).",
    ),
    c(
        "indicateurs_realises.familles_accueillies",
        "Réalisé : familles accueillies",
        Entier,
        false,
        "Nombre de familles accueillies (bilan).",
    ),
    c("indicateurs_realises.animations", "Réalisé : animations", Entier, false, "Nombre d'animations tenues (bilan)."),
    c(
        "indicateurs_realises.partenariats",
        "Réalisé : partenariats",
        Entier,
        false,
        "Nombre de partenariats noués (bilan).",
    ),
    c(
        "indicateurs_realises.instances_partenariales",
        "Réalisé : instances partenariales",
        Entier,
        false,
        "Nombre d'instances partenariales tenues (bilan).",
    ),
    c(
        "indicateurs_realises.heures_permanence",
        "Réalisé : heures de permanence",
        Entier,
        false,
        "Heures de permanence assurées (bilan).",
    ),
    c("indicateurs_realises.entretiens", "Réalisé : entretiens", Entier, false, "Nombre d'entretiens menés (bilan)."),
    c(
        "indicateurs_realises.duree_moyenne_minutes",
        "Réalisé : durée moyenne d'entretien (min)",
        Entier,
        false,
        "Durée moyenne constatée d'un entretien, en minutes (bilan).",
    ),
    c(
        "indicateurs_realises.appels_orientes",
        "Réalisé : appels orientés",
        Entier,
        false,
        "Nombre d'appels orientés vers un partenaire (bilan).",
    ),
    c(
        "indicateurs_realises.enfants_accompagnes",
        "Réalisé : enfants accompagnés",
        Entier,
        false,
        "Nombre d'enfants accompagnés (bilan).",
    ),
    c(
        "indicateurs_realises.entretiens_parents",
        "Réalisé : entretiens avec les parents",
        Entier,
        false,
        "Nombre d'entretiens avec les parents (bilan).",
    ),
    c("indicateurs_realises.collectifs", "Réalisé : collectifs", Entier, false, "Nombre de collectifs (bilan)."),
    c(
        "indicateurs_realises.rencontres_reseau",
        "Réalisé : rencontres du réseau",
        Entier,
        false,
        "Nombre de rencontres du réseau tenues (bilan).",
    ),
    c("indicateurs_realises.outils", "Réalisé : outils produits", Entier, false, "Nombre d'outils produits (bilan)."),
    c(
        "indicateurs_realises.actions_formation",
        "Réalisé : actions de formation",
        Entier,
        false,
        "Nombre d'actions de formation tenues (bilan).",
    ),
    c("bilan.date", "Date du bilan", Date, false, "(Bilan) Date à laquelle le bilan est établi (AAAA-MM-JJ)."),
    c(
        "bilan.montant_fnp_accorde",
        "Montant FNP accordé par la Caf",
        Montant,
        false,
        "(Bilan) Montant FNP accordé par la Caf pour l'action.",
    ),
    c(
        "bilan.commentaire",
        "Commentaire du bilan",
        Texte,
        false,
        "(Bilan) Commentaire du porteur sur l'action réalisée.",
    ),
];

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

/// The section of a key (`""` for `format` and `exercice`).
pub fn section(cle: &str) -> &str {
    cle.split_once('.').map_or("", |(s, _)| s)
}

/// The arrays of tables (budget lines).
pub const LIGNES: &[&str] = &["depense", "recette", "contribution"];

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
