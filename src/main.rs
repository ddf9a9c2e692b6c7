//! The `fnp` binary: parses the command line, calls `fnp::run`, maps the outcome to an exit
//! code. Nothing else.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};

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
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
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

        /// Écrit synthese.csv, synthese.json et rapport.html dans ce répertoire.
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

    /// Explique une règle : ce qu'elle vérifie, où, ses paramètres, sa période, sa source.
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
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
    #[command(subcommand, help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
    Rules(CommandeRegles),

    /// Présente le budget d'un dossier comme la Caf le lit (Cerfa, éligibilité, plafond).
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
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

    /// Produit le document du dossier à envoyer (HTML imprimable ou Markdown).
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
    Dossier {
        /// Le fichier du dossier.
        #[arg(value_name = "CHEMIN")]
        chemin: PathBuf,

        /// Fichier à écrire (« - » : la sortie standard).
        #[arg(short, long = "output", value_name = "FICHIER")]
        output: PathBuf,

        /// Format du document.
        #[arg(long, value_enum, default_value_t = FormatDocumentArg::Html, value_name = "FORMAT")]
        format: FormatDocumentArg,

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
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
    Template {
        /// Fichier .xlsx à écrire.
        #[arg(short, long = "output", value_name = "FICHIER")]
        output: PathBuf,

        /// Ne garde que les rubriques utiles à ce type d'action.
        #[arg(long = "type", value_name = "TYPE")]
        type_action: Option<String>,

        /// Remplace le fichier s'il existe.
        #[arg(long)]
        force: bool,
    },

    /// Convertit un dossier : classeur (ou répertoire CSV) vers TOML, TOML vers classeur.
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
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
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
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
    fn filtres(self) -> fnp::commandes::regles::Filtres {
        fnp::commandes::regles::Filtres {
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
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
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
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
    Lint {
        /// Le répertoire du pack (par défaut : les règles embarquées).
        #[arg(value_name = "DOSSIER")]
        dossier: Option<PathBuf>,

        /// Répertoire des textes sources, pour y chercher chaque citation.
        #[arg(long, value_name = "DOSSIER")]
        sources: Option<PathBuf>,
    },

    /// Joue les cas épinglés (tests/cases/<ID>/declenche, ne-declenche-pas) et la couverture.
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
    Test {
        /// Le répertoire du pack (par défaut : les règles embarquées).
        #[arg(value_name = "DOSSIER")]
        dossier: Option<PathBuf>,

        /// Le répertoire des cas.
        #[arg(long = "cases", value_name = "DOSSIER", default_value = "tests/cases")]
        cas: PathBuf,

        /// Réenregistre les résultats attendus (.attendu.toml) après un changement voulu.
        #[arg(long)]
        bless: bool,
    },

    /// Quels dossiers changent de verdict, de constats ou de montant entre deux packs.
    #[command(help_template = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")]
    Impact {
        /// Le pack de départ : un répertoire, ou git:REF (rules/ à une révision).
        #[arg(long, value_name = "PACK")]
        base: String,

        /// Le pack modifié : un répertoire, ou git:REF.
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

#[derive(Clone, Copy, ValueEnum)]
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

#[derive(Clone, Copy, ValueEnum)]
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

// Reading workbooks allocates many small strings on every core: mimalloc makes a batch
// check about a tenth faster than the system allocator (docs/performance.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATEUR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    fnp::io::installer_crochet_panique();
    let cli = Cli::parse();
    let settings = match cli.commande {
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
            deny,
            warn,
            allow,
        } => fnp::Settings::Check(fnp::CheckSettings {
            chemins,
            format: match format {
                FormatArg::Human => fnp::Format::Humain,
                FormatArg::Json => fnp::Format::Json,
                FormatArg::Junit => fnp::Format::Junit,
                FormatArg::Sarif => fnp::Format::Sarif,
                FormatArg::Github => fnp::Format::Github,
            },
            strict,
            regles,
            silencieux: quiet,
            jobs,
            limites: fnp::io::classeur::Limites {
                taille_max: max_size.saturating_mul(1024 * 1024),
                lignes_max: max_rows,
            },
            rapport,
            annoter,
            force,
            progression: !quiet,
            expliquer: explain,
            forcages: deny
                .into_iter()
                .map(|i| (i, Some(fnp::rules::Gravite::Erreur)))
                .chain(warn.into_iter().map(|i| (i, Some(fnp::rules::Gravite::Avertissement))))
                .chain(allow.into_iter().map(|i| (i, None)))
                .collect(),
        }),
        Commande::Explain { id, filtres, regles } => {
            fnp::Settings::Explain(fnp::commandes::regles::ExplainSettings { id, regles, filtres: filtres.filtres() })
        }
        Commande::Rules(c) => {
            use fnp::commandes::regles as r;
            match c {
                CommandeRegles::List { filtres, format, regles } => fnp::Settings::RulesList(r::ListeSettings {
                    regles,
                    filtres: filtres.filtres(),
                    format: match format {
                        FormatListeArg::Table => r::FormatListe::Table,
                        FormatListeArg::Json => r::FormatListe::Json,
                        FormatListeArg::Md => r::FormatListe::Markdown,
                    },
                }),
                CommandeRegles::Lint { dossier, sources } => {
                    fnp::Settings::RulesLint(r::LintSettings { regles: dossier, sources })
                }
                CommandeRegles::Test { dossier, cas, bless } => {
                    fnp::Settings::RulesTest(r::TestSettings { regles: dossier, cas, bless })
                }
                CommandeRegles::Impact { base, tete, chemins, format, fail_on_change } => {
                    fnp::Settings::RulesImpact(r::ImpactSettings {
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
            }
        }
        Commande::Budget { chemin, format, regles } => {
            use fnp::commandes::budget::{BudgetSettings, FormatBudget};
            fnp::Settings::Budget(BudgetSettings {
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
        Commande::Template { output, type_action, force } => {
            fnp::Settings::Template(fnp::commandes::classeur::TemplateSettings { sortie: output, type_action, force })
        }
        Commande::Convert { entree, output, force } => {
            fnp::Settings::Convert(fnp::commandes::classeur::ConvertSettings { entree, sortie: output, force })
        }
        Commande::Init { axe, volet, type_action, output, force, regles } => {
            fnp::Settings::Init(fnp::commandes::init::InitSettings {
                axe,
                volet,
                type_action,
                sortie: output,
                force,
                regles,
            })
        }
        Commande::Dossier { chemin, output, format, modeles, regles, force } => {
            use fnp::commandes::dossier::{DossierSettings, FormatDocument};
            fnp::Settings::Dossier(DossierSettings {
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
    };
    // Ctrl-C lets a batch stop cleanly: no report half-written, no temporary file left.
    let _ = ctrlc::set_handler(fnp::interrompre);
    // Machine formats carry no colour: they skip the colour-stripping layer.
    let machine = matches!(&settings, fnp::Settings::Check(c) if !matches!(c.format, fnp::Format::Humain));
    let mut sortie: Box<dyn std::io::Write> =
        if machine { Box::new(std::io::stdout().lock()) } else { Box::new(anstream::stdout().lock()) };
    match fnp::run(settings, &mut sortie) {
        Ok(code) => ExitCode::from(code),
        Err(e @ fnp::Erreur::Interrompu) => {
            let _ = std::io::Write::flush(&mut sortie);
            anstream::eprintln!("{e}");
            ExitCode::from(fnp::code::INTERROMPU)
        }
        Err(e) => {
            let rouge = anstyle::AnsiColor::Red.on_default().bold();
            let _ = std::io::Write::flush(&mut sortie);
            anstream::eprintln!("{rouge}erreur{rouge:#} : {e}");
            ExitCode::from(fnp::code::ECHEC)
        }
    }
}
