//! A legacy `.xls` (and an encrypted `.xlsx`) is a Compound File (OLE/CFB). A broken one can
//! make a reader follow a sector chain forever, growing memory without bound. Before any
//! reader sees it, its structure is walked here with bounded work: every chain must stay in
//! the file, never loop, and no stream may claim to be larger than the file.

use crate::lecture::limites::XLS_CELLULES_MAX;
const FIN_DE_CHAINE: u32 = 0xFFFF_FFFE;
const LIBRE: u32 = 0xFFFF_FFFF;
/// Ids above this are special markers (FAT sector, DIFAT sector, end of chain, free).
const MAX_ID: u32 = 0xFFFF_FFFA;

fn u16_a(o: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(o.get(i..i + 2)?.try_into().ok()?))
}

fn u32_a(o: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(o.get(i..i + 4)?.try_into().ok()?))
}

fn u64_a(o: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(o.get(i..i + 8)?.try_into().ok()?))
}

/// A damaged Compound File, told in French with what is wrong.
fn abime<T>(quoi: &str) -> Result<T, String> {
    Err(format!("classeur xls abîmé ({quoi}) : enregistrez-le à nouveau depuis le tableur"))
}

/// Checks a Compound File; `Err` says in French what is wrong.
pub fn verifier(o: &[u8]) -> Result<(), String> {
    if o.get(..8) != Some(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..]) {
        return abime("en-tête");
    }
    let Some(taille_secteur) = u16_a(o, 30).and_then(|s| match s {
        9 => Some(512usize),
        12 => Some(4096usize),
        _ => None,
    }) else {
        return abime("taille de secteur");
    };
    let secteur = |id: u32| -> Option<&[u8]> {
        let debut = (id as usize).checked_add(1)?.checked_mul(taille_secteur)?;
        o.get(debut..debut.checked_add(taille_secteur)?)
    };
    let nb_secteurs = (o.len() / taille_secteur).saturating_sub(1) as u32;
    let (Some(dir_debut), Some(minifat_debut), Some(mut difat_suivant)) = (u32_a(o, 48), u32_a(o, 60), u32_a(o, 68))
    else {
        return abime("en-tête tronqué");
    };
    // FAT sectors: 109 ids in the header, then the DIFAT chain.
    let mut ids_fat: Vec<u32> = (0..109).filter_map(|k| u32_a(o, 76 + 4 * k)).filter(|id| *id < MAX_ID).collect();
    let mut vus = 0u32;
    while difat_suivant < MAX_ID {
        vus += 1;
        if vus > nb_secteurs {
            return abime("chaîne DIFAT en boucle");
        }
        let Some(s) = secteur(difat_suivant) else { return abime("secteur DIFAT hors du fichier") };
        let n = taille_secteur / 4 - 1;
        ids_fat.extend((0..n).filter_map(|k| u32_a(s, 4 * k)).filter(|id| *id < MAX_ID));
        difat_suivant = u32_a(s, 4 * n).unwrap_or(FIN_DE_CHAINE);
    }
    if ids_fat.len() as u64 > u64::from(nb_secteurs) + 1 {
        return abime("table d'allocation");
    }
    let mut fat: Vec<u32> = Vec::with_capacity(ids_fat.len() * taille_secteur / 4);
    for id in ids_fat {
        let Some(s) = secteur(id) else { return abime("secteur FAT hors du fichier") };
        fat.extend((0..taille_secteur / 4).filter_map(|k| u32_a(s, 4 * k)));
    }
    // A chain from `debut`: in the file, no loop; returns its sectors.
    let chaine = |debut: u32| -> Result<Vec<u32>, String> {
        let mut ids = Vec::new();
        let mut vu = vec![false; fat.len()];
        let mut id = debut;
        while id != FIN_DE_CHAINE && id != LIBRE {
            let i = id as usize;
            if id >= nb_secteurs || i >= fat.len() || vu[i] {
                return abime(if i < vu.len() && vu[i] {
                    "chaîne de secteurs en boucle"
                } else {
                    "chaîne de secteurs hors du fichier"
                });
            }
            vu[i] = true;
            ids.push(id);
            id = fat[i];
        }
        Ok(ids)
    };
    let repertoire = chaine(dir_debut)?;
    // The directory as the reader sees it: every 128-byte entry whatever its type, named by
    // its 64 name bytes up to the first NUL (the reader ignores the name length field).
    let mut entrees: Vec<Entree> = Vec::new();
    for id in repertoire {
        let Some(s) = secteur(id) else { return abime("répertoire hors du fichier") };
        for e in s.chunks_exact(128) {
            let nom: String = char::decode_utf16(e[..64].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])))
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .take_while(|c| *c != '\0')
                .collect();
            let debut = u32_a(e, 116).unwrap_or(FIN_DE_CHAINE);
            let taille =
                if taille_secteur == 512 { u64::from(u32_a(e, 120).unwrap_or(0)) } else { u64_a(e, 120).unwrap_or(0) };
            entrees.push(Entree { nom, genre: e[66], debut, taille });
        }
    }
    for e in &entrees {
        if matches!(e.genre, 2 | 5) && e.taille > o.len() as u64 {
            return abime("flux plus grand que le fichier");
        }
        // The reader follows the chain of any entry it is asked for, up to its size: that
        // chain must end (small streams live in the mini stream, bounded by their size).
        if e.taille >= 4096 {
            chaine(e.debut)?;
        }
    }
    let lire = |debut: u32, taille: u64| -> Result<Vec<u8>, String> {
        let mut flux = Vec::new();
        for id in chaine(debut)? {
            if let Some(s) = secteur(id) {
                flux.extend_from_slice(s);
            }
        }
        flux.truncate(usize::try_from(taille).unwrap_or(usize::MAX));
        Ok(flux)
    };
    // The mini stream: the reader takes the chain of the first entry (whatever its type) as
    // the mini stream, and the mini FAT from the header, as soon as the header counts one.
    let nb_secteurs_minifat = u64::from(u32_a(o, 64).unwrap_or(0));
    let (mini_flux, mini_fat) = match entrees.first() {
        Some(racine) if nb_secteurs_minifat > 0 => {
            let mini_flux = lire(racine.debut, racine.taille)?;
            let octets = lire(minifat_debut, nb_secteurs_minifat.saturating_mul(taille_secteur as u64))?;
            let mini_fat: Vec<u32> =
                octets.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
            (mini_flux, mini_fat)
        }
        _ => (Vec::new(), Vec::new()),
    };
    // A small stream, from the mini stream; its chain is cut at its size, as the reader does.
    let lire_petit = |mut id: u32, taille: u64| -> Result<Vec<u8>, String> {
        let mut flux = Vec::new();
        while id != FIN_DE_CHAINE && (flux.len() as u64) < taille {
            // The last mini sector may be cut short by the mini stream's size.
            let s = mini_flux.get(id as usize * 64..).map(|r| &r[..r.len().min(64)]).filter(|r| !r.is_empty());
            let (Some(s), Some(suivant)) = (s, mini_fat.get(id as usize)) else {
                return abime("mini-flux hors du fichier");
            };
            flux.extend_from_slice(s);
            id = *suivant;
        }
        flux.truncate(taille as usize);
        Ok(flux)
    };
    // The cells of an xls: a reader lays each sheet out as a full grid up to its farthest
    // cell, so the cells must stay in the format's bounds and the grid reasonable. The reader
    // opens the first entry named `Workbook` (any case), or else `Book`: both are scanned.
    for nom in ["Workbook", "Book"] {
        if let Some(e) = entrees.iter().find(|e| e.nom.eq_ignore_ascii_case(nom)) {
            let flux = if e.taille >= 4096 { lire(e.debut, e.taille)? } else { lire_petit(e.debut, e.taille)? };
            verifier_cellules_biff(&flux)?;
        }
    }
    Ok(())
}

/// A directory entry: name, type (2 stream, 5 root), first sector and size.
struct Entree {
    nom: String,
    genre: u8,
    debut: u32,
    taille: u64,
}

/// The BIFF records of a stream from `debut`, as a reader walks them: (type, data), ending at
/// the first record that does not fit.
fn enregistrements(flux: &[u8], debut: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut i = debut;
    std::iter::from_fn(move || {
        let genre = u16_a(flux, i)?;
        let longueur = usize::from(u16_a(flux, i + 2)?);
        let donnees = flux.get(i + 4..i + 4 + longueur)?;
        i += 4 + longueur;
        Some((genre, donnees))
    })
}

/// The decoded size, at most, of each string of a shared string table (SST and its
/// CONTINUE records), walked as the reader walks it: a string's characters may go on in the
/// next record, which then starts with a byte giving their width.
fn tailles_sst(segments: &[&[u8]]) -> Vec<u64> {
    struct Curseur<'a> {
        segments: &'a [&'a [u8]],
        s: usize,
        i: usize,
    }
    impl Curseur<'_> {
        fn octet(&mut self) -> Option<u8> {
            loop {
                let seg = self.segments.get(self.s)?;
                if let Some(b) = seg.get(self.i) {
                    self.i += 1;
                    return Some(*b);
                }
                self.s += 1;
                self.i = 0;
            }
        }
        fn sauter(&mut self, mut n: u64) -> Option<()> {
            while n > 0 {
                let seg = self.segments.get(self.s)?;
                let reste = (seg.len() - self.i.min(seg.len())) as u64;
                if reste == 0 {
                    self.s += 1;
                    self.i = 0;
                    continue;
                }
                let pas = reste.min(n);
                self.i += pas as usize;
                n -= pas;
            }
            Some(())
        }
        fn u16(&mut self) -> Option<u16> {
            Some(u16::from_le_bytes([self.octet()?, self.octet()?]))
        }
        fn u32(&mut self) -> Option<u32> {
            Some(u32::from_le_bytes([self.octet()?, self.octet()?, self.octet()?, self.octet()?]))
        }
        /// `n` characters of width `large` (2 bytes) or not, going on in the next segments.
        fn caracteres(&mut self, mut n: u64, mut large: bool) -> Option<()> {
            while n > 0 {
                let seg = self.segments.get(self.s)?;
                let largeur = if large { 2 } else { 1 };
                let dispo = (seg.len().saturating_sub(self.i) / largeur) as u64;
                if dispo == 0 {
                    self.s += 1;
                    self.i = 0;
                    // A continued string: the next record starts with its width.
                    large = self.segments.get(self.s)?.first()? & 1 == 1;
                    self.i = 1;
                    continue;
                }
                let pas = dispo.min(n);
                self.i += (pas as usize) * largeur;
                n -= pas;
            }
            Some(())
        }
    }
    let mut c = Curseur { segments, s: 0, i: 8 };
    let mut tailles = Vec::new();
    let unique = segments.first().and_then(|s| u32_a(s, 4)).unwrap_or(0);
    for _ in 0..unique {
        let Some(cch) = c.u16() else { break };
        let Some(drapeaux) = c.octet() else { break };
        let runs = if drapeaux & 0x08 != 0 { c.u16().unwrap_or(0) } else { 0 };
        let ext = if drapeaux & 0x04 != 0 { c.u32().unwrap_or(0) } else { 0 };
        if c.caracteres(u64::from(cch), drapeaux & 1 == 1).is_none() {
            tailles.push(u64::from(cch) * 3);
            break;
        }
        // At most three bytes of UTF-8 a character, whatever its width here.
        tailles.push(u64::from(cch) * 3);
        if c.sauter(u64::from(runs) * 4 + u64::from(ext)).is_none() {
            break;
        }
    }
    tailles
}

/// Cell records (row and column first).
const CELLULES_BIFF: [u16; 9] = [0x0201, 0x0203, 0x0204, 0x0205, 0x0006, 0x027E, 0x00FD, 0x00BD, 0x00BE];

/// The farthest (row, column) of a cell record.
fn position_cellule(genre: u16, donnees: &[u8]) -> (u64, u64) {
    let l = u64::from(u16_a(donnees, 0).unwrap_or(0));
    let mut c = u64::from(u16_a(donnees, 2).unwrap_or(0));
    if matches!(genre, 0x00BD | 0x00BE) && donnees.len() >= 2 {
        // MULRK / MULBLANK end with the last column.
        c = c.max(u64::from(u16_a(donnees, donnees.len() - 2).unwrap_or(0)));
    }
    (l, c)
}

/// Refuses a cell outside the format's bounds, or one that would make too large a grid.
fn verifier_position(l: u64, c: u64) -> Result<(), String> {
    if c > 255 || l > 65_535 {
        return abime("cellule hors des limites du format");
    }
    if (l + 1) * (c + 1) > XLS_CELLULES_MAX {
        return Err(format!(
            "feuille trop étendue : une cellule en ligne {} colonne {} demanderait une grille de plus de {XLS_CELLULES_MAX} cases ; supprimez les cellules lointaines",
            l + 1,
            c + 1
        ));
    }
    Ok(())
}

/// Refuses a DIMENSIONS record out of the format's bounds, or one from which the reader would
/// reserve too many cells. The reader's arithmetic is followed exactly, wrap-around of its
/// 32-bit subtractions included (a first row after the last gives billions of rows).
fn verifier_dimensions(donnees: &[u8]) -> Result<(), String> {
    let lire = |i: usize, large: bool| {
        if large { u32_a(donnees, i).unwrap_or(0) } else { u32::from(u16_a(donnees, i).unwrap_or(0)) }
    };
    let (rf, rl, mut cf, cl) = match donnees.len() {
        10 => (lire(0, false), lire(2, false), lire(4, false), lire(6, false)),
        14 | 16 => (lire(0, true), lire(4, true), lire(8, false), lire(10, false)),
        // Any other length: the reader refuses the record itself.
        _ => return Ok(()),
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    let (debut, fin) = if rl >= 1 && cl >= 1 { ((rf, cf), (rl - 1, cl - 1)) } else { ((rf, cf), (rf, cf)) };
    let lignes = u64::from(fin.0.wrapping_sub(debut.0).wrapping_add(1));
    let colonnes = u64::from(fin.1.wrapping_sub(debut.1).wrapping_add(1));
    if rl > 65_536 || cl > 256 || lignes.saturating_mul(colonnes) > XLS_CELLULES_MAX {
        return abime("dimensions de feuille hors des limites");
    }
    Ok(())
}

/// Scans the BIFF records of an xls workbook stream for cell coordinates and sheet
/// dimensions: the whole stream in order, then each sheet from the offset the workbook gives
/// for it (BOUNDSHEET), since a reader goes straight there, wherever it points.
fn verifier_cellules_biff(flux: &[u8]) -> Result<(), String> {
    let (mut ligne_max, mut col_max) = (0u64, 0u64);
    let mut feuille_ouverte = false;
    let mut debuts = Vec::new();
    let mut nombre = 0usize;
    // The reader lays every sheet out at once and copies a shared string into each cell
    // that uses it: the grids of all sheets, and the text those copies make, are counted.
    let (mut grilles, mut texte) = (0u64, 0u64);
    let mut chaines: Vec<u64> = Vec::new();
    let mut sst: Option<Vec<&[u8]>> = None;
    let fin_de_feuille = |grilles: &mut u64, l: u64, c: u64, pleine: bool| -> Result<(), String> {
        if pleine {
            *grilles = grilles.saturating_add((l + 1).saturating_mul(c + 1));
        }
        if *grilles > XLS_CELLULES_MAX {
            return Err(format!(
                "classeur trop étendu : ses feuilles demanderaient ensemble plus de {XLS_CELLULES_MAX} cases ; supprimez les feuilles ou cellules inutiles"
            ));
        }
        Ok(())
    };
    let mut pleine = false;
    for (genre, donnees) in enregistrements(flux, 0) {
        nombre += 1;
        if genre != 0x003C
            && let Some(segments) = sst.take()
        {
            chaines = tailles_sst(&segments);
        }
        match genre {
            // BOF: a new substream (sheet), EOF: its end.
            0x0809 => {
                fin_de_feuille(&mut grilles, ligne_max, col_max, pleine)?;
                feuille_ouverte = true;
                (ligne_max, col_max, pleine) = (0, 0, false);
            }
            0x000A => feuille_ouverte = false,
            0x0085 => debuts.extend(u32_a(donnees, 0).map(|p| p as usize)),
            0x0200 => verifier_dimensions(donnees)?,
            0x00FC => sst = Some(vec![donnees]),
            0x003C => {
                if let Some(s) = sst.as_mut() {
                    s.push(donnees);
                }
            }
            g if feuille_ouverte && CELLULES_BIFF.contains(&g) => {
                let (l, c) = position_cellule(g, donnees);
                ligne_max = ligne_max.max(l);
                col_max = col_max.max(c);
                pleine = true;
                verifier_position(ligne_max, col_max)?;
                if g == 0x00FD
                    && let Some(taille) = u32_a(donnees, 6).and_then(|i| chaines.get(i as usize))
                {
                    texte = texte.saturating_add(*taille);
                    if texte > super::limites::TEXTE_MAX {
                        return Err(format!(
                            "classeur refusé : ses cellules copieraient plus de {} Mo de texte (un dossier en compte quelques milliers d'octets) ; sa lecture demanderait trop de mémoire",
                            super::limites::TEXTE_MAX / (1024 * 1024)
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    fin_de_feuille(&mut grilles, ligne_max, col_max, pleine)?;
    debuts.sort_unstable();
    debuts.dedup();
    // Sheets normally follow one another: scanning each costs about one pass over the
    // stream. Offsets that make the scans overlap past a bound mean a forged file.
    let mut budget = nombre.saturating_mul(4).saturating_add(10_000);
    for debut in debuts {
        let (mut ligne_max, mut col_max, mut profondeur) = (0u64, 0u64, 0usize);
        let mut bof_vu = false;
        for (genre, donnees) in enregistrements(flux, debut) {
            budget = match budget.checked_sub(1) {
                Some(b) => b,
                None => return abime("feuilles qui se chevauchent"),
            };
            match genre {
                0x0809 if bof_vu => profondeur += 1,
                0x0809 => bof_vu = true,
                0x000A if profondeur > 0 => profondeur -= 1,
                0x000A => break,
                0x0200 => verifier_dimensions(donnees)?,
                g if CELLULES_BIFF.contains(&g) => {
                    let (l, c) = position_cellule(g, donnees);
                    ligne_max = ligne_max.max(l);
                    col_max = col_max.max(c);
                    verifier_position(ligne_max, col_max)?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    fn enregistrement(genre: u16, donnees: &[u8]) -> Vec<u8> {
        let mut o = genre.to_le_bytes().to_vec();
        o.extend((donnees.len() as u16).to_le_bytes());
        o.extend(donnees);
        o
    }

    fn dimensions(rf: u32, rl: u32, cf: u16, cl: u16) -> Vec<u8> {
        let mut d = rf.to_le_bytes().to_vec();
        d.extend(rl.to_le_bytes());
        d.extend(cf.to_le_bytes());
        d.extend(cl.to_le_bytes());
        d.extend([0, 0]);
        enregistrement(0x0200, &d)
    }

    /// An SST of two strings, the second one going on in a CONTINUE record (in UTF-16 there).
    fn sst(long: u16) -> Vec<u8> {
        let mut d = 2u32.to_le_bytes().to_vec();
        d.extend(2u32.to_le_bytes());
        d.extend([3, 0, 0]);
        d.extend(b"abc");
        d.extend(long.to_le_bytes());
        d.push(0);
        let moitie = usize::from(long / 2);
        d.extend(std::iter::repeat_n(b'x', moitie));
        let mut suite = vec![1u8];
        suite.extend(std::iter::repeat_n([b'y', 0], usize::from(long) - moitie).flatten());
        [enregistrement(0x00FC, &d), enregistrement(0x003C, &suite)].concat()
    }

    fn label_sst(ligne: u16, isst: u32) -> Vec<u8> {
        let mut d = ligne.to_le_bytes().to_vec();
        d.extend([0, 0, 0, 0]);
        d.extend(isst.to_le_bytes());
        enregistrement(0x00FD, &d)
    }

    #[test]
    fn shared_strings_are_walked_across_their_records() {
        let flux = sst(1000);
        let mut segments = Vec::new();
        for (_, d) in super::enregistrements(&flux, 0) {
            segments.push(d);
        }
        assert_eq!(super::tailles_sst(&segments), vec![9, 3000]);
    }

    /// A long shared string copied into many cells: refused from the scan, before the reader
    /// makes the copies.
    #[test]
    fn copies_of_a_shared_string_are_counted() {
        let feuille = |n: u16| {
            let mut f = enregistrement(0x0809, &[0; 16]);
            for l in 0..n {
                f.extend(label_sst(l, 1));
            }
            f.extend(enregistrement(0x000A, &[]));
            f
        };
        let classeur = |n| [sst(60_000), feuille(n)].concat();
        assert!(super::verifier_cellules_biff(&classeur(100)).is_ok());
        let refus = super::verifier_cellules_biff(&classeur(200)).expect_err("refused");
        assert!(refus.contains("Mo de texte"), "{refus}");
    }

    #[test]
    fn dimensions_are_checked_with_the_readers_arithmetic() {
        let bof = enregistrement(0x0809, &[0; 16]);
        let flux = |d: Vec<u8>| [bof.clone(), d, enregistrement(0x000A, &[])].concat();
        assert!(super::verifier_cellules_biff(&flux(dimensions(0, 200, 0, 10))).is_ok());
        // First row after the last: the reader's subtraction wraps round to billions of rows.
        assert!(super::verifier_cellules_biff(&flux(dimensions(5, 3, 0, 2))).is_err());
        assert!(super::verifier_cellules_biff(&flux(dimensions(0, 65_536, 0, 256))).is_err());
    }

    #[test]
    fn each_sheet_is_scanned_from_where_the_workbook_says_it_starts() {
        // A sheet hidden inside another record's data, reached only through its BOUNDSHEET
        // offset, as the reader reaches it.
        let cachee = [enregistrement(0x0809, &[0; 16]), dimensions(0, 65_536, 0, 256)].concat();
        let enveloppe = enregistrement(0x00FC, &[vec![0u8; 8], cachee].concat());
        let sans_renvoi = enveloppe.clone();
        assert!(super::verifier_cellules_biff(&sans_renvoi).is_ok());
        let renvoi = enregistrement(0x0085, &[(12u32 + 4 + 8).to_le_bytes().to_vec(), vec![0; 4]].concat());
        assert_eq!(renvoi.len(), 12);
        assert!(super::verifier_cellules_biff(&[renvoi, enveloppe].concat()).is_err());
    }

    /// A compound file holding one stream, written by another implementation (small streams
    /// go to the mini stream, large ones to ordinary sectors).
    fn compound(nom: &str, flux: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut c = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("create");
        c.create_stream(nom).expect("stream").write_all(flux).expect("write");
        c.flush().expect("flush");
        c.into_inner().into_inner()
    }

    fn feuille(d: Vec<u8>, bourrage: usize) -> Vec<u8> {
        [enregistrement(0x0809, &[0; 16]), d, enregistrement(0x003C, &vec![0; bourrage]), enregistrement(0x000A, &[])]
            .concat()
    }

    #[test]
    fn the_workbook_stream_is_scanned_wherever_it_lives_and_whatever_its_case() {
        for bourrage in [100, 6000] {
            // 100: in the mini stream; 6000: in ordinary sectors.
            assert!(super::verifier(&compound("/Workbook", &feuille(dimensions(0, 200, 0, 10), bourrage))).is_ok());
            for nom in ["/Workbook", "/WORKBOOK", "/Book"] {
                let o = compound(nom, &feuille(dimensions(5, 3, 0, 2), bourrage));
                assert!(super::verifier(&o).is_err(), "{nom} ({bourrage} bytes of padding)");
            }
        }
    }

    #[test]
    fn the_first_entry_is_the_mini_stream_whatever_its_type() {
        let mut o = compound("/Workbook", &feuille(dimensions(0, 200, 0, 10), 100));
        assert!(super::verifier(&o).is_ok());
        // Turn the root entry into an unknown type whose chain loops on itself: the reader
        // still follows it, up to its (forged) size.
        let taille = 1 << u16::from_le_bytes([o[30], o[31]]);
        let repertoire = (u32::from_le_bytes([o[48], o[49], o[50], o[51]]) as usize + 1) * taille;
        let fat = (u32::from_le_bytes([o[76], o[77], o[78], o[79]]) as usize + 1) * taille;
        let debut = u32::from_le_bytes(o[repertoire + 116..repertoire + 120].try_into().expect("4 bytes"));
        o[repertoire + 66] = 7;
        o[repertoire + 120..repertoire + 124].copy_from_slice(&2_000_000_000u32.to_le_bytes());
        let case = fat + 4 * debut as usize;
        o[case..case + 4].copy_from_slice(&debut.to_le_bytes());
        let message = super::verifier(&o).expect_err("a loop");
        assert!(message.contains("en boucle"), "{message}");
    }

    #[test]
    fn rejects_what_is_not_a_compound_file() {
        assert!(super::verifier(b"PK\x03\x04").is_err());
        assert!(super::verifier(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).is_err());
    }
}
