// The sample page in Debian's Chromium (playwright-core) against the real demo stack: sandbox,
// signing proxy in workerd, the built page. Screenshots of each state go to screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { start } from "../../scripts/demo.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const shots = join(root, "screenshots");
mkdirSync(shots, { recursive: true });
const require = createRequire(import.meta.url);
const pkg = require(join(root, "pkg", "nodejs", "points_activity.js"));
const A1 = { ranac: "300000000000000000000000000101", ban: "5555444433332222" };
const A2 = { ranac: "300000000000000000000000000102", ban: "5555444433331111" };
const SAM = { ranac: "300000000000000000000000000201" };

let demo;
let browser;
let ledger; // a Node client on the same proxy: the sandbox's ledger as the test reads it
// Distinct ports from one random base: two services never draw the same one.
const base = 20000 + Math.floor(Math.random() * 19000);
let offset = 0;
const port = () => base + offset++;
before(async () => {
  demo = await start({ sandboxPort: port(), proxyPort: port(), webPort: port(), quiet: true });
  const config = await (await fetch(`${demo.url}demo-config.json`)).json();
  ledger = await pkg.PointsClient.create({ baseUrl: config.baseUrl, encryption: { certificate: config.certificate, decryptionKey: config.decryptionKey } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

async function page(query = "", width = 1100) {
  const p = await browser.newPage({ viewport: { width, height: 1400 } });
  const errors = [];
  p.on("pageerror", (e) => errors.push(e.message));
  await p.goto(`${demo.url}${query}`);
  await p.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  p.errors = errors;
  return p;
}
const fmt = (n) => n.toLocaleString("en-US");
const balance = async (ranac) => (await ledger.getPointsDetails({ userId: ranac, userIdType: "RANAC" })).availablePoints;
async function figures(p) {
  return p.$$eval("#figures dd", (dds) => Object.fromEntries(dds.map((d) => [d.dataset.key, d.textContent])));
}
async function show(p, label) {
  await p.getByRole("button", { name: label }).click();
  await p.waitForSelector("#summary:not([hidden])");
  await p.waitForFunction(() => document.querySelector("#loading").hidden);
}

test("the summary equals the sandbox ledger, and a card number finds the same consumer", async () => {
  const p = await page();
  await show(p, "Alex (card •••• 2222)");
  const truth = await ledger.getPointsDetails({ userId: A1.ranac, userIdType: "RANAC" });
  const shown = await figures(p);
  for (const k of ["availablePoints", "pointsOnHold", "pointsEarned", "pointsRedeemed", "pointsAdjusted", "pointsExpired", "previousBalance"]) {
    assert.equal(shown[k], fmt(truth[k]), k);
  }
  assert.equal(await p.textContent("[data-testid=available]"), fmt(truth.availablePoints));
  await p.screenshot({ path: join(shots, "1-summary-by-card.png"), fullPage: true });
  // The same account by its RANAC, typed in.
  await p.selectOption("#userIdType", "RANAC");
  await p.fill("#userId", A1.ranac);
  await p.click("#pick button[type=submit]");
  await p.waitForFunction(() => document.querySelector("#loading").hidden);
  assert.deepEqual(await figures(p), shown);
  // History sorts by a click on its header.
  const dates = () => p.$$eval("#history-table tbody tr td:first-child", (tds) => tds.map((t) => t.textContent));
  await p.click("[data-sort=adjustmentDate]");
  const asc = await dates();
  assert.deepEqual(asc, [...asc].sort());
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("a transfer of 100 moves exactly 100 and nothing else", async () => {
  const [a1, a2, sam] = [await balance(A1.ranac), await balance(A2.ranac), await balance(SAM.ranac)];
  const p = await page();
  await show(p, "Alex (card •••• 2222)");
  await p.selectOption("select[name=fromBankAccountNumber]", A1.ban);
  await p.selectOption("select[name=toBankAccountNumber]", A2.ban);
  await p.fill("input[name=pointsToTransfer]", "100");
  await p.click("#transfer button[type=submit]");
  await p.waitForSelector("#confirm:not([hidden])");
  await p.screenshot({ path: join(shots, "2-transfer-confirm.png"), fullPage: true });
  await p.click("#confirm-yes");
  await p.waitForFunction(() => document.querySelector("#result").textContent.startsWith("Transfer done"));
  await p.waitForFunction(() => document.querySelector("#loading").hidden);
  assert.equal(await balance(A1.ranac), a1 - 100);
  assert.equal(await balance(A2.ranac), a2 + 100);
  assert.equal(await balance(SAM.ranac), sam, "nowhere else");
  assert.equal(await p.getAttribute("#result", "data-from"), String(a1 - 100));
  assert.equal((await figures(p)).availablePoints, fmt(a1 - 100), "the page shows the new balance");
  await p.screenshot({ path: join(shots, "3-transfer-done.png"), fullPage: true });
  await p.close();
});

test("an invalid transfer shows the field error and sends nothing", async () => {
  const p = await page();
  await show(p, "Alex (card •••• 2222)");
  const seen = demo.sandboxLog.length;
  await p.fill("input[name=pointsToTransfer]", "12.5");
  await p.click("#transfer button[type=submit]");
  await p.click("#confirm-yes");
  await p.waitForFunction(() => document.querySelector("#pointsToTransfer-error").textContent !== "");
  assert.match(await p.textContent("#pointsToTransfer-error"), /whole number/);
  assert.equal(await p.getAttribute("input[name=pointsToTransfer]", "aria-invalid"), "true");
  await new Promise((ok) => setTimeout(ok, 300));
  assert.equal(demo.sandboxLog.length, seen, "the sandbox saw no request");
  await p.screenshot({ path: join(shots, "4-invalid-transfer.png"), fullPage: true });
  await p.close();
});

test("an injected sandbox fault shows the banner, and the page stays usable", async () => {
  const p = await page("?fault=500", 390);
  await p.getByRole("button", { name: "Sam (card •••• 1111)" }).click();
  await p.waitForSelector("#banner:not([hidden])");
  assert.equal(await p.getAttribute("#banner", "data-code"), "ERR_API");
  assert.equal(await p.getAttribute("#banner", "data-reason-code"), "SERVICE_UNAVAILABLE");
  assert.match(await p.textContent("#banner"), /Retrying can help/);
  await p.screenshot({ path: join(shots, "5-fault-banner-phone.png"), fullPage: true });
  await p.getByRole("button", { name: "Dismiss" }).click();
  await show(p, "Sam (card •••• 1111)");
  assert.equal((await figures(p)).availablePoints, fmt(await balance(SAM.ranac)));
  await p.screenshot({ path: join(shots, "6-after-fault-phone.png"), fullPage: true });
  await p.close();
});

test("a port in use is a clear error, not a hang", async () => {
  const { createServer } = await import("node:net");
  const busy = createServer();
  const p = port();
  await new Promise((ok) => busy.listen(p, "127.0.0.1", ok));
  try {
    await assert.rejects(start({ sandboxPort: port(), proxyPort: port(), webPort: p, quiet: true }), /port \d+ is in use: .*set WEB_PORT=/);
  } finally {
    busy.close();
  }
});
