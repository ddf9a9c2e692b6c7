#!/usr/bin/env bash
# Checks `fnp check --annotate` with real clients, on workbooks changed as associations
# change them:
# - an example converted to a workbook, then edited with openpyxl: a note row inserted in the
#   Dossier sheet, a value out of range, the association's own comment on that cell, a column
#   inserted in Dépenses, a total row with a formula, a bad nature and a bad amount;
#   LibreOffice saves the same file again (its own XML), and as .ods;
# - openpyxl opens each annotated copy: every sheet and value as received, one fnp comment at
#   exactly each cell a finding names (and none elsewhere), that cell filled by severity with
#   its number format kept, the association's comment kept, an Anomalies sheet with a row per
#   finding and a link to its cell;
# - LibreOffice opens each annotated copy and saves it again: the comments are still on
#   their cells, as LibreOffice read them;
# - the .ods gets a rebuilt copy, and synthese.csv says so.
# Needs libreoffice (libreoffice-calc) and python3 with openpyxl; without libreoffice it
# says so on one line and stops (exit 0).
# Usage: scripts/check-annotation.sh [FNP_BINARY] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
NOM=check-annotation MODULES=openpyxl
# shellcheck source=scripts/classeurs-commun.sh
. scripts/classeurs-commun.sh

rm -rf "$sortie/retours" "$sortie/annotes" "$sortie/rapport" "$sortie/relus"
mkdir -p "$sortie/retours/openpyxl" "$sortie/retours/libreoffice" "$sortie/relus"
"$fnp" convert examples/1.1-cafe-des-parents.toml -o "$sortie/base.xlsx" --force >/dev/null 2>&1
"$python" - "$sortie/base.xlsx" "$sortie/retours/openpyxl/petits-pas.xlsx" <<'PY'
import sys, openpyxl
from openpyxl.comments import Comment
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Dossier"]
cle = {ws.cell(r, 4).value: r for r in range(1, ws.max_row + 1)}
ws.insert_rows(cle["porteur.nom"] + 1)
ws.cell(cle["porteur.nom"] + 1, 1, "Remarque du trésorier")
ws.cell(cle["porteur.nom"] + 1, 2, "dossier déposé en retard")
cle = {ws.cell(r, 4).value: r for r in range(1, ws.max_row + 1)}
ws.cell(cle["groupe.participants_max"], 2, 15)
ws.cell(cle["groupe.participants_max"], 2).comment = Comment("Validé en bureau", "Trésorier")
d = wb["Dépenses"]
d.insert_cols(1)
d["A1"] = "N°"
n = max(r for r in range(2, d.max_row + 1) if d.cell(r, 2).value) + 1
for r in range(2, n):
    d.cell(r, 1, r - 1)
d.cell(n, 3, "TOTAL DES CHARGES")
d.cell(n, 4, f"=SUM(D2:D{n - 1})")
d.cell(n + 1, 2, "materiel"); d.cell(n + 1, 3, "Jeux"); d.cell(n + 1, 4, "abc")
wb.save(sys.argv[2])
PY
lo --convert-to xlsx --outdir "$sortie/retours/libreoffice" "$sortie/retours/openpyxl/petits-pas.xlsx"
lo --convert-to ods --outdir "$sortie/retours/libreoffice" "$sortie/retours/openpyxl/petits-pas.xlsx"
[ -f "$sortie/retours/libreoffice/petits-pas.xlsx" ] && [ -f "$sortie/retours/libreoffice/petits-pas.ods" ] \
  || { echo "check-annotation : LibreOffice n'a pas enregistré les classeurs" >&2; exit 1; }

set +e
"$fnp" check --format json "$sortie/retours" --annotate "$sortie/annotes" --report "$sortie/rapport" \
  >"$sortie/check.json" 2>"$sortie/check.err"
code=$?
set -e
[ "$code" = 1 ] || { echo "check-annotation : code de sortie $code (attendu 1)" >&2; cat "$sortie/check.err" >&2; exit 1; }
for c in openpyxl/petits-pas.annote.xlsx libreoffice/petits-pas.annote.xlsx; do
  lo --convert-to xlsx --outdir "$sortie/relus/$(dirname "$c")" "$sortie/annotes/$c"
done
"$python" - "$sortie" <<'PY'
import json, sys, os, openpyxl
racine = sys.argv[1]
doc = json.load(open(f"{racine}/check.json"))
dossiers = {os.path.relpath(d["source"], f"{racine}/retours"): d for d in doc["dossiers"]}
couleurs = {"erreur": "FFF8C9C4", "avertissement": "FFFFE3B3", "info": "FFCFE6F5"}
rang = {"erreur": 0, "avertissement": 1, "info": 2}
echecs = []
def verifier(condition, message):
    if not condition:
        echecs.append(message)
def commentaires(wb):
    v = {}
    for n in wb.sheetnames:
        for row in wb[n].iter_rows():
            for c in row:
                if c.comment is not None:
                    v[f"{n}!{c.coordinate}"] = c.comment.text
    return v
for client in ("openpyxl", "libreoffice"):
    entree = f"{client}/petits-pas.xlsx"
    d = dossiers[entree]
    copie = d["copie_annotee"]
    verifier(copie["en_place"] and copie["fichier"] == f"{client}/petits-pas.annote.xlsx", f"{entree} : {copie}")
    a = openpyxl.load_workbook(f"{racine}/retours/{entree}")
    b = openpyxl.load_workbook(f"{racine}/annotes/{copie['fichier']}")
    verifier(b.sheetnames == a.sheetnames + ["Anomalies", "fnp-origine"], f"{entree} : feuilles {b.sheetnames}")
    verifier(b["fnp-origine"].sheet_state == "hidden", f"{entree} : la feuille fnp-origine n'est pas masquée")
    for n in a.sheetnames:
        for row in a[n].iter_rows():
            for c in row:
                x = b[n][c.coordinate]
                verifier(x.value == c.value, f"{entree} : {n}!{c.coordinate} {c.value!r} devenu {x.value!r}")
                verifier(x.number_format == c.number_format, f"{entree} : {n}!{c.coordinate} format {c.number_format!r} devenu {x.number_format!r}")
    attendus = {}
    for k in d["constats"]:
        cel = k["emplacement"]["cellule"]
        if cel:
            attendus.setdefault(cel, []).append(k)
    trouves = {k: t for k, t in commentaires(b).items() if "fnp :" in t}
    verifier(sorted(attendus) == sorted(trouves), f"{entree} : commentaires {sorted(trouves)} au lieu de {sorted(attendus)}")
    for cel, liste in attendus.items():
        for k in liste:
            verifier(k["regle"] in trouves.get(cel, ""), f"{entree} : {k['regle']} absent du commentaire de {cel}")
        pire = min((k["gravite"] for k in liste), key=rang.get)
        feuille, ref = cel.rsplit("!", 1)
        verifier(b[feuille][ref].fill.fgColor.rgb == couleurs[pire], f"{entree} : {cel} non coloré ({pire})")
    propre = [t for t in commentaires(b).values() if "Validé en bureau" in t]
    verifier(len(propre) == 1, f"{entree} : le commentaire de l'association est perdu")
    for regle in ("A1V1-TAILLE-GROUPE", "SAISIE-LIGNE-IGNOREE", "SAISIE-MONTANT", "SAISIE-TYPE", "SAISIE-COLONNE-INCONNUE"):
        verifier(any(regle in t for t in trouves.values()), f"{entree} : aucun commentaire {regle}")
    an = b["Anomalies"]
    verifier(an.max_row - 1 == len(d["constats"]), f"{entree} : {an.max_row - 1} lignes d'anomalies pour {len(d['constats'])} constats")
    liens = [c.hyperlink.location for row in an.iter_rows(min_row=2) for c in row if c.hyperlink is not None]
    verifier(len(liens) == sum(len(v) for v in attendus.values()), f"{entree} : {len(liens)} liens dans Anomalies")
    # As LibreOffice read the copy: the same comments on the same cells.
    relu = openpyxl.load_workbook(f"{racine}/relus/{client}/petits-pas.annote.xlsx")
    relus = {k for k, t in commentaires(relu).items() if "fnp" in t}
    verifier(relus == set(trouves), f"{entree} : LibreOffice lit les commentaires {sorted(relus)} au lieu de {sorted(trouves)}")
    print(f"check-annotation : {entree} : {len(trouves)} commentaires à leur cellule, {an.max_row - 1} anomalies, relu par LibreOffice")
ods = dossiers["libreoffice/petits-pas.ods"]["copie_annotee"]
verifier(not ods["en_place"] and ods["fichier"] == "libreoffice/petits-pas.ods.annote.xlsx", f"ods : {ods}")
synthese = open(f"{racine}/rapport/synthese.csv", encoding="utf-8-sig").read()
verifier("libreoffice/petits-pas.ods.annote.xlsx;" in synthese and "reconstruite sur le modèle" in synthese, "synthese.csv ne dit pas la copie reconstruite")
if echecs:
    print("\n".join(echecs), file=sys.stderr)
    sys.exit(1)
print("check-annotation : .ods reconstruit et signalé dans synthese.csv")
PY

# The treasurer's loop through real clients: she corrects two cells in the annotated copy
# (openpyxl, which renumbers the styles), LibreOffice saves it again, fnp checks and annotates
# it again: the new copy holds only what is still wrong (fnp's old comments, fills and sheet
# gone, nothing doubled, the association's comment kept).
rm -rf "$sortie/boucle" "$sortie/boucle-lo" "$sortie/annotes2"
"$python" - "$sortie" <<'PY'
import json, sys, os, openpyxl
racine = sys.argv[1]
doc = json.load(open(f"{racine}/check.json"))
for d in doc["dossiers"]:
    entree = os.path.relpath(d["source"], f"{racine}/retours")
    if not entree.endswith("petits-pas.xlsx"):
        continue
    client = entree.split("/")[0]
    cellules = {k["regle"]: k["emplacement"]["cellule"] for k in d["constats"] if k["emplacement"]["cellule"]}
    wb = openpyxl.load_workbook(f"{racine}/annotes/{d['copie_annotee']['fichier']}")
    corrigees = []
    for regle, valeur in (("A1V1-TAILLE-GROUPE", 12), ("SAISIE-MONTANT", 150)):
        feuille, ref = cellules[regle].rsplit("!", 1)
        wb[feuille][ref] = valeur
        corrigees.append(cellules[regle])
    os.makedirs(f"{racine}/boucle/{client}", exist_ok=True)
    wb.save(f"{racine}/boucle/{client}/petits-pas.annote.xlsx")
    json.dump(corrigees, open(f"{racine}/boucle/{client}/corrigees.json", "w"))
PY
for client in openpyxl libreoffice; do
  lo --convert-to xlsx --outdir "$sortie/boucle-lo/$client" "$sortie/boucle/$client/petits-pas.annote.xlsx"
  cp "$sortie/boucle/$client/corrigees.json" "$sortie/boucle-lo/$client/"
done
set +e
"$fnp" check --format json "$sortie/boucle-lo" --annotate "$sortie/annotes2" >"$sortie/check2.json" 2>"$sortie/check2.err"
set -e
"$python" - "$sortie" <<'PY'
import json, sys, os, openpyxl
racine = sys.argv[1]
doc = json.load(open(f"{racine}/check2.json"))
couleurs = {"FFF8C9C4", "FFFFE3B3", "FFCFE6F5"}
echecs = []
def verifier(condition, message):
    if not condition:
        echecs.append(message)
for d in doc["dossiers"]:
    entree = os.path.relpath(d["source"], f"{racine}/boucle-lo")
    if not entree.endswith(".xlsx"):
        continue
    client = entree.split("/")[0]
    corrigees = json.load(open(f"{racine}/boucle-lo/{client}/corrigees.json"))
    copie = d["copie_annotee"]
    verifier(copie["fichier"] == f"{client}/petits-pas.annote.xlsx", f"{entree} : copie {copie['fichier']}")
    a = openpyxl.load_workbook(f"{racine}/retours/{client}/petits-pas.xlsx")
    b = openpyxl.load_workbook(f"{racine}/annotes2/{copie['fichier']}")
    verifier(b.sheetnames == a.sheetnames + ["Anomalies", "fnp-origine"], f"{entree} : feuilles {b.sheetnames}")
    attendus = {k["emplacement"]["cellule"] for k in d["constats"] if k["emplacement"]["cellule"]}
    notes = {}
    for n in b.sheetnames:
        for row in b[n].iter_rows():
            for c in row:
                if c.comment is not None:
                    notes[f"{n}!{c.coordinate}"] = c.comment.text
    trouves = {k for k, t in notes.items() if "fnp :" in t}
    verifier(trouves == attendus, f"{entree} : commentaires de fnp {sorted(trouves)} au lieu de {sorted(attendus)}")
    verifier(all(t.count("fnp :") <= 1 for t in notes.values()), f"{entree} : un commentaire de fnp en double")
    for cel in corrigees:
        feuille, ref = cel.rsplit("!", 1)
        verifier(cel not in trouves, f"{entree} : {cel} corrigée garde un commentaire de fnp")
        verifier(b[feuille][ref].fill.fgColor.rgb not in couleurs, f"{entree} : {cel} corrigée garde la couleur de fnp")
    propre = [t for t in notes.values() if "Validé en bureau" in t]
    verifier(len(propre) == 1, f"{entree} : le commentaire de l'association est perdu ou doublé : {propre}")
    verifier(b["Anomalies"].max_row - 1 == len(d["constats"]), f"{entree} : {b['Anomalies'].max_row - 1} anomalies pour {len(d['constats'])} constats")
    print(f"check-annotation : {entree} corrigé dans la copie ({len(corrigees)} cellules), enregistré par LibreOffice, annoté à nouveau : {len(trouves)} commentaires, rien de l'ancienne annotation")
if len([d for d in doc["dossiers"] if d["source"].endswith(".xlsx")]) != 2:
    echecs.append(f"{len(doc['dossiers'])} dossiers relus après correction, 2 attendus")
if echecs:
    print("\n".join(echecs), file=sys.stderr)
    sys.exit(1)
PY
