//! The baseline of the benchmark: reading every sheet of every workbook of a folder with
//! calamine and nothing else, in parallel on the same cores as `fnp check`, with the
//! system allocator.
//!
//! `cargo run --release --example lecture-brute -- DIR`

#[path = "lecture_commune.rs"]
mod lecture_commune;

fn main() -> Result<(), String> {
    lecture_commune::principal()
}
