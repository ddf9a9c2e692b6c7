//! The `fnp` binary: parses the command line, calls `fnp::run`, maps the outcome to an exit
//! code. Nothing else.

use std::process::ExitCode;

// Reading workbooks allocates many small strings on every core: mimalloc makes a batch
// check about a tenth faster than the system allocator (docs/performance.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATEUR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    fnp::io::installer_crochet_panique();
    let settings = match fnp::cli::analyser(std::env::args_os()) {
        Ok(s) => s,
        Err(fnp::cli::Arret::Sortie(texte, code)) => {
            let mut sortie = anstream::stdout().lock();
            let _ = std::io::Write::write_all(&mut sortie, texte.as_bytes());
            return ExitCode::from(code);
        }
        Err(fnp::cli::Arret::Usage(texte)) => {
            anstream::eprint!("{texte}");
            return ExitCode::from(fnp::code::ECHEC);
        }
    };
    // Ctrl-C lets a batch stop cleanly: no report half-written, no temporary file left. The
    // check of one dossier that writes no file has nothing to clean: Ctrl-C stops it at once,
    // as any program, without the handler's thread (a tenth of its time, docs/performance.md).
    if !matches!(&settings, fnp::Settings::Check(c) if !c.lot_ou_fichiers()) {
        let _ = ctrlc::set_handler(fnp::interrompre);
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
            ExitCode::from(fnp::code::INTERROMPU)
        }
        Err(e) => {
            let rouge = anstyle::AnsiColor::Red.on_default().bold();
            let _ = std::io::Write::flush(&mut sortie);
            anstream::eprintln!("{rouge}erreur{rouge:#} : {}", fnp::report::visible(&e.to_string()));
            ExitCode::from(fnp::code::ECHEC)
        }
    }
}
