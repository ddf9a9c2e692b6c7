#!/usr/bin/env python3
"""Vérifie les cas épinglés de tests/cases avec le binaire fnp.

Usage : python3 tests/cases/verifier.py CHEMIN/DU/BINAIRE/fnp [DOSSIER_DES_CAS] [-v]

  <REGLE>/declenche/*.toml         : `fnp check --format json` doit rapporter au moins un
                                     constat dont "regle" vaut REGLE ;
  <REGLE>/ne-declenche-pas/*.toml  : aucun constat de REGLE ;
  budget/<nom>.toml + <nom>.json   : l'objet "budget" du JSON est exactement celui du .json.

Chaque .toml commence par une ligne « # cas : … ». Code de sortie 0 si tout passe, 1 sinon,
2 en cas de mauvaise utilisation. Bibliothèque standard seulement (remplacé plus tard par un
test Rust).
"""
import json
import os
import subprocess
import sys

TYPES = ("declenche", "ne-declenche-pas")


def lancer(binaire, chemin):
    """Runs `fnp check --format json` on one file; returns (dossier JSON or None, error text)."""
    try:
        res = subprocess.run([binaire, "check", "--format", "json", chemin],
                             capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "délai dépassé (60 s)"
    sortie = res.stdout.decode("utf-8", "replace")
    if res.returncode not in (0, 1, 2):
        return None, f"code de sortie {res.returncode} (plantage ?) : {res.stderr.decode('utf-8', 'replace')[-400:]}"
    try:
        doc = json.loads(sortie)
        dossier = doc["dossiers"][0]
    except (ValueError, KeyError, IndexError, TypeError) as e:
        return None, f"JSON illisible ({e}); code {res.returncode}; stderr : {res.stderr.decode('utf-8', 'replace')[-400:]}"
    return dossier, None


def premiere_ligne_ok(chemin):
    with open(chemin, "rb") as f:
        ligne = f.readline().decode("utf-8", "replace")
    return ligne.startswith("# cas : ") and len(ligne.strip()) > len("# cas :")


def main(argv):
    args = [a for a in argv[1:] if a != "-v"]
    bavard = "-v" in argv[1:]
    if not args or len(args) > 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binaire = os.path.abspath(args[0])
    racine = os.path.abspath(args[1]) if len(args) == 2 else os.path.dirname(os.path.abspath(__file__))
    if not os.access(binaire, os.X_OK):
        print(f"binaire introuvable ou non exécutable : {binaire}", file=sys.stderr)
        return 2

    echecs, ok = [], 0
    regles = []

    def echec(chemin, raison):
        echecs.append((os.path.relpath(chemin, racine), raison))

    for regle in sorted(os.listdir(racine)):
        dossier_regle = os.path.join(racine, regle)
        if not os.path.isdir(dossier_regle) or regle == "budget" or regle.startswith((".", "_")):
            continue
        regles.append(regle)
        for attendu in TYPES:
            d = os.path.join(dossier_regle, attendu)
            fichiers = sorted(f for f in os.listdir(d) if f.endswith(".toml")) if os.path.isdir(d) else []
            if not fichiers:
                echec(d, "aucun cas")
            for f in fichiers:
                chemin = os.path.join(d, f)
                if not premiere_ligne_ok(chemin):
                    echec(chemin, "la première ligne n'est pas « # cas : … »")
                    continue
                dossier, err = lancer(binaire, chemin)
                if err:
                    echec(chemin, err)
                    continue
                trouvees = [c.get("regle") for c in dossier.get("constats", [])]
                present = regle in trouvees
                if present != (attendu == "declenche"):
                    verbe = "attendu" if attendu == "declenche" else "inattendu"
                    echec(chemin, f"{regle} {verbe} ; constats : {', '.join(trouvees) or 'aucun'}")
                else:
                    ok += 1
                    if bavard:
                        print(f"ok   {os.path.relpath(chemin, racine)}")

    budgets = 0
    d = os.path.join(racine, "budget")
    if os.path.isdir(d):
        for f in sorted(os.listdir(d)):
            if not f.endswith(".toml"):
                continue
            budgets += 1
            chemin = os.path.join(d, f)
            attendu_json = chemin[:-5] + ".json"
            if not premiere_ligne_ok(chemin):
                echec(chemin, "la première ligne n'est pas « # cas : … »")
                continue
            if not os.path.exists(attendu_json):
                echec(chemin, "pas de .json attendu à côté")
                continue
            with open(attendu_json, encoding="utf-8") as fj:
                attendu = json.load(fj)
            dossier, err = lancer(binaire, chemin)
            if err:
                echec(chemin, err)
                continue
            obtenu = dossier.get("budget")
            if obtenu != attendu:
                diffs = []
                for k in sorted(set(attendu) | set(obtenu or {})):
                    a, o = attendu.get(k), (obtenu or {}).get(k)
                    if a != o:
                        diffs.append(f"{k} : attendu {a!r}, obtenu {o!r}")
                echec(chemin, "budget différent : " + " ; ".join(diffs))
            else:
                ok += 1
                if bavard:
                    print(f"ok   {os.path.relpath(chemin, racine)}")

    for chemin, raison in echecs:
        print(f"ÉCHEC {chemin} : {raison}")
    total = ok + len([e for e in echecs])
    print(f"{len(regles)} règles, {budgets} budgets : {ok} cas réussis, {len(echecs)} échecs")
    return 1 if echecs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
