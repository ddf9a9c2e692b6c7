//! A workbook is a zip archive (xlsx, xlsm, ods): its parts are measured from the archive's
//! directory before anything is inflated, so that a zip bomb is refused up front.

use super::Illisible;
use crate::lecture::limites::{CHAINES_MAX, PARTIES_MAX, RATIO_MAX, TAILLE_DEPLIEE_MAX, TYPES_MAX};

/// The zip library's errors, in French.
pub fn message_zip(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(e) => super::description_io(e),
        Z::InvalidArchive(_) => "archive zip invalide (fin d'archive introuvable ou répertoire abîmé)".into(),
        Z::UnsupportedArchive(_) => "archive zip d'un format non pris en charge".into(),
        Z::FileNotFound => "partie introuvable dans l'archive".into(),
        Z::InvalidPassword => "mot de passe invalide".into(),
        Z::CompressionMethodNotSupported(m) => format!("méthode de compression {m} non prise en charge"),
        _ => "archive zip illisible".into(),
    }
}

/// What a workbook's directory shows that its reader never runs but the instructor must
/// know (spreadsheet.md, 2026-11-30): macros, and links to other files (DDE links are
/// stored as external links).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contenus {
    pub macros: bool,
    pub liens_externes: bool,
    /// Connections to external data (xlsx `xl/connections.xml`, query tables; ods data
    /// sources): a query a spreadsheet may refresh when the file is opened.
    pub connexions: bool,
    /// Embedded objects that run when opened or clicked: OLE objects and packages, ActiveX
    /// controls (hostile round 4).
    pub objets: bool,
}

/// What a relationship part (`*.rels`) or `[Content_Types].xml` declares, by relationship
/// type and content type, never by part name (hostile round 4: a VBA project stored as
/// `xl/donnees.bin` is reached through its relationship and typed by its content type).
fn noter_types(texte: &str, contenus: &mut Contenus) {
    // One pass over the part for every word, whatever its case (a part is read once per
    // workbook: thirteen `contains` on a lowered copy cost more than the part's inflation).
    const MOTS: [(&str, u8); 13] = [
        ("vbaproject", MACROS),
        ("/externallink", LIENS),
        ("externallink+xml", LIENS),
        ("/connections\"", CONNEXIONS),
        ("connections+xml", CONNEXIONS),
        ("/querytable", CONNEXIONS),
        ("querytable+xml", CONNEXIONS),
        ("/oleobject", OBJETS),
        ("oleobject\"", OBJETS),
        ("/package\"", OBJETS),
        ("/activexcontrol", OBJETS),
        ("activex+xml", OBJETS),
        ("activex.bin", OBJETS),
    ];
    const MACROS: u8 = 1;
    const LIENS: u8 = 2;
    const CONNEXIONS: u8 = 4;
    const OBJETS: u8 = 8;
    static CHERCHEUR: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(MOTS.map(|(m, _)| m)).ok()
    });
    let trouves = match CHERCHEUR.as_ref() {
        Some(c) => c.find_overlapping_iter(texte).fold(0u8, |t, m| t | MOTS[m.pattern().as_usize()].1),
        // Never: the words are fixed. Still, the slow way rather than nothing.
        None => {
            let t = texte.to_ascii_lowercase();
            MOTS.iter().filter(|(m, _)| t.contains(m)).fold(0u8, |t, (_, f)| t | f)
        }
    };
    contenus.macros |= trouves & MACROS != 0;
    contenus.liens_externes |= trouves & LIENS != 0;
    contenus.connexions |= trouves & CONNEXIONS != 0;
    contenus.objets |= trouves & OBJETS != 0;
}

/// Whether a formula reaches out of the workbook: a DDE link (`=cmd|' /C calc'!A0`, an
/// application, a pipe, a topic and a `!`; LibreOffice's `DDE(…)`), a reference into another
/// file (`['file:///…/x.ods'#$Feuille1.A1]`), or a function that fetches or calls
/// (`WEBSERVICE`, `FILTERXML` of it, `RTD`, `CALL`, `REGISTER`); `None` when it does not,
/// else whether it is a link (`true`) or a fetch (`false`).
pub fn formule_externe(formule: &str) -> Option<bool> {
    let f = formule.to_ascii_uppercase();
    if let Some(i) = f.find('|')
        && f[i..].contains('!')
    {
        return Some(true);
    }
    if f.contains("DDE(") || f.contains("'FILE:") {
        return Some(true);
    }
    ["WEBSERVICE(", "RTD(", "CALL(", "REGISTER(", "REGISTER.ID(", "_XLFN.WEBSERVICE("]
        .iter()
        .any(|n| f.contains(n))
        .then_some(false)
}

/// Checks a zip-based workbook's directory; other files pass (their reader decides).
pub fn verifier_archive(octets: &[u8], ext: &str, affiche: &str) -> Result<Contenus, Illisible> {
    let refus = |m: String| Illisible::sans_position(affiche, m);
    if octets.len() < 4 {
        return Err(refus("fichier vide ou tronqué : ce n'est pas un classeur".into()));
    }
    let tete = &octets[..4];
    if tete == [0xD0, 0xCF, 0x11, 0xE0] {
        // OLE container: an .xls, or an encrypted xlsx (calamine says which), walked first.
        super::cfb::verifier(octets).map_err(refus)?;
        // An xls with macros keeps them in a `_VBA_PROJECT_CUR` storage.
        let nom: Vec<u8> = "_VBA_PROJECT_CUR".bytes().flat_map(|b| [b, 0]).collect();
        let macros = octets.windows(nom.len()).any(|w| w == nom.as_slice());
        return Ok(Contenus { macros, ..Contenus::default() });
    }
    if tete != b"PK\x03\x04" {
        return Err(refus(format!(
            "ce n'est pas un classeur {ext} (le contenu du fichier ne correspond pas à son extension)"
        )));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(octets))
        .map_err(|e| refus(format!("classeur tronqué ou abîmé : {}", message_zip(&e))))?;
    if archive.len() > PARTIES_MAX {
        return Err(refus(format!("classeur refusé : {} parties (limite {PARTIES_MAX})", archive.len())));
    }
    if let Some(nom) = partie_en_double(octets, &archive) {
        return Err(refus(format!(
            "le classeur contient deux fois {nom} : une archive de classeur n'a qu'une partie par nom (norme OPC), et deux logiciels n'y liraient pas les mêmes chiffres ; enregistrez-le à nouveau depuis votre tableur"
        )));
    }
    let mut total: u64 = 0;
    let mut contenus = Contenus::default();
    for i in 0..archive.len() {
        let partie = archive.by_index_raw(i).map_err(|e| refus(format!("classeur abîmé : {}", message_zip(&e))))?;
        let (taille, compressee) = (partie.size(), partie.compressed_size());
        total = total.saturating_add(taille);
        let nom = partie.name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        // xlsm: xl/vbaProject.bin; ods: a Basic/ folder of macros, a Scripts/ folder (Python,
        // JavaScript, BeanShell).
        contenus.macros |= nom.ends_with("vbaproject.bin") || nom.starts_with("basic/") || nom.starts_with("scripts/");
        contenus.liens_externes |= nom.starts_with("xl/externallinks/");
        contenus.connexions |= nom == "xl/connections.xml" || nom.starts_with("xl/querytables/");
        if nom.ends_with("sharedstrings.xml") && taille > CHAINES_MAX {
            return Err(refus(format!(
                "classeur refusé : ses textes se déplieraient en {taille} octets (limite {CHAINES_MAX} : un dossier en compte quelques milliers)"
            )));
        }
        if taille > 16 * 1024 * 1024 && taille / compressee.max(1) > RATIO_MAX {
            return Err(refus(format!(
                "classeur refusé : la partie « {} » se déplierait en {taille} octets depuis {compressee} (bombe zip ?)",
                partie.name().map(|n| n.to_string()).unwrap_or_default()
            )));
        }
    }
    if total > TAILLE_DEPLIEE_MAX {
        return Err(refus(format!(
            "classeur refusé : ses parties se déplieraient en {total} octets (limite {TAILLE_DEPLIEE_MAX})"
        )));
    }
    // Active content by its declared type (relationships, content types, the ods manifest),
    // whatever the part is called.
    for i in 0..archive.len() {
        let Ok(partie) = archive.by_index_raw(i) else { continue };
        let nom = partie.name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        let declare = nom.ends_with(".rels") || nom == "[content_types].xml" || nom == "meta-inf/manifest.xml";
        if !declare || partie.size() > TYPES_MAX {
            continue;
        }
        let texte = match (partie.data_start(), partie.compression()) {
            (Some(debut), methode @ (zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated)) => {
                let brut = usize::try_from(debut)
                    .ok()
                    .zip(usize::try_from(partie.compressed_size()).ok())
                    .and_then(|(d, n)| octets.get(d..d.checked_add(n)?));
                let (taille, crc) = (partie.size(), partie.crc32());
                drop(partie);
                brut.and_then(|b| deplier(b, methode == zip::CompressionMethod::Deflated, taille, crc))
            }
            // Another method: the zip library's own reader.
            _ => {
                drop(partie);
                archive.by_index(i).ok().and_then(|p| {
                    let mut texte = String::new();
                    std::io::Read::read_to_string(&mut std::io::Read::take(p, TYPES_MAX), &mut texte).ok()?;
                    Some(texte)
                })
            }
        };
        if let Some(texte) = texte {
            noter_types(&texte, &mut contenus);
        }
    }
    Ok(contenus)
}

thread_local! {
    /// One decompressor per thread for the small parts read here: setting one up (its
    /// window cleared) cost more than inflating a relationship part of a few hundred bytes.
    static INFLATE: std::cell::RefCell<flate2::Decompress> = std::cell::RefCell::new(flate2::Decompress::new(false));
}

/// The text of a part of `taille` bytes (at most `TYPES_MAX`) from its bytes as stored,
/// inflated when `deflate`; `None` when it does not inflate, is not UTF-8, or its CRC-32
/// is not the directory's (as the zip library's reader refuses it).
fn deplier(brut: &[u8], deflate: bool, taille: u64, crc: u32) -> Option<String> {
    let attendu = usize::try_from(taille.min(TYPES_MAX)).ok()?;
    let octets = if deflate {
        INFLATE.with(|d| {
            let mut d = d.borrow_mut();
            d.reset(false);
            let mut sortie = Vec::with_capacity(attendu + 1);
            loop {
                let lu = usize::try_from(d.total_in()).ok()?;
                let avant = d.total_out();
                let etat = d.decompress_vec(brut.get(lu..)?, &mut sortie, flate2::FlushDecompress::Finish).ok()?;
                if etat == flate2::Status::StreamEnd {
                    break;
                }
                // More than declared (the CRC below refuses it) or no progress: stop.
                if sortie.len() > attendu || d.total_out() == avant {
                    return None;
                }
                sortie.reserve(1);
            }
            Some(sortie)
        })?
    } else {
        brut.get(..attendu)?.to_vec()
    };
    (octets.len() as u64 == taille && crc32fast::hash(&octets) == crc).then_some(())?;
    String::from_utf8(octets).ok()
}

/// The first part the archive's central directory holds twice (OPC part names compare
/// ignoring ASCII case), read from the directory itself: the zip library keeps one entry per
/// name, so its list cannot show the second.
fn partie_en_double<R: std::io::Read + std::io::Seek>(octets: &[u8], archive: &zip::ZipArchive<R>) -> Option<String> {
    const SIGNATURE: &[u8] = b"PK\x01\x02";
    let u16_a = |i: usize| octets.get(i..i + 2).map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let debut = usize::try_from(archive.central_directory_start()).ok()?;
    // The directory start is counted from the archive's first byte, which data prepended to
    // the archive moves.
    let mut i = [debut, debut.saturating_add(usize::try_from(archive.offset()).ok()?)]
        .into_iter()
        .find(|&i| octets.get(i..i + 4) == Some(SIGNATURE))?;
    let mut vus = std::collections::HashSet::new();
    while octets.get(i..i + 4) == Some(SIGNATURE) && vus.len() <= PARTIES_MAX {
        let (Some(n), Some(extra), Some(commentaire)) = (u16_a(i + 28), u16_a(i + 30), u16_a(i + 32)) else {
            break;
        };
        let nom = octets.get(i + 46..i + 46 + n)?;
        if !vus.insert(nom.to_ascii_lowercase()) {
            return Some(format!("la partie « {} »", String::from_utf8_lossy(nom)));
        }
        i += 46 + n + extra + commentaire;
    }
    // The library counted more entries than names, and the walk above did not see which.
    archive.has_duplicate_names().then(|| "une même partie".to_string())
}

#[cfg(test)]
mod tests {
    use super::deplier;
    use std::io::Write;

    fn deflate(texte: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(texte).expect("deflate");
        e.finish().expect("deflate")
    }

    /// A small part inflated with the thread's decompressor, again and again (its reset
    /// between parts); refused when its size or CRC-32 is not the directory's, or it does not
    /// inflate, as the zip library's reader refuses it.
    #[test]
    fn small_parts_are_inflated_and_checked() {
        let texte = br#"<Relationships><Relationship Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="x.bin"/></Relationships>"#;
        let brut = deflate(texte);
        let crc = crc32fast::hash(texte);
        for _ in 0..3 {
            assert_eq!(deplier(&brut, true, texte.len() as u64, crc).as_deref().map(str::as_bytes), Some(&texte[..]));
        }
        assert_eq!(deplier(texte, false, texte.len() as u64, crc).as_deref().map(str::as_bytes), Some(&texte[..]));
        assert_eq!(deplier(&brut, true, texte.len() as u64, crc ^ 1), None, "wrong CRC");
        assert_eq!(deplier(&brut, true, texte.len() as u64 - 10, crc), None, "longer than declared");
        assert_eq!(deplier(&brut[..brut.len() / 2], true, texte.len() as u64, crc), None, "truncated");
        assert_eq!(deplier(b"\xff\xff\xff", true, 3, 0), None, "not deflate");
    }
}
