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
# - a note row inserted in the Dossier sheet is an information, nothing more;
# - with python3-uno, the dossier typed in a real LibreOffice (French locale), protection
#   checked as LibreOffice sees it, a row inserted in the protected sheet.
# Needs libreoffice (libreoffice-calc), python3 with openpyxl and poppler-utils; without
# libreoffice it says so on one line and stops (exit 0); without python3-uno it skips the
# typing part, saying so.
# Usage: scripts/check-modele.sh [FNP_BINARY] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
NOM=check-modele MODULES="openpyxl, tomllib"
# shellcheck source=scripts/classeurs-commun.sh
. scripts/classeurs-commun.sh
if ! command -v pdftotext >/dev/null; then
  echo "check-modele : pdftotext (poppler-utils) est requis" >&2
  exit 2
fi

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
      *Dépenses*) local colonnes=("Nature" "Libellé" "Montant (€)" "Réalisé (€)" "Explication" "Dispositif" "Justificatif") ;;
      *Recettes*) local colonnes=("Financeur" "Libellé" "Montant (€)" "Réalisé (€)" "Explication" "Statut" "Dispositif") ;;
      *Contributions*) local colonnes=("Nature" "Libellé" "Montant (€)" "Réalisé (€)" "Explication") ;;
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
colonnes = {"Nature": "nature", "Libellé": "libelle", "Montant (€)": "montant", "Réalisé (€)": "realise",
            "Explication": "explication", "Compte": "compte",
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

constats() { # FILE: verdict, budget and sorted (rule, severity) of fnp check, then fnp bilan
  "$fnp" check --format json "$1" 2>/dev/null | "$python" -c '
import json, sys
d = json.load(sys.stdin)["dossiers"][0]
print(d["verdict"], json.dumps(d.get("budget"), sort_keys=True))
for r, g in sorted((c["regle"], c["gravite"]) for c in d["constats"]):
    print(r, g)' || true
  # And the bilan (realise, explication, indicateurs_realises, bilan): the same compte rendu
  # whatever the file, and the same findings of its rules (their places differ: a line of
  # the TOML, a cell of the workbook; and their words: TOML keys, the workbook's labels).
  # Rules v4: fnp bilan lists the dossier's findings after the bilan's; those are compared
  # above, with the counts, so only the bilan's own are kept here.
  "$fnp" bilan --format json "$1" 2>/dev/null | "$python" -c '
import json, sys
d = json.load(sys.stdin)
d.pop("source")
d.pop("compteurs", None)
garder = []
for c in d.get("constats", []):
    if not c["regle"].startswith("BILAN-"):
        continue
    c.pop("emplacement", None)
    c.pop("lieu", None)
    c.pop("message", None)
    garder.append(c)
d["constats"] = sorted(garder, key=lambda c: (c["regle"], c["gravite"]))
print(json.dumps(d, sort_keys=True))' 2>/dev/null || true
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
               examples/bilan/1.1-cafe-des-parents.toml \
               tests/cases/A1V1-TAILLE-GROUPE/declenche/max-13.toml tests/cases/A3V1-OUVERTURE/declenche/quatre-demi-journees.toml \
               tests/cases/GEN-DEPENSE-INELIGIBLE/declenche/investissement-1-1.toml; do
  nom=$(basename "$exemple" .toml)
  case "$exemple" in */bilan/*) nom="bilan-$nom" ;; esac
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

# 4. Typed in a real LibreOffice, as a person types (French locale, through the dispatcher:
#    dates 15/01/2025, 1 200,50…), the protection as LibreOffice sees it, a row inserted in the
#    protected sheet with a note typed in it. Needs LibreOffice's Python bridge (python3-uno).
uno_python=""
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import uno, tomllib' 2>/dev/null; then uno_python=$p; break; fi
done
if [ -z "$uno_python" ]; then
  echo "check-modele : python3-uno absent, saisie dans LibreOffice sautée"
else
  cat > "$profil/remplir_uno.py" <<'EOF_UNO'
"""Types a TOML dossier into the template in a real LibreOffice (UNO, dispatcher: as a person
types, French locale), tries the locked cells, inserts a note row, saves as xlsx."""
import subprocess, sys, time, tomllib, os
import uno
from com.sun.star.beans import PropertyValue

def pv(nom, valeur):
    p = PropertyValue(); p.Name = nom; p.Value = valeur; return p

modele, source, cible, profil, port = sys.argv[1:6]
soffice = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profil}", "--headless", "--invisible",
                            "--norestore", f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"); break
        except Exception:
            time.sleep(0.5)
    else:
        sys.exit("LibreOffice ne répond pas")
    smgr = ctx.ServiceManager
    # French locale: what people type is read as in France (08/01/2025, 1 200,50).
    cfg = smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    acces = cfg.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                            (pv("nodepath", "/org.openoffice.Setup/L10N"),))
    acces.setPropertyValue("ooSetupSystemLocale", "fr-FR"); acces.commitChanges()
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(modele)), "_blank", 0, (pv("Hidden", True),))
    controleur = doc.getCurrentController()
    envoi = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    def taper(feuille, col, ligne, texte):
        controleur.setActiveSheet(feuille)
        controleur.select(feuille.getCellByPosition(col, ligne))
        envoi.executeDispatch(controleur.getFrame(), ".uno:EnterString", "", 0, (pv("StringName", texte),))
    with open(source, "rb") as f:
        dossier = tomllib.load(f)
    def texte(v):
        if isinstance(v, bool): return "oui" if v else "non"
        if isinstance(v, list):
            if len(v) == 2 and all(isinstance(x, int) for x in v): return f"{v[0]}-{v[1]}"
            return ", ".join(str(x) for x in v)
        if hasattr(v, "strftime"): return v.strftime("%d/%m/%Y")
        if isinstance(v, float): return str(v).replace(".", ",")
        return str(v)
    valeurs = {}
    for k, v in dossier.items():
        if isinstance(v, dict):
            for k2, v2 in v.items(): valeurs[f"{k}.{k2}"] = texte(v2)
        elif not isinstance(v, list):
            valeurs[k] = texte(v)
    ws = doc.Sheets.getByName("Dossier")
    lignes = {}
    for l in range(1, 200):
        cle = ws.getCellByPosition(3, l).getString()
        if cle: lignes[cle] = l
    erreurs = []
    # Locked as LibreOffice sees it (typing into a locked cell would open a message box,
    # which a headless LibreOffice cannot show).
    if not ws.isProtected():
        erreurs.append("feuille Dossier non protégée")
    if not ws.getCellByPosition(1, lignes["format"]).CellProtection.IsLocked:
        erreurs.append("la valeur de format n'est pas verrouillée")
    if not ws.getCellByPosition(0, lignes["porteur.nom"]).CellProtection.IsLocked:
        erreurs.append("un nom de champ n'est pas verrouillé")
    if ws.getCellByPosition(1, lignes["porteur.nom"]).CellProtection.IsLocked:
        erreurs.append("la valeur porteur.nom est verrouillée")
    for cle, v in valeurs.items():
        if cle != "format":
            taper(ws, 1, lignes[cle], v)
    # A row inserted under a field (allowed on the protected sheet: its value cell is free,
    # its label locked like the row above) with a note typed in its value cell.
    apres = lignes["porteur.nom"]
    controleur.select(ws.getCellByPosition(1, apres + 1))
    envoi.executeDispatch(controleur.getFrame(), ".uno:InsertRows", "", 0, ())
    if ws.getCellByPosition(3, apres + 2).getString() != "porteur.statut":
        erreurs.append("pas de ligne insérée dans la feuille protégée")
    else:
        taper(ws, 1, apres + 1, "note : budget voté en AG")
        if ws.getCellByPosition(1, apres + 1).getString() != "note : budget voté en AG":
            erreurs.append("rien ne s'écrit dans la ligne insérée")
    colonnes = {"Nature": "nature", "Libellé": "libelle", "Montant (€)": "montant", "Réalisé (€)": "realise",
                "Explication": "explication", "Compte": "compte",
                "Dispositif": "dispositif", "Hausse du temps de travail": "hausse_temps_travail",
                "Justificatif": "justificatif", "Financeur": "financeur", "Statut": "statut"}
    for nom, cle in (("Dépenses", "depense"), ("Recettes", "recette"), ("Contributions", "contribution")):
        f = doc.Sheets.getByName(nom)
        entete = [colonnes[f.getCellByPosition(j, 0).getString()] for j in range(10) if f.getCellByPosition(j, 0).getString()]
        for i, ligne in enumerate(dossier.get(cle, []), start=1):
            for k, v in ligne.items():
                taper(f, entete.index(k), i, texte(v))
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(cible)), (pv("FilterName", "Calc MS Excel 2007 XML"),))
    doc.close(True)
    if erreurs:
        sys.exit("; ".join(erreurs))
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    soffice.terminate()
    soffice.wait(timeout=30)
EOF_UNO
  port=$((20000 + $$ % 20000))
  for exemple in examples/1.1-cafe-des-parents.toml tests/cases/A3V1-OUVERTURE/declenche/quatre-demi-journees.toml; do
    nom=$(basename "$exemple" .toml)
    tape="$sortie/$nom-tape.xlsx"
    rm -f "$tape"
    if ! message=$(timeout 300 "$uno_python" "$profil/remplir_uno.py" "$sortie/modele.xlsx" "$exemple" "$tape" "$profil/uno" "$port" 2>&1); then
      echec "$nom : saisie dans LibreOffice : $(echo "$message" | tail -1)"
      continue
    fi
    attendu=$(constats "$exemple")
    obtenu=$(constats "$tape")
    notes=$(echo "$obtenu" | grep -c '^SAISIE-LIGNE-IGNOREE info$' || true)
    if [ "$notes" != 1 ] || [ "$(echo "$obtenu" | grep -v '^SAISIE-LIGNE-IGNOREE info$')" != "$attendu" ]; then
      echec "$nom : saisi dans LibreOffice, il ne donne pas ce que donne le TOML (plus la note)"
      diff <(echo "$attendu") <(echo "$obtenu") | sed 's/^/    /' || true
    else
      echo "$nom : saisi dans LibreOffice (locale fr-FR), ligne insérée avec une note : $(echo "$attendu" | head -1 | cut -d' ' -f1)"
    fi
  done
fi

if [ "$echecs" -gt 0 ]; then
  echo "check-modele : $echecs échec(s) ; fichiers dans $sortie"
  exit 1
fi
echo "check-modele : modèle imprimé, rempli et relu sans écart ; fichiers dans $sortie"
