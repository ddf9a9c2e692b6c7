#!/usr/bin/env bash
# The adversarial harness at full scale: every amplifying trick of benches/hostiles.rs (each
# asks for gigabytes if a reader decodes what it is told) in one received folder with good
# dossiers, checked with --report and --annotate, then as bilans, under a 1.5 GB
# address-space limit (RLIMIT_AS, as `ulimit -v`). Asserts: no abort (exit 134) or other
# crash, exit 2, every hostile file one dossier as benches/hostiles.rs expects (`illisible`
# with its French reason where the budget runs out), every good file the verdict it has
# alone, the four reports written, no `.fnp-*.tmp` left, the received folder unchanged.
# Prints the peak memory of each run. The same files at small scale run in `cargo test`.
# Usage: scripts/hostiles.sh [FNP]   (default: target/release/fnp, built here)
set -euo pipefail
cd "$(dirname "$0")/.."
fnp=${1:-}
if [ -z "$fnp" ]; then
  cargo build --release --locked --quiet
  fnp=target/release/fnp
fi
cargo build --release --locked --quiet --example generer-hostiles
racine=$(mktemp -d)
trap 'rm -rf "$racine"' EXIT
recus="$racine/recus"
target/release/examples/generer-hostiles "$recus"
bons=(examples/1.1-cafe-des-parents.toml examples/3.1-lieu-ressource.toml examples/2.2-telephonie-sociale.toml
  tests/fixtures/classeurs/cafe-libreoffice.xlsx tests/fixtures/classeurs/cafe-libreoffice.xls
  tests/fixtures/classeurs/lieu-libreoffice.ods)
cp "${bons[@]}" "$recus/"
du -sh "$recus"
python3 - "$fnp" "$racine" "${bons[@]}" <<'PY'
import hashlib, json, os, resource, subprocess, sys, time
fnp, racine, bons = sys.argv[1], sys.argv[2], sys.argv[3:]
recus = os.path.join(racine, "recus")
LIMITE = 1500 * 1024 * 1024

def limiter():
    resource.setrlimit(resource.RLIMIT_AS, (LIMITE, LIMITE))

def empreintes():
    e = {}
    for d, _, fs in os.walk(recus):
        for f in fs:
            p = os.path.join(d, f)
            e[p] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return e

def lancer(args, limite=True):
    avant = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.monotonic()
    p = subprocess.run([fnp] + args, capture_output=True, preexec_fn=limiter if limite else None)
    duree = time.monotonic() - t
    pic = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return p, duree, pic

echecs = []
attendus_bons = {}
for b in bons:
    p, _, _ = lancer(["check", "--format", "json", b], limite=False)
    attendus_bons[os.path.basename(b)] = json.loads(p.stdout)["dossiers"][0]["verdict"]
attendus = dict(l.rstrip("\n").split("\t", 1) for l in open(recus + ".attendus.tsv"))
avant = empreintes()

p, duree, pic = lancer(["check", "--format", "json", "--report", os.path.join(racine, "rapport"),
                        "--annotate", os.path.join(racine, "annotes"), recus])
print(f"fnp check --report --annotate : code {p.returncode}, {duree:.1f} s, pic mémoire des processus lancés {pic // 1024} Mo")
if p.returncode != 2:
    echecs.append(f"check : code {p.returncode} (2 attendu) ; {p.stderr.decode(errors='replace')[-2000:]}")
else:
    dossiers = {os.path.relpath(d["source"], recus): d for d in json.loads(p.stdout)["dossiers"]}
    for nom, attendu in attendus.items():
        d = dossiers.get(nom)
        if d is None:
            echecs.append(f"{nom} : absent du lot")
            continue
        message = (d["constats"] or [{}])[0].get("message", "")
        if attendu.startswith("illisible:"):
            raison = attendu.split(":", 1)[1]
            if d["verdict"] != "illisible" or raison not in message:
                echecs.append(f"{nom} : {d['verdict']} « {message[:200]} » (illisible « {raison} » attendu)")
        elif d["verdict"] == "illisible":
            echecs.append(f"{nom} : illisible « {message[:200]} » (un verdict attendu)")
        print(f"  {nom:28} {d['verdict']:13} {message[:110]}")
    for nom, verdict in attendus_bons.items():
        if dossiers.get(nom, {}).get("verdict") != verdict:
            echecs.append(f"{nom} : {dossiers.get(nom, {}).get('verdict')} ({verdict} seul)")
    for f in ["synthese.csv", "synthese.json", "rapport.html", "constats.csv"]:
        if not os.path.isfile(os.path.join(racine, "rapport", f)):
            echecs.append(f"rapport {f} absent")

p, duree, pic = lancer(["bilan", "--report", os.path.join(racine, "bilans"), recus])
print(f"fnp bilan --report : code {p.returncode}, {duree:.1f} s")
if p.returncode != 2:
    echecs.append(f"bilan : code {p.returncode} (2 attendu) ; {p.stderr.decode(errors='replace')[-2000:]}")
elif len(json.load(open(os.path.join(racine, "bilans", "bilans.json")))["bilans"] if isinstance(json.load(open(os.path.join(racine, "bilans", "bilans.json"))), dict) else json.load(open(os.path.join(racine, "bilans", "bilans.json")))) != len(attendus) + len(bons):
    echecs.append("bilans.json : une ligne par fichier attendue")

for d, _, fs in os.walk(racine):
    for f in fs:
        if f.startswith(".fnp-") and f.endswith(".tmp"):
            echecs.append(f"temporaire laissé : {os.path.join(d, f)}")
if empreintes() != avant:
    echecs.append("le dossier reçu a changé")
if echecs:
    print("ÉCHEC :\n  " + "\n  ".join(echecs))
    sys.exit(1)
print(f"{len(attendus)} fichiers hostiles et {len(bons)} bons : chacun son dossier, sous {LIMITE // (1024 * 1024)} Mo d'espace d'adressage")
PY
