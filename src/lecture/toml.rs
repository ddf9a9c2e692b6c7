//! Reads `projet.toml` (format 1) into a [`Dossier`], keeping the location of every key and
//! value, and turning every input problem into a `SAISIE-*` finding instead of stopping.

use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

mod valeurs;

use super::saisies::{A_COMPLETER, CHAMP_INCONNU, CHAMP_MANQUANT, DATE, MARQUE_A_COMPLETER, MONTANT, TYPE};
use super::{Emplacement, Illisible, Lu, Probleme, Repere, Reperes, Saisie, erreurs_toml};
use crate::model::montant::{Montant, parse_decimal_fr};
use crate::model::schema::{self, Colonne, Genre};
use crate::model::{Date, Dossier, Valeur};
use valeurs::convertir;

/// Not a finding: a value that stands for nothing (an empty list).
const VIDE: &str = "";

/// Whether a value is (or holds) the `fnp init` placeholder.
fn a_completer(v: &DeValue<'_>) -> bool {
    match v {
        DeValue::String(s) => s.contains(MARQUE_A_COMPLETER),
        DeValue::Array(a) => a.iter().any(|e| a_completer(e.get_ref())),
        _ => false,
    }
}

fn message_a_completer(nom: &str, genre: Genre) -> String {
    format!("« {nom} » est à compléter : remplacez \"{MARQUE_A_COMPLETER}\" par {}", genre.description())
}

/// Reads a dossier from TOML text. `fichier` is the name shown in locations.
pub fn lire_toml(texte: &str, fichier: &str) -> Result<Lu, Illisible> {
    lire_toml_borne(texte, fichier, &super::limites::Limites::default())
}

/// Keys, tables and lists a TOML dossier may hold: its lines (`[[depense]]`…, `--max-rows`
/// each) with up to 12 keys (a line has at most 9), and the rest of a dossier many times over. Counted before the
/// parser builds its tree, on the characters that open them (`=`, `[`, `{`): any of them,
/// even inside a text, counts, so the bound holds whatever the file is.
pub fn elements_max(limites: &super::limites::Limites) -> u64 {
    (limites.lignes_max as u64).saturating_mul(3 * 12).saturating_add(4096)
}

/// [`lire_toml`] within `limites`: the elements the parser would build are counted first,
/// and each list of lines is bounded by `--max-rows`, as a workbook's sheets are.
pub fn lire_toml_borne(texte: &str, fichier: &str, limites: &super::limites::Limites) -> Result<Lu, Illisible> {
    let elements = texte.bytes().filter(|b| matches!(b, b'=' | b'[' | b'{')).count() as u64;
    let max = elements_max(limites);
    if elements > max {
        return Err(Illisible::sans_position(
            fichier,
            format!(
                "dossier TOML de plus de {max} clés, tables et listes ({elements} « = », « [ » et « {{ ») : un dossier en compte quelques centaines ; sa lecture demanderait trop de mémoire (limite liée à --max-rows)"
            ),
        ));
    }
    // A file saved on Windows ends its lines with CRLF: one line break, like LF, also inside
    // a multi-line text (TOML leaves the choice to the reader). Lines and columns are those
    // of the file (only the CR at each end goes), and no value keeps a CR to show.
    let lf: std::borrow::Cow<str> =
        if texte.contains("\r\n") { texte.replace("\r\n", "\n").into() } else { texte.into() };
    let texte: &str = &lf;
    let partage: Arc<str> = Arc::from(texte);
    let mut reperes = Reperes::new(fichier, Some(partage.clone()));
    // Invalid dates (`2025-02-30`) are parse errors for TOML, but for the user they are a
    // wrong value like any other: recover from them, and only from them.
    let (racine, erreurs) = DeTable::parse_recoverable(texte);
    if erreurs.iter().any(|e| !erreurs_toml::erreur_de_date(e.message())) {
        // The tree goes before the second pass of the error path: one of them at a time.
        drop(racine);
        return Err(illisible(texte, &erreurs, &reperes, partage));
    }
    let dates_invalides = erreurs.iter().filter_map(|e| Some((e.span()?, e.message().trim().to_string()))).collect();
    for liste in schema::LIGNES {
        if let Some(v) = racine.get_ref().get(*liste)
            && let DeValue::Array(a) = v.get_ref()
            && a.len() > limites.lignes_max
        {
            return Err(Illisible::sans_position(
                fichier,
                format!(
                    "la liste [[{liste}]] a plus de {} lignes ({}) ; limite : --max-rows",
                    limites.lignes_max,
                    a.len()
                ),
            ));
        }
    }
    let mut lecteur = Lecteur {
        dossier: Dossier::default(),
        saisies: Vec::new(),
        reperes: &mut reperes,
        dates_invalides,
        plafond: super::Plafond::default(),
    };
    lecteur.racine(racine.get_ref());
    let Lecteur { dossier, mut saisies, plafond, .. } = lecteur;
    plafond.conclure(&mut saisies);
    Ok(Lu { dossier, saisies, reperes, octets: None })
}

/// A file with syntax errors: every one of them, in file order (invalid dates included:
/// the treasurer corrects them all at once).
fn illisible(texte: &str, erreurs: &[toml::de::Error], reperes: &Reperes, partage: Arc<str>) -> Illisible {
    let syntaxe = erreurs_toml::erreurs_de_syntaxe(texte, erreurs);
    let mut problemes: Vec<Probleme> = syntaxe
        .erreurs
        .into_iter()
        .map(|e| Probleme {
            message: format!("le fichier n'est pas un TOML valide : {}", e.message),
            emplacement: reperes.a_l_etendue(None, e.etendue),
        })
        .collect();
    if syntaxe.restantes > 0 {
        let n = syntaxe.restantes;
        problemes.push(Probleme {
            message: format!(
                "le fichier n'est pas un TOML valide : {n} {} plus loin, non détaillée{} : corrigez d'abord celles-ci",
                if n > 1 { "autres erreurs de syntaxe" } else { "autre erreur de syntaxe" },
                if n > 1 { "s" } else { "" }
            ),
            emplacement: Emplacement { fichier: reperes.fichier.clone(), ..Default::default() },
        });
    }
    let mut problemes = problemes.into_iter();
    // `erreurs` holds an error that is no date: there is at least one.
    let premier = problemes.next().unwrap_or_else(|| Probleme {
        message: "le fichier n'est pas un TOML valide".into(),
        emplacement: Emplacement { fichier: reperes.fichier.clone(), ..Default::default() },
    });
    Illisible {
        message: premier.message,
        emplacement: premier.emplacement,
        autres: problemes.collect(),
        texte: Some(partage),
    }
}

struct Lecteur<'r> {
    dossier: Dossier,
    saisies: Vec<Saisie>,
    reperes: &'r mut Reperes,
    /// Dates the parser rejected (span, parser message).
    dates_invalides: Vec<(Range<usize>, String)>,
    plafond: super::Plafond,
}

fn type_toml(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "un texte",
        DeValue::Integer(_) => "un nombre entier",
        DeValue::Float(_) => "un nombre décimal",
        DeValue::Boolean(_) => "un booléen",
        DeValue::Datetime(_) => "une date",
        DeValue::Array(_) => "une liste",
        DeValue::Table(_) => "une table",
    }
}

impl Lecteur<'_> {
    fn saisie(&mut self, regle: &'static str, champ: &str, etendue: Option<Range<usize>>, message: String) {
        if self.plafond.garder(regle) {
            self.saisies.push(Saisie { regle, message, champ: champ.to_string(), etendue });
        }
    }

    fn racine(&mut self, racine: &DeTable<'_>) {
        let mut cles_racine: Vec<&str> = vec!["format", "exercice"];
        cles_racine.extend(schema::SECTIONS);
        cles_racine.extend(schema::LIGNES);
        for (cle, valeur) in racine.iter() {
            let nom = cle.get_ref().as_ref();
            let etendue_cle = cle.span();
            let section = schema::SECTIONS.iter().copied().find(|x| *x == nom);
            let ligne = schema::LIGNES.iter().copied().find(|x| *x == nom);
            match (nom, section, ligne) {
                ("format" | "exercice", _, _) => {
                    if let Some(c) = schema::champ(nom) {
                        self.scalaire(c.cle, valeur, etendue_cle)
                    }
                }
                (_, Some(s), _) => {
                    self.reperes.noter(s, Repere::Etendue(etendue_cle.clone()));
                    match valeur.get_ref() {
                        DeValue::Table(t) => self.section(s, t),
                        autre => {
                            self.dossier.champs_rejetes.insert(s.to_string());
                            self.saisie(
                                TYPE,
                                s,
                                Some(valeur.span()),
                                format!("« {s} » doit être une table ([{s}]), pas {}", type_toml(autre)),
                            )
                        }
                    }
                }
                (_, _, Some(l)) => self.lignes(l, valeur),
                _ if self.plafond.plein(CHAMP_INCONNU) => {
                    self.plafond.garder(CHAMP_INCONNU);
                }
                _ => {
                    let conseil = match schema::suggestion(nom, cles_racine.iter().copied()) {
                        Some(k) => format!(" ; vouliez-vous dire « {k} » ?"),
                        None => self.conseil_section_voisine(nom),
                    };
                    self.reperes.noter(nom.to_string(), Repere::Etendue(etendue_cle.clone()));
                    self.saisie(CHAMP_INCONNU, nom, Some(etendue_cle), format!("clé inconnue « {nom} »{conseil}"));
                }
            }
        }
        self.manquants();
        for (etendue, _) in self.dates_invalides.clone() {
            if let Some(message) = self.date_invalide(&etendue) {
                self.saisie(DATE, "", Some(etendue), message);
            }
        }
    }

    /// For a key written at the wrong level: `axe = 1` at the top level belongs in `[action]`.
    fn conseil_section_voisine(&self, nom: &str) -> String {
        match schema::champs::CHAMPS.iter().find(|c| c.cle.rsplit_once('.').is_some_and(|(_, k)| k == nom)) {
            Some(c) => {
                let section = c.cle.split('.').next().unwrap_or_default();
                format!(" ; cette clé se place dans la table [{section}]")
            }
            None => " ; les clés connues sont décrites dans docs/format.md".into(),
        }
    }

    fn section(&mut self, section: &'static str, table: &DeTable<'_>) {
        let prefixe = format!("{section}.");
        let connues: Vec<&'static str> =
            schema::champs::CHAMPS.iter().filter_map(|c| c.cle.strip_prefix(prefixe.as_str())).collect();
        for (cle, valeur) in table.iter() {
            let nom = cle.get_ref().as_ref();
            let complet = format!("{section}.{nom}");
            match schema::champ(&complet) {
                Some(c) => self.scalaire(c.cle, valeur, cle.span()),
                None if self.plafond.plein(CHAMP_INCONNU) => {
                    self.plafond.garder(CHAMP_INCONNU);
                }
                None => {
                    let conseil = match schema::suggestion(nom, connues.iter().copied()) {
                        Some(k) => format!(" ; vouliez-vous dire « {k} » ?"),
                        None => match schema::champs::CHAMPS.iter().find(|c| c.cle.ends_with(&format!(".{nom}"))) {
                            Some(c) => {
                                format!(" ; cette clé existe dans une autre table : « {} »", c.cle)
                            }
                            None => format!(" ; clés possibles dans [{section}] : {}", connues.join(", ")),
                        },
                    };
                    self.reperes.noter(complet.clone(), Repere::Etendue(cle.span()));
                    self.saisie(
                        CHAMP_INCONNU,
                        &complet,
                        Some(cle.span()),
                        format!("clé inconnue « {nom} » dans [{section}]{conseil}"),
                    );
                }
            }
        }
    }

    /// The French message for a date the parser rejected at this span, if any.
    fn date_invalide(&mut self, etendue: &Range<usize>) -> Option<String> {
        let i = self.dates_invalides.iter().position(|(e, _)| e == etendue)?;
        let (_, anglais) = self.dates_invalides.remove(i);
        let ecrit = self.reperes.texte.as_deref().and_then(|t| t.get(etendue.clone())).unwrap_or("");
        Some(erreurs_toml::date_invalide(ecrit, &anglais))
    }

    fn manquants(&mut self) {
        let reperes = &*self.reperes;
        let message = |c: &_, section: Option<&str>| {
            let conseil = match section {
                Some(s) if reperes.connait(s) => format!("ajoutez-la dans la table [{s}]"),
                Some(s) => format!("ajoutez une table [{s}] qui la contient"),
                None => "ajoutez-la en tête du fichier".into(),
            };
            super::assemblage::absente(c, &conseil)
        };
        super::assemblage::manquants(&mut self.dossier, &mut self.saisies, message);
    }

    fn scalaire(&mut self, cle: &'static str, valeur: &Spanned<DeValue<'_>>, etendue_cle: Range<usize>) {
        self.scalaire_type(cle, valeur, etendue_cle);
        if self.dossier.champs_rejetes.contains(cle) {
            let brut = self.brut(valeur);
            self.dossier.bruts.insert(cle.to_string(), brut);
        }
    }

    /// A value as written (a string without its quotes).
    fn brut(&self, valeur: &Spanned<DeValue<'_>>) -> String {
        match valeur.get_ref() {
            DeValue::String(s) => s.to_string(),
            _ => self.reperes.texte.as_deref().and_then(|t| t.get(valeur.span())).unwrap_or("").to_string(),
        }
    }

    fn scalaire_type(&mut self, cle: &'static str, valeur: &Spanned<DeValue<'_>>, etendue_cle: Range<usize>) {
        let etendue = valeur.span();
        self.reperes.noter(cle, Repere::Etendue(etendue.clone()));
        if let Some(message) = self.date_invalide(&etendue) {
            self.dossier.champs_rejetes.insert(cle.to_string());
            self.saisie(DATE, cle, Some(etendue), message);
            return;
        }
        if a_completer(valeur.get_ref()) {
            let genre = schema::champ(cle).map_or(Genre::Texte, |c| c.genre);
            self.dossier.champs_rejetes.insert(cle.to_string());
            self.saisie(A_COMPLETER, cle, Some(etendue), message_a_completer(cle, genre));
            return;
        }
        let genre = schema::champ(cle).map_or(Genre::Texte, |c| c.genre);
        match convertir(genre, valeur, cle) {
            Ok(v) => {
                if cle == "format" && v != Valeur::Entier(1) {
                    self.dossier.champs_rejetes.insert(cle.to_string());
                    self.saisie(
                        TYPE,
                        cle,
                        Some(etendue),
                        format!("format {} inconnu : cette version de fnp lit le format 1", v.fr()),
                    );
                    return;
                }
                self.dossier.champs.insert(cle, v);
            }
            Err((VIDE, _)) => {}
            Err((regle, message)) => {
                let _ = etendue_cle;
                self.dossier.champs_rejetes.insert(cle.to_string());
                self.saisie(regle, cle, Some(etendue), message);
            }
        }
    }

    fn lignes(&mut self, nom: &'static str, valeur: &Spanned<DeValue<'_>>) {
        let tables: Vec<&Spanned<DeValue<'_>>> = match valeur.get_ref() {
            DeValue::Array(a) => a.iter().collect(),
            autre => {
                self.dossier.lignes_rejetees = true;
                self.reperes.noter(nom, Repere::Etendue(valeur.span()));
                self.saisie(
                    TYPE,
                    nom,
                    Some(valeur.span()),
                    format!("« {nom} » doit être une liste de tables [[{nom}]], pas {}", type_toml(autre)),
                );
                return;
            }
        };
        for (index, t) in tables.into_iter().enumerate() {
            let chemin = format!("{nom}[{index}]");
            if index == 0 {
                // Where the list's actual total is told (rules v4, BILAN-EQUILIBRE): a TOML
                // dossier has no total row, so its first line's header.
                self.reperes.noter(format!("{nom}.total.realise"), Repere::Etendue(t.span()));
            }
            self.reperes.noter(chemin.clone(), Repere::Etendue(t.span()));
            match t.get_ref() {
                DeValue::Table(table) => self.ligne(nom, index, &chemin, table),
                autre => {
                    self.dossier.lignes_rejetees = true;
                    self.saisie(
                        TYPE,
                        &chemin,
                        Some(t.span()),
                        format!("chaque élément de « {nom} » doit être une table [[{nom}]], pas {}", type_toml(autre)),
                    );
                }
            }
        }
    }

    fn ligne(&mut self, nom: &'static str, index: usize, chemin: &str, table: &DeTable<'_>) {
        let colonnes = schema::colonnes(nom);
        let mut valeurs: Vec<(&'static Colonne, Valeur)> = Vec::new();
        let mut rejetee = false;
        for (cle, valeur) in table.iter() {
            let k = cle.get_ref().as_ref();
            let complet = format!("{chemin}.{k}");
            match colonnes.iter().find(|c| c.cle == k) {
                Some(col) if a_completer(valeur.get_ref()) => {
                    rejetee = true;
                    self.reperes.noter(complet.clone(), Repere::Etendue(valeur.span()));
                    self.saisie(A_COMPLETER, &complet, Some(valeur.span()), message_a_completer(&complet, col.genre));
                }
                Some(col) => {
                    self.reperes.noter(complet.clone(), Repere::Etendue(valeur.span()));
                    match convertir(col.genre, valeur, col.cle) {
                        Ok(v) => valeurs.push((col, v)),
                        Err((regle, message)) => {
                            rejetee = true;
                            self.saisie(regle, &complet, Some(valeur.span()), message);
                        }
                    }
                }
                None if self.plafond.plein(CHAMP_INCONNU) => {
                    rejetee = true;
                    self.plafond.garder(CHAMP_INCONNU);
                }
                None => {
                    rejetee = true;
                    self.reperes.noter(complet.clone(), Repere::Etendue(cle.span()));
                    let conseil = match schema::suggestion(k, colonnes.iter().map(|c| c.cle)) {
                        Some(s) => format!(" ; vouliez-vous dire « {s} » ?"),
                        None => format!(
                            " ; clés possibles : {}",
                            colonnes.iter().map(|c| c.cle).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    self.saisie(
                        CHAMP_INCONNU,
                        &complet,
                        Some(cle.span()),
                        format!("clé inconnue « {k} » dans [[{nom}]]{conseil}"),
                    );
                }
            }
        }
        for col in colonnes.iter().filter(|c| c.requis) {
            if !table.iter().any(|(k, _)| k.get_ref().as_ref() == col.cle) {
                rejetee = true;
                self.saisie(
                    CHAMP_MANQUANT,
                    &format!("{chemin}.{}", col.cle),
                    None,
                    format!("clé obligatoire « {} » absente de cette ligne [[{nom}]]", col.cle),
                );
            }
        }
        if rejetee {
            self.dossier.lignes_rejetees = true;
            let cellules = table.iter().map(|(k, v)| (k.get_ref().to_string(), self.brut(v))).collect();
            self.dossier.lignes_brutes.push(crate::model::LigneBrute { nom, index, cellules });
            return;
        }
        super::assemblage::construire_ligne(&mut self.dossier, nom, index, valeurs);
    }
}
