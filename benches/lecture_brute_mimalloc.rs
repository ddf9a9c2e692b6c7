//! The same baseline with the allocator `fnp` uses (mimalloc): comparing `fnp check` with it
//! measures what `fnp` adds to the read, the allocator's gain set apart.
//!
//! `cargo run --release --example lecture-brute-mimalloc -- DIR`

#[global_allocator]
static ALLOCATEUR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "lecture_commune.rs"]
mod lecture_commune;

fn main() -> Result<(), String> {
    lecture_commune::principal()
}
