//! The package of a workbook (its zip archive): parts read as text, changed or added, the
//! relationships between them, part names resolved as OPC does, and the archive written
//! again with every unchanged part copied as it was stored.

use std::collections::{BTreeMap, HashSet};
use std::io::{Cursor, Read, Write};

use quick_xml::events::Event;
use zip::write::SimpleFileOptions;

use super::xml::{self, Evenements};

pub const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
pub const NS_PAQUET: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
/// Largest part read to be edited (memory per file: the part, then its edited copy): a
/// sheet of a dossier workbook is a few hundred kilobytes. A larger part is a reason to
/// rebuild the copy, never a part cut short.
pub const PARTIE_MAX: u64 = 64 * 1024 * 1024;

/// One relationship of a `.rels` part.
#[derive(Debug, Clone)]
pub struct Relation {
    pub id: String,
    pub genre: String,
    pub cible: String,
    pub externe: bool,
}

/// A `.rels` part: its relationships and where new ones go.
pub struct Relations {
    pub texte: Option<String>,
    pub liste: Vec<Relation>,
    pub ajouts: Vec<Relation>,
}

impl Relations {
    pub fn lire(texte: Option<String>, partie: &str) -> Result<Relations, String> {
        let mut liste = Vec::new();
        if let Some(t) = &texte {
            let mut ev = Evenements::new(t, partie);
            while let Some((e, _, _)) = ev.suivant()? {
                if let Event::Empty(b) | Event::Start(b) = &e
                    && xml::nom_local(b) == "Relationship"
                {
                    liste.push(Relation {
                        id: xml::attribut(b, "Id").unwrap_or_default(),
                        genre: xml::attribut(b, "Type").unwrap_or_default(),
                        cible: xml::attribut(b, "Target").unwrap_or_default(),
                        externe: xml::attribut(b, "TargetMode").is_some_and(|m| m == "External"),
                    });
                }
            }
        }
        Ok(Relations { texte, liste, ajouts: Vec::new() })
    }

    pub fn de_genre(&self, genre: &str) -> Option<&Relation> {
        self.liste.iter().find(|r| r.genre == format!("{REL}{genre}") && !r.externe)
    }

    pub fn par_id(&self, id: &str) -> Option<&Relation> {
        self.liste.iter().find(|r| r.id == id && !r.externe)
    }

    /// Adds a relationship with a fresh id; returns the id.
    pub fn ajouter(&mut self, genre: &str, cible: String) -> String {
        let pris: HashSet<&str> = self.liste.iter().chain(&self.ajouts).map(|r| r.id.as_str()).collect();
        let id = (1..).map(|n| format!("rIdFnp{n}")).find(|i| !pris.contains(i.as_str())).unwrap_or_default();
        self.ajouts.push(Relation { id: id.clone(), genre: format!("{REL}{genre}"), cible, externe: false });
        id
    }

    pub fn finir(self) -> Result<Option<String>, String> {
        if self.ajouts.is_empty() {
            return Ok(None);
        }
        let ajout: String = self
            .ajouts
            .iter()
            .map(|r| {
                format!(
                    "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"/>",
                    xml::echapper(&r.id),
                    xml::echapper(&r.genre),
                    xml::echapper(&r.cible)
                )
            })
            .collect();
        Ok(Some(match self.texte {
            Some(t) => {
                let Some(fin) = t.rfind("</") else { return Err("relations du classeur illisibles".into()) };
                let mut s = t;
                s.insert_str(fin, &ajout);
                s
            }
            None => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"{NS_PAQUET}\">{ajout}</Relationships>"
            ),
        }))
    }
}

/// The folder of a part (`xl/worksheets` for `xl/worksheets/sheet1.xml`).
pub fn dossier_de(partie: &str) -> &str {
    partie.rfind('/').map_or("", |i| &partie[..i])
}

/// The `.rels` part of a part.
pub fn rels_de(partie: &str) -> String {
    let (d, f) = partie.rfind('/').map_or(("", partie), |i| (&partie[..i], &partie[i + 1..]));
    if d.is_empty() { format!("_rels/{f}.rels") } else { format!("{d}/_rels/{f}.rels") }
}

/// A relationship's target as a part name, from the folder of its source.
pub fn resoudre(base: &str, cible: &str) -> String {
    let mut parties: Vec<&str> =
        if cible.starts_with('/') { Vec::new() } else { base.split('/').filter(|s| !s.is_empty()).collect() };
    for p in cible.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parties.pop();
            }
            p => parties.push(p),
        }
    }
    parties.join("/")
}

/// The target to write in a `.rels` of folder `base` for part `partie`.
pub fn relative(base: &str, partie: &str) -> String {
    let b: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let p: Vec<&str> = partie.split('/').filter(|s| !s.is_empty()).collect();
    let commun = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    let mut s: Vec<&str> = std::iter::repeat_n("..", b.len() - commun).collect();
    s.extend(&p[commun..]);
    s.join("/")
}

/// The archive being annotated: its parts as read, and the parts changed or added.
pub struct Archive<'a> {
    pub zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    pub noms: HashSet<String>,
    pub changees: BTreeMap<String, String>,
    pub ajoutees: Vec<(String, String)>,
    /// Parts left out of the new archive.
    pub supprimees: HashSet<String>,
}

impl Archive<'_> {
    /// A part's text: as changed so far, else as received; `None` if absent.
    pub fn lire(&mut self, nom: &str) -> Result<Option<String>, String> {
        if let Some(t) = self.changees.get(nom) {
            return Ok(Some(t.clone()));
        }
        if let Some((_, t)) = self.ajoutees.iter().find(|(n, _)| n == nom) {
            return Ok(Some(t.clone()));
        }
        if !self.noms.contains(nom) {
            return Ok(None);
        }
        let f = self.zip.by_name(nom).map_err(|e| format!("{nom} : {}", crate::lecture::zip::message_zip(&e)))?;
        let mut octets = Vec::new();
        f.take(PARTIE_MAX + 1)
            .read_to_end(&mut octets)
            .map_err(|e| format!("{nom} : {}", crate::lecture::description_io(&e)))?;
        if octets.len() as u64 > PARTIE_MAX {
            return Err(format!("partie {nom} de plus de {} Mo", PARTIE_MAX / (1024 * 1024)));
        }
        String::from_utf8(octets).map(Some).map_err(|_| format!("partie {nom} dans un autre encodage que UTF-8"))
    }

    pub fn lire_requise(&mut self, nom: &str) -> Result<String, String> {
        self.lire(nom)?.ok_or_else(|| format!("partie {nom} absente de l'archive"))
    }

    pub fn changer(&mut self, nom: &str, texte: String) {
        if let Some(a) = self.ajoutees.iter_mut().find(|(n, _)| n == nom) {
            a.1 = texte;
        } else if self.noms.contains(nom) {
            self.changees.insert(nom.to_string(), texte);
        } else {
            self.ajoutees.push((nom.to_string(), texte));
        }
    }

    /// A free part name `prefixe{n}suffixe`.
    pub fn nom_libre(&self, prefixe: &str, suffixe: &str) -> String {
        (1..)
            .map(|n| format!("{prefixe}{n}{suffixe}"))
            .find(|n| {
                let bas = n.to_ascii_lowercase();
                !self.noms.iter().any(|x| x.to_ascii_lowercase() == bas) && !self.ajoutees.iter().any(|(x, _)| *x == *n)
            })
            .unwrap_or_default()
    }

    pub fn ajouter(&mut self, nom: String, texte: String) {
        self.ajoutees.push((nom, texte));
    }
}

/// The new archive: every part in its place, unchanged ones copied as they were stored.
pub fn ecrire(mut a: Archive<'_>) -> Result<Vec<u8>, String> {
    let echec = |e: zip::result::ZipError| {
        format!("écriture de la copie annotée impossible : {}", crate::lecture::zip::message_zip(&e))
    };
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // The fastest deflate: the changed parts are small, and a batch writes thousands.
    let options =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).compression_level(Some(1));
    let mut vus = HashSet::new();
    for i in 0..a.zip.len() {
        let nom = match a.zip.name_for_index(i) {
            Some(Ok(n)) => n.into_owned(),
            _ => return Err("nom de partie illisible dans l'archive".into()),
        };
        if !vus.insert(nom.clone()) || a.supprimees.contains(&nom) {
            // A name twice in one archive: only the first is what readers see.
            continue;
        }
        match a.changees.get(&nom) {
            Some(t) => {
                w.start_file(nom.as_str(), options).map_err(echec)?;
                w.write_all(t.as_bytes()).map_err(|e| crate::lecture::description_io(&e))?;
            }
            None => {
                let f = a.zip.by_index_raw(i).map_err(echec)?;
                w.raw_copy_file(f).map_err(echec)?;
            }
        }
    }
    for (nom, t) in &a.ajoutees {
        w.start_file(nom.as_str(), options).map_err(echec)?;
        w.write_all(t.as_bytes()).map_err(|e| crate::lecture::description_io(&e))?;
    }
    Ok(w.finish().map_err(echec)?.into_inner())
}
