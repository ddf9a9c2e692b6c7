//! The default output: findings shown like a compiler's diagnostics, in French.
//!
//! ```text
//! erreur[A3V1-OUVERTURE]: le lieu ouvre 4 demi-journées par semaine au public ; il en faut au moins 5
//!   --> projet.toml:27:27
//!    |
//! 27 | demi_journees_ouverture = 4
//!    |                           ^
//!    = source : Cnaf — Fonds national parentalité, fiches thématiques par axe et par volet, Axe 3 – Volet 1 – L'amplitude d'ouverture
//!      « une exigence de 5 demi-journées d'ouverture physique au public par semaine minimum … »
//! ```
//!
//! Styles are written as ANSI sequences; the caller's stream strips them when the output is
//! not a terminal or `NO_COLOR` is set.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::{Rapport, Synthese, pluriel, visible};
use crate::budget::Budget;
use crate::check::{Constat, Resultat, Verdict};
use crate::model::montant::format_decimal_fr;
use crate::rules::Gravite;

#[derive(Default)]
pub struct Humain {
    /// Only one line per dossier and the summary.
    pub silencieux: bool,
    /// Show the arithmetic behind each finding.
    pub expliquer: bool,
    /// Dossiers written so far.
    pub deja_ecrits: usize,
}

const GRAS: Style = Style::new().bold();
const BLEU: Style = AnsiColor::Blue.on_default().bold();

fn style_gravite(g: Gravite) -> Style {
    match g {
        Gravite::Erreur => AnsiColor::Red.on_default().bold(),
        Gravite::Avertissement => AnsiColor::Yellow.on_default().bold(),
        Gravite::Info => AnsiColor::Cyan.on_default().bold(),
    }
}

fn style_verdict(v: Verdict) -> Style {
    match v {
        Verdict::Conforme => AnsiColor::Green.on_default().bold(),
        Verdict::AVerifier => AnsiColor::Yellow.on_default().bold(),
        Verdict::NonConforme | Verdict::Illisible => AnsiColor::Red.on_default().bold(),
    }
}

impl Rapport for Humain {
    fn dossier(&mut self, r: &Resultat, sortie: &mut dyn Write) -> io::Result<()> {
        // In a batch, a blank line separates the dossiers.
        if self.deja_ecrits > 0 && !self.silencieux {
            writeln!(sortie)?;
        }
        self.deja_ecrits += 1;
        if !self.silencieux {
            for c in &r.constats {
                constat(sortie, c, r.texte.as_deref(), self.expliquer)?;
            }
        }
        verdict(sortie, r)?;
        // One line per dossier: an unreadable one says why on the next (issue 33: the
        // console never leaves the reason to the report alone).
        if self.silencieux && r.verdict == Verdict::Illisible {
            for c in &r.constats {
                writeln!(sortie, "  {}", visible(&c.message))?;
            }
        }
        if !self.silencieux {
            match &r.budget {
                Some(b) => budget(sortie, b)?,
                None if r.verdict != Verdict::Illisible => {
                    writeln!(sortie, "  budget : non calculé, une ligne du budget n'a pas pu être lue")?
                }
                None => {}
            }
        }
        Ok(())
    }

    fn fin(&mut self, s: &Synthese, sortie: &mut dyn Write) -> io::Result<()> {
        if !s.ignores.is_empty() {
            let n: usize = s.ignores.values().sum();
            let sortes: Vec<String> = s.ignores.iter().map(|(e, k)| format!("{e} ({k})")).collect();
            writeln!(
                sortie,
                "{} : {} — fnp lit les .toml, .xlsx, .xlsm, .xls, .ods et les répertoires CSV",
                pluriel(n, "fichier ignoré", "fichiers ignorés"),
                sortes.join(", ")
            )?;
        }
        if s.dossiers <= 1 {
            return Ok(());
        }
        if !self.silencieux {
            writeln!(sortie)?;
        }
        writeln!(
            sortie,
            "{GRAS}Synthèse{GRAS:#} : {} — {} conforme{}, {} à vérifier, {} non conforme{}, {} illisible{}",
            pluriel(s.dossiers, "dossier", "dossiers"),
            s.conforme,
            if s.conforme > 1 { "s" } else { "" },
            s.a_verifier,
            s.non_conforme,
            if s.non_conforme > 1 { "s" } else { "" },
            s.illisible,
            if s.illisible > 1 { "s" } else { "" },
        )?;
        if s.bilans > 0 {
            let incomplets = s.bilans - s.bilans_complets;
            writeln!(
                sortie,
                "  dont {} de l'action (règles du bilan appliquées) : {} complet{}, {} incomplet{}",
                pluriel(s.bilans, "bilan", "bilans"),
                s.bilans_complets,
                if s.bilans_complets > 1 { "s" } else { "" },
                incomplets,
                if incomplets > 1 { "s" } else { "" },
            )?;
        }
        if !s.par_volet.is_empty() {
            let volets: Vec<String> = s.par_volet.iter().map(|(v, n)| format!("{v} : {n}")).collect();
            writeln!(sortie, "  par axe et volet : {}", volets.join(" · "))?;
        }
        if !s.regles_frequentes.is_empty() {
            let regles: Vec<String> =
                s.regles_frequentes.iter().take(5).map(|f| format!("{} ({})", f.regle, f.dossiers)).collect();
            writeln!(sortie, "  règles les plus fréquentes : {}", regles.join(", "))?;
        }
        writeln!(
            sortie,
            "  demandé au FNP : {} · finançable au plus : {}",
            euros(s.total_demande_fnp),
            euros(s.total_montant_max_fnp)
        )
    }
}

fn constat(sortie: &mut dyn Write, c: &Constat, texte: Option<&str>, expliquer: bool) -> io::Result<()> {
    let sg = style_gravite(c.gravite);
    // Everything that comes from a dossier, a file name or a pack goes through `visible`.
    writeln!(sortie, "{sg}{}[{}]{sg:#}{GRAS}: {}{GRAS:#}", c.gravite, visible(&c.regle), visible(&c.message))?;
    let e = &c.emplacement;
    let ou = e.lieu();
    let ou = visible(&ou);
    let ligne = e.ligne.unwrap_or(0);
    let marge = " ".repeat(ligne.to_string().len().max(2));
    writeln!(sortie, "{marge}{BLEU}-->{BLEU:#} {ou}")?;
    if let (Some(texte), Some(l), Some(col), Some(etendue)) = (texte, e.ligne, e.colonne, &e.etendue)
        && let Some(contenu) = texte.lines().nth(l - 1)
    {
        let contenu = contenu.trim_end_matches('\r');
        let reste = contenu.chars().count().saturating_sub(col - 1);
        let longueur_etendue = texte.get(etendue.clone()).map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
        let largeur = longueur_etendue.clamp(1, reste.max(1));
        writeln!(sortie, "{marge} {BLEU}|{BLEU:#}")?;
        writeln!(sortie, "{BLEU}{l:>w$}{BLEU:#} {BLEU}|{BLEU:#} {}", visible(contenu), w = marge.len())?;
        let decalage: String = contenu.chars().take(col - 1).map(|ch| if ch == '\t' { '\t' } else { ' ' }).collect();
        writeln!(sortie, "{marge} {BLEU}|{BLEU:#} {decalage}{sg}{}{sg:#}", "^".repeat(largeur))?;
    }
    if let (true, Some(calcul)) = (expliquer, &c.calcul) {
        writeln!(sortie, "{marge} {BLEU}={BLEU:#} {GRAS}calcul{GRAS:#} : {}", visible(calcul))?;
    }
    if expliquer && c.pack.as_deref().is_some_and(|p| p != "national") {
        writeln!(
            sortie,
            "{marge} {BLEU}={BLEU:#} {GRAS}décidé par{GRAS:#} : {}",
            c.pack.as_deref().unwrap_or_default()
        )?;
    }
    if c.source_titre.is_some() || c.citation.is_some() {
        let mut ref_source = c.source_titre.clone().unwrap_or_default();
        if let Some(section) = &c.section {
            ref_source.push_str(&format!(", {section}"));
        }
        writeln!(sortie, "{marge} {BLEU}={BLEU:#} {GRAS}source{GRAS:#} : {}", visible(&ref_source))?;
        if let Some(citation) = &c.citation {
            writeln!(sortie, "{marge}   « {} »", visible(citation))?;
        }
    }
    if let Some(surcharge) = &c.surcharge {
        writeln!(sortie, "{marge}   ({})", visible(surcharge))?;
    }
    writeln!(sortie)
}

fn verdict(sortie: &mut dyn Write, r: &Resultat) -> io::Result<()> {
    let c = r.compteurs();
    let sv = style_verdict(r.verdict);
    let details = if r.verdict == Verdict::Illisible {
        String::new()
    } else {
        format!(
            " ({}, {}, {})",
            pluriel(c.erreur, "erreur", "erreurs"),
            pluriel(c.avertissement, "avertissement", "avertissements"),
            pluriel(c.info, "information", "informations")
        )
    };
    // Rules v4: a dossier that holds a bilan says so, with its completeness, beside its verdict.
    let bilan = r.bilan.as_ref().map(|b| format!("bilan {}, ", b.etat())).unwrap_or_default();
    let copie = if r.copie_de_fnp { " — copie annotée par fnp, inchangée" } else { "" };
    writeln!(
        sortie,
        "{GRAS}{}{GRAS:#} : {bilan}{sv}{}{sv:#}{details}{copie}",
        visible(&r.source),
        r.verdict.libelle()
    )?;
    if let Some(b) = r.bilan.as_ref().filter(|b| !b.complet) {
        const MONTREES: usize = 5;
        let (premieres, reste) = b.lignes_non_renseignees.split_at(b.lignes_non_renseignees.len().min(MONTREES));
        let mut liste = premieres.join(", ");
        if !reste.is_empty() {
            liste.push_str(&format!(" et {} de plus", reste.len()));
        }
        writeln!(
            sortie,
            "  bilan incomplet : réalisé à indiquer pour {} ; les totaux réalisés ne sont pas vérifiés avant",
            visible(&liste)
        )?;
    }
    Ok(())
}

fn euros(d: rust_decimal::Decimal) -> String {
    format!("{}\u{a0}€", format_decimal_fr(d, 2))
}

fn budget(sortie: &mut dyn Write, b: &Budget) -> io::Result<()> {
    writeln!(
        sortie,
        "  budget : charges {} · éligibles {} · plafond Caf {} · financement Caf {} · demande FNP {} · maximum FNP {}",
        euros(b.total_charges),
        euros(b.total_eligible),
        euros(b.plafond_caf),
        euros(b.financement_caf),
        euros(b.demande_fnp),
        euros(b.montant_max_fnp),
    )?;
    match &b.explication {
        Some(phrase) => writeln!(sortie, "  {}", visible(phrase)),
        None => Ok(()),
    }
}
