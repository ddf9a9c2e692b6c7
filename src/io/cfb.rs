//! A legacy `.xls` (and an encrypted `.xlsx`) is a Compound File (OLE/CFB). A broken one can
//! make a reader follow a sector chain forever, growing memory without bound. Before any
//! reader sees it, its structure is walked here with bounded work: every chain must stay in
//! the file, never loop, and no stream may claim to be larger than the file.

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

/// Checks a Compound File; `Err` says in French what is wrong.
pub fn verifier(o: &[u8]) -> Result<(), String> {
    let abime = |quoi: &str| Err(format!("classeur xls abîmé ({quoi}) : enregistrez-le à nouveau depuis le tableur"));
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
                return Err(format!(
                    "classeur xls abîmé (chaîne de secteurs {}) : enregistrez-le à nouveau depuis le tableur",
                    if i < vu.len() && vu[i] { "en boucle" } else { "hors du fichier" }
                ));
            }
            vu[i] = true;
            ids.push(id);
            id = fat[i];
        }
        Ok(ids)
    };
    let repertoire = chaine(dir_debut)?;
    if minifat_debut < MAX_ID {
        chaine(minifat_debut)?;
    }
    for id in repertoire {
        let Some(s) = secteur(id) else { return abime("répertoire hors du fichier") };
        for entree in s.chunks_exact(128) {
            let genre = entree[66];
            if genre != 2 && genre != 5 {
                continue; // not a stream nor the root
            }
            let debut = u32_a(entree, 116).unwrap_or(FIN_DE_CHAINE);
            let taille = if taille_secteur == 512 {
                u64::from(u32_a(entree, 120).unwrap_or(0))
            } else {
                u64_a(entree, 120).unwrap_or(0)
            };
            if taille > o.len() as u64 {
                return abime("flux plus grand que le fichier");
            }
            // Small streams live in the mini stream (their chain is bounded by their size).
            if genre == 5 || taille >= 4096 {
                chaine(debut)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn rejects_what_is_not_a_compound_file() {
        assert!(super::verifier(b"PK\x03\x04").is_err());
        assert!(super::verifier(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).is_err());
    }
}
