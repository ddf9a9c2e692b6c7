#!/usr/bin/env bash
# The archives an instructor or a treasurer installs without a toolchain (docs/windows.md):
#
#   scripts/release.sh          builds dist/fnp-windows-x86_64.zip and dist/fnp-linux-x86_64.tar.gz
#   scripts/release.sh check    the same, then unpacks each and tries it as its user would:
#                               the zip under wine (verifier-un-dossier.cmd on a folder of
#                               received workbooks, fnp.exe check on a workbook), the tarball
#                               natively on the examples
#
# The Windows exe comes from scripts/windows.sh (built if missing). Each archive holds one
# folder, fnp/, with the stripped program, the blank template and a French LISEZMOI.txt; the
# zip adds verifier-un-dossier.cmd; both hold fnp.html, the web page (scripts/web.sh, run
# each time so that a stale page is never shipped; it rebuilds nothing when nothing
# changed). Windows' texts get CRLF line ends (Notepad), and the .cmd the console's
# character set (CP850), in which cmd reads a batch file without `chcp`.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-build}
cible=x86_64-pc-windows-gnu
exe="target/$cible/release/fnp.exe"

cargo build --release --locked --quiet
[ -f "$exe" ] || scripts/windows.sh
command -v x86_64-w64-mingw32-strip >/dev/null || scripts/windows.sh

scripts/web.sh
version=$(target/release/fnp --version | awk '{print $2}')
travail=$(mktemp -d)
trap 'rm -rf "$travail"' EXIT
mkdir -p dist "$travail/windows/fnp" "$travail/linux/fnp"

# Windows: fnp.exe stripped, the template, the texts with CRLF, the .cmd in CP850.
x86_64-w64-mingw32-strip -o "$travail/windows/fnp/fnp.exe" "$exe"
target/release/fnp template -o "$travail/windows/fnp/modele-dossier.xlsx" >/dev/null 2>&1
# The web page (scripts/web.sh, docs/web.md): the same checks in a browser, nothing installed.
cp dist/fnp.html "$travail/windows/fnp/fnp.html"
python3 - "$travail/windows/fnp" "$version" <<'PY'
import sys
dest, version = sys.argv[1], sys.argv[2]
lisez = open("packaging/LISEZMOI.txt", encoding="utf-8").read()
lisez = lisez.replace("\n\n\nCe que contient", f"\n\nVersion {version}.\n\n\nCe que contient", 1)
# UTF-8 with a BOM: Notepad and every editor on Windows read the accents right.
open(f"{dest}/LISEZMOI.txt", "wb").write(b"\xef\xbb\xbf" + lisez.replace("\n", "\r\n").encode("utf-8"))
cmd = open("packaging/verifier-un-dossier.cmd", encoding="utf-8").read()
open(f"{dest}/verifier-un-dossier.cmd", "wb").write(cmd.replace("\n", "\r\n").encode("cp850"))
PY
rm -f dist/fnp-windows-x86_64.zip
python3 - "$travail/windows" dist/fnp-windows-x86_64.zip <<'PY'
import os, sys, zipfile
racine, archive = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for nom in sorted(os.listdir(os.path.join(racine, "fnp"))):
        z.write(os.path.join(racine, "fnp", nom), f"fnp/{nom}")
PY

# Linux: fnp stripped, the template, the text.
if command -v strip >/dev/null; then
  strip -o "$travail/linux/fnp/fnp" target/release/fnp
else
  cp target/release/fnp "$travail/linux/fnp/fnp"
fi
cp "$travail/windows/fnp/modele-dossier.xlsx" "$travail/windows/fnp/fnp.html" "$travail/linux/fnp/"
sed "0,/^\$/s//\nVersion $version.\n/" packaging/LISEZMOI-linux.txt > "$travail/linux/fnp/LISEZMOI.txt"
tar -C "$travail/linux" --owner=0 --group=0 --numeric-owner -czf dist/fnp-linux-x86_64.tar.gz fnp

echo "release.sh : dist/fnp-windows-x86_64.zip ($(du -h dist/fnp-windows-x86_64.zip | cut -f1)), dist/fnp-linux-x86_64.tar.gz ($(du -h dist/fnp-linux-x86_64.tar.gz | cut -f1)), version $version"

[ "$mode" = check ] || exit 0

# ---- Each archive tried as its user would --------------------------------------------------
echo "release.sh : essai de l'archive Linux"
essai="$travail/essai-linux"
mkdir -p "$essai"
tar -C "$essai" -xzf dist/fnp-linux-x86_64.tar.gz
[ -x "$essai/fnp/fnp" ] && [ -s "$essai/fnp/modele-dossier.xlsx" ] && grep -q "Version $version" "$essai/fnp/LISEZMOI.txt"
"$essai/fnp/fnp" check --quiet examples/ | tail -1
"$essai/fnp/fnp" check --quiet "$essai/fnp/modele-dossier.xlsx" >/dev/null 2>&1 || [ $? -le 2 ]

echo "release.sh : essai de l'archive Windows sous wine"
# The wine prefix of scripts/windows.sh test (with its test-only ProcessPrng stand-in).
export WINEPREFIX=${FNP_WINDOWS_CACHE:-/var/cache/fnp-windows}/wine WINEDEBUG=-all
[ -f "$WINEPREFIX/.fnp-pret" ] || { echo "release.sh : lancez d'abord scripts/windows.sh test (préfixe wine)" >&2; exit 1; }
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64)
essai="$travail/essai windows"
mkdir -p "$essai"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' dist/fnp-windows-x86_64.zip "$essai"
for f in fnp.exe LISEZMOI.txt modele-dossier.xlsx verifier-un-dossier.cmd fnp.html; do
  [ -s "$essai/fnp/$f" ] || { echo "release.sh : $f manque dans le zip" >&2; exit 1; }
done
# A folder of received workbooks, named as people name them (accents, spaces, & and brackets).
recus="$essai/Retours (2026) & suivis"
mkdir -p "$recus/nord"
cp tests/fixtures/classeurs/cafe-libreoffice.xlsx "$recus/petits-pas.xlsx"
cp tests/fixtures/classeurs/cafe-libreoffice.xls "$recus/nord/maison des familles.xls"
cp tests/fixtures/classeurs/lieu-libreoffice.ods "$recus/nord/lieu ressource.ods"
cp "$essai/fnp/modele-dossier.xlsx" "$recus/vide.xlsx"
# At year end, a bilan filled in LibreOffice: out of balance by 87,40 €, a line +75 %
# unexplained. The .cmd judges it as a bilan, as fnp bilan does (rules v4).
cp tests/fixtures/classeurs/bilan-libreoffice.xlsx "$recus/bilan café 2025.xlsx"
# Started as the Explorer does for a folder dropped on it. Into a pipe, cmd writes its own
# lines in the ANSI code page (the console gets Unicode) and fnp.exe writes UTF-8: each line
# is read in whichever it is.
# The folder dropped as the Explorer drops it (tests/windows/lanceur-explorateur.c: CreateProcess
# on « "SCRIPT" PATH », the path quoted only when it holds a space).
lanceur="$travail/lanceur-explorateur.exe"
x86_64-w64-mingw32-gcc -municode -O2 -o "$lanceur" tests/windows/lanceur-explorateur.c
ecrit=$(FNP_SANS_OUVRIR=1 FNP_SANS_PAUSE=1 "$wine" "$lanceur" "$(winepath -w "$essai/fnp/verifier-un-dossier.cmd")" "$(winepath -w "$recus")" </dev/null 2>&1 \
  | python3 -c '
import sys
for l in sys.stdin.buffer:
    try:
        print(l.decode("utf-8").rstrip())
    except UnicodeDecodeError:
        print(l.decode("cp1252", "replace").rstrip())' || true)
echo "$ecrit" | grep -E "^Synthèse|^Rapport :" || true
rapport="$recus - rapport fnp"
copies="$recus - copies annotées fnp"
for f in rapport.html synthese.csv synthese.json constats.csv; do
  [ -s "$rapport/$f" ] || { echo "release.sh : $f manque à côté du dossier glissé" >&2; echo "$ecrit" >&2; exit 1; }
done
n=$(find "$copies" -name '*.annote.xlsx' | wc -l)
[ "$n" -eq 5 ] || { echo "release.sh : $n copies annotées au lieu de 5" >&2; echo "$ecrit" >&2; exit 1; }
python3 - "$rapport/synthese.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
s = j["synthese"]
assert s["dossiers"] == 5, s
assert s["illisible"] == 0, s
bilan = [d for d in j["dossiers"] if d["source"].endswith("bilan café 2025.xlsx")]
assert bilan and bilan[0]["verdict"] == "non-conforme" and bilan[0]["bilan"] == {"complet": True, "lignes_non_renseignees": []}, bilan
regles = [c["regle"] for c in bilan[0]["constats"]]
assert "BILAN-EQUILIBRE" in regles and "BILAN-ECART-EXPLIQUE" in regles, regles
PY
grep -q "bilan café 2025.xlsx : bilan complet, non conforme" <<<"$ecrit" || { echo "release.sh : le .cmd ne dit pas le bilan non conforme" >&2; echo "$ecrit" >&2; exit 1; }
grep -q "Résultat : " <<<"$ecrit" || { echo "release.sh : le .cmd n'a pas dit son résultat en français" >&2; echo "$ecrit" >&2; exit 1; }
# Hostile round 4: folders whose names hold what cmd would act on, dropped as the Explorer
# drops them (tests/windows/lanceur-explorateur.c: the path quoted only when it holds a space).
# Each must be checked itself, its report written beside it, no neighbour folder touched, and
# nothing run after the script (an « injecte.cmd » in the current folder writes a marker).
noms="$travail/noms"
mkdir -p "$noms"
printf '@echo off\r\necho injecte > "%%~dp0injecte-execute.txt"\r\n' > "$noms/injecte.cmd"
cp "$noms/injecte.cmd" "$noms/2025.cmd"
essais=0
for c in '&' ',' ';' '=' '^' '%' '!' '(' ')'; do
  # (A name ending with ^ is not tried: cmd reads that caret as escaping the end of its own /c
  # line and runs nothing at all, before the script could read anything; docs/windows.md.)
  for nom in "Retours${c}injecte" "Retours ${c} injecte" "Retours${c}2025" "Retours%USERNAME%${c}x"; do
    dossier="$noms/$nom"
    mkdir -p "$dossier" "$noms/Retours"
    cp tests/fixtures/classeurs/cafe-libreoffice.xlsx "$dossier/a.xlsx"
    sortie=$(cd "$noms" && FNP_SANS_OUVRIR=1 FNP_SANS_PAUSE=1 "$wine" "$lanceur" "$(winepath -w "$essai/fnp/verifier-un-dossier.cmd")" "$(winepath -w "$dossier")" </dev/null 2>&1 || true)
    echouer() { echo "release.sh : dossier « $nom » déposé sur le .cmd : $1" >&2; echo "$sortie" >&2; exit 1; }
    [ -e "$noms/injecte-execute.txt" ] && echouer "cmd a exécuté la suite du nom (injecte.cmd)"
    [ -s "$dossier - rapport fnp/synthese.json" ] || echouer "pas de rapport à côté du dossier"
    python3 - "$dossier - rapport fnp/synthese.json" <<'PY' || echouer "le rapport ne porte pas sur ce dossier"
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
assert [d["source"].rsplit("/", 1)[-1] for d in j["dossiers"]] == ["a.xlsx"], j["dossiers"]
PY
    for voisin in "$noms/Retours - rapport fnp" "$noms/injecte - rapport fnp" "$noms/2025 - rapport fnp"; do
      [ -e "$voisin" ] && echouer "un autre dossier a été vérifié : $voisin"
    done
    rm -rf "$dossier" "$dossier - rapport fnp" "$dossier - copies annotées fnp"
    essais=$((essais + 1))
  done
done
# The same folder dropped twice: fnp replaces its own report; a folder of that name made by
# someone else is never overwritten.
dossier="$noms/Retours&injecte"
mkdir -p "$dossier" "$dossier - rapport fnp"
cp tests/fixtures/classeurs/cafe-libreoffice.xlsx "$dossier/a.xlsx"
echo "à garder" > "$dossier - rapport fnp/synthese.csv"
sortie=$(cd "$noms" && FNP_SANS_OUVRIR=1 FNP_SANS_PAUSE=1 "$wine" "$lanceur" "$(winepath -w "$essai/fnp/verifier-un-dossier.cmd")" "$(winepath -w "$dossier")" </dev/null 2>&1 || true)
grep -q "à garder" "$dossier - rapport fnp/synthese.csv" || { echo "release.sh : le .cmd a écrasé un dossier qu'il n'a pas créé" >&2; echo "$sortie" >&2; exit 1; }
grep -q "n'a pas été créé par fnp" <<<"$sortie" || { echo "release.sh : le .cmd ne dit pas pourquoi il n'écrit pas" >&2; echo "$sortie" >&2; exit 1; }
echo "release.sh : $essais dossiers aux noms hostiles (& , ; = ^ % ! ( ), avec ou sans espace) déposés sur le .cmd comme l'Explorateur : chacun vérifié lui-même, rien d'autre exécuté ni écrasé"

# fnp.exe check on a workbook: French with its accents.
sortie=$("$wine" "$essai/fnp/fnp.exe" check "$(winepath -w "$recus/petits-pas.xlsx")" </dev/null 2>&1 || true)
grep -q "à vérifier" <<<"$sortie" || { echo "release.sh : fnp.exe check n'écrit pas « à vérifier »" >&2; echo "$sortie" >&2; exit 1; }
# No argument and no console of its own (a pipe): the help, exit 2, no wait for Enter.
timeout 60 "$wine" "$essai/fnp/fnp.exe" </dev/null >/dev/null 2>&1 && code=0 || code=$?
[ "$code" -eq 2 ] || { echo "release.sh : fnp.exe sans argument : code $code au lieu de 2" >&2; exit 1; }
# The copy fnp.exe annotated opens in LibreOffice with its comments: LibreOffice saves it
# again, and openpyxl finds fnp's comment on the cell of the finding.
if command -v libreoffice >/dev/null && /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
  profil=$(mktemp -d)
  relu="$travail/relu"
  mkdir -p "$relu"
  cp "$copies/petits-pas.annote.xlsx" "$relu/copie.xlsx"
  timeout 180 libreoffice -env:UserInstallation="file://$profil" --headless --convert-to ods --outdir "$relu" "$relu/copie.xlsx" >/dev/null 2>&1 || true
  timeout 180 libreoffice -env:UserInstallation="file://$profil" --headless --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$relu/lo" "$relu/copie.ods" >/dev/null 2>&1 || true
  rm -rf "$profil"
  /usr/bin/python3 - "$relu/lo/copie.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
commentaires = {f"{ws.title}!{c.coordinate}": c.comment.text for ws in wb for row in ws.iter_rows() for c in row if c.comment}
assert any("GEN-DEPENSE-INELIGIBLE" in t for t in commentaires.values()), commentaires
print(f"release.sh : la copie annotée par fnp.exe, ouverte et réenregistrée par LibreOffice, garde ses {len(commentaires)} commentaires")
PY
else
  echo "release.sh : libreoffice ou openpyxl absent : copie annotée non rouverte"
fi
echo "release.sh : archives essayées (Linux sur examples/, Windows sous wine : .cmd sur un dossier reçu dont un bilan, $n copies annotées, 4 rapports)"
