// Checks the built example site as a reader's browser sees it, which the Rust tests cannot:
// the Nu HTML Checker finds no error on any page, and in headless Chromium axe-core finds no serious or critical violation, the page logs no console
// error and loads every resource, nothing scrolls sideways at 390 px (the page, nor an incident's timeline or an incident list), an
// incident list laid out for a phone is still a table in the accessibility tree, and the dashboard and a
// quarterly report print on at most two A4 pages. Run by ./test.sh after `cargo test`:
//
//   node tests/browser/check.mjs SITE_DIR ARTEFACT_DIR VNU_JAR
//
// SITE_DIR is a built site; screenshots, PDFs and the Nu checker's errors go to ARTEFACT_DIR. The site is served from
// 127.0.0.1 on a free port by this script itself. CHROMIUM names the browser binary
// (default: chromium on PATH). The last line is "browser: N passed, N failed".

import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile, readdir, mkdir, writeFile } from "node:fs/promises";
import { execFileSync, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const [siteDir, outDir, vnuJar] = process.argv.slice(2);
if (!siteDir || !outDir || !vnuJar) {
  console.error("usage: node check.mjs SITE_DIR ARTEFACT_DIR VNU_JAR");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".xml": "application/xml",
  ".csv": "text/csv; charset=utf-8",
  ".ico": "image/x-icon",
  ".png": "image/png",
};

/** A static server for the site, on loopback only. */
function serve(root) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(path.resolve(root))) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** The first page of a folder of the site, by name, that is not its index. */
async function first(dir) {
  const names = (await readdir(path.join(siteDir, dir))).filter(
    (n) => n.endsWith(".html") && n !== "index.html",
  );
  names.sort();
  if (names.length === 0) throw new Error(`${dir}/ holds no page`);
  return `${dir}/${names[0]}`;
}

/** The weekly review the dashboard links (the latest complete week). */
async function linkedReview() {
  const html = await readFile(path.join(siteDir, "index.html"), "utf8");
  const m = html.match(/href="(reviews\/\d{4}-W\d{2}\.html)"/);
  if (!m) throw new Error("index.html links no weekly review");
  return m[1];
}

const pages = [
  ["dashboard", "index.html"],
  ["team", await first("teams")],
  ["service", "services/checkout-api.html"],
  ["slo", await first("slos")],
  ["incident", await first("incidents")],
  ["retro", await first("retros")],
  ["report", "reports/2026-q3.html"],
  ["weekly-review", await linkedReview()],
  ["data-quality", "data-quality.html"],
  ["methodology", "methodology.html"],
  ["incident-list", "incidents/index.html"],
];
const PRINTED = { dashboard: 2, report: 2 };
// Tables of a few short columns, or laid out as one block a row on a phone (incident lists):
// none scrolls sideways at 390 px.
const FIT_ON_PHONE = ["table.timeline", "table.incidents"];

await mkdir(outDir, { recursive: true });
let passed = 0;
const failures = [];
function check(name, problems) {
  if (problems.length === 0) {
    passed += 1;
    console.log(`ok   ${name}`);
  } else {
    failures.push(name);
    console.log(`FAIL ${name}`);
    for (const p of problems.slice(0, 20)) console.log(`       ${p}`);
    if (problems.length > 20) console.log(`       ... and ${problems.length - 20} more`);
  }
}

// Every page of the site: 0 Nu HTML Checker errors (all of them kept in nu-errors.txt).
{
  const nu = spawnSync(
    "java",
    ["-Xss4m", "-jar", vnuJar, "--errors-only", "--skip-non-html", "--format", "gnu", siteDir],
    { encoding: "utf8", maxBuffer: 1 << 28 },
  );
  const out = `${nu.error ? nu.error.message : ""}${nu.stdout ?? ""}${nu.stderr ?? ""}`.trim();
  await writeFile(path.join(outDir, "nu-errors.txt"), out);
  const problems = out === "" ? [] : out.split("\n");
  if (problems.length === 0 && nu.status !== 0) problems.push(`vnu exited ${nu.status}`);
  check(`Nu HTML Checker on every page of ${siteDir}: 0 errors`, problems);
}

const server = await serve(path.resolve(siteDir));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || execFileSync("sh", ["-c", "command -v chromium"]).toString().trim(),
  args: ["--no-sandbox", "--font-render-hinting=none"],
});

/** Opens a page in a fresh context; returns the page and the problems it logged while loading. */
async function open(rel, options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const logged = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") logged.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => logged.push(`page error: ${err.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) logged.push(`${r.status()} for ${r.url().replace(base, "")}`);
  });
  await page.goto(base + rel, { waitUntil: "load" });
  return { context, page, logged };
}

for (const scheme of ["light", "dark"]) {
  for (const [name, rel] of pages) {
    // Desktop: axe, console, a screenshot.
    {
      const { context, page, logged } = await open(rel, {
        viewport: { width: 1280, height: 800 },
        colorScheme: scheme,
      });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() =>
        // eslint-disable-next-line no-undef
        axe.run(document, { resultTypes: ["violations"] }),
      );
      const bad = result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map(
          (v) =>
            `axe ${v.impact} ${v.id} (${v.nodes.length}×): ${v.help}; first at ${v.nodes[0].target.join(" ")}`,
        );
      await page.screenshot({ path: path.join(outDir, `${name}-${scheme}-1280.png`), fullPage: true });
      check(`${name} (${rel}) ${scheme} 1280 px: axe, console`, [...logged, ...bad]);
      await context.close();
    }
    // Phone: no sideways scroll, console, a screenshot.
    {
      const { context, page, logged } = await open(rel, {
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 1,
        isMobile: true,
        hasTouch: true,
        colorScheme: scheme,
      });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      const wide = width > 390 ? [`page is ${width} px wide at 390 px (scrolls sideways)`] : [];
      // Narrow tables that must fit a phone without scrolling inside their region.
      const scrolled = await page.evaluate((selectors) =>
        selectors.flatMap((sel) =>
          [...document.querySelectorAll(sel)]
            .map((t) => t.closest(".table-scroll") ?? t)
            .filter((r) => r.scrollWidth > r.clientWidth + 1)
            .map((r) => `${sel} is ${r.scrollWidth} px wide in ${r.clientWidth} px (scrolls sideways)`),
        ),
      FIT_ON_PHONE);
      wide.push(...scrolled);
      await page.screenshot({ path: path.join(outDir, `${name}-${scheme}-390.png`), fullPage: true });
      check(`${name} (${rel}) ${scheme} 390 px: no sideways scroll, console`, [...logged, ...wide]);
      await context.close();
    }
  }
}

// An incident list on a phone is laid out a block per row (CSS display), and must stay a
// table to assistive technology: Chromium's accessibility tree has a row per <tr> and a
// cell or header per <td> and <th>, as at 1280 px.
{
  const { context, page, logged } = await open("incidents/index.html", { viewport: { width: 390, height: 844 } });
  const dom = await page.evaluate(() => {
    const t = document.querySelector("table.incidents");
    return { rows: t.querySelectorAll("tr").length, cells: t.querySelectorAll("td, th").length };
  });
  const cdp = await context.newCDPSession(page);
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  const count = (roles) => nodes.filter((n) => roles.includes(n.role?.value)).length;
  const ax = { rows: count(["row"]), cells: count(["cell", "rowheader", "columnheader", "gridcell"]) };
  const lost = ax.rows < dom.rows || ax.cells < dom.cells
    ? [`the accessibility tree has ${ax.rows} rows and ${ax.cells} cells for ${dom.rows} <tr> and ${dom.cells} <td>/<th>`]
    : [];
  check(`incident list at 390 px is still a table to assistive technology (${dom.rows} rows)`, [...logged, ...lost]);
  await context.close();
}

// Print: at most two A4 pages for the dashboard and a quarterly report.
for (const [name, rel] of pages.filter(([n]) => n in PRINTED)) {
  const { context, page, logged } = await open(rel, { viewport: { width: 1280, height: 800 } });
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  await writeFile(path.join(outDir, `${name}-print.pdf`), pdf);
  const count = pageCount(pdf);
  const long = count > PRINTED[name] ? [`prints on ${count} A4 pages (at most ${PRINTED[name]})`] : [];
  check(`${name} (${rel}) prints on ${count} A4 page(s)`, [...logged, ...long]);
  await context.close();
}

await browser.close();
server.close();
console.log(`screenshots and PDFs in ${outDir}`);
console.log(`browser: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);

/** Pages of a PDF as Chromium writes it: one `/Type /Page` object per page. */
function pageCount(pdf) {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}
