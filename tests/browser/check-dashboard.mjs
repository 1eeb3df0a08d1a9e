// Drives the dashboard of a running `oncourse serve` in headless Chromium (Debian's, through
// playwright-core) as a clinician and then an administrator would: sign in through the form,
// open the seed case, see its timeline and a recommendation, acknowledge it, sign out; sign in
// as the administrator and find the acknowledgement in the audit trail. Also checks that the
// keyboard reaches the page (skip link, visible focus), that no page logs an error or loads
// anything from another origin, and writes a screenshot of the patient page.
//
// Usage: node check-dashboard.mjs BASE_URL CLINICIAN PASSWORD ADMIN PASSWORD SEED_ID SCREENSHOT.png
import { chromium } from "playwright-core";

const [base, clinician, clinicianPassword, admin, adminPassword, seedId, screenshot] =
  process.argv.slice(2);
if (!screenshot) {
  console.error("usage: node check-dashboard.mjs BASE_URL CLINICIAN PASSWORD ADMIN PASSWORD SEED_ID SCREENSHOT.png");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const problems = [];
const check = (ok, message) => { if (!ok) problems.push(message); };

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

async function signIn(page, name, password) {
  await page.goto(`${base}/patients`);
  await page.waitForURL(`${base}/login`);
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

  await page.locator(`a[href="/patients/${seedId}"]`).click();
  await page.waitForURL(`${base}/patients/${seedId}`);
  const timeline = await page.locator("section#timeline svg").boundingBox();
  check(timeline && timeline.width > 300 && timeline.height > 100, `timeline chart: ${JSON.stringify(timeline)}`);
  const labs = await page.locator("section#labs svg").count();
  check(labs > 0, "no laboratory chart");

  const inbox = page.locator("section#inbox");
  const open = inbox.locator("tr.recommendation.open");
  const openCount = await open.count();
  check(openCount > 0, "the inbox shows no open recommendation");
  if (openCount > 0) {
    const row = open.first();
    const key = await row.getAttribute("data-key");
    await row.getByRole("button", { name: "Acknowledge" }).click();
    const decided = inbox.locator(`tr[data-key="${key}"]`);
    await decided.locator("text=acknowledged").waitFor({ timeout: 10000 });
    check((await decided.getAttribute("class")).includes("acknowledged"), `recommendation ${key} not marked acknowledged`);
    // After a reload the decision is still there (it is a stored fact, not page state).
    await page.reload();
    const after = await page.locator(`section#inbox tr[data-key="${key}"]`).getAttribute("class");
    check(after.includes("acknowledged"), `recommendation ${key} not acknowledged after reload`);
    console.log(`acknowledged recommendation ${key}`);
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${base}/login`);

  // The administrator finds the acknowledgement in the audit trail.
  const adminPage = await newPage();
  await signIn(adminPage, admin, adminPassword);
  await adminPage.getByRole("link", { name: "Audit trail" }).click();
  await adminPage.waitForURL(`${base}/audit`);
  const row = adminPage.locator("tbody tr", { hasText: "recommendation.acknowledge" }).filter({ hasText: clinician });
  check(await row.count() > 0, "the audit trail has no recommendation.acknowledge by the clinician");
  console.log(`${base}: signed in, seed case shown, ${openCount} open recommendation(s), audit checked, screenshot ${screenshot}`);
} finally {
  await browser.close();
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
