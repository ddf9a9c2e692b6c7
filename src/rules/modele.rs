//! Message templates: `{name}` placeholders filled with the values of a finding.

/// Variables every message may use.
pub const VARIABLES_COMMUNES: &[&str] = &["champ", "type", "axe", "volet", "exercice", "departement"];

/// The placeholders of a template, in order.
pub fn variables_du_modele(modele: &str) -> Vec<String> {
    let mut sortie = Vec::new();
    let mut reste = modele;
    while let Some(debut) = reste.find('{') {
        let apres = &reste[debut + 1..];
        match apres.find('}') {
            Some(fin) => {
                sortie.push(apres[..fin].to_string());
                reste = &apres[fin + 1..];
            }
            None => break,
        }
    }
    sortie
}

/// Fills a template; an unknown placeholder is left as written (packs are checked at load
/// time, so this does not happen with a loaded pack).
pub fn remplir(modele: &str, valeurs: &[(&str, String)]) -> String {
    let mut sortie = String::with_capacity(modele.len() + 32);
    let mut reste = modele;
    while let Some(debut) = reste.find('{') {
        sortie.push_str(&reste[..debut]);
        let apres = &reste[debut + 1..];
        match apres.find('}') {
            Some(fin) => {
                let nom = &apres[..fin];
                match valeurs.iter().find(|(k, _)| *k == nom) {
                    Some((_, v)) => sortie.push_str(v),
                    None => {
                        sortie.push('{');
                        sortie.push_str(nom);
                        sortie.push('}');
                    }
                }
                reste = &apres[fin + 1..];
            }
            None => {
                sortie.push('{');
                reste = apres;
            }
        }
    }
    sortie.push_str(reste);
    sortie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill() {
        assert_eq!(remplir("{a} < {b} {c}", &[("a", "4".into()), ("b", "5".into())]), "4 < 5 {c}");
        assert_eq!(variables_du_modele("x {a} y {b}"), vec!["a", "b"]);
        assert_eq!(remplir("sans", &[]), "sans");
    }
}
