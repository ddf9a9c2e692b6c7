//! Reading the sheets of a dossier workbook (or CSV folder) once they are grids: the
//! `Dossier` sheet key by key, the line sheets row by row, with a finding at the very cell
//! for whatever cannot be read, total rows and notes people added told apart.

use super::*;

/// A text quoted in a message: its first 60 characters, then « … » if it was longer.
fn abrege(texte: &str) -> String {
    match texte.char_indices().nth(60) {
        Some((n, _)) => format!("{}…", &texte[..n]),
        None => texte.to_string(),
    }
}

/// Builds a dossier from its grids.
struct Lecteur<'r> {
    dossier: Dossier,
    saisies: Vec<Saisie>,
    reperes: &'r mut Reperes,
    /// Cell of every Dossier value read, whose text is kept for those that end up rejected.
    bruts_en_attente: Vec<(&'static str, usize, usize)>,
    plafond: crate::lecture::Plafond,
    /// The number cells of the sheet being read whose formula fnp cannot recompute: their
    /// field, where they are and their formula, said once per sheet (`formules_non_recalculees`).
    non_recalcules: Vec<(String, Repere, Box<str>)>,
}

impl Lecteur<'_> {
    /// One info per sheet for the number cells whose formula fnp did not recompute (another
    /// sheet, a function other than `SUM`…): their saved value was read (hostile round 4),
    /// said at the first such cell, the others named.
    fn formules_non_recalculees(&mut self, feuille: &str) {
        let cellules = std::mem::take(&mut self.non_recalcules);
        let Some((champ, repere, _)) = cellules.first().cloned() else { return };
        let nom = |r: &Repere| match r {
            Repere::Cellule { ligne, colonne, .. } => crate::model::emplacement::reference(*ligne, *colonne),
            _ => String::new(),
        };
        const MONTRES: usize = 5;
        let mut liste: Vec<String> = cellules
            .iter()
            .take(MONTRES)
            .map(|(_, r, f)| format!("{} : ={}", nom(r), abrege(f.trim_start_matches('='))))
            .collect();
        if cellules.len() > MONTRES {
            liste.push(format!("et {} autres", cellules.len() - MONTRES));
        }
        let message = if cellules.len() == 1 {
            format!(
                "la valeur de la feuille « {feuille} » calculée par une formule que fnp ne recalcule pas ({}) est lue telle que le fichier l'a enregistrée : c'est celle que votre tableur a calculée la dernière fois ; si le classeur a été modifié par un autre programme, ouvrez-le dans votre tableur et enregistrez-le",
                liste.join(", ")
            )
        } else {
            format!(
                "{} valeurs de la feuille « {feuille} » calculées par des formules que fnp ne recalcule pas ({}) sont lues telles que le fichier les a enregistrées : ce sont celles que votre tableur a calculées la dernière fois ; si le classeur a été modifié par un autre programme, ouvrez-le dans votre tableur et enregistrez-le",
                cellules.len(),
                liste.join(", ")
            )
        };
        self.saisie(FORMULE, &champ, repere, message);
    }

    fn saisie(&mut self, regle: &'static str, champ: &str, repere: Repere, message: String) {
        if !self.plafond.garder(regle) {
            return;
        }
        self.reperes.noter(Cow::Owned(champ.to_string()), repere);
        self.saisies.push(Saisie { regle, message, champ: champ.to_string(), etendue: None });
    }

    fn a_completer(d: &Data) -> bool {
        matches!(d, Data::String(s) if s.contains(MARQUE_A_COMPLETER))
    }

    /// A `Dossier` row whose label is neither a key nor a French label: a heading of the
    /// template (silent), a key or label mistyped (an error, with a suggestion), or a note
    /// people added (an info).
    fn ligne_inconnue(&mut self, g: &Grille, i: usize, cle_brute: &str, col_valeur: usize, repere_cle: Repere) {
        let vide = texte_cellule(g.cellule(i, col_valeur)).is_none();
        if vide && schema::est_titre_section(cle_brute) {
            return;
        }
        let proche = schema::suggestion(cle_brute, schema::champs::CHAMPS.iter().map(|c| c.cle));
        let libelle = if proche.is_none() { schema::libelle_proche(cle_brute) } else { None };
        // A label that looks like a key (close to one, or under a known section:
        // `porteur.telephone`) or like a label is mistyped: an error. Any other label
        // (« Remarque », « Commentaire du trésorier ») is a note people added: said, never a
        // blocked dossier (spreadsheet.md, 2026-11-30).
        let section_connue = cle_brute.split_once('.').is_some_and(|(sec, _)| {
            schema::champs::CHAMPS.iter().any(|c| c.cle.split_once('.').is_some_and(|(x, _)| x == normaliser(sec)))
        });
        if proche.is_none() && libelle.is_none() && !section_connue {
            self.saisie(
                LIGNE_IGNOREE,
                cle_brute,
                repere_cle,
                format!(
                    "ligne « {cle_brute} » ignorée : ce n'est pas un champ du dossier (une note ajoutée ?) ; si c'est une valeur à transmettre, mettez-la dans « Description de l'action »"
                ),
            );
            return;
        }
        let message = match (proche, libelle) {
            (Some(k), _) => {
                format!("clé inconnue « {cle_brute} » dans la feuille Dossier ; vouliez-vous dire « {k} » ?")
            }
            (None, Some(c)) => {
                format!("champ inconnu « {cle_brute} » dans la feuille Dossier ; vouliez-vous dire « {} » ?", c.libelle)
            }
            (None, None) => format!(
                "champ inconnu « {cle_brute} » dans la feuille Dossier ; les champs sont ceux du modèle de fnp (fnp template), par exemple « Nom de la structure »"
            ),
        };
        self.saisie(CHAMP_INCONNU, cle_brute, repere_cle, message);
    }

    fn feuille_dossier(&mut self, g: &Grille) {
        let cols = ColonnesDossier::de(g);
        let (col_cle, col_valeur) = (cols.champ, cols.valeur);
        let mut vues: HashMap<&'static str, usize> = HashMap::new();
        for i in cols.premiere..g.cellules.len() {
            let repere_cle = g.repere(i as u32, col_cle as u32);
            let repere_valeur = g.repere(i as u32, col_valeur as u32);
            // The key column first (the template's, carried with its row wherever people move
            // it), else column A as a key or a French label.
            let champ = match cols.par_cle(g, i) {
                Some(c) => c,
                None => {
                    let Some(cle_brute) = texte_cellule(g.cellule(i, col_cle)) else {
                        // A value with no name (a row inserted in the protected sheet, whose
                        // label cell is locked) is a note too: said, not lost silently.
                        if let Some(valeur) = texte_cellule(g.cellule(i, col_valeur))
                            && cols.cle.is_none_or(|j| texte_cellule(g.cellule(i, j)).is_none())
                        {
                            let valeur = abrege(&valeur);
                            self.saisie(
                                LIGNE_IGNOREE,
                                &format!("Dossier.ligne {}", i + 1 + g.debut.0 as usize),
                                repere_valeur,
                                format!(
                                    "valeur « {valeur} » ignorée : sa ligne n'a pas de nom de champ (une note ajoutée ?) ; si c'est une valeur à transmettre, mettez-la dans « Description de l'action »"
                                ),
                            );
                        }
                        continue;
                    };
                    match champ_par_cle(&cle_brute).or_else(|| schema::champ_par_libelle(&cle_brute)) {
                        Some(c) => c,
                        None => {
                            self.ligne_inconnue(g, i, &cle_brute, col_valeur, repere_cle);
                            continue;
                        }
                    }
                }
            };
            if let Some(avant) = vues.insert(champ.cle, i) {
                self.dossier.champs_rejetes.insert(champ.cle.to_string());
                self.saisie(
                    TYPE,
                    champ.cle,
                    repere_cle,
                    format!(
                        "« {} » est donnée deux fois (lignes {} et {})",
                        champ.libelle,
                        avant + 1 + g.debut.0 as usize,
                        i + 1 + g.debut.0 as usize
                    ),
                );
                continue;
            }
            self.reperes.noter(champ.cle, repere_valeur.clone());
            if let Some((section, _)) = champ.cle.split_once('.')
                && !self.reperes.connait(section)
            {
                self.reperes.noter(section, repere_cle.clone());
            }
            let cellule = g.cellule(i, col_valeur);
            self.bruts_en_attente.push((champ.cle, i, col_valeur));
            if g.formule_sans_valeur(i, col_valeur) {
                self.dossier.champs_rejetes.insert(champ.cle.to_string());
                self.saisie(MONTANT, champ.cle, repere_valeur, format!("« {} » : formule sans valeur calculée ; ouvrez le classeur dans Excel ou LibreOffice et enregistrez-le", champ.cle));
                continue;
            }
            if matches!(cellule, Data::Empty) || matches!(cellule, Data::String(s) if s.trim().is_empty()) {
                continue;
            }
            if Self::a_completer(cellule) {
                self.dossier.champs_rejetes.insert(champ.cle.to_string());
                self.saisie(
                    A_COMPLETER,
                    champ.cle,
                    repere_valeur,
                    format!("« {} » est à compléter : {}", champ.cle, champ.genre.description()),
                );
                continue;
            }
            // A number whose formula recomputes to another value than the saved one: read two
            // ways, refused with both (hostile round 4); one fnp cannot recompute is said.
            let lu = convertir(champ.genre, cellule, champ.cle);
            let lu = match (lu, &champ.genre) {
                (Ok(v), Genre::Entier | Genre::Decimal | Genre::Montant) => {
                    match g.recalcul(i, col_valeur, &v, champ.genre) {
                        Some(Recalcul::Faux(message)) => {
                            let regle = if champ.genre == Genre::Montant { MONTANT } else { TYPE };
                            Err((regle, format!("« {} » : {message}", champ.libelle)))
                        }
                        Some(Recalcul::NonRecalcule(f)) => {
                            self.non_recalcules.push((champ.cle.to_string(), repere_valeur.clone(), f));
                            Ok(v)
                        }
                        _ => Ok(v),
                    }
                }
                (lu, _) => lu,
            };
            match lu {
                Ok(v) if champ.cle == "format" && v != Valeur::Entier(1) => {
                    self.dossier.champs_rejetes.insert(champ.cle.to_string());
                    self.saisie(
                        TYPE,
                        champ.cle,
                        repere_valeur,
                        format!("format {} inconnu : cette version de fnp lit le format 1", v.fr()),
                    );
                }
                Ok(v) => {
                    self.dossier.champs.insert(champ.cle, v);
                }
                Err((regle, message)) => {
                    self.dossier.champs_rejetes.insert(champ.cle.to_string());
                    self.saisie(regle, champ.cle, repere_valeur, message);
                }
            }
        }
    }

    /// The header of a line sheet: each known column and where it is; the columns people
    /// added or renamed. A required column missing beside an unknown one is one finding that
    /// names both and says what to rename (the closest header, else the one standing where
    /// the template has the column); a required column missing alone is one finding at the
    /// header. Returns the columns read and whether a required one is missing.
    fn entete(&mut self, nom: &'static str, g: &Grille, entete: usize) -> (Vec<(usize, &'static Colonne)>, bool) {
        let colonnes = schema::colonnes(nom);
        let mut index_colonne: Vec<(usize, &'static Colonne)> = Vec::new();
        let mut inconnues: Vec<(usize, String)> = Vec::new();
        for (j, cellule) in g.cellules[entete].iter().enumerate() {
            let Some(titre) = texte_cellule(cellule) else { continue };
            match colonne_par_titre(nom, &titre) {
                Some(c) if !index_colonne.iter().any(|(_, x)| x.cle == c.cle) => index_colonne.push((j, c)),
                _ => inconnues.push((j, titre.into_owned())),
            }
        }
        let feuille = schema::feuille_de_liste(nom).unwrap_or(nom);
        let mut manque = false;
        for (k, col) in colonnes.iter().enumerate().filter(|(_, c)| c.requis) {
            if index_colonne.iter().any(|(_, c)| c.cle == col.cle) {
                continue;
            }
            manque = true;
            let proche = inconnues
                .iter()
                .map(|(j, t)| (*j, t, strsim::normalized_levenshtein(&normaliser(t), &normaliser(col.entete))))
                .filter(|(_, _, d)| *d >= 0.5)
                .max_by(|a, b| a.2.total_cmp(&b.2))
                .map(|(j, t, _)| (j, t.clone()))
                .or_else(|| inconnues.iter().find(|(j, _)| *j == k).cloned());
            let champ = format!("{nom}.{}", col.cle);
            match proche {
                Some((j, titre)) => {
                    inconnues.retain(|(x, _)| *x != j);
                    self.saisie(
                        CHAMP_MANQUANT,
                        &champ,
                        g.repere(entete as u32, j as u32),
                        format!(
                            "la colonne « {titre} » n'est pas reconnue : renommez-la « {} » (colonne obligatoire de la feuille {feuille}, absente sous ce nom) ; sans elle, aucune ligne de la feuille n'est lue",
                            col.entete
                        ),
                    );
                }
                None => {
                    let libre = g.cellules[entete].len();
                    self.saisie(
                        CHAMP_MANQUANT,
                        &champ,
                        g.repere(entete as u32, libre as u32),
                        format!(
                            "colonne « {} » absente de la feuille {feuille} : ajoutez-la à la ligne d'en-tête ; sans elle, aucune ligne de la feuille n'est lue",
                            col.entete
                        ),
                    );
                }
            }
        }
        let attendues: Vec<&str> = colonnes.iter().map(|c| c.entete).collect();
        for (j, titre) in inconnues {
            self.saisie(
                COLONNE_INCONNUE,
                &format!("{nom}.{titre}"),
                g.repere(entete as u32, j as u32),
                format!("colonne « {titre} » inconnue, ignorée ; colonnes reconnues : {}", attendues.join(", ")),
            );
        }
        (index_colonne, manque)
    }

    fn feuille_lignes(&mut self, nom: &'static str, g: &Grille) {
        let colonnes = schema::colonnes(nom);
        let Some(entete) = g.cellules.iter().position(|r| !ligne_vide(r)) else { return };
        let (index_colonne, colonne_manquante) = self.entete(nom, g, entete);
        let mut index = 0;
        let col_montant = index_colonne.iter().find(|(_, c)| c.cle == "montant").map(|(j, _)| *j);
        // Where the bilan's totals are told (rules v4, BILAN-EQUILIBRE): the « Réalisé » cell of
        // the sheet's total row, else the « Réalisé » header.
        let col_realise = index_colonne.iter().find(|(_, c)| c.cle == "realise").map(|(j, _)| *j);
        let total_realise: &'static str = match nom {
            "depense" => "depense.total.realise",
            "recette" => "recette.total.realise",
            _ => "contribution.total.realise",
        };
        // The column that makes a row a line: the nature (the funder in Recettes), the first
        // required one of the layout.
        let tete = colonnes.iter().find(|c| c.requis && c.cle != "montant");
        let col_tete = index_colonne.iter().find(|(_, c)| tete.is_some_and(|t| t.cle == c.cle)).map(|(j, _)| *j);
        let fr = |d: rust_decimal::Decimal| crate::model::Montant::new(d).map(|m| m.fr()).unwrap_or_default();
        // The sum of the lines read so far, and since the last total or sub-total (None once a
        // line's amount could not be read).
        let mut somme: Option<rust_decimal::Decimal> = Some(rust_decimal::Decimal::ZERO);
        let mut partielle: Option<rust_decimal::Decimal> = Some(rust_decimal::Decimal::ZERO);
        for i in entete + 1..g.cellules.len() {
            if ligne_vide(&g.cellules[i]) {
                continue;
            }
            // Rows people add (spreadsheet.md, 2026-11-30 and 2026-12-04): a row with a nature
            // (a funder in Recettes) is always a line; without one, a total, a sub-total or a
            // note, never a line.
            let tete_vide = col_tete.is_some_and(|j| texte_cellule(g.cellule(i, j)).is_none());
            // A nature that reads as one: « TOTAL DES CHARGES » typed in the Nature column is
            // a total's label, not a nature.
            let tete_valide = col_tete
                .zip(tete)
                .is_some_and(|(j, c)| !tete_vide && convertir(c.genre, g.cellule(i, j), c.cle).is_ok());
            let libelle = |prefixe: &str| {
                g.cellules[i].iter().any(|c| texte_cellule(c).is_some_and(|t| normaliser(&t).starts_with(prefixe)))
            };
            // Only a row that is not a line is searched for a total's label (every cell
            // normalised): a line costs nothing here.
            if !tete_valide && !colonne_manquante && (tete_vide || libelle("total") || libelle("sous_total")) {
                let montant_vide =
                    col_montant.is_none_or(|j| texte_cellule(g.cellule(i, j)).is_none() && !g.est_formule(i, j));
                let ecrit = col_montant.filter(|j| !g.formule_sans_valeur(i, *j)).and_then(|j| {
                    match convertir(Genre::Montant, g.cellule(i, j), "montant") {
                        Ok(Valeur::Decimal(d)) => Some((j, d)),
                        _ => None,
                    }
                });
                let formule = col_montant.is_some_and(|j| g.est_formule(i, j));
                let total = libelle("total");
                let sous_total = libelle("sous_total")
                    || (!total && (formule || ecrit.is_some_and(|(_, d)| Some(d) == partielle && d != Decimal::ZERO)));
                if total
                    && !sous_total
                    && let Some(j) = col_realise
                {
                    self.reperes.noter(total_realise, g.repere(i as u32, j as u32));
                }
                if total || sous_total {
                    // A sub-total is compared with the lines since the last total; a total (or
                    // a formula that matches no sub-total) with all the lines.
                    if let Some((j, ecrit)) = ecrit {
                        let attendu = if sous_total && (libelle("sous_total") || Some(ecrit) == partielle) {
                            partielle
                        } else {
                            somme
                        };
                        if let Some(attendu) = attendu
                            && ecrit != attendu
                        {
                            let quoi = if sous_total { "ligne de sous-total" } else { "ligne de total" };
                            let au_dessus = if sous_total {
                                "les lignes au-dessus depuis le dernier total"
                            } else {
                                "les lignes au-dessus"
                            };
                            self.saisie(
                                TOTAL,
                                &format!("{nom}.total"),
                                g.repere(i as u32, j as u32),
                                format!(
                                    "{quoi} : {} écrit, mais {au_dessus} font {} (écart {}) ; fnp compte ses propres totaux",
                                    fr(ecrit),
                                    fr(attendu),
                                    fr((ecrit - attendu).abs())
                                ),
                            );
                        }
                    }
                    partielle = Some(Decimal::ZERO);
                    continue;
                }
                if montant_vide {
                    let texte: String = g.cellules[i]
                        .iter()
                        .filter_map(|c| texte_cellule(c).map(|t| t.into_owned()))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let court = abrege(&texte);
                    let j = g.cellules[i].iter().position(|c| texte_cellule(c).is_some()).unwrap_or(0);
                    self.saisie(
                        LIGNE_IGNOREE,
                        &format!("{nom}.ligne {}", i + 1 + g.debut.0 as usize),
                        g.repere(i as u32, j as u32),
                        format!(
                            "ligne « {court} » ignorée : ni {} ni montant, ce n'est pas une ligne du budget (une note ajoutée ?) ; si c'est une ligne, remplissez sa {} et son montant",
                            if nom == "recette" { "financeur" } else { "nature" },
                            if nom == "recette" { "colonne « Financeur »" } else { "nature" }
                        ),
                    );
                    continue;
                }
            }
            // Paths (`depense[2].montant`) are only built for the cells that get a finding.
            let complet = |col: &Colonne| format!("{nom}[{index}].{}", col.cle);
            self.reperes.noter_ligne(nom, index, g.repere(i as u32, 0), index_colonne.len());
            let mut valeurs: Vec<(&'static Colonne, Valeur)> = Vec::with_capacity(index_colonne.len());
            let mut signales: Vec<&'static str> = Vec::new();
            for (j, col) in &index_colonne {
                let repere = g.repere(i as u32, *j as u32);
                self.reperes.noter_cellule(col.cle, repere.clone());
                let cellule = g.cellule(i, *j);
                if g.formule_sans_valeur(i, *j) {
                    signales.push(col.cle);
                    self.saisie(MONTANT, &complet(col), repere, format!("« {} » : formule sans valeur calculée ; ouvrez le classeur dans Excel ou LibreOffice et enregistrez-le", col.entete));
                    continue;
                }
                if matches!(cellule, Data::Empty) || matches!(cellule, Data::String(s) if s.trim().is_empty()) {
                    continue;
                }
                if Self::a_completer(cellule) {
                    signales.push(col.cle);
                    self.saisie(
                        A_COMPLETER,
                        &complet(col),
                        repere,
                        format!("« {} » est à compléter : {}", col.entete, col.genre.description()),
                    );
                    continue;
                }
                // An amount whose formula recomputes to another value than the saved one: read
                // two ways, refused with both readings (hostile round 4).
                let lu = convertir(col.genre, cellule, col.cle);
                let recalcul = match &lu {
                    Ok(v) if col.genre == Genre::Montant => g.recalcul(i, *j, v, col.genre),
                    _ => None,
                };
                match (lu, recalcul) {
                    (Ok(_), Some(Recalcul::Faux(message))) => {
                        signales.push(col.cle);
                        self.saisie(MONTANT, &complet(col), repere, format!("« {} » : {message}", col.entete));
                    }
                    (Ok(v), Some(Recalcul::NonRecalcule(f))) => {
                        self.non_recalcules.push((complet(col), repere, f));
                        valeurs.push((col, v));
                    }
                    (Ok(v), _) => valeurs.push((col, v)),
                    (Err((regle, message)), _) => {
                        signales.push(col.cle);
                        self.saisie(regle, &complet(col), repere, message);
                    }
                }
            }
            let mut rejetee = !signales.is_empty() || colonne_manquante;
            for col in colonnes.iter().filter(|c| c.requis) {
                let present = valeurs.iter().any(|(c, _)| c.cle == col.cle);
                // A column absent from the sheet was said once, at its header.
                let j = index_colonne.iter().find(|(_, c)| c.cle == col.cle).map(|(j, _)| *j);
                if !present
                    && !signales.contains(&col.cle)
                    && let Some(j) = j
                {
                    rejetee = true;
                    self.saisie(
                        CHAMP_MANQUANT,
                        &complet(col),
                        g.repere(i as u32, j as u32),
                        format!("« {} » est vide sur cette ligne", col.entete),
                    );
                }
            }
            if rejetee {
                self.dossier.lignes_rejetees = true;
                let cellules = index_colonne
                    .iter()
                    .filter_map(|(j, c)| texte_cellule(g.cellule(i, *j)).map(|t| (c.cle.to_string(), t.into_owned())))
                    .collect();
                self.dossier.lignes_brutes.push(crate::model::LigneBrute { nom, index, cellules });
                somme = None;
                partielle = None;
            } else {
                if let Some(Valeur::Decimal(m)) =
                    valeurs.iter().find(|(c, _)| c.cle == "montant").map(|(_, v)| v.clone())
                {
                    somme = somme.map(|s| s + m);
                    partielle = partielle.map(|s| s + m);
                }
                assemblage::construire_ligne(&mut self.dossier, nom, index, valeurs);
            }
            index += 1;
        }
        if !self.reperes.connait(total_realise)
            && let Some(j) = col_realise
        {
            self.reperes.noter(total_realise, g.repere(entete as u32, j as u32));
        }
    }
}

/// Reads a dossier from its grids; `dossier` is the `Dossier` sheet (required).
pub(super) fn lire_grilles(fichier: &str, dossier: &Grille, lignes: [Option<&Grille>; 3], feuille_absente: &str) -> Lu {
    let mut reperes = Reperes::new(fichier, None);
    let mut lecteur = Lecteur {
        dossier: Dossier::default(),
        saisies: Vec::new(),
        reperes: &mut reperes,
        bruts_en_attente: Vec::new(),
        plafond: crate::lecture::Plafond::default(),
        non_recalcules: Vec::new(),
    };
    lecteur.feuille_dossier(dossier);
    lecteur.formules_non_recalculees(&dossier.nom_feuille());
    for (cle, ligne, col) in std::mem::take(&mut lecteur.bruts_en_attente) {
        if lecteur.dossier.champs_rejetes.contains(cle)
            && let Some(texte) = texte_cellule(dossier.cellule(ligne, col))
        {
            lecteur.dossier.bruts.entry(cle.to_string()).or_insert(texte.into_owned());
        }
    }
    for (nom, g) in schema::LIGNES.iter().zip(lignes) {
        if let Some(g) = g {
            lecteur.feuille_lignes(nom, g);
            lecteur.formules_non_recalculees(&g.nom_feuille());
            // A finding about the list as a whole (no request to the FNP among the recettes)
            // points at the first empty row under it: where the line is to be added.
            if !lecteur.reperes.connait(nom) {
                let derniere = g.cellules.iter().rposition(|r| !ligne_vide(r)).map_or(1, |i| i + 1);
                lecteur.reperes.noter(*nom, g.repere(derniere as u32, 0));
            }
        }
    }
    let Lecteur { mut dossier, mut saisies, plafond, .. } = lecteur;
    plafond.conclure(&mut saisies);
    // The template has a row for every key: a blank value is to fill, not a row to add.
    assemblage::manquants(&mut dossier, &mut saisies, |c, _| {
        if reperes.connait(c.cle) {
            format!("« {} » est obligatoire, et sa valeur est vide : remplissez-la", c.libelle)
        } else {
            format!(
                "« {} » est obligatoire ({}) ; ajoutez sa ligne « {} » dans {feuille_absente}",
                c.libelle,
                c.aide.trim_end_matches('.'),
                c.libelle
            )
        }
    });
    Lu { dossier, saisies, reperes, octets: None }
}
