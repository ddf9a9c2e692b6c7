//! `--format github`: GitHub Actions workflow commands, one annotation per finding.

use std::io::{self, Write};

use super::Rapport;
use crate::check::Resultat;
use crate::rules::Gravite;

pub struct Github;

/// Workflow command data and properties are escaped as GitHub documents it.
fn echapper(s: &str, propriete: bool) -> String {
    let mut t = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if propriete {
        t = t.replace(':', "%3A").replace(',', "%2C");
    }
    t
}

impl Rapport for Github {
    fn fin(&mut self, _: &super::Synthese, _: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn dossier(&mut self, r: &Resultat, sortie: &mut dyn Write) -> io::Result<()> {
        {
            for c in &r.constats {
                let commande = match c.gravite {
                    Gravite::Erreur => "error",
                    Gravite::Avertissement => "warning",
                    Gravite::Info => "notice",
                };
                let e = &c.emplacement;
                let mut proprietes = vec![format!("file={}", echapper(&e.fichier, true))];
                if let (Some(l), Some(col)) = (e.ligne, e.colonne) {
                    proprietes.push(format!("line={l}"));
                    proprietes.push(format!("col={col}"));
                }
                proprietes.push(format!("title={}", echapper(&format!("{} ({})", c.regle, c.gravite), true)));
                let mut message = c.message.clone();
                if let Some(cellule) = &e.cellule {
                    message = format!("{cellule} : {message}");
                }
                writeln!(sortie, "::{commande} {}::{}", proprietes.join(","), echapper(&message, false))?;
            }
        }
        Ok(())
    }
}
