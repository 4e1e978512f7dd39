// A whole negotiation in real headless Chromium (Playwright's library, `playwright-core`, driving
// the Debian `chromium`): the mediator tables a text, two parties in separate browser contexts accept
// it, and the agreement appears on all three screens without reloading.
//
// Run by crates/truce-cli/tests/it/browser.rs, which starts `truce serve` and passes the invitation
// links in TRUCE_URL_MEDIATOR, TRUCE_URL_NORTH and TRUCE_URL_COAST.
import { createRequire } from "node:module";
const require = createRequire(process.env.TRUCE_PLAYWRIGHT + "/");
const { chromium } = require("playwright-core");

const browser = await chromium.launch({
  executablePath: process.env.TRUCE_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let passed = 0;
const shots = {};
const failures = [];
async function check(name, f) {
  try { await f(); passed++; } catch (e) {
    failures.push(name + ": " + e.message.split("\n")[0]);
    if (process.env.TRUCE_BROWSER_SHOTS) {
      for (const [who, page] of Object.entries(shots)) {
        await page.screenshot({ path: `${process.env.TRUCE_BROWSER_SHOTS}/${failures.length}-${who}.png`, fullPage: true });
      }
    }
  }
}
try {
  const pages = {};
  const problems = [];
  for (const who of ["mediator", "north", "coast"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on("console", (m) => { if (m.type() === "error") problems.push(who + ": " + m.text()); });
    page.on("pageerror", (e) => problems.push(who + ": " + e.message));
    await page.goto(process.env["TRUCE_URL_" + who.toUpperCase()]);
    pages[who] = page;
    shots[who] = page;
  }
  const m = pages.mediator;
  await check("the mediator is asked for a text", async () => {
    await m.getByText("Table a text").waitFor({ timeout: 10000 });
  });
  await check("the mediator tables a text", async () => {
    await m.selectOption("#issue-hostages_released", "40");
    await m.selectOption("#issue-prisoners_per_hostage", "12");
    await m.selectOption("#issue-aid_trucks_per_day", "300");
    await m.selectOption("#issue-withdrawal", "populated_areas");
    await m.selectOption("#issue-permanent_ceasefire", { index: 1 });
    await m.selectOption("#issue-guarantees", "written");
    await m.getByRole("button", { name: "Table this text" }).click();
    await m.getByText("north's move", { exact: false }).waitFor({ timeout: 10000 });
  });
  // The analysis views of `truce analyze --html`: under `mediator` disclosure the mediator sees the
  // utility space with the text on it, the verdicts and the history chart; a party its own history.
  await check("the mediator's workspace shows the frontier plot, the verdicts and the history chart", async () => {
    await m.locator("#view-frontier figure svg").first().waitFor({ timeout: 15000 });
    await m.locator("#view-verdicts table").waitFor({ timeout: 15000 });
    await m.locator("#view-history figure.history svg").waitFor({ timeout: 15000 });
  });
  await check("a party's page shows its history chart and no utility space", async () => {
    await pages.north.locator("#view-history figure.history svg").waitFor({ timeout: 15000 });
    if (await pages.north.locator("#view-frontier svg").count()) throw new Error("north sees a utility space");
  });
  for (const who of ["north", "coast"]) {
    await check(who + " accepts in its own context", async () => {
      const p = pages[who];
      await p.getByRole("button", { name: "Accept" }).waitFor({ timeout: 10000 });
      await p.getByText("acceptable to you", { exact: false }).first().waitFor({ timeout: 10000 });
      await p.getByRole("button", { name: "Accept" }).click();
    });
  }
  for (const who of ["mediator", "north", "coast"]) {
    await check("the agreement appears on " + who + "'s screen", async () => {
      await pages[who].getByRole("heading", { name: "Agreement reached" }).waitFor({ timeout: 10000 });
    });
  }
  await check("no page had a script error or a CSP violation", async () => {
    if (problems.length) throw new Error(problems.join("; "));
  });
} finally {
  await browser.close();
}
for (const f of failures) console.log("FAILED " + f);
console.log(`browser: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
