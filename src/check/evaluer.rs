//! Evaluation of each kind of check on a dossier.

use rust_decimal::Decimal;

use crate::budget::{self, Budget, Eligibilite};
use crate::model::montant::{format_decimal_fr, format_nombre_fr};
use crate::model::{Dossier, Montant, Valeur, schema};
use crate::rules::{Absence, Regles, Verification};

/// One firing of a check: the message situation, the field to point at, and the values for
/// the message.
pub(crate) struct Declenchement {
    pub situation: &'static str,
    /// Where to point (a field path of the locations).
    pub champ: String,
    /// The field named in the message, when it differs from where it points.
    pub champ_affiche: Option<String>,
    pub variables: Vec<(&'static str, String)>,
    /// The arithmetic behind the finding, for `fnp check --explain`.
    pub calcul: Option<String>,
}

pub(crate) fn declenche(
    situation: &'static str,
    champ: impl Into<String>,
    variables: Vec<(&'static str, String)>,
) -> Declenchement {
    Declenchement { situation, champ: champ.into(), champ_affiche: None, variables, calcul: None }
}

pub(crate) fn variables_communes(d: &Dossier) -> Vec<(&'static str, String)> {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "?".into());
    vec![
        ("type", opt(d.type_action().map(str::to_string))),
        ("axe", opt(d.axe().map(|a| a.to_string()))),
        ("volet", opt(d.volet().map(|v| v.to_string()))),
        ("exercice", opt(d.exercice().map(|e| e.to_string()))),
        ("departement", opt(d.departement_caf().map(str::to_string))),
    ]
}

pub(crate) fn euros(d: Decimal) -> String {
    format!("{}\u{a0}€", format_decimal_fr(d, 2))
}

/// What a finding on an expense line names: its nature, label, amount and account, and the
/// natures eligible in the volet.
pub(crate) fn valeurs_depense(ligne: &crate::model::Depense, natures: &[String]) -> Vec<(&'static str, String)> {
    vec![
        ("nature", ligne.nature.to_string()),
        ("libelle", ligne.libelle.clone()),
        ("montant", ligne.montant.fr()),
        ("eligibles", liste(natures)),
        ("compte", ligne.compte.clone().unwrap_or_default()),
    ]
}

pub(crate) fn liste(v: &[String]) -> String {
    v.join(", ")
}

/// The first income line of these funders, as a field path pointing at its amount.
fn ligne_recette(d: &Dossier, financeurs: &[&str]) -> Option<String> {
    ligne_recette_colonne(d, financeurs, "montant")
}

/// The first income line of these funders, as a field path pointing at `colonne`.
fn ligne_recette_colonne(d: &Dossier, financeurs: &[&str], colonne: &str) -> Option<String> {
    d.recettes
        .iter()
        .find(|r| financeurs.contains(&r.financeur.as_str()))
        .map(|r| format!("recette[{}].{colonne}", r.index))
}

/// Expenses against income (`equilibre`, and `bilan-equilibre` on the actual budget),
/// pointing at the first income line (at its `colonne` when one is given).
pub(crate) fn equilibre(d: &Dossier, b: &Budget, colonne: &str) -> Option<Declenchement> {
    if b.total_charges == b.total_produits {
        return None;
    }
    let ecart = (b.total_charges - b.total_produits).abs();
    let suffixe = if colonne.is_empty() { String::new() } else { format!(".{colonne}") };
    let ou = d.recettes.first().map(|r| format!("recette[{}]{suffixe}", r.index)).unwrap_or_else(|| "recette".into());
    Some(declenche(
        "",
        ou,
        vec![
            ("total_charges", euros(b.total_charges)),
            ("total_produits", euros(b.total_produits)),
            ("ecart", euros(ecart)),
        ],
    ))
}

/// The Caf funding against its ceiling (`plafond`, and `bilan-plafond` on the actual
/// budget), pointing at the first Caf income line's `colonne`.
pub(crate) fn plafond(
    d: &Dossier,
    b: &Budget,
    taux_pourcentage: Decimal,
    financeurs_caf: &[String],
    colonne: &str,
) -> Option<Declenchement> {
    if b.financement_caf <= b.plafond_caf {
        return None;
    }
    let noms: Vec<&str> = financeurs_caf.iter().map(String::as_str).collect();
    let ou = ligne_recette_colonne(d, &noms, colonne).unwrap_or_else(|| "recette".into());
    let mut dec = declenche(
        "",
        ou,
        vec![
            ("financement_caf", euros(b.financement_caf)),
            ("plafond_caf", euros(b.plafond_caf)),
            ("base_plafond", euros(b.base_plafond)),
            ("taux", format!("{}\u{a0}%", format_nombre_fr(taux_pourcentage))),
            ("depassement", euros(b.financement_caf - b.plafond_caf)),
        ],
    );
    dec.calcul = Some(format!(
        "financement Caf {} > {}\u{a0}% × {} = {} (arrondi au centime inférieur)",
        euros(b.financement_caf),
        format_nombre_fr(taux_pourcentage),
        euros(b.base_plafond),
        euros(b.plafond_caf)
    ));
    Some(dec)
}

pub fn evaluer(
    v: &Verification,
    d: &Dossier,
    b: &Budget,
    p: &budget::Parametres,
    regles: &Regles,
) -> Vec<Declenchement> {
    use Verification as V;
    let mut sortie = Vec::new();
    match v {
        V::TypeAction => {
            let (Some(axe), Some(volet)) = (d.axe(), d.volet()) else {
                return sortie;
            };
            let volets = &regles.national().volets;
            let av = format!("{axe}.{volet}");
            match volets.get(&av) {
                None => {
                    let champ = if volets.keys().any(|k| k.starts_with(&format!("{axe}."))) {
                        "action.volet"
                    } else {
                        "action.axe"
                    };
                    let tous = volets.keys().cloned().collect::<Vec<_>>();
                    sortie.push(declenche("volet_inconnu", champ, vec![("volets", liste(&tous))]));
                }
                Some(vol) => {
                    if let Some(t) = d.type_action()
                        && !vol.types.iter().any(|x| x == t)
                    {
                        sortie.push(declenche("", "action.type", vec![("types", liste(&vol.types))]));
                    }
                }
            }
        }
        V::BooleensRequis { champs } => {
            let faux: Vec<String> = champs.iter().filter(|c| !d.vrai(c)).cloned().collect();
            if let Some(premier) = faux.first() {
                let mut dec = declenche("", premier.clone(), vec![("champs", liste(&faux))]);
                dec.champ_affiche = Some(premier.clone());
                sortie.push(dec);
            }
        }
        V::BooleensSignales { champs } => {
            let vrais: Vec<String> = champs.iter().filter(|c| d.vrai(c)).cloned().collect();
            if let Some(premier) = vrais.first() {
                sortie.push(declenche("", premier.clone(), vec![("champs", liste(&vrais))]));
            }
        }
        V::Intervalle { min, max, si_absent } => {
            let texte_borne =
                |b: &Option<crate::rules::Borne>| b.as_ref().map(|b| format_nombre_fr(b.valeur)).unwrap_or_default();
            let (tmin, tmax) = (texte_borne(min), texte_borne(max));
            let mut absents_signales: Vec<&str> = Vec::new();
            for (borne, est_min) in [(min, true), (max, false)] {
                let Some(borne) = borne else { continue };
                match d.valeur_regle(&borne.champ).and_then(|x| x.nombre()) {
                    None => {
                        if *si_absent == Absence::Signaler && !absents_signales.contains(&borne.champ.as_str()) {
                            absents_signales.push(&borne.champ);
                            sortie.push(declenche(
                                "absent",
                                borne.champ.clone(),
                                vec![("valeur", String::new()), ("min", tmin.clone()), ("max", tmax.clone())],
                            ));
                        }
                    }
                    Some(x) => {
                        let hors = if est_min { x < borne.valeur } else { x > borne.valeur };
                        if hors {
                            let mut dec = declenche(
                                "",
                                borne.champ.clone(),
                                vec![("valeur", format_nombre_fr(x)), ("min", tmin.clone()), ("max", tmax.clone())],
                            );
                            dec.calcul = Some(format!(
                                "{} = {} {} {}",
                                borne.champ,
                                format_nombre_fr(x),
                                if est_min { "<" } else { ">" },
                                format_nombre_fr(borne.valeur)
                            ));
                            sortie.push(dec);
                        }
                    }
                }
            }
        }
        V::Valeurs { champ, autorisees, interdites, si_absent } => {
            let valeurs = autorisees.as_ref().or(interdites.as_ref()).map(|v| liste(v)).unwrap_or_default();
            match d.valeur(champ) {
                None => {
                    if *si_absent == Absence::Signaler {
                        sortie.push(declenche(
                            "absent",
                            champ.clone(),
                            vec![("valeur", String::new()), ("valeurs", valeurs)],
                        ));
                    }
                }
                Some(val) => {
                    let texte = val.fr();
                    let hors = autorisees.as_ref().is_some_and(|a| !a.contains(&texte))
                        || interdites.as_ref().is_some_and(|i| i.contains(&texte));
                    if hors {
                        sortie.push(declenche("", champ.clone(), vec![("valeur", texte), ("valeurs", valeurs)]));
                    }
                }
            }
        }
        V::ListeContient { champ, tous, un_parmi } => {
            let presents: Vec<String> = d.liste(champ).map(<[String]>::to_vec).unwrap_or_default();
            let mut manquants: Vec<String> = tous.iter().filter(|t| !presents.contains(t)).cloned().collect();
            if !un_parmi.is_empty() && !un_parmi.iter().any(|u| presents.contains(u)) {
                manquants.push(format!("l'un de : {}", liste(un_parmi)));
            }
            let mut attendus = tous.clone();
            if !un_parmi.is_empty() {
                attendus.push(format!("l'un de : {}", liste(un_parmi)));
            }
            if !manquants.is_empty() {
                let situation = if d.valeur(champ).is_none() { "absent" } else { "" };
                sortie.push(declenche(
                    situation,
                    champ.clone(),
                    vec![
                        ("valeur", Valeur::Liste(presents).fr()),
                        ("manquants", liste(&manquants)),
                        ("attendus", liste(&attendus)),
                    ],
                ));
            }
        }
        V::ListeDans { champ, autorisees } => {
            let presents: Vec<String> = d.liste(champ).map(<[String]>::to_vec).unwrap_or_default();
            let hors: Vec<String> = presents.iter().filter(|x| !autorisees.contains(x)).cloned().collect();
            if presents.is_empty() || !hors.is_empty() {
                let situation = if presents.is_empty() { "absent" } else { "" };
                sortie.push(declenche(
                    situation,
                    champ.clone(),
                    vec![
                        ("valeur", Valeur::Liste(presents.clone()).fr()),
                        ("attendus", liste(autorisees)),
                        ("hors", liste(&hors)),
                        ("nombre_hors", hors.len().to_string()),
                        ("nombre", presents.len().to_string()),
                    ],
                ));
            }
        }
        V::ListeNonVide { champ } => {
            if d.liste(champ).is_none_or(<[String]>::is_empty) {
                sortie.push(declenche("", champ.clone(), Vec::new()));
            }
        }
        V::DatesDans { du, au } => {
            let (debut, fin) = (d.date("action.debut"), d.date("action.fin"));
            let vars = |x: &Option<crate::model::Date>| x.map(|x| x.fr()).unwrap_or_default();
            let variables = vec![("debut", vars(&debut)), ("fin", vars(&fin)), ("du", du.fr()), ("au", au.fr())];
            if debut.is_some_and(|x| x < *du) {
                sortie.push(declenche("", "action.debut", variables));
            } else if fin.is_some_and(|x| x > *au) {
                sortie.push(declenche("", "action.fin", variables));
            }
        }
        V::Toujours => sortie.push(declenche("", "action.type", Vec::new())),
        V::IndicateursRequis { indicateurs } => {
            // A value rejected by the reader already has its own finding.
            let manquants: Vec<String> =
                indicateurs.iter().filter(|i| d.valeur(i).is_none() && !d.rejete(i)).cloned().collect();
            if !manquants.is_empty() {
                let noms: Vec<String> =
                    manquants.iter().map(|m| m.strip_prefix("indicateurs.").unwrap_or(m).to_string()).collect();
                // At the first missing indicator's own row (its value cell in a workbook), the
                // place to act; the section when the row is absent.
                sortie.push(declenche("", manquants[0].clone(), vec![("manquants", liste(&noms))]));
            }
        }
        V::Comparaison { gauche, droite } => {
            let (Some(g), Some(dr)) =
                (d.valeur(gauche).and_then(Valeur::nombre), d.valeur(droite).and_then(Valeur::nombre))
            else {
                return sortie;
            };
            if g > dr {
                sortie.push(declenche(
                    "",
                    gauche.clone(),
                    vec![
                        ("gauche", gauche.clone()),
                        ("droite", droite.clone()),
                        ("valeur_gauche", format_nombre_fr(g)),
                        ("valeur_droite", format_nombre_fr(dr)),
                    ],
                ));
            }
        }
        V::Gratuite => {
            if !d.gratuite() {
                // Declared payante, or inferred from a participation when « gratuit » is
                // blank: each said as it is (`messages.participation`, else the message).
                let (situation, champ) = if d.valeur("action.gratuit").is_some() {
                    ("", "action.gratuit".to_string())
                } else {
                    ("participation", ligne_recette(d, &["participation-familles"]).unwrap_or_else(|| "action".into()))
                };
                sortie.push(declenche(situation, champ, vec![("montant", d.participation_familles().fr())]));
            }
        }
        V::GratuiteContradictoire => {
            let participation = d.participation_familles();
            if matches!(d.valeur("action.gratuit"), Some(Valeur::Booleen(true))) && participation > Montant::ZERO {
                sortie.push(declenche("", "action.gratuit", vec![("montant", participation.fr())]));
            }
        }
        V::Periode => {
            let (Some(debut), Some(fin)) = (d.date("action.debut"), d.date("action.fin")) else {
                return sortie;
            };
            let vars = vec![("debut", debut.fr()), ("fin", fin.fr())];
            if debut > fin {
                sortie.push(declenche("inversee", "action.fin", vars));
            } else if let Some(e) = d.exercice()
                && (i64::from(fin.annee) < e || i64::from(debut.annee) > e)
            {
                sortie.push(declenche("", "action.debut", vars));
            }
        }
        V::Siret { siren_la_poste } => {
            if let Some(s) = d.texte("porteur.siret")
                && !siret_valide(s, siren_la_poste)
            {
                sortie.push(declenche("", "porteur.siret", vec![("siret", s.to_string())]));
            }
        }
        V::FinanceCaf { financeurs, champ } => {
            let noms: Vec<&str> = financeurs.iter().map(String::as_str).collect();
            let total: Montant =
                d.recettes.iter().filter(|r| noms.contains(&r.financeur.as_str())).map(|r| r.montant).sum();
            if total > Montant::ZERO && !d.vrai(champ) {
                let ou = if d.valeur(champ).is_some() {
                    champ.clone()
                } else {
                    ligne_recette(d, &noms).unwrap_or_else(|| champ.clone())
                };
                let mut dec = declenche("", ou, vec![("montant", total.fr())]);
                dec.champ_affiche = Some(champ.clone());
                sortie.push(dec);
            }
        }
        V::PersonnelFinanceCaf { financeurs, champ } => {
            // Rules v4: a reminder, once per dossier, when staff costs are counted and the
            // bearer is funded by the Caf otherwise; it names what was written, nothing else.
            let comptees: Vec<&crate::model::Depense> = d
                .depenses
                .iter()
                .zip(&b.lignes)
                .filter(|(l, e)| {
                    **e == Eligibilite::Eligible && l.nature.as_str() == p.personnel_nature && l.montant > Montant::ZERO
                })
                .map(|(l, _)| l)
                .collect();
            let Some(premiere) = comptees.first() else { return sortie };
            let mut recettes: Vec<String> = d
                .recettes
                .iter()
                .filter(|r| financeurs.iter().any(|f| f == r.financeur.as_str()) && r.montant > Montant::ZERO)
                .map(|r| {
                    let financeur = schema::libelle_valeur("recette.financeur", r.financeur.as_str());
                    match r.libelle.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
                        Some(l) => format!("« {l} » ({financeur}, {})", r.montant.fr()),
                        None => format!("« {financeur} » ({})", r.montant.fr()),
                    }
                })
                .collect();
            let situation = match (d.vrai(champ), recettes.is_empty()) {
                (true, true) => "",
                (false, false) => "recette",
                (true, false) => "declaration-et-recette",
                (false, true) => return sortie,
            };
            // Named in a stable order, whatever the order of the lines.
            let mut lignes: Vec<String> =
                comptees.iter().map(|l| format!("« {} » ({})", l.libelle.trim(), l.montant.fr())).collect();
            lignes.sort();
            recettes.sort();
            let total: Montant = comptees.iter().map(|l| l.montant).sum();
            sortie.push(declenche(
                situation,
                format!("depense[{}].montant", premiere.index),
                vec![("lignes", liste(&lignes)), ("montant", total.fr()), ("recettes", liste(&recettes))],
            ));
        }
        V::Equilibre => sortie.extend(equilibre(d, b, "")),
        V::DemandePresente => {
            if b.demande_fnp.is_zero() {
                let ou = ligne_recette(d, &[p.financeur_demande.as_str()]).unwrap_or_else(|| "recette".into());
                sortie.push(declenche("", ou, vec![("demande_fnp", euros(b.demande_fnp))]));
            }
        }
        V::Plafond { taux_pourcentage, financeurs_caf, .. } => {
            sortie.extend(plafond(d, b, *taux_pourcentage, financeurs_caf, "montant"));
        }
        V::DemandeEligible => {
            if b.demande_fnp > b.total_eligible {
                let ou = ligne_recette(d, &[p.financeur_demande.as_str()]).unwrap_or_else(|| "recette".into());
                let mut dec = declenche(
                    "",
                    ou,
                    vec![
                        ("demande_fnp", euros(b.demande_fnp)),
                        ("total_eligible", euros(b.total_eligible)),
                        ("depassement", euros(b.demande_fnp - b.total_eligible)),
                    ],
                );
                dec.calcul = Some(format!(
                    "demande FNP {} > dépenses éligibles {}",
                    euros(b.demande_fnp),
                    euros(b.total_eligible)
                ));
                sortie.push(dec);
            }
        }
        V::DepensesEligibles { eligibles, defaut, .. } => {
            let natures = d.axe_volet().and_then(|av| eligibles.get(&av)).unwrap_or(defaut);
            for (ligne, e) in d.depenses.iter().zip(&b.lignes) {
                // Rules v4: a 0 € line (kept for the bilan) changes no total; the bilan judges
                // its actual amount.
                if ligne.montant.valeur().is_zero() {
                    continue;
                }
                let (situation, champ) = match e {
                    Eligibilite::NatureIneligible => ("", "nature"),
                    Eligibilite::CompteIneligible => ("compte", "compte"),
                    _ => continue,
                };
                sortie.push(declenche(
                    situation,
                    format!("depense[{}].{champ}", ligne.index),
                    valeurs_depense(ligne, natures),
                ));
            }
        }
        V::CompteContribution { .. } => {
            for (ligne, e) in d.depenses.iter().zip(&b.lignes) {
                if *e == Eligibilite::CompteContribution {
                    sortie.push(declenche(
                        "",
                        format!("depense[{}].compte", ligne.index),
                        vec![
                            ("libelle", ligne.libelle.clone()),
                            ("montant", ligne.montant.fr()),
                            ("compte", ligne.compte.clone().unwrap_or_default()),
                        ],
                    ));
                }
            }
        }
        V::DispositifDemande => {
            for r in d.recettes.iter().filter(|r| r.financeur.as_str() == p.financeur_demande) {
                if let Some(tag) = r.dispositif {
                    sortie.push(declenche(
                        "",
                        format!("recette[{}].dispositif", r.index),
                        vec![
                            (
                                "libelle",
                                r.libelle.clone().unwrap_or_else(|| {
                                    schema::libelle_valeur("recette.financeur", r.financeur.as_str())
                                }),
                            ),
                            ("montant", r.montant.fr()),
                            ("dispositif", tag.to_string()),
                            ("ligne", "recette".into()),
                        ],
                    ));
                }
            }
        }
        V::DispositifHorsLieu => {
            if !p.dispositifs_actifs(d) {
                let depenses = d.depenses.iter().filter_map(|l| {
                    l.dispositif.map(|t| {
                        (format!("depense[{}].dispositif", l.index), l.libelle.clone(), l.montant, t, "dépense")
                    })
                });
                let recettes =
                    d.recettes.iter().filter(|r| r.financeur.as_str() != p.financeur_demande).filter_map(|r| {
                        r.dispositif.map(|t| {
                            let libelle = r.libelle.clone().unwrap_or_else(|| r.financeur.to_string());
                            (format!("recette[{}].dispositif", r.index), libelle, r.montant, t, "recette")
                        })
                    });
                for (champ, libelle, montant, tag, genre) in depenses.chain(recettes) {
                    sortie.push(declenche(
                        "",
                        champ,
                        vec![
                            ("libelle", libelle),
                            ("montant", montant.fr()),
                            ("dispositif", tag.to_string()),
                            ("ligne", genre.into()),
                        ],
                    ));
                }
            }
        }
        V::Personnel { champ_ligne, .. } => {
            for (ligne, e) in d.depenses.iter().zip(&b.lignes) {
                if *e == Eligibilite::PersonnelSansHausse && !ligne.montant.valeur().is_zero() {
                    sortie.push(declenche(
                        "",
                        format!("depense[{}].{champ_ligne}", ligne.index),
                        vec![("libelle", ligne.libelle.clone()), ("montant", ligne.montant.fr())],
                    ));
                }
            }
        }
        V::PersonnelJustificatif => {
            for (ligne, e) in d.depenses.iter().zip(&b.lignes) {
                // Counted *through* the increase (rules v4: every counted staff line; a pack
                // written before v4 asked it of a bearer the Caf already funds only).
                if *e == Eligibilite::Eligible
                    && p.personnel_exige_hausse(d)
                    && ligne.nature.as_str() == p.personnel_nature
                    && budget::ligne_vraie(ligne, &p.personnel_champ_ligne)
                    && ligne.justificatif.is_none()
                {
                    sortie.push(declenche(
                        "",
                        format!("depense[{}].{}", ligne.index, p.personnel_champ_ligne),
                        vec![("libelle", ligne.libelle.clone()), ("montant", ligne.montant.fr())],
                    ));
                }
            }
        }
        // The bilan's kinds run in `bilan::regles::evaluer_bilan` only.
        V::Saisie
        | V::BilanEquilibre
        | V::BilanPlafond
        | V::BilanEcartExplique { .. }
        | V::BilanIndicateursRealises
        | V::BilanIndicateurEcart { .. }
        | V::BilanDepensesEligibles => {}
    }
    sortie
}

/// A SIRET is 14 digits (spaces allowed) whose Luhn sum is a multiple of 10; La Poste's
/// establishments (SIREN `siren_la_poste`) use a digit sum that is a multiple of 5.
pub fn siret_valide(siret: &str, siren_la_poste: &str) -> bool {
    let chiffres: Vec<u32> =
        siret.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_digit(10)).collect::<Option<_>>().unwrap_or_default();
    if chiffres.len() != 14 || siret.chars().any(|c| !c.is_whitespace() && !c.is_ascii_digit()) {
        return false;
    }
    let compact: String = siret.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.starts_with(siren_la_poste) && chiffres.iter().sum::<u32>() % 5 == 0 {
        return true;
    }
    let somme: u32 = chiffres
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            if i % 2 == 1 {
                let x = c * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                c
            }
        })
        .sum();
    somme.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::siret_valide;
    use crate::rules::Verification;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn rule_parameters_outside_their_meaning_are_refused_in_french() {
        let p = |t: &str| t.parse::<toml::Table>().expect("toml");
        let e = Verification::compiler("bilan-ecart-explique", &p("seuil_pourcentage = 101")).expect_err("101 %");
        assert!(e.contains("seuil_pourcentage 101 hors de 0 à 100"), "{e}");
        let e =
            Verification::compiler("bilan-ecart-explique", &p("seuil_pourcentage = \"79228162514264337593543950\""))
                .expect_err("huge");
        assert!(e.contains("hors de 0 à 100"), "{e}");
        let e =
            Verification::compiler("bilan-ecart-explique", &p("seuil_euros = \"1000000000.01\"")).expect_err("1 Md€");
        assert!(e.contains("au-delà d'un milliard d'euros"), "{e}");
        assert!(
            Verification::compiler("bilan-ecart-explique", &p("seuil_pourcentage = 100\nseuil_euros = 1000000000"))
                .is_ok()
        );
        let e = Verification::compiler("intervalle", &p("min = { champ = \"groupe.seances\", valeur = -2 }"))
            .expect_err("negative count");
        assert!(e.contains("borne -2 négative pour « groupe.seances »"), "{e}");
        let e = Verification::compiler(
            "plafond",
            &p("taux_pourcentage = 180\ndispositifs_exclus = []\nfinanceurs_caf = []\nfinanceur_demande = \"caf-fnp\""),
        )
        .expect_err("180 %");
        assert!(e.contains("hors de 0 à 100"), "{e}");
    }

    #[test]
    fn the_gap_check_needs_a_threshold_that_is_not_negative() {
        let p = |t: &str| t.parse::<toml::Table>().expect("toml");
        assert!(Verification::compiler("bilan-ecart-explique", &p("")).is_err());
        assert!(Verification::compiler("bilan-ecart-explique", &p("seuil_euros = -1")).is_err());
        let v = Verification::compiler("bilan-ecart-explique", &p("seuil_pourcentage = \"12.5\"")).expect("valid");
        assert_eq!(v, Verification::BilanEcartExplique { seuil_pourcentage: Some(d("12.5")), seuil_euros: None });
        assert!(v.du_bilan() && !Verification::Equilibre.du_bilan());
    }

    #[test]
    fn siret() {
        assert!(siret_valide("73282932000074", "356000000"));
        assert!(siret_valide("732 829 320 00074", "356000000"));
        assert!(!siret_valide("73282932000075", "356000000"));
        assert!(!siret_valide("7328293200007", "356000000"));
        assert!(!siret_valide("7328293200007A", "356000000"));
        // La Poste: the head office passes Luhn, its establishments a digit sum multiple of 5.
        assert!(siret_valide("35600000000048", "356000000"));
        assert!(siret_valide("35600000000001", "356000000"));
        assert!(!siret_valide("35600000000002", "356000000"));
        assert!(!siret_valide("12300000000001", "356000000"));
    }
}
