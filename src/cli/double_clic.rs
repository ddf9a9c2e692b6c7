//! fnp.exe opened with a double click: Windows gives it a console of its own, which closes
//! as soon as fnp ends. Without arguments it prints its help, then says how it is meant to be
//! used and waits for Enter, so that the window does not vanish before it is read.

/// Says how fnp is used and waits for Enter, when fnp runs alone in a console it did not
/// inherit (opened from the Explorer) with no argument; does nothing elsewhere.
pub fn attendre_si_double_clic() {
    if std::env::args_os().len() > 1 || !seul_dans_sa_console() {
        return;
    }
    eprintln!(
        "\nfnp s'utilise dans l'invite de commandes (cmd ou PowerShell), ou en faisant glisser un dossier \
         de classeurs reçus sur verifier-un-dossier.cmd (voir LISEZMOI.txt).\n\
         Appuyez sur Entrée pour fermer cette fenêtre."
    );
    let mut ligne = String::new();
    let _ = std::io::stdin().read_line(&mut ligne);
}

/// Whether fnp is the only process attached to its console: started from the Explorer, not
/// from cmd or PowerShell (which are attached too).
#[cfg(windows)]
fn seul_dans_sa_console() -> bool {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetConsoleProcessList(liste: *mut u32, taille: u32) -> u32;
    }
    let mut liste = [0u32; 4];
    // SAFETY: the buffer holds `taille` entries; the call writes at most that many and
    // returns how many processes share the console (0 without a console).
    unsafe { GetConsoleProcessList(liste.as_mut_ptr(), liste.len() as u32) == 1 }
}

#[cfg(not(windows))]
fn seul_dans_sa_console() -> bool {
    false
}
