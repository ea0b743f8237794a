// Exactly-once writes through the worker (writes.mjs, the UserWrites Durable Object) against
// the sandbox's faults and added latency, with the page's client retrying under one
// Idempotency-Key: a write applied despite a lost answer is applied once and resolved from the
// history; a write that may have left but was not applied is never sent again and ends
// NOT_APPLIED after the reconciliation window (the sandbox's own history is the judge); a
// restart of workerd between a write and its repeat still gives the stored answer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { workerChain, worker, token } from "./worker-support.mjs";
import { IDS, directCaller } from "./sandbox-support.mjs";
import { reference } from "../../pkg/npm/worker/writes.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { PointsWorkerClient, PointsApiError } = await import(pathToFileURL(join(root, "pkg", "npm", "web", "worker-client.js")).href);

const NAME = `exactly-once-${process.pid}`;
const ENV = { SETTLE_MS: "300", UPSTREAM_TIMEOUT_MS: "1500", RECONCILE_FOR_S: "3" };
let c;
let alex;
let agent;
let direct;
before(async () => {
  // Every sandbox answer 40 ms late: the faults land on a service that takes its time.
  c = await workerChain({ env: ENV, name: NAME, sandboxArgs: ["--latency-ms", "40"] });
  alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  agent = await token(c.key, { sub: "agent-7", role: "agent" });
  direct = await directCaller(c.sb);
});
after(async () => c && c.stop());

const page = (bearer = alex, retry = {}) => new PointsWorkerClient({ baseUrl: c.wk.base, token: bearer, timeoutMs: 4000, retry: { baseDelayMs: 50, maxDelayMs: 3000, writeAttempts: 10, ...retry } });
const origin = () => new URL(c.sb.base).origin;
/** Queues sandbox faults for the next requests to a PAS path. */
async function arm(path, faults) {
  const r = await fetch(`${origin()}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ path: `/loyalty${path}`, faults }) });
  assert.equal(r.status, 204);
}
/** History entries on a1 whose reason carries the key's reference, from the sandbox directly. */
async function applied(marker) {
  const h = await direct("GET", `/points-adjustments-details?user_id=${IDS.a1.ranac}&user_id_type=RANAC`);
  return h.json.adjustments.filter((e) => e.adjustmentReason.includes(marker));
}
const balance = async (ranac) => (await direct("GET", `/points-details?user_id=${ranac}&user_id_type=RANAC`)).json.availablePoints;
/** Transfers and adjustments that reached the sandbox so far. */
const writesSent = () => c.upstream().filter((l) => /^POST \/loyalty\/points-(transfers|adjustments) /.test(l)).length;
const refOf = reference;

for (const [name, faults, points] of [
  ["no fault", [], 11],
  ["a drop after the sandbox applied the write", ["drop-after"], 14],
  ["no answer after the write was applied (the worker's time limit)", ["hang-after"], 15],
  ["a drop after, then the history read fails too", ["drop-after"], 17],
]) {
  test(`${name}: exactly one transfer applied, the right answer`, async () => {
    const key = `t-${points}-${Date.now()}`;
    const ref = await refOf("alex", key);
    const [from, to] = [await balance(IDS.a1.ranac), await balance(IDS.a2.ranac)];
    await arm("/points-transfers", faults);
    if (name.includes("history")) await arm("/points-adjustments-details", ["500", "500", "500"]);
    let checking = 0;
    const result = await page().transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points }, { idempotencyKey: key, onChecking: () => checking++ });
    assert.ok(result.pointsTransferred === points || result.resolvedFromHistory === true, JSON.stringify(result));
    assert.equal((await applied(`[ref:${ref}]`)).length, 1, "exactly one transfer in the sandbox's history");
    assert.deepEqual([await balance(IDS.a1.ranac), await balance(IDS.a2.ranac)], [from - points, to + points]);
    if (faults.some((f) => f.endsWith("-after"))) assert.ok(checking > 0, "the page was told the outcome was being checked");
    // A later repeat of the same intent: the stored answer, nothing sent.
    const before = c.upstream().length;
    const again = await page().transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points }, { idempotencyKey: key });
    assert.deepEqual(again, result);
    assert.equal(c.upstream().length, before, "a done key calls nothing upstream");
    assert.equal((await applied(`[ref:${ref}]`)).length, 1);
  });
}

// A write whose body may have reached PAS is never sent again: the page hears "checking" until
// the reconciliation window (RECONCILE_FOR_S) ends with nothing in the history, then NOT_APPLIED.
for (const [name, faults] of [["a drop before the write", ["drop"]], ["a 500 before the write", ["500"]], ["no answer before the write (the worker's time limit)", ["hang"]]]) test(`${name}: sent once, never again; NOT_APPLIED after the window, and nothing applied`, async () => {
  const key = `once-${faults.join("-")}-${Date.now()}`;
  const [from, to] = [await balance(IDS.a1.ranac), await balance(IDS.a2.ranac)];
  const sentBefore = writesSent();
  await arm("/points-transfers", faults);
  let checking = 0;
  const e = await page(alex, { writeAttempts: 20 }).transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 18 }, { idempotencyKey: key, onChecking: () => checking++ }).then(() => assert.fail("resolved"), (x) => x);
  assert.deepEqual([e.status, e.reasonCode], [502, "NOT_APPLIED"]);
  assert.equal(e.idempotencyKey, key);
  assert.ok(checking > 0);
  // One send, whatever the page repeated (a request the sandbox held unanswered is not in its log).
  const sent = writesSent() - sentBefore;
  assert.ok(faults[0] === "hang" ? sent <= 1 : sent === 1, `${sent} sends`);
  assert.equal((await applied(`[ref:${await refOf("alex", key)}]`)).length, 0);
  assert.deepEqual([await balance(IDS.a1.ranac), await balance(IDS.a2.ranac)], [from, to]);
});

test("an adjustment with a drop after it was applied: applied once, resolved from the history", async () => {
  const key = `adj-${Date.now()}`;
  const start = await balance(IDS.a1.ranac);
  await arm("/points-adjustments", ["drop-after"]);
  const r = await page(agent).adjustPoints({ accountId: IDS.a1.ranac, points: 40, adjustmentTypeCode: "CR", adjustmentReason: "goodwill" }, { idempotencyKey: key });
  assert.equal(r.resolvedFromHistory, true);
  assert.equal(await balance(IDS.a1.ranac), start + 40);
  const entries = await applied(`[ref:${await refOf("agent-7", key)}]`);
  assert.equal(entries.length, 1);
  assert.ok(entries[0].adjustmentReason.startsWith("goodwill "), "the agent's reason, then the reference");
});

test("the same key with another body is 422, one in flight is 409, and neither sends anything", async () => {
  const key = `reuse-${Date.now()}`;
  await page().transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 5 }, { idempotencyKey: key });
  const before = c.upstream().length;
  const writesBefore = writesSent();
  const e = await page().transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 6 }, { idempotencyKey: key }).then(() => assert.fail("resolved"), (x) => x);
  assert.ok(e instanceof PointsApiError);
  assert.deepEqual([e.status, e.reasonCode], [422, "IDEMPOTENCY_KEY_REUSED"]);
  assert.equal(writesSent(), writesBefore, "the 422 sent nothing");
  // In flight: a slow upstream (the sandbox hangs until the worker's time limit) and a second caller.
  const slow = `slow-${Date.now()}`;
  await arm("/points-transfers", ["hang-after"]);
  const first = page().transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 7 }, { idempotencyKey: slow });
  await new Promise((ok) => setTimeout(ok, 300));
  const second = await page(alex, { writeAttempts: 1 }).transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 7 }, { idempotencyKey: slow }).then(() => assert.fail("resolved"), (x) => x);
  assert.deepEqual([second.status, second.reasonCode], [409, "REQUEST_IN_PROGRESS"]);
  await first;
  assert.equal((await applied(`[ref:${await refOf("alex", slow)}]`)).length, 1);
  assert.ok(c.upstream().length > before);
});

// A send's own answer is stored within half a second of leaving (user-writes.mjs, HOLD_MS),
// with the next stored transition or on its own.
test("a restart of workerd between a write and its repeat still gives the stored answer", async () => {
  const key = `restart-${Date.now()}`;
  const first = await page().transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 9 }, { idempotencyKey: key });
  await new Promise((ok) => setTimeout(ok, 800));
  const env = c.wk.env;
  await c.wk.stop();
  c.wk = await worker(env, NAME);
  const before = writesSent();
  const again = await page().transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 9 }, { idempotencyKey: key });
  assert.deepEqual(again, first);
  assert.equal(writesSent(), before, "no write sent after the restart (its entitlement lookup may be)");
  assert.equal((await applied(`[ref:${await refOf("alex", key)}]`)).length, 1);
});

test("workerd killed the moment a write was answered: the repeat never sends it again, and learns the truth from the history", async () => {
  const key = `killed-${Date.now()}`;
  await page().transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 8 }, { idempotencyKey: key });
  const env = c.wk.env;
  await c.wk.stop();
  c.wk = await worker(env, NAME);
  const before = writesSent();
  // The key is in flight until its lease (the upstream time limit + 10 s) ends, then resolved.
  const again = await page(alex, { writeAttempts: 20, maxDelayMs: 3000 }).transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 8 }, { idempotencyKey: key });
  assert.ok(again.pointsTransferred === 8, JSON.stringify(again));
  assert.equal(writesSent(), before, "no write sent after the restart");
  assert.equal((await applied(`[ref:${await refOf("alex", key)}]`)).length, 1);
});

test("per-user write rate limit: 429 RATE_LIMITED with Retry-After, other users unaffected", async () => {
  const limited = await workerChain({ env: { ...ENV, WRITE_RATE_LIMIT: "2", WRITE_RATE_WINDOW_S: "60" } });
  try {
    const t = await token(limited.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
    const api = new PointsWorkerClient({ baseUrl: limited.wk.base, token: t, retry: { maxDelayMs: 100 } });
    const move = () => api.transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 1 });
    await move();
    await move();
    const e = await move().then(() => assert.fail("resolved"), (x) => x);
    assert.deepEqual([e.status, e.reasonCode], [429, "RATE_LIMITED"]);
    const raw = await limited.call("POST", "/api/transfers", { bearer: t, body: { fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 1 } });
    assert.equal(raw.status, 429);
    assert.ok(Number(raw.headers.get("retry-after")) >= 1);
    const sam = await token(limited.key, { sub: "sam", role: "consumer", bcn: IDS.customerB.bcn });
    assert.equal((await limited.call("GET", "/api/me", { bearer: sam })).status, 200, "another user has a budget of their own");
  } finally {
    await limited.stop();
  }
});
