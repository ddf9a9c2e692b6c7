//! Tests of `ods.rs`.

use super::*;
use crate::lecture::limites::Limites;
use std::io::Write;

fn ods(contenu: &str) -> Vec<u8> {
    let mut sortie = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut sortie);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    z.start_file("mimetype", options).ok();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet").ok();
    z.start_file("content.xml", options).ok();
    z.write_all(contenu.as_bytes()).ok();
    z.finish().ok();
    sortie.into_inner()
}

fn document(tables: &str) -> String {
    format!(
        "<office:document-content><office:automatic-styles><style:style style:name=\"cache\" style:family=\"table\"><style:table-properties table:display=\"false\"/></style:style></office:automatic-styles><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
}

fn table(nom: &str, lignes: &str) -> String {
    format!("<table:table table:name=\"{nom}\">{lignes}</table:table>")
}

fn toutes(nom: &str, visible: bool) -> Option<usize> {
    visible.then(|| if nom == "Dossier" { 0 } else { 1 })
}

fn lire_defaut(octets: &[u8]) -> Result<ClasseurOds, Refus> {
    lire(octets, &toutes, &mut Budget::pour(&Limites::default()), 10_001)
}

const CHAINE: &str = "<table:table-cell office:value-type=\"string\"><text:p>a</text:p></table:table-cell>";

#[test]
fn cells_are_read_as_calamine_reads_them() {
    let lignes = "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>un<text:s text:c=\"2\"/>deux</text:p><text:p>trois&amp;<text:tab/>x&#233;</text:p><office:annotation><text:p>note</text:p></office:annotation></table:table-cell><table:table-cell office:value-type=\"float\" office:value=\"1200.5\"><text:p>1 200,50</text:p></table:table-cell><table:table-cell table:number-columns-repeated=\"2\"/><table:table-cell office:value-type=\"date\" office:date-value=\"2025-01-08\"/><table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\"/><table:table-cell table:formula=\"of:=A1\" office:value-type=\"string\" office:string-value=\"\"/></table:table-row>";
    let lu = lire_defaut(&ods(&document(&table("Dossier", lignes)))).expect("read");
    let f = &lu.lues[0].1;
    assert_eq!(
        f.cellules,
        vec![
            (0, 0, Data::String("un  deux\ntrois&\txé".into())),
            (0, 1, Data::Float(1200.5)),
            (0, 4, Data::DateTimeIso("2025-01-08".into())),
            (0, 5, Data::Bool(true)),
        ]
    );
    assert!(f.formules.contains(&(0, 6)));
}

#[test]
fn hidden_sheets_and_others_are_not_read() {
    let tables = format!(
        "{}<table:table table:name=\"Dossier\" table:style-name=\"cache\"><table:table-row>{CHAINE}</table:table-row></table:table>{}",
        table("Autre", &format!("<table:table-row>{CHAINE}</table:table-row>")),
        table("Dossier", &format!("<table:table-row>{CHAINE}{CHAINE}</table:table-row>"))
    );
    let voulue = |nom: &str, visible: bool| (visible && nom == "Dossier").then_some(0);
    let lu = lire(&ods(&document(&tables)), &voulue, &mut Budget::pour(&Limites::default()), 10).expect("read");
    assert_eq!(
        lu.feuilles,
        vec![("Autre".to_string(), true), ("Dossier".to_string(), false), ("Dossier".to_string(), true)]
    );
    assert_eq!(lu.lues.len(), 1);
    assert_eq!(lu.lues[0].1.cellules.len(), 2);
}

/// What LibreOffice writes for data taken from elsewhere: a range linked to a web page
/// (« Lien vers des données externes »), a database range or a pivot table fed by a query,
/// a linked sheet, DDE — in a sheet that is read, in one that is skipped, or outside them.
#[test]
fn external_data_and_links_are_noticed() {
    let cellule = |nom: &str, dedans: &str| {
        table(nom, &format!("<table:table-row><table:table-cell>{dedans}</table:table-cell></table:table-row>"))
    };
    let web = "<table:cell-range-source table:name=\"HTML_tables\" xlink:href=\"https://exemple.invalid/\" table:filter-name=\"calc_HTML_WebQuery\"/>";
    let seule = |nom: &str, _| (nom == "Dossier").then_some(0);
    let lire_seule = |contenu: &str| {
        lire(&ods(&document(contenu)), &seule, &mut Budget::pour(&Limites::default()), 10).expect("read").externes
    };
    for nom in ["Dossier", "Autre"] {
        assert_eq!(
            lire_seule(&cellule(nom, web)),
            Externes { connexions: true, liens: false, scripts: false },
            "{nom}"
        );
    }
    for source in ["database-source-query", "database-source-table", "database-source-sql"] {
        let plage = format!(
            "<table:database-ranges><table:database-range table:name=\"x\"><table:{source} table:database-name=\"b\"/></table:database-range></table:database-ranges>"
        );
        assert_eq!(lire_seule(&plage), Externes { connexions: true, liens: false, scripts: false }, "{source}");
    }
    let liee = table("Autre", "<table:table-source xlink:href=\"../autre.ods\" table:mode=\"copy-all\"/>");
    assert_eq!(lire_seule(&liee), Externes { connexions: false, liens: true, scripts: false });
    assert_eq!(lire_seule(&cellule("Dossier", "<text:p>1</text:p>")), Externes::default());
}

/// `<text:s text:c="2000000000"/>`: 40 bytes asking for 2 GB of spaces.
#[test]
fn spaces_asked_for_are_charged_before_they_are_made() {
    let lignes = "<table:table-row><table:table-cell office:value-type=\"string\"><text:p><text:s text:c=\"2000000000\"/></text:p></table:table-cell></table:table-row>";
    let refus = lire_defaut(&ods(&document(&table("Dossier", lignes)))).expect_err("refused");
    assert_eq!(refus, Refus::Budget { feuille: "Dossier".into(), depassement: Depassement::Texte });
}

/// `number-rows-repeated="&#57;0000"` is 90 000 once decoded, as every reader decodes it.
#[test]
fn repeats_are_read_decoded() {
    let lignes = format!("<table:table-row table:number-rows-repeated=\"&#57;0000\">{CHAINE}</table:table-row>");
    let refus = lire_defaut(&ods(&document(&table("Dossier", &lignes)))).expect_err("refused");
    assert_eq!(refus, Refus::TropDeLignes { feuille: "Dossier".into() });
    let lignes =
        format!("<table:table-row table:number-rows-repeated=\"99999999999999999999999\">{CHAINE}</table:table-row>");
    assert!(matches!(lire_defaut(&ods(&document(&table("Dossier", &lignes)))), Err(Refus::TropDeLignes { .. })));
}

/// Formulas repeated down a million rows count as rows holding something.
#[test]
fn repeated_formulas_count_as_rows() {
    let lignes = "<table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell table:formula=\"of:=1\" table:number-columns-repeated=\"64\"/></table:table-row>";
    let refus = lire_defaut(&ods(&document(&table("Dossier", lignes)))).expect_err("refused");
    assert_eq!(refus, Refus::TropDeLignes { feuille: "Dossier".into() });
}

/// A long text in a row repeated many times counts once per row it makes.
#[test]
fn a_long_text_repeated_is_counted_each_time() {
    let texte = "x".repeat(1_000_000);
    let lignes = format!(
        "<table:table-row table:number-rows-repeated=\"100\"><table:table-cell office:value-type=\"string\"><text:p>{texte}</text:p></table:table-cell></table:table-row>"
    );
    let refus = lire_defaut(&ods(&document(&table("Dossier", &lignes)))).expect_err("refused");
    assert_eq!(refus, Refus::Budget { feuille: "Dossier".into(), depassement: Depassement::Texte });
    // Twenty times is fine.
    let lignes = lignes.replace("\"100\"", "\"20\"");
    let lu = lire_defaut(&ods(&document(&table("Dossier", &lignes)))).expect("read");
    assert_eq!(lu.lues[0].1.cellules.len(), 20);
}

/// A filled cell repeated over every column keeps only the layout's 64 columns.
#[test]
fn cells_far_right_are_never_kept() {
    let ligne = "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"1\" table:number-columns-repeated=\"16384\"/><table:table-cell table:number-columns-repeated=\"200\"/><table:table-cell office:value-type=\"float\" office:value=\"2\"/></table:table-row>";
    let lu = lire_defaut(&ods(&document(&table("Dossier", &ligne.repeat(100))))).expect("read");
    assert_eq!(lu.lues[0].1.cellules.len(), 100 * COLONNES_MAX as usize);
    // A far-away cell costs nothing.
    let loin = format!(
        "<table:table-row>{CHAINE}</table:table-row><table:table-row table:number-rows-repeated=\"500000\"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated=\"200\"/>{CHAINE}</table:table-row>"
    );
    let lu = lire_defaut(&ods(&document(&table("Dossier", &loin)))).expect("read");
    assert_eq!(lu.lues[0].1.cellules.len(), 1);
}

/// Many sheets: only the layout's are read, whatever the others hold.
#[test]
fn many_sheets_cost_only_what_is_read() {
    let pleine = format!("<table:table-row table:number-rows-repeated=\"5000\">{CHAINE}</table:table-row>");
    let mut tables: String = (0..400).map(|i| table(&format!("F{i}"), &pleine)).collect();
    tables.push_str(&table("Dossier", &format!("<table:table-row>{CHAINE}</table:table-row>")));
    let voulue = |nom: &str, _| (nom == "Dossier").then_some(0);
    let lu = lire(&ods(&document(&tables)), &voulue, &mut Budget::pour(&Limites::default()), 10).expect("read");
    assert_eq!(lu.feuilles.len(), 401);
    assert_eq!(lu.lues.len(), 1);
}

#[test]
fn what_is_not_an_ods_is_said() {
    let mut sortie = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut sortie);
    z.start_file("mimetype", zip::write::SimpleFileOptions::default()).ok();
    z.write_all(b"application/vnd.oasis.opendocument.text").ok();
    z.finish().ok();
    assert!(matches!(lire_defaut(&sortie.into_inner()), Err(Refus::Illisible(_))));
    assert!(matches!(lire_defaut(b"PK\x03\x04 tronque"), Err(Refus::Illisible(_))));
}

/// On the workbooks LibreOffice saved, every cell holding something is what calamine reads.
#[test]
fn libreoffice_workbooks_read_as_calamine_reads_them() {
    use calamine::Reader;
    for chemin in [
        "tests/fixtures/classeurs/lieu-libreoffice.ods",
        "tests/cases/CLASSEUR-MACROS/declenche/macros-basic-libreoffice.ods",
        "tests/cases/CLASSEUR-MACROS/ne-declenche-pas/sans-macros-libreoffice.ods",
    ] {
        let octets = std::fs::read(chemin).expect("fixture");
        let mut c = calamine::Ods::new(std::io::Cursor::new(octets.clone())).expect("calamine");
        let noms: Vec<String> = c.sheet_names().to_vec();
        let index = |nom: &str| noms.iter().position(|n| n == nom);
        let voulue = |nom: &str, _| index(nom);
        let lu = lire(&octets, &voulue, &mut Budget::pour(&Limites::default()), 10_001).expect("read");
        assert_eq!(lu.lues.len(), noms.len(), "{chemin}");
        for (k, f) in &lu.lues {
            let plage = c.worksheet_range(&noms[*k]).expect("range");
            let (l0, c0) = plage.start().unwrap_or((0, 0));
            let attendues: Vec<(u32, u32, Data)> = plage
                .used_cells()
                .filter(|(_, _, d)| !vide(d))
                .map(|(l, col, d)| (l0 + l as u32, c0 + col as u32, d.clone()))
                .filter(|(_, col, _)| *col < COLONNES_MAX)
                .collect();
            assert_eq!(f.cellules, attendues, "{chemin} {}", noms[*k]);
        }
    }
}
