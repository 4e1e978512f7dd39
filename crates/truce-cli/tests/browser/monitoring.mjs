// The monitoring page in real headless Chromium: once the Lakeside pause is agreed, a guarantor
// records an observation (naming a new source) in its browser context, and a party's page, open in
// another, shows the commitment's status change without reloading. A bad observation is refused
// with the event-log reader's words.
//
// Run by crates/truce-cli/tests/it/browser.rs, which starts `truce serve`, reaches the agreement
// through the API and passes the invitation links in TRUCE_URL_GUARANTOR and TRUCE_URL_NORTH.
import { createRequire } from "node:module";
const require = createRequire(process.env.TRUCE_PLAYWRIGHT + "/");
const { chromium } = require("playwright-core");

const browser = await chromium.launch({
  executablePath: process.env.TRUCE_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let passed = 0;
const failures = [];
const pages = {};
async function check(name, f) {
  try { await f(); passed++; } catch (e) {
    failures.push(name + ": " + e.message.split("\n")[0]);
    if (process.env.TRUCE_BROWSER_SHOTS) {
      for (const [who, page] of Object.entries(pages)) {
        await page.screenshot({ path: `${process.env.TRUCE_BROWSER_SHOTS}/monitoring-${failures.length}-${who}.png`, fullPage: true });
      }
    }
  }
}
async function statusIs(page, commitment, word) {
  await page.waitForFunction(([c, w]) => {
    for (const row of document.querySelectorAll("#monitoring-status table.monitor-status tbody tr")) {
      const th = row.querySelector("th");
      if (th && th.textContent.startsWith(c + " ")) return row.querySelector("td.status").textContent === w;
    }
    return false;
  }, [commitment, word], { timeout: 10000 });
}
try {
  const problems = [];
  for (const who of ["guarantor", "north"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on("console", (m) => { if (m.type() === "error") problems.push(who + ": " + m.text()); });
    page.on("pageerror", (e) => problems.push(who + ": " + e.message));
    await page.goto(process.env["TRUCE_URL_" + who.toUpperCase()]);
    pages[who] = page;
  }
  const g = pages.guarantor, n = pages.north;
  await check("the negotiation page links to the monitoring", async () => {
    for (const p of [g, n]) {
      await p.getByRole("link", { name: "Monitoring of the agreement" }).click();
      await p.getByRole("heading", { name: "Where the agreement stands" }).waitFor({ timeout: 10000 });
    }
  });
  await check("every participant sees the status; only the monitor the form", async () => {
    await statusIs(n, "checkpoint", "not yet due");
    if (await n.getByRole("button", { name: "Record this observation" }).count() !== 0) throw new Error("a party sees the form");
    await g.getByRole("button", { name: "Record this observation" }).waitFor({ timeout: 10000 });
  });
  await check("a bad observation is refused with the reader's words", async () => {
    await g.getByLabel("Commitment").selectOption("checkpoint");
    if (await g.getByLabel("Unit").inputValue() !== "done") throw new Error("the unit follows the commitment");
    await g.getByLabel("Quantity", { exact: false }).fill("-1");
    await g.getByLabel("Source", { exact: true }).selectOption("S2");
    await g.getByRole("button", { name: "Record this observation" }).click();
    await g.getByText("a quantity of -1", { exact: false }).waitFor({ timeout: 10000 });
  });
  await check("the guarantor records an observation with a new source", async () => {
    await g.getByLabel("Quantity", { exact: false }).fill("1");
    await g.getByLabel("Source", { exact: true }).selectOption("");
    await g.getByLabel("New source's id", { exact: false }).fill("M1");
    await g.getByLabel("Title").fill("Guarantors' field report");
    await g.getByLabel("Kind").selectOption("report");
    await g.getByLabel("Quote", { exact: false }).fill("the checkpoint was <script>removed</script>");
    await g.getByRole("button", { name: "Record this observation" }).click();
    await g.getByText("Recorded (observation 1)", { exact: false }).waitFor({ timeout: 10000 });
    await statusIs(g, "checkpoint", "met");
  });
  await check("the party's page shows the change without reloading", async () => {
    await statusIs(n, "checkpoint", "met");
    await n.locator("table.monitor-log td", { hasText: "<script>removed</script>" }).waitFor({ timeout: 10000 });
    await n.getByText("M1: met", { exact: false }).first().waitFor({ timeout: 10000 });
  });
  await check("no page had a script error or a CSP violation", async () => {
    // The refused observation's 422 is the one console error expected.
    const unexpected = problems.filter((p) => !p.includes("422"));
    if (unexpected.length) throw new Error(unexpected.join("; "));
  });
} finally {
  await browser.close();
}
for (const f of failures) console.log("FAILED " + f);
console.log(`monitoring browser: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
