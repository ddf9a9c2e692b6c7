//! The command line: its definition (clap derive), in French from the first keystroke —
//! help headings, value lists, defaults, examples, usage errors — and the shell completions
//! and man pages drawn from it. `src/main.rs` calls [`analyser`] and nothing else of clap.

mod aide;
mod double_clic;
pub use double_clic::attendre_si_double_clic;
mod erreurs;

use crate::lecture::Affiche;
use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgAction, FromArgMatches, Parser, Subcommand, ValueEnum};

use aide::aide_de;
use aide::{commande, completions, man};

/// Why parsing stops without settings: text to print and the exit code (help and version
/// on stdout with 0; a usage error on stderr with 2).
#[derive(Debug)]
pub enum Arret {
    /// Help, version, completions, man page: stdout, exit code.
    Sortie(String, u8),
    /// A usage error, in French: stderr, exit code 2.
    Usage(String),
}

/// Parses the command line into settings, or says why not, in French.
pub fn analyser<I, T>(arguments: I) -> Result<crate::Settings, Arret>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let correspondances = commande().try_get_matches_from(arguments).map_err(|e| erreurs::arret(&e))?;
    let cli = Cli::from_arg_matches(&correspondances).map_err(|e| erreurs::arret(&e))?;
    convertir(cli)
}

/// fnp — vérifie les dossiers de demande de financement du Fonds national parentalité.
#[derive(Parser)]
#[command(
    name = "fnp",
    version,
    about = "Vérifie les dossiers de demande de financement du Fonds national parentalité (FNP).",
    long_about = "Vérifie les dossiers de demande de financement du Fonds national parentalité (FNP) :\n\
                  chaque problème est nommé, avec sa ligne, la règle et le texte source.\n\n\
                  Codes de sortie : 0 tout est conforme ou à vérifier, 1 au moins un dossier non\n\
                  conforme (ou un avertissement avec --strict), 2 usage incorrect, fichier\n\
                  illisible ou pack de règles invalide, 130 interrompu (Ctrl-C).",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Commandes",
    help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}"
)]
struct Cli {
    #[command(subcommand)]
    commande: Commande,

    /// Affiche l'aide.
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    aide: Option<bool>,

    /// Affiche la version.
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Commande {
    /// Vérifie un ou plusieurs dossiers (.toml, classeurs, répertoires CSV, ou répertoires qui en contiennent).
    Check {
        /// Dossiers (.toml, .xlsx, .xlsm, .xls, .ods, répertoire CSV) ou répertoires à parcourir.
        #[arg(required = true, value_name = "CHEMIN")]
        chemins: Vec<PathBuf>,

        /// Format de sortie.
        #[arg(long, value_enum, default_value_t = FormatArg::Human, value_name = "FORMAT")]
        format: FormatArg,

        /// Les avertissements font aussi échouer la vérification (code de sortie 1).
        #[arg(long)]
        strict: bool,

        /// Utilise le pack de règles de ce répertoire au lieu des règles embarquées.
        #[arg(long = "rules", value_name = "DOSSIER")]
        regles: Option<PathBuf>,

        /// N'affiche qu'une ligne par dossier et le bilan.
        #[arg(short, long)]
        quiet: bool,

        /// Nombre de dossiers vérifiés en parallèle (par défaut : un par cœur).
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,

        /// Écrit synthese.csv (une ligne par dossier), constats.csv (une ligne par constat, pour Excel), synthese.json et rapport.html dans ce répertoire.
        #[arg(long = "report", value_name = "DOSSIER")]
        rapport: Option<PathBuf>,

        /// Écrit dans ce répertoire une copie annotée de chaque classeur (<nom>.annote.xlsx).
        #[arg(long = "annotate", value_name = "DOSSIER")]
        annoter: Option<PathBuf>,

        /// Remplace les rapports et copies annotées existants.
        #[arg(long)]
        force: bool,

        /// Taille maximale d'un fichier lu, en Mo.
        #[arg(long = "max-size", value_name = "MO", default_value_t = 20)]
        max_size: u64,

        /// Nombre maximal de lignes remplies dans une feuille.
        #[arg(long = "max-rows", value_name = "N", default_value_t = 10_000)]
        max_rows: usize,

        /// Détaille le calcul de chaque constat (montants, seuils) et le pack qui l'a décidé.
        #[arg(long)]
        explain: bool,

        /// Suit les liens d'un répertoire qui mènent hors de lui (par défaut : non suivis, signalés).
        #[arg(long = "follow-links")]
        follow_links: bool,

        /// Traite la règle ID comme une erreur pour cette vérification (répétable).
        #[arg(long = "deny", value_name = "ID")]
        deny: Vec<String>,

        /// Traite la règle ID comme un avertissement (répétable).
        #[arg(long = "warn", value_name = "ID")]
        warn: Vec<String>,

        /// Ignore la règle ID pour cette vérification (répétable).
        #[arg(long = "allow", value_name = "ID")]
        allow: Vec<String>,
    },

    /// Ce que fait verifier-un-dossier.cmd : vérifie ce qui a été déposé, écrit le rapport et les copies annotées à côté, ouvre le rapport et attend Entrée.
    Drop {
        /// Dossiers ou classeurs déposés (par défaut : ceux de la ligne de commande de cmd, que le script transmet dans FNP_LIGNE_DEPOT).
        #[arg(value_name = "CHEMIN")]
        chemins: Vec<PathBuf>,
    },

    /// Explique une règle : ce qu'elle vérifie, où, ses paramètres, sa période, sa source.
    Explain {
        /// Identifiant de la règle (ex. A3V1-OUVERTURE).
        #[arg(value_name = "ID")]
        id: String,

        #[command(flatten)]
        filtres: FiltresArgs,

        /// Utilise le pack de règles de ce répertoire au lieu des règles embarquées.
        #[arg(long = "rules", value_name = "DOSSIER")]
        regles: Option<PathBuf>,
    },

    /// Les packs de règles : lister, vérifier, tester, mesurer l'impact d'un changement.
    #[command(subcommand)]
    Rules(CommandeRegles),

    /// Présente le budget d'un dossier comme la Caf le lit (Cerfa, éligibilité, plafond).
    Budget {
        /// Le fichier du dossier.
        #[arg(value_name = "CHEMIN")]
        chemin: PathBuf,

        /// Format de sortie.
        #[arg(long, value_enum, default_value_t = FormatBudgetArg::Table, value_name = "FORMAT")]
        format: FormatBudgetArg,

        /// Utilise le pack de règles de ce répertoire au lieu des règles embarquées.
        #[arg(long = "rules", value_name = "DOSSIER")]
        regles: Option<PathBuf>,
    },

    /// Le bilan de l'action : prévu et réalisé par compte et par ligne, chiffres du FNP sur le budget réalisé.
    ///
    /// Applique au réalisé les règles BILAN-* du pack (budget équilibré, plafond du financement
    /// Caf, écarts expliqués, indicateurs atteints, natures éligibles), que fnp check n'applique
    /// jamais. Codes de sortie : 0, 1 si l'une donne une erreur, 2 pour un dossier illisible.
    Bilan {
        /// Le dossier complété après l'action (realise, [indicateurs_realises], [bilan]), ou
        /// plusieurs, ou des répertoires de bilans (avec --report pour l'instructeur).
        #[arg(value_name = "CHEMIN", required = true, num_args = 1..)]
        chemins: Vec<PathBuf>,

        /// Pour un lot de bilans : écrit bilans.csv, constats.csv (Excel), bilans.json et rapport.html dans ce répertoire.
        #[arg(long = "report", value_name = "DOSSIER")]
        rapport: Option<PathBuf>,

        /// Dans un répertoire de bilans, suit aussi les liens qui mènent hors de lui.
        #[arg(long = "follow-links")]
        follow_links: bool,

        /// Format de sortie.
        /// (par défaut : selon l'extension de -o, .md, .csv ou .json ; table sinon)
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<FormatBudgetArg>,

        /// Fichier à écrire (« - » : la sortie standard ; par défaut : la sortie standard) ;
        /// .html : le compte rendu à joindre, imprimable en A4.
        #[arg(short, long = "output", value_name = "FICHIER")]
        output: Option<PathBuf>,

        /// Utilise le pack de règles de ce répertoire au lieu des règles embarquées.
        #[arg(long = "rules", value_name = "DOSSIER")]
        regles: Option<PathBuf>,

        /// Remplace le fichier de sortie s'il existe.
        #[arg(long)]
        force: bool,
    },

    /// Produit le document du dossier à envoyer (HTML imprimable ou Markdown).
    Dossier {
        /// Le fichier du dossier.
        #[arg(value_name = "CHEMIN")]
        chemin: PathBuf,

        /// Fichier à écrire (« - » : la sortie standard).
        #[arg(short, long = "output", value_name = "FICHIER")]
        output: PathBuf,

        /// Format du document.
        /// (par défaut : selon l'extension de -o, .md ou .html ; html sinon)
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<FormatDocumentArg>,

        /// Répertoire de modèles qui remplacent, par leur nom, les modèles embarqués.
        #[arg(long = "templates", value_name = "DOSSIER")]
        modeles: Option<PathBuf>,

        /// Utilise le pack de règles de ce répertoire au lieu des règles embarquées.
        #[arg(long = "rules", value_name = "DOSSIER")]
        regles: Option<PathBuf>,

        /// Remplace le fichier de sortie s'il existe.
        #[arg(long)]
        force: bool,
    },

    /// Écrit le classeur vierge à envoyer aux associations (xlsx).
    Template {
        /// Fichier .xlsx à écrire.
        #[arg(short, long = "output", value_name = "FICHIER")]
        output: PathBuf,

        /// Ne garde que les rubriques utiles à ce type d'action, et pré-remplit axe, volet et type.
        #[arg(long = "type", value_name = "TYPE")]
        type_action: Option<String>,

        /// Axe du FNP (1 à 4), avec --volet : ne garde que les rubriques de ce volet.
        #[arg(long, value_name = "AXE", requires = "volet")]
        axe: Option<i64>,

        /// Volet de l'axe (1 ou 2), avec --axe.
        #[arg(long, value_name = "VOLET", requires = "axe")]
        volet: Option<i64>,

        /// Remplace le fichier s'il existe.
        #[arg(long)]
        force: bool,
    },

    /// Convertit un dossier : classeur (ou répertoire CSV) vers TOML, TOML vers classeur.
    Convert {
        /// Le dossier à convertir (.toml, .xlsx, .xlsm, .xls, .ods ou répertoire CSV).
        #[arg(value_name = "ENTREE")]
        entree: PathBuf,

        /// Le fichier à écrire : .xlsx ou .toml (« - » : TOML sur la sortie standard).
        #[arg(short, long = "output", value_name = "SORTIE")]
        output: PathBuf,

        /// Remplace le fichier s'il existe.
        #[arg(long)]
        force: bool,
    },

    /// Écrit un dossier de départ commenté pour un type d'action.
    Init {
        /// Axe du FNP (1 à 4) ; déduit du type s'il est absent.
        #[arg(long, value_name = "AXE")]
        axe: Option<i64>,

        /// Volet de l'axe (1 ou 2) ; déduit du type s'il est absent.
        #[arg(long, value_name = "VOLET")]
        volet: Option<i64>,

        /// Type d'action (ex. cafe-des-parents, lieu-ressource) ; demandé sur un terminal s'il est absent.
        #[arg(long = "type", value_name = "TYPE")]
        type_action: Option<String>,

        /// Fichier à écrire (« - » : la sortie standard).
        #[arg(short, long = "output", value_name = "FICHIER", default_value = "projet.toml")]
        output: PathBuf,

        /// Remplace le fichier s'il existe.
        #[arg(long)]
        force: bool,

        /// Utilise le pack de règles de ce répertoire au lieu des règles embarquées.
        #[arg(long = "rules", value_name = "DOSSIER")]
        regles: Option<PathBuf>,
    },
    /// Affiche l'aide de fnp ou d'une commande (fnp help check).
    #[command(name = "help")]
    Aide {
        /// La commande (et la sous-commande : rules lint).
        #[arg(value_name = "COMMANDE")]
        commande: Vec<String>,
    },

    /// Écrit le script de complétion de fnp pour un shell (bash, zsh, fish, powershell, elvish).
    Completions {
        /// Le shell.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },

    /// Écrit la page de manuel (roff) de fnp ou d'une commande (fnp man check | man -l -).
    Man {
        /// La commande (et la sous-commande : rules lint) ; fnp lui-même si absente.
        #[arg(value_name = "COMMANDE")]
        commande: Vec<String>,
    },
}

#[derive(clap::Args)]
struct FiltresArgs {
    /// Seulement les règles en vigueur pour cet exercice.
    #[arg(long, value_name = "ANNEE")]
    exercice: Option<i64>,

    /// Avec les règles locales de cette Caf (code de département).
    #[arg(long, value_name = "CODE")]
    departement: Option<String>,

    /// Seulement les règles de cet axe.
    #[arg(long, value_name = "AXE")]
    axe: Option<i64>,

    /// Seulement les règles de ce volet.
    #[arg(long, value_name = "VOLET")]
    volet: Option<i64>,
}

impl FiltresArgs {
    pub fn filtres(self) -> crate::commandes::regles::Filtres {
        crate::commandes::regles::Filtres {
            exercice: self.exercice,
            departement: self.departement,
            axe: self.axe,
            volet: self.volet,
        }
    }
}

#[derive(Subcommand)]
#[command(subcommand_help_heading = "Commandes", disable_help_subcommand = true)]
enum CommandeRegles {
    /// Liste les règles (en vigueur pour un exercice, une Caf, un axe, un volet).
    List {
        #[command(flatten)]
        filtres: FiltresArgs,

        /// Format : table, json, ou md (docs/rules.md).
        #[arg(long, value_enum, default_value_t = FormatListeArg::Table, value_name = "FORMAT")]
        format: FormatListeArg,

        /// Utilise le pack de règles de ce répertoire au lieu des règles embarquées.
        #[arg(long = "rules", value_name = "DOSSIER")]
        regles: Option<PathBuf>,
    },

    /// Vérifie un pack de règles (schéma, identifiants, messages, périodes, citations, fraîcheur).
    Lint {
        /// Le répertoire du pack (par défaut : les règles embarquées).
        #[arg(value_name = "DOSSIER")]
        dossier: Option<PathBuf>,

        /// Répertoire des textes sources, pour y chercher chaque citation.
        #[arg(long, value_name = "DOSSIER")]
        sources: Option<PathBuf>,
    },

    /// Joue les cas épinglés (tests/cases/<ID>/declenche, ne-declenche-pas) et la couverture.
    Test {
        /// Le répertoire du pack (par défaut : les règles embarquées).
        #[arg(value_name = "DOSSIER")]
        dossier: Option<PathBuf>,

        /// Le répertoire des cas (par défaut : le dossier cas/ du pack ou voisin de lui, comme
        /// l'écrit fnp rules export ; sinon tests/cases).
        #[arg(long = "cases", value_name = "DOSSIER")]
        cas: Option<PathBuf>,

        /// Réenregistre les résultats attendus (.attendu.toml) après un changement voulu.
        #[arg(long)]
        bless: bool,
    },

    /// Quels dossiers changent de verdict, de constats ou de montant entre deux packs.
    Impact {
        /// Le pack de départ : un répertoire, embarquees (les règles de ce binaire fnp), ou
        /// git:REF (rules/ à une révision, dans un dépôt git).
        #[arg(long, value_name = "PACK")]
        base: String,

        /// Le pack modifié : un répertoire, embarquees, ou git:REF.
        #[arg(long = "head", value_name = "PACK")]
        tete: String,

        /// Les dossiers à vérifier avec les deux packs.
        #[arg(required = true, value_name = "CHEMIN")]
        chemins: Vec<PathBuf>,

        /// Format : human, md (commentaire de pull request) ou json.
        #[arg(long, value_enum, default_value_t = FormatImpactArg::Human, value_name = "FORMAT")]
        format: FormatImpactArg,

        /// Code de sortie 1 si un dossier change.
        #[arg(long = "fail-on-change")]
        fail_on_change: bool,
    },

    /// Écrit les règles embarquées dans un dossier, pour les changer avec fnp seul : les packs
    /// (commentaires compris), leurs cas épinglés (cas/), les dossiers exemples et un LISEZMOI.md.
    Export {
        /// Le dossier à écrire (nouveau, ou vide).
        #[arg(value_name = "DOSSIER")]
        dossier: PathBuf,

        /// Écrit dans un dossier qui n'est pas vide, en remplaçant les fichiers exportés.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatListeArg {
    /// Un tableau.
    Table,
    /// Un tableau JSON.
    Json,
    /// Une page Markdown, une section par règle.
    Md,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatImpactArg {
    /// Un résumé lisible.
    Human,
    /// Markdown, pour un commentaire de pull request.
    Md,
    /// Un objet JSON.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatBudgetArg {
    /// Tableau lisible dans un terminal.
    Table,
    /// Tableaux Markdown.
    Md,
    /// CSV pour Excel en français (séparateur ;, virgule décimale).
    Csv,
    /// Un objet JSON.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatDocumentArg {
    /// Une page HTML autonome, prête à imprimer en A4.
    Html,
    /// Le même contenu en Markdown.
    Md,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Messages lisibles, façon compilateur.
    Human,
    /// Un objet JSON (voir docs/cli.md).
    Json,
    /// JUnit XML : un cas par dossier, un échec par erreur.
    Junit,
    /// SARIF 2.1.0, pour les outils d'analyse.
    Sarif,
    /// Annotations GitHub Actions.
    Github,
}

/// The lower-case extension of an output path (`dossier.MD` → `md`).
fn extension(chemin: &std::path::Path) -> Option<String> {
    chemin.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase)
}

/// The usage error of a `--format` that contradicts the extension of `-o` (cli.md).
fn contredit(format: impl ValueEnum, sortie: Option<&std::path::Path>, precision: &str) -> Arret {
    Arret::Usage(format!(
        "{} : --format {} contredit l'extension de {}{precision} ; gardez l'un ou l'autre\n",
        erreurs::ERREUR,
        nom_valeur(format),
        sortie.map(|p| p.affiche()).unwrap_or_default()
    ))
}

/// A value's name as typed on the command line.
fn nom_valeur(v: impl ValueEnum) -> String {
    v.to_possible_value().map(|p| p.get_name().to_string()).unwrap_or_default()
}

fn convertir(cli: Cli) -> Result<crate::Settings, Arret> {
    Ok(match cli.commande {
        Commande::Check {
            chemins,
            format,
            strict,
            regles,
            quiet,
            jobs,
            rapport,
            annoter,
            force,
            max_size,
            max_rows,
            explain,
            follow_links,
            deny,
            warn,
            allow,
        } => crate::Settings::Check(crate::CheckSettings {
            chemins,
            format: match format {
                FormatArg::Human => crate::Format::Humain,
                FormatArg::Json => crate::Format::Json,
                FormatArg::Junit => crate::Format::Junit,
                FormatArg::Sarif => crate::Format::Sarif,
                FormatArg::Github => crate::Format::Github,
            },
            strict,
            regles,
            silencieux: quiet,
            jobs,
            limites: crate::lecture::limites::Limites {
                taille_max: max_size.saturating_mul(1024 * 1024),
                lignes_max: max_rows,
            },
            rapport,
            annoter,
            force,
            progression: !quiet,
            expliquer: explain,
            suivre_liens: follow_links,
            forcages: deny
                .into_iter()
                .map(|i| (i, Some(crate::rules::Gravite::Erreur)))
                .chain(warn.into_iter().map(|i| (i, Some(crate::rules::Gravite::Avertissement))))
                .chain(allow.into_iter().map(|i| (i, None)))
                .collect(),
        }),
        Commande::Drop { chemins } => crate::Settings::Drop(crate::commandes::depot::DropSettings { chemins }),
        Commande::Explain { id, filtres, regles } => {
            crate::Settings::Explain(crate::commandes::regles::ExplainSettings {
                id,
                regles,
                filtres: filtres.filtres(),
            })
        }
        Commande::Rules(c) => {
            use crate::commandes::regles as r;
            match c {
                CommandeRegles::List { filtres, format, regles } => crate::Settings::RulesList(r::ListeSettings {
                    regles,
                    filtres: filtres.filtres(),
                    format: match format {
                        FormatListeArg::Table => r::FormatListe::Table,
                        FormatListeArg::Json => r::FormatListe::Json,
                        FormatListeArg::Md => r::FormatListe::Markdown,
                    },
                }),
                CommandeRegles::Lint { dossier, sources } => {
                    crate::Settings::RulesLint(r::LintSettings { regles: dossier, sources })
                }
                CommandeRegles::Test { dossier, cas, bless } => {
                    crate::Settings::RulesTest(r::TestSettings { regles: dossier, cas, bless })
                }
                CommandeRegles::Impact { base, tete, chemins, format, fail_on_change } => {
                    crate::Settings::RulesImpact(r::ImpactSettings {
                        base,
                        tete,
                        chemins,
                        format: match format {
                            FormatImpactArg::Human => r::FormatImpact::Humain,
                            FormatImpactArg::Md => r::FormatImpact::Markdown,
                            FormatImpactArg::Json => r::FormatImpact::Json,
                        },
                        echec_si_changement: fail_on_change,
                    })
                }
                CommandeRegles::Export { dossier, force } => {
                    crate::Settings::RulesExport(crate::commandes::export::ExportSettings { dossier, force })
                }
            }
        }
        Commande::Budget { chemin, format, regles } => {
            use crate::commandes::budget::{BudgetSettings, FormatBudget};
            crate::Settings::Budget(BudgetSettings {
                chemin,
                format: match format {
                    FormatBudgetArg::Table => FormatBudget::Table,
                    FormatBudgetArg::Md => FormatBudget::Markdown,
                    FormatBudgetArg::Csv => FormatBudget::Csv,
                    FormatBudgetArg::Json => FormatBudget::Json,
                },
                regles,
            })
        }
        Commande::Bilan { chemins, rapport, follow_links, format, output, regles, force } => {
            use crate::commandes::bilan::{BilanSettings, FormatBilan};
            let selon_extension = match output.as_deref().filter(|p| p.as_os_str() != "-").map(extension) {
                None | Some(None) => None,
                Some(Some(e)) => match e.as_str() {
                    "md" | "markdown" => Some(FormatBudgetArg::Md),
                    "csv" => Some(FormatBudgetArg::Csv),
                    "json" => Some(FormatBudgetArg::Json),
                    "txt" => Some(FormatBudgetArg::Table),
                    _ => None,
                },
            };
            // The document to attach: `-o bilan.html`, a format of its own.
            let html = output.as_deref().and_then(extension).is_some_and(|e| e == "html" || e == "htm");
            if html && let Some(f) = format {
                return Err(contredit(f, output.as_deref(), " (le document HTML)"));
            }
            let format = match (format, selon_extension) {
                (Some(f), Some(e)) if f != e => {
                    return Err(contredit(f, output.as_deref(), ""));
                }
                (Some(f), _) | (None, Some(f)) => f,
                (None, None) => FormatBudgetArg::Table,
            };
            crate::Settings::Bilan(BilanSettings {
                chemins,
                rapport,
                suivre_liens: follow_links,
                format: match format {
                    _ if html => FormatBilan::Html,
                    FormatBudgetArg::Table => FormatBilan::Table,
                    FormatBudgetArg::Md => FormatBilan::Markdown,
                    FormatBudgetArg::Csv => FormatBilan::Csv,
                    FormatBudgetArg::Json => FormatBilan::Json,
                },
                sortie: output,
                regles,
                force,
            })
        }
        Commande::Template { output, type_action, axe, volet, force } => {
            crate::Settings::Template(crate::commandes::classeur::TemplateSettings {
                sortie: output,
                type_action,
                axe_volet: axe.zip(volet),
                force,
            })
        }
        Commande::Convert { entree, output, force } => {
            crate::Settings::Convert(crate::commandes::classeur::ConvertSettings { entree, sortie: output, force })
        }
        Commande::Init { axe, volet, type_action, output, force, regles } => {
            crate::Settings::Init(crate::commandes::init::InitSettings {
                axe,
                volet,
                type_action,
                sortie: output,
                force,
                regles,
            })
        }
        Commande::Aide { commande } => return Err(aide_de(&commande)),
        Commande::Completions { shell } => return Err(Arret::Sortie(completions(shell), 0)),
        Commande::Man { commande } => return Err(man(&commande)),
        Commande::Dossier { chemin, output, format, modeles, regles, force } => {
            use crate::commandes::dossier::{DossierSettings, FormatDocument};
            let selon_extension = match extension(&output).as_deref() {
                Some("md" | "markdown") => Some(FormatDocumentArg::Md),
                Some("html" | "htm") => Some(FormatDocumentArg::Html),
                _ => None,
            };
            let format = match (format, selon_extension) {
                (Some(f), Some(e)) if f != e => {
                    return Err(contredit(f, Some(&output), ""));
                }
                (Some(f), _) | (None, Some(f)) => f,
                (None, None) => FormatDocumentArg::Html,
            };
            crate::Settings::Dossier(DossierSettings {
                chemin,
                sortie: Some(output),
                format: match format {
                    FormatDocumentArg::Html => FormatDocument::Html,
                    FormatDocumentArg::Md => FormatDocument::Markdown,
                },
                modeles,
                regles,
                force,
            })
        }
    })
}

#[cfg(test)]
mod tests_nom {
    use super::*;

    /// Started as `fnp.exe` (Windows) or from a path, fnp calls itself `fnp` in its usage.
    #[test]
    fn the_program_is_named_fnp_whatever_its_file() {
        for programme in ["fnp.exe", "C:\\Outils\\fnp.exe", "/opt/fnp/bin/fnp-1.0"] {
            let Err(Arret::Usage(texte)) = analyser([programme, "check", "--nope"]) else {
                panic!("{programme}: a usage error expected");
            };
            assert!(texte.contains("fnp check"), "{programme}: {texte}");
            assert!(!texte.contains(".exe") && !texte.contains("fnp-1.0"), "{programme}: {texte}");
        }
    }
}
