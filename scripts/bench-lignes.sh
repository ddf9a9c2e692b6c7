#!/usr/bin/env bash
# Time to check a TOML dossier full of bad lines, at doubling sizes: it must grow linearly
# with the file (hardening v2: one index of line starts, a binary search per finding).
# Usage: scripts/bench-lignes.sh [path/to/fnp]   (default: target/release/fnp)
# Prints one line per size: lines, bytes, seconds, seconds per MB. Not a test: read the ratio.
set -euo pipefail
fnp=${1:-target/release/fnp}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%-10s %-10s %-10s %s\n' lignes octets secondes "s/Mo"
for n in 5000 10000 20000 40000; do
  f="$dir/gros-$n.toml"
  python3 - "$n" "$f" <<'PY'
import sys
n, f = int(sys.argv[1]), sys.argv[2]
with open(f, "w") as o:
    o.write('format = 1\nexercice = 2025\n\n[caf]\ndepartement = "75"\n')
    for i in range(n):
        # One bad amount per expense line: a finding located at its line and column.
        o.write(f'\n[[depense]]\nnature = "prestation"\nlibelle = "ligne {i}"\nmontant = "douze"\n')
PY
  octets=$(stat -c %s "$f")
  debut=$(date +%s.%N)
  "$fnp" check --quiet --max-size 100 "$f" > /dev/null || true
  fin=$(date +%s.%N)
  python3 -c "d=$fin-$debut; print(f'{$n:<10} {$octets:<10} {d:<10.3f} {d/($octets/1e6):.3f}')"
done
