#!/usr/bin/env bash
# Prints each example's HTML dossier to PDF with headless Chromium and checks the PDF:
# a sane page count, the bearer's name, the budget total and every section title; then each
# completed example's bilan (examples/bilan/, `fnp bilan -o bilan.html`) the same way.
# Needs Debian's chromium and poppler-utils (.ci/run installs them).
# Usage: scripts/check-pdf.sh [FNP_BINARY] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
fnp=${1:-target/release/fnp}
sortie=${2:-$(mktemp -d)}
mkdir -p "$sortie"
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ] || ! command -v pdftotext >/dev/null; then
  echo "check-pdf : chromium et pdftotext (poppler-utils) sont requis" >&2
  exit 2
fi
profil=$(mktemp -d)
trap 'rm -rf "$profil"' EXIT
echecs=0
n=0
# One document checked: its name, pages and what was missing, counted.
compter() {
  n=$((n + 1))
  if [ -n "$probleme" ]; then
    echo "ÉCHEC $nom :$probleme"
    echecs=$((echecs + 1))
  else
    echo "ok $nom ($pages pages)"
  fi
}
imprimer() {
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-quic \
    --user-data-dir="$profil" --no-pdf-header-footer --print-to-pdf="$2" "file://$(realpath "$1")" >/dev/null 2>&1
}
for exemple in examples/*.toml; do
  nom=$(basename "$exemple" .toml)
  html="$sortie/$nom.html"
  pdf="$sortie/$nom.pdf"
  "$fnp" dossier "$exemple" -o "$html" --force 2>/dev/null
  imprimer "$html" "$pdf"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  texte=$(pdftotext -layout "$pdf" - | tr -s ' \n' ' ')
  porteur=$("$fnp" check --format json "$exemple" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dossiers"][0]["porteur"])')
  total=$("$fnp" budget --format json "$exemple" | python3 -c '
import json,sys
t=json.load(sys.stdin)["total_charges"]
e,c=t.split(".")
g=""
while len(e)>3: g="\u202f"+e[-3:]+g; e=e[:-3]
print(e+g+","+c)')
  probleme=""
  if [ "$pages" -lt 2 ] || [ "$pages" -gt 8 ]; then probleme="$probleme pages=$pages;"; fi
  for attendu in "$porteur" "$total" "1. Le porteur" "2. L'action" "3. Modalités" "4. Budget prévisionnel" \
                 "5. Plan de financement" "6. Indicateurs d'évaluation prévus" "7. Points de vigilance" "8. Attestation" \
                 "Fonds national parentalité" "Signature"; do
    # pdftotext may turn the narrow no-break space into a plain one.
    a=$(printf '%s' "$attendu" | sed 's/\xe2\x80\xaf/ /g')
    t=$(printf '%s' "$texte" | sed 's/\xe2\x80\xaf/ /g')
    case "$t" in *"$a"*) ;; *) probleme="$probleme absent: « $attendu »;" ;; esac
  done
  compter
done
for exemple in examples/bilan/*.toml; do
  [ -f "$exemple" ] || continue
  nom=bilan-$(basename "$exemple" .toml)
  html="$sortie/$nom.html"
  pdf="$sortie/$nom.pdf"
  "$fnp" bilan "$exemple" -o "$html" --force 2>/dev/null
  imprimer "$html" "$pdf"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  # pdftotext may turn the narrow and the plain no-break spaces into plain ones.
  texte=$(pdftotext -layout "$pdf" - | tr -s ' \n' ' ' | sed 's/\xe2\x80\xaf/ /g; s/\xc2\xa0/ /g')
  porteur=$("$fnp" check --format json "$exemple" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dossiers"][0]["porteur"])')
  # The actual total of charges and the justified FNP amount, as the JSON gives them.
  chiffres=$("$fnp" bilan --format json "$exemple" | python3 -c '
import json,sys
b=json.load(sys.stdin)
def fr(t):
    e,c=t.split(".")
    g=""
    while len(e)>3: g=" "+e[-3:]+g; e=e[:-3]
    return e+g+","+c+" €"
print(fr(b["total_charges"]["realise"]))
print(fr(b["fnp"]["montant_fnp_justifie"]))')
  probleme=""
  if [ "$pages" -lt 1 ] || [ "$pages" -gt 5 ]; then probleme="$probleme pages=$pages;"; fi
  while IFS= read -r attendu; do
    case "$texte" in *"$attendu"*) ;; *) probleme="$probleme absent: « $attendu »;" ;; esac
  done <<ATTENDUS
$porteur
$chiffres
1. Charges
2. Produits
Fonds national parentalité
Montant FNP justifié par les dépenses réalisées
Indicateurs d'évaluation
Attestation
Cerfa n° 15059
ATTENDUS
  compter
done
echo "$((n - echecs)) passed, $echecs failed"
[ "$echecs" -eq 0 ]
