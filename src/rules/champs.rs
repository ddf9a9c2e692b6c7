//! Every field a rule names — in its parameters and in the conditions of its scope — exists
//! in the dossier schema (`model::schema`) and has the type its check reads. A misspelt
//! field would otherwise give every dossier a false « n'est pas renseigné ».

use crate::model::schema::{self, Genre};

use super::{Portee, Verification};

/// What a check reads from a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Besoin {
    /// `true`/`false` (absent is false).
    Booleen,
    /// A number: an integer, a decimal, an amount, or a bound of an age range.
    Nombre,
    /// One value shown as text (any field but a list or an age range).
    Valeur,
    /// A text value compared to a list (`dans`, `hors`).
    Texte,
    /// A list of values.
    Liste,
    /// Any field (an indicator that must be given).
    Present,
    /// A boolean column of the expense lines (`depense[].hausse_temps_travail`).
    ColonneDepenseBooleen,
}

impl Besoin {
    fn description(self) -> &'static str {
        match self {
            Besoin::Booleen | Besoin::ColonneDepenseBooleen => "un booléen (true ou false)",
            Besoin::Nombre => "un nombre",
            Besoin::Valeur => "une valeur seule (pas une liste)",
            Besoin::Texte => "un texte ou une valeur d'une liste fermée",
            Besoin::Liste => "une liste de valeurs",
            Besoin::Present => "un champ du dossier",
        }
    }

    fn accepte(self, g: Genre) -> bool {
        match self {
            Besoin::Booleen | Besoin::ColonneDepenseBooleen => g == Genre::Booleen,
            Besoin::Nombre => matches!(g, Genre::Entier | Genre::Decimal | Genre::Montant),
            Besoin::Valeur => !matches!(g, Genre::ListeChoix(_) | Genre::ListeTexte | Genre::Ages),
            Besoin::Texte => matches!(g, Genre::Texte | Genre::Choix(_) | Genre::Departement),
            Besoin::Liste => matches!(g, Genre::ListeChoix(_) | Genre::ListeTexte),
            Besoin::Present => true,
        }
    }
}

/// A field named where it cannot work: the key that names it, the field, and why, in French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChampFautif {
    /// The key of the pack that names it: `parametres.max.champ`, `portee.si[1].champ`.
    pub cle: String,
    pub champ: String,
    pub message: String,
}

/// The type of a field as rules read it: a field of the schema, or a bound of an age range
/// (`action.age_enfants.min`), read as an integer.
fn genre(cle: &str) -> Option<Genre> {
    if let Some(c) = schema::champ(cle) {
        return Some(c.genre);
    }
    let base = cle.strip_suffix(".min").or_else(|| cle.strip_suffix(".max"))?;
    (schema::champ(base)?.genre == Genre::Ages).then_some(Genre::Entier)
}

fn controler(cle: String, champ: &str, besoin: Besoin) -> Option<ChampFautif> {
    let fautif = |message: String| Some(ChampFautif { cle: cle.clone(), champ: champ.to_string(), message });
    if besoin == Besoin::ColonneDepenseBooleen {
        let colonnes = schema::colonnes("depense");
        return match colonnes.iter().find(|c| c.cle == champ) {
            Some(c) if c.genre == Genre::Booleen => None,
            Some(c) => fautif(format!(
                "la colonne « {champ} » des dépenses attend {} ; cette vérification a besoin d'{}",
                c.genre.description(),
                besoin.description()
            )),
            None => {
                let proche = schema::suggestion(champ, colonnes.iter().map(|c| c.cle))
                    .map(|p| format!(" ; vouliez-vous dire « {p} » ?"))
                    .unwrap_or_default();
                fautif(format!("aucune colonne « {champ} » dans les lignes de dépense{proche}"))
            }
        };
    }
    match genre(champ) {
        Some(g) if besoin.accepte(g) => None,
        Some(g) => fautif(format!(
            "le champ « {champ} » du dossier est {} ; cette vérification a besoin d'{}",
            g.description(),
            besoin.description()
        )),
        None => {
            let proche = schema::suggestion(champ, schema::champs::CHAMPS.iter().map(|c| c.cle))
                .map(|p| format!(" ; vouliez-vous dire « {p} » ?"))
                .unwrap_or_default();
            fautif(format!("aucun champ « {champ} » dans un dossier{proche}"))
        }
    }
}

/// The fields a compiled check reads, each with the key that names it and what it needs.
fn champs_lus(v: &Verification) -> Vec<(String, &str, Besoin)> {
    use Verification as V;
    let mut lus = Vec::new();
    match v {
        V::BooleensRequis { champs } | V::BooleensSignales { champs } => {
            lus.extend(champs.iter().map(|c| ("parametres.champs".to_string(), c.as_str(), Besoin::Booleen)));
        }
        V::Intervalle { min, max, .. } => {
            for (nom, borne) in [("min", min), ("max", max)] {
                if let Some(b) = borne {
                    lus.push((format!("parametres.{nom}.champ"), b.champ.as_str(), Besoin::Nombre));
                }
            }
        }
        V::Valeurs { champ, .. } => lus.push(("parametres.champ".into(), champ, Besoin::Valeur)),
        V::ListeContient { champ, .. } | V::ListeDans { champ, .. } | V::ListeNonVide { champ } => {
            lus.push(("parametres.champ".into(), champ, Besoin::Liste));
        }
        V::IndicateursRequis { indicateurs } => {
            lus.extend(indicateurs.iter().map(|c| ("parametres.indicateurs".to_string(), c.as_str(), Besoin::Present)));
        }
        V::Comparaison { gauche, droite } => {
            lus.push(("parametres.gauche".into(), gauche, Besoin::Nombre));
            lus.push(("parametres.droite".into(), droite, Besoin::Nombre));
        }
        V::FinanceCaf { champ, .. } | V::PersonnelFinanceCaf { champ, .. } => {
            lus.push(("parametres.champ".into(), champ, Besoin::Booleen))
        }
        V::Personnel { champ_porteur, champ_ligne, .. } => {
            if let Some(champ_porteur) = champ_porteur {
                lus.push(("parametres.champ_porteur".into(), champ_porteur, Besoin::Booleen));
            }
            lus.push(("parametres.champ_ligne".into(), champ_ligne, Besoin::ColonneDepenseBooleen));
        }
        _ => {}
    }
    lus
}

/// The fields a check reads (for a template: the rows a rule may ask for).
pub(super) fn champs_nommes(v: &Verification) -> Vec<String> {
    champs_lus(v).into_iter().map(|(_, champ, _)| champ.to_string()).collect()
}

/// The first field of a check's parameters that does not exist or has not the type the
/// check reads.
pub(super) fn controler_verification(v: &Verification) -> Option<ChampFautif> {
    champs_lus(v).into_iter().find_map(|(cle, champ, besoin)| controler(cle, champ, besoin))
}

/// The first condition of a scope (`portee.si`) on a field that does not exist or cannot
/// hold what it tests. `prefixe` is where the scope is written (`portee`, `cas[0].portee`).
pub(super) fn controler_portee(p: &Portee, prefixe: &str) -> Option<ChampFautif> {
    p.si.iter().enumerate().find_map(|(i, c)| {
        let cle = format!("{prefixe}.si[{i}].champ");
        let besoin = if c.vrai.is_some() { Besoin::Booleen } else { Besoin::Texte };
        controler(cle, &c.champ, besoin)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intervalle(champ: &str) -> Verification {
        let mut t = toml::Table::new();
        t.insert("max".into(), toml::Value::Table(toml::toml! { champ = champ valeur = 10 }));
        Verification::compiler("intervalle", &t).expect("compiles")
    }

    #[test]
    fn an_unknown_field_is_named_with_its_key_and_the_closest_one() {
        let f = controler_verification(&intervalle("groupe.participants_maxi")).expect("refused");
        assert_eq!(f.cle, "parametres.max.champ");
        assert!(f.message.contains("aucun champ « groupe.participants_maxi »"), "{}", f.message);
        assert!(f.message.contains("vouliez-vous dire « groupe.participants_max »"), "{}", f.message);
        assert_eq!(controler_verification(&intervalle("groupe.participants_max")), None);
        assert_eq!(controler_verification(&intervalle("action.age_enfants.max")), None);
    }

    #[test]
    fn a_field_of_the_wrong_type_is_refused() {
        let f = controler_verification(&intervalle("action.public")).expect("refused");
        assert!(f.message.contains("cette vérification a besoin d'un nombre"), "{}", f.message);
        let p: Portee = toml::from_str("si = [{ champ = \"groupe.participants_max\", vrai = true }]").expect("scope");
        let f = controler_portee(&p, "portee").expect("refused");
        assert_eq!(f.cle, "portee.si[0].champ");
        assert!(f.message.contains("un booléen"), "{}", f.message);
    }

    /// Every field the embedded packs name exists with the type its check reads.
    #[test]
    fn the_embedded_packs_name_only_fields_of_the_schema() {
        let r = super::super::Regles::embarquees().expect("embedded");
        for (_, regle) in r.toutes() {
            assert_eq!(controler_portee(&regle.portee, "portee"), None, "{}", regle.id);
            for c in &regle.cas {
                assert_eq!(controler_verification(&c.verification), None, "{}", regle.id);
                assert_eq!(controler_portee(&c.portee, "cas.portee"), None, "{}", regle.id);
            }
        }
    }
}
