//! The force of a source sentence (rules v2): which marker words a quoted sentence holds,
//! and whether a rule's severity follows its force. The words and severities are data of
//! the pack (`[forces]`); this module only matches them.

use std::collections::BTreeMap;

use super::{DefinitionForce, Force, Regle};

/// Lower case, accents removed, typographic apostrophes straightened, runs of spaces and
/// punctuation that separates words folded to one space, so that markers match loosely.
pub fn plier(texte: &str) -> String {
    let mut s = String::with_capacity(texte.len());
    for c in texte.chars().flat_map(char::to_lowercase) {
        let c = match c {
            '’' | '‘' | 'ʼ' => '\'',
            c if c.is_whitespace() => ' ',
            c => crate::model::sans_accent(c),
        };
        if c == ' ' && (s.is_empty() || s.ends_with(' ')) {
            continue;
        }
        // Elision: « n'est pas » holds the « ne » of « ne … pas ».
        if c == '\'' && (s == "n" || s.ends_with(" n")) {
            s.push_str("e ");
            continue;
        }
        s.push(c);
    }
    s.trim_end().to_string()
}

/// Whether `phrase` (already folded) holds the marker: its parts, separated by `…`, in
/// order, each starting at the start of a word (a marker may be a stem: « préconisé » is
/// found in « préconisée »).
pub fn contient_marqueur(phrase: &str, marqueur: &str) -> bool {
    let mut depuis = 0;
    for partie in marqueur.split('…').map(plier).filter(|p| !p.is_empty()) {
        let Some(i) = debut_de_mot(&phrase[depuis..], &partie) else { return false };
        depuis += i + partie.len();
    }
    true
}

fn debut_de_mot(texte: &str, partie: &str) -> Option<usize> {
    texte
        .match_indices(partie)
        .map(|(i, _)| i)
        .find(|&i| texte[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
}

/// The markers of each force found in a sentence.
pub fn marqueurs_trouves<'a>(
    phrase: &str,
    forces: &BTreeMap<Force, &'a DefinitionForce>,
) -> BTreeMap<Force, Vec<&'a str>> {
    let pliee = plier(phrase);
    forces
        .iter()
        .map(|(f, d)| {
            (*f, d.marqueurs.iter().filter(|m| contient_marqueur(&pliee, m)).map(String::as_str).collect::<Vec<_>>())
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// The force a sentence reads with from its markers: the qualifier wins over the
/// obligation it qualifies (« doit être ciblé en priorité » is an indication).
pub fn force_lue(trouves: &BTreeMap<Force, Vec<&str>>) -> Option<Force> {
    [Force::Indication, Force::Recommandation, Force::Obligation].into_iter().find(|f| trouves.contains_key(f))
}

/// What lint says of one rule's force: errors (the pack is wrong) and warnings (a reading
/// to look at).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Examen {
    pub erreurs: Vec<String>,
    pub avertissements: Vec<String>,
}

/// Checks a rule's declared force against its severity and its quoted sentence.
pub fn examiner(r: &Regle, forces: &BTreeMap<Force, &DefinitionForce>) -> Examen {
    let mut e = Examen::default();
    let cite = r.source.citation.is_some();
    let Some(force) = r.force else {
        if cite {
            e.erreurs.push(
                "cite une phrase sans déclarer sa force (force = \"obligation\", \"indication\", \"recommandation\" ou \"aucune\")"
                    .into(),
            );
        }
        return e;
    };
    let attendue = forces.get(&force).map(|d| d.gravite);
    if force != Force::Aucune && attendue.is_none() {
        e.erreurs.push(format!(
            "force « {} » sans définition [forces.{}] dans les packs",
            force.as_str(),
            force.as_str()
        ));
        return e;
    }
    let ecart = attendue != Some(r.gravite);
    match (&r.force_ecart, ecart) {
        (None, true) if force == Force::Aucune => e.erreurs.push(format!(
            "la phrase citée n'a pas de force (force = \"aucune\") : donnez dans force_ecart la raison de la gravité « {} »",
            r.gravite
        )),
        (None, true) => e.erreurs.push(format!(
            "gravité « {} » alors que la force « {} » donne « {} » : corrigez la gravité ou donnez la raison de l'écart (force_ecart)",
            r.gravite,
            force.as_str(),
            attendue.map_or("", |g| g.as_str())
        )),
        (Some(_), false) => e.avertissements.push(format!(
            "force_ecart donné alors que la gravité « {} » suit la force « {} »",
            r.gravite,
            force.as_str()
        )),
        _ => {}
    }
    if let (Some(citation), true, None) = (&r.source.citation, force != Force::Aucune, &r.force_lecture) {
        let trouves = marqueurs_trouves(citation, forces);
        if !trouves.contains_key(&force) {
            let lue = force_lue(&trouves)
                .map(|f| format!(" (elle se lit comme « {} » : {})", f.as_str(), trouves[&f].join(", ")))
                .unwrap_or_default();
            e.avertissements.push(format!(
                "la phrase citée ne contient aucun mot de la force « {} »{lue} ; relisez-la, ou dites comment la force est lue (force_lecture)",
                force.as_str()
            ));
        } else if let Some(lue) = force_lue(&trouves).filter(|f| *f != force) {
            e.avertissements.push(format!(
                "la phrase citée porte « {} » ({}), qui l'emporte sur « {} »",
                lue.as_str(),
                trouves[&lue].join(", "),
                force.as_str()
            ));
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_match_loosely_and_in_order() {
        let p = plier("A titre indicatif, un nombre compris entre 8 à 12 parents paraît adapté");
        assert!(contient_marqueur(&p, "à titre indicatif"));
        assert!(contient_marqueur(&p, "paraît adapté"));
        let p = plier("A ce titre, elle n'est pas financée dans le cadre du Fnp.");
        assert!(contient_marqueur(&p, "ne … pas financé"));
        assert!(!contient_marqueur(&plier("elle est financée, ne serait-ce pas"), "ne … pas financé"));
        // A marker starts a word: « droit » holds no « doit », « prérequis » no « requis ».
        assert!(!contient_marqueur(&plier("le droit de visite"), "doit"));
        assert!(!contient_marqueur(&plier("Prérequis : gratuité"), "requis"));
        assert!(contient_marqueur(&plier("Prérequis : gratuité"), "prérequis"));
        assert!(contient_marqueur(&plier("L’échelle préconisée est l’Epci"), "préconisé"));
    }

    /// Rules v4: the staff footnote reads as an obligation through the embedded pack's own
    /// markers (« ne … pas être pris(es) en compte »).
    #[test]
    fn the_staff_footnote_reads_as_an_obligation() {
        let regles = crate::rules::Regles::embarquees().expect("embedded packs");
        let national = regles.national();
        let forces: BTreeMap<Force, &DefinitionForce> = national.forces.iter().map(|(f, d)| (*f, d)).collect();
        let note = "Les charges de personnel ne peuvent pas être prises en compte dans le calcul des dépenses retenues";
        let t = marqueurs_trouves(note, &forces);
        assert!(t.get(&Force::Obligation).is_some_and(|m| m.contains(&"ne … pas être prises en compte")), "{t:?}");
        assert_eq!(force_lue(&t), Some(Force::Obligation));
        let t = marqueurs_trouves("ces frais ne peuvent pas être pris en compte", &forces);
        assert!(t.get(&Force::Obligation).is_some_and(|m| m.contains(&"ne … pas être pris en compte")), "{t:?}");
    }

    #[test]
    fn the_qualifier_wins() {
        let d_obl = DefinitionForce { gravite: super::super::Gravite::Erreur, marqueurs: vec!["doit".into()] };
        let d_ind =
            DefinitionForce { gravite: super::super::Gravite::Avertissement, marqueurs: vec!["en priorité".into()] };
        let forces = BTreeMap::from([(Force::Obligation, &d_obl), (Force::Indication, &d_ind)]);
        let t = marqueurs_trouves("doit être ciblé en priorité sur les territoires", &forces);
        assert_eq!(force_lue(&t), Some(Force::Indication));
        let t = marqueurs_trouves("Il doit exercer a minima son activité à 0,5 Etp.", &forces);
        assert_eq!(force_lue(&t), Some(Force::Obligation));
    }
}
