//! An ods workbook is read by calamine into dense grids, every sheet at once, when it is
//! opened: a single filled cell far away, or a filled cell repeated over thousands of columns
//! and rows, would ask for millions of cells. Its `content.xml` is scanned first (streamed,
//! nothing kept) and such a workbook is refused before calamine sees it.

use std::io::{BufReader, Read};

use quick_xml::events::{BytesStart, Event};

/// The columns and rows calamine lays out at most (its own caps).
const COLONNES_ODS: u64 = 16_384;
const LIGNES_ODS: u64 = 1_048_576;

/// Why an ods workbook is refused before it is read.
#[derive(Debug, PartialEq, Eq)]
pub enum Refus {
    /// A sheet with more rows holding data than the limit.
    TropDeLignes { feuille: String, lignes: u64 },
    /// A sheet whose filled cells span too large a grid.
    TropEtendue { feuille: String, lignes: u64, colonnes: u64, cellules: u64 },
    /// `content.xml` cannot be read.
    Illisible(String),
}

/// The extent of one sheet as calamine would lay it out.
#[derive(Default)]
struct Feuille {
    nom: String,
    /// Rows seen so far (repeated rows counted).
    lignes: u64,
    /// Rows holding data (repeated rows counted).
    pleines: u64,
    premiere: Option<u64>,
    derniere: u64,
    col_min: u64,
    col_max: u64,
    /// Cells calamine stores while reading rows (before the dense layout).
    lues: u64,
}

impl Feuille {
    /// Cells of the dense layout plus the cells read row by row.
    fn cellules(&self) -> (u64, u64, u64) {
        let Some(premiere) = self.premiere else { return (0, 0, self.lues) };
        let (h, l) = (self.derniere - premiere + 1, self.col_max - self.col_min + 1);
        (h, l, h.saturating_mul(l).saturating_add(self.lues))
    }
}

/// A row being read: its repeat count and the columns of its filled cells.
struct Ligne {
    repetee: u64,
    colonne: u64,
    pleine: Option<(u64, u64)>,
}

/// A cell being read: where it starts, how many columns it covers, whether it holds anything.
struct Cellule {
    colonne: u64,
    repetee: u64,
    remplie: bool,
}

fn nombre(e: &BytesStart<'_>, attribut: &str) -> u64 {
    e.try_get_attribute(attribut).ok().flatten().and_then(|a| a.value.trim().parse().ok()).unwrap_or(1).max(1)
}

/// What an ods sheet takes from elsewhere, which fnp never fetches or runs
/// (`CLASSEUR-LIENS-EXTERNES`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Externes {
    /// Links to other files or DDE: a linked sheet (`table:table-source`), DDE links.
    pub liens: bool,
    /// Connections to external data: a range linked to a web page or a file
    /// (`table:cell-range-source`, LibreOffice's « Lien vers des données externes »), a
    /// database range or a pivot table fed by a database query, SQL or table
    /// (`table:database-source-*`) or by a service (`table:source-service`).
    pub connexions: bool,
}

impl Externes {
    fn noter(&mut self, element: &str) {
        match element {
            "table:cell-range-source"
            | "table:database-source-query"
            | "table:database-source-sql"
            | "table:database-source-table"
            | "table:source-service" => self.connexions = true,
            "table:table-source" | "table:dde-link" | "table:dde-source" | "office:dde-source" => {
                self.liens = true;
            }
            _ => {}
        }
    }
}

/// Scans `content.xml` of an ods archive: refuses a sheet with more than `lignes_max` rows
/// holding data, or whose filled cells would make more than `cellules_max` cells; says what
/// the workbook takes from elsewhere.
pub fn verifier(octets: &[u8], lignes_max: u64, cellules_max: u64) -> Result<Externes, Refus> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(octets))
        .map_err(|e| Refus::Illisible(format!("archive zip illisible : {}", super::zip::message_zip(&e))))?;
    let Ok(contenu) = archive.by_name("content.xml") else {
        // calamine says what is missing.
        return Ok(Externes::default());
    };
    let mut externes = Externes::default();
    let mut lecteur = quick_xml::Reader::from_reader(BufReader::new(contenu.take(super::zip::TAILLE_DEPLIEE_MAX)));
    let mut tampon = Vec::new();
    let mut feuille: Option<Feuille> = None;
    let mut ligne: Option<Ligne> = None;
    let mut cellule: Option<Cellule> = None;
    loop {
        let evenement = lecteur
            .read_event_into(&mut tampon)
            .map_err(|e| Refus::Illisible(format!("content.xml illisible : {e}")))?;
        let debut = match &evenement {
            Event::Start(e) | Event::Empty(e) => Some(e),
            _ => None,
        };
        if let Some(e) = debut {
            externes.noter(e.name().as_ref());
            match e.name().as_ref() {
                "table:table" if feuille.is_none() => {
                    let nom = e
                        .try_get_attribute("table:name")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    feuille = Some(Feuille { nom, col_min: u64::MAX, ..Default::default() });
                }
                "table:table-row" if feuille.is_some() => {
                    ligne = Some(Ligne { repetee: nombre(e, "table:number-rows-repeated"), colonne: 0, pleine: None });
                }
                "table:table-cell" | "table:covered-table-cell" if ligne.is_some() => {
                    let colonne = ligne.as_ref().map_or(0, |l| l.colonne);
                    let repetee = nombre(e, "table:number-columns-repeated").min(COLONNES_ODS.saturating_sub(colonne));
                    let remplie = e.try_get_attribute("office:value-type").ok().flatten().is_some()
                        || e.try_get_attribute("table:formula").ok().flatten().is_some();
                    cellule = Some(Cellule { colonne, repetee, remplie });
                }
                _ => {
                    // Anything inside a cell (a paragraph of text) makes it filled.
                    if let Some(c) = cellule.as_mut() {
                        c.remplie = true;
                    }
                }
            }
        }
        let fin = match &evenement {
            Event::End(e) => Some(e.name().as_ref().to_string()),
            // A self-closing element ends where it starts.
            Event::Empty(e) => Some(e.name().as_ref().to_string()),
            Event::Text(t) if !t.is_empty() => {
                if let Some(c) = cellule.as_mut() {
                    c.remplie = true;
                }
                None
            }
            Event::Eof => break,
            _ => None,
        };
        match fin.as_deref() {
            Some("table:table-cell" | "table:covered-table-cell") => {
                if let (Some(c), Some(l)) = (cellule.take(), ligne.as_mut()) {
                    // Columns past the last one calamine lays out are not laid out at all.
                    if c.remplie && c.repetee > 0 {
                        let (debut, fin) = l.pleine.unwrap_or((c.colonne, c.colonne));
                        l.pleine = Some((debut.min(c.colonne), fin.max(c.colonne + c.repetee - 1)));
                    }
                    l.colonne += c.repetee;
                }
            }
            Some("table:table-row") => {
                if let (Some(l), Some(f)) = (ligne.take(), feuille.as_mut()) {
                    let repetee = l.repetee.min(LIGNES_ODS.saturating_sub(f.lignes));
                    // Rows past the last one calamine lays out are not laid out at all.
                    if let Some((debut, fin)) = l.pleine.filter(|_| repetee > 0) {
                        f.premiere.get_or_insert(f.lignes);
                        f.derniere = f.lignes + repetee.saturating_sub(1);
                        f.pleines = f.pleines.saturating_add(repetee);
                        f.col_min = f.col_min.min(debut);
                        f.col_max = f.col_max.max(fin);
                        f.lues = f.lues.saturating_add(fin + 1);
                        if f.pleines > lignes_max {
                            return Err(Refus::TropDeLignes { feuille: f.nom.clone(), lignes: f.pleines });
                        }
                        let (lignes, colonnes, cellules) = f.cellules();
                        if cellules > cellules_max {
                            return Err(Refus::TropEtendue { feuille: f.nom.clone(), lignes, colonnes, cellules });
                        }
                    }
                    f.lignes = f.lignes.saturating_add(repetee);
                }
            }
            Some("table:table") => {
                feuille = None;
            }
            _ => {}
        }
        tampon.clear();
    }
    Ok(externes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn ods(contenu: &str) -> Vec<u8> {
        let mut sortie = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut sortie);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        z.start_file("content.xml", options).ok();
        z.write_all(contenu.as_bytes()).ok();
        z.finish().ok();
        sortie.into_inner()
    }

    fn table(lignes: &str) -> String {
        format!(
            "<office:document-content><office:body><office:spreadsheet><table:table table:name=\"Dépenses\">{lignes}</table:table></office:spreadsheet></office:body></office:document-content>"
        )
    }

    const REMPLIE: &str =
        "<table:table-cell office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p></table:table-cell>";

    /// What LibreOffice writes for data taken from elsewhere: a range linked to a web page
    /// (« Lien vers des données externes »), a database range or a pivot table fed by a query,
    /// a linked sheet, DDE.
    #[test]
    fn external_data_and_links_are_noticed() {
        let cellule = |dedans: &str| {
            table(&format!("<table:table-row><table:table-cell>{dedans}</table:table-cell></table:table-row>"))
        };
        let web = cellule(
            "<table:cell-range-source table:name=\"HTML_tables\" xlink:href=\"https://exemple.invalid/\" table:filter-name=\"calc_HTML_WebQuery\" table:last-column-spanned=\"2\" table:last-row-spanned=\"2\"/>",
        );
        assert_eq!(verifier(&ods(&web), 10, 640), Ok(Externes { connexions: true, liens: false }));
        for source in ["database-source-query", "database-source-table", "database-source-sql"] {
            let plage = format!(
                "<office:document-content><office:body><office:spreadsheet><table:database-ranges><table:database-range table:name=\"x\"><table:{source} table:database-name=\"b\"/></table:database-range></table:database-ranges></office:spreadsheet></office:body></office:document-content>"
            );
            assert_eq!(verifier(&ods(&plage), 10, 640), Ok(Externes { connexions: true, liens: false }), "{source}");
        }
        let liee = table("<table:table-source xlink:href=\"../autre.ods\" table:mode=\"copy-all\"/>");
        assert_eq!(verifier(&ods(&liee), 10, 640), Ok(Externes { connexions: false, liens: true }));
        assert_eq!(verifier(&ods(&cellule("<text:p>1</text:p>")), 10, 640), Ok(Externes::default()));
    }

    #[test]
    fn an_ordinary_sheet_passes() {
        let lignes = format!(
            "<table:table-row>{REMPLIE}{REMPLIE}<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row><table:table-row table:number-rows-repeated=\"1048574\"><table:table-cell table:number-columns-repeated=\"1022\"/></table:table-row>"
        );
        assert_eq!(verifier(&ods(&table(&lignes)), 10_000, 640_000), Ok(Externes::default()));
    }

    #[test]
    fn a_far_away_cell_is_refused() {
        let lignes = format!(
            "<table:table-row>{REMPLIE}</table:table-row><table:table-row table:number-rows-repeated=\"500000\"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated=\"200\"/>{REMPLIE}</table:table-row>"
        );
        let refus = verifier(&ods(&table(&lignes)), 10_000, 640_000);
        assert!(
            matches!(&refus, Err(Refus::TropEtendue { feuille, lignes: 500_002, colonnes: 201, .. }) if feuille == "Dépenses"),
            "{refus:?}"
        );
    }

    #[test]
    fn a_filled_row_repeated_counts_every_row() {
        let lignes = format!("<table:table-row table:number-rows-repeated=\"20000\">{REMPLIE}</table:table-row>");
        let refus = verifier(&ods(&table(&lignes)), 10_000, 640_000);
        assert!(matches!(refus, Err(Refus::TropDeLignes { lignes: 10_001.., .. })), "{refus:?}");
    }

    #[test]
    fn a_filled_cell_repeated_across_the_columns_is_refused() {
        // 100 rows of 16 384 filled cells: calamine would store 1.6 million cells.
        let ligne = "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"1\" table:number-columns-repeated=\"16384\"/></table:table-row>";
        let refus = verifier(&ods(&table(&ligne.repeat(100))), 10_000, 640_000);
        assert!(matches!(refus, Err(Refus::TropEtendue { colonnes: 16_384, .. })), "{refus:?}");
    }
}
