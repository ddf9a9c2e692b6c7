#!/usr/bin/env bash
# What `--annotate` costs: `fnp check --format json` on a seeded corpus of dossier workbooks,
# alone and with `--annotate` into a fresh folder, in alternating rounds on the same cores;
# the median of per-round ratios. FNP_AVANT=path/to/an/older/fnp adds that binary's
# `--annotate` to the same rounds, side by side. Speed is measured here, never in a test.
# Usage: scripts/bench-annoter.sh [SIZE]   (default 2000; ROUNDS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
cargo build --release --quiet --examples
cargo build --release --quiet
racine=${BENCH_DIR:-$(mktemp -d)}
corpus="$racine/corpus-$n"
[ -d "$corpus" ] || target/release/examples/generer-corpus "$corpus" "$n" 42
target/release/fnp check --format json "$corpus" >/dev/null || true # warm the cache
python3 - "$n" "$corpus" "${ROUNDS:-5}" "${FNP_AVANT:-}" <<'PY'
import statistics as st, subprocess, sys, tempfile, shutil, os
n, corpus, rounds, avant = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
def annoter(binaire):
    return lambda d: [binaire, "check", "--format", "json", corpus, "--annotate", os.path.join(d, "annotes")]
commandes = {
    "check": lambda d: ["target/release/fnp", "check", "--format", "json", corpus],
    "annotate": annoter("target/release/fnp"),
}
if avant:
    commandes["annotate-avant"] = annoter(avant)
temps = {k: [] for k in commandes}
# Each run writes into a fresh folder, removed only at the end: removing thousands of files
# between runs would make the next run's file creations slower than an instructor's are.
sorties = tempfile.mkdtemp(dir=os.path.dirname(corpus))
with tempfile.NamedTemporaryFile() as f:
    for _ in range(rounds):
        for k, c in commandes.items():
            d = tempfile.mkdtemp(dir=sorties)
            subprocess.run(["/usr/bin/time", "-f", "%e", "-o", f.name, *c(d)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            temps[k].append(float(open(f.name).read().split()[-1]))
shutil.rmtree(sorties)
ligne = f"{n} classeurs : check {st.median(temps['check']):.2f} s ; --annotate {st.median(temps['annotate']):.2f} s, " \
        f"soit {st.median(a / b for a, b in zip(temps['annotate'], temps['check'])):.2f} × check"
if avant:
    ligne += f" ; binaire précédent --annotate {st.median(temps['annotate-avant']):.2f} s, " \
             f"soit {st.median(a / b for a, b in zip(temps['annotate-avant'], temps['check'])):.2f} × check"
print(ligne)
PY
