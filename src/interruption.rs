//! Whether the run was asked to stop (Ctrl-C, SIGTERM, SIGHUP), and by which signal: an
//! atomic flag every room may read (a batch stops between dossiers, an atomic write before
//! its rename), set by the signal handler of `main.rs`. Below every room: it depends on
//! nothing.

/// The signal that interrupted the run (its number), 0 while none did.
static INTERRUPTION: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Signal numbers (POSIX; the same on every Unix fnp runs on, and used on Windows for Ctrl-C).
pub mod signal {
    pub const SIGHUP: i32 = 1;
    pub const SIGINT: i32 = 2;
    pub const SIGTERM: i32 = 15;
}

/// Asks a running batch to stop, as Ctrl-C does.
pub fn interrompre() {
    interrompre_par(signal::SIGINT);
}

/// Asks a running batch to stop because of `signal` (its exit code follows it). Only an
/// atomic store: safe inside a signal handler.
pub fn interrompre_par(signal: i32) {
    INTERRUPTION.store(signal, std::sync::atomic::Ordering::SeqCst);
}

/// Whether the run was interrupted.
pub fn interrompu() -> bool {
    INTERRUPTION.load(std::sync::atomic::Ordering::SeqCst) != 0
}

/// The signal that interrupted the run, if any.
pub fn signal_recu() -> Option<i32> {
    match INTERRUPTION.load(std::sync::atomic::Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}
