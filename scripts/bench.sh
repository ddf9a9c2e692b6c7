#!/usr/bin/env bash
# The workbook benchmark: a seeded corpus of realistic dossier workbooks, `fnp check
# --format json` against a raw calamine read of the same files (same cores), in alternating
# rounds; files per second and peak RSS. Speed is measured here, never asserted in a test.
# Two baselines: the raw read with the system allocator (`lecture-brute`) and with fnp's
# allocator, mimalloc (`lecture-brute-mimalloc`), so that the allocator's gain is set apart.
# Usage: scripts/bench.sh [SIZES...]   (default: 2000 20000; ROUNDS=5)
#   MINIMAL=1             the smallest workbooks fnp reads (generer-corpus --minimal: dotted
#                         keys in column A, 3 to 25 expense lines, « Recettes » with
#                         « Financeur » and « Montant » only) instead of realistic ones
#   COMPARER="a=PATH …"   other fnp binaries measured in the same rounds (an older commit's
#                         build), each against the same floor
set -euo pipefail
cd "$(dirname "$0")/.."
tailles=("$@")
[ ${#tailles[@]} -gt 0 ] || tailles=(2000 20000)
cargo build --release --quiet --examples
cargo build --release --quiet
racine=${BENCH_DIR:-$(mktemp -d)}
echo "corpus dans $racine"
for n in "${tailles[@]}"; do
  if [ -n "${MINIMAL:-}" ]; then
    corpus="$racine/corpus-minimal-$n"
    [ -d "$corpus" ] || target/release/examples/generer-corpus "$corpus" "$n" 42 --minimal
  else
    corpus="$racine/corpus-$n"
    [ -d "$corpus" ] || target/release/examples/generer-corpus "$corpus" "$n" 42
  fi
  target/release/examples/lecture-brute "$corpus" >/dev/null # warm the cache
  python3 - "$n" "$corpus" "${ROUNDS:-5}" "${COMPARER:-}" <<'PY'
import statistics as st, subprocess, sys, tempfile, os
n, corpus, rounds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
commandes = {
    "brute": ["target/release/examples/lecture-brute", corpus],
    "brute-mimalloc": ["target/release/examples/lecture-brute-mimalloc", corpus],
    "fnp": ["target/release/fnp", "check", "--format", "json", corpus],
}
autres = [a.split("=", 1) for a in sys.argv[4].split()]
for nom, chemin in autres:
    commandes[nom] = [chemin, "check", "--format", "json", corpus]
temps = {k: [] for k in commandes}
pics = {k: [] for k in commandes}
with tempfile.NamedTemporaryFile() as f:
    for _ in range(rounds):  # alternating, so that a slower moment of the machine hits all three
        for k, c in commandes.items():
            subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", f.name, *c],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            s, kb = open(f.name).read().split()[-2:]
            temps[k].append(float(s)); pics[k].append(int(kb))
def rapport(base, qui="fnp"):
    return st.median(a / b for a, b in zip(temps[qui], temps[base]))
f = st.median(temps["fnp"])
print(f"{n} classeurs : fnp {f:.2f} s ({n / f:.0f} fichiers/s, pic {max(pics['fnp']) / 1024:.0f} Mo) ; "
      f"lecture brute {st.median(temps['brute']):.2f} s (pic {max(pics['brute']) / 1024:.0f} Mo), "
      f"avec mimalloc {st.median(temps['brute-mimalloc']):.2f} s ; "
      f"rapport {rapport('brute'):.2f} (à allocateur égal : {rapport('brute-mimalloc'):.2f})")
for nom, _ in autres:
    print(f"  {nom} : {st.median(temps[nom]):.2f} s (pic {max(pics[nom]) / 1024:.0f} Mo), rapport {rapport('brute', nom):.2f} "
          f"(à allocateur égal : {rapport('brute-mimalloc', nom):.2f})")
PY
done
