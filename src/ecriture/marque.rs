//! The mark fnp puts in every annotated copy it writes (xlsx and xlsm annotated in place,
//! copies rebuilt on fnp's template): a custom document property, `fnp-copie-annotee`
//! (`docProps/custom.xml`, hidden from the sheets), holding a fingerprint of the dossier as
//! read. Found again in a checked folder, a workbook whose mark matches the dossier read from
//! it is fnp's own copy, left aside (and said); once the association changes a value, the
//! fingerprint no longer matches and the workbook is a dossier again: that is how corrected
//! workbooks come back.

use std::io::{Cursor, Read, Seek};

use super::annotation::paquet::{self, Archive, Relations};
use crate::model::Dossier;

/// The name of the custom property.
pub const PROPRIETE: &str = "fnp-copie-annotee";
const GENRE: &str = "custom-properties";
const CT_PROPRIETES: &str = "application/vnd.openxmlformats-officedocument.custom-properties+xml";
const NS_PROPRIETES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
const NS_VT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
/// The format id every custom property carries.
const FMTID: &str = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";
/// Largest part read to find the mark (a custom properties part is a few hundred bytes).
const PARTIE_MAX: u64 = 1024 * 1024;

/// The fingerprint of a dossier's content as read: CRC-32 and length of a stable
/// serialisation (its TOML text, format.md's order, without the comment naming fnp's
/// version, then the values kept as written because they could not be read).
pub fn empreinte(d: &Dossier) -> String {
    let mut texte: String = crate::model::ecrire_toml::ecrire(d, "")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| [l, "\n"])
        .collect();
    for (champ, brut) in &d.bruts {
        texte.push_str(&format!("\u{0}{champ}\u{0}{brut}"));
    }
    for l in &d.lignes_brutes {
        texte.push_str(&format!("\u{0}{}[{}]", l.nom, l.index));
        for (cle, t) in &l.cellules {
            texte.push_str(&format!("\u{0}{cle}\u{0}{t}"));
        }
    }
    format!("{:08x}-{}", crc32fast::hash(texte.as_bytes()), texte.len())
}

/// The workbook `octets` (xlsx or xlsm) with the mark set to `empreinte`: the custom
/// properties part added, or the property added to (or changed in) the workbook's own.
/// Every other part is copied as stored.
pub fn marquer(octets: &[u8], empreinte: &str) -> Result<Vec<u8>, String> {
    let zip = zip::ZipArchive::new(Cursor::new(octets)).map_err(|e| crate::lecture::zip::message_zip(&e))?;
    let noms = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let mut a =
        Archive { zip, noms, changees: Default::default(), ajoutees: Vec::new(), supprimees: Default::default() };
    let mut racine = Relations::lire(a.lire("_rels/.rels")?, "_rels/.rels")?;
    let existante = racine.de_genre(GENRE).map(|r| paquet::resoudre("", &r.cible));
    match existante {
        Some(partie) if a.lire(&partie)?.is_some() => {
            let t = a.lire_requise(&partie)?;
            a.changer(&partie, avec_propriete(&t, empreinte)?);
        }
        _ => {
            let nom = if a.noms.contains("docProps/custom.xml") {
                a.nom_libre("docProps/custom", ".xml")
            } else {
                "docProps/custom.xml".to_string()
            };
            a.ajouter(
                nom.clone(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"{NS_PROPRIETES}\" xmlns:vt=\"{NS_VT}\">{}</Properties>",
                    propriete(2, empreinte, false)
                ),
            );
            racine.ajouter(GENRE, nom.clone());
            if let Some(t) = racine.finir()? {
                a.changer("_rels/.rels", t);
            }
            let mut types = a.lire_requise("[Content_Types].xml")?;
            let Some(fin) = types.rfind("</") else { return Err("[Content_Types].xml illisible".into()) };
            types.insert_str(fin, &format!("<Override PartName=\"/{nom}\" ContentType=\"{CT_PROPRIETES}\"/>"));
            a.changer("[Content_Types].xml", types);
        }
    }
    paquet::ecrire(a)
}

/// One property element; added to a workbook's own part, its namespaces are declared on
/// itself (that part's root may use prefixes of its own).
fn propriete(pid: u32, valeur: &str, declarer: bool) -> String {
    let ns = if declarer { format!(" xmlns=\"{NS_PROPRIETES}\" xmlns:vt=\"{NS_VT}\"") } else { String::new() };
    format!(
        "<property{ns} fmtid=\"{FMTID}\" pid=\"{pid}\" name=\"{PROPRIETE}\"><vt:lpwstr>{}</vt:lpwstr></property>",
        super::annotation::xml::echapper(valeur)
    )
}

/// A custom properties part with fnp's property set to `valeur`.
fn avec_propriete(texte: &str, valeur: &str) -> Result<String, String> {
    if let Some(ancienne) = valeur_dans(texte) {
        let mut t = texte.to_string();
        t.replace_range(ancienne, &super::annotation::xml::echapper(valeur));
        return Ok(t);
    }
    // A fresh pid: custom properties number theirs from 2.
    let mut pid: u32 = 1;
    let mut reste = texte;
    while let Some(i) = reste.find("pid=\"") {
        reste = &reste[i + 5..];
        let n: String = reste.chars().take_while(char::is_ascii_digit).collect();
        pid = pid.max(n.parse().unwrap_or(0));
    }
    let Some(fin) = texte.rfind("</") else { return Err("propriétés du classeur illisibles".into()) };
    let mut t = texte.to_string();
    t.insert_str(fin, &propriete(pid.saturating_add(1).max(2), valeur, true));
    Ok(t)
}

/// Where the value of fnp's property lies in a custom properties part.
fn valeur_dans(texte: &str) -> Option<std::ops::Range<usize>> {
    let nom = texte.find(&format!("name=\"{PROPRIETE}\""))?;
    let fin_propriete = nom + texte[nom..].find("</")?;
    let ouverture = nom + texte[nom..fin_propriete].find("lpwstr>")? + "lpwstr>".len();
    let fermeture = ouverture + texte[ouverture..].find('<')?;
    Some(ouverture..fermeture)
}

/// The mark of a workbook (its fingerprint), if it has one.
pub fn marque_dans(octets: &[u8]) -> Option<String> {
    marque_de(Cursor::new(octets))
}

/// [`marque_dans`] for a workbook being read (only its directory and two small parts are).
pub fn marque_de<R: Read + Seek>(lecteur: R) -> Option<String> {
    let mut zip = zip::ZipArchive::new(lecteur).ok()?;
    let mut lire = |nom: &str| -> Option<String> {
        let f = zip.by_name(nom).ok()?;
        let mut o = Vec::new();
        f.take(PARTIE_MAX).read_to_end(&mut o).ok()?;
        String::from_utf8(o).ok()
    };
    let racine = Relations::lire(Some(lire("_rels/.rels")?), "_rels/.rels").ok()?;
    let partie = paquet::resoudre("", &racine.de_genre(GENRE)?.cible);
    let texte = lire(&partie)?;
    let valeur = valeur_dans(&texte)?;
    Some(texte[valeur].to_string())
}

/// Whether a workbook read is fnp's own annotated copy of the dossier read from it: it bears
/// fnp's mark, and the mark is the fingerprint of what was read. Looked for in the very bytes
/// that were checked (`Lu::octets`), never in a second read of the disk.
pub fn est_copie_de_fnp(lu: &crate::lecture::Lu) -> bool {
    let Some(octets) = lu.octets.as_deref() else { return false };
    peut_etre_marque(octets) && marque_dans(octets).is_some_and(|m| m == empreinte(&lu.dossier))
}

/// A quick look at the end of a workbook, where its zip directory lies: no part named
/// `docProps/custom…`, no mark (most workbooks of a batch are told apart by this look,
/// without parsing the directory). A directory larger than the look is searched in full.
fn peut_etre_marque(octets: &[u8]) -> bool {
    const FIN: usize = 64 * 1024;
    let taille = octets.len();
    let fin = &octets[taille.saturating_sub(FIN)..];
    // The zip directory of a workbook with more parts than the look holds: no shortcut.
    let directoire_entier = taille <= FIN
        || memchr::memmem::rfind(fin, b"PK\x05\x06").is_some_and(|eocd| {
            let debut = fin.get(eocd + 16..eocd + 20).map(|o| u32::from_le_bytes([o[0], o[1], o[2], o[3]]) as usize);
            debut.is_some_and(|d| d >= taille - FIN)
        });
    !directoire_entier || memchr::memmem::find(fin, b"docProps/custom").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dossier() -> Dossier {
        crate::lecture::lire(std::path::Path::new("examples/1.1-cafe-des-parents.toml"), "x").expect("example").dossier
    }

    #[test]
    fn a_mark_is_added_found_and_replaced() {
        let d = dossier();
        let e = empreinte(&d);
        let (classeur, _) = crate::ecriture::modele::ecrire(&crate::ecriture::modele::Options {
            dossier: Some(&d),
            ..Default::default()
        })
        .expect("workbook");
        assert_eq!(marque_dans(&classeur), None);
        let marque = marquer(&classeur, &e).expect("marked");
        assert_eq!(marque_dans(&marque).as_deref(), Some(e.as_str()));
        // Marked again (a copy of a copy): one property, the new value.
        let encore = marquer(&marque, "autre").expect("marked again");
        assert_eq!(marque_dans(&encore).as_deref(), Some("autre"));
        // The workbook still opens and reads as the same dossier.
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("c.xlsx");
        std::fs::write(&p, &marque).expect("w");
        let relu = crate::lecture::lire(&p, "c.xlsx").expect("reads");
        assert!(est_copie_de_fnp(&relu), "the rebuilt copy reads back to the same fingerprint");
    }

    #[test]
    fn the_property_joins_a_workbook_s_own_custom_properties() {
        let t = format!(
            "<?xml version=\"1.0\"?><Properties xmlns=\"{NS_PROPRIETES}\" xmlns:vt=\"{NS_VT}\"><property fmtid=\"{FMTID}\" pid=\"7\" name=\"Service\"><vt:lpwstr>Caf</vt:lpwstr></property></Properties>"
        );
        let avec = avec_propriete(&t, "abc").expect("added");
        assert!(avec.contains("pid=\"8\"") && avec.contains("name=\"Service\""), "{avec}");
        assert_eq!(&avec[valeur_dans(&avec).expect("found")], "abc");
        let change = avec_propriete(&avec, "def").expect("changed");
        assert_eq!(change.matches(PROPRIETE).count(), 1);
        assert_eq!(&change[valeur_dans(&change).expect("found")], "def");
    }

    #[test]
    fn a_changed_value_changes_the_fingerprint() {
        let d = dossier();
        let mut autre = d.clone();
        autre.champs.insert("porteur.nom", crate::model::Valeur::Texte("Une autre association".into()));
        assert_ne!(empreinte(&d), empreinte(&autre));
        assert_eq!(empreinte(&d), empreinte(&d.clone()));
    }
}
