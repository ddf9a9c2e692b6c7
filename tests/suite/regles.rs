//! The rule packs against the contract: every id of `../shared/spec/rules.md` with its
//! severity, every quoted sentence found in its source text, and the pinned cases of
//! `tests/cases/` (a dossier that fires each rule, and a close one that does not).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use fnp::rules::{Gravite, Regles};
use serde_json::Value;

/// The contract and the source texts live in `../shared/`, beside the clone. Without it a
/// newcomer sees these tests skipped, in one line each; CI sets `FNP_PARTAGE_REQUIS=1`, which
/// makes them required.
fn partage(chemin: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared").join(chemin);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("FNP_PARTAGE_REQUIS").is_none(),
        "{} est introuvable : le dépôt shared/ doit être à côté du projet (FNP_PARTAGE_REQUIS)",
        p.display()
    );
    eprintln!("test sauté : {} absent (contrat et textes sources, à côté du clone : voir README)", p.display());
    None
}

/// Ids and severities of the catalogue tables of rules.md.
fn catalogue() -> Option<BTreeMap<String, Gravite>> {
    let texte = std::fs::read_to_string(partage("spec/rules.md")?).expect("rules.md");
    let mut ids = BTreeMap::new();
    for ligne in texte.lines() {
        let cellules: Vec<&str> = ligne.split('|').map(str::trim).collect();
        if cellules.len() < 4 {
            continue;
        }
        let (Some(id), Some(gravite)) =
            (cellules[1].strip_prefix('`').and_then(|c| c.strip_suffix('`')), cellules.get(2))
        else {
            continue;
        };
        // « avertissement (force_ecart: …) », « info (rules v2: …) »: the first word.
        let gravite = match gravite.split_whitespace().next().unwrap_or_default() {
            "erreur" => Gravite::Erreur,
            "avertissement" => Gravite::Avertissement,
            "info" => Gravite::Info,
            _ => continue,
        };
        ids.insert(id.to_string(), gravite);
    }
    // The input findings are described in prose.
    for id in [
        "SAISIE-CHAMP-INCONNU",
        "SAISIE-CHAMP-MANQUANT",
        "SAISIE-TYPE",
        "SAISIE-MONTANT",
        "SAISIE-DATE",
        "LECTURE",
        "REGLES-EXERCICE",
    ] {
        ids.insert(id.to_string(), Gravite::Erreur);
    }
    ids.insert("SAISIE-COLONNE-INCONNUE".into(), Gravite::Info);
    assert!(ids.len() > 60, "the catalogue tables of rules.md were not found ({} ids)", ids.len());
    Some(ids)
}

#[test]
fn the_packs_hold_every_id_of_the_catalogue_with_its_severity() {
    let regles = Regles::embarquees().expect("embedded packs");
    let Some(catalogue) = catalogue() else { return };
    for (id, gravite) in catalogue {
        let (_, r) = regles.regle(&id).unwrap_or_else(|| panic!("{id} manque dans rules/"));
        assert_eq!(r.gravite, gravite, "{id}: gravité");
    }
}

#[test]
fn every_quote_appears_verbatim_in_its_source() {
    let regles = Regles::embarquees().expect("embedded packs");
    let mut cites = 0;
    for (pack, r) in regles.toutes() {
        let s = &r.source;
        match (&s.fichier, &s.citation) {
            (Some(fichier), Some(citation)) => {
                let Some(chemin) = partage(&format!("sources/{fichier}")) else { return };
                let texte = std::fs::read_to_string(chemin).unwrap_or_else(|e| panic!("{}: {fichier}: {e}", r.id));
                assert!(
                    texte.contains(citation.as_str()),
                    "{} ({}) : citation introuvable dans {fichier} : {citation}",
                    r.id,
                    pack.id
                );
                assert!(r.force.is_some(), "{}: cite une phrase sans déclarer sa force", r.id);
                cites += 1;
            }
            // A passage named without a sentence: the arithmetic rules (rules.md: no force).
            (Some(_), None) => assert!(s.section.is_some() && r.force.is_none(), "{}: passage sans section", r.id),
            (None, Some(_)) => panic!("{}: citation sans fichier", r.id),
            (None, None) => assert!(
                s.document.is_some()
                    || s.reference.is_some()
                    || r.cas.iter().all(|c| c.verification == fnp::rules::Verification::Saisie),
                "{}: aucune source",
                r.id
            ),
        }
        if let Some(f) = &s.fichier {
            let titre = regles.titre_source(f).unwrap_or_else(|| panic!("{}: la source {f} n'a pas de titre", r.id));
            assert!(!titre.contains(".txt"), "{}: un titre, pas un nom de fichier : {titre}", r.id);
        }
    }
    assert!(cites >= 50, "only {cites} quoted rules");
    // GEN-CER rests on law outside the sources, shown as an external reference.
    let (_, cer) = regles.regle("GEN-CER").expect("GEN-CER");
    assert!(cer.source.reference.as_deref().is_some_and(|r| r.contains("2021-1109")), "{:?}", cer.source);
}

fn fnp() -> Command {
    let mut c = Command::cargo_bin("fnp").expect("binary built");
    c.env("NO_COLOR", "1");
    c
}

/// Runs `fnp check --format json` once over a folder; dossiers by source path.
fn verifier_dossier(dossier: &Path) -> BTreeMap<String, Value> {
    let sortie = fnp().arg("check").arg("--format").arg("json").arg(dossier).output().expect("fnp runs");
    let v: Value = serde_json::from_slice(&sortie.stdout).expect("JSON");
    v["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .map(|d| (d["source"].as_str().unwrap_or_default().to_string(), d.clone()))
        .collect()
}

/// The rules `fnp bilan --format json` fires on one dossier.
fn regles_du_bilan(chemin: &Path) -> BTreeSet<String> {
    let sortie = fnp().arg("bilan").arg("--format").arg("json").arg(chemin).output().expect("fnp runs");
    let v: Value = serde_json::from_slice(&sortie.stdout).expect("JSON");
    regles_de(&v)
}

fn regles_de(d: &Value) -> BTreeSet<String> {
    d["constats"]
        .as_array()
        .map_or_else(BTreeSet::new, |c| c.iter().filter_map(|x| x["regle"].as_str().map(String::from)).collect())
}

#[test]
fn pinned_cases_fire_or_not() {
    let racine = Path::new("tests/cases");
    let resultats = verifier_dossier(racine);
    let regles = Regles::embarquees().expect("embedded packs");
    let mut echecs = Vec::new();
    let mut couverts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (source, d) in &resultats {
        let chemin = Path::new(source);
        let Ok(relatif) = chemin.strip_prefix(racine) else { continue };
        let parties: Vec<&str> = relatif.iter().filter_map(|p| p.to_str()).collect();
        let [id, genre, _fichier] = parties.as_slice() else { continue };
        let mut presents = regles_de(d);
        // A case of a bilan rule: its findings are those of `fnp check` and `fnp bilan`.
        if regles.regle(id).is_some_and(|(_, r)| r.du_bilan()) {
            presents.extend(regles_du_bilan(chemin));
        }
        let entree = couverts.entry(id.to_string()).or_default();
        match *genre {
            "declenche" => {
                entree.0 += 1;
                if !presents.contains(*id) {
                    echecs.push(format!("{source} : {id} attendu, constats {presents:?}"));
                }
            }
            "ne-declenche-pas" => {
                entree.1 += 1;
                if presents.contains(*id) {
                    echecs.push(format!("{source} : {id} ne devait pas se déclencher : {:#}", d["constats"]));
                }
            }
            _ => {}
        }
    }
    assert!(echecs.is_empty(), "{} cas en échec :\n{}", echecs.len(), echecs.join("\n"));
    for id in catalogue().unwrap_or_default().keys() {
        if id == "SAISIE-COLONNE-INCONNUE" {
            continue; // workbooks only
        }
        let (oui, non) = couverts.get(id).copied().unwrap_or_default();
        assert!(oui > 0, "{id} : aucun cas qui le déclenche dans tests/cases/{id}/declenche");
        if id != "LECTURE" {
            assert!(non > 0, "{id} : aucun cas voisin qui ne le déclenche pas dans tests/cases/{id}/ne-declenche-pas");
        }
    }
}

/// Budget figures computed by hand from rules.md's definitions, to the cent.
#[test]
fn budget_figures_match_hand_computed_ones() {
    let racine = Path::new("tests/cases/budget");
    let resultats = verifier_dossier(racine);
    let mut n = 0;
    for (source, d) in &resultats {
        let attendu_chemin = Path::new(source).with_extension("json");
        let attendu: Value = serde_json::from_str(
            &std::fs::read_to_string(&attendu_chemin).unwrap_or_else(|e| panic!("{}: {e}", attendu_chemin.display())),
        )
        .expect("expected JSON");
        // The figures; the sentence on what bounds the FNP amount is checked below.
        let mut budget = d["budget"].clone();
        let phrase = budget.as_object_mut().and_then(|b| b.remove("explication"));
        assert_eq!(budget, attendu, "{source}");
        if source.ends_with("personnel-sans-hausse.toml") {
            let phrase = phrase.as_ref().and_then(Value::as_str).unwrap_or_else(|| panic!("{source}: no sentence"));
            for attendu in [
                "Le montant FNP finançable (1\u{202f}900,49\u{a0}€) est limité par les dépenses éligibles, pas par le plafond Caf (2\u{202f}320,39\u{a0}€)",
                "2\u{202f}000,00\u{a0}€ de dépenses ne sont pas comptés, « Animatrice, temps de travail habituel » (2\u{202f}000,00\u{a0}€, salaire sans hausse du temps de travail)",
                "indiquez hausse_temps_travail = true sur sa ligne",
            ] {
                assert!(phrase.contains(attendu), "{source}: {phrase}");
            }
        }
        // Bounded by the ceiling, or nothing left out: no sentence.
        if source.ends_with("plafond-arrondi-inferieur.toml") || source.ends_with("exemple-format.toml") {
            assert!(phrase.is_none(), "{source}: {phrase:?}");
        }
        n += 1;
    }
    assert!(n >= 6, "only {n} budget cases");
}

#[test]
fn the_docs_describe_every_key_and_every_kind_of_check() {
    let format = std::fs::read_to_string("docs/format.md").expect("docs/format.md");
    for c in fnp::model::schema::champs::CHAMPS {
        let cle = c.cle.rsplit('.').next().unwrap_or(c.cle);
        assert!(format.contains(&format!("| `{cle}` |")), "docs/format.md ne décrit pas {}", c.cle);
        // With the name the workbook shows for it.
        assert!(
            format.contains(&format!("| `{cle}` | {} |", c.libelle)),
            "docs/format.md ne donne pas le nom « {} » de {}",
            c.libelle,
            c.cle
        );
    }
    let regles = std::fs::read_to_string("docs/regles.md").expect("docs/regles.md");
    for v in fnp::rules::VERIFICATIONS {
        assert!(regles.contains(&format!("| `{v}` |")), "docs/regles.md ne décrit pas la vérification {v}");
    }
}

// ---------------------------------------------------------------------------------------
// Money invariants over generated dossiers (rules v2).

mod invariants {
    use fnp::check::{self, Verdict};
    use fnp::rules::{Gravite, Regles};
    use proptest::prelude::*;

    const NATURES: &[&str] = &["prestation", "location", "personnel", "fonctionnement", "investissement"];
    const COMPTES: &[Option<&str>] = &[None, None, Some("6226"), Some("864"), Some("871"), Some("2183"), Some("6811")];
    const DISPOSITIFS: &[Option<&str>] = &[None, None, Some("laep"), Some("clas")];
    const FINANCEURS: &[&str] = &["caf-fnp", "caf-autre", "commune", "participation-familles", "etat"];

    fn montant() -> impl Strategy<Value = String> {
        (0u32..400_000).prop_map(|c| format!("\"{}.{:02}\"", c / 100, c % 100))
    }

    fn depense() -> impl Strategy<Value = String> {
        (0..NATURES.len(), 0..COMPTES.len(), 0..DISPOSITIFS.len(), any::<bool>(), montant()).prop_map(
            |(n, c, d, h, m)| {
                let mut t = format!("[[depense]]\nnature = \"{}\"\nlibelle = \"ligne\"\nmontant = {m}\n", NATURES[n]);
                if let Some(c) = COMPTES[c] {
                    t.push_str(&format!("compte = \"{c}\"\n"));
                }
                if let Some(d) = DISPOSITIFS[d] {
                    t.push_str(&format!("dispositif = \"{d}\"\n"));
                }
                t.push_str(&format!("hausse_temps_travail = {h}\n"));
                t
            },
        )
    }

    fn recette() -> impl Strategy<Value = String> {
        (0..FINANCEURS.len(), 0..DISPOSITIFS.len(), montant()).prop_map(|(f, d, m)| {
            let mut t = format!("[[recette]]\nfinanceur = \"{}\"\nmontant = {m}\n", FINANCEURS[f]);
            if let Some(d) = DISPOSITIFS[d] {
                t.push_str(&format!("dispositif = \"{d}\"\n"));
            }
            t
        })
    }

    /// A lieu ressource (3.1, where tags take effect) or a café des parents (1.1), with
    /// every qualitative requirement met so that only the budget decides.
    fn dossier(lieu: bool, finance_caf: bool, depenses: &[String], recettes: &[String]) -> String {
        let action = if lieu {
            "axe = 3\nvolet = 1\ntype = \"lieu-ressource\"\npartenaires = [\"pmi\"]\n\n[territoire]\nechelle = \"epci\"\n\n\
             [lieu]\ndemi_journees_ouverture = 5\netp_referent = 0.5\naccueillant_qualifie = true\n\
             missions = [\"information\", \"accueil-inconditionnel\", \"appui-collectifs\", \"services\"]\n\
             espace_confidentiel = true\nespace_collectif = true\naccessible = true\nacces_specifique = true\n\
             accueil_handicap = true\n\n[indicateurs]\nfamilles_accueillies = 1\nanimations = 1\npartenariats = 1\n\
             instances_partenariales = 1\n"
        } else {
            "axe = 1\nvolet = 1\ntype = \"cafe-des-parents\"\n\n[groupe]\nparticipants_min = 8\nparticipants_max = 12\n\
             seances = 10\n\n[indicateurs]\nparticipants = 10\nparents_differents = 8\nseances = 10\npresence_moyenne = 8\n"
        };
        format!(
            "format = 1\nexercice = 2025\n\n[caf]\ndepartement = \"75\"\n\n[porteur]\nnom = \"A\"\nstatut = \"association\"\n\
             departement = \"75\"\ncontrat_engagement_republicain = true\ncharte_parentalite = true\nfinance_caf = {finance_caf}\n\n\
             [action]\nintitule = \"A\"\ndebut = 2025-01-01\nfin = 2025-12-31\npublic = [\"parents\"]\n{action}\n{}\n{}",
            depenses.join("\n"),
            recettes.join("\n")
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn no_error_means_the_request_fits_the_maximum(
            lieu in any::<bool>(),
            finance_caf in any::<bool>(),
            depenses in proptest::collection::vec(depense(), 1..6),
            recettes in proptest::collection::vec(recette(), 1..6),
        ) {
            let regles = Regles::embarquees().expect("embedded packs");
            let texte = dossier(lieu, finance_caf, &depenses, &recettes);
            let lu = fnp::lecture::toml::lire_toml(&texte, "genere.toml").expect("a generated dossier reads");
            let r = check::verifier("genere.toml", &lu, &regles);
            let b = r.budget.as_ref().expect("budget computed");
            prop_assert!(b.montant_max_fnp <= b.plafond_caf, "{texte}");
            prop_assert!(b.montant_max_fnp <= b.total_eligible, "{texte}");
            prop_assert!(b.montant_max_fnp >= rust_decimal::Decimal::ZERO);
            if !r.constats.iter().any(|c| c.gravite == Gravite::Erreur) {
                prop_assert!(r.verdict != Verdict::NonConforme);
                prop_assert!(
                    b.demande_fnp <= b.montant_max_fnp,
                    "demande {} > maximum {} for a dossier without error:\n{texte}",
                    b.demande_fnp,
                    b.montant_max_fnp
                );
            }
        }
    }
}

/// Rules v3: `GEN-PLAFOND-CAF` quotes the branche Famille's general 80 % rule, which holds
/// for every action; a café des parents over the ceiling is not shown the lieu ressource's
/// LAEP and Clas case.
#[test]
fn the_ceiling_quotes_the_general_80_percent_rule() {
    let o = Command::cargo_bin("fnp")
        .expect("binary")
        .args(["check", "--format", "json", "tests/cases/GEN-PLAFOND-CAF/declenche/un-centime-au-dessus.toml"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let constats = v["dossiers"][0]["constats"].as_array().expect("constats");
    let plafond = constats.iter().find(|c| c["regle"] == "GEN-PLAFOND-CAF").expect("GEN-PLAFOND-CAF");
    assert_eq!(plafond["citation"], "la règle budgétaire relative au plafond de financement fixé à 80%", "{plafond}");
}

/// Every message of every pack rendered in both media (a TOML file, a workbook): no
/// placeholder left, and in a workbook's words no TOML syntax and no dotted key — what a
/// treasurer who fills the workbook reads, and what the annotated copy's comments say.
#[test]
fn every_message_renders_in_both_media() {
    use fnp::rules::{Support, remplir_pour, variables_du_modele};
    let regles = Regles::embarquees().expect("rules");
    let cle_pointee = regex_lite_cle();
    let mut classeur = String::new();
    for (_, regle) in regles.toutes() {
        for cas in &regle.cas {
            for (situation, modele) in &cas.messages {
                let noms: Vec<String> = variables_du_modele(modele).into_iter().filter(|v| !v.contains(':')).collect();
                let valeurs: Vec<(&str, String)> = noms.iter().map(|v| (v.as_str(), "X".to_string())).collect();
                for support in [Support::Toml, Support::Classeur] {
                    let m = remplir_pour(modele, &valeurs, support);
                    assert!(!m.contains('{') && !m.contains('}'), "{} {situation} {support:?}: {m}", regle.id);
                    if support == Support::Classeur {
                        for interdit in ["[[", "= \"", "= true", "= false", "[indicateurs", "[bilan", "[telephonie"] {
                            assert!(!m.contains(interdit), "{} {situation}: « {interdit} » in: {m}", regle.id);
                        }
                        assert!(!cle_pointee(&m), "{} {situation}: a dotted key in: {m}", regle.id);
                    }
                }
                let nom = if situation.is_empty() { regle.id.clone() } else { format!("{}.{situation}", regle.id) };
                classeur.push_str(&format!("{nom} : {}\n", remplir_pour(modele, &valeurs, Support::Classeur)));
            }
        }
    }
    insta::assert_snapshot!("messages_en_classeur", classeur);
}

/// Whether a text holds a dotted key of the dossier (`porteur.finance_caf`).
fn regex_lite_cle() -> impl Fn(&str) -> bool {
    let sections: Vec<&str> = fnp::model::schema::SECTIONS.to_vec();
    move |m: &str| {
        sections.iter().any(|s| {
            m.match_indices(&format!("{s}.")).any(|(i, _)| {
                let avant = m[..i].chars().next_back();
                let apres = m[i + s.len() + 1..].chars().next();
                !avant.is_some_and(char::is_alphanumeric) && apres.is_some_and(|c| c.is_ascii_lowercase())
            })
        })
    }
}
