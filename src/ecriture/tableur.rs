//! CSV that French Excel opens cleanly: UTF-8 with a BOM, `;` separators, decimal commas,
//! and no text cell that Excel would take for a formula.

use rust_decimal::Decimal;

/// A text cell that cannot start a formula: `=`, `+`, `-`, `@`, tab and carriage return at
/// the start are neutralised with a leading apostrophe, as OWASP recommends; so are they after
/// leading blanks (` =1+1`, `  @SUM(1,1)`: spreadsheets skip them, hostile round 4), and a
/// full-width `＝`, `＋`, `－` or `＠`, which some spreadsheets read as the ASCII sign.
pub fn texte_sur(texte: &str) -> String {
    let debut = texte.trim_start_matches([' ', '\u{a0}', '\u{3000}', '\n']);
    match (texte.chars().next(), debut.chars().next()) {
        (Some('\t' | '\r'), _) | (_, Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠' | '\t' | '\r')) => {
            format!("'{texte}")
        }
        _ => texte.to_string(),
    }
}

/// A number cell with a decimal comma and no thousands separator (`1200,50`), which French
/// Excel reads as a number.
pub fn nombre(d: Decimal) -> String {
    let mut v = d;
    v.rescale(2);
    v.to_string().replace('.', ",")
}

/// A CSV writer with French Excel settings, after a UTF-8 BOM.
pub fn ecrivain<W: std::io::Write>(mut sortie: W) -> std::io::Result<csv::Writer<W>> {
    sortie.write_all("\u{feff}".as_bytes())?;
    Ok(csv::WriterBuilder::new().delimiter(b';').from_writer(sortie))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(texte_sur("=1+1"), "'=1+1");
        assert_eq!(texte_sur("+33 6"), "'+33 6");
        assert_eq!(texte_sur("-2"), "'-2");
        assert_eq!(texte_sur("@SUM(A1)"), "'@SUM(A1)");
        // After leading blanks too (hostile round 4).
        assert_eq!(texte_sur(" =1+1"), "' =1+1");
        assert_eq!(texte_sur("  @SUM(1,1)"), "'  @SUM(1,1)");
        assert_eq!(texte_sur("\u{a0}-2"), "'\u{a0}-2");
        assert_eq!(texte_sur("＝1+1"), "'＝1+1");
        assert_eq!(texte_sur("  texte"), "  texte");
        assert_eq!(texte_sur("Café"), "Café");
        assert_eq!(nombre(Decimal::new(120050, 2)), "1200,50");
        assert_eq!(nombre(Decimal::new(3, 0)), "3,00");
    }
}
