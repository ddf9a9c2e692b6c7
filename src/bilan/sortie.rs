//! `fnp bilan` output formats, as `fnp budget`'s: a terminal table, Markdown, CSV for French
//! Excel, JSON.

use std::io::{self, Write};

use rust_decimal::Decimal;
use serde::Serialize;

use super::calcul::{Bilan, Comparaison, GroupeBilan, LigneBilan};
use crate::budget::Budget;
use crate::budget::sortie::{EnTete, euros};
use crate::check::{Compteurs, Constat, Verdict};
use crate::ecriture::tableur;
use crate::model::montant::{format_decimal_fr, format_nombre_fr};
use crate::report::pluriel;

const NON_RENSEIGNE: &str = "non renseigné";
const TIRET: &str = "—";

pub(super) fn realise(c: &Comparaison) -> String {
    c.realise.map_or_else(|| NON_RENSEIGNE.to_string(), euros)
}

pub(super) fn ecart(c: &Comparaison) -> String {
    c.ecart.map_or_else(|| TIRET.to_string(), |e| signe(euros(e), e))
}

pub(super) fn pourcent(c: &Comparaison) -> String {
    c.ecart_pourcent.map_or_else(|| TIRET.to_string(), |p| signe(format!("{}\u{a0}%", format_decimal_fr(p, 1)), p))
}

/// A gap with its sign: `+300,00 €`, `-40,00 €`, `0,00 €`.
fn signe(texte: String, v: Decimal) -> String {
    if v > Decimal::ZERO { format!("+{texte}") } else { texte }
}

pub(super) fn nombre(v: Option<Decimal>) -> String {
    v.map_or_else(|| NON_RENSEIGNE.to_string(), format_nombre_fr)
}

/// Why the actual figures are missing, when they are.
pub(super) fn incomplet(b: &Bilan) -> Option<String> {
    (!b.complet).then(|| {
        format!(
            "Bilan incomplet : {} sans montant réalisé ({}) ; les totaux réalisés et les chiffres du FNP sur le budget réalisé ne sont pas calculés.",
            if b.non_renseignees.len() > 1 {
                format!("{} lignes", b.non_renseignees.len())
            } else {
                "1 ligne".to_string()
            },
            b.non_renseignees_libelles.join(", ")
        )
    })
}

/// Completeness and conformity in one sentence, at the top of the table and the Markdown:
/// « Bilan complet, non conforme : 2 erreurs (voir « Constats du bilan »). »
pub(super) fn verdict(b: &Bilan) -> String {
    let c = Compteurs::de(&b.constats);
    let texte = super::lot::etat_et_verdict(b.complet, &c);
    let mut t = majuscule(&texte);
    // The parts that hold something to correct or check.
    let a_voir: Vec<String> = parts(b)
        .into_iter()
        .filter(|(_, constats)| {
            let c = Compteurs::de(constats);
            c.erreur + c.avertissement > 0
        })
        .map(|(titre, _)| format!("« {} »", majuscule(&titre.to_lowercase())))
        .collect();
    if !a_voir.is_empty() {
        t.push_str(&format!(" (voir {})", a_voir.join(" et ")));
    }
    t.push('.');
    t
}

pub(super) use crate::model::schema::majuscule;

/// The fund's figures: (label, planned, actual).
pub fn lignes_fnp(b: &Bilan) -> Vec<(String, String, String)> {
    let f = &b.fnp;
    let r = f.realise.as_ref();
    let paire = |libelle: &str, champ: fn(&Budget) -> Decimal| {
        (libelle.to_string(), euros(champ(&f.prevu)), r.map_or_else(|| TIRET.to_string(), |r| euros(champ(r))))
    };
    vec![
        paire("Total des charges", |x| x.total_charges),
        paire("Dépenses éligibles au FNP", |x| x.total_eligible),
        paire("Base du plafond", |x| x.base_plafond),
        paire("Plafond du financement Caf", |x| x.plafond_caf),
        paire("Financement Caf (FNP et autres)", |x| x.financement_caf),
        paire("Financement demandé au FNP", |x| x.demande_fnp),
        paire("Montant FNP maximal finançable", |x| x.montant_max_fnp),
    ]
}

/// The amounts against the grant: (label, value, whether it is fnp's own computation).
pub fn lignes_accorde(b: &Bilan) -> Vec<(String, String, bool)> {
    let f = &b.fnp;
    let accorde = f.montant_fnp_accorde.map_or_else(|| "non renseigné".into(), euros);
    let justifie = match (f.montant_fnp_justifie, f.realise.is_some()) {
        (Some(j), _) => euros(j),
        (None, false) => "non calculé : bilan incomplet".into(),
        (None, true) => "non calculé : montant accordé non renseigné".into(),
    };
    let mut v = vec![
        ("Montant FNP accordé par la Caf".to_string(), accorde, false),
        ("Montant FNP justifié par les dépenses réalisées".to_string(), justifie, true),
    ];
    if let Some(e) = f.ecart_accorde {
        v.push(("Écart avec le montant accordé".into(), signe(euros(e), e), true));
    }
    v
}

/// The counts of the bilan's findings: `1 erreur, 0 avertissement, 2 informations`.
pub fn compte_constats(c: &Compteurs) -> String {
    format!(
        "{}, {}, {}",
        pluriel(c.erreur, "erreur", "erreurs"),
        pluriel(c.avertissement, "avertissement", "avertissements"),
        pluriel(c.info, "information", "informations")
    )
}

/// The source of a finding as people read it: its title and section, then its sentence.
fn source_constat(c: &Constat) -> Option<(String, Option<&str>)> {
    let titre = c.source_titre.clone()?;
    let avec_section = match &c.section {
        Some(s) => format!("{titre}, {s}"),
        None => titre,
    };
    Some((avec_section, c.citation.as_deref()))
}

/// The findings in the terminal table, the bilan's then the dossier's (rules v4: one verdict
/// with `fnp check`): as `fnp check` shows them, without colour (the table may go to a file).
fn constats_table(b: &Bilan, sortie: &mut dyn Write) -> io::Result<()> {
    for (titre, constats) in parts(b) {
        writeln!(sortie)?;
        if constats.is_empty() {
            writeln!(sortie, "{titre} : aucun")?;
            continue;
        }
        writeln!(sortie, "{titre} ({})", compte_constats(&Compteurs::de(constats)))?;
        for c in constats {
            writeln!(sortie, "{}[{}]: {}", c.gravite, c.regle, c.message)?;
            writeln!(sortie, "  --> {} ({})", c.emplacement.lieu(), c.lieu)?;
            if let Some((source, citation)) = source_constat(c) {
                writeln!(sortie, "   = source : {source}")?;
                if let Some(q) = citation {
                    writeln!(sortie, "     « {q} »")?;
                }
            }
            if let Some(s) = &c.surcharge {
                writeln!(sortie, "     ({s})")?;
            }
        }
    }
    Ok(())
}

/// The bilan's findings and the dossier's, each with the heading of its part.
fn parts(b: &Bilan) -> [(&'static str, &[crate::check::Constat]); 2] {
    let (bilan, dossier) = b.constats.split_at(b.constats_du_bilan.min(b.constats.len()));
    [("CONSTATS DU BILAN", bilan), ("CONSTATS DU DOSSIER", dossier)]
}

/// The findings as Markdown lists, the bilan's then the dossier's.
fn constats_md(b: &Bilan, sortie: &mut dyn Write) -> io::Result<()> {
    for (titre, constats) in parts(b) {
        let titre = majuscule(&titre.to_lowercase());
        if constats.is_empty() {
            writeln!(sortie, "\n## {titre}\n\nAucun constat.")?;
            continue;
        }
        writeln!(sortie, "\n## {titre}\n\n{}.\n", compte_constats(&Compteurs::de(constats)))?;
        for c in constats {
            // A document: the finding in words, no key, cell or syntax (render::mots).
            let message = crate::render::mots::en_mots(&c.message);
            let lieu = crate::render::mots::lieu_document(&c.emplacement);
            writeln!(sortie, "- **{}** `{}` : {} — {}", c.gravite, c.regle, md(&message), md(&lieu))?;
            if let Some((source, citation)) = source_constat(c) {
                let q = citation.map(|q| format!(" : « {} »", md(q))).unwrap_or_default();
                writeln!(sortie, "  - source : {}{q}", md(&source))?;
            }
            if let Some(s) = &c.surcharge {
                writeln!(sortie, "  - ({})", md(s))?;
            }
        }
    }
    Ok(())
}

/// A label cut to `n` characters, `…` at the end (the terminal table keeps its columns).
fn coupe(texte: &str, n: usize) -> String {
    if texte.chars().count() <= n {
        return texte.to_string();
    }
    let mut t: String = texte.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

pub(super) fn titre_groupe(g: &GroupeBilan) -> String {
    g.numero.as_ref().map_or_else(|| g.libelle.clone(), |n| format!("{n} {}", g.libelle))
}

const L: usize = 50;

fn ligne_table(sortie: &mut dyn Write, gauche: &str, c: &Comparaison) -> io::Result<()> {
    let gauche = coupe(gauche, L - 1);
    let pad = L.saturating_sub(gauche.chars().count());
    writeln!(
        sortie,
        "{gauche}{}{:>14}{:>15}{:>15}{:>10}",
        " ".repeat(pad),
        euros(c.prevu),
        realise(c),
        ecart(c),
        pourcent(c)
    )
}

fn lignes_table(sortie: &mut dyn Write, lignes: &[LigneBilan], compte: bool) -> io::Result<()> {
    for l in lignes {
        let gauche = if compte {
            let numero = crate::budget::cerfa::numero(&l.compte).unwrap_or_else(|| TIRET.into());
            format!("  {numero:<5} {}", l.libelle)
        } else {
            format!("  {}", l.libelle)
        };
        ligne_table(sortie, &gauche, &l.montants)?;
        if let Some(x) = &l.explication {
            writeln!(sortie, "        ↳ {x}")?;
        }
    }
    Ok(())
}

/// The terminal table.
pub fn table(e: &EnTete, b: &Bilan, sortie: &mut dyn Write) -> io::Result<()> {
    writeln!(sortie, "Compte rendu financier de l'action : {}", e.titre())?;
    writeln!(sortie, "{}", e.sous_titre())?;
    if let Some(d) = b.date {
        writeln!(sortie, "Bilan établi le {}", d.fr())?;
    }
    writeln!(sortie, "\n{}", verdict(b))?;
    if let Some(t) = incomplet(b) {
        writeln!(sortie, "\n{t}")?;
    }
    writeln!(sortie)?;
    let entete = |sortie: &mut dyn Write, titre: &str| {
        let pad = L.saturating_sub(titre.chars().count());
        writeln!(sortie, "{titre}{}{:>14}{:>15}{:>15}{:>10}", " ".repeat(pad), "prévu", "réalisé", "écart", "écart %")
    };
    entete(sortie, "CHARGES")?;
    for c in &b.charges {
        ligne_table(sortie, &titre_groupe(c), &c.total)?;
        lignes_table(sortie, &c.lignes, true)?;
    }
    ligne_table(sortie, "TOTAL DES CHARGES", &b.total_charges)?;
    writeln!(sortie)?;
    entete(sortie, "PRODUITS")?;
    for g in &b.produits {
        ligne_table(sortie, &titre_groupe(g), &g.total)?;
        lignes_table(sortie, &g.lignes, false)?;
    }
    ligne_table(sortie, "TOTAL DES PRODUITS", &b.total_produits)?;
    if !b.contributions.is_empty() {
        writeln!(sortie)?;
        entete(sortie, "CONTRIBUTIONS VOLONTAIRES EN NATURE (86 = 87)")?;
        lignes_table(sortie, &b.contributions, false)?;
        ligne_table(sortie, "TOTAL DES CONTRIBUTIONS", &b.total_contributions)?;
    }
    writeln!(sortie)?;
    let largeur = L + 30;
    writeln!(sortie, "┌─ Fonds national parentalité {}", "─".repeat(largeur - 30))?;
    writeln!(sortie, "│ {:w$}{:>14}{:>15}", "", "prévu", "réalisé", w = L - 2)?;
    for (libelle, prevu, reel) in lignes_fnp(b) {
        let pad = (L - 2).saturating_sub(libelle.chars().count());
        writeln!(sortie, "│ {libelle}{}{prevu:>14}{reel:>15}", " ".repeat(pad))?;
    }
    writeln!(sortie, "│")?;
    for (libelle, montant, _) in lignes_accorde(b) {
        let pad = (L - 2).saturating_sub(libelle.chars().count());
        writeln!(sortie, "│ {libelle}{}{:>14}{montant:>15}", " ".repeat(pad), "")?;
    }
    writeln!(sortie, "│ (montant justifié et écart : {})", super::calcul::AVERTISSEMENT)?;
    writeln!(sortie, "└{}", "─".repeat(largeur))?;
    if !b.indicateurs.is_empty() {
        writeln!(sortie)?;
        let pad = L.saturating_sub("INDICATEURS".len());
        writeln!(sortie, "INDICATEURS{}{:>14}{:>15}", " ".repeat(pad), "prévu", "réalisé")?;
        for i in &b.indicateurs {
            let gauche = coupe(&format!("  {}", i.libelle), L - 1);
            let pad = L.saturating_sub(gauche.chars().count());
            writeln!(sortie, "{gauche}{}{:>14}{:>15}", " ".repeat(pad), nombre(i.prevu), nombre(i.realise))?;
        }
    }
    if let Some(c) = &b.commentaire {
        writeln!(sortie, "\nCommentaire du porteur : {c}")?;
    }
    constats_table(b, sortie)
}

fn md(texte: &str) -> String {
    crate::render::echapper_markdown(texte)
}

fn ligne_md(sortie: &mut dyn Write, compte: &str, libelle: &str, c: &Comparaison, explication: &str) -> io::Result<()> {
    writeln!(
        sortie,
        "| {compte} | {libelle} | {} | {} | {} | {} | {explication} |",
        euros(c.prevu),
        realise(c),
        ecart(c),
        pourcent(c)
    )
}

fn groupes_md(sortie: &mut dyn Write, groupes: &[GroupeBilan], compte: bool) -> io::Result<()> {
    for g in groupes {
        let numero = g.numero.as_ref().map(|n| format!("**{n}**")).unwrap_or_default();
        ligne_md(sortie, &numero, &format!("**{}**", md(&g.libelle)), &g.total, "")?;
        for l in &g.lignes {
            let c = if compte {
                crate::budget::cerfa::numero(&l.compte).unwrap_or_else(|| TIRET.into())
            } else {
                String::new()
            };
            ligne_md(sortie, &md(&c), &md(&l.libelle), &l.montants, &md(l.explication.as_deref().unwrap_or("")))?;
        }
    }
    Ok(())
}

const ENTETE_MD: &str =
    "| prévu | réalisé | écart | écart % | explication |\n| --- | --- | ---: | ---: | ---: | ---: | --- |";

/// The same content as Markdown tables.
pub fn markdown(e: &EnTete, b: &Bilan, sortie: &mut dyn Write) -> io::Result<()> {
    writeln!(sortie, "# Compte rendu financier de l'action : {}\n\n{}\n", md(&e.titre()), md(&e.sous_titre()))?;
    if let Some(d) = b.date {
        writeln!(sortie, "Bilan établi le {}.\n", d.fr())?;
    }
    writeln!(sortie, "**{}**\n", md(&verdict(b)))?;
    if let Some(t) = incomplet(b) {
        writeln!(sortie, "> **{}**\n", md(&t))?;
    }
    writeln!(sortie, "## Charges\n\n| compte | libellé {ENTETE_MD}")?;
    groupes_md(sortie, &b.charges, true)?;
    ligne_md(sortie, "", "**Total des charges**", &b.total_charges, "")?;
    writeln!(sortie, "\n## Produits\n\n| | financeur {ENTETE_MD}")?;
    groupes_md(sortie, &b.produits, false)?;
    ligne_md(sortie, "", "**Total des produits**", &b.total_produits, "")?;
    if !b.contributions.is_empty() {
        writeln!(sortie, "\n## Contributions volontaires en nature\n\n| comptes | libellé {ENTETE_MD}")?;
        for l in &b.contributions {
            ligne_md(
                sortie,
                &md(&l.compte),
                &md(&l.libelle),
                &l.montants,
                &md(l.explication.as_deref().unwrap_or("")),
            )?;
        }
        ligne_md(sortie, "", "**Total des contributions**", &b.total_contributions, "")?;
    }
    writeln!(sortie, "\n## Fonds national parentalité\n\n| | prévu | réalisé |\n| --- | ---: | ---: |")?;
    for (libelle, prevu, reel) in lignes_fnp(b) {
        writeln!(sortie, "| {libelle} | {prevu} | {reel} |")?;
    }
    writeln!(sortie, "\n| | montant |\n| --- | ---: |")?;
    for (libelle, montant, calcul) in lignes_accorde(b) {
        let libelle = if calcul { format!("{libelle} ({})", super::calcul::AVERTISSEMENT) } else { libelle };
        writeln!(sortie, "| {} | {} |", md(&libelle), md(&montant))?;
    }
    if !b.indicateurs.is_empty() {
        writeln!(sortie, "\n## Indicateurs\n\n| indicateur | prévu | réalisé |\n| --- | ---: | ---: |")?;
        for i in &b.indicateurs {
            writeln!(sortie, "| {} | {} | {} |", md(&i.libelle), nombre(i.prevu), nombre(i.realise))?;
        }
    }
    if let Some(c) = &b.commentaire {
        writeln!(sortie, "\n## Commentaire du porteur\n\n{}", md(c))?;
    }
    constats_md(b, sortie)
}

fn nombre_csv(v: Option<Decimal>) -> String {
    v.map(tableur::nombre).unwrap_or_default()
}

fn pourcent_csv(v: Option<Decimal>) -> String {
    v.map(|mut p| {
        p.rescale(1);
        p.to_string().replace('.', ",")
    })
    .unwrap_or_default()
}

/// One row per line, then totals, the fund's figures and the indicators; for French Excel.
/// An empty « réalisé » cell is a line not reported. The findings of the bilan are not in
/// it (one table of figures opens cleanly in Excel): they are in the other formats, and the
/// exit code tells an error (docs/cli.md).
pub fn csv(_e: &EnTete, b: &Bilan, sortie: &mut dyn Write) -> io::Result<()> {
    let mut w = tableur::ecrivain(sortie)?;
    let t = tableur::texte_sur;
    w.write_record(["section", "ligne", "compte", "libellé", "prévu", "réalisé", "écart", "écart (%)", "explication"])?;
    let mut ecrire = |section: &str, chemin: &str, compte: &str, libelle: &str, c: &Comparaison, x: &str| {
        // The line told in words (« Dépenses, 1re ligne »), never its path.
        let ligne = if chemin.is_empty() { String::new() } else { crate::lecture::champ_lisible(chemin) };
        w.write_record([
            section,
            &ligne,
            &t(compte),
            &t(libelle),
            &tableur::nombre(c.prevu),
            &nombre_csv(c.realise),
            &nombre_csv(c.ecart),
            &pourcent_csv(c.ecart_pourcent),
            &t(x),
        ])
    };
    for (section, groupes) in [("charges", &b.charges), ("produits", &b.produits)] {
        for g in groupes {
            for l in &g.lignes {
                ecrire(section, &l.chemin, &l.compte, &l.libelle, &l.montants, l.explication.as_deref().unwrap_or(""))?;
            }
        }
        let (libelle, total) = if section == "charges" {
            ("Total des charges", &b.total_charges)
        } else {
            ("Total des produits", &b.total_produits)
        };
        ecrire("total", "", "", libelle, total, "")?;
    }
    for l in &b.contributions {
        ecrire("contributions", &l.chemin, &l.compte, &l.libelle, &l.montants, l.explication.as_deref().unwrap_or(""))?;
    }
    if !b.contributions.is_empty() {
        ecrire("total", "", "", "Total des contributions", &b.total_contributions, "")?;
    }
    let f = &b.fnp;
    for (libelle, champ) in [
        ("Dépenses éligibles au FNP", (|x: &Budget| x.total_eligible) as fn(&Budget) -> Decimal),
        ("Base du plafond", |x| x.base_plafond),
        ("Plafond du financement Caf", |x| x.plafond_caf),
        ("Financement Caf", |x| x.financement_caf),
        ("Financement demandé au FNP", |x| x.demande_fnp),
        ("Montant FNP maximal finançable", |x| x.montant_max_fnp),
    ] {
        let prevu = champ(&f.prevu);
        let reel = f.realise.as_ref().map(champ);
        ecrire("fnp", "", "", libelle, &Comparaison::new(prevu, reel), "")?;
    }
    w.write_record([
        "fnp",
        "",
        "",
        "Montant FNP accordé par la Caf",
        "",
        &nombre_csv(f.montant_fnp_accorde),
        "",
        "",
        "",
    ])?;
    w.write_record([
        "fnp",
        "",
        "",
        "Montant FNP justifié par les dépenses réalisées",
        "",
        &nombre_csv(f.montant_fnp_justifie),
        &nombre_csv(f.ecart_accorde),
        "",
        super::calcul::AVERTISSEMENT,
    ])?;
    for i in &b.indicateurs {
        let n = |v: Option<Decimal>| v.map(|x| x.normalize().to_string().replace('.', ",")).unwrap_or_default();
        w.write_record(["indicateurs", &i.cle, "", &t(&i.libelle), &n(i.prevu), &n(i.realise), "", "", ""])?;
    }
    w.flush()
}

#[derive(Serialize)]
struct Json<'a> {
    outil: &'static str,
    version: &'static str,
    #[serde(flatten)]
    en_tete: &'a EnTete,
    /// The verdict of the findings (`constats`: the bilan's and the dossier's), the same as
    /// `fnp check` gives the dossier (rules v4).
    verdict: Verdict,
    compteurs: Compteurs,
    #[serde(flatten)]
    bilan: &'a Bilan,
}

pub fn json(e: &EnTete, b: &Bilan, sortie: &mut dyn Write) -> io::Result<()> {
    let json = Json {
        outil: "fnp",
        version: env!("CARGO_PKG_VERSION"),
        en_tete: e,
        verdict: crate::check::verdict(&b.constats),
        compteurs: Compteurs::de(&b.constats),
        bilan: b,
    };
    let mut json = serde_json::to_value(json)?;
    crate::lecture::json_stable(&mut json);
    serde_json::to_writer_pretty(&mut *sortie, &json)?;
    writeln!(sortie)
}
