# Sourced by the scripts that build with Debian's toolchain into a cache shared by every
# checkout on the machine (scripts/windows.sh, scripts/web.sh).

# installer_paquets NAME PACKAGE...: installs those not yet installed, saying so once under
# NAME; nothing when all are there.
installer_paquets() {
  local nom=$1
  shift
  local manquants=() p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || manquants+=("$p")
  done
  [ ${#manquants[@]} -gt 0 ] || return 0
  echo "$nom : installation de ${manquants[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${manquants[@]}" >/dev/null
}

# cache_pour_ce_depot TARGET_DIR: the shared target folder holds the build of whichever
# checkout used it last, and cargo judges fnp fresh by comparing its files' times with that
# build's: a file edited here before another checkout's build would be taken as built. When
# the checkout changes, fnp's own files are touched so that cargo rebuilds the crate (std and
# the dependencies stay cached).
cache_pour_ce_depot() {
  local cible=$1 ici
  ici=$(pwd -P)
  mkdir -p "$cible"
  local avant
  avant=$(cat "$cible/.depot" 2>/dev/null || true)
  if [ "$avant" != "$ici" ]; then
    # A cache new or built by nobody yet has nothing of fnp to mistake.
    [ -z "$avant" ] || find src rules templates build.rs Cargo.toml -type f -exec touch {} +
    printf '%s\n' "$ici" > "$cible/.depot"
  fi
}
