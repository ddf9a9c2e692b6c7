//! The French label of every enumerated value (statuts, types d'action, financeurs, natures…)
//! and of the words people write as slugs in free lists (`animateurs`, `partenaires`): what a
//! document shows instead of the value stored in the dossier. Data only, one table per list.

/// (value, French label), per list.
type Table = &'static [(&'static str, &'static str)];

const STATUTS: Table = &[
    ("association", "association"),
    ("collectivite", "collectivité territoriale"),
    ("ccas", "centre communal d'action sociale (CCAS)"),
    ("etablissement-public", "établissement public"),
    ("centre-social", "centre social"),
    ("caf", "Caf"),
    ("cpam", "Cpam"),
    ("msa", "MSA"),
    ("fondation", "fondation"),
    ("mutuelle", "mutuelle"),
    ("cooperative-ess", "coopérative de l'économie sociale et solidaire"),
    ("entreprise", "entreprise"),
    ("autre", "autre"),
];

const PUBLICS: Table = &[
    ("parents", "parents"),
    ("futurs-parents", "futurs parents"),
    ("enfants", "enfants"),
    ("grands-parents", "grands-parents"),
    ("professionnels", "professionnels"),
    ("tout-public", "tout public"),
];

const ECHELLES: Table = &[("commune", "commune"), ("epci", "intercommunalité"), ("departement", "département")];

const MISSIONS: Table = &[
    ("information", "information"),
    ("accueil-inconditionnel", "accueil inconditionnel"),
    ("appui-collectifs", "appui aux collectifs de parents"),
    ("services", "mise à disposition de services de soutien à la parentalité"),
];

const ECOUTANTS: Table =
    &[("psychologue", "psychologue"), ("travailleur-social", "travailleur social"), ("autre", "autre")];

const PLAGES: Table =
    &[("matin-tot", "tôt le matin"), ("journee", "en journée"), ("soiree", "en soirée"), ("samedi", "le samedi")];

/// The action types of the national pack (`[volets]`).
const TYPES: Table = &[
    ("cafe-des-parents", "café des parents"),
    ("groupe-de-parole", "groupe de parole"),
    ("groupe-entre-parents", "groupe entre parents"),
    ("groupe-entraide", "groupe d'entraide"),
    ("atelier-parents", "atelier de parents"),
    ("universite-populaire-parents", "université populaire de parents"),
    ("groupe-1000-jours-information", "groupe d'information des 1000 premiers jours"),
    ("groupe-1000-jours-partage", "groupe de partage des 1000 premiers jours"),
    ("groupe-1000-jours-specifique", "groupe spécifique des 1000 premiers jours"),
    ("conference", "conférence"),
    ("cine-debat", "ciné-débat"),
    ("journee-thematique", "journée thématique"),
    ("manifestation", "manifestation"),
    ("atelier-parents-enfants", "atelier parents-enfants"),
    ("activite-partagee", "activité partagée parents-enfants"),
    ("sortie-culturelle", "sortie culturelle"),
    ("accompagnement-individuel", "accompagnement individuel"),
    ("map", "mesure d'accompagnement protégée (MAP)"),
    ("conseil-conjugal-familial", "conseil conjugal et familial"),
    ("telephonie-sociale", "téléphonie sociale"),
    ("lieu-ressource", "lieu ressource parentalité"),
    ("maison-1000-jours", "Maison des 1000 premiers jours"),
    ("relais-enfants-parents", "relais enfants-parents"),
    ("animation-reaap", "animation du Reaap"),
    ("coordination-pdn", "coordination départementale des promeneurs du net"),
    ("promeneur-du-net", "promeneur du net"),
    ("ressources-promotion", "ressources et promotion de la parentalité"),
];

const NATURES_DEPENSE: Table = &[
    ("prestation", "prestation"),
    ("location", "location"),
    ("petit-materiel", "petit matériel"),
    ("assurance", "assurance"),
    ("communication", "communication"),
    ("deplacement", "déplacement"),
    ("billetterie", "billetterie"),
    ("personnel", "personnel"),
    ("fonctionnement", "fonctionnement de la structure"),
    ("investissement", "investissement"),
];

const DISPOSITIFS: Table = &[("laep", "Laep"), ("clas", "Clas")];

const JUSTIFICATIFS: Table = &[
    ("contrat", "contrat"),
    ("avenant", "avenant"),
    ("heures-complementaires", "heures complémentaires"),
    ("heures-supplementaires", "heures supplémentaires"),
    ("recuperation", "récupération"),
];

const FINANCEURS: Table = &[
    ("caf-fnp", "Caf : Fonds national parentalité"),
    ("caf-autre", "Caf : autres financements"),
    ("etat", "État"),
    ("region", "Région"),
    ("departement", "Département"),
    ("commune", "Commune"),
    ("epci", "intercommunalité (EPCI)"),
    ("cpam", "Cpam"),
    ("msa", "MSA"),
    ("ars", "ARS"),
    ("asp", "ASP (emplois aidés)"),
    ("fonjep", "Fonjep"),
    ("fonds-europeens", "fonds européens"),
    ("autre-public", "autre financement public"),
    ("prive", "aides privées"),
    ("dons", "dons"),
    ("cotisations", "cotisations"),
    ("ventes", "ventes, prestations"),
    ("participation-familles", "participation des familles"),
    ("fonds-propres", "fonds propres"),
    ("autre", "autre"),
];

const STATUTS_RECETTE: Table = &[("demande", "demandé"), ("acquis", "acquis")];

const NATURES_CONTRIBUTION: Table = &[
    ("benevolat", "bénévolat"),
    ("mise-a-disposition-personnel", "mise à disposition de personnel"),
    ("mise-a-disposition-locaux", "mise à disposition de locaux"),
    ("dons-en-nature", "dons en nature"),
];

/// Who people name in `animateurs` and `partenaires`, as they are usually written: the
/// whole value. A value not here is de-slugged word by word (see [`MOTS`]).
const INTERVENANTS: Table = &[
    ("caf", "Caf"),
    ("cpam", "Cpam"),
    ("msa", "MSA"),
    ("pmi", "PMI"),
    ("conseillere-esf", "conseillère ESF"),
    ("conseiller-esf", "conseiller ESF"),
    ("educatrice-jeunes-enfants", "éducatrice de jeunes enfants"),
    ("educateur-jeunes-enfants", "éducateur de jeunes enfants"),
    ("eje", "éducatrice de jeunes enfants"),
    ("sage-femme", "sage-femme"),
    ("psychologue", "psychologue"),
    ("maternite", "maternité"),
    ("relais-petite-enfance", "relais petite enfance"),
    ("mediation-familiale", "médiation familiale"),
    ("espace-rencontre", "espace rencontre"),
    ("departement", "conseil départemental"),
    ("education-nationale", "Éducation nationale"),
    ("facilitatrice-1000-jours", "facilitatrice des 1000 premiers jours"),
    ("facilitateur-1000-jours", "facilitateur des 1000 premiers jours"),
    ("centre-social", "centre social"),
    ("centres-sociaux", "centres sociaux"),
    ("laep", "Laep"),
];

/// Words of a slug with their accents, or their capitals (acronyms, institutions).
const MOTS: Table = &[
    ("a", "à"),
    ("accueillante", "accueillante"),
    ("adolescents", "adolescents"),
    ("benevole", "bénévole"),
    ("benevoles", "bénévoles"),
    ("caf", "Caf"),
    ("ccas", "CCAS"),
    ("college", "collège"),
    ("colleges", "collèges"),
    ("cpam", "Cpam"),
    ("creche", "crèche"),
    ("creches", "crèches"),
    ("departement", "département"),
    ("departemental", "départemental"),
    ("departementale", "départementale"),
    ("education", "éducation"),
    ("educatrice", "éducatrice"),
    ("educateur", "éducateur"),
    ("educatrices", "éducatrices"),
    ("educateurs", "éducateurs"),
    ("ecole", "école"),
    ("ecoles", "écoles"),
    ("ecoutant", "écoutant"),
    ("ecoutante", "écoutante"),
    ("ecoutants", "écoutants"),
    ("elu", "élu"),
    ("elus", "élus"),
    ("epci", "EPCI"),
    ("esf", "ESF"),
    ("formee", "formée"),
    ("formees", "formées"),
    ("forme", "formé"),
    ("formes", "formés"),
    ("lille", "Lille"),
    ("lyon", "Lyon"),
    ("maternite", "maternité"),
    ("mediatheque", "médiathèque"),
    ("mediation", "médiation"),
    ("mediatrice", "médiatrice"),
    ("mediateur", "médiateur"),
    ("msa", "MSA"),
    ("paris", "Paris"),
    ("penitentiaire", "pénitentiaire"),
    ("pmi", "PMI"),
    ("qpv", "QPV"),
    ("reaap", "Reaap"),
    ("referent", "référent"),
    ("referente", "référente"),
    ("securite", "sécurité"),
    ("specialise", "spécialisé"),
    ("specialisee", "spécialisée"),
    ("spip", "SPIP"),
    ("therapeute", "thérapeute"),
    ("udaf", "Udaf"),
];

/// Pairs of words that keep their dash once de-slugged.
const COMPOSES: &[(&str, &str)] = &[
    ("sage", "femme"),
    ("sages", "femmes"),
    ("grands", "parents"),
    ("grand", "parent"),
    ("enfants", "parents"),
    ("parents", "enfants"),
    ("beaux", "parents"),
];

/// The table of a dotted key or line column (`porteur.statut`, `recette.financeur`).
fn table(cle: &str) -> Option<Table> {
    Some(match cle {
        "porteur.statut" => STATUTS,
        "action.public" => PUBLICS,
        "action.type" => TYPES,
        "territoire.echelle" => ECHELLES,
        "lieu.missions" => MISSIONS,
        "telephonie.ecoutants" => ECOUTANTS,
        "telephonie.plages" => PLAGES,
        "action.animateurs" | "action.partenaires" => INTERVENANTS,
        "depense.nature" => NATURES_DEPENSE,
        "depense.dispositif" | "recette.dispositif" => DISPOSITIFS,
        "depense.justificatif" => JUSTIFICATIFS,
        "recette.financeur" => FINANCEURS,
        "recette.statut" => STATUTS_RECETTE,
        "contribution.nature" => NATURES_CONTRIBUTION,
        _ => return None,
    })
}

/// Whether `valeur` is written as a slug (`conseillere-esf`): lower case ASCII letters,
/// digits and dashes, nothing else.
fn est_slug(valeur: &str) -> bool {
    !valeur.is_empty() && valeur.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A slug written in words: `educatrice-specialisee` → `éducatrice spécialisée`,
/// `ville-de-lille` → `ville de Lille`; any other text is returned as it is.
pub fn deslugger(valeur: &str) -> String {
    if !est_slug(valeur) {
        return valeur.to_string();
    }
    let mots: Vec<&str> = valeur.split(['-', '_']).filter(|m| !m.is_empty()).collect();
    let mut sortie = String::new();
    for (i, mot) in mots.iter().enumerate() {
        if i > 0 {
            let compose = COMPOSES.iter().any(|(a, b)| *a == mots[i - 1] && b == mot);
            sortie.push(if compose { '-' } else { ' ' });
        }
        sortie.push_str(MOTS.iter().find(|(m, _)| m == mot).map_or(mot, |(_, l)| l));
    }
    sortie
}

/// `bilan complet` → `Bilan complet`: a label that opens a line.
pub fn majuscule(texte: &str) -> String {
    let mut c = texte.chars();
    c.next().map(|p| p.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The French label of `valeur` for the key or column `cle` (`action.type`,
/// `recette.financeur`, `action.partenaires`): the label of a known value, else the value
/// de-slugged, else the value as written.
pub fn libelle_valeur(cle: &str, valeur: &str) -> String {
    let v = valeur.trim();
    if let Some(t) = table(cle)
        && let Some((_, l)) = t.iter().find(|(x, _)| *x == v)
    {
        return (*l).to_string();
    }
    deslugger(v)
}

/// The label of a value written as a slug with a dash (`petit-materiel`, `cafe-des-parents`,
/// `relais-petite-enfance`), or of a lower-case acronym (`pmi`), found in any list: for the
/// values a message quotes without saying their key. `None` for any other word.
pub fn libelle_connu(valeur: &str) -> Option<&'static str> {
    const ACRONYMES: &[&str] = &["caf", "cpam", "msa", "pmi", "epci", "ccas", "spip", "udaf", "reaap", "laep", "clas"];
    let tables = [
        TYPES,
        NATURES_DEPENSE,
        NATURES_CONTRIBUTION,
        JUSTIFICATIFS,
        INTERVENANTS,
        PUBLICS,
        MISSIONS,
        PLAGES,
        ECOUTANTS,
        STATUTS,
        FINANCEURS,
    ];
    let trouve = tables.iter().find_map(|t| t.iter().find(|(v, _)| *v == valeur).map(|(_, l)| *l));
    if valeur.contains('-') || ACRONYMES.contains(&valeur) {
        return trouve.or_else(|| MOTS.iter().find(|(m, _)| *m == valeur).map(|(_, l)| *l));
    }
    // A word that is its label without its accents (`recuperation`, `benevolat`) is no
    // French word as written: its label.
    trouve.filter(|l| *l != valeur && sans_accents(l) == valeur)
}

fn sans_accents(texte: &str) -> String {
    texte.chars().map(crate::model::sans_accent).collect()
}

/// The value of `cle` whose French label is `texte` as people write it (case, accents, spaces
/// and punctuation aside): « Maison des 1000 premiers jours » → `maison-1000-jours`.
pub fn valeur_par_libelle(cle: &str, texte: &str) -> Option<&'static str> {
    let code = crate::model::code_de(texte);
    table(cle)?.iter().find(|(_, l)| crate::model::code_de(l) == code).map(|(v, _)| *v)
}

/// The value of the closed list `liste` whose French label is `texte` as people write it
/// (case, accents, spaces and punctuation aside): « Centre social » → `centre-social`,
/// « Caf – FNP » → `caf-fnp`. For a reader that knows the list but not its key.
pub fn valeur_de_liste(liste: &[&'static str], texte: &str) -> Option<&'static str> {
    let code = crate::model::code_de(texte);
    const TABLES: &[Table] = &[
        STATUTS,
        PUBLICS,
        TYPES,
        ECHELLES,
        MISSIONS,
        ECOUTANTS,
        PLAGES,
        INTERVENANTS,
        NATURES_DEPENSE,
        DISPOSITIFS,
        JUSTIFICATIFS,
        FINANCEURS,
        STATUTS_RECETTE,
        NATURES_CONTRIBUTION,
    ];
    TABLES
        .iter()
        .flat_map(|t| t.iter())
        .find(|(v, l)| liste.contains(v) && crate::model::code_de(l) == code)
        .and_then(|(v, _)| liste.iter().find(|x| *x == v).copied())
}

/// Whether `cle` holds enumerated values or slugs that a document shows by their label.
pub fn a_des_libelles(cle: &str) -> bool {
    table(cle).is_some()
}

/// The label of a value of a closed list (`depense.nature`, `fonctionnement` → « Fonctionnement »),
/// `None` for a key without a list or a value it does not hold: for words that name a value
/// only when it is one of the list's.
pub fn libelle_de_liste(cle: &str, valeur: &str) -> Option<&'static str> {
    table(cle)?.iter().find(|(x, _)| *x == valeur.trim()).map(|(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of every closed list of the format has its own label: none is shown
    /// de-slugged by chance.
    #[test]
    fn every_enumerated_value_has_a_label() {
        let listes: &[(&str, &[&str])] = &[
            ("porteur.statut", super::super::STATUTS),
            ("action.public", super::super::PUBLICS),
            ("territoire.echelle", super::super::ECHELLES),
            ("lieu.missions", super::super::MISSIONS),
            ("telephonie.ecoutants", super::super::ECOUTANTS),
            ("telephonie.plages", super::super::PLAGES),
            ("depense.nature", super::super::NATURES_DEPENSE),
            ("depense.dispositif", super::super::DISPOSITIFS),
            ("depense.justificatif", super::super::JUSTIFICATIFS),
            ("recette.financeur", super::super::FINANCEURS),
            ("recette.statut", super::super::STATUTS_RECETTE),
            ("contribution.nature", super::super::NATURES_CONTRIBUTION),
        ];
        for (cle, valeurs) in listes {
            let t = table(cle).expect(cle);
            for v in *valeurs {
                assert!(t.iter().any(|(x, _)| x == v), "{cle} = {v} has no label");
            }
            assert_eq!(t.len(), valeurs.len(), "{cle}: a label for a value that does not exist");
        }
    }

    /// Every action type of the national pack has its label.
    #[test]
    fn every_action_type_has_a_label() {
        let regles = crate::rules::Regles::embarquees().expect("embedded packs");
        let mut n = 0;
        for v in regles.national().volets.values() {
            for t in &v.types {
                n += 1;
                assert!(TYPES.iter().any(|(x, _)| x == t), "type {t} has no label");
            }
        }
        assert_eq!(n, TYPES.len());
    }

    #[test]
    fn a_label_as_people_write_it_names_its_value() {
        assert_eq!(valeur_par_libelle("action.type", "Maison des 1000 premiers jours"), Some("maison-1000-jours"));
        assert_eq!(
            valeur_par_libelle("action.type", "groupe d’information des 1000 premiers jours"),
            Some("groupe-1000-jours-information")
        );
        assert_eq!(valeur_par_libelle("action.type", "Animation du REAAP"), Some("animation-reaap"));
        assert_eq!(valeur_par_libelle("action.type", "pas un type"), None);
    }

    #[test]
    fn slugs_read_as_words() {
        assert_eq!(libelle_valeur("action.animateurs", "conseillere-esf"), "conseillère ESF");
        assert_eq!(libelle_valeur("action.animateurs", "educatrice-specialisee"), "éducatrice spécialisée");
        assert_eq!(libelle_valeur("action.partenaires", "ecoutants-benevoles"), "écoutants bénévoles");
        assert_eq!(libelle_valeur("action.partenaires", "ville-de-lille"), "ville de Lille");
        assert_eq!(libelle_valeur("action.partenaires", "sage-femme"), "sage-femme");
        assert_eq!(libelle_valeur("action.partenaires", "Mairie de Bron"), "Mairie de Bron");
        assert_eq!(libelle_valeur("action.type", "cafe-des-parents"), "café des parents");
        assert_eq!(libelle_valeur("action.type", "inconnu-du-pack"), "inconnu du pack");
        assert_eq!(libelle_valeur("territoire.echelle", "epci"), "intercommunalité");
        assert_eq!(libelle_valeur("porteur.statut", "centre-social"), "centre social");
    }
}
