// Accessibility (issue 34, RGAA 4.1 / WCAG 2.1 A and AA): axe-core on the page, empty and
// with dossiers (one shown whole, a list), on rapport.html and on the dossier and bilan
// documents; then what axe cannot see: every value of the list labelled at 320 and 640 CSS
// px, the status saying the counts by verdict, the sort buttons reachable by keyboard.
// Usage: node tests/web/accessibilite.mjs dist/fnp.html target/release/fnp   (scripts/web.sh test)
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [page, fnp] = process.argv.slice(2);
const require = createRequire(path.join(process.env.FNP_NODE_MODULES || ".", "x.js"));
const { chromium } = require("playwright-core");
const axe = require.resolve("axe-core/axe.min.js");
const echecs = [];
const echec = (m) => { echecs.push(m); console.error("ÉCHEC : " + m); };
const dossier = fs.mkdtempSync(path.join(os.tmpdir(), "fnp-a11y-"));

async function auditer(onglet, quoi) {
  await onglet.addScriptTag({ path: axe });
  const r = await onglet.evaluate(async () => {
    const res = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return res.violations.map((v) => `${v.id} (${v.impact}) : ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" ; ")}`);
  });
  for (const v of r) echec(`${quoi} : ${v}`);
  console.log(`accessibilite : ${quoi} : ${r.length} violation(s) WCAG A/AA`);
}

const navigateur = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const contexte = await navigateur.newContext({ acceptDownloads: true });
const onglet = await contexte.newPage();
onglet.on("pageerror", (e) => echec("erreur de la page : " + e.message));
await onglet.goto("file://" + path.resolve(page));
await onglet.waitForFunction(() => /Prêt/.test(document.querySelector("#etat").textContent), null, { timeout: 60000 });
await auditer(onglet, "fnp.html vide");

// One dossier, shown whole.
await onglet.setInputFiles('[data-fnp="fichiers"]', ["tests/cases/GEN-DEMANDE-ELIGIBLE/declenche/personnel-non-eligible.toml"]);
await onglet.waitForFunction(() => document.body.dataset.fnpVerifications === "1", null, { timeout: 60000 });
await auditer(onglet, "fnp.html, un dossier");
// Several: the list, its filters, a dossier ticked.
const exemples = fs.readdirSync("examples").filter((n) => n.endsWith(".toml")).map((n) => path.join("examples", n));
await onglet.setInputFiles('[data-fnp="fichiers"]', exemples);
await onglet.waitForFunction(() => document.body.dataset.fnpVerifications === "2", null, { timeout: 60000 });
const etat = await onglet.textContent("#etat");
if (!/\d+ dossiers vérifiés en [\d,]+ s \((\d+ (non conformes?|à vérifier|conformes?|illisibles?)(, )?)+\)/.test(etat)) echec("l'état ne dit pas les comptes par verdict : " + etat);
await onglet.check(`[data-fnp-fichier="${exemples[0]}"] input.choix`).catch(() => onglet.check("input.choix"));
await auditer(onglet, "fnp.html, une liste");

// The list at 320 and 640 CSS px (400 % and 200 % zoom): every cell of a row says its label.
for (const largeur of [320, 640]) {
  await onglet.setViewportSize({ width: largeur, height: 800 });
  const sans = await onglet.$$eval("tbody.dossier tr.ligne td", (tds) => tds.filter((td) => {
    if (!td.textContent.trim() || td.classList.contains("fichier") || td.querySelector("button")) return false;
    return !td.dataset.libelle || getComputedStyle(td, "::before").content === "none";
  }).length);
  if (sans) echec(`à ${largeur} px, ${sans} valeurs de la liste sans leur libellé`);
  const deborde = await onglet.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (deborde > 0) echec(`à ${largeur} px, la page déborde de ${deborde} px`);
}
await onglet.setViewportSize({ width: 1280, height: 800 });

// The column headers of the list stay in the accessibility tree.
const entetes = await onglet.$$eval("#tableau thead th", (ths) => ths.filter((th) => getComputedStyle(th).display === "none").length);
if (entetes) echec(`${entetes} en-têtes de colonne hors de l'arbre d'accessibilité`);

// rapport.html, the dossier and the bilan documents.
const rapport = path.join(dossier, "rapport");
try { execFileSync(fnp, ["check", "--quiet", "examples", "--report", rapport], { stdio: "ignore" }); } catch { /* exit 1 */ }
const documents = [["rapport.html", path.join(rapport, "rapport.html")]];
const doc = path.join(dossier, "dossier.html");
execFileSync(fnp, ["dossier", "examples/1.1-cafe-des-parents.toml", "-o", doc], { stdio: "ignore" });
documents.push(["document du dossier", doc]);
const bilan = path.join(dossier, "bilan.html");
try { execFileSync(fnp, ["bilan", "examples/bilan/1.1-cafe-des-parents.toml", "-o", bilan], { stdio: "ignore" }); } catch { /* findings */ }
documents.push(["bilan", bilan]);
for (const [quoi, fichier] of documents) {
  const o = await contexte.newPage();
  await o.goto("file://" + fichier);
  await auditer(o, quoi);
  if (quoi === "rapport.html") {
    // Each sortable header is reached with Tab and sorts with Enter.
    const n = await o.$$eval("thead th[data-type] button", (b) => b.length);
    if (n < 10) echec(`rapport.html : ${n} en-têtes triables au clavier`);
    await o.focus("thead th[data-type] button");
    await o.keyboard.press("Enter");
    const tri = await o.$eval("thead th[data-type]", (th) => th.getAttribute("aria-sort"));
    if (tri !== "ascending") echec("rapport.html : Entrée sur un en-tête ne trie pas (aria-sort " + tri + ")");
  }
  for (const largeur of [320]) {
    await o.setViewportSize({ width: largeur, height: 800 });
    const coupe = await o.evaluate(() => [...document.querySelectorAll("dl.fiche dd")].filter((dd) => dd.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length);
    if (coupe) echec(`${quoi} à ${largeur} px : ${coupe} valeurs coupées`);
  }
  await o.close();
}
await navigateur.close();
if (echecs.length) { console.error(`accessibilite : ${echecs.length} échec(s)`); process.exit(1); }
