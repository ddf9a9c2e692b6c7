// The treasurer's loop in the page (issue 32), as she lives it with the network cut: the
// template for her action downloaded from the page, filled with LibreOffice (here openpyxl,
// then LibreOffice saving it again) with the mistakes of the issue, dropped; corrected in
// the annotated copy the page gives, dropped again, until conforme; then what to send.
// Each step's screen is saved (FNP_CAPTURES, else a temporary folder) and the rounds and the
// words of the first result are printed, for docs/web.md.
// Usage: node tests/web/tresoriere.mjs dist/fnp.html target/release/fnp   (scripts/web.sh test)
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [page, fnp] = process.argv.slice(2);
const require = createRequire(path.join(process.env.FNP_NODE_MODULES || ".", "x.js"));
const { chromium } = require("playwright-core");
const echecs = [];
const echec = (m) => { echecs.push(m); console.error("ÉCHEC : " + m); };
const dossier = fs.mkdtempSync(path.join(os.tmpdir(), "fnp-tresoriere-"));
const captures = process.env.FNP_CAPTURES || path.join(dossier, "captures");
fs.mkdirSync(captures, { recursive: true });
const python = fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const libreoffice = ["libreoffice", "soffice"].find((x) => { try { execFileSync("which", [x], { stdio: "ignore" }); return true; } catch { return false; } });

// LibreOffice saves the workbook again, as she would (skipped where it is not installed).
function enregistrerAvecLibreOffice(fichier) {
  if (!libreoffice) return;
  const sortie = path.join(dossier, "lo");
  fs.rmSync(sortie, { recursive: true, force: true });
  execFileSync(libreoffice, ["--headless", "--norestore", "-env:UserInstallation=file://" + path.join(dossier, "profil"), "--convert-to", "xlsx", "--outdir", sortie, fichier], { stdio: "ignore", timeout: 180000 });
  fs.copyFileSync(path.join(sortie, path.basename(fichier)), fichier);
}

// Cells set by their label (column A of Dossier, headers of the line sheets), as she types.
function remplir(fichier, valeurs, lignes) {
  execFileSync(python, ["-c", `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
valeurs, lignes = json.loads(sys.argv[2]), json.loads(sys.argv[3])
d = wb["Dossier"]
vus = set()
for row in d.iter_rows(min_col=1, max_col=1):
    c = row[0]
    libelle = str(c.value or "").rstrip(" *")
    if libelle in valeurs:
        d.cell(row=c.row, column=2).value = valeurs[libelle]
        vus.add(libelle)
manque = set(valeurs) - vus
assert not manque, f"libellés absents du modèle : {manque}"
for feuille, rangs in lignes.items():
    f = wb[feuille]
    entetes = {str(c.value or "").rstrip(" *"): c.column for c in f[1]}
    for i, rang in enumerate(rangs):
        for libelle, v in rang.items():
            f.cell(row=2 + i, column=entetes[libelle]).value = v
wb.save(sys.argv[1])
`, fichier, JSON.stringify(valeurs), JSON.stringify(lignes)]);
}

const navigateur = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
// The network cut: any request but file:, data: or blob: fails, and fails the test.
const contexte = await navigateur.newContext({ acceptDownloads: true, offline: true, viewport: { width: 1200, height: 900 } });
const onglet = await contexte.newPage();
onglet.on("request", (r) => { if (!/^(file|data|blob):/.test(r.url())) echec("requête réseau : " + r.url()); });
onglet.on("pageerror", (e) => echec("erreur de la page : " + e.message));
await onglet.goto("file://" + path.resolve(page));
await onglet.waitForFunction(() => /Prêt/.test(document.querySelector("#etat").textContent), null, { timeout: 60000 });
await onglet.screenshot({ path: path.join(captures, "1-accueil.png"), fullPage: true });

// Step 1: the template for her action.
await onglet.selectOption("#type-modele", "atelier-parents-enfants");
const [t] = await Promise.all([onglet.waitForEvent("download"), onglet.click('[data-fnp="modele"]')]);
const classeur = path.join(dossier, "atelier-vaulx.xlsx");
await t.saveAs(classeur);

// Step 2: filled, with the mistakes: the department of the seat left empty, the rows
// that must say « oui » left empty, the educator's salary without « Hausse du temps de
// travail », and a request over what the eligible expenses allow; values typed as the lists
// show them (labels).
const valeurs = {
  "Année de financement": 2026, "Département de la Caf": "69",
  "Nom de la structure": "Association Parents de Vaulx", "Statut juridique": "association", "Numéro SIRET": "73282932000074",
  "Contrat d'engagement républicain signé": "oui", "Charte de soutien à la parentalité": "oui",
  "Intitulé de l'action": "Ateliers parents-enfants du samedi", "Date de début": "10/01/2026", "Date de fin": "12/12/2026",
  "Communes de l'action": "Vaulx-en-Velin",
  "Minimum de parents par séance": 5, "Maximum de parents par séance": 10, "Nombre de séances du groupe": 30,
  "Adultes participants prévus": 40, "Enfants participants prévus": 45, "Parents différents prévus": 25, "Séances prévues": 30,
  "Présence moyenne par séance": 8,
};
const lignes = {
  "Dépenses": [
    { "Nature": "prestation", "Libellé": "Musicienne intervenante", "Montant (€)": 2850 },
    { "Nature": "personnel", "Libellé": "Éducatrice de jeunes enfants, 3 h le samedi", "Montant (€)": 2100 },
    { "Nature": "petit matériel", "Libellé": "Instruments et tapis", "Montant (€)": 480 },
  ],
  "Recettes": [
    { "Financeur": "Caf : Fonds national parentalité", "Montant (€)": 4300 },
    { "Financeur": "commune", "Montant (€)": 1130 },
  ],
};
try { remplir(classeur, valeurs, lignes); } catch (e) { echec("remplissage du modèle : " + (e.stderr || e.message)); }
enregistrerAvecLibreOffice(classeur);

// Steps 3 and 4, as many rounds as it takes: drop, read, correct in the annotated copy.
const corrections = [
  // What the first result asks, all of it, read from its findings: the department, each row
  // that must say « oui », and the salary's increased working time (with its proof).
  (f, r) => {
    const oui = Object.fromEntries(r.constats.filter((c) => /: oui\)/.test(c.message) && /Dossier!/.test(c.lieu))
      .map((c) => [c.lieu.split(" — ")[1].replace(/ \(.*\)$/, ""), "oui"]));
    remplir(f, { "Département du siège": "69", ...oui }, { "Dépenses": [{}, { "Hausse du temps de travail": "oui", "Justificatif": "avenant" }] });
  },
];
let fichier = classeur, tours = 0, premiers = null;
for (;;) {
  tours++;
  await onglet.setInputFiles('[data-fnp="fichiers"]', [fichier]);
  await onglet.waitForFunction((k) => document.body.dataset.fnpVerifications === String(k), tours, { timeout: 60000 });
  if (await onglet.$eval("#fiche", (e) => e.dataset.fnpFiche) !== path.basename(fichier)) echec(`tour ${tours} : la fiche ne montre pas ${path.basename(fichier)}`);
  await onglet.screenshot({ path: path.join(captures, `${tours + 1}-resultat-tour-${tours}.png`), fullPage: true });
  const fiche = await onglet.$eval("#fiche", (e) => ({ verdict: e.dataset.fnpVerdictFiche, texte: e.innerText }));
  if (tours === 1) premiers = fiche;
  let sortie;
  try { sortie = execFileSync(fnp, ["check", "--format", "json", fichier], { encoding: "utf-8" }); } catch (e) { sortie = e.stdout; }
  const r = JSON.parse(sortie).dossiers[0];
  if (r.verdict !== fiche.verdict) echec(`tour ${tours} : la page dit ${fiche.verdict}, fnp check ${r.verdict}`);
  // Nothing she reads holds a key, a value's code or a path of fnp's docs.
  for (const mot of ["_", "docs/", "caf-fnp", "petit-materiel", "= true"]) {
    if (fiche.texte.replace(/[A-Z0-9]+(?:-[A-Z0-9]+)+/g, "").includes(mot)) echec(`tour ${tours} : « ${mot} » dans la fiche`);
  }
  // Her corrected copy replaces the first version: one dossier in the page, counted once.
  if (tours > 1) {
    const n = await onglet.evaluate(() => document.body.dataset.fnpTermine);
    if (n !== "1" || !/Nouvelle version de atelier-vaulx\.xlsx/.test(fiche.texte)) echec(`tour ${tours} : ${n} dossiers dans la page, ou la nouvelle version n'est pas dite`);
  }
  if (fiche.verdict === "conforme" || tours > 4) break;
  // The annotated copy, where she corrects.
  const [c] = await Promise.all([onglet.waitForEvent("download"), onglet.click('#fiche [data-fnp="copie-annotee"]')]);
  const copie = path.join(dossier, c.suggestedFilename());
  await c.saveAs(copie);
  if (c.suggestedFilename() !== "atelier-vaulx.annote.xlsx" && tours === 1) echec("copie nommée " + c.suggestedFilename());
  const corriger = corrections[tours - 1];
  if (!corriger) { echec(`tour ${tours} : ${r.verdict}, rien de plus à corriger d'après les constats : ${r.constats.map((k) => k.regle + " " + k.message).join(" | ")}`); break; }
  try { corriger(copie, r); } catch (e) { echec("correction : " + (e.stderr || e.message)); break; }
  enregistrerAvecLibreOffice(copie);
  fichier = copie;
}

// Step 5: once conforme, the clean workbook and the document, printed to PDF.
if (premiers) {
  const mots = premiers.texte.split(/\s+/).filter(Boolean).length;
  console.log(`tresoriere : ${tours} tours jusqu'à « conforme » ; premier résultat : ${mots} mots (${premiers.verdict}) ; captures dans ${captures}`);
  if (!/Le montant FNP finançable .* est limité par les dépenses éligibles/.test(premiers.texte)) echec("le premier résultat ne dit pas ce qui limite le montant FNP");
}
const fin = await onglet.$eval("#fiche", (e) => e.dataset.fnpVerdictFiche);
if (fin !== "conforme") echec(`après ${tours} tours : ${fin}`);
else {
  const [c] = await Promise.all([onglet.waitForEvent("download"), onglet.click('#fiche [data-fnp="copie-annotee"]')]);
  const propre = path.join(dossier, "a-envoyer-" + c.suggestedFilename());
  await c.saveAs(propre);
  // The copy to send holds nothing of fnp's but its mark: no comment, no « Anomalies » sheet.
  const contenu = execFileSync(python, ["-c", `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(" ".join(f"{f.title}!{c.coordinate}" for f in wb.worksheets for r in f.iter_rows() for c in r if c.comment))
print(" ".join(wb.sheetnames))`, propre], { encoding: "utf-8" });
  const [commentaires, feuilles] = contenu.split("\n");
  if (commentaires.trim() || /Anomalies|fnp-origine/.test(feuilles)) echec("la copie à envoyer porte encore des annotations : " + contenu);
  const [d] = await Promise.all([onglet.waitForEvent("download"), onglet.click('#fiche [data-fnp="document"]')]);
  const doc = path.join(dossier, d.suggestedFilename());
  await d.saveAs(doc);
  const vue = await contexte.newPage();
  await vue.goto("file://" + doc);
  await vue.screenshot({ path: path.join(captures, `${tours + 2}-document.png`), fullPage: false });
  await vue.pdf({ path: path.join(captures, "dossier.pdf") }).catch(() => {});
}
await navigateur.close();
if (echecs.length) { console.error(`tresoriere : ${echecs.length} échec(s)`); process.exit(1); }
