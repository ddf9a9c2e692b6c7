#!/usr/bin/env bash
# Start-up cost of `fnp check` on one TOML dossier: the CPU time (user + sys) of a whole
# process, against /bin/true and `fnp --version`, measured side by side in alternating rounds
# so that a slower moment of the machine hits every command alike. Speed is measured here,
# never asserted in a test (docs/performance.md).
#
# Usage: scripts/bench-demarrage.sh [FNP...]
#   FNP   binaries to compare in the same rounds (default: target/release/fnp, built here),
#         e.g. one built from an older commit and the current one
#   ROUNDS=20 rounds, RUNS=50 runs of each command per round
#
# CPU time per run comes from `perf stat` (user_time + system_time, Debian package
# linux-perf); without perf, from bash's `times` over the runs of a round (10 ms ticks).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-20}
runs=${RUNS:-50}
dossier=examples/1.1-cafe-des-parents.toml
if [ $# -eq 0 ]; then
  cargo build --release --quiet
  set -- target/release/fnp
fi

# Mean CPU time (user + sys) of one run of a command, in ms.
if command -v perf >/dev/null && perf stat -x, -e user_time,system_time true >/dev/null 2>&1; then
  mesure() {
    perf stat -x, -r "$runs" -e user_time,system_time -- "$@" 2>&1 >/dev/null |
      awk -F, '$3 == "user_time" || $3 == "system_time" { ns += $1 } END { printf "%.3f\n", ns / 1e6 }'
  }
  outil="perf stat (user_time + system_time)"
else
  mesure() {
    ( for ((i = 0; i < runs; i++)); do "$@" >/dev/null; done; times ) | tail -n 1 |
      awk -v n="$runs" '{ t = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] } printf "%.3f\n", t * 1000 / n }'
  }
  outil="bash times (10 ms ticks)"
fi

# The commands, by label: /bin/true, then for each binary its --version and its check.
etiquettes=("/bin/true")
commandes=("/bin/true")
for fnp in "$@"; do
  etiquettes+=("$fnp --version" "$fnp check $dossier")
  commandes+=("$fnp --version" "$fnp check $dossier")
done

mesures=$(mktemp)
trap 'rm -f "$mesures"' EXIT
for ((r = 1; r <= rounds; r++)); do
  for i in "${!commandes[@]}"; do
    # shellcheck disable=SC2086 # the command is split into its words on purpose
    echo "$r $i $(mesure ${commandes[$i]})" >>"$mesures"
  done
  printf '\rround %d/%d' "$r" "$rounds" >&2
done
printf '\r' >&2

# Medians over the rounds, of each command and of its difference with /bin/true in the same
# round.
mediane() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "CPU time per process, $outil; median of $rounds rounds of $runs runs"
echo
echo "| command | ms | over /bin/true |"
echo "| --- | --- | --- |"
for i in "${!commandes[@]}"; do
  seule=$(awk -v i="$i" '$2 == i { print $3 }' "$mesures" | mediane)
  ecart=$(awk -v i="$i" '$2 == 0 { t[$1] = $3 } $2 == i { c[$1] = $3 } END { for (r in c) printf "%.3f\n", c[r] - t[r] }' "$mesures" | mediane)
  echo "| \`${etiquettes[$i]}\` | $seule | $ecart |"
done
