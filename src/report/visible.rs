//! Nothing from a dossier or a file name may drive the reader's terminal: every control
//! character (C0 but the line feed and the tab, DEL, C1 — ESC sequences included) and every
//! bidirectional override is shown as a visible escape (`\u{1b}`), so nothing is hidden
//! either. This is the one place that does it; human outputs pass user text through
//! [`visible`], and outputs with no style of their own through [`Visible`].

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether a character must be shown escaped. The tab stays: it only moves the cursor to
/// the next stop on the same line, and the caret under a TOML line needs it to align.
pub fn dangereux(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// The text with every dangerous character written as `\u{…}`.
pub fn visible(texte: &str) -> Cow<'_, str> {
    if !texte.chars().any(dangereux) {
        return Cow::Borrowed(texte);
    }
    let mut s = String::with_capacity(texte.len() + 8);
    for c in texte.chars() {
        if dangereux(c) {
            s.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            s.push(c);
        }
    }
    Cow::Owned(s)
}

/// A writer that makes visible what passes through it (for outputs with no style of their
/// own: the budget table, `explain`, `rules list`). Bytes that are not UTF-8 are shown as
/// the replacement character.
pub struct Visible<'a> {
    sortie: &'a mut dyn Write,
    /// The start of a character cut by the previous write.
    reste: Vec<u8>,
}

impl<'a> Visible<'a> {
    pub fn new(sortie: &'a mut dyn Write) -> Self {
        Visible { sortie, reste: Vec::new() }
    }
}

impl Write for Visible<'_> {
    fn write(&mut self, octets: &[u8]) -> io::Result<usize> {
        self.reste.extend_from_slice(octets);
        let valide = match std::str::from_utf8(&self.reste) {
            Ok(_) => self.reste.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.reste.len(),
        };
        let morceau: Vec<u8> = self.reste.drain(..valide).collect();
        let texte = String::from_utf8_lossy(&morceau);
        self.sortie.write_all(visible(&texte).as_bytes())?;
        Ok(octets.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.reste.is_empty() {
            let reste = std::mem::take(&mut self.reste);
            self.sortie.write_all(String::from_utf8_lossy(&reste).as_bytes())?;
        }
        self.sortie.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bidi_overrides_are_shown() {
        assert_eq!(visible("Café des parents"), "Café des parents");
        assert_eq!(visible("a\u{1b}]52;c;Y3VybA==\u{7}b"), "a\\u{1b}]52;c;Y3VybA==\\u{7}b");
        assert_eq!(visible("x\u{1b}[2Jy"), "x\\u{1b}[2Jy");
        assert_eq!(visible("ligne\rpar-dessus\u{c}"), "ligne\\u{d}par-dessus\\u{c}");
        assert_eq!(visible("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(visible("facture\u{202e}fdp.exe"), "facture\\u{202e}fdp.exe");
        assert_eq!(visible("\u{7f}"), "\\u{7f}");
        assert_eq!(visible("un\ndeux\ttrois"), "un\ndeux\ttrois");
    }

    #[test]
    fn the_writer_keeps_characters_cut_between_writes() {
        let mut tampon = Vec::new();
        {
            let mut v = Visible::new(&mut tampon);
            let octets = "é\u{1b}[2J".as_bytes();
            v.write_all(&octets[..1]).expect("write");
            v.write_all(&octets[1..]).expect("write");
            v.flush().expect("flush");
        }
        assert_eq!(String::from_utf8(tampon).expect("utf-8"), "é\\u{1b}[2J");
    }
}
