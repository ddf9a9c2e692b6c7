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
    for c in schema::champs::CHAMPS {
        let Some(v) = d.valeur(c.cle) else { continue };
        let (section, cle) = c.cle.split_once('.').unwrap_or(("", c.cle));
        if section != section_courante {
            s.push_str(&format!("\n[{section}]\n"));
            section_courante = section;
        }
        s.push_str(&format!("{cle} = {}\n", valeur(c.genre, v)));
    }
    for nom in schema::LIGNES {
        for (_, valeurs) in d.lignes_en_valeurs(nom) {
            s.push_str(&format!("\n[[{nom}]]\n"));
            for (cle, v) in valeurs {
                let genre = schema::colonnes(nom).iter().find(|c| c.cle == cle).map_or(Genre::Texte, |c| c.genre);
                s.push_str(&format!("{cle} = {}\n", valeur(genre, &v)));
            }
        }
    }
    s
}
