#!/usr/bin/env bash
# Times `fnp check` on one TOML dossier (process start, embedded packs parsed once, one
# dossier read and checked, output written). Needs hyperfine (Debian package `hyperfine`).
# Speed is measured here, never asserted in a test.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
command -v hyperfine >/dev/null || { echo "hyperfine est requis (apt-get install hyperfine)" >&2; exit 2; }
hyperfine -N --warmup 20 --min-runs 200 \
  './target/release/fnp check tests/fixtures/cafe.toml' \
  './target/release/fnp check --format json tests/fixtures/cafe.toml' \
  './target/release/fnp check --quiet examples/'
