//! Findings told in words for the documents (the dossier and the bilan sent to the Caf): no
//! TOML key, table or syntax, no cell, no workbook hint. The messages of the packs speak to
//! whoever fixes the file (`indiquez contrat_engagement_republicain = true`, `(explication =
//! "…", colonne « Explication » du classeur)`); a document's reader is told the same thing by
//! the labels of the fields and values (« « Contrat d'engagement républicain signé » : oui »).

use crate::check::Constat;
use crate::lecture::Emplacement;
use crate::model::schema;

/// The findings as a document shows them: message and place in words.
pub fn constats_document(constats: &[Constat]) -> Vec<Constat> {
    constats
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.message = en_mots(&c.message);
            c.lieu = lieu_document(&c.emplacement);
            c
        })
        .collect()
}

/// The place of a finding in words, without file, line or cell: the field's label
/// (« Parents résidant en QPV »), the budget line (« Recettes, 1re ligne, Réalisé »).
pub fn lieu_document(e: &Emplacement) -> String {
    let Some(champ) = e.champ.as_deref() else { return "le dossier entier".into() };
    if let Some(c) = schema::champ(champ) {
        return c.libelle.to_string();
    }
    if let Some((_, titre)) = schema::TITRES_SECTIONS.iter().find(|(s, _)| !s.is_empty() && *s == champ) {
        return (*titre).to_string();
    }
    // A budget line or one of its columns: `recette[0].realise`.
    if let Some((ligne, colonne)) = champ.split_once('.')
        && let Some((genre, _)) = ligne.split_once('[')
        && schema::LIGNES.contains(&genre)
    {
        let place = crate::lecture::champ_lisible(ligne);
        return match schema::colonnes(genre).iter().find(|c| c.cle == colonne) {
            Some(c) => format!("{place}, {}", entete(c.entete)),
            None => place,
        };
    }
    crate::lecture::champ_lisible(champ)
}

/// `Montant (€)` → `Montant`.
fn entete(e: &str) -> &str {
    e.split(" (").next().unwrap_or(e)
}

/// A message of a pack told without syntax (see the module's doc).
pub fn en_mots(message: &str) -> String {
    let t = sans_apartes(message);
    let t = tables_de_lignes(&t);
    let t = listes_d_indicateurs(&t);
    let t = cles(&t).replace(" à true", " à « oui »").replace(" à false", " à « non »");
    valeurs(&t)
}

/// The values a message quotes as slugs (`petit-materiel`, `relais-petite-enfance`, `pmi`)
/// by their French labels (model::schema::libelle_connu); any other word as written.
fn valeurs(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len());
    let mut mot = String::new();
    let vider = |mot: &mut String, sortie: &mut String| {
        let m = std::mem::take(mot);
        let nu = m.trim_matches('-');
        match schema::libelle_connu(nu) {
            Some(l) if nu.len() == m.len() => sortie.push_str(l),
            _ => sortie.push_str(&m),
        }
    };
    let mut precedent: Option<char> = None;
    let mut accolade = false;
    for c in texte.chars() {
        accolade = match c {
            '{' => true,
            '}' => false,
            _ => accolade,
        };
        let dans_un_mot = !accolade && (c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        // A slug starts a word: not the tail of a word with capitals, accents or `_`.
        if dans_un_mot && (!mot.is_empty() || !precedent.is_some_and(|p| p.is_alphanumeric() || p == '_')) {
            mot.push(c);
        } else {
            vider(&mut mot, &mut sortie);
            sortie.push(c);
        }
        precedent = Some(c);
    }
    vider(&mut mot, &mut sortie);
    sortie
}

/// Removes the asides meant for whoever edits the file: `(… du classeur)`, `(table [x])`.
fn sans_apartes(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len());
    let mut reste = texte;
    while let Some(debut) = reste.find('(') {
        let Some(fin) = fin_parenthese(&reste[debut..]) else { break };
        let dedans = &reste[debut + 1..debut + fin];
        if dedans.contains("classeur") || dedans.starts_with("table [") {
            sortie.push_str(reste[..debut].trim_end_matches(' '));
        } else {
            sortie.push_str(&reste[..=debut + fin]);
        }
        reste = &reste[debut + fin + 1..];
    }
    sortie.push_str(reste);
    sortie
}

/// The byte offset of the parenthesis closing the one `texte` starts with.
fn fin_parenthese(texte: &str) -> Option<usize> {
    let mut profondeur = 0usize;
    for (i, c) in texte.char_indices() {
        match c {
            '(' => profondeur += 1,
            ')' => {
                profondeur = profondeur.checked_sub(1)?;
                if profondeur == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `une ligne [[recette]]` → `une ligne de recette`, `une table [[contribution]]` → `les
/// contributions volontaires en nature`.
fn tables_de_lignes(texte: &str) -> String {
    const PHRASES: &[(&str, &str)] = &[
        ("une ligne [[recette]]", "une ligne de recette"),
        ("une ligne [[depense]]", "une ligne de dépense"),
        ("une ligne [[contribution]]", "une contribution volontaire en nature"),
        ("une table [[contribution]]", "les contributions volontaires en nature"),
        ("une table [[recette]]", "les recettes"),
        ("une table [[depense]]", "les dépenses"),
        ("[[recette]]", "les recettes"),
        ("[[depense]]", "les dépenses"),
        ("[[contribution]]", "les contributions volontaires en nature"),
    ];
    // The words of a workbook (rules::Support::Classeur): its sheets and headings.
    const FEUILLES: &[(&str, &str)] = &[
        (" à la feuille Recettes", " aux recettes"),
        (" à la feuille Dépenses", " aux dépenses"),
        (" à la feuille Contributions", " aux contributions volontaires en nature"),
        ("la feuille Recettes", "les recettes"),
        ("la feuille Dépenses", "les dépenses"),
        ("la feuille Contributions", "les contributions volontaires en nature"),
    ];
    let mut t = texte.to_string();
    for (de, vers) in PHRASES.iter().chain(FEUILLES) {
        t = t.replace(de, vers);
    }
    // `la rubrique « Les indicateurs … » de la feuille Dossier` → `les indicateurs …`.
    for (section, titre) in schema::TITRES_SECTIONS.iter().filter(|(s, _)| !s.is_empty()) {
        t = t.replace(&format!("la rubrique « {titre} » de la feuille Dossier"), nom_section(section));
    }
    t.replace(" de la feuille Dossier", "")
}

/// `indicateurs … : participants, seances (prévu : 22)` → the indicators by their labels.
/// Only in a message about indicators, where a list of their keys follows the colon.
fn listes_d_indicateurs(texte: &str) -> String {
    if !texte.starts_with("indicateurs") {
        return texte.to_string();
    }
    let Some(deux_points) = texte.find(" : ") else { return texte.to_string() };
    let debut = deux_points + 3;
    let fin = texte[debut..].find(" ;").map_or(texte.len(), |i| debut + i);
    let liste = &texte[debut..fin];
    let mut elements = Vec::new();
    let (mut profondeur, mut depart) = (0usize, 0usize);
    for (i, c) in liste.char_indices() {
        match c {
            '(' => profondeur += 1,
            ')' => profondeur = profondeur.saturating_sub(1),
            ',' if profondeur == 0 => {
                elements.push(&liste[depart..i]);
                depart = i + 1;
            }
            _ => {}
        }
    }
    elements.push(&liste[depart..]);
    let nommes: Vec<String> = elements
        .iter()
        .map(|e| {
            let e = e.trim();
            let (cle, suite) = e.split_at(e.find(" (").unwrap_or(e.len()));
            match schema::champ(&format!("indicateurs.{cle}")) {
                Some(c) => format!("{}{suite}", c.libelle),
                None => e.to_string(),
            }
        })
        .collect();
    format!("{}{}{}", &texte[..debut], nommes.join(", "), &texte[fin..])
}

/// The label of a key as a message writes it: dotted (`porteur.finance_caf`), bare
/// (`charte_parentalite`) or a line's column (`dispositif`), with its full key.
fn libelle_cle(cle: &str) -> Option<(String, &'static str)> {
    if let Some(c) = schema::champ(cle) {
        return Some((c.cle.to_string(), c.libelle));
    }
    if let Some(c) = schema::champs::CHAMPS.iter().find(|c| c.cle.rsplit('.').next() == Some(cle)) {
        return Some((c.cle.to_string(), c.libelle));
    }
    for ligne in schema::LIGNES {
        if let Some(c) = schema::colonnes(ligne).iter().find(|c| c.cle == cle) {
            return Some((format!("{ligne}.{cle}"), entete(c.entete)));
        }
    }
    None
}

fn est_car_cle(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
}

/// A value written after `=`: `true`, `"departement"`, `12`; its length and its words.
fn valeur_apres(texte: &str, cle: &str) -> Option<(usize, String)> {
    if let Some(r) = texte.strip_prefix("true") {
        return (!r.starts_with(|c: char| c.is_alphanumeric())).then(|| (4, "oui".into()));
    }
    if let Some(r) = texte.strip_prefix("false") {
        return (!r.starts_with(|c: char| c.is_alphanumeric())).then(|| (5, "non".into()));
    }
    if let Some(r) = texte.strip_prefix('"') {
        let fin = r.find('"')?;
        let v = &r[..fin];
        let mots = if v == "…" || v.is_empty() { String::new() } else { schema::libelle_valeur(cle, v) };
        return Some((fin + 2, mots));
    }
    let n = texte.find(|c: char| !c.is_ascii_digit()).unwrap_or(texte.len());
    (n > 0).then(|| (n, texte[..n].to_string()))
}

/// Keys, `[tables]` and `key = value` told by their labels.
fn cles(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len() + 16);
    let mut i = 0;
    let octets = texte.as_bytes();
    while i < texte.len() {
        let reste = &texte[i..];
        let precedent = texte[..i].chars().next_back();
        let en_debut_de_mot = !precedent.is_some_and(|c| c.is_alphanumeric() || c == '_');
        // `[section]`, `[section] cle`.
        if reste.starts_with('[')
            && let Some(fin) = reste.find(']')
            && schema::SECTIONS.contains(&&reste[1..fin])
        {
            let section = &reste[1..fin];
            let apres = &reste[fin + 1..];
            let cle_suivante: String =
                apres.strip_prefix(' ').map_or(String::new(), |a| a.chars().take_while(|c| est_car_cle(*c)).collect());
            if !cle_suivante.is_empty() && schema::champ(&format!("{section}.{cle_suivante}")).is_some() {
                let (n, mots) =
                    cle_ou_affectation(&format!("{section}.{cle_suivante}"), &apres[1 + cle_suivante.len()..]);
                sortie.push_str(&mots);
                i += fin + 2 + cle_suivante.len() + n;
                continue;
            }
            sortie.push_str(nom_section(section));
            i += fin + 1;
            continue;
        }
        if en_debut_de_mot && octets[i].is_ascii_lowercase() {
            let jeton: String = reste.chars().take_while(|c| est_car_cle(*c)).collect();
            let jeton = jeton.trim_end_matches('.');
            let apres = &reste[jeton.len()..];
            let affecte = apres.starts_with(" = ");
            // `dans explication`: a bare key where a message says where to write.
            let lieu = sortie.ends_with("dans ") && !jeton.is_empty();
            if (jeton.contains('_') || jeton.contains('.') || affecte || lieu) && libelle_cle(jeton).is_some() {
                let (n, mots) = cle_ou_affectation(jeton, apres);
                sortie.push_str(&mots);
                i += jeton.len() + n;
                continue;
            }
            sortie.push_str(jeton);
            i += jeton.len().max(1);
            if jeton.is_empty() {
                sortie.push(octets[i - 1] as char);
            }
            continue;
        }
        let c = reste.chars().next().unwrap_or(' ');
        sortie.push(c);
        i += c.len_utf8();
    }
    sortie
}

/// A key, and the ` = value` that may follow it, in words; with the bytes of `apres` used.
fn cle_ou_affectation(cle: &str, apres: &str) -> (usize, String) {
    let Some((complete, libelle)) = libelle_cle(cle) else { return (0, cle.to_string()) };
    // Already between « and »: the label alone.
    let nom = if apres.starts_with(" »") { libelle.to_string() } else { format!("« {libelle} »") };
    // The table a key is in, said after it (`anonyme = true dans [telephonie]`): the label
    // says it already.
    let sans_table = |n: usize| -> usize {
        let reste = &apres[n..];
        match reste.strip_prefix(" dans [").and_then(|r| r.find(']').map(|f| (r, f))) {
            Some((r, f)) if schema::SECTIONS.contains(&&r[..f]) => n + " dans [".len() + f + 1,
            _ => n,
        }
    };
    if let Some(v) = apres.strip_prefix(" = ") {
        return match valeur_apres(v, &complete) {
            Some((n, mots)) if mots.is_empty() => (sans_table(3 + n), nom),
            Some((n, mots)) => (sans_table(3 + n), format!("{nom} : {mots}")),
            // A value in words (`justificatif = contrat, avenant…`): « Justificatif » : contrat…
            None => (3, format!("{nom} : ")),
        };
    }
    (0, nom)
}

/// A table of the dossier as a sentence names it: `[indicateurs]` → « les indicateurs
/// d'évaluation prévus ».
fn nom_section(section: &str) -> &str {
    match section {
        "caf" => "la Caf destinataire",
        "porteur" => "la structure",
        "action" => "l'action",
        "territoire" => "le territoire",
        "groupe" => "le groupe de parents",
        "lieu" => "le lieu d'accueil",
        "telephonie" => "la téléphonie sociale",
        "reseau" => "l'animation du réseau",
        "indicateurs" => "les indicateurs d'évaluation prévus",
        "indicateurs_realises" => "les indicateurs atteints du bilan",
        "bilan" => "le bilan",
        autre => autre,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_syntax_become_words() {
        assert_eq!(
            en_mots(
                "une association doit avoir signé le contrat d'engagement républicain : indiquez contrat_engagement_republicain = true"
            ),
            "une association doit avoir signé le contrat d'engagement républicain : indiquez « Contrat d'engagement républicain signé » : oui"
        );
        assert_eq!(
            en_mots(
                "action en quartier prioritaire : la Caf du Rhône suit le nombre de parents des QPV ayant participé ; ajoutez parents_qpv dans [indicateurs]"
            ),
            "action en quartier prioritaire : la Caf du Rhône suit le nombre de parents des QPV ayant participé ; ajoutez « Parents résidant en QPV » dans les indicateurs d'évaluation prévus"
        );
        assert_eq!(
            en_mots(
                "la recette « X » s'écarte du prévu ; dites pourquoi sur la ligne (explication = \"…\", colonne « Explication » du classeur)"
            ),
            "la recette « X » s'écarte du prévu ; dites pourquoi sur la ligne"
        );
        assert_eq!(
            en_mots(
                "aucune demande au FNP dans les recettes : ajoutez une ligne [[recette]] avec financeur = \"caf-fnp\" et le montant demandé (supérieur à 0)"
            ),
            "aucune demande au FNP dans les recettes : ajoutez une ligne de recette avec « Financeur » : Caf : Fonds national parentalité et le montant demandé (supérieur à 0)"
        );
        assert_eq!(
            en_mots("« action.animateurs » n'est pas renseigné : un groupe est co-animé par caf, cpam"),
            "« Qui anime l'action » n'est pas renseigné : un groupe est co-animé par Caf, Cpam"
        );
        assert_eq!(
            en_mots("échelle « commune » : l'échelle préconisée est l'EPCI (echelle = \"epci\")"),
            "échelle « commune » : l'échelle préconisée est l'EPCI (« Échelle d'intervention » : intercommunalité)"
        );
        assert_eq!(
            en_mots(
                "indicateurs d'évaluation manquants pour l'axe 1 volet 1 : participants, presence_moyenne (table [indicateurs])"
            ),
            "indicateurs d'évaluation manquants pour l'axe 1 volet 1 : Participants prévus, Présence moyenne par séance"
        );
        assert_eq!(
            en_mots("dites pourquoi ([bilan] commentaire = \"…\", ligne « Commentaire du bilan » du classeur)"),
            "dites pourquoi"
        );
        assert_eq!(
            en_mots("la structure (porteur.finance_caf) paie"),
            "la structure (« Structure déjà financée par la Caf ») paie"
        );
        assert_eq!(
            en_mots("une table [[contribution]] (elle sort des dépenses éligibles)"),
            "les contributions volontaires en nature (elle sort des dépenses éligibles)"
        );
        assert_eq!(
            en_mots(
                "animateurs indiqués : caf, sage-femme (manque : cpam) ; natures éligibles : prestation, petit-materiel"
            ),
            "animateurs indiqués : Caf, sage-femme (manque : Cpam) ; natures éligibles : prestation, petit matériel"
        );
        assert_eq!(
            en_mots("une activité parents-enfants relève de l'axe 1 volet 2"),
            "une activité parents-enfants relève de l'axe 1 volet 2"
        );
        assert_eq!(
            en_mots("confirmez-le (anonyme = true dans [telephonie]) ; porteur.finance_caf n'est pas à true"),
            "confirmez-le (« Appels anonymes ou confidentiels » : oui) ; « Structure déjà financée par la Caf » n'est pas à « oui »"
        );
        assert_eq!(
            en_mots("gardez-en la preuve (justificatif = contrat, avenant ou recuperation)"),
            "gardez-en la preuve (« Justificatif » : contrat, avenant ou récupération)"
        );
        assert_eq!(
            en_mots(
                "indicateurs prévus sans valeur atteinte : seances (prévu : 22) ; donnez-les dans [indicateurs_realises]"
            ),
            "indicateurs prévus sans valeur atteinte : Séances prévues (prévu : 22) ; donnez-les dans les indicateurs atteints du bilan"
        );
        assert_eq!(
            en_mots("dites pourquoi sur la ligne, dans explication"),
            "dites pourquoi sur la ligne, dans « Explication »"
        );
        // Words stay words.
        let phrase = "il ne peut pas y avoir plus de parents différents que de participants : 12 > 10.";
        assert_eq!(en_mots(phrase), phrase);
    }

    /// Every message of every embedded pack, told in words, keeps no syntax of the TOML
    /// format or of the workbook: no `=`, no `[table]`, no key with `_` or `.`, no cell.
    #[test]
    fn every_pack_message_reads_without_syntax() {
        let regles = crate::rules::Regles::embarquees().expect("embedded packs");
        let mut n = 0;
        for pack in &regles.packs {
            for r in &pack.regles {
                for cas in &r.cas {
                    // As a finding carries it: its field placeholders in the words of a TOML
                    // file or of a workbook, then told in words for a document.
                    let supports = [crate::rules::Support::Toml, crate::rules::Support::Classeur];
                    for (m, support) in cas.messages.values().flat_map(|m| supports.map(|s| (m, s))) {
                        n += 1;
                        let mots = en_mots(&crate::rules::remplir_pour(m, &[], support));
                        let mut texte = String::new();
                        let mut dans = false;
                        for c in mots.chars() {
                            match c {
                                '{' => dans = true,
                                '}' => dans = false,
                                c if !dans => texte.push(c),
                                _ => {}
                            }
                        }
                        let affectation = texte.match_indices(" = ").any(|(i, _)| {
                            texte[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_')
                        });
                        assert!(!affectation && !texte.contains('['), "{}: {mots}", r.id);
                        for mot in ["classeur", "cellule", "feuille"] {
                            assert!(!texte.contains(mot), "{}: {mots}", r.id);
                        }
                        let cle = texte.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).find(|w| {
                            let w = w.trim_matches('.');
                            w.contains('_')
                                || (w.contains('.')
                                    && w.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'))
                        });
                        assert!(cle.is_none(), "{}: {cle:?} in {mots}", r.id);
                    }
                }
            }
        }
        assert!(n > 100, "{n} messages");
    }
}
