//! `fnp budget` output formats: a terminal table, Markdown, CSV for French Excel, JSON.

use std::io::{self, Write};

use rust_decimal::Decimal;
use serde::Serialize;

use super::cerfa::BudgetPresente;
use crate::ecriture::tableur;
use crate::model::Dossier;
use crate::model::montant::format_decimal_fr;

/// Who and what the budget is for.
#[derive(Debug, Clone, Serialize)]
pub struct EnTete {
    pub source: String,
    pub porteur: Option<String>,
    pub intitule: Option<String>,
    pub exercice: Option<i64>,
    pub axe: Option<i64>,
    pub volet: Option<i64>,
    #[serde(rename = "type")]
    pub type_action: Option<String>,
}

impl EnTete {
    pub fn de(source: &str, d: &Dossier) -> EnTete {
        EnTete {
            source: source.to_string(),
            porteur: d.porteur().map(str::to_string),
            intitule: d.texte("action.intitule").map(str::to_string),
            exercice: d.exercice(),
            axe: d.axe(),
            volet: d.volet(),
            type_action: d.type_action().map(str::to_string),
        }
    }

    pub(crate) fn titre(&self) -> String {
        let intitule = self.intitule.as_deref().unwrap_or("(sans intitulé)");
        match &self.porteur {
            Some(p) => format!("{intitule} — {p}"),
            None => intitule.to_string(),
        }
    }

    pub(crate) fn sous_titre(&self) -> String {
        let o = |v: Option<i64>| v.map_or_else(|| "?".into(), |x| x.to_string());
        format!(
            "Exercice {} · axe {} volet {} · {}",
            o(self.exercice),
            o(self.axe),
            o(self.volet),
            self.type_action
                .as_deref()
                .map_or_else(|| "?".into(), |t| crate::model::schema::libelle_valeur("action.type", t))
        )
    }
}

pub(crate) fn euros(d: Decimal) -> String {
    format!("{}\u{a0}€", format_decimal_fr(d, 2))
}

fn pourcent(d: Decimal) -> String {
    format!("{}\u{a0}%", crate::model::montant::format_nombre_fr(d))
}

/// The labelled figures of the fund's box, in display order.
pub fn lignes_fnp(b: &BudgetPresente) -> Vec<(String, String)> {
    let f = &b.fnp;
    let c = &f.chiffres;
    vec![
        ("Total des charges".into(), euros(c.total_charges)),
        ("Dépenses éligibles au FNP".into(), euros(c.total_eligible)),
        ("Base du plafond (charges hors LAEP, Clas et contributions 86/87)".into(), euros(c.base_plafond)),
        (format!("Plafond du financement Caf ({} de la base)", pourcent(f.taux_plafond)), euros(c.plafond_caf)),
        ("Financement Caf (FNP et autres, excédent LAEP et Clas compris)".into(), euros(c.financement_caf)),
        (format!("Demande au FNP ({} du budget)", pourcent(f.part_demande)), euros(c.demande_fnp)),
        ("Montant FNP maximal finançable".into(), euros(c.montant_max_fnp)),
        ("Solde du budget (produits − charges)".into(), euros(f.solde)),
    ]
}

fn largeur(s: &str) -> usize {
    s.chars().count()
}

/// A label cut into lines of at most `l` characters at spaces (a longer word is cut where it
/// must): `prefixe` opens the first line, `retrait` spaces the others. A long label never
/// pushes the amounts out of their column.
pub(crate) fn plier(prefixe: &str, texte: &str, l: usize, retrait: usize) -> Vec<String> {
    let l = l.max(retrait + 8).max(largeur(prefixe) + 8);
    let marge = " ".repeat(retrait);
    let mut lignes = Vec::new();
    let mut courante = prefixe.to_string();
    let mut vide = true;
    for mot in texte.split(' ').filter(|m| !m.is_empty()) {
        let mut mot: Vec<char> = mot.chars().collect();
        loop {
            let besoin = largeur(&courante) + usize::from(!vide) + mot.len();
            if besoin <= l {
                if !vide {
                    courante.push(' ');
                }
                courante.extend(mot.iter());
                vide = false;
                break;
            }
            if !vide {
                lignes.push(std::mem::replace(&mut courante, marge.clone()));
                vide = true;
                continue;
            }
            // One word longer than a line: cut it.
            let place = l.saturating_sub(largeur(&courante)).clamp(1, mot.len());
            courante.extend(mot.drain(..place));
            lignes.push(std::mem::replace(&mut courante, marge.clone()));
            if mot.is_empty() {
                break;
            }
        }
    }
    if !vide || lignes.is_empty() {
        lignes.push(courante);
    }
    lignes
}

fn ligne(sortie: &mut dyn Write, gauche: &str, montant: &str, droite: &str, l: usize) -> io::Result<()> {
    // The indent and an account number open the first line; the others start under the label.
    let texte = gauche.trim_start();
    let mut prefixe = gauche[..gauche.len() - texte.len()].to_string();
    let mut libelle = texte;
    if !prefixe.is_empty()
        && let Some((tete, reste)) = texte.split_once(' ')
        && tete.chars().all(|c| c.is_ascii_digit() || c == '—')
    {
        let apres = reste.trim_start();
        prefixe.push_str(&texte[..texte.len() - apres.len()]);
        libelle = apres;
    }
    let retrait = if libelle.len() == texte.len() { largeur(&prefixe) + 2 } else { largeur(&prefixe) };
    // The label may run into the amount's column as far as two spaces before the amount.
    let lignes = plier(&prefixe, libelle, l + 14usize.saturating_sub(largeur(montant) + 2), retrait);
    let (derniere, avant) = lignes.split_last().map_or(("", &[][..]), |(d, a)| (d.as_str(), a));
    for x in avant {
        writeln!(sortie, "{x}")?;
    }
    // The amount ends at column l + 14 whatever the label's length.
    let pad = (l + 14).saturating_sub(largeur(derniere) + largeur(montant)).max(1);
    let droite = if droite.is_empty() { String::new() } else { format!("  {droite}") };
    writeln!(sortie, "{derniere}{}{montant}{droite}", " ".repeat(pad))
}

/// The terminal table.
pub fn table(e: &EnTete, b: &BudgetPresente, sortie: &mut dyn Write) -> io::Result<()> {
    const L: usize = 64;
    writeln!(sortie, "Budget prévisionnel : {}", e.titre())?;
    writeln!(sortie, "{}", e.sous_titre())?;
    writeln!(sortie)?;
    writeln!(sortie, "CHARGES")?;
    for c in &b.charges {
        let titre = c.numero.as_ref().map_or_else(|| c.libelle.clone(), |n| format!("{n} {}", c.libelle));
        ligne(sortie, &titre, &euros(c.total), "", L)?;
        for l in &c.lignes {
            let eligible = match (&l.motif, &l.regle) {
                (None, _) => "éligible".to_string(),
                (Some(m), Some(r)) => format!("non éligible : {m} [{r}]"),
                (Some(m), None) => format!("non éligible : {m}"),
            };
            let compte = super::cerfa::numero(&l.compte).unwrap_or_else(|| "—".into());
            ligne(sortie, &format!("  {compte:<5} {}", l.libelle), &euros(l.montant.valeur()), &eligible, L)?;
        }
    }
    ligne(sortie, "TOTAL DES CHARGES", &euros(b.total_charges), "", L)?;
    writeln!(sortie)?;
    writeln!(sortie, "PRODUITS")?;
    for g in &b.produits {
        let titre = g.numero.as_ref().map_or_else(|| g.libelle.clone(), |n| format!("{n} {}", g.libelle));
        ligne(sortie, &titre, &euros(g.total), "", L)?;
        for l in &g.lignes {
            let detail = match &l.libelle {
                Some(x) => format!("  {} : {x}", l.financeur_libelle),
                None => format!("  {}", l.financeur_libelle),
            };
            // Own funds are no request: no status.
            let statut = if l.financeur == "fonds-propres" { "" } else { l.statut.as_str() };
            let statut = match &l.dispositif {
                Some(d) if statut.is_empty() => d.to_uppercase(),
                Some(d) => format!("{statut} · {}", d.to_uppercase()),
                None => statut.to_string(),
            };
            ligne(sortie, &detail, &euros(l.montant.valeur()), &statut, L)?;
        }
    }
    ligne(sortie, "TOTAL DES PRODUITS", &euros(b.total_produits), "", L)?;
    if !b.contributions.is_empty() {
        writeln!(sortie)?;
        writeln!(sortie, "CONTRIBUTIONS VOLONTAIRES EN NATURE (86 = 87)")?;
        for c in &b.contributions {
            let libelle = c
                .libelle
                .clone()
                .unwrap_or_else(|| crate::model::schema::libelle_valeur("contribution.nature", &c.nature));
            ligne(
                sortie,
                &format!("  {libelle}"),
                &euros(c.montant.valeur()),
                &format!("{} / {}", c.emploi, c.ressource),
                L,
            )?;
        }
        ligne(sortie, "TOTAL DES CONTRIBUTIONS", &euros(b.total_contributions), "", L)?;
    }
    writeln!(sortie)?;
    let regle = "─".repeat(L + 16);
    writeln!(sortie, "┌─ Fonds national parentalité {}", "─".repeat(L + 16 - 30))?;
    for (libelle, montant) in lignes_fnp(b) {
        let lignes = plier("", &libelle, L - 2 + 14usize.saturating_sub(largeur(&montant) + 2), 2);
        let (derniere, avant) = lignes.split_last().map_or(("", &[][..]), |(d, a)| (d.as_str(), a));
        for x in avant {
            writeln!(sortie, "│ {x}")?;
        }
        let pad = (L + 12).saturating_sub(largeur(derniere) + largeur(&montant)).max(1);
        writeln!(sortie, "│ {derniere}{}{montant}", " ".repeat(pad))?;
    }
    writeln!(sortie, "└{regle}")
}

fn md(texte: &str) -> String {
    crate::render::echapper_markdown(texte)
}

/// The same content as Markdown tables.
pub fn markdown(e: &EnTete, b: &BudgetPresente, sortie: &mut dyn Write) -> io::Result<()> {
    writeln!(sortie, "# Budget prévisionnel : {}\n\n{}\n", md(&e.titre()), md(&e.sous_titre()))?;
    writeln!(sortie, "## Charges\n\n| compte | libellé | montant | éligibilité |\n| --- | --- | ---: | --- |")?;
    for c in &b.charges {
        let numero = c.numero.as_ref().map(|n| format!("**{n}**")).unwrap_or_default();
        writeln!(sortie, "| {numero} | **{}** | **{}** | |", md(&c.libelle), euros(c.total))?;
        for l in &c.lignes {
            let eligible = match (&l.motif, &l.regle) {
                (None, _) => "éligible".to_string(),
                (Some(m), Some(r)) => format!("non éligible : {} (`{r}`)", md(m)),
                (Some(m), None) => format!("non éligible : {}", md(m)),
            };
            let compte = super::cerfa::numero(&l.compte).unwrap_or_else(|| "—".into());
            writeln!(sortie, "| {} | {} | {} | {eligible} |", md(&compte), md(&l.libelle), euros(l.montant.valeur()))?;
        }
    }
    writeln!(sortie, "| | **Total des charges** | **{}** | |\n", euros(b.total_charges))?;
    writeln!(sortie, "## Produits\n\n| compte | financeur | montant | statut |\n| --- | --- | ---: | --- |")?;
    for g in &b.produits {
        let numero = g.numero.as_ref().map(|n| format!("**{n}**")).unwrap_or_default();
        writeln!(sortie, "| {numero} | **{}** | **{}** | |", md(&g.libelle), euros(g.total))?;
        for l in &g.lignes {
            let detail = match &l.libelle {
                Some(x) => format!("{} : {}", md(&l.financeur_libelle), md(x)),
                None => md(&l.financeur_libelle),
            };
            let statut = if l.financeur == "fonds-propres" { "" } else { l.statut.as_str() };
            writeln!(sortie, "| | {detail} | {} | {} |", euros(l.montant.valeur()), md(statut))?;
        }
    }
    writeln!(sortie, "| | **Total des produits** | **{}** | |\n", euros(b.total_produits))?;
    if !b.contributions.is_empty() {
        writeln!(
            sortie,
            "## Contributions volontaires en nature\n\n| emploi (86) | ressource (87) | libellé | montant |\n| --- | --- | --- | ---: |"
        )?;
        for c in &b.contributions {
            writeln!(
                sortie,
                "| {} | {} | {} | {} |",
                md(&c.emploi),
                md(&c.ressource),
                md(&c
                    .libelle
                    .clone()
                    .unwrap_or_else(|| crate::model::schema::libelle_valeur("contribution.nature", &c.nature))),
                euros(c.montant.valeur())
            )?;
        }
        writeln!(sortie, "| | | **Total** | **{}** |\n", euros(b.total_contributions))?;
    }
    writeln!(sortie, "## Fonds national parentalité\n\n| | montant |\n| --- | ---: |")?;
    for (libelle, montant) in lignes_fnp(b) {
        writeln!(sortie, "| {libelle} | {montant} |")?;
    }
    Ok(())
}

/// One row per line, then totals and the fund's figures; for French Excel.
pub fn csv(_e: &EnTete, b: &BudgetPresente, sortie: &mut dyn Write) -> io::Result<()> {
    let mut w = tableur::ecrivain(sortie)?;
    let t = tableur::texte_sur;
    w.write_record(["section", "code", "compte", "libellé", "détail", "montant", "éligible", "motif"])?;
    for c in &b.charges {
        for l in &c.lignes {
            let motif = match (&l.motif, &l.regle) {
                (Some(m), Some(r)) => format!("{m} [{r}]"),
                (Some(m), None) => m.clone(),
                _ => String::new(),
            };
            w.write_record([
                "charges",
                &t(&c.code),
                &t(&l.compte),
                &t(&l.libelle),
                &t(&l.nature),
                &tableur::nombre(l.montant.valeur()),
                if l.eligible { "oui" } else { "non" },
                &t(&motif),
            ])?;
        }
    }
    w.write_record(["total", "", "", "Total des charges", "", &tableur::nombre(b.total_charges), "", ""])?;
    for g in &b.produits {
        for l in &g.lignes {
            w.write_record([
                "produits",
                &t(&g.code),
                "",
                &t(l.libelle.as_deref().unwrap_or("")),
                &t(&l.financeur_libelle),
                &tableur::nombre(l.montant.valeur()),
                "",
                &t(&l.statut),
            ])?;
        }
    }
    w.write_record(["total", "", "", "Total des produits", "", &tableur::nombre(b.total_produits), "", ""])?;
    for c in &b.contributions {
        w.write_record([
            "contributions",
            "86/87",
            "",
            &t(c.libelle.as_deref().unwrap_or("")),
            &t(&format!("{} / {}", c.emploi, c.ressource)),
            &tableur::nombre(c.montant.valeur()),
            "",
            "",
        ])?;
    }
    let f = &b.fnp;
    let c = &f.chiffres;
    // French labels, for people reading the sheet (the JSON keeps the keys of rules.md).
    for (cle, valeur) in [
        ("Dépenses éligibles au FNP", c.total_eligible),
        ("Base du plafond", c.base_plafond),
        ("Taux du plafond (%)", f.taux_plafond),
        ("Plafond du financement Caf", c.plafond_caf),
        ("Financement Caf", c.financement_caf),
        ("Demande au FNP", c.demande_fnp),
        ("Part de la demande dans le budget (%)", f.part_demande),
        ("Montant FNP maximal finançable", c.montant_max_fnp),
        ("Solde du budget (produits − charges)", f.solde),
    ] {
        w.write_record(["fnp", "", "", cle, "", &tableur::nombre(valeur), "", ""])?;
    }
    w.flush()
}

#[derive(Serialize)]
struct Json<'a> {
    outil: &'static str,
    version: &'static str,
    #[serde(flatten)]
    en_tete: &'a EnTete,
    #[serde(flatten)]
    budget: &'a BudgetPresente,
}

pub fn json(e: &EnTete, b: &BudgetPresente, sortie: &mut dyn Write) -> io::Result<()> {
    let mut json =
        serde_json::to_value(Json { outil: "fnp", version: env!("CARGO_PKG_VERSION"), en_tete: e, budget: b })?;
    crate::lecture::json_stable(&mut json);
    serde_json::to_writer_pretty(&mut *sortie, &json)?;
    writeln!(sortie)
}
