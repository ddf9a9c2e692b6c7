//! Hostile dossiers: files that amplify what a reader decodes (entities, character
//! references, repeats, many sheets, shared strings, wide and long rows, deep nesting), at
//! two scales. `Echelle::Petite` runs in `cargo test` (tests/suite/hostiles.rs);
//! `Echelle::Pleine` is written by `cargo run --release --example generer-hostiles` for
//! `scripts/hostiles.sh`, which checks them under a 1.5 GB address-space limit. Each one was
//! met when fnp was tried as an attacker would (issue "every batch survives every file").
//!
//! Shared by the test suite and the example through `#[path]`: nothing here depends on fnp.

#![allow(dead_code)]

use std::io::Write;

/// How big the tricks are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echelle {
    /// Small enough for `cargo test` on any machine (tens of megabytes at most, decoded).
    Petite,
    /// As met: each asks for gigabytes if a reader decodes what it is told.
    Pleine,
}

/// What fnp must make of a hostile input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendu {
    /// One `illisible` dossier whose first reason holds this French text.
    Illisible(&'static str),
    /// Any verdict: read within the budget (the trick costs nothing once bounded).
    Verdict,
}

/// One hostile input: a file, or a CSV dossier folder.
pub struct Hostile {
    pub nom: &'static str,
    pub fichiers: Vec<(String, Vec<u8>)>,
    pub attendu: Attendu,
}

impl Hostile {
    /// Writes it into `dossier` (a file, or a folder of CSV files).
    pub fn ecrire(&self, dossier: &std::path::Path) -> std::io::Result<()> {
        for (chemin, octets) in &self.fichiers {
            let cible = dossier.join(chemin);
            if let Some(parent) = cible.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(cible, octets)?;
        }
        Ok(())
    }
}

fn zip(parties: &[(&str, &[u8])]) -> Vec<u8> {
    let mut sortie = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut sortie);
    for (nom, octets) in parties {
        let methode =
            if *nom == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        let options =
            zip::write::SimpleFileOptions::default().compression_method(methode).large_file(octets.len() > (1 << 31));
        z.start_file(*nom, options).expect("zip entry");
        z.write_all(octets).expect("zip write");
    }
    z.finish().expect("zip end");
    sortie.into_inner()
}

/// An xlsx whose sheets are given as (name, sheetData XML), with these shared strings.
pub fn xlsx(feuilles: &[(&str, String)], chaines: &[String]) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
    );
    let mut classeur = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut liens = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
    );
    let mut parties: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, (nom, donnees)) in feuilles.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        classeur.push_str(&format!(r#"<sheet name="{nom}" sheetId="{n}" r:id="rId{n}"/>"#));
        liens.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        parties.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{donnees}</sheetData></worksheet>"#).into_bytes(),
        ));
    }
    types.push_str("</Types>");
    classeur.push_str("</sheets></workbook>");
    liens.push_str("</Relationships>");
    let mut sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
        chaines.len()
    );
    for c in chaines {
        sst.push_str(&format!("<si><t>{c}</t></si>"));
    }
    sst.push_str("</sst>");
    let racine = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let mut toutes: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", racine.as_bytes()),
        ("xl/workbook.xml", classeur.as_bytes()),
        ("xl/_rels/workbook.xml.rels", liens.as_bytes()),
        ("xl/sharedStrings.xml", sst.as_bytes()),
    ];
    toutes.extend(parties.iter().map(|(n, o)| (n.as_str(), o.as_slice())));
    zip(&toutes)
}

/// An ods whose `content.xml` body holds these tables (as calamine needs: mimetype and a
/// manifest).
pub fn ods(tables: &str) -> Vec<u8> {
    let contenu = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    let manifeste = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifeste.as_bytes()),
        ("content.xml", contenu.as_bytes()),
    ])
}

fn table(nom: &str, lignes: &str) -> String {
    format!(r#"<table:table table:name="{nom}">{lignes}</table:table>"#)
}

fn cellule_texte(texte: &str) -> String {
    format!(r#"<table:table-cell office:value-type="string"><text:p>{texte}</text:p></table:table-cell>"#)
}

/// The Dossier sheet's start that every hostile ods shares: a key and its value.
fn ligne_ods(cle: &str, valeur: &str) -> String {
    format!("<table:table-row>{}{}</table:table-row>", cellule_texte(cle), cellule_texte(valeur))
}

/// Every hostile input at this scale.
pub fn hostiles(echelle: Echelle) -> Vec<Hostile> {
    let pleine = echelle == Echelle::Pleine;
    let mut h = Vec::new();

    // TOML: far more lines than --max-rows (1 Mo; 19 Mo at full scale, under --max-size).
    let tables = if pleine { 1_600_000 } else { 10_001 };
    let mut toml = String::from("format = 1\nexercice = 2025\n");
    toml.push_str(&"[[depense]]\n".repeat(tables));
    h.push(Hostile {
        nom: "lignes-innombrables.toml",
        fichiers: vec![("lignes-innombrables.toml".into(), toml.into_bytes())],
        attendu: Attendu::Illisible(if pleine { "clés, tables et listes" } else { "a plus de 10000 lignes" }),
    });

    // TOML: hundreds of thousands of unknown keys, under the element count: the findings are
    // bounded, not the keys.
    let cles = if pleine { 360_000 } else { 5_000 };
    let mut toml = String::from("format = 1\nexercice = 2025\n[porteur]\n");
    for i in 0..cles {
        toml.push_str(&format!("c{i} = 1\n"));
    }
    h.push(Hostile {
        nom: "cles-inconnues.toml",
        fichiers: vec![("cles-inconnues.toml".into(), toml.into_bytes())],
        attendu: Attendu::Verdict,
    });

    // TOML: arrays nested deeper than any parser's stack.
    let profondeur = if pleine { 1_000_000 } else { 100_000 };
    let toml = format!("format = 1\nx = {}{}\n", "[".repeat(profondeur), "]".repeat(profondeur));
    h.push(Hostile {
        nom: "imbrique.toml",
        fichiers: vec![("imbrique.toml".into(), toml.into_bytes())],
        attendu: Attendu::Illisible(""),
    });

    // xlsx: one long shared string used by many cells (15 Mo × 400: 6 Go if each cell copies it).
    let (longueur, cellules) = if pleine { (15_000_000, 400) } else { (1_000_000, 40) };
    let lignes: String = (1..=cellules)
        .map(|l| format!(r#"<row r="{l}"><c r="A{l}" t="s"><v>0</v></c><c r="B{l}" t="s"><v>0</v></c></row>"#))
        .collect();
    h.push(Hostile {
        nom: "chaine-partagee.xlsx",
        fichiers: vec![("chaine-partagee.xlsx".into(), xlsx(&[("Dossier", lignes)], &["x".repeat(longueur)]))],
        attendu: Attendu::Illisible("de texte une fois déplié"),
    });

    // xlsx: the same cell listed again and again in one row (rows are counted, cells too:
    // at full scale past the cells a dossier may hold, or its sheet past the zip bomb bound).
    let fois = if pleine { 3_000_000 } else { 300_000 };
    let ligne = format!(r#"<row r="1">{}</row>"#, r#"<c r="A1" t="n"><v>1</v></c>"#.repeat(fois));
    h.push(Hostile {
        nom: "cellule-repetee.xlsx",
        fichiers: vec![("cellule-repetee.xlsx".into(), xlsx(&[("Dossier", ligne)], &[]))],
        attendu: if pleine { Attendu::Illisible("trop de cellules remplies") } else { Attendu::Verdict },
    });

    // ods: `<text:s text:c="2000000000"/>`: 40 bytes, 2 Go of spaces.
    let espaces = if pleine { "2000000000" } else { "40000000" };
    let cellule = format!(
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="{espaces}"/></text:p></table:table-cell></table:table-row>"#
    );
    h.push(Hostile {
        nom: "espaces.ods",
        fichiers: vec![("espaces.ods".into(), ods(&table("Dossier", &cellule)))],
        attendu: Attendu::Illisible("de texte une fois déplié"),
    });

    // ods: `number-rows-repeated="&#57;0000"` is 90 000 once decoded; a wide row of text.
    let largeur = if pleine { 1000 } else { 2 };
    let cellule = format!(
        r#"<table:table-cell office:value-type="string" table:number-columns-repeated="{largeur}"><text:p>{}</text:p></table:table-cell>"#,
        "y".repeat(2000)
    );
    let ligne = format!(r#"<table:table-row table:number-rows-repeated="&#57;0000">{cellule}</table:table-row>"#);
    h.push(Hostile {
        nom: "repetition-entite.ods",
        fichiers: vec![("repetition-entite.ods".into(), ods(&table("Dossier", &ligne)))],
        attendu: Attendu::Illisible("lignes de données"),
    });

    // ods: a long text in a row repeated many times (10 Mo × 1 000; 1 Mo × 40).
    let (longueur, fois) = if pleine { (10_000_000, 1000) } else { (1_000_000, 40) };
    let ligne = format!(
        r#"<table:table-row table:number-rows-repeated="{fois}">{}</table:table-row>"#,
        cellule_texte(&"z".repeat(longueur))
    );
    h.push(Hostile {
        nom: "texte-repete.ods",
        fichiers: vec![("texte-repete.ods".into(), ods(&table("Dossier", &ligne)))],
        attendu: Attendu::Illisible("de texte une fois déplié"),
    });

    // ods: many sheets, each just under what one sheet may hold.
    let (feuilles, lignes) = if pleine { (400, 10_000) } else { (20, 1_000) };
    let pleine_feuille = format!(
        r#"<table:table-row table:number-rows-repeated="{lignes}"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="64"/></table:table-row>"#
    );
    let tables: String = (0..feuilles).map(|i| table(&format!("Feuille{i}"), &pleine_feuille)).collect();
    h.push(Hostile {
        nom: "feuilles-innombrables.ods",
        fichiers: vec![("feuilles-innombrables.ods".into(), ods(&tables))],
        attendu: Attendu::Illisible("pas de feuille « Dossier »"),
    });

    // ods: a cell nested a million spans deep, and an entity the document never declares.
    let profondeur = if pleine { 1_000_000 } else { 50_000 };
    let ligne = format!(
        r#"{}<table:table-row><table:table-cell office:value-type="string"><text:p>{}&lol9;{}</text:p></table:table-cell></table:table-row>"#,
        ligne_ods("porteur.nom", "Association"),
        "<text:span>".repeat(profondeur),
        "</text:span>".repeat(profondeur)
    );
    h.push(Hostile {
        nom: "imbrique.ods",
        fichiers: vec![("imbrique.ods".into(), ods(&table("Dossier", &ligne)))],
        attendu: Attendu::Verdict,
    });

    // CSV folder: a row of `;` with no end (19 Mo at full scale: 3 Go if each field is kept).
    let largeur = if pleine { 19_000_000 } else { 1_000_000 };
    let depenses = format!("Nature;Libellé;Montant (€)\n{}\n", ";".repeat(largeur));
    h.push(Hostile {
        nom: "ligne-sans-fin",
        fichiers: vec![
            ("ligne-sans-fin/Dossier.csv".into(), b"Champ;Valeur\nporteur.nom;Association\n".to_vec()),
            ("ligne-sans-fin/Depenses.csv".into(), depenses.into_bytes()),
        ],
        attendu: Attendu::Verdict,
    });

    // CSV folder: one field longer than any spreadsheet cell.
    let longueur = if pleine { 19_000_000 } else { 1_000_000 };
    let depenses = format!("Nature;Libellé;Montant (€)\nlocation;{};10\n", "w".repeat(longueur));
    h.push(Hostile {
        nom: "champ-sans-fin",
        fichiers: vec![
            ("champ-sans-fin/Dossier.csv".into(), b"Champ;Valeur\nporteur.nom;Association\n".to_vec()),
            ("champ-sans-fin/Depenses.csv".into(), depenses.into_bytes()),
        ],
        attendu: Attendu::Illisible("un tableur n'en écrit pas"),
    });
    h
}
