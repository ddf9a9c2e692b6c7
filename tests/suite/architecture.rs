//! The layout of `src/` (ARCHITECTURE.md): no circle between its files. A circle is files whose
//! `crate::`, `super::` or `self::` paths reach each other, a parent's `pub use` of a child
//! included (`mod x;` is not). A path is taken to the deepest file it names
//! (`crate::lecture::limites::Limites` is `src/lecture/limites.rs`); test modules are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every file of `src/` (but `main.rs`) by its module path: `lib.rs` is `[]`,
/// `lecture/mod.rs` and `lecture.rs` are `["lecture"]`.
fn modules(racine: &Path) -> BTreeMap<Module, String> {
    let mut sortie = BTreeMap::new();
    let mut pile = vec![racine.to_path_buf()];
    while let Some(d) = pile.pop() {
        for e in std::fs::read_dir(&d).expect("read src").flatten() {
            let p = e.path();
            if p.is_dir() {
                pile.push(p);
                continue;
            }
            if p.extension().and_then(|x| x.to_str()) != Some("rs") {
                continue;
            }
            let relatif = p.strip_prefix(racine).expect("under src").with_extension("");
            let mut m: Module = relatif.iter().map(|c| c.to_string_lossy().into_owned()).collect();
            if m == ["main"] {
                continue;
            }
            if matches!(m.last().map(String::as_str), Some("mod" | "lib")) {
                m.pop();
            }
            sortie.insert(m, std::fs::read_to_string(&p).expect("read"));
        }
    }
    sortie
}

/// The text without test modules, comments and the contents of string literals.
fn code(texte: &str) -> String {
    let texte = match texte.find("#[cfg(test)]\nmod ") {
        Some(i) => &texte[..i],
        None => texte,
    };
    let mut sortie = String::with_capacity(texte.len());
    let o = texte.as_bytes();
    let mut i = 0;
    while i < o.len() {
        if o[i..].starts_with(b"//") {
            while i < o.len() && o[i] != b'\n' {
                i += 1;
            }
        } else if o[i..].starts_with(b"/*") {
            i += 2;
            while i < o.len() && !o[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if o[i] == b'"' {
            sortie.push('"');
            i += 1;
            while i < o.len() && o[i] != b'"' {
                i += if o[i] == b'\\' { 2 } else { 1 };
            }
            sortie.push('"');
            i += 1;
        } else if o[i] == b'\'' && o.get(i + 2) == Some(&b'\'') {
            // A character literal ('"', '{'): its content would mislead the scan.
            sortie.push_str("' '");
            i += 3;
        } else {
            let c = texte[i..].chars().next().unwrap_or(' ');
            sortie.push(c);
            i += c.len_utf8();
        }
    }
    sortie
}

/// The paths of a use tree (`a::{b, c::{d, e as f}}` → `a::b`, `a::c::d`, `a::c::e`).
fn chemins_use(prefixe: &[String], arbre: &str) -> Vec<Vec<String>> {
    let arbre = arbre.trim();
    if let Some(ouvre) = arbre.find('{')
        && arbre.ends_with('}')
    {
        let base: Vec<String> =
            arbre[..ouvre].split("::").map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        let mut p = prefixe.to_vec();
        p.extend(base);
        let interieur = &arbre[ouvre + 1..arbre.len() - 1];
        let (mut profondeur, mut debut, mut sortie) = (0, 0, Vec::new());
        for (k, c) in interieur.char_indices() {
            match c {
                '{' => profondeur += 1,
                '}' => profondeur -= 1,
                ',' if profondeur == 0 => {
                    sortie.extend(chemins_use(&p, &interieur[debut..k]));
                    debut = k + 1;
                }
                _ => {}
            }
        }
        if !interieur[debut..].trim().is_empty() {
            sortie.extend(chemins_use(&p, &interieur[debut..]));
        }
        return sortie;
    }
    let arbre = arbre.split(" as ").next().unwrap_or(arbre);
    let mut p = prefixe.to_vec();
    p.extend(arbre.split("::").map(str::trim).filter(|s| !s.is_empty()).map(String::from));
    vec![p]
}

/// The file a path reaches from module `m`; `enfant`: a first segment naming a child module
/// counts (a `pub use` of a child).
fn fichier_de(m: &Module, chemin: &[String], fichiers: &BTreeMap<Module, String>, enfant: bool) -> Option<Module> {
    let (mut base, mut reste): (Module, &[String]) = match chemin.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &chemin[1..]),
        Some("super") | Some("self") => (m.clone(), chemin),
        Some(premier) if enfant && fichiers.contains_key(&[m.as_slice(), &[premier.to_string()]].concat()) => {
            (m.clone(), chemin)
        }
        _ => return None,
    };
    while let Some(s) = reste.first() {
        match s.as_str() {
            "super" => {
                base.pop()?;
            }
            "self" => {}
            _ => break,
        }
        reste = &reste[1..];
    }
    let mut trouve = None;
    for k in 0..=reste.len() {
        let mut candidat = base.clone();
        candidat.extend(reste[..k].iter().cloned());
        if fichiers.contains_key(&candidat) {
            trouve = Some(candidat);
        }
    }
    trouve
}

fn dependances(fichiers: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut aretes = BTreeMap::new();
    for (m, texte) in fichiers {
        let c = code(texte);
        let mut deps = BTreeSet::new();
        // `use` items, with whether they are public.
        let mut reste = c.as_str();
        while let Some(i) = reste.find("use ") {
            let avant = &reste[..i];
            let mot_entier = avant.chars().last().is_none_or(|x| !x.is_alphanumeric() && x != '_');
            let ligne = avant.rsplit('\n').next().unwrap_or("");
            let Some(fin) = reste[i..].find(';') else { break };
            if mot_entier {
                let public = ligne.trim_start().starts_with("pub");
                for chemin in chemins_use(&[], &reste[i + 4..i + fin]) {
                    if let Some(f) = fichier_de(m, &chemin, fichiers, public) {
                        deps.insert(f);
                    }
                }
            }
            reste = &reste[i + 4..];
        }
        // Paths in the code.
        let octets = c.as_bytes();
        for debut in ["crate::", "super::", "self::"] {
            for (i, _) in c.match_indices(debut) {
                if i > 0 && (octets[i - 1].is_ascii_alphanumeric() || octets[i - 1] == b'_' || octets[i - 1] == b':') {
                    continue;
                }
                let fin =
                    c[i..].find(|x: char| !(x.is_alphanumeric() || x == '_' || x == ':')).map_or(c.len(), |f| i + f);
                let chemin: Vec<String> = c[i..fin].split("::").filter(|s| !s.is_empty()).map(String::from).collect();
                if let Some(f) = fichier_de(m, &chemin, fichiers, false) {
                    deps.insert(f);
                }
            }
        }
        deps.remove(m);
        aretes.insert(m.clone(), deps);
    }
    aretes
}

/// The circles (strongly connected components of more than one file), as file lists.
fn cercles(aretes: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    // Kosaraju: an order by finishing time, then the reversed graph in that order.
    fn visiter(
        v: &Module,
        a: &BTreeMap<Module, BTreeSet<Module>>,
        vus: &mut BTreeSet<Module>,
        ordre: &mut Vec<Module>,
    ) {
        if !vus.insert(v.clone()) {
            return;
        }
        for w in a.get(v).into_iter().flatten() {
            visiter(w, a, vus, ordre);
        }
        ordre.push(v.clone());
    }
    let mut vus = BTreeSet::new();
    let mut ordre = Vec::new();
    for v in aretes.keys() {
        visiter(v, aretes, &mut vus, &mut ordre);
    }
    let mut inverse: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (v, ws) in aretes {
        for w in ws {
            inverse.entry(w.clone()).or_default().insert(v.clone());
        }
    }
    let mut places = BTreeSet::new();
    let mut sortie = Vec::new();
    for v in ordre.iter().rev() {
        let mut composante = Vec::new();
        visiter(v, &inverse, &mut places, &mut composante);
        if composante.len() > 1 {
            let mut noms: Vec<String> =
                composante.iter().map(|m| if m.is_empty() { "lib".to_string() } else { m.join("/") }).collect();
            noms.sort();
            sortie.push(noms);
        }
    }
    sortie
}

#[test]
fn no_circle_between_the_files_of_src() {
    let fichiers = modules(Path::new("src"));
    assert!(fichiers.contains_key(&vec!["lecture".to_string(), "limites".to_string()]), "src/ not found");
    let aretes = dependances(&fichiers);
    let trouves = cercles(&aretes);
    assert!(trouves.is_empty(), "circles in src/ (ARCHITECTURE.md): {trouves:#?}");
}

/// The finder finds: a parent that re-exports a child reaching back is a circle, a parent that
/// only declares it is not, and a path is taken to the deepest file it names.
#[test]
fn the_circle_finder_sees_a_parent_and_its_child() {
    let m = |s: &str| -> Module { if s.is_empty() { Vec::new() } else { s.split('/').map(String::from).collect() } };
    let cas = |parent: &str| -> Vec<Vec<String>> {
        let mut f = BTreeMap::new();
        f.insert(m(""), "pub mod a;\n".to_string());
        f.insert(m("a"), parent.to_string());
        f.insert(m("a/b"), "use super::Chose;\nfn f() { let s = \"crate::a::b\"; }\n".to_string());
        f.insert(m("a/c"), "pub fn g() { crate::a::b::f(); }\n".to_string());
        cercles(&dependances(&f))
    };
    assert_eq!(cas("pub struct Chose;\npub use b::f;\n"), vec![vec!["a".to_string(), "a/b".to_string()]]);
    assert!(cas("pub struct Chose;\nmod b;\nuse b::f;\n").is_empty());
    assert!(cas("pub struct Chose;\n// pub use b::f;\n").is_empty());
    // Through a sibling: a re-exports c, c calls into b (`crate::a::b::f` is b's file), b
    // reaches back to a.
    let trois = vec![vec!["a".to_string(), "a/b".to_string(), "a/c".to_string()]];
    assert_eq!(cas("pub struct Chose;\npub use c::g;\n"), trois);
    assert_eq!(
        cas("fn h() { super::a::b::f(); }\npub struct Chose;\n"),
        vec![vec!["a".to_string(), "a/b".to_string()]]
    );
}
