//! `--format github`: GitHub Actions workflow commands, one annotation per finding.

use std::io::{self, Write};

use super::Rapport;
use crate::check::Resultat;
use crate::rules::Gravite;

pub struct Github;

/// Workflow command data and properties are escaped as GitHub documents it (`%`, CR, LF,
/// and `:` `,` in properties), and every other control character or bidi override is
/// percent-encoded too, so that no ESC or NUL reaches the runner's log.
fn echapper(s: &str, propriete: bool) -> String {
    let mut t = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => t.push_str("%25"),
            ':' | ',' if propriete => t.push_str(if c == ':' { "%3A" } else { "%2C" }),
            c if c == '\r' || c == '\n' || super::visible::dangereux(c) => {
                let mut octets = [0u8; 4];
                for o in c.encode_utf8(&mut octets).bytes() {
                    t.push_str(&format!("%{o:02X}"));
                }
            }
            c => t.push(c),
        }
    }
    t
}

impl Rapport for Github {
    fn fin(&mut self, _: &super::Synthese, _: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn dossier(&mut self, r: &Resultat, sortie: &mut dyn Write) -> io::Result<()> {
        let r = &*super::forme_stable(r);
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

#[cfg(test)]
mod tests {
    #[test]
    fn every_control_character_is_escaped() {
        assert_eq!(super::echapper("a\u{1b}[2J\0b\r\n%", false), "a%1B[2J%00b%0D%0A%25");
        assert_eq!(super::echapper("x:y,z\u{202e}", true), "x%3Ay%2Cz%E2%80%AE");
    }
}
