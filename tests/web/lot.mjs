// An instructor's batch in the web page against the command line: a folder of received
// workbooks chosen with the page's folder picker, in Debian's Chromium (Playwright), and
// `fnp check --report` on the same folder. Every dossier's verdict, rules and FNP figures and
// the totals must be the same; the time per workbook of each is printed side by side (the
// page's own clock from the first file read to the last row shown; the command line's wall
// clock, whole process). Speed is printed, never asserted (docs/performance.md).
// Usage: node tests/web/lot.mjs dist/fnp.html target/release/fnp CORPUS   (scripts/web.sh test)
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [page, fnp, corpus] = process.argv.slice(2);
const require = createRequire(path.join(process.env.FNP_NODE_MODULES || ".", "x.js"));
const { chromium } = require("playwright-core");

const echecs = [];
const echec = (m) => { echecs.push(m); console.error("ÉCHEC : " + m); };
const n = fs.readdirSync(corpus).filter((f) => /\.(xlsx|xlsm|xls|ods|toml)$/i.test(f)).length;

// The command line, as an instructor runs it on the received folder: on every core, and on
// one (-j 1) as the page's single worker does.
const sorties = fs.mkdtempSync(path.join(os.tmpdir(), "fnp-lot-"));
const cli = (jobs) => {
  const rapport = path.join(sorties, "rapport-" + jobs);
  const debut = process.hrtime.bigint();
  try {
    execFileSync(fnp, ["check", "--quiet", "-j", String(jobs), corpus, "--report", rapport], { stdio: "ignore" });
  } catch { /* exit 1: non-conforme dossiers */ }
  return [Number(process.hrtime.bigint() - debut) / 1e6, JSON.parse(fs.readFileSync(path.join(rapport, "synthese.json"), "utf-8"))];
};
const [msCli, natif] = cli(os.availableParallelism());
const [msCli1] = cli(1);
fs.rmSync(sorties, { recursive: true, force: true });

const navigateur = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
});
const onglet = await navigateur.newPage();
onglet.on("request", (r) => { if (!/^(file|data|blob):/.test(r.url())) echec("requête réseau : " + r.url()); });
onglet.on("pageerror", (e) => echec("erreur de la page : " + e.message));
await onglet.goto("file://" + path.resolve(page));
await onglet.waitForFunction(() => /Prêt/.test(document.querySelector("#etat").textContent), null, { timeout: 60000 });
await onglet.setInputFiles('[data-fnp="repertoire"]', corpus);
await onglet.waitForFunction((n) => document.body.dataset.fnpTermine === String(n), n, { timeout: 1800000 });
const msPage = Number(await onglet.evaluate(() => document.body.dataset.fnpMsParDossier)) * n;

// Each dossier: the page names it by its path in the chosen folder, the report by the path
// given to fnp; both end with the file's name.
const vus = new Map((await onglet.$$eval("[data-fnp-fichier]", (els) => els.map((e) => [e.dataset.fnpFichier.split("/").pop(), {
  verdict: e.dataset.fnpVerdict,
  regles: [...e.querySelectorAll("[data-fnp-regle]")].map((x) => x.dataset.fnpRegle).join(" "),
  demande: (e.querySelector('[data-fnp-montant="demande_fnp"]') || {}).dataset?.valeur ?? null,
}]))));
let memes = 0;
for (const d of natif.dossiers) {
  const nom = path.basename(d.source);
  const v = vus.get(nom);
  const regles = d.constats.map((c) => c.regle).join(" ");
  const demande = d.budget ? d.budget.demande_fnp : null;
  if (!v) echec(nom + " absent de la page");
  else if (v.verdict !== d.verdict || v.regles !== regles || v.demande !== demande) {
    echec(`${nom} : page ${JSON.stringify(v)}, fnp check ${JSON.stringify({ verdict: d.verdict, regles, demande })}`);
  } else memes++;
}
if (vus.size !== natif.dossiers.length) echec(`${vus.size} dossiers dans la page, ${natif.dossiers.length} dans le rapport`);

// The totals the page shows, against the report's.
const totaux = await onglet.$$eval("[data-fnp-compte]", (els) => Object.fromEntries(els.map((e) => [e.dataset.fnpCompte, parseInt(e.textContent, 10)])));
for (const verdict of ["conforme", "a-verifier", "non-conforme", "illisible"]) {
  if (totaux[verdict] !== natif.synthese[verdict]) echec(`total ${verdict} : page ${totaux[verdict]}, rapport ${natif.synthese[verdict]}`);
}
const montants = await onglet.$$eval("[data-fnp-total]", (els) => Object.fromEntries(els.map((e) => [e.dataset.fnpTotal, e.dataset.valeur])));
const cents = (t) => { const [e, d = ""] = String(t).split("."); return BigInt(e + (d + "00").slice(0, 2)); };
for (const m of ["demande_fnp", "montant_max_fnp"]) {
  if (montants[m] === undefined || cents(montants[m]) !== cents(natif.synthese["total_" + m])) echec(`total ${m} : page ${montants[m]}, rapport ${natif.synthese["total_" + m]}`);
}
await navigateur.close();

const par = (ms) => (ms / n).toFixed(1).replace(".", ",");
console.log(`web : lot de ${n} classeurs, ${memes}/${natif.dossiers.length} dossiers comme fnp check --report ; totaux ${JSON.stringify(totaux)}, demandé ${montants.demande_fnp} €, finançable ${montants.montant_max_fnp} €`);
console.log(`web : ms par classeur : page ${par(msPage)} (un travailleur) ; fnp check --report ${par(msCli1)} avec -j 1, ${par(msCli)} sur ${os.availableParallelism()} cœurs (processus entier)`);
if (echecs.length) { console.error(`web : ${echecs.length} échec(s)`); process.exit(1); }
