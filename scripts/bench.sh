#!/usr/bin/env bash
# The workbook benchmark: a seeded corpus of realistic dossier workbooks, `fnp check
# --format json` against a raw calamine read of the same files (same cores), in alternating
# runs; files per second and peak RSS. Speed is measured here, never asserted in a test.
# Usage: scripts/bench.sh [SIZES...]   (default: 2000 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
tailles=("$@")
[ ${#tailles[@]} -gt 0 ] || tailles=(2000 20000)
cargo build --release --quiet --examples
cargo build --release --quiet
racine=${BENCH_DIR:-$(mktemp -d)}
echo "corpus dans $racine"
mesure() { # prints "seconds peak_kB"
  /usr/bin/time -f "%e %M" -o "$racine/time.txt" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$racine/time.txt"
}
for n in "${tailles[@]}"; do
  corpus="$racine/corpus-$n"
  if [ ! -d "$corpus" ]; then
    target/release/examples/generer-corpus "$corpus" "$n" 42
  fi
  mesure target/release/examples/lecture-brute "$corpus" >/dev/null # warm the cache
  declare -a tf=() tb=() mf=() mb=()
  for essai in 1 2 3; do
    read -r s k < <(mesure target/release/examples/lecture-brute "$corpus"); tb+=("$s"); mb+=("$k")
    read -r s k < <(mesure target/release/fnp check --format json "$corpus"); tf+=("$s"); mf+=("$k")
  done
  python3 - "$n" "${tf[*]}" "${tb[*]}" "${mf[*]}" "${mb[*]}" <<'PY'
import sys, statistics as st
n = int(sys.argv[1])
tf, tb, mf, mb = ([float(x) for x in a.split()] for a in sys.argv[2:6])
f, b = st.median(tf), st.median(tb)
print(f"{n} classeurs : fnp {f:.2f} s ({n/f:.0f} fichiers/s, pic {max(mf)/1024:.0f} Mo) ; "
      f"lecture brute {b:.2f} s (pic {max(mb)/1024:.0f} Mo) ; rapport {f/b:.2f}")
PY
done
