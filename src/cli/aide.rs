//! Help in French: value lists and defaults written into the help text, examples under each
//! command, `fnp help CMD`, shell completions and man pages.

use clap::{Arg, Command, CommandFactory};

use super::{Arret, Cli};

const MODELE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// Examples of each command, taken from the README (path of the command → lines).
const EXEMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "fnp",
        &[
            ("fnp init --type cafe-des-parents", "écrit projet.toml, commenté, à compléter"),
            ("fnp check projet.toml", "nomme chaque problème : ligne, règle, texte officiel"),
            ("fnp budget projet.toml", "le budget comme la Caf le lit"),
            ("fnp dossier projet.toml -o dossier.html", "le document à imprimer ou joindre (A4)"),
            ("fnp bilan projet.toml", "après l'action : le prévu et le réalisé"),
            ("fnp help check", "l'aide d'une commande"),
        ],
    ),
    (
        "fnp check",
        &[
            ("fnp check projet.toml", "un dossier"),
            ("fnp check dossiers/", "tous les dossiers d'un répertoire, récursivement"),
            ("fnp check --quiet dossiers/", "une ligne par dossier et le bilan"),
            ("fnp check --format json dossiers/", "un objet JSON (docs/cli.md)"),
            ("fnp check --strict projet.toml", "les avertissements font aussi échouer"),
            ("fnp check retours/ --report rapport/ --annotate annotes/", "rapports et classeurs annotés"),
            ("fnp check --rules mes-regles/ projet.toml", "un pack de règles sur disque"),
        ],
    ),
    (
        "fnp explain",
        &[
            ("fnp explain A3V1-OUVERTURE", "une règle : texte, paramètres, période, source"),
            ("fnp explain L69-INDICATEUR-QPV", "une règle locale, sans --departement"),
        ],
    ),
    (
        "fnp rules",
        &[
            ("fnp rules export mes-regles/", "les règles, leurs cas et les exemples, à changer"),
            ("fnp rules list --exercice 2025 --departement 69", "les règles en vigueur"),
            ("fnp rules lint mes-regles/ --sources textes/", "le pack est valide, les citations existent"),
            ("fnp rules test mes-regles/", "les cas épinglés passent"),
            ("fnp rules impact --base git:main --head mes-regles/ dossiers/", "quels dossiers changent"),
        ],
    ),
    (
        "fnp rules export",
        &[
            ("fnp rules export mes-regles/", "packs, cas épinglés, dossiers exemples et LISEZMOI.md"),
            ("fnp rules export mes-regles/ --force", "dans un dossier qui n'est pas vide"),
        ],
    ),
    (
        "fnp rules list",
        &[
            ("fnp rules list", "toutes les règles de tous les packs, avec leur période"),
            ("fnp rules list --exercice 2025 --departement 69", "ce que check applique à un dossier du Rhône"),
            ("fnp rules list --format md > docs/rules.md", "la page des règles"),
        ],
    ),
    (
        "fnp rules lint",
        &[
            ("fnp rules lint", "les règles embarquées"),
            ("fnp rules lint mes-regles/ --sources ../shared/sources", "avec les citations cherchées dans les textes"),
        ],
    ),
    (
        "fnp rules test",
        &[
            ("fnp rules test", "les cas de tests/cases/"),
            ("fnp rules test mes-regles/", "les cas de mes-regles/cas/ (un export)"),
            ("fnp rules test ma-caf/ --cases mes-regles/cas", "un pack local seul, avec les cas d'un export"),
            ("fnp rules test mes-regles/ --bless", "réenregistre les attendus après un changement voulu"),
        ],
    ),
    (
        "fnp rules impact",
        &[
            ("fnp rules impact --base embarquees --head mes-regles/ dossiers/", "par rapport aux règles de ce fnp"),
            ("fnp rules impact --base git:main --head mes-regles/ dossiers/", "les dossiers qui changent"),
            ("fnp rules impact --base rules --head mes-regles/ --format md dossiers/", "pour une pull request"),
        ],
    ),
    (
        "fnp budget",
        &[
            ("fnp budget projet.toml", "le budget dans le terminal"),
            ("fnp budget projet.toml --format csv > budget.csv", "pour Excel en français"),
        ],
    ),
    (
        "fnp bilan",
        &[
            ("fnp bilan projet.toml", "le prévu et le réalisé dans le terminal"),
            ("fnp bilan projet.toml -o bilan.html", "le compte rendu à joindre, imprimable en A4"),
            ("fnp bilan projet.toml -o bilan.csv", "pour Excel en français (format selon l'extension)"),
            ("fnp bilan retour.xlsx --format md -o bilan.md", "un classeur complété, en Markdown"),
        ],
    ),
    (
        "fnp dossier",
        &[
            ("fnp dossier projet.toml -o dossier.html", "HTML autonome, prêt à imprimer en A4"),
            ("fnp dossier projet.toml --format md -o dossier.md", "en Markdown"),
        ],
    ),
    (
        "fnp template",
        &[
            ("fnp template -o modele.xlsx", "le classeur vierge à envoyer aux associations"),
            ("fnp template --type cafe-des-parents -o modele.xlsx", "seulement les rubriques de ce type"),
            (
                "fnp template --axe 3 --volet 1 -o modele-lieux.xlsx",
                "seulement les rubriques de l'axe 3 volet 1 (lieux ressources)",
            ),
        ],
    ),
    (
        "fnp convert",
        &[
            ("fnp convert retour.xlsx -o projet.toml", "classeur vers TOML"),
            ("fnp convert projet.toml -o projet.xlsx", "TOML vers classeur"),
        ],
    ),
    (
        "fnp init",
        &[
            ("fnp init --type cafe-des-parents", "écrit projet.toml"),
            ("fnp init --type lieu-ressource -o lieu.toml", "dans un autre fichier"),
        ],
    ),
    ("fnp help", &[("fnp help check", "l'aide de fnp check"), ("fnp help rules lint", "d'une sous-commande")]),
    (
        "fnp completions",
        &[
            ("fnp completions bash > ~/.local/share/bash-completion/completions/fnp", "bash"),
            ("fnp completions zsh > ~/.zfunc/_fnp", "zsh (~/.zfunc dans fpath)"),
            ("fnp completions fish > ~/.config/fish/completions/fnp.fish", "fish"),
        ],
    ),
    ("fnp man", &[("fnp man | man -l -", "la page de fnp"), ("fnp man check > fnp-check.1", "la page d'une commande")]),
];

fn exemples(chemin: &str) -> Option<String> {
    let (_, lignes) = EXEMPLES.iter().find(|(c, _)| *c == chemin)?;
    let mut t = String::from("Exemples :");
    for (ligne, quoi) in *lignes {
        t.push_str(&format!("\n  # {quoi}\n  {ligne}"));
    }
    Some(t)
}

/// A value list and a default written into the help text, in French, instead of clap's
/// « Possible values » and « [default: …] ».
fn franciser_arg(a: Arg) -> Arg {
    if !a.get_action().takes_values() {
        return a;
    }
    let valeurs: Vec<clap::builder::PossibleValue> =
        a.get_possible_values().into_iter().filter(|v| !v.is_hide_set()).collect();
    let defauts: Vec<String> = a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if valeurs.is_empty() && defauts.is_empty() {
        return a;
    }
    let base = a.get_help().map(ToString::to_string).unwrap_or_default();
    let base = base.trim_end_matches('.');
    let mut court = Vec::new();
    let mut long = String::from(base);
    if !valeurs.is_empty() {
        court.push(valeurs.iter().map(|v| v.get_name().to_string()).collect::<Vec<_>>().join(", "));
        long.push_str("\n\nValeurs possibles :");
        for v in &valeurs {
            match v.get_help() {
                Some(h) => long.push_str(&format!("\n- {} : {h}", v.get_name())),
                None => long.push_str(&format!("\n- {}", v.get_name())),
            }
        }
    }
    if !defauts.is_empty() {
        court.push(format!("par défaut : {}", defauts.join(", ")));
        long.push_str(&format!("\n\nPar défaut : {}", defauts.join(", ")));
    }
    let court = format!("{base} ({})", court.join(" ; "));
    a.help(court).long_help(long).hide_possible_values(true).hide_default_value(true)
}

fn franciser(cmd: Command, chemin: &str) -> Command {
    let mut cmd = cmd
        .help_template(MODELE)
        .subcommand_value_name("COMMANDE")
        .subcommand_help_heading("Commandes")
        .next_help_heading("Options")
        .mut_args(franciser_arg);
    // No English help flag of clap's own: the root's global `-h, --help` (« Affiche l'aide »)
    // reaches every command.
    cmd = cmd.disable_help_flag(true).disable_help_subcommand(true);
    if let Some(e) = exemples(chemin) {
        cmd = cmd.after_help(e);
    }
    let noms: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for nom in noms {
        let sous = format!("{chemin} {nom}");
        cmd = cmd.mut_subcommand(nom, |s| franciser(s, &sous));
    }
    cmd
}

/// The whole command line, in French.
pub fn commande() -> Command {
    // Named `fnp` in help and usage whatever the program file is called (`fnp.exe` on
    // Windows, a renamed copy): clap would otherwise take the name it was started by.
    franciser(Cli::command(), "fnp").bin_name("fnp")
}

/// The subcommand at a path (`["rules", "lint"]`), or the French error naming what exists.
fn sous_commande(racine: &Command, chemin: &[String]) -> Result<Command, Arret> {
    let mut cmd = racine.clone();
    let mut vu = String::from("fnp");
    for nom in chemin {
        let Some(s) = cmd.find_subcommand(nom).cloned() else {
            let possibles: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).filter(|n| *n != "help").collect();
            let proche = crate::model::schema::suggestion(nom, possibles.iter().copied())
                .map(|p| format!(" ; vouliez-vous dire « {p} » ?"))
                .unwrap_or_default();
            return Err(Arret::Usage(format!(
                "{} : commande « {nom} » inconnue dans « {vu} »{proche}\n  commandes : {}\n",
                super::erreurs::ERREUR,
                possibles.join(", ")
            )));
        };
        vu.push(' ');
        vu.push_str(nom);
        cmd = s;
    }
    Ok(cmd.bin_name(vu))
}

/// `fnp help [CMD…]`: the help of fnp or of a command, as `fnp CMD --help` shows it.
pub fn aide_de(chemin: &[String]) -> Arret {
    let mut racine = commande();
    racine.build();
    match sous_commande(&racine, chemin) {
        // As `CMD --help` shows it: the long form when the command has long texts.
        Ok(mut c) => {
            let long = c.get_long_about().is_some()
                || c.get_after_long_help().is_some()
                || c.get_arguments().any(|a| !a.is_hide_set() && a.get_long_help().is_some());
            let texte = if long { c.render_long_help() } else { c.render_help() };
            Arret::Sortie(texte.ansi().to_string(), 0)
        }
        Err(e) => e,
    }
}

/// `fnp completions SHELL`: the completion script. The action types of `--type` and the rule
/// ids of `fnp explain ID` and `--deny/--warn/--allow ID` are data of the embedded packs:
/// they are given to the script as the values to offer (only here: the command line itself
/// still accepts any value and says in French what is wrong with it).
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut cmd = commande();
    if let Ok(regles) = crate::rules::Regles::embarquees() {
        let mut types: Vec<String> = regles.national().volets.values().flat_map(|v| v.types.iter().cloned()).collect();
        types.sort();
        types.dedup();
        let mut ids: Vec<String> = regles.toutes().map(|(_, r)| r.id.clone()).collect();
        ids.sort();
        ids.dedup();
        let valeurs = |v: &[String]| clap::builder::PossibleValuesParser::new(v.to_vec());
        for sous in ["init", "template"] {
            cmd = cmd.mut_subcommand(sous, |c| c.mut_arg("type_action", |a| a.value_parser(valeurs(&types))));
        }
        cmd = cmd.mut_subcommand("explain", |c| c.mut_arg("id", |a| a.value_parser(valeurs(&ids))));
        cmd = cmd.mut_subcommand("check", |c| {
            ["deny", "warn", "allow"].iter().fold(c, |c, o| c.mut_arg(*o, |a| a.value_parser(valeurs(&ids))))
        });
    }
    let mut tampon = Vec::new();
    clap_complete::generate(shell, &mut cmd, "fnp", &mut tampon);
    String::from_utf8_lossy(&tampon).into_owned()
}

/// `fnp man [CMD…]`: the roff man page of fnp or of a command, its headings in French.
pub fn man(chemin: &[String]) -> Arret {
    let mut racine = commande();
    racine.build();
    let cmd = match sous_commande(&racine, chemin) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let nom = std::iter::once("fnp").chain(chemin.iter().map(String::as_str)).collect::<Vec<_>>().join("-");
    let cmd = cmd.name(nom).version(env!("CARGO_PKG_VERSION"));
    let mut tampon = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).title(env!("CARGO_PKG_NAME")).render(&mut tampon) {
        return Arret::Usage(format!("{} : page de manuel impossible à écrire : {e}\n", super::erreurs::ERREUR));
    }
    let mut texte = String::from_utf8_lossy(&tampon).into_owned();
    for (en, fr) in [
        (".SH NAME", ".SH NOM"),
        (".SH SUBCOMMANDS", ".SH COMMANDES"),
        (".SH Commandes", ".SH COMMANDES"),
        (".SH EXTRA", ".SH EXEMPLES"),
        (".SH AUTHORS", ".SH AUTEURS"),
        (".SH VERSION", ".SH VERSION"),
    ] {
        texte = texte.replace(en, fr);
    }
    Arret::Sortie(texte, 0)
}
