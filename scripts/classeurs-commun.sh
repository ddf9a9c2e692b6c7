# Shared by the workbook checks with real clients (check-modele.sh, check-annotation.sh);
# sourced, with NOM (the script's name) and MODULES (what python must import) set, and the
# script's arguments: [FNP_BINARY] [OUTPUT_DIR]. Sets fnp, sortie, python and lo().
if ! command -v libreoffice >/dev/null; then
  echo "$NOM : libreoffice absent, vérification sautée"
  exit 0
fi
fnp=$(realpath "${1:-target/debug/fnp}")
sortie=${2:-$(mktemp -d)}
mkdir -p "$sortie"
sortie=$(realpath "$sortie")
python=""
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c "import $MODULES" 2>/dev/null; then python=$p; break; fi
done
[ -n "$python" ] || { echo "$NOM : python3 avec $MODULES est requis (python3-openpyxl)" >&2; exit 2; }
[ -x "$fnp" ] || { echo "$NOM : $fnp introuvable (cargo build)" >&2; exit 2; }
# A profile of its own: never the user's, and no clash with a LibreOffice already running.
profil=$(mktemp -d)
trap 'rm -rf "$profil"' EXIT
lo() { timeout 180 libreoffice -env:UserInstallation="file://$profil" --headless "$@" >/dev/null 2>&1; }
