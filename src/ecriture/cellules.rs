//! Text fitted to a spreadsheet cell, for every workbook fnp writes (the template, a
//! dossier converted, the annotated copy and its « Anomalies » sheet): Excel's bounds, a
//! text cut visibly, the height of a wrapped row.

/// The most a cell of Excel holds: 32 767 characters, counted in UTF-16 units as Excel
/// (and rust_xlsxwriter, which refuses more) counts them.
pub const TEXTE_MAX: usize = 32_767;

/// A note of rust_xlsxwriter holds 54 units less than a cell.
pub const NOTE_MAX: usize = TEXTE_MAX - 54;

/// The text cut to `max` UTF-16 units, ending with a visible mark that says how long it was
/// (« … [tronqué par fnp : 40 000 caractères] »); as it is if it fits.
pub fn tronquer(texte: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if texte.encode_utf16().count() <= max {
        return std::borrow::Cow::Borrowed(texte);
    }
    let marque = format!(" … [tronqué par fnp : {} caractères]", milliers(texte.chars().count()));
    let place = max.saturating_sub(marque.encode_utf16().count());
    let mut pris = 0;
    let mut fin = 0;
    for (i, c) in texte.char_indices() {
        if pris + c.len_utf16() > place {
            break;
        }
        pris += c.len_utf16();
        fin = i + c.len_utf8();
    }
    std::borrow::Cow::Owned(format!("{}{marque}", &texte[..fin]))
}

/// `40 000`, as French writes a count.
pub fn milliers(n: usize) -> String {
    crate::model::montant::format_nombre_fr(rust_decimal::Decimal::from(n))
}

/// The lines `texte` takes in a wrapped cell `largeur` characters wide (words kept whole):
/// neither Excel nor LibreOffice sizes such rows by itself when it opens the file.
pub fn lignes_pliees(texte: &str, largeur: f64) -> u32 {
    // A column is `largeur` digits wide; French text averages a little narrower (a line
    // holds 1.25 to 1.4 times as many characters in Carlito or DejaVu Sans).
    let place = ((largeur * 1.2) as usize).max(1);
    let mut total = 0u32;
    for paragraphe in texte.split('\n') {
        let mut lignes = 1u32;
        let mut courante = 0usize;
        for mot in paragraphe.split_whitespace() {
            let n = mot.chars().count();
            if courante > 0 && courante + 1 + n > place {
                lignes += 1;
                courante = n;
            } else {
                courante += if courante == 0 { n } else { n + 1 };
            }
            while courante > place {
                lignes += 1;
                courante -= place;
            }
        }
        total += lignes;
    }
    total.max(1)
}

/// Row height in points for `lignes` lines of the default font.
pub fn hauteur(lignes: u32) -> f64 {
    15.0 * f64::from(lignes)
}
