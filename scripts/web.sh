#!/usr/bin/env bash
# dist/fnp.html: fnp in one web page (WebAssembly), self-contained, offline, private.
#
#   scripts/web.sh          installs what it needs, builds dist/fnp.html
#   scripts/web.sh test     the same, then the page in Chromium against `fnp check --format json`
#                           (tests/web/verdicts.mjs, Playwright driving Debian's chromium), and
#                           a folder of 400 workbooks against `fnp check --report`
#                           (tests/web/lot.mjs; FNP_WEB_LOT sets the count); the treasurer's
#                           loop (tests/web/tresoriere.mjs) and accessibility with axe-core
#                           (tests/web/accessibilite.mjs)
#
# The toolchain is the Windows build's (docs/windows.md): Debian's rustc 1.96 with std rebuilt
# for wasm32-unknown-unknown under RUSTC_BOOTSTRAP, linked by wasm-ld-16 (lld-16: rust-lld
# from rust-web-llvm is a dangling link). The build shares scripts/windows.sh's cache
# (FNP_WINDOWS_CACHE), so a run on the same machine rebuilds nothing. wasm-bindgen-cli is
# installed there at exactly the version of wasm-bindgen in Cargo.lock. The page holds the
# wasm, its JavaScript glue and the worker: no other file, no request (docs/web.md).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-build}
cible=wasm32-unknown-unknown
cache=${FNP_WINDOWS_CACHE:-/var/cache/fnp-windows}

paquets=(rustc-web rust-web-src cargo-web lld-16)
[ "$mode" = test ] && paquets+=(chromium nodejs python3-openpyxl)
# shellcheck source=scripts/outils-debian.sh
. scripts/outils-debian.sh
installer_paquets web.sh "${paquets[@]}"
mkdir -p "$cache"
cache_pour_ce_depot "$cache/target"

# wasm-bindgen-cli, the very version the lock file holds (the two must agree).
version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
outils="$cache/outils"
if [ "$("$outils/bin/wasm-bindgen" --version 2>/dev/null || true)" != "wasm-bindgen $version" ]; then
  echo "web.sh : installation de wasm-bindgen-cli $version (quelques minutes, une fois)"
  cargo install --quiet wasm-bindgen-cli --version "=$version" --root "$outils"
fi

debut=$(date +%s)
(
  export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$cache/target"
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-16
  # A page people download and mail: no debug info, optimised for size across crates
  # (docs/web.md gives the sizes). Not `strip`: wasm-bindgen reads a custom section.
  export CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_OPT_LEVEL=s
  export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
  /usr/bin/cargo rustc --lib --crate-type cdylib --no-default-features -Zbuild-std=std,panic_abort \
    --target "$cible" --release --locked
)
sortie="$cache/web"
rm -rf "$sortie"
"$outils/bin/wasm-bindgen" --target no-modules --no-typescript --out-dir "$sortie" \
  "$cache/target/$cible/release/fnp.wasm"
mkdir -p dist
python3 - web/fnp.html "$sortie/fnp.js" "$sortie/fnp_bg.wasm" dist/fnp.html <<'PY'
import base64, sys
page, colle, wasm, dest = sys.argv[1:]
html = open(page, encoding="utf-8").read()
js = open(colle, encoding="utf-8").read()
# Inside a <script> element only `</script` ends it early: never in the glue.
js = js.replace("</script", "<\\/script")
# The glue declares each export as a function in its own scope: an export named after a
# global it reads (document.currentScript…) would hide it and stop the page loading.
for nom in ("document", "location", "self", "URL", "WebAssembly", "fetch", "Response"):
    assert f"function {nom}(" not in js, f"wasm-bindgen export named {nom}: rename it (src/web.rs)"
html = html.replace("@@COLLE@@", js, 1).replace("@@WASM@@", base64.b64encode(open(wasm, "rb").read()).decode("ascii"), 1)
assert "@@" not in html.split("<script", 1)[0]
open(dest, "w", encoding="utf-8").write(html)
PY
echo "web.sh : dist/fnp.html ($(du -h dist/fnp.html | cut -f1), $(($(date +%s) - debut)) s)"

[ "$mode" = test ] || exit 0

# The page in Chromium, from file://, against the native binary.
cargo build --release --locked --quiet
modules="$cache/node"
if [ ! -d "$modules/node_modules/playwright-core" ]; then
  echo "web.sh : installation de playwright-core (npm)"
  mkdir -p "$modules"
  (cd "$modules" && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null)
fi
if [ ! -f "$modules/node_modules/axe-core/axe.min.js" ]; then
  echo "web.sh : installation d'axe-core (npm)"
  (cd "$modules" && npm install --silent --no-audit --no-fund axe-core@4 >/dev/null)
fi
FNP_NODE_MODULES="$modules" node tests/web/verdicts.mjs dist/fnp.html target/release/fnp
# Accessibility (issue 34): axe-core, WCAG 2.1 A and AA, on the page and the HTML documents,
# and what it cannot see (labels at 320 and 640 px, the status's counts, keyboard sorting).
FNP_NODE_MODULES="$modules" node tests/web/accessibilite.mjs dist/fnp.html target/release/fnp
# The treasurer's loop, network cut: typed template, LibreOffice, the annotated copy, until
# conforme; the rounds and the words of the first result printed (docs/web.md).
FNP_NODE_MODULES="$modules" node tests/web/tresoriere.mjs dist/fnp.html target/release/fnp

# An instructor's batch: 400 workbooks in one folder (the examples converted, the rest
# generated), chosen in the page and given to `fnp check --report`; the same verdicts and
# totals, and the time of each side by side.
cargo build --release --locked --quiet --example generer-corpus
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# The examples as workbooks (conforme, à vérifier…) among the generated ones (non-conforme).
mkdir -p "$corpus/retours"
for f in examples/*.toml; do
  target/release/fnp convert "$f" -o "$corpus/retours/exemple-$(basename "$f" .toml).xlsx" >/dev/null 2>&1
done
exemples=$(find "$corpus/retours" -name 'exemple-*.xlsx' | wc -l)
target/release/examples/generer-corpus "$corpus/retours" $(( ${FNP_WEB_LOT:-400} - exemples )) 42 >/dev/null
FNP_NODE_MODULES="$modules" node tests/web/lot.mjs dist/fnp.html target/release/fnp "$corpus/retours"
