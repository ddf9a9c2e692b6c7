//! TOML syntax errors told in French.
//!
//! The parser writes `<what is wrong>, expected <a, b or c>` in English. Treasurers write
//! dossiers by hand, often with French habits (a date `12/03/2025`, an amount `1 200,50`,
//! `oui`), so this module says what is wrong in French, what was expected, and, when the text
//! at the place looks like one of those habits, how to write it.

use crate::lecture::limites::{TOML_ERREURS_MAX, TOML_PROFONDEUR_MAX};
use std::ops::Range;

use crate::model::Date;
use crate::model::montant::parse_decimal_fr;

/// The parser's description of a bare word where a value should be.
const NON_QUOTE: &str = "string values must be quoted";

/// What is wrong, per parser description. Descriptions not listed keep the parser's text.
const DESCRIPTIONS: &[(&str, &str)] = &[
    (NON_QUOTE, "valeur non reconnue (ni nombre, ni date, ni true/false, ni texte entre guillemets)"),
    ("key with no value", "clé sans valeur (« = » manquant ?)"),
    ("missing value for key", "valeur manquante après « = »"),
    ("missing value", "valeur manquante"),
    ("missing assignment between key-value pairs", "« = » manquant entre la clé et la valeur"),
    ("extra assignment between key-value pairs", "« = » en trop"),
    ("extra `=`", "« = » en trop"),
    ("unexpected `=` in array", "« = » inattendu dans une liste"),
    ("unexpected key or value", "contenu inattendu après la valeur (une seule valeur par ligne)"),
    ("unexpected content between comment and newline", "contenu inattendu en fin de commentaire"),
    ("unexpected content", "contenu inattendu"),
    ("unclosed array table", "en-tête [[…]] non fermé"),
    ("unclosed table", "en-tête de table non fermé"),
    ("unclosed inline table", "table en ligne non fermée"),
    ("unclosed array", "liste non fermée"),
    ("missing table open", "« [ » manquant"),
    ("missing array opening", "« [ » manquant"),
    ("missing inline table opening", "« { » manquant"),
    ("missing comma between array elements", "virgule manquante entre deux éléments de la liste"),
    ("missing comma between key-value pairs", "virgule manquante entre deux éléments de la table"),
    ("extra comma in array", "virgule en trop dans la liste"),
    ("extra comma in inline table", "virgule en trop dans la table en ligne"),
    ("missing key for inline table element", "clé manquante dans la table en ligne"),
    ("invalid inline table element", "élément de table en ligne invalide"),
    ("invalid key-value pair", "ligne « clé = valeur » invalide"),
    ("unquoted keys cannot be empty", "clé vide"),
    (
        "invalid unquoted key",
        "clé invalide (sans guillemets, une clé ne contient que lettres, chiffres, « - » et « _ »)",
    ),
    ("keys cannot be multi-line literal strings", "une clé ne peut pas être un texte sur plusieurs lignes"),
    ("keys cannot be multi-line basic strings", "une clé ne peut pas être un texte sur plusieurs lignes"),
    ("invalid key", "clé invalide"),
    ("duplicate key", "clé définie deux fois"),
    ("duplicate table", "table définie deux fois"),
    ("invalid table header", "en-tête de table invalide"),
    ("invalid table", "table invalide"),
    ("cannot extend value of type", "clé pointée sur une valeur qui n'est pas une table"),
    ("missing opening quote", "guillemet ouvrant manquant"),
    ("invalid basic string", "texte entre guillemets invalide ou non fermé"),
    ("invalid literal string", "texte entre apostrophes invalide ou non fermé"),
    ("invalid multi-line basic string", "texte sur plusieurs lignes (\"\"\") invalide ou non fermé"),
    ("invalid multi-line literal string", "texte sur plusieurs lignes (''') invalide ou non fermé"),
    ("invalid string", "texte invalide"),
    ("missing escaped value", "caractère d'échappement invalide après « \\ »"),
    ("too few unicode value digits", "code Unicode incomplet après « \\u »"),
    ("could not allocate for string", "texte trop long"),
    ("carriage return must be followed by newline", "retour chariot isolé (\\r sans retour à la ligne)"),
    ("missing comment start", "« # » manquant au début du commentaire"),
    ("invalid comment character", "caractère interdit dans un commentaire"),
    ("unexpected leading zero", "un nombre ne commence pas par un zéro"),
    ("`_` may only go between digits", "« _ » ne peut séparer que deux chiffres"),
    ("integers with a radix cannot be signed", "un nombre hexadécimal, octal ou binaire n'a pas de signe"),
    ("radix must be lowercase", "le préfixe de base s'écrit en minuscules (0x, 0o, 0b)"),
    ("redundant integer number prefix", "préfixe de nombre répété"),
    ("redundant numeric sign", "signe répété"),
    ("unexpected sign", "signe inattendu"),
    ("invalid integer number", "nombre entier invalide"),
    ("invalid hexadecimal number", "nombre hexadécimal invalide"),
    ("invalid octal number", "nombre octal invalide"),
    ("invalid binary number", "nombre binaire invalide"),
    ("invalid float", "nombre décimal invalide"),
    ("invalid fraction", "nombre décimal invalide"),
    ("invalid mantissa", "nombre décimal invalide"),
    ("invalid exponent", "exposant invalide"),
    ("invalid boolean", "booléen invalide (true ou false)"),
    ("invalid value", "valeur invalide"),
    ("cannot recurse further; max recursion depth met", "imbrication trop profonde"),
];

/// What the parser expected, per description; backquoted literals are quoted « like this ».
const ATTENDUS: &[(&str, &str)] = &[
    ("newline", "un retour à la ligne"),
    ("key", "une clé"),
    ("value", "une valeur"),
    ("digits", "des chiffres"),
    ("numbers", "des chiffres"),
    ("letters", "des lettres"),
    ("whitespace", "une espace"),
    ("basic string", "un texte entre guillemets"),
    ("literal string", "un texte entre apostrophes"),
    ("multi-line basic string", "un texte sur plusieurs lignes"),
    ("unicode hexadecimal value", "un code hexadécimal"),
];

/// The French message for a TOML syntax error: what is wrong, what was expected, and a hint
/// drawn from the text at `etendue` when it looks like a French habit. A description this
/// module does not know (a newer parser) keeps the parser's words.
pub fn expliquer(message: &str, texte: &str, etendue: Option<Range<usize>>) -> String {
    traduire(message, texte, etendue).unwrap_or_else(|| {
        let (quoi, attendu) = decouper(message);
        let mut sortie = format!("syntaxe invalide ({quoi})");
        if let Some(a) = attendu.and_then(traduire_attendus) {
            sortie.push_str(" ; attendu : ");
            sortie.push_str(&a);
        }
        sortie
    })
}

/// `what is wrong, expected a, b` → (`what is wrong`, `a, b`).
fn decouper(message: &str) -> (&str, Option<&str>) {
    let message = message.trim();
    match message.split_once(", expected ") {
        Some((q, a)) => (q.trim(), Some(a.trim())),
        None => (message, None),
    }
}

/// [`expliquer`], or `None` when the parser's description is not one this module knows
/// (a rule pack's schema errors, for instance, are not syntax errors).
pub fn traduire(message: &str, texte: &str, etendue: Option<Range<usize>>) -> Option<String> {
    let (mut quoi, attendu) = decouper(message);
    let endroit = etendue.map(|e| Endroit::de(texte, e.start));
    // A bare word starting like `nan`, `inf`, `true` or `false` (`national`, `Faux`) is read
    // as a failed number or boolean: it is an unquoted text like any other.
    if (quoi.starts_with("invalid float") || quoi.starts_with("invalid boolean"))
        && endroit.as_ref().is_some_and(|e| e.reste.starts_with(char::is_alphabetic))
    {
        quoi = NON_QUOTE;
    }
    let (_, description) = DESCRIPTIONS.iter().find(|(en, _)| quoi.starts_with(en))?;
    let mut sortie = description.to_string();
    let conseil = endroit.and_then(|e| conseil(quoi, &e));
    // The hint replaces the expectation when it says more (a bare word is not a "literal
    // string" the treasurer should know about).
    match (conseil, attendu.and_then(traduire_attendus)) {
        (Some(c), _) => {
            sortie.push_str(" ; ");
            sortie.push_str(&c);
        }
        (None, Some(a)) => {
            sortie.push_str(" ; attendu : ");
            sortie.push_str(&a);
        }
        (None, None) => {}
    }
    Some(sortie)
}

/// `newline, `#`` → `un retour à la ligne ou « # »`; `nothing` → none.
fn traduire_attendus(liste: &str) -> Option<String> {
    let elements: Vec<String> = liste
        .split(", ")
        .map(str::trim)
        .filter(|e| !e.is_empty() && *e != "nothing")
        .map(|e| {
            if let Some(litteral) = e.strip_prefix('`').and_then(|x| x.strip_suffix('`')) {
                format!("« {litteral} »")
            } else if let Some((_, fr)) = ATTENDUS.iter().find(|(en, _)| *en == e) {
                fr.to_string()
            } else if e.contains("characters") {
                "des caractères visibles".to_string()
            } else {
                e.to_string()
            }
        })
        .collect();
    match elements.as_slice() {
        [] => None,
        [seul] => Some(seul.clone()),
        [debut @ .., dernier] => Some(format!("{} ou {dernier}", debut.join(", "))),
    }
}

/// The text around the error: the rest of its line, the character just before, and the
/// whole value of its `key = value` line.
struct Endroit<'t> {
    reste: &'t str,
    avant: Option<char>,
    valeur_ligne: &'t str,
}

impl<'t> Endroit<'t> {
    fn de(texte: &'t str, debut: usize) -> Endroit<'t> {
        let debut = debut.min(texte.len());
        let (avant, apres) = match (texte.get(..debut), texte.get(debut..)) {
            (Some(a), Some(b)) => (a, b),
            _ => ("", ""),
        };
        let debut_ligne = avant.rsplit(['\n', '\r']).next().unwrap_or("");
        let fin_ligne = apres.split(['\n', '\r']).next().unwrap_or("");
        // A comment is not part of the value.
        let sans_commentaire = |t: &'t str| t.split(" #").next().unwrap_or("").trim();
        let valeur_ligne =
            match (debut_ligne.split_once('='), texte.get(debut - debut_ligne.len()..debut + fin_ligne.len())) {
                (Some((cle, _)), Some(ligne)) => sans_commentaire(&ligne[cle.len() + 1..]),
                _ => "",
            };
        Endroit { reste: sans_commentaire(fin_ligne), avant: avant.chars().last(), valeur_ligne }
    }
}

/// How to write what the treasurer probably meant.
fn conseil(quoi: &str, endroit: &Endroit<'_>) -> Option<String> {
    let valeur = endroit.reste.trim_end_matches([',', ']', '}']).trim();
    // `1,5` or `1 200,50 €`: the parser stops at the comma after reading digits.
    let virgule = endroit.avant.is_some_and(|c| c.is_ascii_digit())
        && valeur.starts_with(',')
        && valeur[1..].starts_with(|c: char| c.is_ascii_digit());
    // `15.01.2025` reads as a broken decimal number: only the date hint may apply.
    let nombre_casse = quoi.starts_with("invalid float");
    if !virgule && !nombre_casse && !quoi.starts_with(NON_QUOTE) {
        return None;
    }
    // Inside a list, only the element at the place is the value.
    let dans_liste = endroit.valeur_ligne.starts_with(['[', '{']);
    if dans_liste
        && valeur.split_whitespace().count() > 1
        && valeur.split_whitespace().all(|m| parse_decimal_fr(m).is_some())
    {
        return Some("dans une liste, les éléments se séparent par des virgules : [1, 2]".to_string());
    }
    let entiere = if dans_liste { valeur } else { endroit.valeur_ligne };
    // Only the French forms fail to parse (`2025-01-15` is a TOML date): `15/01/2025` and
    // `15.01.2025`, read by the project's date reader.
    if let [j, m, a] = entiere.split(['/', '.']).collect::<Vec<_>>()[..]
        && a.len() == 4
        && [j, m, a].iter().all(|p| p.parse::<u16>().is_ok())
    {
        return Some(match Date::lire_texte(&format!("{j}/{m}/{a}")) {
            Some(date) => format!("une date s'écrit année-mois-jour, sans guillemets : {date}"),
            // A date that does not exist (`31/02/2025`) is still a date to write otherwise.
            None => "une date s'écrit année-mois-jour, sans guillemets (AAAA-MM-JJ)".to_string(),
        });
    }
    if nombre_casse {
        return None;
    }
    // An amount `fnp` reads once quoted (the same parser as for quoted amounts).
    if let Some(n) = parse_decimal_fr(entiere).filter(|_| entiere.contains(['€', ',', ' ', '\u{a0}', '\u{202f}'])) {
        return Some(format!(
            "un montant avec espaces, virgule ou « € » s'écrit entre guillemets : \"{entiere}\", ou en nombre : {n}"
        ));
    }
    if virgule {
        return Some("un nombre décimal s'écrit avec un point : 1.5".to_string());
    }
    let mot = valeur.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    if matches!(mot.as_str(), "vrai" | "oui" | "faux" | "non") {
        let b = if matches!(mot.as_str(), "vrai" | "oui") { "true" } else { "false" };
        return Some(format!("une réponse oui/non s'écrit true ou false, sans guillemets : {b}"));
    }
    if !valeur.is_empty() && valeur.chars().count() <= 60 && !valeur.contains(['"', '\'']) {
        return Some(format!("un texte s'écrit entre guillemets : \"{valeur}\""));
    }
    None
}

/// One syntax error of a TOML text, told in French, at a byte range of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErreurSyntaxe {
    pub etendue: Range<usize>,
    pub message: String,
}

/// The syntax errors of a TOML text to show, and how many more were left untold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErreursSyntaxe {
    pub erreurs: Vec<ErreurSyntaxe>,
    pub restantes: usize,
}

/// Whether a parser error is an invalid date or time (`2025-02-30`): for a readable file, a
/// wrong value like any other (`SAISIE-DATE`), not a syntax error.
pub fn erreur_de_date(message: &str) -> bool {
    let m = message.trim_start();
    m.starts_with("invalid date") || m.starts_with("invalid time") || m.starts_with("invalid offset")
}

/// The French message for a date the parser rejected: `ecrit` as written, `anglais` the
/// parser's message.
pub fn date_invalide(ecrit: &str, anglais: &str) -> String {
    // `2025-1-8`: a real date, written without its zeros.
    if let Some(d) = Date::lire_texte(ecrit) {
        return format!("la date {ecrit} s'écrit avec deux chiffres pour le mois et pour le jour : écrivez {d}");
    }
    let raison = if anglais.contains("day") {
        "ce jour n'existe pas dans ce mois"
    } else if anglais.contains("month") {
        "le mois doit être entre 01 et 12"
    } else {
        "ce n'est pas une date valide"
    };
    format!("la date {ecrit} n'existe pas : {raison} (format AAAA-MM-JJ)")
}

/// Every syntax error of a TOML text, in file order, each in French with its hint.
///
/// The parser recovers from an error at the end of its line and goes on, but it reports its
/// errors by stage (the structure of the file first, then the values: a date `15/01/2025`
/// line 70 came after an amount `3 200,00 €` line 165): they are put back in file order,
/// one per line (a wrong value often gives two). Where the parser cannot go on —
/// a list, an inline table or a multi-line text left open swallows the rest of the file, and
/// every later line gives an error that is only its consequence — the errors before it are
/// kept, then that one, at its opening, and none after. Past [`TOML_ERREURS_MAX`], the others
/// are counted.
pub fn erreurs_de_syntaxe(texte: &str, erreurs: &[toml::de::Error]) -> ErreursSyntaxe {
    let rupture = rupture(texte);
    let limite = rupture.as_ref().map_or(usize::MAX, |(e, _)| e.start);
    let lignes = super::Lignes::de(texte);
    let mut triees: Vec<(usize, Range<usize>, &str)> = erreurs
        .iter()
        .map(|e| e.span().unwrap_or(0..0))
        .zip(erreurs.iter().map(toml::de::Error::message))
        .filter(|(etendue, _)| etendue.start < limite)
        .map(|(etendue, message)| (lignes.ligne(etendue.start), etendue, message))
        .collect();
    // By line, and on one line in the parser's order: its first error there is the one its
    // hints were written for (`3 200,00 €` is content after the value `3`, then a bare word).
    triees.sort_by_key(|(ligne, _, _)| *ligne);
    triees.dedup_by_key(|(ligne, _, _)| *ligne);
    let mut retenues: Vec<ErreurSyntaxe> = Vec::new();
    for (_, etendue, message) in triees {
        let message = if erreur_de_date(message) {
            date_invalide(texte.get(etendue.clone()).unwrap_or(""), message.trim())
        } else {
            expliquer(message, texte, Some(etendue.clone()))
        };
        retenues.push(ErreurSyntaxe { etendue, message });
    }
    if let Some((etendue, anglais)) = rupture {
        let message = format!("{} ; la suite du fichier n'a pas pu être lue", expliquer(anglais, texte, None));
        retenues.push(ErreurSyntaxe { etendue, message });
    }
    let restantes = retenues.len().saturating_sub(TOML_ERREURS_MAX);
    retenues.truncate(TOML_ERREURS_MAX);
    ErreursSyntaxe { erreurs: retenues, restantes }
}

/// Where the parser cannot go on, if anywhere: the opening of the first list, inline table
/// or multi-line text left open (the parser reads the rest of the file inside it), with the
/// parser's words for it. The `toml` crate keeps where an error was noticed, not what was
/// open then: its parser runs a second time here, on the error path only.
fn rupture(texte: &str) -> Option<(Range<usize>, &'static str)> {
    use toml_parser::lexer::TokenKind;
    let tokens = toml_parser::Source::new(texte).lex().into_vec();
    let mut premiere: Option<(Range<usize>, &'static str)> = None;
    let mut retenir = |etendue: Range<usize>, anglais: &'static str| {
        if premiere.as_ref().is_none_or(|(e, _)| etendue.start < e.start) {
            premiere = Some((etendue, anglais));
        }
    };
    for t in &tokens {
        let (fin, anglais) = match t.kind() {
            TokenKind::MlBasicString => ("\"\"\"", "invalid multi-line basic string, expected `\"\"\"`"),
            TokenKind::MlLiteralString => ("'''", "invalid multi-line literal string, expected `'''`"),
            _ => continue,
        };
        let (debut, bout) = (t.span().start(), t.span().end());
        let brut = texte.get(debut..bout).unwrap_or("");
        // Left open, a multi-line text runs to the end of the file.
        if bout >= texte.len() && (brut.len() < 2 * fin.len() || !brut.ends_with(fin)) {
            retenir(debut..(debut + fin.len()).min(bout), anglais);
        }
    }
    let mut erreurs: Vec<toml_parser::ParseError> = Vec::new();
    let mut rien = ();
    let mut garde = toml_parser::parser::RecursionGuard::new(&mut rien, TOML_PROFONDEUR_MAX);
    toml_parser::parser::parse_document(&tokens, &mut garde, &mut erreurs);
    for e in &erreurs {
        let (Some(ouverture), Some(ici)) = (e.context(), e.unexpected()) else { continue };
        let sur_plusieurs_lignes = texte.get(ouverture.start()..ici.start()).is_some_and(|t| t.contains('\n'));
        let anglais = match e.description() {
            "unclosed array" => "unclosed array, expected `]`",
            "unclosed inline table" => "unclosed inline table, expected `}`",
            // `key = value` inside a list: the list was left open lines above (a `]` further
            // down closed it by chance).
            "unexpected `=` in array" if sur_plusieurs_lignes => "unclosed array, expected `]`",
            _ => continue,
        };
        retenir(ouverture.start()..ouverture.end(), anglais);
    }
    premiere
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message for a TOML text, as the parser reports its first error.
    fn pour(texte: &str) -> String {
        let (_, erreurs) = toml::de::DeTable::parse_recoverable(texte);
        let e = erreurs.first().expect("an error");
        expliquer(e.message(), texte, e.span())
    }

    #[test]
    fn french_habits_get_the_toml_spelling() {
        assert_eq!(
            pour("[action]\ndebut = 12/03/2025\n"),
            "valeur non reconnue (ni nombre, ni date, ni true/false, ni texte entre guillemets) ; une date s'écrit année-mois-jour, \
             sans guillemets : 2025-03-12"
        );
        assert_eq!(
            pour("montant = 1 200,50 €\n"),
            "contenu inattendu après la valeur (une seule valeur par ligne) ; un montant avec espaces, \
             virgule ou « € » s'écrit entre guillemets : \"1 200,50 €\", ou en nombre : 1200.50"
        );
        assert!(pour("fin = 31/02/2025\n").ends_with("une date s'écrit année-mois-jour, sans guillemets (AAAA-MM-JJ)"));
        assert!(
            pour("debut = 15.01.2025\n").ends_with("une date s'écrit année-mois-jour, sans guillemets : 2025-01-15")
        );
        assert!(!pour("montant = 1.200.000\n").contains("date"));
        assert!(pour("montant = 1 200\n").ends_with("entre guillemets : \"1 200\", ou en nombre : 1200"));
        assert!(pour("gratuit = oui\n").ends_with("s'écrit true ou false, sans guillemets : true"));
        assert!(pour("gratuit = Faux # non\n").ends_with("s'écrit true ou false, sans guillemets : false"));
        assert!(pour("ville = nantes\n").ends_with("un texte s'écrit entre guillemets : \"nantes\""));
        assert!(pour("ville = information\n").ends_with("un texte s'écrit entre guillemets : \"information\""));
        assert_eq!(pour("x = 1.5e\n"), "exposant invalide ; attendu : des chiffres");
        assert!(pour("montant = 1,5\n").ends_with("\"1,5\", ou en nombre : 1.5"));
        assert!(pour("jours = [1 2]\n").ends_with("les éléments se séparent par des virgules : [1, 2]"));
        assert!(
            pour("x = 1,5e\n").ends_with("un nombre décimal s'écrit avec un point : 1.5"),
            "{}",
            pour("x = 1,5e\n")
        );
        assert!(
            pour("nom = Association Soleil\n").ends_with("un texte s'écrit entre guillemets : \"Association Soleil\"")
        );
    }

    #[test]
    fn every_message_is_french_with_what_was_expected() {
        assert_eq!(pour("[action\n"), "en-tête de table non fermé ; attendu : « ] »");
        assert_eq!(pour("nom \"Soleil\"\n"), "clé sans valeur (« = » manquant ?) ; attendu : « = »");
        assert_eq!(pour("x = [1, 2\n"), "liste non fermée ; attendu : « ] »");
        assert_eq!(pour("x = 01\n"), "un nombre ne commence pas par un zéro");
        assert_eq!(
            pour("x = 1 y = 2\n"),
            "contenu inattendu après la valeur (une seule valeur par ligne) ; attendu : un retour à la ligne ou « # »"
        );
        assert!(
            pour("x = \"C:\\dossier\"\n")
                .starts_with("caractère d'échappement invalide après « \\ » ; attendu : « b », ")
        );
        assert_eq!(pour("x = 1\nx = 2\n"), "clé définie deux fois");
    }

    /// Guards the table against a parser upgrade that rewords its messages: common mistakes
    /// must all get a French description, never the English fallback.
    #[test]
    fn common_mistakes_are_all_in_the_table() {
        let fautes = [
            "nom = Soleil\n",
            "nom \"Soleil\"\n",
            "[action\n",
            "[[charges]\n",
            "x = [1, 2\n",
            "x = {a = 1\n",
            "x = \"a\\q\"\n",
            "x = 1,5\n",
            "x = 01\n",
            "x = \"abc\n",
            "= 3\n",
            "x = 'abc\n",
            "x = \"\"\"abc\n",
            "x = '''abc\n",
            "x = 1\nx = 2\n",
            "[a]\n[a]\n",
            "x = 1__0\n",
            "x = 1e\n",
            "x = +0x1\n",
            "x = 1 y = 2\n",
            "x = [1,,2]\n",
            "x = {a = 1,, b = 2}\n",
            "x = 0X1\n",
            "x = 1.\n",
            "x = tru\n",
            "x = \"\\u12\"\n",
            "x =\n",
            "x = = 1\n",
            "a b = 1\n",
            "x = 1 # a\u{7}b\n",
            "x = --1\n",
            "x.y = 1\nx.y.z = 2\n",
        ];
        for texte in fautes {
            let (_, erreurs) = toml::de::DeTable::parse_recoverable(texte);
            let e = erreurs.first().unwrap_or_else(|| panic!("no error for {texte:?}"));
            assert!(
                traduire(e.message(), texte, e.span()).is_some(),
                "{texte:?}: « {} » has no French wording",
                e.message()
            );
        }
    }

    #[test]
    fn an_unknown_description_keeps_the_parser_words() {
        assert_eq!(
            expliquer("something new, expected `x`", "", None),
            "syntaxe invalide (something new) ; attendu : « x »"
        );
    }

    #[test]
    fn a_span_outside_the_text_or_inside_a_character_gives_no_hint() {
        let seul = "valeur non reconnue (ni nombre, ni date, ni true/false, ni texte entre guillemets)";
        assert_eq!(expliquer("string values must be quoted", "é", Some(1..2)), seul);
        assert_eq!(expliquer("string values must be quoted", "a", Some(9..12)), seul);
        assert_eq!(traduire("missing field `id`", "", None), None);
    }

    /// The lines of the errors told for a text, and their messages.
    fn toutes(texte: &str) -> (Vec<(usize, String)>, usize) {
        let (_, erreurs) = toml::de::DeTable::parse_recoverable(texte);
        let r = erreurs_de_syntaxe(texte, &erreurs);
        let lignes = crate::lecture::Lignes::de(texte);
        (r.erreurs.into_iter().map(|e| (lignes.ligne(e.etendue.start), e.message)).collect(), r.restantes)
    }

    fn lignes(erreurs: &[(usize, String)]) -> Vec<usize> {
        erreurs.iter().map(|(l, _)| *l).collect()
    }

    #[test]
    fn every_error_in_file_order_whatever_the_stage_that_found_it() {
        // The amount is a structure error, found first; the dates are value errors, found after.
        let texte = "[action]\ndebut = 15/01/2025\nfin = 2025-02-30\n\n[[recette]]\nmontant = 3 200,00 €\n";
        let (erreurs, restantes) = toutes(texte);
        assert_eq!(restantes, 0);
        assert_eq!(lignes(&erreurs), [2, 3, 6], "{erreurs:#?}");
        assert!(erreurs[0].1.ends_with("une date s'écrit année-mois-jour, sans guillemets : 2025-01-15"));
        // An invalid date of an unreadable file is told with the rest, as for a readable one.
        assert_eq!(
            erreurs[1].1,
            "la date 2025-02-30 n'existe pas : ce jour n'existe pas dans ce mois (format AAAA-MM-JJ)"
        );
        // One per line, the one the hints were written for.
        assert_eq!(erreurs[2].1, pour("montant = 3 200,00 €\n"));
    }

    #[test]
    fn where_the_parser_cannot_go_on_nothing_after_is_told() {
        // A list left open reads every later line as its elements.
        let (erreurs, _) = toutes("nom = Soleil\npublic = [\"parents\"\nprojet = true\nmontant = 3 200,00 €\n");
        assert_eq!(lignes(&erreurs), [1, 2], "{erreurs:#?}");
        assert_eq!(erreurs[1].1, "liste non fermée ; attendu : « ] » ; la suite du fichier n'a pas pu être lue");
        // Closed by chance further down, by the `]` of a header.
        let (erreurs, _) = toutes("public = [\"parents\"\nprojet = true\n[[depense]]\nmontant = 1 200,00 €\n");
        assert_eq!(lignes(&erreurs), [1], "{erreurs:#?}");
        assert!(erreurs[0].1.starts_with("liste non fermée"), "{erreurs:#?}");
        // An inline table, multi-line texts.
        let (erreurs, _) = toutes("x = 1,5\nlieu = { nom = \"Salle\"\nprojet = true\n");
        assert_eq!(lignes(&erreurs), [1, 2], "{erreurs:#?}");
        assert!(erreurs[1].1.starts_with("table en ligne non fermée ; attendu : « } »"), "{erreurs:#?}");
        let (erreurs, _) = toutes("description = \"\"\"\nUn texte\"\"\n[action]\nx = 1,5\n");
        assert_eq!(lignes(&erreurs), [1], "{erreurs:#?}");
        assert!(erreurs[0].1.starts_with("texte sur plusieurs lignes"), "{erreurs:#?}");
        let (erreurs, _) = toutes("x = 1,5\ndescription = '''\nUn texte\nx = 1,5\n");
        assert_eq!(lignes(&erreurs), [1, 2], "{erreurs:#?}");
    }

    #[test]
    fn a_list_on_several_lines_missing_a_comma_is_no_break() {
        let (erreurs, _) = toutes("public = [\n  \"parents\"\n  \"enfants\",\n]\nx = 1,5\n");
        assert_eq!(lignes(&erreurs), [3, 5], "{erreurs:#?}");
        assert!(erreurs[0].1.starts_with("virgule manquante entre deux éléments de la liste"), "{erreurs:#?}");
    }

    #[test]
    fn past_the_maximum_the_errors_are_counted() {
        let texte: String = (0..TOML_ERREURS_MAX + 5).map(|i| format!("x{i} = 1,5\n")).collect();
        let (erreurs, restantes) = toutes(&texte);
        assert_eq!(erreurs.len(), TOML_ERREURS_MAX);
        assert_eq!(restantes, 5);
        assert_eq!(erreurs.last().map(|(l, _)| *l), Some(TOML_ERREURS_MAX));
    }
}
