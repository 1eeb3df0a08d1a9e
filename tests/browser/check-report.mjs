// Renders the HTML case report in headless Chromium (Debian's, driven by playwright-core) and
// checks that it loads without console errors or page errors, that every section is present
// and laid out (non-zero height), and that every SVG chart has a size. Writes a screenshot.
//
// Usage: node check-report.mjs REPORT.html SCREENSHOT.png
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const SECTIONS = [
  "summary", "diagnosis", "radiotherapy", "drug", "timeline",
  "labs", "tumour-size", "response", "adverse-events", "recommendations", "chronology",
];

const [report, screenshot] = process.argv.slice(2);
if (!report || !screenshot) {
  console.error("usage: node check-report.mjs REPORT.html SCREENSHOT.png");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) problems.push(`external request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(path.resolve(report)).href, { waitUntil: "load" });
  for (const id of SECTIONS) {
    const section = page.locator(`section#${id}`);
    const count = await section.count();
    if (count !== 1) {
      problems.push(`section ${id}: found ${count} times, expected once`);
      continue;
    }
    const box = await section.boundingBox();
    if (!box || box.height < 20) problems.push(`section ${id}: empty`);
  }
  const charts = await page.locator("svg").evaluateAll((svgs) =>
    svgs.map((svg) => { const r = svg.getBoundingClientRect(); return [r.width, r.height]; }));
  if (charts.length === 0) problems.push("no SVG charts");
  charts.forEach(([w, h], i) => { if (w < 100 || h < 50) problems.push(`svg ${i}: ${w}x${h}`); });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`${report}: ${SECTIONS.length} sections, ${charts.length} charts, screenshot ${screenshot}`);
} finally {
  await browser.close();
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
