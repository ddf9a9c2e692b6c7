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
    pub genre: Genre,
    pub requis: bool,
    /// French help text (template, `fnp init`).
    pub aide: &'static str,
}

const fn c(cle: &'static str, genre: Genre, requis: bool, aide: &'static str) -> Champ {
    Champ { cle, genre, requis, aide }
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
    c("format", Entier, true, "Version du format de dossier : toujours 1."),
    c("exercice", Entier, true, "Année de financement demandée (ex. 2025) ; choisit les règles en vigueur."),
    c("caf.departement", Departement, true, "Département de la Caf destinataire (ex. \"69\")."),
    c("porteur.nom", Texte, true, "Nom de la structure qui porte l'action."),
    c("porteur.statut", Choix(STATUTS), true, "Statut juridique de la structure."),
    c("porteur.siret", Texte, false, "Numéro SIRET (14 chiffres, espaces permis)."),
    c("porteur.rna", Texte, false, "Numéro RNA des associations : W suivi de 9 chiffres."),
    c(
        "porteur.contrat_engagement_republicain",
        Booleen,
        false,
        "Le contrat d'engagement républicain est signé (associations, fondations).",
    ),
    c(
        "porteur.charte_parentalite",
        Booleen,
        false,
        "La structure adhère à la charte nationale de soutien à la parentalité.",
    ),
    c("porteur.commune", Texte, false, "Commune du siège de la structure."),
    c("porteur.departement", Departement, true, "Département du siège de la structure."),
    c(
        "porteur.finance_caf",
        Booleen,
        false,
        "La structure reçoit déjà un financement de la Caf (prestation de service ou subvention).",
    ),
    c("action.intitule", Texte, true, "Intitulé de l'action."),
    c("action.axe", Entier, true, "Axe du FNP (1 à 4)."),
    c("action.volet", Entier, true, "Volet de l'axe (1 ou 2)."),
    c("action.type", Texte, true, "Type d'action de cet axe et de ce volet (ex. \"cafe-des-parents\")."),
    c("action.debut", Date, true, "Date de début de l'action (AAAA-MM-JJ)."),
    c("action.fin", Date, true, "Date de fin de l'action (AAAA-MM-JJ)."),
    c("action.description", Texte, false, "Description libre de l'action."),
    c("action.gratuit", Booleen, false, "L'action est gratuite pour les familles."),
    c("action.public", ListeChoix(PUBLICS), false, "Publics visés."),
    c("action.age_enfants", Ages, false, "Âges des enfants concernés, en années : [min, max]."),
    c("action.renouvellement", Booleen, false, "L'action a déjà été financée l'an dernier."),
    c("action.projet_parentalite", Booleen, false, "L'action s'inscrit dans un projet parentalité de la structure."),
    c(
        "action.demarche_globale",
        Booleen,
        false,
        "(Temps forts) L'événement s'inscrit dans un accompagnement plus large des parents.",
    ),
    c("action.intervenants_qualifies", Booleen, false, "Les intervenants sont qualifiés."),
    c("action.animateurs", ListeTexte, false, "Qui anime, ex. [\"caf\", \"cpam\"]."),
    c("action.partenaires", ListeTexte, false, "Partenaires, ex. [\"pmi\", \"maternite\"]."),
    c("territoire.communes", ListeTexte, false, "Communes où se déroule l'action."),
    c("territoire.qpv", Booleen, false, "L'action a lieu en quartier prioritaire de la politique de la ville."),
    c("territoire.rural", Booleen, false, "Territoire rural ou semi-rural."),
    c("territoire.centre_social", Booleen, false, "Un centre social existe déjà sur ce territoire."),
    c("territoire.echelle", Choix(ECHELLES), false, "Échelle d'intervention."),
    c("groupe.participants_min", Entier, false, "Nombre minimum de parents attendus par séance."),
    c("groupe.participants_max", Entier, false, "Nombre maximum de parents attendus par séance."),
    c("groupe.seances", Entier, false, "Nombre de séances prévues."),
    c("groupe.frequence", Texte, false, "Fréquence, ex. \"hebdomadaire\", \"mensuelle\"."),
    c("groupe.enfants_admis", Booleen, false, "Les enfants assistent aux séances."),
    c("groupe.duree_definie", Booleen, false, "La durée de vie du groupe est fixée à l'avance."),
    c(
        "groupe.formation_professionnels",
        Booleen,
        false,
        "(Temps forts) L'événement est une formation de professionnels.",
    ),
    c(
        "groupe.reflexion_pratiques_educatives",
        Booleen,
        false,
        "(Axe 1 volet 2) L'activité soutient une réflexion sur les pratiques éducatives.",
    ),
    c(
        "groupe.enfants_sous_responsabilite_parents",
        Booleen,
        false,
        "(Axe 1 volet 2) Les enfants présents restent sous la responsabilité de leurs parents.",
    ),
    c("lieu.demi_journees_ouverture", Entier, false, "Demi-journées d'ouverture au public par semaine."),
    c("lieu.etp_referent", Decimal, false, "Équivalent temps plein du professionnel référent (ex. 0.5)."),
    c("lieu.accueillant_qualifie", Booleen, false, "Au moins un accueillant qualifié est présent pendant l'ouverture."),
    c("lieu.missions", ListeChoix(MISSIONS), false, "Missions assurées."),
    c("lieu.espace_confidentiel", Booleen, false, "Les locaux ont un espace confidentiel pour les entretiens."),
    c("lieu.espace_collectif", Booleen, false, "Les locaux ont un espace collectif."),
    c("lieu.accessible", Booleen, false, "Les locaux sont accessibles à tous."),
    c(
        "lieu.acces_specifique",
        Booleen,
        false,
        "Les locaux ont un accès spécifique, identifié comme lieu dédié à la parentalité.",
    ),
    c(
        "lieu.accueil_handicap",
        Booleen,
        false,
        "L'accueil des parents en situation de handicap ou d'enfants en situation de handicap est organisé.",
    ),
    c("lieu.itinerant", Booleen, false, "Le lieu est itinérant."),
    c(
        "lieu.facilitateur_forme",
        Booleen,
        false,
        "(Maison des 1000 premiers jours) Un facilitateur formé fait partie de l'équipe.",
    ),
    c("telephonie.ecoutants", ListeChoix(ECOUTANTS), false, "Qualification de chaque écoutant de la ligne."),
    c("telephonie.plages", ListeChoix(PLAGES), false, "Plages d'ouverture de la ligne."),
    c("telephonie.anonyme", Booleen, false, "Les appels sont anonymes et/ou confidentiels."),
    c(
        "reseau.delegation_appel_a_projet",
        Booleen,
        false,
        "La Caf a délégué l'animation du réseau par appel à projets.",
    ),
    c("reseau.neutralite", Booleen, false, "La structure s'engage à la neutralité dans l'animation du réseau."),
    c("indicateurs.participants", Entier, false, "Nombre de participants prévus."),
    c("indicateurs.participants_adultes", Entier, false, "Nombre d'adultes participants prévus."),
    c("indicateurs.participants_enfants", Entier, false, "Nombre d'enfants participants prévus."),
    c("indicateurs.parents_differents", Entier, false, "Nombre de parents différents prévus."),
    c("indicateurs.seances", Entier, false, "Nombre de séances prévues."),
    c("indicateurs.presence_moyenne", Decimal, false, "Présence moyenne par séance."),
    c("indicateurs.parents_qpv", Entier, false, "Nombre de parents résidant en QPV."),
    c("indicateurs.familles_accueillies", Entier, false, "Nombre de familles accueillies."),
    c("indicateurs.animations", Entier, false, "Nombre d'animations."),
    c("indicateurs.partenariats", Entier, false, "Nombre de partenariats."),
    c("indicateurs.instances_partenariales", Entier, false, "Nombre d'instances partenariales."),
    c("indicateurs.heures_permanence", Entier, false, "Heures de permanence."),
    c("indicateurs.entretiens", Entier, false, "Nombre d'entretiens."),
    c("indicateurs.duree_moyenne_minutes", Entier, false, "Durée moyenne d'un entretien, en minutes."),
    c("indicateurs.appels_orientes", Entier, false, "Nombre d'appels orientés vers un partenaire."),
    c("indicateurs.enfants_accompagnes", Entier, false, "Nombre d'enfants accompagnés."),
    c("indicateurs.entretiens_parents", Entier, false, "Nombre d'entretiens avec les parents."),
    c("indicateurs.collectifs", Entier, false, "Nombre de collectifs."),
    c("indicateurs.rencontres_reseau", Entier, false, "Nombre de rencontres du réseau."),
    c("indicateurs.outils", Entier, false, "Nombre d'outils produits."),
    c("indicateurs.actions_formation", Entier, false, "Nombre d'actions de formation."),
];

/// The tables that hold scalar keys, in the order of format.md.
pub const SECTIONS: &[&str] =
    &["caf", "porteur", "action", "territoire", "groupe", "lieu", "telephonie", "reseau", "indicateurs"];

/// The arrays of tables (budget lines).
pub const LIGNES: &[&str] = &["depense", "recette", "contribution"];

pub fn champ(cle: &str) -> Option<&'static Champ> {
    CHAMPS.iter().find(|c| c.cle == cle)
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
    col("compte", "Compte", Texte, false),
    col("dispositif", "Dispositif", Choix(DISPOSITIFS), false),
    col("hausse_temps_travail", "Hausse du temps de travail", Booleen, false),
    col("justificatif", "Justificatif", Choix(JUSTIFICATIFS), false),
];
pub static COLONNES_RECETTE: &[Colonne] = &[
    col("financeur", "Financeur", Choix(FINANCEURS), true),
    col("libelle", "Libellé", Texte, false),
    col("montant", "Montant (€)", Montant, true),
    col("statut", "Statut", Choix(STATUTS_RECETTE), false),
    col("dispositif", "Dispositif", Choix(DISPOSITIFS), false),
];
pub static COLONNES_CONTRIBUTION: &[Colonne] = &[
    col("nature", "Nature", Choix(NATURES_CONTRIBUTION), true),
    col("libelle", "Libellé", Texte, false),
    col("montant", "Montant (€)", Montant, true),
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
    fn every_key_is_unique() {
        let mut vus = std::collections::HashSet::new();
        for c in CHAMPS {
            assert!(vus.insert(c.cle), "{} twice", c.cle);
        }
    }
}
