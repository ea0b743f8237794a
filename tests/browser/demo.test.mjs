// The sample page in Debian's Chromium (playwright-core) and Firefox (puppeteer-core) against the
// real demo stack: sandbox, the edge worker in workerd, the demo sign-in, the built page.
// Screenshots of each state go to screenshots/. The ledger's truth is read straight from the
// sandbox with a signing client of the test's own, not through the worker under test. The
// worker settles a write of unknown outcome for 6 s and reconciles it for 5 s (instead of 10 s
// and a day), so a lost answer is told within the test; its read budget (30 a minute per user)
// is raised, since the suite signs the same users in many times a minute.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";
import { start } from "../../scripts/demo.mjs";
import { reference } from "../../pkg/npm/worker/writes.mjs";

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
const SAM_CUSTOMER = "100000000000000202";

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
  demo = await start({ sandboxPort, workerPort: port(), webPort: port(), quiet: true, workerSettings: { SETTLE_MS: "6000", RECONCILE_FOR_S: "5", READ_RATE_LIMIT: "1000" } });
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
  const p = await browser.newPage({ viewport: { width, height: 1400 }, locale: "en-US" });
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
/** The figures shown, by key, as numbers: each term of the sum (signed by its effect), available and on hold. */
const figures = (p) => p.evaluate(() => Object.fromEntries([...document.querySelectorAll("#equation [data-key], #on-hold, [data-testid=available]")]
  .map((el) => [el.dataset.key ?? (el.id || "available"), Number(el.dataset.value)])));
const settled = (p) => p.waitForFunction(() => document.querySelector("#loading").hidden && !document.querySelector("#summary").hidden);
const AGENTS = ["agent", "jordan"];
async function signIn(p, user) {
  await p.click(`#users button[data-user=${user}]`);
  await p.waitForSelector("#whoami:not([hidden])");
  if (AGENTS.includes(user)) await p.waitForSelector("#approvals[data-count]");
  else await settled(p);
}
/** Queues a sandbox fault for the next transfer (the sandbox runs with --faults). */
async function fault(name) {
  const res = await fetch(`${demo.sandboxUrl}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: "/loyalty/points-transfers", faults: [name] }) });
  assert.equal(res.status, 204, await res.text());
}
/** Waits until a status line holds a final outcome (not "checking"), and returns it. */
async function outcome(p, sel = "#result") {
  await p.waitForFunction((s) => {
    const state = document.querySelector(s).dataset.state;
    return state !== undefined && state !== "checking";
  }, sel, { timeout: 60000 });
  return { state: await p.getAttribute(sel, "data-state"), text: await p.textContent(sel) };
}

test("Alex sees his own customer, equal to the ledger, as figures and as a chart; the token is in memory only", async () => {
  const p = await page();
  await signIn(p, "alex");
  assert.match(await p.textContent("#whoami"), /^Signed in as alex$/);
  const truth = await ledger.getPointsDetails({ userId: ALEX_CUSTOMER, userIdType: "RANCU" });
  const shown = await figures(p);
  // Expiries are counted among the service's adjustments and shown apart (docs/sandbox.md).
  assert.deepEqual(shown, { previousBalance: truth.previousBalance, pointsEarned: truth.pointsEarned, pointsRedeemed: -truth.pointsRedeemed,
    adjustments: truth.pointsAdjusted + truth.pointsExpired, pointsExpired: -truth.pointsExpired, availablePoints: truth.availablePoints, "on-hold": truth.pointsOnHold, available: truth.availablePoints });
  assert.equal(await p.textContent("[data-testid=available]"), fmt(truth.availablePoints));
  assert.equal(await p.getAttribute("#balance-chart", "data-available"), String(truth.availablePoints));
  assert.equal(await p.locator("#balance-chart rect").count(), 6, "at start, earned, redeemed, adjustments, expired, available");
  // The summary first: what expires soonest, and when.
  assert.match(await p.textContent("#soonest"), /^[\d,]+ points expire on \w{3} \d{1,2}, \d{4}, (in \d+ days|tomorrow|today)\.$/);
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
  // Adjustments made by staff show as customer service, never an agent's name.
  const by = await p.$$eval("#history-table tr[data-kind=adjustment] .detail", (els) => els.map((t) => t.textContent));
  assert.ok(by.length > 0 && by.every((b) => b.endsWith("by customer service")), by.join(", "));
  // Dated rows oldest first, as on a statement.
  const dates = await p.$$eval("#history-table tbody tr:is([data-kind=adjustment], [data-kind=transfer]) td:first-child", (tds) => tds.map((t) => Date.parse(t.textContent)));
  assert.ok(dates.length > 1 && dates.every((t) => !Number.isNaN(t)), dates.join());
  assert.deepEqual(dates, [...dates].sort((a, b) => a - b));
  // One card: its own figures.
  await p.click("#scopes button:nth-child(2)");
  await p.waitForFunction(() => document.querySelector("#period").textContent.startsWith("This card"));
  assert.equal((await figures(p)).availablePoints, await balance(A1.ranac));
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
  // Direction and the balances it leaves.
  assert.equal(await p.textContent("#confirm-text"), `Move 100 points from 5555 •••• 2222 to 5555 •••• 1111? 5555 •••• 2222 will then have ${fmt(before[0] - 100)} points. 5555 •••• 1111 will then have ${fmt(before[1] + 100)} points.`);
  await p.screenshot({ path: join(shots, "2-transfer-confirm.png"), fullPage: true });
  await p.click("#confirm-yes");
  await p.waitForFunction(() => document.querySelector("#result").textContent === "The transfer went through: the new balances are shown above.");
  await settled(p);
  assert.deepEqual(await Promise.all([A1, A2, S1, S2].map((a) => balance(a.ranac))), [before[0] - 100, before[1] + 100, before[2], before[3]]);
  assert.equal(await p.inputValue("input[name=points]"), "", "the form is fresh after success");
  assert.equal(await p.getAttribute("#result", "data-from"), String(before[0] - 100));
  await p.screenshot({ path: join(shots, "3-transfer-done.png"), fullPage: true });
  await p.close();
});

test("an invalid transfer shows the field error and nothing reaches the worker or the sandbox", async () => {
  const p = await page();
  await signIn(p, "alex");
  const [sandboxSeen, workerSeen] = [demo.sandboxLog.length, loaded.length];
  // Checked before the review step: no confirmation of "12.5 points", the field says why.
  for (const bad of ["12.5", "0", "abc", "", "1e3", "0x10", "-5", "1,5"]) {
    await p.fill("input[name=points]", bad);
    await p.click("#transfer button[type=submit]");
    await p.waitForFunction(() => document.querySelector("#points-error").textContent !== "");
    assert.equal(await p.isHidden("#confirm"), true, `no review of "${bad}"`);
    assert.match(await p.textContent("#points-error"), /whole number of points/);
    assert.equal(await p.getAttribute("input[name=points]", "aria-invalid"), "true");
    assert.equal(await p.evaluate(() => document.activeElement?.name), "points", "focus on the field");
  }
  await p.selectOption("select[name=toAccountId]", await p.inputValue("select[name=fromAccountId]"));
  await p.fill("input[name=points]", "5");
  await p.click("#transfer button[type=submit]");
  await p.waitForFunction(() => document.querySelector("#toAccountId-error").textContent !== "");
  assert.match(await p.textContent("#toAccountId-error"), /different card/);
  assert.equal(await p.isHidden("#confirm"), true);
  await new Promise((ok) => setTimeout(ok, 300));
  assert.equal(demo.sandboxLog.length, sandboxSeen);
  assert.deepEqual(loaded.slice(workerSeen).filter((u) => u.includes("/api/")), []);
  await p.screenshot({ path: join(shots, "4-invalid-transfer.png"), fullPage: true });
  await p.close();
});

test("the confirmation closes when the form changes, or on Escape: Confirm never sends values edited after review", async () => {
  const before = await Promise.all([A1, A2].map((a) => balance(a.ranac)));
  const p = await page();
  await signIn(p, "alex");
  await p.selectOption("select[name=fromAccountId]", A1.ranac);
  await p.selectOption("select[name=toAccountId]", A2.ranac);
  await p.fill("input[name=points]", "3000");
  await p.click("#transfer button[type=submit]");
  await p.waitForSelector("#confirm:not([hidden])");
  assert.match(await p.textContent("#confirm-text"), /Move 3,000 points from 5555 •••• 2222 to 5555 •••• 1111/);
  // Editing any field after the review closes it: nothing can be confirmed.
  await p.fill("input[name=points]", "1");
  assert.equal(await p.isHidden("#confirm"), true);
  await p.selectOption("select[name=fromAccountId]", A2.ranac);
  await p.selectOption("select[name=toAccountId]", A1.ranac);
  assert.equal(await p.isHidden("#confirm"), true);
  // A new review shows the new values; Escape closes it and focus returns to the form.
  await p.click("#transfer button[type=submit]");
  await p.waitForSelector("#confirm:not([hidden])");
  assert.match(await p.textContent("#confirm-text"), /Move 1 point from 5555 •••• 1111 to 5555 •••• 2222\?/);
  await p.keyboard.press("Escape");
  assert.equal(await p.isHidden("#confirm"), true);
  assert.equal(await p.evaluate(() => document.activeElement?.textContent), "Review transfer");
  await new Promise((ok) => setTimeout(ok, 300));
  assert.deepEqual(await Promise.all([A1, A2].map((a) => balance(a.ranac))), before, "nothing moved");
  await p.close();
});

test("at 390 px nothing runs past the screen, for a consumer and for an agent", async () => {
  for (const user of ["alex", "agent"]) {
    const p = await page(390);
    await signIn(p, user);
    if (user === "agent") {
      await p.fill("#lookup input[name=userId]", A1.ban);
      await p.click("#lookup button[type=submit]");
      await settled(p);
      assert.equal(await p.inputValue("#lookup input[name=userId]"), "", "the card number is not left in the field");
      assert.ok(!(await p.textContent("main")).includes(A1.ban));
    }
    const [scroll, inner] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= inner, `${user}: the page is ${scroll} px wide on a ${inner} px screen`);
    // Nor does any section scroll sideways or clip its content: only a table, in its own box.
    const wide = await p.evaluate(() => [...document.querySelectorAll("main section")]
      .filter((el) => !el.hidden && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.id || el.className}: ${el.scrollWidth} > ${el.clientWidth}`));
    assert.deepEqual(wide, [], `${user}: sections wider than the screen`);
    await p.screenshot({ path: join(shots, `390-${user}.png`), fullPage: true });
    await p.close();
  }
});

test("Sam sees only his own cards; the agent finds Alex by card number and records an adjustment as themself", async () => {
  const p = await page();
  await signIn(p, "sam");
  assert.deepEqual(await p.$$eval("#scopes button", (bs) => bs.map((b) => b.textContent)), ["All my cards", "Card 4111 •••• 1111", "Card 4111 •••• 2222"]);
  assert.equal((await figures(p)).availablePoints, (await ledger.getPointsDetails({ userId: "100000000000000202", userIdType: "RANCU" })).availablePoints);
  assert.equal(await p.isHidden("#adjust"), true, "no adjustments for consumers");
  await p.click("#signout");
  await signIn(p, "agent");
  assert.match(await p.textContent("#whoami"), /^Signed in as agent-riley, customer service$/);
  await p.fill("#lookup input[name=userId]", A1.ban);
  await p.click("#lookup button[type=submit]");
  await settled(p);
  assert.equal(await p.textContent("#found-customer"), "Customer found, with 2 cards: 5555 •••• 2222, 5555 •••• 1111.");
  assert.ok(!(await p.content()).includes(A1.ban.slice(4, 12)), "the card number is masked on the page");
  const before = await balance(A2.ranac);
  await p.selectOption("select[name=accountId]", A2.ranac);
  await p.fill("input[name=adjustPoints]", "50");
  await p.fill("input[name=adjustmentReason]", "browser goodwill");
  await p.click("#adjust button[type=submit]");
  await p.click("#confirm-yes");
  await p.waitForFunction(() => document.querySelector("#result").textContent === "The adjustment went through.");
  assert.equal(await balance(A2.ranac), before + 50);
  const hist = await ledger.getPointsAdjustments({ userId: A2.ranac, userIdType: "RANAC" });
  // The agent's reason, then the reference of the page's Idempotency-Key (exactly-once writes).
  const mine = hist.adjustments.find((a) => /^browser goodwill \[ref:[a-p]{16}\]$/.test(a.adjustmentReason));
  assert.equal(mine.adjustedBy, "agent-riley", "adjustedBy is the agent's sub");
  await p.screenshot({ path: join(shots, "5-agent-adjustment.png"), fullPage: true });
  await p.close();
});

test("four eyes: an agent's adjustment above 1,000 waits for a second agent, who approves it; the ledger moves exactly once", async () => {
  const before = await balance(A2.ranac);
  const riley = await page(390);
  await signIn(riley, "agent");
  await riley.fill("#lookup input[name=userId]", A1.ban);
  await riley.click("#lookup button[type=submit]");
  await settled(riley);
  const ask = async (points, reason) => {
    await riley.selectOption("select[name=accountId]", A2.ranac);
    await riley.fill("input[name=adjustPoints]", String(points));
    await riley.selectOption("select[name=adjustmentTypeCode]", "CR");
    await riley.fill("input[name=adjustmentReason]", reason);
    await riley.click("#adjust button[type=submit]");
    await riley.click("#confirm-yes");
    const out = await outcome(riley);
    assert.equal(out.state, "approval", out.text);
    const m = /^Waiting for a second agent's approval \(request ([0-9a-f]{8})\)\.$/.exec(out.text);
    assert.ok(m, out.text);
    await riley.waitForSelector(`#approvals-list li[data-approval-id^="${m[1]}"]`);
    return m[1];
  };
  const first = await ask(1500, "four-eyes goodwill");
  const second = await ask(2000, "four-eyes refused");
  assert.equal(await balance(A2.ranac), before, "nothing is sent before a second agent approves");
  // The requester sees their own requests, each with its buttons disabled and why.
  for (const id of [first, second]) {
    const own = riley.locator(`#approvals-list li[data-approval-id^="${id}"]`);
    assert.equal(await own.getAttribute("data-own"), "true");
    assert.deepEqual(await own.locator("button").evaluateAll((bs) => bs.map((b) => [b.textContent, b.disabled])), [["Approve", true], ["Reject", true]]);
    assert.match(await own.textContent(), /Your own request: another agent must decide\./);
  }
  assert.match(await riley.textContent(`#approvals-list li[data-approval-id^="${first}"]`), /Add 1,500 points to card •••• 1111 \(account ref\. …0102\) as a credit/);
  await riley.screenshot({ path: join(shots, "7-approval-requested-phone.png"), fullPage: true });

  // Jordan, on three pages: one decides, the others still show the list from before.
  const jordan = await page(390);
  await signIn(jordan, "jordan");
  const [stale, stale2] = [await page(), await page()];
  await signIn(stale, "jordan");
  await signIn(stale2, "jordan");
  const item = (p, id) => p.locator(`#approvals-list li[data-approval-id^="${id}"]`);
  assert.equal(await item(jordan, first).getAttribute("data-own"), "false");
  assert.deepEqual(await item(jordan, first).locator("button").evaluateAll((bs) => bs.map((b) => b.disabled)), [false, false]);
  await jordan.screenshot({ path: join(shots, "8-approvals-second-agent-phone.png"), fullPage: true });
  await item(jordan, first).locator("button[data-decision=approve]").click();
  await jordan.waitForSelector("#confirm:not([hidden])");
  assert.equal(await jordan.textContent("#confirm-text"), "Approve: add 1,500 points to card •••• 1111 (account ref. …0102) as a credit, asked for by agent-riley?");
  await jordan.click("#confirm-yes");
  let out = await outcome(jordan, "#approvals-result");
  assert.deepEqual(out, { state: "done", text: `Approved (request ${first}): the adjustment went through.` });
  await item(jordan, first).waitFor({ state: "detached" });
  assert.equal(await balance(A2.ranac), before + 1500);
  await item(jordan, second).locator("button[data-decision=reject]").click();
  await jordan.click("#confirm-yes");
  out = await outcome(jordan, "#approvals-result");
  assert.deepEqual(out, { state: "done", text: `Rejected (request ${second}): nothing was changed.` });
  await item(jordan, second).waitFor({ state: "detached" });

  // From a stale page, approving the approved one again replays its answer (it was sent once);
  // from another, approving the rejected one is refused in words, not codes.
  await item(stale2, first).locator("button[data-decision=approve]").click();
  await stale2.click("#confirm-yes");
  out = await outcome(stale2, "#approvals-result");
  assert.equal(out.state, "done", out.text);
  await item(stale, second).locator("button[data-decision=approve]").click();
  await stale.click("#confirm-yes");
  out = await outcome(stale, "#approvals-result");
  assert.deepEqual(out, { state: "refused", text: "The decision did not go through: another agent has already rejected this request." });
  assert.equal(await stale.locator("#approvals-list li").count(), 0, "decided requests leave the list");
  await stale.screenshot({ path: join(shots, "9-approval-already-decided.png"), fullPage: true });

  const hist = await ledger.getPointsAdjustments({ userId: A2.ranac, userIdType: "RANAC" });
  const approved = hist.adjustments.filter((a) => /^four-eyes goodwill \[ref:[a-p]{16}\]$/.test(a.adjustmentReason));
  assert.equal(approved.length, 1, "approved once, sent once");
  assert.equal(approved[0].adjustedBy, "agent-riley", "the adjustment is the requester's");
  assert.equal(hist.adjustments.filter((a) => a.adjustmentReason.startsWith("four-eyes refused")).length, 0);
  assert.equal(await balance(A2.ranac), before + 1500);
  await riley.click("#approvals-refresh");
  await riley.waitForFunction(() => document.querySelector("#approvals").dataset.count === "0" && !document.querySelector("#approvals-empty").hidden);
  for (const p of [riley, jordan, stale, stale2]) {
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});

// Sam, not Alex: the worker's read budget (30 a minute per user) is shared by every test of a user.
test("a transfer whose answer is lost is kept under the user and asked again at the next sign-in, with its key", async () => {
  const before = await Promise.all([S1, S2].map((a) => balance(a.ranac)));
  const p = await page();
  await signIn(p, "sam");
  const transfer = async (from, to, points) => {
    await p.selectOption("select[name=fromAccountId]", from.ranac);
    await p.selectOption("select[name=toAccountId]", to.ranac);
    await p.fill("input[name=points]", String(points));
    await p.click("#transfer button[type=submit]");
    await p.click("#confirm-yes");
    return outcome(p);
  };
  // Applied, then the answer lost: the page cannot know, and says so.
  await fault("drop-after");
  const lost = await transfer(S1, S2, 100);
  assert.deepEqual(lost, { state: "pending", text: "Still checking — you can leave this page; the result will show here." });
  assert.deepEqual(await Promise.all([S1, S2].map((a) => balance(a.ranac))), [before[0] - 100, before[1] + 100]);
  // Never applied, the connection dropped: the page cannot know that either.
  await fault("drop");
  const dropped = await transfer(S2, S1, 30);
  assert.equal(dropped.state, "pending");
  assert.deepEqual(await Promise.all([S1, S2].map((a) => balance(a.ranac))), [before[0] - 100, before[1] + 100]);
  const stored = await p.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
  assert.deepEqual(Object.keys(stored), ["points-activity.pending.sam"]);
  const intents = JSON.parse(stored["points-activity.pending.sam"]);
  assert.deepEqual(intents.map((i) => [i.kind, i.input]), [
    ["transfer", { fromAccountId: S1.ranac, toAccountId: S2.ranac, points: 100 }],
    ["transfer", { fromAccountId: S2.ranac, toAccountId: S1.ranac, points: 30 }],
  ]);
  for (const i of intents) assert.match(i.key, /^[0-9a-f-]{36}$/);
  const text = JSON.stringify(stored);
  for (const a of [S1, S2]) assert.ok(!text.includes(a.ban) && !text.includes(a.ban.slice(0, 4)), "no card number, not even its first four");
  assert.ok(!/ey[A-Za-z0-9_-]{10,}\./.test(text), "no token");
  assert.equal(await p.locator("#pending-list li[data-state=pending]").count(), 2);
  await p.screenshot({ path: join(shots, "10-still-checking.png"), fullPage: true });

  // The page is left (reloaded: nothing in memory) and Sam signs in again.
  await p.reload();
  await p.waitForSelector("body[data-ready=true]");
  assert.equal(await p.evaluate(() => localStorage.length), 1);
  await signIn(p, "sam");
  await p.waitForFunction(() => {
    const li = [...document.querySelectorAll("#pending-list li")];
    return li.length === 2 && li.every((l) => ["done", "refused"].includes(l.dataset.state));
  }, null, { timeout: 60000 });
  const told = await p.$$eval("#pending-list li", (ls) => ls.map((l) => [l.dataset.state, l.textContent]));
  assert.deepEqual(told, [
    ["done", "Transfer of 100 points from •••• 1111 to •••• 2222: went through."],
    ["refused", "Transfer of 30 points from •••• 2222 to •••• 1111: did not go through: the service never recorded it (it was looked for in the account's history)."],
  ]);
  assert.equal(await p.evaluate(() => localStorage.length), 0, "a definite answer ends the intent");
  await settled(p);
  // Exactly once: the lost transfer moved its points once; the dropped one never did.
  assert.deepEqual(await Promise.all([S1, S2].map((a) => balance(a.ranac))), [before[0] - 100, before[1] + 100]);
  // The worker writes the key's reference, SHA-256(sub, key), into the reason PAS keeps.
  const refs = await Promise.all(intents.map((i) => reference("sam", i.key)));
  const [from1, from2] = await Promise.all([S1, S2].map((a) => ledger.getPointsAdjustments({ userId: a.ranac, userIdType: "RANAC" })));
  assert.equal(from1.adjustments.filter((a) => a.adjustmentReason.endsWith(`[ref:${refs[0]}]`)).length, 1, "the lost transfer is in the history once");
  assert.equal(from2.adjustments.filter((a) => a.adjustmentReason.endsWith(`[ref:${refs[1]}]`)).length, 0, "the dropped one never");
  assert.equal(await p.textContent("[data-testid=available]"), fmt((await ledger.getPointsDetails({ userId: SAM_CUSTOMER, userIdType: "RANCU" })).availablePoints));
  await p.screenshot({ path: join(shots, "11-checked-at-sign-in.png"), fullPage: true });
  assert.deepEqual(p.errors, []);
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
  assert.match(await p.textContent("#banner"), /Trying again may help\..*Reference: ERR_API · SERVICE_UNAVAILABLE/);
  assert.equal(failed, 3, "a read is tried three times");
  await p.screenshot({ path: join(shots, "6-fault-banner-phone.png"), fullPage: true });
  await p.unroute("**/api/points-details*");
  // Retrying can help, so the banner offers it; it reloads what failed.
  await p.getByRole("button", { name: "Retry" }).click();
  await settled(p);
  assert.equal(await p.isHidden("#banner"), true);
  assert.equal((await figures(p)).availablePoints, (await ledger.getPointsDetails({ userId: "100000000000000202", userIdType: "RANCU" })).availablePoints);
  await p.close();
});

test("an ended session signs the user out, shows nothing of theirs, and offers to sign in again", async () => {
  const p = await page(390);
  await signIn(p, "sam");
  await p.route("**/api/points-details*", (route) => route.fulfill({ status: 401, contentType: "application/json", headers: { "access-control-allow-origin": new URL(demo.url).origin },
    body: '{"Errors":{"Error":[{"Source":"worker","ReasonCode":"UNAUTHENTICATED","Description":"the token has expired","Recoverable":false,"Details":null}]}}' }));
  await p.click("#scopes button:nth-child(1)");
  await p.waitForSelector("#banner[data-code=SESSION_ENDED]");
  assert.match(await p.textContent("#banner"), /Your session has ended/);
  assert.equal(await p.isHidden("#whoami"), true, "no longer shown as signed in");
  assert.equal(await p.isHidden("#summary"), true, "nothing of the user's stays");
  assert.equal(await p.evaluate(() => document.activeElement?.textContent), "Sign in again");
  const [scroll, inner] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner);
  await p.unroute("**/api/points-details*");
  await p.getByRole("button", { name: "Sign in again" }).click();
  await settled(p);
  assert.match(await p.textContent("#whoami"), /Signed in as sam/);
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
    const d = driver(p);
    await d.open(demo.url);
    const until = (fn, what) => d.until(fn, null, `Firefox: ${what}`, 20000);
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
    assert.match(agent.who, /^Signed in as agent-riley, customer service$/);
    assert.equal(agent.agent, true);
    assert.deepEqual(agent.scopes, [], "nothing of Sam's is left in the page");
    assert.equal(await p.evaluate(() => document.querySelector("#equation").textContent + document.querySelector("#history-table").tBodies[0].textContent), "");
  } finally {
    await ff.close();
  }
});

/**
 * The same steps in Chromium (playwright-core) and in Firefox (puppeteer-core): what the two
 * drivers name differently, under one name. Every wait has a time limit.
 */
function driver(p) {
  const playwright = typeof p.fill === "function";
  return {
    eval: (fn, arg) => p.evaluate(fn, arg),
    click: (sel) => p.click(sel),
    press: (key) => p.keyboard.press(key),
    async fill(sel, value) {
      if (playwright) return p.fill(sel, value);
      await p.$eval(sel, (el) => { el.value = ""; });
      return p.type(sel, value);
    },
    select: (sel, value) => (playwright ? p.selectOption(sel, value) : p.select(sel, value)),
    async until(fn, arg, what, ms = 30000) {
      for (const end = Date.now() + ms; Date.now() < end; await new Promise((ok) => setTimeout(ok, 100))) {
        if (await p.evaluate(fn, arg)) return;
      }
      throw new Error(`timed out: ${what}`);
    },
    /** Opens the page at `url` and waits until it is ready. */
    async open(url) {
      await p.goto(url);
      await this.until(() => document.body.dataset.ready === "true", null, "page ready");
    },
    /** Signs a consumer in from the demo sign-in and waits for their points. */
    async consumer(user) {
      await p.click(`#users button[data-user=${user}]`);
      await this.until(() => !document.querySelector("#summary").hidden && document.querySelector("#loading").hidden, null, `${user}'s points`);
    },
  };
}

/** Reads what one view shows: the activity rows, the sum's terms, the by-card rows and the view's scope. */
const shownView = () => {
  const data = (el) => Number(el.dataset.value ?? el.dataset.points);
  const keyed = (root) => Object.fromEntries([...root.querySelectorAll("[data-key]")].map((el) => [el.dataset.key, data(el)]));
  const table = document.querySelector("#breakdown");
  return {
    scope: JSON.parse(document.querySelector("#scopes button.active").dataset.scope),
    available: data(document.querySelector("[data-testid=available]")),
    rows: [...document.querySelectorAll("#history-table tbody tr")].map((r) => ({ kind: r.dataset.kind, points: data(r), text: r.textContent })),
    closing: data(document.querySelector("#history-table tfoot tr")),
    terms: keyed(document.querySelector("#equation")),
    cards: table.hidden ? [] : [...table.tBodies[0].rows].map(keyed),
    total: table.hidden ? null : keyed(table.tFoot),
  };
};

/** For every view of a signed-in consumer (all cards, then each card): everything shown adds up, and equals the ledger. */
async function sumsAddUp(d, customer) {
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const views = await d.eval(() => document.querySelectorAll("#scopes button").length);
  const seen = [];
  for (let i = 1; i <= views; i++) {
    await d.click(`#scopes button:nth-child(${i})`);
    await d.until((n) => document.querySelector(`#scopes button:nth-child(${n})`).classList.contains("active") && document.querySelector("#loading").hidden, i, `view ${i}`);
    const v = await d.eval(shownView);
    const truth = await ledger.getPointsDetails(v.scope.accountId ? { userId: v.scope.accountId, userIdType: "RANAC" } : { userId: customer, userIdType: "RANCU" });
    const where = JSON.stringify(v.scope);
    assert.equal(v.available, truth.availablePoints, where);
    assert.equal(v.closing, truth.availablePoints, where);
    assert.equal(sum(v.rows.map((r) => r.points)), truth.availablePoints, `${where}: the activity rows add up to the available points`);
    const { availablePoints, ...terms } = v.terms;
    assert.equal(availablePoints, truth.availablePoints, where);
    assert.equal(sum(Object.values(terms)), availablePoints, `${where}: the sum's terms add up`);
    // Each kind of row adds up to its term; nothing is left unlisted.
    const of = (...kinds) => sum(v.rows.filter((r) => kinds.includes(r.kind)).map((r) => r.points));
    assert.deepEqual([of("start"), of("earned"), of("redeemed"), of("adjustment", "transfer"), of("expired"), of("other")],
      [terms.previousBalance, terms.pointsEarned, terms.pointsRedeemed, terms.adjustments, terms.pointsExpired, 0], where);
    for (const r of v.rows) assert.doesNotMatch(r.text, /\[ref:|\bTR\b/, `${where}: the worker's tags are not shown`);
    if (v.total) {
      for (const c of [...v.cards, v.total]) {
        const { availablePoints: a, pointsOnHold, ...t } = c;
        assert.equal(sum(Object.values(t)), a, `${where}: a by-card row adds up`);
      }
      for (const key of Object.keys(v.total)) assert.equal(sum(v.cards.map((c) => c[key])), v.total[key], `${where}: the cards add up to the total (${key})`);
    }
    seen.push(v);
  }
  return seen;
}

/** Checked before the review step; a confirmation closes when its form changes or on Escape. Nothing is sent. */
async function checksBeforeSending(d) {
  await d.select("select[name=fromAccountId]", A1.ranac);
  await d.select("select[name=toAccountId]", A2.ranac);
  await d.fill("input[name=points]", "0");
  await d.click("#transfer button[type=submit]");
  await d.until(() => document.querySelector("#points-error").textContent !== "", null, "the field's error");
  assert.deepEqual(await d.eval(() => [document.querySelector("#confirm").hidden, document.activeElement?.name]), [true, "points"], "no review of 0 points; focus on the field");
  // More than the card holds: said at the field, before any review.
  await d.fill("input[name=points]", "900000");
  await d.click("#transfer button[type=submit]");
  await d.until(() => /^That card has [\d,]+ points: enter [\d,]+ or fewer\.$/.test(document.querySelector("#points-error").textContent), null, "the balance at the field");
  assert.equal(await d.eval(() => document.querySelector("#confirm").hidden), true, "no review of more than the card holds");
  await d.fill("input[name=points]", "3,000");
  await d.click("#transfer button[type=submit]");
  await d.until(() => !document.querySelector("#confirm").hidden && /Move 3,000 points /.test(document.querySelector("#confirm-text").textContent), null, "the review of 3,000 typed with a separator");
  await d.fill("input[name=points]", "1");
  assert.equal(await d.eval(() => document.querySelector("#confirm").hidden), true, "editing after review closes it");
  await d.click("#transfer button[type=submit]");
  await d.until(() => !document.querySelector("#confirm").hidden && /Move 1 point /.test(document.querySelector("#confirm-text").textContent), null, "the new review");
  await d.press("Escape");
  assert.deepEqual(await d.eval(() => [document.querySelector("#confirm").hidden, document.activeElement?.textContent]), [true, "Review transfer"]);
}

/**
 * A transfer the service refuses: said under the form in a customer's words, in view, with focus
 * on it. The page allows only what the card held when it was shown, so the points are spent
 * behind its back first (and put back after).
 */
async function refusalInView(d) {
  const held = await balance(A2.ranac);
  const move = (from, to, n) => ledger.transferPoints({ fromBankAccountNumber: from.ban, toBankAccountNumber: to.ban, pointsToTransfer: n, transferTypeCode: "TR", transferReason: "spent elsewhere", adjustedBy: "test" });
  await move(A2, A1, held - 10);
  try {
    await d.select("select[name=fromAccountId]", A2.ranac);
    await d.select("select[name=toAccountId]", A1.ranac);
    await d.fill("input[name=points]", String(held - 5));
    await d.click("#transfer button[type=submit]");
    await d.until(() => !document.querySelector("#confirm").hidden, null, "the review");
    await d.click("#confirm-yes");
    await d.until(() => ["refused", "done"].includes(document.querySelector("#result").dataset.state), null, "the outcome", 60000);
    const r = await d.eval(() => {
      const el = document.querySelector("#result");
      const box = el.getBoundingClientRect();
      return { text: el.textContent, focused: document.activeElement === el, inView: box.top >= 0 && box.bottom <= window.innerHeight };
    });
    assert.deepEqual(r, { text: "The transfer did not go through: there are not enough points on that card.", focused: true, inView: true });
  } finally {
    await move(A1, A2, held - 10);
  }
}

/** Neither the page nor any section runs past a 390 px screen. */
async function fitsTheScreen(d, who) {
  const r = await d.eval(() => ({
    page: [document.documentElement.scrollWidth, window.innerWidth],
    wide: [...document.querySelectorAll("main section")].filter((el) => !el.hidden && el.scrollWidth > el.clientWidth + 1).map((el) => el.id),
  }));
  assert.ok(r.page[0] <= r.page[1], `${who}: the page is ${r.page[0]} px wide on a ${r.page[1]} px screen`);
  assert.deepEqual(r.wide, [], `${who}: sections wider than the screen`);
}

test("the activity rows add up to the figures shown, for each user and each card (desktop and 390 px)", async () => {
  for (const [user, customer, width] of [["alex", ALEX_CUSTOMER, 1100], ["sam", SAM_CUSTOMER, 390]]) {
    const p = await page(width);
    await signIn(p, user);
    const views = await sumsAddUp(driver(p), customer);
    assert.equal(views.length, 3);
    if (user === "alex") {
      // Alex's transfer (earlier test) names both cards at the customer's level, each card's half at its own.
      const texts = views.map((v) => v.rows.filter((r) => r.kind === "transfer").map((r) => r.text));
      assert.ok(texts[0].some((t) => t.includes("Moved to card •••• 1111")) && texts[0].some((t) => t.includes("Moved from card •••• 2222")), texts[0].join(" | "));
      assert.ok(texts[1].length > 0 && texts[1].every((t) => t.includes("Moved to")), texts[1].join(" | "));
      await p.screenshot({ path: join(shots, "12-activity.png"), fullPage: true });
    }
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});

test("after a write, a balance not shown since is not used: the review states only what it knows, rightly", async () => {
  const p = await page();
  await signIn(p, "alex");
  // Card •••• 1111 alone: after the transfer, only its balance is shown again.
  await p.click("#scopes button:nth-child(3)");
  await p.waitForFunction(() => document.querySelector("#scopes button:nth-child(3)").classList.contains("active") && document.querySelector("#loading").hidden);
  await p.selectOption("select[name=fromAccountId]", A1.ranac);
  await p.selectOption("select[name=toAccountId]", A2.ranac);
  await p.fill("input[name=points]", "10");
  await p.click("#transfer button[type=submit]");
  await p.click("#confirm-yes");
  assert.equal((await outcome(p)).state, "done");
  await settled(p);
  const a2 = await balance(A2.ranac);
  await p.selectOption("select[name=fromAccountId]", A1.ranac);
  await p.selectOption("select[name=toAccountId]", A2.ranac);
  await p.fill("input[name=points]", "5");
  await p.click("#transfer button[type=submit]");
  await p.waitForSelector("#confirm:not([hidden])");
  assert.equal(await p.textContent("#confirm-text"), `Move 5 points from 5555 •••• 2222 to 5555 •••• 1111? 5555 •••• 1111 will then have ${fmt(a2 + 5)} points.`,
    "•••• 2222's balance from before the transfer is not stated");
  await p.keyboard.press("Escape");
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("at 390 px: checked before review, a confirmation that cannot send edited values, and a refusal in view with focus", async () => {
  const p = await page(390);
  await p.setViewportSize({ width: 390, height: 844 });
  await signIn(p, "alex");
  const before = await Promise.all([A1, A2].map((a) => balance(a.ranac)));
  const d = driver(p);
  await checksBeforeSending(d);
  await refusalInView(d);
  await fitsTheScreen(d, "alex");
  assert.deepEqual(await Promise.all([A1, A2].map((a) => balance(a.ranac))), before, "nothing moved");
  await p.screenshot({ path: join(shots, "13-refused-phone.png") });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("an agent's confirmation closes when another customer is looked up; lookups by reference and unknown numbers", async () => {
  const before = await Promise.all([A1, S1].map((a) => balance(a.ranac)));
  const p = await page(390);
  await signIn(p, "agent");
  const lookUp = async (userId, type = "BAN") => {
    await p.selectOption("#lookup select[name=userIdType]", type);
    await p.fill("#lookup input[name=userId]", userId);
    await p.click("#lookup button[type=submit]");
  };
  await lookUp("5555 4444 3333 2222");
  await settled(p);
  await p.selectOption("select[name=accountId]", A1.ranac);
  await p.fill("input[name=adjustPoints]", "7");
  await p.fill("input[name=adjustmentReason]", "wrong customer test");
  await p.click("#adjust button[type=submit]");
  await p.waitForSelector("#confirm:not([hidden])");
  assert.equal(await p.textContent("#confirm-text"), `Add 7 points to 5555 •••• 2222 as a credit? It will then have ${fmt(before[0] + 7)} points.`);
  // The worker's limits, as /api/me tells the agent: more than one adjustment may move is said at
  // the field; above the approval threshold the review says a second agent must approve.
  await p.fill("input[name=adjustPoints]", "20000");
  await p.click("#adjust button[type=submit]");
  await p.waitForFunction(() => document.querySelector("#adjustPoints-error").textContent !== "");
  assert.equal(await p.textContent("#adjustPoints-error"), "One adjustment may be at most 10,000 points.");
  assert.equal(await p.isHidden("#confirm"), true);
  await p.fill("input[name=adjustPoints]", "1500");
  await p.click("#adjust button[type=submit]");
  await p.waitForSelector("#confirm:not([hidden])");
  assert.equal(await p.textContent("#confirm-text"), `Add 1,500 points to 5555 •••• 2222 as a credit? A second agent must approve it first (above 1,000 points). Once approved, it will then have ${fmt(before[0] + 1500)} points.`);
  // Sam now: the question about Alex's card is gone, and nothing can send it.
  await lookUp("4111.1111.1111.1111");
  await p.waitForFunction(() => document.querySelector("#found-customer").textContent.includes("4111 •••• 1111") && document.querySelector("#loading").hidden);
  assert.equal(await p.isHidden("#confirm"), true);
  assert.deepEqual(await Promise.all([A1, S1].map((a) => balance(a.ranac))), before, "nothing was adjusted");
  // By Mastercard's customer reference: the customer's own figures.
  await lookUp(ALEX_CUSTOMER, "RANCU");
  await p.waitForFunction(() => document.querySelector("#found-customer").textContent.includes("5555 •••• 2222") && document.querySelector("#loading").hidden);
  assert.equal((await figures(p)).availablePoints, (await ledger.getPointsDetails({ userId: ALEX_CUSTOMER, userIdType: "RANCU" })).availablePoints);
  // An unknown number is said at the field, in words; nothing of the previous customer stays.
  await lookUp("4000 0000 0000 0002");
  await p.waitForFunction(() => document.querySelector("#userId-error").textContent !== "");
  assert.equal(await p.textContent("#userId-error"), "No customer has this number. Check it and try again.");
  assert.equal(await p.evaluate(() => document.activeElement?.name), "userId");
  assert.deepEqual(await p.evaluate(() => ["#summary", "#found", "#move"].map((s) => document.querySelector(s).hidden)), [true, true, true]);
  assert.equal(await p.isHidden("#banner"), true);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("no serious accessibility violation (axe-core) on the sign-in, a customer's view, an agent's view and the confirmation", async () => {
  const axe = require.resolve("axe-core/axe.min.js");
  const scan = async (p, what) => {
    await p.addScriptTag({ path: axe });
    const found = await p.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
      .filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
    assert.deepEqual(found, [], what);
  };
  for (const width of [1100, 390]) {
    const p = await page(width);
    await scan(p, "the sign-in");
    await signIn(p, "alex");
    await scan(p, "Alex's points");
    await p.fill("input[name=points]", "5");
    await p.click("#transfer button[type=submit]");
    await p.waitForSelector("#confirm:not([hidden])");
    await scan(p, "the confirmation");
    await p.keyboard.press("Escape");
    await p.click("#signout");
    await signIn(p, "agent");
    await p.fill("#lookup input[name=userId]", "5555 4444 3333 2222");
    await p.click("#lookup button[type=submit]");
    await settled(p);
    await scan(p, "the agent's view of a customer");
    await p.close();
  }
});

test("a session warns before it ends, can be kept, and when it ends signs the user out (Chromium and Firefox, 390 px)", async () => {
  // A stack of its own whose tokens live 8 s: warned at 4 s, ended at 8 s.
  const short = await start({ sandboxPort: port(), workerPort: port(), webPort: port(), quiet: true, tokenLifetimeSeconds: 8 });
  const ff = await puppeteer.launch({ browser: "firefox", executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr", headless: true });
  try {
    const pages = [await browser.newPage({ viewport: { width: 390, height: 844 } }), await ff.newPage()];
    await pages[1].setViewport({ width: 390, height: 844 });
    for (const p of pages) {
      const d = driver(p);
      await d.open(short.url);
      await d.consumer("sam");
      // Warned, then kept: a new token, and the page goes on working past the first one's end.
      await d.until(() => !document.querySelector("#session-notice").hidden, null, "the warning", 8000);
      assert.match(await d.eval(() => document.querySelector("#session-notice").textContent), /^Your session ends in \d+ seconds\.Stay signed in$/);
      await d.click("#session-notice button");
      await d.until(() => document.querySelector("#session-notice").hidden, null, "the warning gone");
      await new Promise((ok) => setTimeout(ok, 5000));
      await d.click("#scopes button:nth-child(2)");
      await d.until(() => document.querySelector("#scopes button:nth-child(2)").classList.contains("active") && document.querySelector("#loading").hidden, null, "a read with the new token");
      assert.equal(await d.eval(() => document.querySelector("#banner").hidden), true, "the kept session still reads");
      // Not kept: at its end the user is signed out, nothing of theirs stays, and sign-in is offered.
      await d.until(() => document.querySelector("#banner").dataset.code === "SESSION_ENDED", null, "the end", 12000);
      const after = await d.eval(() => ({
        who: document.querySelector("#whoami").hidden, summary: document.querySelector("#summary").hidden,
        focus: document.activeElement?.textContent, text: document.querySelector("#banner").textContent,
      }));
      assert.deepEqual(after, { who: true, summary: true, focus: "Sign in again", text: "Your session has ended. Sign in again to go on.Sign in againDismiss" });
      await fitsTheScreen(d, "the ended session");
      await d.click("#banner button");
      await d.until(() => !document.querySelector("#whoami").hidden && /sam/.test(document.querySelector("#whoami").textContent), null, "signed in again");
    }
  } finally {
    await ff.close();
    await short.stop();
  }
});

test("Firefox at 390 px: the sums, the checks before review, the stale confirmation and a refusal in view", async () => {
  const ff = await puppeteer.launch({ browser: "firefox", executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr", headless: true });
  try {
    const p = await ff.newPage();
    await p.setViewport({ width: 390, height: 844 });
    const d = driver(p);
    await d.open(demo.url);
    await d.consumer("alex");
    await fitsTheScreen(d, "alex");
    await sumsAddUp(d, ALEX_CUSTOMER);
    await d.click("#scopes button:nth-child(1)");
    await d.until(() => document.querySelector("#scopes button:nth-child(1)").classList.contains("active") && document.querySelector("#loading").hidden, null, "all cards");
    const before = await Promise.all([A1, A2].map((a) => balance(a.ranac)));
    await checksBeforeSending(d);
    await refusalInView(d);
    assert.deepEqual(await Promise.all([A1, A2].map((a) => balance(a.ranac))), before, "nothing moved");
    await fitsTheScreen(d, "alex after a refusal");
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
