#!/usr/bin/env bash
# Checks the workbook template with real clients, as an association gets it:
# - LibreOffice prints it to PDF: A4 landscape, every page one page wide (each page of a sheet
#   has all its columns), the header row on every page, the French labels, no dotted key
#   (the key column is hidden), a sane page count;
# - openpyxl fills it as a script or a person would (values in column B, found by the hidden
#   key column; budget lines under the headers), from TOML examples; LibreOffice then saves the
#   filled file again as .xlsx and as .ods; fnp check must give each the verdict, findings
#   (rules and severities) and budget of the TOML it was filled from, and LibreOffice must keep
#   the protection, the locked format cell and the hidden key column;
# - a note row inserted in the Dossier sheet is an information, nothing more.
# Needs libreoffice (libreoffice-calc), python3 with openpyxl and poppler-utils; without
# libreoffice it says so on one line and stops (exit 0).
# Usage: scripts/check-modele.sh [FNP_BINARY] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v libreoffice >/dev/null; then
  echo "check-modele : libreoffice absent, vérification du modèle sautée"
  exit 0
fi
fnp=$(realpath "${1:-target/debug/fnp}")
sortie=${2:-$(mktemp -d)}
mkdir -p "$sortie"
sortie=$(realpath "$sortie")
python=""
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import openpyxl, tomllib' 2>/dev/null; then python=$p; break; fi
done
if [ -z "$python" ] || ! command -v pdftotext >/dev/null; then
  echo "check-modele : python3 avec openpyxl (python3-openpyxl) et pdftotext (poppler-utils) sont requis" >&2
  exit 2
fi
[ -x "$fnp" ] || { echo "check-modele : $fnp introuvable (cargo build)" >&2; exit 2; }
# A profile of its own: never the user's, and no clash with a LibreOffice already running.
profil=$(mktemp -d)
trap 'rm -rf "$profil"' EXIT
lo() { timeout 180 libreoffice -env:UserInstallation="file://$profil" --headless "$@" >/dev/null 2>&1; }

echecs=0
echec() { echo "ÉCHEC $*"; echecs=$((echecs + 1)); }

# 1. The printed template.
verifier_pdf() { # NAME PDF MAX_PAGES
  local nom=$1 pdf=$2 max=$3
  local pages taille
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  taille=$(pdfinfo "$pdf" | awk -F': *' '/^Page size:/ {print $2}')
  case "$taille" in 841.8*" x 595."*) ;; *) echec "$nom : pages de $taille, pas A4 paysage" ;; esac
  if [ "$pages" -lt 4 ] || [ "$pages" -gt "$max" ]; then echec "$nom : $pages pages (4 à $max attendues)"; fi
  local texte
  texte=$(pdftotext -layout "$pdf" -)
  for attendu in "Nom de la structure *" "Département de la Caf *" "La structure qui porte l'action" \
                 "Obligatoire. Nom de la structure" "Page 1 sur"; do
    case "$texte" in *"$attendu"*) ;; *) echec "$nom : « $attendu » absent du PDF" ;; esac
  done
  for cle in porteur.nom caf.departement action.intitule indicateurs.participants; do
    case "$texte" in *"$cle"*) echec "$nom : la clé $cle est imprimée (colonne Clé visible ?)" ;; esac
  done
  # Each page: the name of its sheet in the page header, and all that sheet's column headers
  # (a page only one column wide, or without the repeated header row, misses some).
  local p
  for p in $(seq 1 "$pages"); do
    local page
    page=$(pdftotext -layout -f "$p" -l "$p" "$pdf" -)
    case "$page" in
      *Dossier*) local colonnes=("Champ (* : obligatoire)" "Valeur" "Aide") ;;
      *Dépenses*) local colonnes=("Nature" "Libellé" "Montant (€)" "Dispositif" "Justificatif") ;;
      *Recettes*) local colonnes=("Financeur" "Libellé" "Montant (€)" "Statut" "Dispositif") ;;
      *Contributions*) local colonnes=("Nature" "Libellé" "Montant (€)") ;;
      *) echec "$nom : page $p sans nom de feuille en en-tête"; continue ;;
    esac
    local c
    for c in "${colonnes[@]}"; do
      case "$page" in *"$c"*) ;; *) echec "$nom : page $p sans la colonne « $c »" ;; esac
    done
  done
  echo "$nom : $pages pages A4 paysage"
}

"$fnp" template -o "$sortie/modele.xlsx" --force 2>/dev/null
"$fnp" template --type cafe-des-parents -o "$sortie/modele-cafe.xlsx" --force 2>/dev/null
lo --convert-to pdf --outdir "$sortie" "$sortie/modele.xlsx" "$sortie/modele-cafe.xlsx"
verifier_pdf "modele.xlsx" "$sortie/modele.pdf" 8
verifier_pdf "modele-cafe.xlsx" "$sortie/modele-cafe.pdf" 7
case "$(pdftotext "$sortie/modele-cafe.pdf" -)" in
  *"Le lieu d'accueil"*) echec "modele-cafe.xlsx : la rubrique du lieu (axe 3) est dans le modèle d'un café des parents" ;;
esac
command -v pdftoppm >/dev/null && pdftoppm -r 60 -png "$sortie/modele.pdf" "$sortie/modele-page"

# 2. Filled by openpyxl from TOML examples, then saved again by LibreOffice.
remplir() { # TOML XLSX: the blank template filled with the TOML's values
  "$python" - "$1" "$sortie/modele.xlsx" "$2" <<'EOF'
import datetime, sys, tomllib
import openpyxl

source, modele, cible = sys.argv[1:4]
with open(source, "rb") as f:
    dossier = tomllib.load(f)
def cellule(v):
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, list):
        if len(v) == 2 and all(isinstance(x, int) for x in v):
            return f"{v[0]}-{v[1]}"
        return ", ".join(str(x) for x in v)
    return v
valeurs = {}
for k, v in dossier.items():
    if isinstance(v, dict):
        for k2, v2 in v.items():
            valeurs[f"{k}.{k2}"] = cellule(v2)
    elif not isinstance(v, list):
        valeurs[k] = cellule(v)
wb = openpyxl.load_workbook(modele)
ws = wb["Dossier"]
entete = [c.value for c in ws[1]]
col_cle = entete.index("Clé") + 1
for ligne in range(2, ws.max_row + 1):
    cle = ws.cell(ligne, col_cle).value
    if cle in valeurs and cle != "format":
        ws.cell(ligne, 2).value = valeurs.pop(cle)
valeurs.pop("format", None)
if valeurs:
    sys.exit(f"{source} : clés sans ligne dans le modèle : {sorted(valeurs)}")
colonnes = {"Nature": "nature", "Libellé": "libelle", "Montant (€)": "montant", "Compte": "compte",
            "Dispositif": "dispositif", "Hausse du temps de travail": "hausse_temps_travail",
            "Justificatif": "justificatif", "Financeur": "financeur", "Statut": "statut"}
for feuille, cle in (("Dépenses", "depense"), ("Recettes", "recette"), ("Contributions", "contribution")):
    ws = wb[feuille]
    entete = [colonnes[c.value] for c in ws[1]]
    for i, ligne in enumerate(dossier.get(cle, []), start=2):
        for k, v in ligne.items():
            ws.cell(i, entete.index(k) + 1).value = cellule(v)
wb.save(cible)
EOF
}

constats() { # FILE: verdict, budget and sorted (rule, severity) of fnp check
  "$fnp" check --format json "$1" 2>/dev/null | "$python" -c '
import json, sys
d = json.load(sys.stdin)["dossiers"][0]
print(d["verdict"], json.dumps(d.get("budget"), sort_keys=True))
for r, g in sorted((c["regle"], c["gravite"]) for c in d["constats"]):
    print(r, g)' || true
}

garde_la_protection() { # XLSX saved by LibreOffice
  "$python" - "$1" <<'EOF'
import sys
import openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Dossier"]
entete = [c.value for c in ws[1]]
col_cle = entete.index("Clé") + 1
lettre = openpyxl.utils.get_column_letter(col_cle)
lignes = {ws.cell(l, col_cle).value: l for l in range(2, ws.max_row + 1)}
erreurs = []
if not ws.protection.sheet:
    erreurs.append("feuille Dossier non protégée")
if ws.protection.insertRows is not False:
    erreurs.append("insertion de lignes interdite")
if not ws.cell(lignes["format"], 2).protection.locked:
    erreurs.append("cellule format modifiable")
if ws.cell(lignes["porteur.nom"], 2).protection.locked:
    erreurs.append("valeur porteur.nom verrouillée")
if not ws.column_dimensions[lettre].hidden:
    erreurs.append(f"colonne Clé ({lettre}) visible")
if erreurs:
    sys.exit("; ".join(erreurs))
EOF
}

# Conforme examples, and dossiers that a rule flags (à vérifier, non conforme).
for exemple in examples/1.1-cafe-des-parents.toml examples/3.1-lieu-ressource.toml examples/2.2-telephonie-sociale.toml \
               tests/cases/A1V1-TAILLE-GROUPE/declenche/max-13.toml tests/cases/A3V1-OUVERTURE/declenche/quatre-demi-journees.toml \
               tests/cases/GEN-DEPENSE-INELIGIBLE/declenche/investissement-1-1.toml; do
  nom=$(basename "$exemple" .toml)
  rempli="$sortie/$nom.xlsx"
  if ! remplir "$exemple" "$rempli"; then echec "$nom : remplissage openpyxl"; continue; fi
  mkdir -p "$sortie/libreoffice"
  lo --convert-to xlsx --outdir "$sortie/libreoffice" "$rempli"
  lo --convert-to ods --outdir "$sortie/libreoffice" "$rempli"
  attendu=$(constats "$exemple")
  if [ -z "$attendu" ]; then echec "$nom : fnp check --format json illisible"; continue; fi
  for f in "$rempli" "$sortie/libreoffice/$nom.xlsx" "$sortie/libreoffice/$nom.ods"; do
    if [ ! -f "$f" ]; then echec "$nom : $f non écrit par LibreOffice"; continue; fi
    obtenu=$(constats "$f")
    if [ "$obtenu" != "$attendu" ]; then
      echec "$nom : $(basename "$(dirname "$f")")/$(basename "$f") ne donne pas ce que donne le TOML"
      diff <(echo "$attendu") <(echo "$obtenu") | sed 's/^/    /' || true
    fi
  done
  if ! message=$(garde_la_protection "$sortie/libreoffice/$nom.xlsx" 2>&1); then
    echec "$nom : après LibreOffice, $message"
  fi
  echo "$nom : rempli par openpyxl, réenregistré par LibreOffice en xlsx et ods : $(echo "$attendu" | head -1 | cut -d' ' -f1)"
done
lo --convert-to pdf --outdir "$sortie/libreoffice" "$sortie/libreoffice/1.1-cafe-des-parents.xlsx"
porteur=$("$fnp" check --format json examples/1.1-cafe-des-parents.toml | "$python" -c 'import json,sys; print(json.load(sys.stdin)["dossiers"][0]["porteur"])')
case "$(pdftotext "$sortie/libreoffice/1.1-cafe-des-parents.pdf" - | tr -s ' \n' ' ')" in
  *"$porteur"*) ;;
  *) echec "1.1-cafe-des-parents : le nom du porteur « $porteur » n'est pas sur le PDF du classeur rempli" ;;
esac

# 3. A note row inserted by the association.
"$python" - "$sortie/1.1-cafe-des-parents.xlsx" "$sortie/note.xlsx" <<'EOF'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Dossier"]
ws.insert_rows(8)
ws.cell(8, 1).value = "Remarque du trésorier"
ws.cell(8, 2).value = "budget voté en AG le 12 mars"
wb.save(sys.argv[2])
EOF
attendu=$(constats examples/1.1-cafe-des-parents.toml)
obtenu=$(constats "$sortie/note.xlsx")
notes=$(echo "$obtenu" | grep -c '^SAISIE-LIGNE-IGNOREE info$' || true)
if [ "$notes" != 1 ] || [ "$(echo "$obtenu" | grep -v '^SAISIE-LIGNE-IGNOREE info$')" != "$attendu" ]; then
  echec "note.xlsx : une note ajoutée devrait être une information SAISIE-LIGNE-IGNOREE, rien de plus"
  diff <(echo "$attendu") <(echo "$obtenu") | sed 's/^/    /' || true
fi

if [ "$echecs" -gt 0 ]; then
  echo "check-modele : $echecs échec(s) ; fichiers dans $sortie"
  exit 1
fi
echo "check-modele : modèle imprimé, rempli et relu sans écart ; fichiers dans $sortie"
