//! `fnp drop`: what `verifier-un-dossier.cmd` runs when folders or workbooks are dropped on
//! it in the Explorer (hostile round 4).
//!
//! The script parses nothing. The Explorer quotes a dropped path only when it holds a space,
//! so a folder named `Retours&injecte` reaches cmd unquoted, and anything cmd does with it
//! (`%1`, `%~f1`, `shift`) splits it at `&`, `,`, `;`, `=`, eats `^` and expands `%…%`.
//! The script therefore copies cmd's own command line (`%cmdcmdline%`, read with delayed
//! expansion, which happens after cmd has parsed the line) into `FNP_LIGNE_DEPOT`, its own
//! path into `FNP_SCRIPT`, starts `fnp.exe drop`, and ends with `exit`, so that cmd never
//! runs what follows an `&` of its command line. Here the dropped paths are found in that
//! raw line, as the Explorer wrote them.
//!
//! Each run checks everything that was dropped at once, writes one report and the annotated
//! copies beside it (« NOM - rapport fnp », « NOM - copies annotées fnp »), replaces a
//! report only in a folder fnp created, opens the report it wrote (never an older one), and
//! waits for Enter so that the window can be read. `FNP_SANS_OUVRIR` and `FNP_SANS_PAUSE`
//! turn the last two off (tests).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::lecture::Affiche;
use crate::{CheckSettings, Erreur, Format, code};

/// The variable holding cmd's command line (`%cmdcmdline%`), set by the script.
pub const VARIABLE_LIGNE: &str = "FNP_LIGNE_DEPOT";
/// The variable holding the script's own path (`%~f0`), set by the script.
pub const VARIABLE_SCRIPT: &str = "FNP_SCRIPT";

#[derive(Debug, Clone)]
pub struct DropSettings {
    /// Paths given on fnp's own command line; when none, those of the script's line.
    pub chemins: Vec<PathBuf>,
}

/// The paths dropped on the script, from cmd's command line as the Explorer built it
/// (`C:\Windows\system32\cmd.exe /c ""C:\fnp\verifier-un-dossier.cmd" C:\Retours&x "D:\a b""`):
/// what follows the script's name, split at spaces outside double quotes, quotes removed. A
/// path is quoted by the Explorer when it holds a space, so an unquoted one holds none; every
/// other character (`& , ; = ^ % ! ( )`) is kept as written. `script` is the script's path
/// (`%~f0`); its file name is looked for when the line names it otherwise (a short name).
pub fn chemins_de_la_ligne(ligne: &str, script: &str) -> Vec<String> {
    // ASCII case only: byte offsets stay those of the line.
    let minuscule = ligne.to_ascii_lowercase();
    let nom = script.rsplit(['\\', '/']).next().unwrap_or(script).to_ascii_lowercase();
    let apres_script = [script.to_ascii_lowercase(), nom]
        .iter()
        .filter(|s| !s.is_empty())
        .find_map(|s| minuscule.find(s.as_str()).map(|i| i + s.len()));
    let Some(reste) = apres_script.and_then(|debut| ligne.get(debut..)) else { return Vec::new() };
    // The script's closing quote, then cmd's outer quote at the very end (`/c "…"`).
    let reste = reste.strip_prefix('"').unwrap_or(reste);
    let reste = reste.trim_end();
    let reste = reste.strip_suffix('"').filter(|r| r.matches('"').count() % 2 == 0).unwrap_or(reste);
    let mut chemins = Vec::new();
    let mut courant = String::new();
    let mut entre_guillemets = false;
    for c in reste.chars() {
        match c {
            '"' => entre_guillemets = !entre_guillemets,
            c if c.is_whitespace() && !entre_guillemets => {
                if !courant.is_empty() {
                    chemins.push(std::mem::take(&mut courant));
                }
            }
            c => courant.push(c),
        }
    }
    if !courant.is_empty() {
        chemins.push(courant);
    }
    chemins
}

/// Where the report and the annotated copies of a drop go: beside what was dropped, named
/// after it (« Retours 2026 - rapport fnp »); for several, in the folder of the first, named
/// « fichiers déposés ».
pub fn sorties(chemins: &[PathBuf]) -> Option<(PathBuf, PathBuf)> {
    let premier = chemins.first()?;
    let base = if chemins.len() == 1 {
        premier.clone()
    } else {
        premier.parent().unwrap_or(Path::new(".")).join("fichiers déposés")
    };
    let avec = |suffixe: &str| {
        let mut nom = base.clone().into_os_string();
        nom.push(suffixe);
        PathBuf::from(nom)
    };
    Some((avec(" - rapport fnp"), avec(" - copies annotées fnp")))
}

pub fn executer(s: &DropSettings, sortie: &mut dyn Write) -> Result<u8, Erreur> {
    let code = deposer(s, sortie)?;
    attendre();
    Ok(code)
}

fn deposer(s: &DropSettings, sortie: &mut dyn Write) -> Result<u8, Erreur> {
    let chemins: Vec<PathBuf> = if s.chemins.is_empty() {
        // cmd's line as the script read it (`%cmdcmdline%`), else as the system keeps it for
        // the cmd that started fnp (wine's cmd has no `%cmdcmdline%`).
        let ligne = std::env::var(VARIABLE_LIGNE)
            .ok()
            .filter(|l| !l.trim().is_empty())
            .or_else(ligne_du_parent)
            .unwrap_or_default();
        let script = std::env::var(VARIABLE_SCRIPT).unwrap_or_default();
        chemins_de_la_ligne(&ligne, &script).into_iter().map(PathBuf::from).collect()
    } else {
        s.chemins.clone()
    };
    let mut dire = |t: &str| -> Result<(), Erreur> {
        crate::ecrire_sans_tuyau_casse(writeln!(sortie, "{}", crate::report::visible(t)))
    };
    if chemins.is_empty() {
        dire(
            "Pour vérifier des dossiers, glissez sur verifier-un-dossier.cmd le dossier qui contient les classeurs reçus des associations, ou un ou plusieurs classeurs.",
        )?;
        dire("Le rapport et les copies annotées seront écrits à côté de ce que vous avez glissé.")?;
        return Ok(code::ECHEC);
    }
    let introuvables: Vec<&PathBuf> = chemins.iter().filter(|c| std::fs::symlink_metadata(c).is_err()).collect();
    if !introuvables.is_empty() {
        for c in introuvables {
            dire(&format!("{} est introuvable : rien n'a été vérifié.", c.affiche()))?;
        }
        return Ok(code::ECHEC);
    }
    let Some((rapport, copies)) = sorties(&chemins) else { return Ok(code::ECHEC) };
    // Replace only what fnp itself created: a folder of the same name made by someone else
    // is never overwritten.
    for d in [&rapport, &copies] {
        if std::fs::symlink_metadata(d).is_ok() && !crate::ecriture::verrou::est_sortie_de_fnp(d) {
            dire(&format!(
                "{} existe déjà et n'a pas été créé par fnp : fnp n'y écrit rien. Renommez-le ou déplacez-le, puis recommencez.",
                d.affiche()
            ))?;
            return Ok(code::ECHEC);
        }
    }
    let force =
        crate::ecriture::verrou::est_sortie_de_fnp(&rapport) || crate::ecriture::verrou::est_sortie_de_fnp(&copies);
    for c in &chemins {
        dire(&format!("\nVérification de {}\n", c.affiche()))?;
    }
    let reglages = CheckSettings {
        chemins: chemins.clone(),
        format: Format::Humain,
        strict: false,
        regles: None,
        silencieux: true,
        jobs: None,
        limites: crate::lecture::limites::Limites::default(),
        rapport: Some(rapport.clone()),
        annoter: Some(copies.clone()),
        force,
        progression: true,
        expliquer: false,
        suivre_liens: false,
        forcages: Vec::new(),
    };
    let resultat = super::check::executer(&reglages, sortie);
    let mut dire = |t: &str| -> Result<(), Erreur> {
        crate::ecrire_sans_tuyau_casse(writeln!(sortie, "{}", crate::report::visible(t)))
    };
    dire("")?;
    let code = match resultat {
        Ok(code) => code,
        Err(e @ Erreur::Interrompu) => return Err(e),
        Err(e) => {
            dire(&format!("Erreur : {e}"))?;
            dire(
                "Aucun rapport n'a été écrit par cette vérification : un rapport plus ancien, s'il y en a un, n'est pas à jour.",
            )?;
            return Ok(code::ECHEC);
        }
    };
    dire(match code {
        code::OK => "Résultat : aucun dossier non conforme.",
        code::NON_CONFORME => "Résultat : au moins un dossier est non conforme ; le rapport dit pourquoi.",
        _ => {
            "Résultat : un fichier n'a pas pu être lu, ou une copie annotée n'a pas pu être écrite ; la raison est dite ci-dessus, sous son nom, et dans le rapport."
        }
    })?;
    let page = rapport.join("rapport.html");
    dire(&format!("Rapport : {}", page.affiche()))?;
    dire(&format!("Copies annotées : {}", copies.affiche()))?;
    if std::env::var_os("FNP_SANS_OUVRIR").is_none() {
        ouvrir(&page);
    }
    Ok(code)
}

/// The command line of the process that started fnp (the cmd running the script), as the
/// system keeps it: read from the parent's process parameters (its PEB), the parent found by
/// a process snapshot. Windows only (wine's cmd has no `%cmdcmdline%`, and wine does not
/// answer `ProcessCommandLineInformation`; both read the PEB).
#[cfg(windows)]
#[allow(non_snake_case, clippy::upper_case_acronyms)]
fn ligne_du_parent() -> Option<String> {
    use std::ffi::c_void;
    #[repr(C)]
    struct PROCESSENTRY32W {
        dwSize: u32,
        cntUsage: u32,
        th32ProcessID: u32,
        th32DefaultHeapID: usize,
        th32ModuleID: u32,
        cntThreads: u32,
        th32ParentProcessID: u32,
        pcPriClassBase: i32,
        dwFlags: u32,
        szExeFile: [u16; 260],
    }
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn CreateToolhelp32Snapshot(flags: u32, pid: u32) -> *mut c_void;
        fn Process32FirstW(h: *mut c_void, e: *mut PROCESSENTRY32W) -> i32;
        fn Process32NextW(h: *mut c_void, e: *mut PROCESSENTRY32W) -> i32;
        fn CloseHandle(h: *mut c_void) -> i32;
        fn OpenProcess(access: u32, inherit: i32, pid: u32) -> *mut c_void;
        fn GetCurrentProcessId() -> u32;
        fn ReadProcessMemory(
            h: *mut c_void,
            adresse: *const c_void,
            tampon: *mut c_void,
            taille: usize,
            lu: *mut usize,
        ) -> i32;
    }
    #[link(name = "ntdll")]
    unsafe extern "system" {
        fn NtQueryInformationProcess(
            h: *mut c_void,
            classe: u32,
            info: *mut c_void,
            taille: u32,
            rendu: *mut u32,
        ) -> i32;
    }
    const INSTANTANE_PROCESSUS: u32 = 0x2;
    const INFORMATION_ET_LECTURE: u32 = 0x0400 | 0x0010;
    const INFORMATION_DE_BASE: u32 = 0;
    // x64 layouts: PEB.ProcessParameters at 0x20; RTL_USER_PROCESS_PARAMETERS.CommandLine, a
    // UNICODE_STRING (length in bytes, capacity, pointer), at 0x70.
    const PARAMETRES: usize = 0x20;
    const LIGNE: usize = 0x70;
    // SAFETY: each call gets buffers of the size it is told; handles are checked and closed;
    // what is read from the other process is copied into buffers of this one, bounded.
    unsafe {
        let moi = GetCurrentProcessId();
        let instantane = CreateToolhelp32Snapshot(INSTANTANE_PROCESSUS, 0);
        if instantane.is_null() || instantane as isize == -1 {
            return None;
        }
        let mut e: PROCESSENTRY32W = std::mem::zeroed();
        e.dwSize = std::mem::size_of::<PROCESSENTRY32W>() as u32;
        let mut parent = None;
        let mut encore = Process32FirstW(instantane, &mut e) != 0;
        while encore {
            if e.th32ProcessID == moi {
                parent = Some(e.th32ParentProcessID);
                break;
            }
            encore = Process32NextW(instantane, &mut e) != 0;
        }
        CloseHandle(instantane);
        let processus = OpenProcess(INFORMATION_ET_LECTURE, 0, parent?);
        if processus.is_null() {
            return None;
        }
        let lire = |adresse: usize, tampon: &mut [u8]| -> bool {
            let mut lu = 0usize;
            ReadProcessMemory(processus, adresse as *const c_void, tampon.as_mut_ptr().cast(), tampon.len(), &mut lu)
                != 0
                && lu == tampon.len()
        };
        let ligne = (|| {
            let mut base = [0usize; 6];
            let mut rendu = 0u32;
            let etat = NtQueryInformationProcess(
                processus,
                INFORMATION_DE_BASE,
                base.as_mut_ptr().cast(),
                std::mem::size_of_val(&base) as u32,
                &mut rendu,
            );
            if etat < 0 || base[1] == 0 {
                return None;
            }
            let mut mot = [0u8; 8];
            lire(base[1] + PARAMETRES, &mut mot).then_some(())?;
            let parametres = usize::from_le_bytes(mot);
            let mut chaine = [0u8; 16];
            lire(parametres + LIGNE, &mut chaine).then_some(())?;
            let longueur = usize::from(u16::from_le_bytes([chaine[0], chaine[1]]));
            let adresse = usize::from_le_bytes(chaine[8..16].try_into().ok()?);
            let mut octets = vec![0u8; longueur];
            lire(adresse, &mut octets).then_some(())?;
            let mots: Vec<u16> = octets.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            Some(String::from_utf16_lossy(&mots))
        })();
        CloseHandle(processus);
        ligne
    }
}

#[cfg(not(windows))]
fn ligne_du_parent() -> Option<String> {
    None
}

/// Opens the report in the default browser, never through cmd (whose parsing a folder name
/// must never reach).
fn ouvrir(page: &Path) {
    #[cfg(windows)]
    let programme = "explorer";
    #[cfg(not(windows))]
    let programme = "xdg-open";
    let _ = std::process::Command::new(programme)
        .arg(page)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Waits for Enter so that the window the Explorer opened can be read, unless
/// `FNP_SANS_PAUSE` is set (tests).
fn attendre() {
    if std::env::var_os("FNP_SANS_PAUSE").is_some() {
        return;
    }
    eprintln!("\nAppuyez sur Entrée pour fermer cette fenêtre.");
    let mut ligne = String::new();
    let _ = std::io::stdin().read_line(&mut ligne);
}

#[cfg(test)]
mod tests {
    use super::chemins_de_la_ligne;

    const SCRIPT: &str = r"C:\fnp\verifier-un-dossier.cmd";

    fn ligne(arguments: &str) -> String {
        format!(r#"C:\windows\system32\cmd.exe /c ""C:\fnp\verifier-un-dossier.cmd" {arguments}""#)
    }

    #[test]
    fn the_dropped_paths_are_read_as_the_explorer_wrote_them() {
        // Unquoted (no space), every character cmd would act on kept as written.
        for nom in [r"C:\Retours&injecte", r"C:\Retours,2025", r"C:\A;B=C", r"C:\A^B", r"C:\%USERNAME%!x!(1)"] {
            assert_eq!(chemins_de_la_ligne(&ligne(nom), SCRIPT), [nom], "{nom}");
        }
        // Quoted when it holds a space; several at once.
        assert_eq!(
            chemins_de_la_ligne(&ligne(r#""C:\Retours (2026) & suivis" C:\b.xlsx"#), SCRIPT),
            [r"C:\Retours (2026) & suivis", r"C:\b.xlsx"]
        );
        // A double click: no path.
        assert!(chemins_de_la_ligne(&ligne(""), SCRIPT).is_empty());
        assert!(
            chemins_de_la_ligne(r#"C:\windows\system32\cmd.exe /c ""C:\fnp\verifier-un-dossier.cmd" ""#, SCRIPT)
                .is_empty()
        );
        // The script named otherwise in the line (case, a short folder name): found by its name.
        let l = r#"C:\WINDOWS\system32\cmd.exe /c ""C:\PROGRA~1\fnp\VERIFIER-UN-DOSSIER.cmd" C:\x&y""#;
        assert_eq!(chemins_de_la_ligne(l, SCRIPT), [r"C:\x&y"]);
        // Started from a prompt, cmd's line does not hold the script: nothing is guessed.
        assert!(chemins_de_la_ligne(r#""C:\windows\system32\cmd.exe""#, SCRIPT).is_empty());
    }
}
