//! The `fnp` binary: parses the command line, calls `fnp::run`, maps the outcome to an exit
//! code. Nothing else.

use std::process::ExitCode;

// Reading workbooks allocates many small strings on every core: mimalloc makes a batch
// check about a tenth faster than the system allocator (docs/performance.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATEUR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    fnp::lecture::installer_crochet_panique();
    let settings = match fnp::cli::analyser(std::env::args_os()) {
        Ok(s) => s,
        Err(fnp::cli::Arret::Sortie(texte, code)) => {
            let mut sortie = anstream::stdout().lock();
            let _ = std::io::Write::write_all(&mut sortie, texte.as_bytes());
            return ExitCode::from(code);
        }
        Err(fnp::cli::Arret::Usage(texte)) => {
            anstream::eprint!("{texte}");
            fnp::cli::attendre_si_double_clic();
            return ExitCode::from(fnp::code::ECHEC);
        }
    };
    // Ctrl-C, SIGTERM and SIGHUP let a batch stop cleanly: no report half-written, no
    // temporary file left. The check of one dossier that writes no file has nothing to clean:
    // a signal stops it at once, as any program, without the handler (docs/performance.md);
    // so does every command that does not look at the flag.
    if settings.interruptible() {
        installer_interruption();
    }
    // Machine formats carry no colour: they skip the colour-stripping layer.
    let machine = matches!(&settings, fnp::Settings::Check(c) if !matches!(c.format, fnp::Format::Humain));
    let mut sortie: Box<dyn std::io::Write> =
        if machine { Box::new(std::io::stdout().lock()) } else { Box::new(anstream::stdout().lock()) };
    match fnp::run(settings, &mut sortie) {
        Ok(code) => ExitCode::from(code),
        Err(e @ fnp::Erreur::Interrompu) => {
            let _ = std::io::Write::flush(&mut sortie);
            anstream::eprintln!("{e}");
            ExitCode::from(fnp::code::interruption(fnp::signal_recu()))
        }
        Err(e) => {
            let rouge = anstyle::AnsiColor::Red.on_default().bold();
            let _ = std::io::Write::flush(&mut sortie);
            anstream::eprintln!("{rouge}erreur{rouge:#} : {}", fnp::report::visible(&e.to_string()));
            ExitCode::from(fnp::code::ECHEC)
        }
    }
}

/// The first SIGINT, SIGTERM or SIGHUP asks the batch to stop (it looks at the flag between
/// files and exits with 128 + the signal); a second one ends the process at once, as the
/// signal's default action would, for a user who does not want to wait.
#[cfg(unix)]
fn installer_interruption() {
    use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        let action = move || {
            if fnp::interrompu() {
                let _ = signal_hook::low_level::emulate_default_handler(signal);
            }
            fnp::interrompre_par(signal);
        };
        // SAFETY: the action only loads and stores an atomic integer, and on a second signal
        // runs the default action through signal-hook's async-signal-safe emulation.
        let _ = unsafe { signal_hook::low_level::register(signal, action) };
    }
}

/// Windows: Ctrl-C (there is no SIGTERM or SIGHUP to catch).
#[cfg(windows)]
fn installer_interruption() {
    let _ = ctrlc::set_handler(fnp::interrompre);
}

/// Elsewhere (no signals): nothing to catch.
#[cfg(not(any(unix, windows)))]
fn installer_interruption() {}
