//! Tests of `modele.rs`.

use super::*;

#[test]
fn help_says_what_to_type_in_a_cell() {
    let aide = |cle| schema::champ(cle).map(aide_classeur).unwrap_or_default();
    assert_eq!(aide("action.debut"), "Obligatoire. Date de début de l'action (JJ/MM/AAAA).");
    assert_eq!(aide("action.age_enfants"), "Âges des enfants concernés, en années : min-max, par exemple 0-3.");
    assert_eq!(aide("action.animateurs"), "Qui anime, ex. caf, cpam. Valeurs séparées par des virgules.");
    assert_eq!(aide("caf.departement"), "Obligatoire. Département de la Caf destinataire (ex. 69).");
    for c in schema::champs::CHAMPS {
        let a = aide_classeur(c);
        assert!(!a.contains(['"', '[', ']']) && !a.contains("AAAA-MM-JJ"), "{}: {a}", c.cle);
    }
}

#[test]
fn texts_past_excel_s_limit_are_cut_with_a_mark() {
    assert_eq!(tronquer("court", TEXTE_MAX), "court");
    let juste = "é".repeat(TEXTE_MAX);
    assert!(matches!(tronquer(&juste, TEXTE_MAX), std::borrow::Cow::Borrowed(_)));
    // Characters outside the BMP count twice, as Excel counts them; never cut in half.
    for long in ["é".repeat(40_000), "😀".repeat(20_000), format!("a{}", "😀".repeat(20_000))] {
        let t = tronquer(&long, TEXTE_MAX);
        assert!(t.encode_utf16().count() <= TEXTE_MAX, "{}", t.encode_utf16().count());
        assert!(t.encode_utf16().count() >= TEXTE_MAX - 1);
        let n = long.chars().count();
        assert!(t.ends_with(&format!(" … [tronqué par fnp : {} caractères]", milliers(n))), "{}", &t[t.len() - 60..]);
    }
    assert_eq!(milliers(40_000), "40\u{202f}000");
}

/// A conversion refuses a text Excel cannot hold, naming its field; the annotated
/// copy writes it cut; never the writer's English.
#[test]
fn a_text_too_long_for_excel_is_refused_or_cut() {
    let mut lu = crate::lecture::lire(std::path::Path::new("tests/fixtures/cafe.toml"), "cafe.toml").expect("read");
    let long = "é".repeat(40_000);
    lu.dossier.champs.insert("action.intitule", Valeur::Texte(long));
    let e = ecrire(&Options { dossier: Some(&lu.dossier), ..Default::default() }).expect_err("refused");
    assert!(e.contains("« action.intitule »") && e.contains("40\u{202f}000 caractères"), "{e}");
    let (octets, _) =
        ecrire(&Options { dossier: Some(&lu.dossier), constats: Some(&[]), tronquer: true, ..Default::default() })
            .expect("cut");
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("copie.xlsx");
    std::fs::write(&f, octets).expect("write");
    let relu = crate::lecture::lire(&f, "copie.xlsx").expect("read back");
    match relu.dossier.valeur("action.intitule") {
        Some(Valeur::Texte(t)) => {
            assert!(t.starts_with("ééé") && t.ends_with("[tronqué par fnp : 40\u{202f}000 caractères]"), "{}", t.len())
        }
        autre => panic!("{autre:?}"),
    }
}

#[test]
fn wrapped_lines() {
    assert_eq!(lignes_pliees("", 10.0), 1);
    assert_eq!(lignes_pliees("un deux trois", 10.0), 2);
    assert_eq!(lignes_pliees("un\ndeux", 40.0), 2);
    assert_eq!(lignes_pliees(&"x".repeat(30), 10.0), 3);
}
