//! From results to files: atomic writes with the user's umask (`atomique`), the lock and
//! the mark of an output folder (`verrou`), the blank template and a dossier as a workbook
//! (`modele`), the annotated copy (`annotation`, which takes the bytes it is given and never
//! reads the disk) and the mark it bears (`marque`), text for spreadsheets (`tableur`).
//! Nothing here reads a dossier: that is `lecture`.

pub mod annotation;
pub mod atomique;
pub mod cellules;
pub mod marque;
pub mod modele;
pub mod tableur;
pub mod verrou;
