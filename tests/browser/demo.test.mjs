// The sample page in Debian's Chromium (playwright-core) and Firefox (puppeteer-core) against the
// real demo stack: sandbox, the edge worker in workerd, the demo sign-in, the built page.
// Screenshots of each state go to screenshots/. The ledger's truth is read straight from the
// sandbox with a signing client of the test's own, not through the worker under test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";
import { start } from "../../scripts/demo.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const shots = join(root, "screenshots");
mkdirSync(shots, { recursive: true });
const require = createRequire(import.meta.url);
const pkg = require(join(root, "pkg", "nodejs", "points_activity.js"));
const A1 = { ranac: "300000000000000000000000000101", ban: "5555444433332222" };
const A2 = { ranac: "300000000000000000000000000102", ban: "5555444433331111" };
const S1 = { ranac: "300000000000000000000000000201", ban: "4111111111111111" };
const S2 = { ranac: "300000000000000000000000000202", ban: "4111111111112222" };
const ALEX_CUSTOMER = "100000000000000101";

let demo;
let browser;
let ledger;
let keys;
// Distinct ports from one random base: two services never draw the same one.
const base = 20000 + Math.floor(Math.random() * 11000);
let offset = 0;
const port = () => base + offset++;
before(async () => {
  const sandboxPort = port();
  demo = await start({ sandboxPort, workerPort: port(), webPort: port(), quiet: true });
  const file = (f) => readFileSync(join(root, "target", "demo", "keys", f), "utf8");
  keys = { consumerKey: file("consumer-key.txt").trim(), signingKey: file("client-signing-key.pem"), decryptionKey: file("client-decryption-key.pem") };
  ledger = await pkg.PointsClient.create({
    baseUrl: `http://127.0.0.1:${sandboxPort}/loyalty`,
    encryption: { certificate: file("mastercard-encryption-certificate.pem"), decryptionKey: keys.decryptionKey },
    signer: { consumerKey: keys.consumerKey, signingKey: keys.signingKey },
  });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

const loaded = []; // every URL the Chromium pages fetched
async function page(width = 1100) {
  const p = await browser.newPage({ viewport: { width, height: 1400 } });
  const errors = [];
  p.on("pageerror", (e) => errors.push(e.message));
  p.on("request", (r) => loaded.push(r.url()));
  await p.goto(demo.url);
  await p.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  p.errors = errors;
  return p;
}
const fmt = (n) => n.toLocaleString("en-US");
const balance = async (ranac) => (await ledger.getPointsDetails({ userId: ranac, userIdType: "RANAC" })).availablePoints;
const figures = (p) => p.$$eval("#figures dd", (dds) => Object.fromEntries(dds.map((d) => [d.dataset.key, d.textContent])));
const settled = (p) => p.waitForFunction(() => document.querySelector("#loading").hidden && !document.querySelector("#summary").hidden);
async function signIn(p, user) {
  await p.click(`#users button[data-user=${user}]`);
  await p.waitForSelector("#whoami:not([hidden])");
  if (user !== "agent") await settled(p);
}

test("Alex sees his own customer, equal to the ledger, as figures and as a chart; the token is in memory only", async () => {
  const p = await page();
  await signIn(p, "alex");
  assert.match(await p.textContent("#whoami"), /alex \(consumer\)/);
  const truth = await ledger.getPointsDetails({ userId: ALEX_CUSTOMER, userIdType: "RANCU" });
  const shown = await figures(p);
  for (const k of ["availablePoints", "pointsOnHold", "pointsEarned", "pointsRedeemed", "pointsAdjusted", "pointsExpired", "previousBalance"]) assert.equal(shown[k], fmt(truth[k]), k);
  assert.equal(await p.getAttribute("#balance-chart", "data-available"), String(truth.availablePoints));
  assert.equal(await p.locator("#balance-chart rect").count(), 5, "previous, earned, redeemed, adjusted, available");
  const dots = await p.locator("#expiry-chart circle").count();
  assert.equal(dots, await p.locator("#timeline li").count());
  assert.ok(dots > 0);
  const cards = await p.$$eval("#scopes button", (bs) => bs.map((b) => b.textContent));
  assert.deepEqual(cards, ["All my cards", "Card 5555 •••• 2222", "Card 5555 •••• 1111"]);
  const stored = await p.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie, location.href]);
  assert.deepEqual(stored.slice(0, 3), [0, 0, ""]);
  assert.ok(!stored[3].includes("ey"), "no token in the URL");
  const html = await p.content();
  assert.ok(!html.includes(A1.ban) && !html.includes(A2.ban), "no full card number on the page");
  // One card, then the history sorted by a click.
  await p.click("#scopes button:nth-child(2)");
  await p.waitForFunction(() => document.querySelector("#summary-title").textContent.includes("account"));
  assert.equal((await figures(p)).availablePoints, fmt(await balance(A1.ranac)));
  await p.click("[data-sort=adjustmentDate]");
  const dates = await p.$$eval("#history-table tbody tr td:first-child", (tds) => tds.map((t) => t.textContent));
  assert.deepEqual(dates, [...dates].sort());
  await p.screenshot({ path: join(shots, "1-alex-summary.png"), fullPage: true });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("Alex's transfer of 100 between his cards moves exactly 100 and nothing else", async () => {
  const before = await Promise.all([A1, A2, S1, S2].map((a) => balance(a.ranac)));
  const p = await page();
  await signIn(p, "alex");
  await p.selectOption("select[name=fromAccountId]", A1.ranac);
  await p.selectOption("select[name=toAccountId]", A2.ranac);
  await p.fill("input[name=points]", "100");
  await p.click("#transfer button[type=submit]");
  await p.waitForSelector("#confirm:not([hidden])");
  assert.match(await p.textContent("#confirm-text"), /5555 •••• 2222 to 5555 •••• 1111/);
  await p.screenshot({ path: join(shots, "2-transfer-confirm.png"), fullPage: true });
  await p.click("#confirm-yes");
  await p.waitForFunction(() => document.querySelector("#result").textContent.startsWith("Transfer done"));
  await settled(p);
  assert.deepEqual(await Promise.all([A1, A2, S1, S2].map((a) => balance(a.ranac))), [before[0] - 100, before[1] + 100, before[2], before[3]]);
  assert.equal(await p.getAttribute("#result", "data-from"), String(before[0] - 100));
  await p.screenshot({ path: join(shots, "3-transfer-done.png"), fullPage: true });
  await p.close();
});

test("an invalid transfer shows the field error and nothing reaches the worker or the sandbox", async () => {
  const p = await page();
  await signIn(p, "alex");
  const [sandboxSeen, workerSeen] = [demo.sandboxLog.length, loaded.length];
  await p.fill("input[name=points]", "12.5");
  await p.click("#transfer button[type=submit]");
  await p.click("#confirm-yes");
  await p.waitForFunction(() => document.querySelector("#points-error").textContent !== "");
  assert.match(await p.textContent("#points-error"), /whole number/);
  assert.equal(await p.getAttribute("input[name=points]", "aria-invalid"), "true");
  await new Promise((ok) => setTimeout(ok, 300));
  assert.equal(demo.sandboxLog.length, sandboxSeen);
  assert.deepEqual(loaded.slice(workerSeen).filter((u) => u.includes("/api/")), []);
  await p.screenshot({ path: join(shots, "4-invalid-transfer.png"), fullPage: true });
  await p.close();
});

test("Sam sees only his own cards; the agent finds Alex by card number and records an adjustment as themself", async () => {
  const p = await page();
  await signIn(p, "sam");
  assert.deepEqual(await p.$$eval("#scopes button", (bs) => bs.map((b) => b.textContent)), ["All my cards", "Card 4111 •••• 1111", "Card 4111 •••• 2222"]);
  assert.equal((await figures(p)).availablePoints, fmt((await ledger.getPointsDetails({ userId: "100000000000000202", userIdType: "RANCU" })).availablePoints));
  assert.equal(await p.isHidden("#adjust"), true, "no adjustments for consumers");
  await p.click("#signout");
  await signIn(p, "agent");
  assert.match(await p.textContent("#whoami"), /agent-riley \(agent\)/);
  await p.fill("#lookup input[name=userId]", A1.ban);
  await p.click("#lookup button[type=submit]");
  await settled(p);
  assert.match(await p.textContent("#found-customer"), new RegExp(ALEX_CUSTOMER));
  assert.ok(!(await p.content()).includes(A1.ban.slice(4, 12)), "the card number is masked on the page");
  const before = await balance(A2.ranac);
  await p.selectOption("select[name=accountId]", A2.ranac);
  await p.fill("input[name=adjustPoints]", "50");
  await p.fill("input[name=adjustmentReason]", "browser goodwill");
  await p.click("#adjust button[type=submit]");
  await p.click("#confirm-yes");
  await p.waitForFunction(() => document.querySelector("#result").textContent === "Adjustment recorded.");
  assert.equal(await balance(A2.ranac), before + 50);
  const hist = await ledger.getPointsAdjustments({ userId: A2.ranac, userIdType: "RANAC" });
  // The agent's reason, then the reference of the page's Idempotency-Key (exactly-once writes).
  const mine = hist.adjustments.find((a) => /^browser goodwill \[ref:[0-9a-f]{16}\]$/.test(a.adjustmentReason));
  assert.equal(mine.adjustedBy, "agent-riley", "adjustedBy is the agent's sub");
  await p.screenshot({ path: join(shots, "5-agent-adjustment.png"), fullPage: true });
  await p.close();
});

test("a failing worker shows the banner after the read retries, and the page stays usable", async () => {
  const p = await page(390);
  let failed = 0;
  await p.route("**/api/points-details*", (route) => {
    failed++;
    return route.fulfill({ status: 503, contentType: "application/json", headers: { "access-control-allow-origin": new URL(demo.url).origin }, body: '{"Errors":{"Error":[{"Source":"worker","ReasonCode":"SERVICE_UNAVAILABLE","Description":"injected","Recoverable":true,"Details":null}]}}' });
  });
  await p.click("#users button[data-user=sam]");
  await p.waitForSelector("#banner:not([hidden])");
  assert.equal(await p.getAttribute("#banner", "data-code"), "ERR_API");
  assert.equal(await p.getAttribute("#banner", "data-reason-code"), "SERVICE_UNAVAILABLE");
  assert.match(await p.textContent("#banner"), /Retrying can help/);
  assert.equal(failed, 3, "a read is tried three times");
  await p.screenshot({ path: join(shots, "6-fault-banner-phone.png"), fullPage: true });
  await p.unroute("**/api/points-details*");
  await p.getByRole("button", { name: "Dismiss" }).click();
  await p.click("#scopes button:nth-child(1)");
  await settled(p);
  assert.equal((await figures(p)).availablePoints, fmt((await ledger.getPointsDetails({ userId: "100000000000000202", userIdType: "RANCU" })).availablePoints));
  await p.close();
});

test("nothing the page loads, nor /demo-config.json, holds a private key, a JWK d or the consumer key", async () => {
  const urls = [...new Set([...loaded.filter((u) => u.startsWith(demo.url)), `${demo.url}demo-config.json`])];
  assert.ok(urls.some((u) => u.endsWith(".js")) && urls.some((u) => u.endsWith(".css")), urls.join(" "));
  assert.ok(!urls.some((u) => u.endsWith(".wasm")), "the page loads no WebAssembly: it holds no key to use");
  for (const u of urls) {
    const text = await (await fetch(u)).text();
    assert.ok(!text.includes("PRIVATE KEY"), u);
    assert.ok(!/"d"\s*:/.test(text), `${u} has a JWK d`);
    assert.ok(!text.includes(keys.consumerKey), `${u} has the consumer key`);
    assert.ok(!text.includes(keys.signingKey.split("\n")[2]), u);
  }
});

test("Firefox: Alex, Sam and the agent each see what they should", async () => {
  const ff = await puppeteer.launch({ browser: "firefox", executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr", headless: true });
  try {
    const p = await ff.newPage();
    await p.goto(demo.url);
    const until = async (fn, what) => {
      for (let i = 0; i < 200; i++) {
        if (await p.evaluate(fn)) return;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      throw new Error(`Firefox: ${what}`);
    };
    await until(() => document.body.dataset.ready === "true", "page ready");
    const view = () => p.evaluate(() => ({
      who: document.querySelector("#whoami").textContent,
      scopes: [...document.querySelectorAll("#scopes button")].map((b) => b.textContent),
      available: document.querySelector("[data-testid=available]")?.textContent,
      agent: !document.querySelector("#agent").hidden,
    }));
    const asUser = async (user) => {
      if (await p.evaluate(() => !document.querySelector("#signout").hidden)) await p.click("#signout");
      await p.click(`#users button[data-user=${user}]`);
      await until(() => !document.querySelector("#whoami").hidden, `${user} signed in`);
      if (user !== "agent") await until(() => !document.querySelector("#summary").hidden && document.querySelector("#loading").hidden, `${user}'s points`);
      return view();
    };
    const alex = await asUser("alex");
    assert.deepEqual(alex.scopes, ["All my cards", "Card 5555 •••• 2222", "Card 5555 •••• 1111"]);
    assert.equal(alex.available, fmt((await ledger.getPointsDetails({ userId: ALEX_CUSTOMER, userIdType: "RANCU" })).availablePoints));
    const sam = await asUser("sam");
    assert.deepEqual(sam.scopes, ["All my cards", "Card 4111 •••• 1111", "Card 4111 •••• 2222"]);
    assert.equal(sam.agent, false);
    const agent = await asUser("agent");
    assert.match(agent.who, /agent-riley \(agent\)/);
    assert.equal(agent.agent, true);
    assert.deepEqual(agent.scopes, [], "nothing of Sam's is left in the page");
    assert.equal(await p.evaluate(() => document.querySelector("#figures").textContent), "");
  } finally {
    await ff.close();
  }
});

test("a port in use is a clear error, not a hang", async () => {
  const { createServer } = await import("node:net");
  const busy = createServer();
  const p = port();
  await new Promise((ok) => busy.listen(p, "127.0.0.1", ok));
  try {
    await assert.rejects(start({ sandboxPort: port(), workerPort: port(), webPort: p, quiet: true }), /port \d+ is in use: .*set WEB_PORT=/);
  } finally {
    busy.close();
  }
});
