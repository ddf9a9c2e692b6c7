#!/usr/bin/env bash
# Checks the batch report in headless Chromium: builds a batch from the examples (TOML and
# their workbook twins, plus a broken file), writes --report, loads rapport.html, and checks
# from the DOM after its script ran that every dossier is listed and the filter counter is set;
# then the same for the instructor's bilan report (`fnp bilan DIR --report`), with a bilan that
# is complete but non-conforme. Each page must fit a 1 240 px wide window, its last column
# included (measured in an iframe of that width: no horizontal scrolling).
# Usage: scripts/check-rapport.sh [FNP_BINARY] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
fnp=${1:-target/release/fnp}
sortie=${2:-$(mktemp -d)}
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || { echo "check-rapport : chromium est requis" >&2; exit 2; }
lot="$sortie/lot"
rm -rf "$lot" "$sortie/rapport"
mkdir -p "$lot"
for f in examples/*.toml; do
  cp "$f" "$lot/"
  "$fnp" convert "$f" -o "$lot/$(basename "$f" .toml).xlsx" 2>/dev/null
done
printf 'pas un classeur' > "$lot/casse.xlsx"
n=$(ls "$lot" | wc -l)
set +e
"$fnp" check --quiet "$lot" --report "$sortie/rapport" >/dev/null
code=$?
set -e
[ "$code" -eq 2 ] || { echo "ÉCHEC : code de sortie $code, 2 attendu (un fichier illisible)"; exit 1; }
profil=$(mktemp -d)
trap 'rm -rf "$profil"' EXIT
dom=$(timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --disable-quic --user-data-dir="$profil" \
  --dump-dom "file://$(realpath "$sortie/rapport/rapport.html")" 2>/dev/null)
lignes=$(grep -o '<tbody class="dossier"' <<<"$dom" | wc -l)
echecs=0
if [ "$lignes" -ne "$n" ]; then echo "ÉCHEC : $lignes dossiers dans le tableau, $n attendus"; echecs=$((echecs + 1)); fi
if ! grep -q "<span id=\"compte\" role=\"status\">$n / $n dossiers</span>" <<<"$dom"; then
  echo "ÉCHEC : le script du rapport n'a pas initialisé le compteur"; echecs=$((echecs + 1))
fi
# Each sortable header is a button, reachable with the keyboard (issue 34).
boutons=$(grep -o '<th data-type="[nt]"[^>]*><button type="button" class="trier">' <<<"$dom" | wc -l)
if [ "$boutons" -ne 11 ]; then echo "ÉCHEC : $boutons en-têtes triables sont des boutons, 11 attendus"; echecs=$((echecs + 1)); fi
if ! grep -q '<main>' <<<"$dom"; then echo "ÉCHEC : pas de repère main"; echecs=$((echecs + 1)); fi
if grep -Eq '<(link|img|script)[^>]+(src|href)="https?:' <<<"$dom"; then
  echo "ÉCHEC : ressource externe"; echecs=$((echecs + 1))
fi
# The page fits 1 240 px: the table's scroll width is the window's.
largeur() {
  local dir=$1
  cat > "$dir/largeur.html" <<'FIN'
<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="rapport.html" style="width:1240px;height:900px;border:0"></iframe>
<script>
document.getElementById("f").onload = function () {
  var d = this.contentDocument.documentElement;
  document.body.setAttribute("data-mesure", d.clientWidth + " " + d.scrollWidth);
};
</script></body></html>
FIN
  mesure=$(timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-quic --user-data-dir="$profil" \
    --allow-file-access-from-files --virtual-time-budget=3000 \
    --dump-dom "file://$(realpath "$dir/largeur.html")" 2>/dev/null | grep -o 'data-mesure="[^"]*"' | cut -d'"' -f2)
  rm -f "$dir/largeur.html"
  set -- $mesure
  if [ $# -ne 2 ] || [ "$2" -gt "$1" ]; then
    echo "ÉCHEC : $dir/rapport.html dépasse 1 240 px (largeur visible et largeur du contenu : ${mesure:-non mesurées})"
    return 1
  fi
}
largeur "$sortie/rapport" || echecs=$((echecs + 1))
reussis=0
if [ "$echecs" -eq 0 ]; then echo "ok rapport.html ($n dossiers)"; reussis=1; fi

# The bilans: the completed examples, a dossier not completed yet, and a broken file.
bilans="$sortie/bilans"
rm -rf "$bilans" "$sortie/rapport-bilans"
mkdir -p "$bilans"
cp examples/bilan/*.toml "$bilans/"
cp examples/1.1-conference.toml "$bilans/demande-pas-encore-completee.toml"
# Complete, but its actual FNP is over the ceiling and the budget unbalanced: non-conforme.
sed 's/^realise = 3200$/realise = "4 087,44"/' examples/bilan/1.1-cafe-des-parents.toml > "$bilans/cafe-non-conforme.toml"
printf 'pas un dossier = ' > "$bilans/casse.toml"
m=$(ls "$bilans" | wc -l)
set +e
"$fnp" bilan "$bilans" --report "$sortie/rapport-bilans" >/dev/null 2>&1
code=$?
set -e
avant=$echecs
[ "$code" -eq 2 ] || { echo "ÉCHEC : fnp bilan, code de sortie $code, 2 attendu (un fichier illisible)"; echecs=$((echecs + 1)); }
dom=$(timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --disable-quic --user-data-dir="$profil" \
  --dump-dom "file://$(realpath "$sortie/rapport-bilans/rapport.html")" 2>/dev/null)
lignes=$(grep -o '<tbody class="dossier"' <<<"$dom" | wc -l)
if [ "$lignes" -ne "$m" ]; then echo "ÉCHEC : $lignes bilans dans le tableau, $m attendus"; echecs=$((echecs + 1)); fi
if ! grep -q "<span id=\"compte\" role=\"status\">$m / $m dossiers</span>" <<<"$dom"; then
  echo "ÉCHEC : le script du rapport des bilans n'a pas initialisé le compteur"; echecs=$((echecs + 1))
fi
for etat in complet incomplet illisible; do
  grep -q "data-etat=\"$etat\"" <<<"$dom" || { echo "ÉCHEC : aucun bilan $etat"; echecs=$((echecs + 1)); }
done
grep -q 'data-etat="complet" data-verdict="non-conforme"' <<<"$dom" \
  || { echo "ÉCHEC : le bilan complet non conforme n'est pas dit non conforme"; echecs=$((echecs + 1)); }
largeur "$sortie/rapport-bilans" || echecs=$((echecs + 1))
if [ "$echecs" -eq "$avant" ]; then echo "ok rapport des bilans ($m bilans)"; reussis=$((reussis + 1)); fi
echo "$reussis passed, $((2 - reussis)) failed"
[ "$echecs" -eq 0 ]
