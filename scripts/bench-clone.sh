#!/usr/bin/env bash
# What a newcomer waits: the two README commands on a fresh clone (empty target folder, the
# crates already downloaded), for each commit given, one after the other on the same machine.
# Usage: scripts/bench-clone.sh [COMMIT...]   (default: HEAD)
set -euo pipefail
cd "$(dirname "$0")/.."
depot=$(pwd)
commits=("$@")
[ ${#commits[@]} -gt 0 ] || commits=(HEAD)
for c in "${commits[@]}"; do
  racine=$(mktemp -d)
  git clone -q "$depot" "$racine/main"
  git -C "$racine/main" checkout -q "$c"
  [ -d "$depot/../shared" ] && ln -s "$(realpath "$depot/../shared")" "$racine/shared"
  (
    cd "$racine/main"
    unset CARGO_TARGET_DIR
    debut=$(date +%s.%N)
    cargo run --release --quiet -- check examples/1.1-cafe-des-parents.toml >/dev/null
    milieu=$(date +%s.%N)
    cargo test --quiet >/dev/null 2>&1
    fin=$(date +%s.%N)
    printf "%s : cargo run --release -- check … %s s ; puis cargo test %s s ; en tout %s s\n" \
      "$(git rev-parse --short HEAD)" "$(awk "BEGIN { printf \"%.0f\", $milieu - $debut }")" \
      "$(awk "BEGIN { printf \"%.0f\", $fin - $milieu }")" "$(awk "BEGIN { printf \"%.0f\", $fin - $debut }")"
  )
  rm -rf "$racine"
done
