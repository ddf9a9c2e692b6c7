#!/usr/bin/env bash
# How soon a batch ends after a signal: `fnp check --report R --annotate A` on N workbooks
# (copies of one example converted by fnp), sent SIGTERM, SIGHUP and SIGINT once it is
# writing copies; prints the exit code, the time from the signal to the exit, the copies
# written, and fails if a temporary file or a report file is left or the code is wrong.
# The integration test (`signals_end_a_batch_cleanly_and_soon`) only bounds the time
# loosely; this is the measure (docs/robustness.md).
# Usage: scripts/bench-signaux.sh [FNP_BINARY] [N]   (default: target/release/fnp, 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
fnp=$(realpath "${1:-target/release/fnp}")
n=${2:-5000}
[ -x "$fnp" ] || { echo "bench-signaux : $fnp introuvable (cargo build --release)" >&2; exit 2; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir "$d/lot"
"$fnp" convert examples/3.1-lieu-ressource.toml -o "$d/modele.xlsx" >/dev/null 2>&1
for i in $(seq 1 "$n"); do cp "$d/modele.xlsx" "$d/lot/d$i.xlsx"; done
echo "$n classeurs, $(nproc) cœurs"
echec=0
for sig in TERM HUP INT; do
  case $sig in TERM) attendu=143 ;; HUP) attendu=129 ;; INT) attendu=130 ;; esac
  rm -rf "$d/R" "$d/A"
  "$fnp" check --quiet "$d/lot" --report "$d/R" --annotate "$d/A" >/dev/null 2>"$d/err" &
  pid=$!
  until [ "$(find "$d/A" -name '*.xlsx' 2>/dev/null | head -20 | wc -l)" -ge 20 ]; do sleep 0.01; done
  t0=$(date +%s%N)
  kill -"$sig" "$pid"
  set +e
  wait "$pid"
  code=$?
  set -e
  t1=$(date +%s%N)
  restes=$(find "$d" -name '.fnp-*.tmp' | wc -l)
  rapports=$(find "$d/R" -maxdepth 1 -type f ! -name '.*' | wc -l)
  copies=$(find "$d/A" -name '*.xlsx' | wc -l)
  printf 'SIG%-4s code %s (attendu %s)  %4d ms après le signal  %s copies  %s temporaires  %s rapports\n' \
    "$sig" "$code" "$attendu" $(((t1 - t0) / 1000000)) "$copies" "$restes" "$rapports"
  # A process killed by the signal also shows 128 + N to the shell: fnp's own exit says so.
  grep -q interrompu "$d/err" || { echo "  SIG$sig : tué par le signal, pas arrêté par fnp" >&2; echec=1; }
  if [ "$code" != "$attendu" ] || [ "$restes" != 0 ] || [ "$rapports" != 0 ]; then echec=1; cat "$d/err" >&2; fi
done
exit $echec
