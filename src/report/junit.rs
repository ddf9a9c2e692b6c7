//! `--format junit`: one test case per dossier; its errors make a failure (one line each),
//! its warnings and information go to system-out. For CI systems that read JUnit XML.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::Rapport;
use crate::check::{Resultat, Verdict};
use crate::rules::Gravite;

pub struct Junit {
    suite: TestSuite,
}

impl Default for Junit {
    fn default() -> Self {
        Junit { suite: TestSuite::new("dossiers FNP") }
    }
}

/// XML 1.0 cannot hold most control characters, nor U+FFFE and U+FFFF, even escaped: such a
/// character of a file name or a value would make the whole report unreadable. They are
/// written visibly (`\u{1b}`), as on a terminal.
fn xml_permis(texte: &str) -> String {
    let mut s = String::with_capacity(texte.len());
    for c in texte.chars() {
        let permis = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
            && !super::visible::dangereux(c);
        if permis || c == '\n' {
            s.push(c);
        } else {
            s.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    s
}

impl Rapport for Junit {
    fn fin(&mut self, _: &super::Synthese, sortie: &mut dyn Write) -> io::Result<()> {
        let mut rapport = Report::new("fnp");
        rapport.add_test_suite(std::mem::replace(&mut self.suite, TestSuite::new("dossiers FNP")));
        rapport.serialize(&mut *sortie).map_err(io::Error::other)?;
        writeln!(sortie)
    }

    fn dossier(&mut self, r: &Resultat, _sortie: &mut dyn Write) -> io::Result<()> {
        let r = &*super::forme_stable(r);
        {
            let ligne = |c: &crate::check::Constat| {
                xml_permis(&format!("{}[{}] {} : {}", c.gravite, c.regle, c.emplacement.lieu(), c.message))
            };
            let erreurs: Vec<String> = r.constats.iter().filter(|c| c.gravite == Gravite::Erreur).map(ligne).collect();
            let autres: Vec<String> = r.constats.iter().filter(|c| c.gravite != Gravite::Erreur).map(ligne).collect();
            let statut = if erreurs.is_empty() {
                TestCaseStatus::success()
            } else {
                let kind =
                    if r.verdict == Verdict::Illisible { NonSuccessKind::Error } else { NonSuccessKind::Failure };
                let mut s = TestCaseStatus::non_success(kind);
                s.set_message(format!("{} : {}", r.verdict.libelle(), erreurs.first().cloned().unwrap_or_default()));
                s.set_type(r.verdict.as_str());
                s.set_description(erreurs.join("\n"));
                s
            };
            let mut cas = TestCase::new(xml_permis(&r.source), statut);
            cas.set_classname(match (r.axe, r.volet) {
                (Some(a), Some(v)) => format!("fnp.axe{a}.volet{v}"),
                _ => "fnp".to_string(),
            });
            if !autres.is_empty() {
                cas.set_system_out(autres.join("\n"));
            }
            self.suite.add_test_case(cas);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn characters_xml_cannot_hold_are_written_visibly() {
        assert_eq!(super::xml_permis("a\u{fffe}b\u{ffff}c\u{1b}d\0"), "a\\u{fffe}b\\u{ffff}c\\u{1b}d\\u{0}");
        assert_eq!(super::xml_permis("Café\nsuite"), "Café\nsuite");
    }
}
