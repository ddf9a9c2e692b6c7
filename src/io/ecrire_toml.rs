//! Writes a dossier as `projet.toml` (format 1), in the order of format.md: what
//! `fnp convert` produces from a workbook.

use crate::model::montant::Montant;
use crate::model::schema::{self, Genre};
use crate::model::{Dossier, Valeur};

fn chaine(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn valeur(genre: Genre, v: &Valeur) -> String {
    match v {
        Valeur::Booleen(b) => b.to_string(),
        Valeur::Entier(n) => n.to_string(),
        Valeur::Decimal(d) if genre == Genre::Montant => chaine(&Montant::new(*d).unwrap_or_default().brut()),
        Valeur::Decimal(d) => {
            let t = d.normalize().to_string();
            if t.contains('.') { t } else { format!("{t}.0") }
        }
        Valeur::Texte(t) => chaine(t),
        Valeur::Date(d) => d.to_string(),
        Valeur::Liste(l) => format!("[{}]", l.iter().map(|x| chaine(x)).collect::<Vec<_>>().join(", ")),
        Valeur::Ages(a, b) => format!("[{a}, {b}]"),
    }
}

/// The dossier as TOML text.
pub fn ecrire(d: &Dossier, origine: &str) -> String {
    let mut s = format!("# Dossier FNP converti par fnp {} depuis {origine}\n\n", env!("CARGO_PKG_VERSION"));
    let mut section_courante = "";
    for c in schema::CHAMPS {
        let Some(v) = d.valeur(c.cle) else { continue };
        let (section, cle) = c.cle.split_once('.').unwrap_or(("", c.cle));
        if section != section_courante {
            s.push_str(&format!("\n[{section}]\n"));
            section_courante = section;
        }
        s.push_str(&format!("{cle} = {}\n", valeur(c.genre, v)));
    }
    let ligne = |s: &mut String, nom: &str, valeurs: Vec<(&str, Option<Valeur>)>| {
        s.push_str(&format!("\n[[{nom}]]\n"));
        for (cle, v) in valeurs {
            if let Some(v) = v {
                let genre = schema::colonnes(nom).iter().find(|c| c.cle == cle).map_or(Genre::Texte, |c| c.genre);
                s.push_str(&format!("{cle} = {}\n", valeur(genre, &v)));
            }
        }
    };
    let texte = |t: &str| Some(Valeur::Texte(t.to_string()));
    for l in &d.depenses {
        ligne(
            &mut s,
            "depense",
            vec![
                ("nature", texte(l.nature.as_str())),
                ("libelle", texte(&l.libelle)),
                ("montant", Some(Valeur::Decimal(l.montant.valeur()))),
                ("compte", l.compte.as_deref().and_then(texte)),
                ("dispositif", l.dispositif.and_then(|x| texte(x.as_str()))),
                ("hausse_temps_travail", l.hausse_temps_travail.then_some(Valeur::Booleen(true))),
                ("justificatif", l.justificatif.and_then(|x| texte(x.as_str()))),
            ],
        );
    }
    for r in &d.recettes {
        ligne(
            &mut s,
            "recette",
            vec![
                ("financeur", texte(r.financeur.as_str())),
                ("libelle", r.libelle.as_deref().and_then(texte)),
                ("montant", Some(Valeur::Decimal(r.montant.valeur()))),
                ("statut", texte(r.statut.as_str())),
                ("dispositif", r.dispositif.and_then(|x| texte(x.as_str()))),
            ],
        );
    }
    for c in &d.contributions {
        ligne(
            &mut s,
            "contribution",
            vec![
                ("nature", texte(c.nature.as_str())),
                ("libelle", c.libelle.as_deref().and_then(texte)),
                ("montant", Some(Valeur::Decimal(c.montant.valeur()))),
            ],
        );
    }
    s
}
