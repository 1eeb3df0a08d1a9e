// Drives the dashboard of a running `oncourse serve` in headless Chromium (Debian's, through
// playwright-core) as a clinician and then an administrator would: sign in through the form,
// open the seed case, see its timeline and a recommendation, acknowledge one and override
// another with the keyboard alone, sign out; sign in as the administrator and find the
// decisions in the audit trail; sign in as a researcher and see the seed by its pseudonym on
// the patient list, its page and the cohort. Also checks that the keyboard reaches the page (skip link,
// visible focus), that no page logs an error or loads anything from another origin, runs
// axe-core on every page (login, patient list, patient page, EQD2 calculator, cohort, audit:
// any serious or critical violation fails, the rest is listed), checks that every chart is an
// image with a text alternative, that the printed patient page leaves out the controls, and
// writes a screenshot of the patient page.
//
// Usage: node check-dashboard.mjs BASE_URL CLINICIAN PASSWORD ADMIN PASSWORD RESEARCHER PASSWORD SEED_ID SCREENSHOT.png
import { chromium } from "playwright-core";
import axe from "axe-core";

const [base, clinician, clinicianPassword, admin, adminPassword, researcher, researcherPassword,
  seedId, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error("usage: node check-dashboard.mjs BASE_URL CLINICIAN PASSWORD ADMIN PASSWORD RESEARCHER PASSWORD SEED_ID SCREENSHOT.png");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const problems = [];
const check = (ok, message) => { if (!ok) problems.push(message); return ok; };

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(base)) problems.push(`external request: ${r.url()}`);
  });
  return page;
}

// axe-core (tests/browser/package.json) on the page as it is now: serious and critical
// violations are problems, the others are printed. Every chart must be an image named in words.
async function checkAccessibility(page, name) {
  await page.evaluate(axe.source);
  const { violations } = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }));
  for (const v of violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
    const line = `axe ${name}: ${v.impact} ${v.id} (${v.help}) at ${where}`;
    if (v.impact === "serious" || v.impact === "critical") problems.push(line);
    else console.log(line);
  }
  const unnamed = await page.locator("svg").evaluateAll((svgs) => svgs
    .filter((svg) => svg.getAttribute("role") !== "img" || !svg.getAttribute("aria-label"))
    .length);
  check(unnamed === 0, `${name}: ${unnamed} chart(s) without role="img" and an aria-label`);
  console.log(`axe ${name}: ${violations.length} violation(s)`);
}

// Presses Tab until the focused element matches `selector` (at most `limit` times); returns
// whether it got there.
async function tabTo(page, selector, limit = 200) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
  }
  return false;
}

// The keyboard-only path through the recommendation inbox: Tab to the first open
// recommendation's Acknowledge button and press Enter; the decided row replaces itself and the
// focus stays in it; Tab on to the next row's reason field, type a reason and press Enter to
// override it. Returns the keys decided.
async function decideWithTheKeyboard(page) {
  const inbox = page.locator("section#inbox");
  await page.evaluate(() => document.activeElement?.blur());
  const acknowledge = "section#inbox tr.recommendation.open button:not(.secondary)";
  if (!check(await tabTo(page, acknowledge), "Tab never reaches an Acknowledge button")) return [];
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(outline !== "none", "the focused Acknowledge button has no visible outline");
  const first = await page.evaluate(() => document.activeElement.closest("tr").dataset.key);
  await page.keyboard.press("Enter");
  // htmx settles the new row (removes htmx-added, then focuses its [autofocus]) after the swap.
  const acknowledged = inbox.locator(`tr.acknowledged[data-key="${first}"]:not(.htmx-added)`);
  await acknowledged.waitFor({ timeout: 10000 });
  const focusInRow = await page.evaluate(
    (key) => document.activeElement?.closest("tr")?.dataset.key === key, first);
  check(focusInRow, `after acknowledging ${first} the focus left its row`);
  const reason = "section#inbox tr.recommendation.open input[name=reason]";
  if (!check(await tabTo(page, reason, 8), "Tab from the decided row does not reach the next reason field")) {
    return [first];
  }
  const second = await page.evaluate(() => document.activeElement.closest("tr").dataset.key);
  await page.keyboard.type("platelets recovered (browser check)");
  await page.keyboard.press("Enter");
  await inbox.locator(`tr.overridden[data-key="${second}"]:not(.htmx-added)`).waitFor({ timeout: 10000 });
  console.log(`with the keyboard: acknowledged ${first}, overrode ${second}`);
  return [first, second];
}

async function signIn(page, name, password) {
  await page.goto(`${base}/patients`);
  await page.waitForURL(`${base}/login`);
  await checkAccessibility(page, `login (${name})`);
  await page.getByLabel("User name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/patients`);
}

try {
  // The clinician.
  const page = await newPage();
  await signIn(page, clinician, clinicianPassword);
  // The keyboard: the first Tab lands on the skip link, with a visible focus ring.
  await page.keyboard.press("Tab");
  const focus = await page.evaluate(() => {
    const e = document.activeElement;
    return { text: e.textContent.trim(), outline: getComputedStyle(e).outlineStyle };
  });
  check(focus.text === "Skip to content", `first Tab focuses ${JSON.stringify(focus.text)}, expected the skip link`);
  check(focus.outline !== "none", "the focused skip link has no visible outline");
  await checkAccessibility(page, "patient list");

  await page.locator(`a[href="/patients/${seedId}"]`).click();
  await page.waitForURL(`${base}/patients/${seedId}`);
  const timeline = await page.locator("section#timeline svg").boundingBox();
  check(timeline && timeline.width > 300 && timeline.height > 100, `timeline chart: ${JSON.stringify(timeline)}`);
  const labs = await page.locator("section#labs svg").count();
  check(labs > 0, "no laboratory chart");
  await checkAccessibility(page, "patient page");

  const openCount = await page.locator("section#inbox tr.recommendation.open").count();
  check(openCount >= 2, `the inbox shows ${openCount} open recommendation(s), expected at least 2`);
  const decided = await decideWithTheKeyboard(page);
  await checkAccessibility(page, "patient page after two decisions");
  // After a reload the decisions are still there (stored facts, not page state).
  await page.reload();
  for (const [key, status] of decided.map((key, i) => [key, ["acknowledged", "overridden"][i]])) {
    const after = await page.locator(`section#inbox tr[data-key="${key}"]`).getAttribute("class");
    check(after.includes(status), `recommendation ${key} not ${status} after reload`);
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  // Printed for the chart: the record without the controls.
  await page.emulateMedia({ media: "print" });
  for (const selector of ["header.top nav", "button", "section#inbox input", "details.data-table", 'nav[aria-label="Sections of this page"]']) {
    const shown = await page.locator(selector).evaluateAll((all) => all.filter((e) => e.checkVisibility()).length);
    check(shown === 0, `printed patient page: ${shown} visible ${selector}`);
  }
  check(await page.locator("p.print-only").isVisible(), "printed patient page: no print note");
  check(await page.locator("section#timeline svg").isVisible(), "printed patient page: no timeline");
  await page.emulateMedia({ media: "screen" });

  await page.getByRole("link", { name: "EQD2 calculator" }).click();
  await page.getByLabel("Dose per fraction (Gy)").fill("2");
  await page.getByLabel("Number of fractions").fill("25");
  await page.getByLabel("α/β (Gy), when no tissue is chosen").fill("2");
  await page.getByRole("button", { name: "Calculate" }).click();
  await page.locator("#eqd2-result").waitFor();
  await checkAccessibility(page, "EQD2 calculator");
  await page.getByRole("link", { name: "Cohort" }).click();
  await page.locator("section#km svg").waitFor();
  await checkAccessibility(page, "cohort");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${base}/login`);

  // The administrator finds the acknowledgement in the audit trail.
  const adminPage = await newPage();
  await signIn(adminPage, admin, adminPassword);
  await adminPage.getByRole("link", { name: "Audit trail" }).click();
  await adminPage.waitForURL(`${base}/audit`);
  await checkAccessibility(adminPage, "audit");
  for (const action of ["recommendation.acknowledge", "recommendation.override"]) {
    const row = adminPage.locator("tbody tr", { hasText: action }).filter({ hasText: clinician });
    check(await row.count() > 0, `the audit trail has no ${action} by the clinician`);
  }

  // The researcher: the seed by its pseudonym everywhere, pages as accessible as the others.
  const researcherPage = await newPage();
  await signIn(researcherPage, researcher, researcherPassword);
  const pseudonym = `Patient ${seedId}`;
  await researcherPage.getByRole("link", { name: pseudonym }).click();
  await researcherPage.waitForURL(`${base}/patients/${seedId}`);
  check(await researcherPage.locator("h1").textContent() === pseudonym, "the researcher's patient page is not titled by the pseudonym");
  await checkAccessibility(researcherPage, "patient page (researcher)");
  await researcherPage.getByRole("link", { name: "Cohort" }).click();
  check(await researcherPage.getByRole("link", { name: pseudonym }).count() === 1, "the researcher's cohort does not name the seed by its pseudonym");
  await checkAccessibility(researcherPage, "cohort (researcher)");
  console.log(`${base}: signed in, seed case shown, ${openCount} open recommendation(s), ${decided.length} decided with the keyboard, every page checked with axe-core ${axe.version}, audit checked, screenshot ${screenshot}`);
} finally {
  await browser.close();
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
