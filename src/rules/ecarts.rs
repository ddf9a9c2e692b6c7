//! What a rule set changes in fnp's national rules (hostile round 4): a pack loaded from a
//! folder (`--rules`) whose national rules differ from the embedded ones, or a local pack's
//! `[[surcharge]]` that the embedded packs do not have. A keeper may change the law as data;
//! every run says so, on the terminal and in every report, and `fnp rules lint` lists it.

use std::collections::BTreeSet;

use super::{Niveau, Pack, Regle, Regles};

/// Each departure of `regles` from the national rules of `reference` (the embedded rules), in
/// French, one per change: « GEN-PLAFOND-CAF : taux_pourcentage 80 → 100 (pack national,
/// regles/national.toml) ».
pub fn ecarts_au_national(regles: &Regles, reference: &Regles) -> Vec<String> {
    let mut ecarts = Vec::new();
    let (nat, ref_nat) = (regles.national(), reference.national());
    if !regles.national_embarque {
        let ou = format!("pack national, {}", nat.fichier);
        if (nat.exercice_du, nat.exercice_au) != (ref_nat.exercice_du, ref_nat.exercice_au) {
            ecarts.push(format!(
                "pack national : exercices {} → {} ({ou})",
                exercices(ref_nat.exercice_du, ref_nat.exercice_au),
                exercices(nat.exercice_du, nat.exercice_au)
            ));
        }
        let ids: BTreeSet<&str> = ref_nat.regles.iter().chain(&nat.regles).map(|r| r.id.as_str()).collect();
        for id in ids {
            let avant: Vec<&Regle> = ref_nat.regles.iter().filter(|r| r.id == id).collect();
            let apres: Vec<&Regle> = nat.regles.iter().filter(|r| r.id == id).collect();
            match (avant.is_empty(), apres.is_empty()) {
                (false, true) => ecarts.push(format!("{id} : retirée ({ou})")),
                (true, false) => {
                    ecarts.push(format!("{id} : ajoutée, {} ({ou})", apres[0].gravite.as_str()));
                }
                _ if avant.len() != apres.len() => {
                    ecarts.push(format!("{id} : {} version(s) → {} ({ou})", avant.len(), apres.len()))
                }
                _ => {
                    for (a, b) in avant.iter().zip(&apres) {
                        let changes = differences(a, b);
                        if !changes.is_empty() {
                            ecarts.push(format!("{id} : {} ({ou})", changes.join(", ")));
                        }
                    }
                }
            }
        }
    }
    for p in regles.packs.iter().filter(|p| p.niveau == Niveau::Local) {
        let connu = reference.packs.iter().find(|r| r.id == p.id && r.niveau == Niveau::Local);
        for s in &p.surcharges {
            let deja = connu.is_some_and(|r| {
                r.surcharges.iter().any(|x| x.id == s.id && x.gravite == s.gravite && x.parametres == s.parametres)
            });
            if deja {
                continue;
            }
            let national = nat.regles.iter().find(|r| r.id == s.id);
            let mut changes = Vec::new();
            if let (Some(g), Some(r)) = (s.gravite, national)
                && g != r.gravite
            {
                changes.push(format!("gravité {} → {}", r.gravite.as_str(), g.as_str()));
            }
            for (cle, valeur) in &s.parametres {
                let avant = national.and_then(|r| r.cas.first()).and_then(|c| c.parametres.get(cle));
                if avant != Some(valeur) {
                    changes.push(format!("{cle} {} → {}", avant.map_or_else(|| "—".into(), texte), texte(valeur)));
                }
            }
            if !changes.is_empty() {
                ecarts.push(format!("{} : {} ({})", s.id, changes.join(", "), surcharge(p, &s.motif)));
            }
        }
    }
    ecarts
}

/// Who changes a national rule, and why.
fn surcharge(p: &Pack, motif: &str) -> String {
    let caf = if p.departements.is_empty() { String::new() } else { format!(", Caf {}", p.departements.join(", ")) };
    format!("surcharge du pack {}{caf}, {}, motif : « {motif} »", p.id, p.fichier)
}

/// What changed between two versions of a rule: severity, validity, parameters.
fn differences(a: &Regle, b: &Regle) -> Vec<String> {
    let mut changes = Vec::new();
    if a.gravite != b.gravite {
        changes.push(format!("gravité {} → {}", a.gravite.as_str(), b.gravite.as_str()));
    }
    let (pa, pb) = (&a.portee, &b.portee);
    if (pa.exercice_du, pa.exercice_au) != (pb.exercice_du, pb.exercice_au) {
        changes.push(format!(
            "exercices {} → {}",
            exercices(pa.exercice_du, pa.exercice_au),
            exercices(pb.exercice_du, pb.exercice_au)
        ));
    }
    for (nom, x, y) in [
        ("volets", &pa.volets, &pb.volets),
        ("types", &pa.types, &pb.types),
        ("familles", &pa.familles, &pb.familles),
        ("départements", &pa.departements, &pb.departements),
    ] {
        if x != y {
            changes.push(format!("{nom} [{}] → [{}]", x.join(", "), y.join(", ")));
        }
    }
    if a.cas.len() != b.cas.len() {
        changes.push(format!("{} cas → {}", a.cas.len(), b.cas.len()));
        return changes;
    }
    for (ca, cb) in a.cas.iter().zip(&b.cas) {
        if ca.verification.nom() != cb.verification.nom() {
            changes.push(format!("vérification {} → {}", ca.verification.nom(), cb.verification.nom()));
            continue;
        }
        let cles: BTreeSet<&String> = ca.parametres.keys().chain(cb.parametres.keys()).collect();
        for cle in cles {
            let (x, y) = (ca.parametres.get(cle), cb.parametres.get(cle));
            if x != y {
                changes.push(format!(
                    "{cle} {} → {}",
                    x.map_or_else(|| "—".into(), texte),
                    y.map_or_else(|| "—".into(), texte)
                ));
            }
        }
    }
    changes
}

fn exercices(du: Option<i64>, au: Option<i64>) -> String {
    match (du, au) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("{a}–"),
        (None, Some(b)) => format!("–{b}"),
        (None, None) => "tous".into(),
    }
}

/// A parameter's value, short and on one line.
fn texte(v: &toml::Value) -> String {
    let t = match v {
        toml::Value::String(s) => s.clone(),
        autre => autre.to_string(),
    };
    let t = t.replace('\n', " ");
    match t.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t,
    }
}

#[cfg(test)]
mod tests {
    use super::ecarts_au_national;
    use crate::rules::Regles;

    #[test]
    fn the_embedded_rules_depart_from_nothing() {
        let r = Regles::embarquees().expect("embedded");
        assert!(ecarts_au_national(&r, &r).is_empty());
    }
}
