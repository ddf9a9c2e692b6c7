//! Tests of `classeur.rs`.

use super::cellules::{code_saisi, date_excel};
use super::csv::decoder;
use super::*;

#[test]
fn names_match_loosely() {
    assert_eq!(normaliser("Dépenses"), "depenses");
    assert_eq!(normaliser(" Montant (€) "), "montant");
    assert_eq!(normaliser("Hausse du temps de travail"), "hausse_du_temps_de_travail");
    assert_eq!(normaliser("hausse_temps_travail"), "hausse_temps_travail");
    assert_eq!(code_saisi("Petit matériel"), "petit-materiel");
    assert_eq!(code_saisi("Association"), "association");
}

#[test]
fn columns_and_dates() {
    assert_eq!(lettres_colonne(0), "A");
    assert_eq!(lettres_colonne(25), "Z");
    assert_eq!(lettres_colonne(26), "AA");
    assert_eq!(lettres_colonne(27), "AB");
    assert_eq!(date_excel(45_665.0), Date::new(2025, 1, 8));
    assert_eq!(Date::lire_texte("08/01/2025"), Date::new(2025, 1, 8));
    assert_eq!(Date::lire_texte("2025-01-08T00:00:00"), Date::new(2025, 1, 8));
    // The French forms people type, and the ISO form without its zeros.
    for t in ["08-01-2025", "08.01.2025", "8/1/2025", "2025-1-8", "2025-01-08"] {
        assert_eq!(Date::lire_texte(t), Date::new(2025, 1, 8), "{t}");
    }
    for t in ["2025/01/08", "08-01-25", "1.200", "2025-13-01", "x-y-z", "08012025"] {
        assert_eq!(Date::lire_texte(t), None, "{t}");
    }
}

#[test]
fn cells_are_read_as_people_meant_them() {
    let c = |g, d: Data, k| convertir(g, &d, k);
    assert_eq!(c(Genre::Departement, Data::Float(1.0), "caf.departement"), Ok(Valeur::Texte("01".into())));
    assert_eq!(c(Genre::Departement, Data::String("2a".into()), "caf.departement"), Ok(Valeur::Texte("2A".into())));
    assert_eq!(
        c(Genre::Texte, Data::Float(73_282_932_000_074.0), "porteur.siret"),
        Ok(Valeur::Texte("73282932000074".into()))
    );
    assert_eq!(c(Genre::Booleen, Data::String("Oui".into()), "x"), Ok(Valeur::Booleen(true)));
    assert_eq!(c(Genre::Booleen, Data::String("faux".into()), "x"), Ok(Valeur::Booleen(false)));
    assert_eq!(c(Genre::Montant, Data::Float(1200.1), "montant"), Ok(Valeur::Decimal(Decimal::new(120010, 2))));
    assert_eq!(c(Genre::Montant, Data::Float(0.1 + 0.2), "montant"), Ok(Valeur::Decimal(Decimal::new(30, 2))));
    assert_eq!(
        c(Genre::Montant, Data::String("1 200,50 €".into()), "montant"),
        Ok(Valeur::Decimal(Decimal::new(120050, 2)))
    );
    assert!(c(Genre::Montant, Data::Float(0.125), "montant").is_err());
    assert_eq!(c(Genre::Ages, Data::String("0-3".into()), "x"), Ok(Valeur::Ages(0, 3)));
    assert_eq!(c(Genre::Ages, Data::String("0, 3".into()), "x"), Ok(Valeur::Ages(0, 3)));
    assert_eq!(
        c(Genre::ListeChoix(schema::MISSIONS), Data::String("information, Accueil inconditionnel".into()), "x"),
        Ok(Valeur::Liste(vec!["information".into(), "accueil-inconditionnel".into()]))
    );
    assert!(matches!(c(Genre::Montant, Data::Error(calamine::CellErrorType::Ref), "montant"), Err((MONTANT, _))));
    // An enumerated value by its French label.
    assert_eq!(
        c(Genre::Choix(schema::FINANCEURS), Data::String("Caf : Fonds national parentalité".into()), "financeur"),
        Ok(Valeur::Texte("caf-fnp".into()))
    );
    assert_eq!(
        c(Genre::Choix(schema::STATUTS), Data::String("Centre social".into()), "porteur.statut"),
        Ok(Valeur::Texte("centre-social".into()))
    );
}

#[test]
fn csv_encodings() {
    assert_eq!(decoder(b"\xef\xbb\xbfD\xc3\xa9penses"), "Dépenses");
    assert_eq!(decoder(b"D\xe9penses"), "Dépenses");
    assert_eq!(decoder(b"\xff\xfeD\x00\xe9\x00"), "Dé");
}
