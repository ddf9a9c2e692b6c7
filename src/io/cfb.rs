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
    let mut classeur: Option<(u32, u64)> = None;
    for id in repertoire {
        let Some(s) = secteur(id) else { return abime("répertoire hors du fichier") };
        for entree in s.chunks_exact(128) {
            let long_nom = usize::from(u16_a(entree, 64).unwrap_or(0)).min(64);
            let nom: String = char::decode_utf16(
                entree[..long_nom.saturating_sub(2)].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])),
            )
            .map(|c| c.unwrap_or('?'))
            .collect();
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
                if genre == 2 && (nom == "Workbook" || nom == "Book") {
                    classeur = Some((debut, taille));
                }
            }
        }
    }
    // The cells of an xls: a reader lays each sheet out as a full grid up to its farthest
    // cell, so the cells must stay in the format's bounds and the grid reasonable.
    if let Some((debut, taille)) = classeur {
        let mut flux = Vec::with_capacity(taille as usize);
        for id in chaine(debut)? {
            if let Some(s) = secteur(id) {
                flux.extend_from_slice(s);
            }
        }
        flux.truncate(taille as usize);
        verifier_cellules_biff(&flux)?;
    }
    Ok(())
}

/// Largest grid (rows × columns) a sheet may need.
const CELLULES_MAX: u64 = 4_000_000;

/// Scans the BIFF records of an xls workbook stream for cell coordinates.
fn verifier_cellules_biff(flux: &[u8]) -> Result<(), String> {
    let mut i = 0usize;
    let (mut ligne_max, mut col_max) = (0u64, 0u64);
    let mut feuille_ouverte = false;
    let verifier = |l: u64, c: u64| -> Result<(), String> {
        if c > 255 || l > 65_535 {
            return Err(
                "classeur xls abîmé (cellule hors des limites du format) : enregistrez-le à nouveau depuis le tableur"
                    .into(),
            );
        }
        if (l + 1) * (c + 1) > CELLULES_MAX {
            return Err(format!(
                "feuille trop étendue : une cellule en ligne {} colonne {} demanderait une grille de plus de {CELLULES_MAX} cases ; supprimez les cellules lointaines",
                l + 1,
                c + 1
            ));
        }
        Ok(())
    };
    while i + 4 <= flux.len() {
        let genre = u16_a(flux, i).unwrap_or(0);
        let longueur = usize::from(u16_a(flux, i + 2).unwrap_or(0));
        let donnees = flux.get(i + 4..(i + 4 + longueur).min(flux.len())).unwrap_or(&[]);
        match genre {
            // BOF: a new substream (sheet), EOF: its end.
            0x0809 => {
                feuille_ouverte = true;
                ligne_max = 0;
                col_max = 0;
            }
            0x000A => feuille_ouverte = false,
            // DIMENSIONS: a reader reserves rows × columns from it.
            0x0200 => {
                let (lignes, cols) = if donnees.len() >= 12 {
                    (u64::from(u32_a(donnees, 4).unwrap_or(0)), u64::from(u16_a(donnees, 10).unwrap_or(0)))
                } else {
                    (u64::from(u16_a(donnees, 2).unwrap_or(0)), u64::from(u16_a(donnees, 6).unwrap_or(0)))
                };
                let debut = if donnees.len() >= 12 {
                    (u64::from(u32_a(donnees, 0).unwrap_or(0)), u64::from(u16_a(donnees, 8).unwrap_or(0)))
                } else {
                    (u64::from(u16_a(donnees, 0).unwrap_or(0)), u64::from(u16_a(donnees, 4).unwrap_or(0)))
                };
                let (hauteur, largeur) = (lignes.saturating_sub(debut.0), cols.saturating_sub(debut.1));
                if lignes > 65_536 || cols > 256 || hauteur.saturating_mul(largeur) > CELLULES_MAX {
                    return Err("classeur xls abîmé (dimensions de feuille hors des limites) : enregistrez-le à nouveau depuis le tableur".into());
                }
            }
            // Cell records: row, column first.
            0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x0006 | 0x027E | 0x00FD | 0x00BD | 0x00BE if feuille_ouverte => {
                let l = u64::from(u16_a(donnees, 0).unwrap_or(0));
                let mut c = u64::from(u16_a(donnees, 2).unwrap_or(0));
                if matches!(genre, 0x00BD | 0x00BE) && donnees.len() >= 2 {
                    // MULRK / MULBLANK end with the last column.
                    c = c.max(u64::from(u16_a(donnees, donnees.len() - 2).unwrap_or(0)));
                }
                ligne_max = ligne_max.max(l);
                col_max = col_max.max(c);
                verifier(ligne_max, col_max)?;
            }
            _ => {}
        }
        i += 4 + longueur;
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
