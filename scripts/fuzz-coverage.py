#!/usr/bin/env python3
"""How much of fnp's own code (src/) a fuzz corpus reaches, file by file.

libFuzzer's edge count mixes fnp with the parsers it calls (toml, calamine, zip, quick-xml,
rust_decimal...), which keep yielding edges long after fnp's own code stops growing. This
script replays a corpus with `-runs=0 -print_coverage=1` and sums the edges of the functions
defined under src/, so that "has fuzzing stopped finding new fnp code?" can be answered.

Usage (build the targets first: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build -O):
  scripts/fuzz-coverage.py TARGET                    # fuzz/corpus/TARGET + the seed folders
  scripts/fuzz-coverage.py TARGET --corpus DIR       # another corpus (e.g. a snapshot)
  scripts/fuzz-coverage.py TARGET --compare OLD_DIR  # OLD_DIR against fuzz/corpus/TARGET
  scripts/fuzz-coverage.py TARGET --functions        # also the fnp functions never reached

A snapshot taken before a run keeps the corpus as it was (libFuzzer replaces reduced units):
  cp -al fuzz/corpus/classeur /tmp/classeur-before
"""
import argparse
import collections
import pathlib
import re
import subprocess
import sys

RACINE = pathlib.Path(__file__).resolve().parent.parent
FUZZ = RACINE / "fuzz"
# The seed folders the runs use besides the corpus (docs/robustness.md, .ci/run).
EN_PLUS = {"toml": ["../examples", "../tests/cases"], "pack": ["../rules"]}
FONCTION = re.compile(r"^(UN)?COVERED_FUNC: hits: (\d+) edges: (\d+)/(\d+) (.*) (/\S+):(\d+)$", re.M)


def mesurer(cible, corpus):
    binaire = FUZZ / "target" / "x86_64-unknown-linux-gnu" / "release" / cible
    if not binaire.exists():
        sys.exit(f"{binaire} is missing: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build -O")
    dossiers = [str(corpus), f"seeds/{cible}", *EN_PLUS.get(cible, [])]
    sortie = subprocess.run(
        [str(binaire), *dossiers, "-runs=0", "-print_coverage=1", "-rss_limit_mb=4096", "-timeout=120"],
        cwd=FUZZ, capture_output=True, text=True, errors="replace",
    )
    texte = sortie.stdout + sortie.stderr
    src = str(RACINE / "src") + "/"
    par_fichier = collections.defaultdict(lambda: [0, 0])
    jamais = []
    tout = [0, 0]
    for m in FONCTION.finditer(texte):
        couverts, total, nom, fichier = int(m[3]), int(m[4]), m[5], m[6]
        tout[0] += couverts
        tout[1] += total
        if fichier.startswith(src):
            court = fichier[len(src) - 4:]
            par_fichier[court][0] += couverts
            par_fichier[court][1] += total
            if int(m[2]) == 0:
                jamais.append(f"{court}:{m[7]} {nom}")
    if not FONCTION.search(texte):
        sys.exit(f"no coverage printed by {binaire}:\n{texte[-2000:]}")
    return par_fichier, tout, jamais


def somme(par_fichier):
    return sum(v[0] for v in par_fichier.values()), sum(v[1] for v in par_fichier.values())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("cible", choices=["toml", "classeur", "csv", "montant", "pack"])
    p.add_argument("--corpus", type=pathlib.Path)
    p.add_argument("--compare", type=pathlib.Path, metavar="OLD_DIR")
    p.add_argument("--functions", action="store_true")
    a = p.parse_args()
    corpus = (a.corpus or FUZZ / "corpus" / a.cible).resolve()
    nouveau, tout, jamais = mesurer(a.cible, corpus)
    ancien = mesurer(a.cible, a.compare.resolve())[0] if a.compare else None
    print(f"{a.cible}: {corpus}")
    for fichier in sorted(set(nouveau) | set(ancien or {})):
        c, t = nouveau.get(fichier, (0, 0))
        avant = f"  (was {ancien.get(fichier, (0, 0))[0]})" if ancien is not None else ""
        print(f"  {fichier:32} {c:6} / {t:6}{avant}")
    c, t = somme(nouveau)
    avant = f"  (was {somme(ancien)[0]})" if ancien is not None else ""
    print(f"  {'fnp src/ total':32} {c:6} / {t:6}{avant}")
    print(f"  {'all code, dependencies too':32} {tout[0]:6} / {tout[1]:6}")
    if a.functions:
        print("fnp functions no input reached (some are never called by the target):")
        for ligne in sorted(jamais):
            print(f"  {ligne}")


if __name__ == "__main__":
    main()
