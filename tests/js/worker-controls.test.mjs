// The controls a bank's review asks of the worker, through workerd + the sandbox (a loopback
// relay between them where a delay or a gateway's answer is needed): a late write applied once
// whatever RESOLVE_BY_REASON says, budgets, four-eyes approvals, ceilings, the audit of staff
// access, card numbers in any spelling, and nothing of the gateway's or the caller's where it
// does not belong.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { workerChain, token } from "./worker-support.mjs";
import { IDS, directCaller } from "./sandbox-support.mjs";

const chains = [];
after(async () => Promise.all(chains.map((c) => c.stop())));
/** A chain that is stopped after the suite. */
async function chainOf(options) {
  const c = await workerChain(options);
  chains.push(c);
  return c;
}
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const reasonOf = async (res) => (await res.json()).Errors.Error[0].ReasonCode;
const TRANSFER = "POST /loyalty/points-transfers";
const balance = async (direct, ranac) => (await direct("GET", `/points-details?user_id=${ranac}&user_id_type=RANAC`)).json.availablePoints;
const historyOf = async (direct, ranac) => (await direct("GET", `/points-adjustments-details?user_id=${ranac}&user_id_type=RANAC`)).json.adjustments;
/** Writes that reached the sandbox itself (its own log). */
const writesAt = (c) => c.upstream().filter((l) => /^POST \/loyalty\/points-(transfers|adjustments) /.test(l)).length;

// The late write: held by the relay past the worker's time limit and settling, then delivered.
const LATE = { UPSTREAM_TIMEOUT_MS: "1000", SETTLE_MS: "300" };
const HOLD_MS = 3500;

async function lateTransfer(c, key, points) {
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  const direct = await directCaller(c.sb);
  const before = [await balance(direct, IDS.a1.ranac), await balance(direct, IDS.a2.ranac)];
  c.relay.next(TRANSFER, { holdMs: HOLD_MS });
  const send = () => c.call("POST", "/api/transfers", { bearer: alex, headers: { "idempotency-key": key }, body: { fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points } });
  const started = Date.now();
  const first = await send();
  return { alex, direct, before, send, started, first };
}

for (const resolve of ["on", "off"]) {
  test(`a write delivered after every time limit is applied once (RESOLVE_BY_REASON=${resolve}), and a repeat then tells the truth`, async () => {
    const c = await chainOf({ relay: true, env: { ...LATE, RESOLVE_BY_REASON: resolve } });
    const { direct, before, send, started, first } = await lateTransfer(c, `late-${resolve}-key`, 100);
    if (resolve === "on") {
      assert.equal(first.status, 503);
      assert.equal(await reasonOf(first), "OUTCOME_PENDING");
      assert.ok(Number(first.headers.get("retry-after")) >= 1);
    } else {
      assert.deepEqual([first.status, await reasonOf(first)], [502, "OUTCOME_UNKNOWN"]);
    }
    // Repeats while PAS is still holding it: never a second send.
    for (let i = 0; i < 4; i++) {
      await sleep(400);
      const again = await send();
      assert.ok([502, 503].includes(again.status), `repeat ${i}: ${again.status}`);
    }
    await sleep(Math.max(0, started + HOLD_MS + 500 - Date.now()));
    assert.equal(c.relay.seen.filter((s) => s.key === TRANSFER).length, 1, "the write left the worker once");
    assert.deepEqual([await balance(direct, IDS.a1.ranac), await balance(direct, IDS.a2.ranac)], [before[0] - 100, before[1] + 100], "100 points moved, once");
    if (resolve === "on") {
      // Once the history shows it (a repeat's check), the stored answer: applied.
      let last;
      for (let i = 0; i < 20 && (!last || last.status === 503); i++) {
        last = await send();
        if (last.status === 503) await sleep(300);
      }
      assert.equal(last.status, 200);
      const body = await last.json();
      assert.deepEqual([body.pointsTransferred, body.resolvedFromHistory], [100, true]);
    } else {
      const final = await send();
      assert.deepEqual([final.status, await reasonOf(final)], [502, "OUTCOME_UNKNOWN"], "said once, said again");
    }
    assert.equal(c.relay.seen.filter((s) => s.key === TRANSFER).length, 1);
  });
}

test("a pending write nobody repeats is resolved by the Durable Object's alarm, and audited", async () => {
  const c = await chainOf({ relay: true, env: LATE });
  const { send, first } = await lateTransfer(c, "late-alarm-key", 40);
  assert.equal(first.status, 503);
  // Nobody asks: the alarm reads the history (at 1 s, 2 s, 4 s… after the send's end).
  const deadline = Date.now() + 20_000;
  let line;
  while (!line && Date.now() < deadline) {
    await sleep(250);
    line = c.wk.audits().find((a) => a.outcome === "RESOLVED_APPLIED" && a.via === "reconciliation");
  }
  assert.ok(line, "the reconciliation is in the audit log");
  assert.deepEqual([line.user, line.route, line.points], ["alex", "POST /api/transfers", 40]);
  const seenBefore = c.relay.seen.length;
  const done = await send();
  assert.equal(done.status, 200);
  assert.equal(done.headers.get("idempotent-replayed"), "true");
  assert.equal((await done.json()).resolvedFromHistory, true);
  const after = c.relay.seen.slice(seenBefore).map((s) => s.key);
  assert.ok(!after.includes(TRANSFER) && !after.includes("GET /loyalty/points-adjustments-details"), `no write, no history read: ${after}`);
});

test("a write that lands after the page was told NOT_APPLIED is recorded: the key's answer corrected, an audit line", async () => {
  const c = await chainOf({ relay: true, env: { ...LATE, RECONCILE_FOR_S: "1" } });
  const { direct, before, send, first } = await lateTransfer(c, "late-after-window", 30);
  assert.equal(first.status, 503);
  // The window (1 s) ends with the history still empty: NOT_APPLIED. Until then the key answers
  // "still checking" (503), or 409 REQUEST_IN_PROGRESS while the worker's own check of the
  // history holds it: both are asked again, as PointsWorkerClient does.
  let told;
  for (let i = 0; i < 20; i++) {
    await sleep(300);
    told = await send();
    if (told.status !== 503 && told.status !== 409) break;
  }
  assert.deepEqual([told.status, await reasonOf(told)], [502, "NOT_APPLIED"]);
  // Then PAS applies it after all: the late watch finds it.
  const deadline = Date.now() + 20_000;
  let line;
  while (!line && Date.now() < deadline) {
    await sleep(250);
    line = c.wk.audits().find((a) => a.outcome === "LATE_APPLIED");
  }
  assert.ok(line, "LATE_APPLIED in the audit log");
  assert.equal(await balance(direct, IDS.a1.ranac), before[0] - 30);
  const now = await send();
  assert.equal(now.status, 200, "the key now answers what happened");
  assert.equal((await now.json()).pointsTransferred, 30);
});

test("budgets: the 31st read and the 11th search in a minute are 429 with Retry-After, and reach nothing upstream", async () => {
  const c = await chainOf({ env: { READ_RATE_LIMIT: "30", SEARCH_RATE_LIMIT: "10", WRITE_RATE_LIMIT: "3" } });
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  const agent = await token(c.key, { sub: "agent-1", role: "agent" });
  for (let i = 0; i < 30; i++) assert.equal((await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: alex })).status, 200, `read ${i + 1}`);
  let lines = c.upstream().length;
  const over = await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: alex });
  assert.deepEqual([over.status, await reasonOf(over)], [429, "RATE_LIMITED"]);
  assert.ok(Number(over.headers.get("retry-after")) >= 1);
  assert.equal(c.upstream().length, lines, "nothing upstream");
  // Another user's budget is their own.
  const sam = await token(c.key, { sub: "sam", role: "consumer", bcn: IDS.customerB.bcn });
  assert.equal((await c.call("GET", "/api/points-details", { bearer: sam })).status, 200);
  for (let i = 0; i < 10; i++) assert.equal((await c.call("POST", "/api/agent/search", { bearer: agent, body: { userId: IDS.a1.ban, userIdType: "BAN" } })).status, 200, `search ${i + 1}`);
  lines = c.upstream().length;
  const eleventh = await c.call("POST", "/api/agent/search", { bearer: agent, body: { userId: IDS.a2.ban, userIdType: "BAN" } });
  assert.deepEqual([eleventh.status, await reasonOf(eleventh)], [429, "RATE_LIMITED"]);
  assert.equal(c.upstream().length, lines);
  // An agent's refused writes spend the write budget too.
  for (let i = 0; i < 3; i++) assert.equal((await c.call("POST", "/api/agent/adjustments", { bearer: agent, body: { accountId: IDS.a1.ranac, points: 0, adjustmentTypeCode: "CR", adjustmentReason: "x" } })).status, 400);
  const fourth = await c.call("POST", "/api/agent/adjustments", { bearer: agent, body: { accountId: IDS.a1.ranac, points: 5, adjustmentTypeCode: "CR", adjustmentReason: "x" } });
  assert.equal(fourth.status, 429);
});

test("ceilings: one adjustment above ADJUSTMENT_MAX_POINTS, and an agent's day above AGENT_DAILY_MAX_POINTS, are 422 LIMIT_EXCEEDED", async () => {
  const c = await chainOf({ env: { AGENT_DAILY_MAX_POINTS: "1500", APPROVAL_THRESHOLD_POINTS: "100000" } });
  const agent = await token(c.key, { sub: "agent-1", role: "agent" });
  const adjust = (points, reason = "goodwill") => c.call("POST", "/api/agent/adjustments", { bearer: agent, body: { accountId: IDS.a1.ranac, points, adjustmentTypeCode: "CR", adjustmentReason: reason } });
  const writes = writesAt(c);
  for (const points of [9_000_000_000_000_000, 10_001]) {
    const r = await adjust(points);
    assert.deepEqual([r.status, await reasonOf(r)], [422, "LIMIT_EXCEEDED"], String(points));
  }
  assert.equal((await adjust(900)).status, 200);
  const over = await adjust(700);
  assert.deepEqual([over.status, await reasonOf(over)], [422, "LIMIT_EXCEEDED"], "900 + 700 > 1500 in one UTC day");
  assert.equal((await adjust(600)).status, 200, "900 + 600 = 1500 is within it");
  assert.equal(writesAt(c), writes + 2, "only the two within the ceilings were sent");
});

test("four eyes: above the threshold a second agent approves; nobody approves their own; approving twice sends once; rejections and expiry", async () => {
  const c = await chainOf({ env: { APPROVAL_TTL_S: "3" } });
  const direct = await directCaller(c.sb);
  const [ann, bob] = await Promise.all(["agent-ann", "agent-bob"].map((sub) => token(c.key, { sub, role: "agent" })));
  const start = await balance(direct, IDS.a1.ranac);
  const writes = writesAt(c);
  const asked = await c.call("POST", "/api/agent/adjustments", { bearer: ann, headers: { "idempotency-key": "ask-5000-1" }, body: { accountId: IDS.a1.ranac, points: 5000, adjustmentTypeCode: "CR", adjustmentReason: "complaint 77" } });
  assert.equal(asked.status, 202);
  const { approvalId, status } = await asked.json();
  assert.equal(status, "PENDING_APPROVAL");
  assert.equal(writesAt(c), writes, "nothing sent before the second agent");
  const again = await c.call("POST", "/api/agent/adjustments", { bearer: ann, headers: { "idempotency-key": "ask-5000-1" }, body: { accountId: IDS.a1.ranac, points: 5000, adjustmentTypeCode: "CR", adjustmentReason: "complaint 77" } });
  assert.equal((await again.json()).approvalId, approvalId, "a repeat finds the same request");
  const listed = await (await c.call("GET", "/api/agent/approvals", { bearer: bob })).json();
  const mine = listed.approvals.find((a) => a.approvalId === approvalId);
  assert.deepEqual([mine.points, mine.requestedBy, mine.accountLastFour, mine.accountId], [5000, "agent-ann", IDS.a1.ban.slice(-4), IDS.a1.ranac]);
  const decide = (bearer, id, decision) => c.call("POST", `/api/agent/approvals/${id}`, { bearer, body: { decision } });
  const own = await decide(ann, approvalId, "approve");
  assert.deepEqual([own.status, await reasonOf(own)], [403, "FORBIDDEN"]);
  const consumer = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  assert.equal((await decide(consumer, approvalId, "approve")).status, 403);
  const ok = await decide(bob, approvalId, "approve");
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).pointsAdjusted, 5000);
  const twice = await decide(bob, approvalId, "approve");
  assert.equal((await twice.json()).pointsAdjusted, 5000);
  assert.equal((await decide(bob, approvalId, "reject")).status, 409);
  assert.equal(writesAt(c), writes + 1, "exactly one adjustment");
  assert.equal(await balance(direct, IDS.a1.ranac), start + 5000);
  const entry = (await historyOf(direct, IDS.a1.ranac)).find((e) => e.adjustmentReason.startsWith("complaint 77"));
  assert.equal(entry.adjustedBy, "agent-ann", "the requester's adjustment");
  const line = c.wk.audits().find((a) => a.approvalId === approvalId && a.status === 200);
  assert.deepEqual([line.user, line.requestedBy, line.approvedBy, line.target.lastFour], ["agent-bob", "agent-ann", "agent-bob", IDS.a1.ban.slice(-4)]);
  // A rejection sends nothing; a request left alone expires.
  const ask = async (key) => (await (await c.call("POST", "/api/agent/adjustments", { bearer: ann, headers: { "idempotency-key": key }, body: { accountId: IDS.a1.ranac, points: 2000, adjustmentTypeCode: "CR", adjustmentReason: "r" } })).json()).approvalId;
  const rid = await ask("ask-2000-rej");
  const rejected = await decide(bob, rid, "reject");
  assert.deepEqual(await rejected.json(), { approvalId: rid, status: "REJECTED" });
  const late = await ask("ask-2000-exp");
  await sleep(3200);
  const expired = await decide(bob, late, "approve");
  assert.deepEqual([expired.status, await reasonOf(expired)], [410, "APPROVAL_EXPIRED"]);
  assert.equal(writesAt(c), writes + 1);
});

test("staff access is audited: an agent's search, read and history read each leave a line, with no card number in any log", async () => {
  const c = await chainOf({});
  const agent = await token(c.key, { sub: "agent-9", role: "agent" });
  const correlation = "3b9f6c1e-2d4a-4f8b-9c7d-5e6f7a8b9c0d";
  const found = await c.call("POST", "/api/agent/search", { bearer: agent, body: { userId: IDS.a1.ban, userIdType: "BAN" }, headers: { "x-correlation-id": correlation } });
  assert.equal(found.status, 200);
  assert.equal((await c.call("GET", `/api/points-details?customerId=${IDS.customerA.rancu}`, { bearer: agent })).status, 200);
  assert.equal((await c.call("GET", `/api/points-adjustments?accountId=${IDS.a1.ranac}`, { bearer: agent })).status, 200);
  await sleep(200);
  const lines = c.wk.audits().filter((a) => a.user === "agent-9");
  const search = lines.find((a) => a.route === "POST /api/agent/search");
  assert.deepEqual([search.role, search.target.type, search.target.id, search.target.lastFour, search.correlationId, search.outcome], ["agent", "customer", IDS.customerA.rancu, IDS.a1.ban.slice(-4), correlation, "OK"]);
  assert.ok(lines.find((a) => a.route === "GET /api/points-details" && a.target.id === IDS.customerA.rancu), JSON.stringify(lines));
  // The account's reference identifies it (its last four are named where a lookup gave them).
  assert.ok(lines.find((a) => a.route === "GET /api/points-adjustments" && a.target.type === "account" && a.target.id === IDS.a1.ranac));
  // A consumer's reads are not audited by default (AUDIT_READS=staff).
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  await c.call("GET", "/api/points-details", { bearer: alex });
  await sleep(200);
  assert.equal(c.wk.audits().filter((a) => a.user === "alex").length, 0);
  const logs = c.wk.logs.join("\n");
  for (const n of [IDS.a1.ban, IDS.a2.ban, IDS.b1.ban]) assert.ok(!logs.includes(n), "no card number in the worker's log");
});

test("AUDIT_READS=all audits consumers' reads too", async () => {
  const c = await chainOf({ env: { AUDIT_READS: "all" } });
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: alex });
  await sleep(200);
  const line = c.wk.audits().find((a) => a.user === "alex" && a.route === "GET /api/points-details");
  assert.deepEqual([line.target.type, line.target.id, line.status], ["account", IDS.a1.ranac, 200]);
});

test("card numbers with any separator or in fullwidth are refused in agents' reasons and masked in responses", async () => {
  const c = await chainOf({});
  const agent = await token(c.key, { sub: "agent-1", role: "agent" });
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  const spellings = ["5454 5454 5454 5454", "5454-5454-5454-5454", "5454.5454.5454.5454", "5454/5454/5454/5454", "5454_5454_5454_5454", "5454·5454·5454·5454", "５４５４５４５４５４５４５４５４", "4000 0566 5566 5556"];
  const writes = writesAt(c);
  for (const s of spellings) {
    const r = await c.call("POST", "/api/agent/adjustments", { bearer: agent, body: { accountId: IDS.a1.ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: `card ${s} disputed` } });
    // The answer's text in the message: a status other than 400 says why.
    const text = await r.text();
    assert.equal(r.status, 400, `${s}: ${text}`);
    assert.equal(JSON.parse(text).Errors.Error[0].Details, "adjustmentReason");
  }
  assert.equal(writesAt(c), writes, "none reached PAS");
  // Stored some other way (straight at the sandbox), they are masked on the way out.
  const direct = await directCaller(c.sb);
  for (const s of spellings) {
    const r = await direct("POST", "/points-adjustments", { bankAccountNumber: IDS.a1.ban, pointsToAdjust: 1, adjustmentTypeCode: "CR", adjustmentReason: `legacy ${s}`, adjustedBy: "batch" });
    assert.equal(r.status, 200, JSON.stringify(r.json));
  }
  const text = await (await c.call("GET", `/api/points-adjustments?accountId=${IDS.a1.ranac}`, { bearer: alex })).text();
  for (const s of spellings) assert.ok(!text.includes(s), `${s} reached the page`);
  const reasons = JSON.parse(text).adjustments.map((e) => e.adjustmentReason).filter((r) => r.startsWith("legacy "));
  assert.equal(reasons.length, spellings.length);
  assert.ok(reasons.includes("legacy 5454-****-****-5454"), reasons.join(" | "));
  assert.ok(reasons.includes("legacy 4000 **** **** 5556"));
});

test("consumers see staff as \"customer service\", never the agent's sub; their own changes by their own", async () => {
  const c = await chainOf({});
  const agent = await token(c.key, { sub: "ann@bank.example", role: "agent" });
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  assert.equal((await c.call("POST", "/api/agent/adjustments", { bearer: agent, body: { accountId: IDS.a1.ranac, points: 3, adjustmentTypeCode: "CR", adjustmentReason: "goodwill" } })).status, 200);
  assert.equal((await c.call("POST", "/api/transfers", { bearer: alex, body: { fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 2 } })).status, 200);
  const text = await (await c.call("GET", `/api/points-adjustments?accountId=${IDS.a1.ranac}`, { bearer: alex })).text();
  assert.ok(!text.includes("ann@bank.example"));
  const by = JSON.parse(text).adjustments.map((e) => e.adjustedBy);
  assert.ok(by.includes("customer service") && by.includes("alex"), by.join(","));
  // Staff still see who did what.
  const staff = await (await c.call("GET", `/api/points-adjustments?accountId=${IDS.a1.ranac}`, { bearer: agent })).json();
  assert.ok(staff.adjustments.some((e) => e.adjustedBy === "ann@bank.example"));
});

test("the gateway's refusal of the worker's credentials is 502 UPSTREAM_AUTH_FAILED: its text and the consumer key only in the server log", async () => {
  const c = await chainOf({ relay: true });
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  await c.call("GET", "/api/me", { bearer: alex });
  const consumerKey = c.sb.keys.consumerKey;
  const gatewayText = `OAuth signatures did not match. Acceptable signature base string: GET&http%3A%2F%2Fsandbox%2Floyalty%2Fpoints-details&oauth_consumer_key%3D${encodeURIComponent(consumerKey)}`;
  for (const status of [401, 403]) {
    c.relay.next("GET /loyalty/points-details", { status, body: { Errors: { Error: [{ Source: "Gateway", ReasonCode: "AUTHENTICATION_FAILED", Description: gatewayText, Recoverable: false, Details: null }] } } });
    c.relay.next("GET /loyalty/points-details", { status, body: { Errors: { Error: [{ Source: "Gateway", ReasonCode: "AUTHENTICATION_FAILED", Description: gatewayText, Recoverable: false, Details: null }] } } });
    c.relay.next("GET /loyalty/points-details", { status, body: { Errors: { Error: [{ Source: "Gateway", ReasonCode: "AUTHENTICATION_FAILED", Description: gatewayText, Recoverable: false, Details: null }] } } });
    const r = await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: alex });
    const text = await r.text();
    assert.equal(r.status, 502);
    assert.equal(JSON.parse(text).Errors.Error[0].ReasonCode, "UPSTREAM_AUTH_FAILED");
    assert.ok(!text.includes(consumerKey) && !text.includes("base string") && !text.includes("oauth"), text);
  }
  await sleep(200);
  const logged = c.wk.logs.filter((l) => l.includes("refused the worker's credentials"));
  assert.ok(logged.length >= 2 && logged.every((l) => l.includes("[consumer key]") && !l.includes(consumerKey)), logged.join("\n"));
});

test("x-correlation-id: a caller's UUID is kept; anything else is replaced, and reaches neither Mastercard nor the audit log", async () => {
  const c = await chainOf({ relay: true });
  const agent = await token(c.key, { sub: "agent-1", role: "agent" });
  const uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
  const kept = await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: agent, headers: { "x-correlation-id": uuid.toUpperCase() } });
  assert.equal(kept.headers.get("x-correlation-id"), uuid);
  const evil = "card-5454545454545454";
  const replaced = await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: agent, headers: { "x-correlation-id": evil } });
  const id = replaced.headers.get("x-correlation-id");
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  await sleep(200);
  assert.ok(c.wk.audits().some((a) => a.correlationId === id));
  assert.ok(!c.wk.logs.join("\n").includes("5454545454545454"));
  // The transfer's reason holds only the worker's own text.
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  assert.equal((await c.call("POST", "/api/transfers", { bearer: alex, headers: { "x-correlation-id": evil }, body: { fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 1 } })).status, 200);
  const direct = await directCaller(c.sb);
  const reasons = (await historyOf(direct, IDS.a1.ranac)).map((e) => e.adjustmentReason);
  assert.ok(reasons.every((r) => !r.includes("card-")), reasons.join(" | "));
});

test("upstream Retry-After on 429 and 503 reaches the page", async () => {
  const c = await chainOf({ relay: true });
  const agent = await token(c.key, { sub: "agent-1", role: "agent" });
  for (const status of [429, 503]) {
    // Longer than the worker's client waits (its maxDelayMs): the read gives up at once and says when to come back.
    c.relay.next("GET /loyalty/points-details", { status, headers: { "retry-after": "120" }, body: { Errors: { Error: [{ Source: "Service", ReasonCode: "BUSY", Description: "busy", Recoverable: true, Details: null }] } } });
    const r = await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: agent });
    assert.equal(r.status, status);
    assert.equal(r.headers.get("retry-after"), "120");
  }
});

test("a read the runtime repeats with the same nonce (the gateway refuses the replay) is signed afresh and succeeds", async () => {
  const c = await chainOf({ relay: true });
  const agent = await token(c.key, { sub: "agent-1", role: "agent" });
  c.relay.next("GET /loyalty/points-details", { twice: true });
  const before = c.relay.seen.length;
  const r = await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: agent });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await r.json()).level, "ACCOUNT");
  const gets = c.relay.seen.slice(before).filter((s) => s.key === "GET /loyalty/points-details");
  assert.equal(gets.length, 2, "the replayed attempt, then one signed afresh");
  const nonce = (a) => /oauth_nonce="([^"]+)"/.exec(a)[1];
  assert.notEqual(nonce(gets[0].authorization), nonce(gets[1].authorization));
});

test("four eyes, repeated: a repeat of a request or of a decision replays and spends no budget; an adjustment the service refuses closes its request", async () => {
  const c = await chainOf({ env: { WRITE_RATE_LIMIT: "3" } });
  const [ann, bob] = await Promise.all(["agent-ann", "agent-bob"].map((sub) => token(c.key, { sub, role: "agent" })));
  const body = { accountId: IDS.a1.ranac, points: 9000, adjustmentTypeCode: "DR", adjustmentReason: "chargeback" };
  const ask = () => c.call("POST", "/api/agent/adjustments", { bearer: ann, headers: { "idempotency-key": "ask-dr-9000" }, body });
  const first = await ask();
  assert.equal(first.status, 202);
  const { approvalId } = await first.json();
  for (let i = 0; i < 5; i++) {
    const again = await ask();
    assert.equal(again.status, 202, `repeat ${i}`);
    assert.equal((await again.json()).approvalId, approvalId);
  }
  // The service refuses the debit (more points than the account holds): the request is closed.
  const decide = (decision) => c.call("POST", `/api/agent/approvals/${approvalId}`, { bearer: bob, body: { decision } });
  const refused = await decide("approve");
  assert.equal(refused.status, 422);
  for (let i = 0; i < 5; i++) assert.equal((await decide("approve")).status, 422, "the refusal replays, free");
  const closed = await decide("reject");
  assert.deepEqual([closed.status, await reasonOf(closed)], [409, "ALREADY_DECIDED"]);
  const listed = await (await c.call("GET", "/api/agent/approvals", { bearer: bob })).json();
  assert.ok(!listed.approvals.some((a) => a.approvalId === approvalId), "no longer waiting");
  // Bob's budget (3) was spent by the first decision and the refused reject only.
  const other = await c.call("POST", "/api/agent/adjustments", { bearer: bob, body: { accountId: IDS.a1.ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: "x" } });
  assert.equal(other.status, 200);
  assert.equal((await c.call("POST", "/api/agent/adjustments", { bearer: bob, body: { accountId: IDS.a1.ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: "x" } })).status, 429);
});

test("card numbers in type codes and behind letters or fillers refused; a known key with another body refused before any lookup; four eyes across subject spellings and split credits; open requests capped; an answered approval replays with nothing upstream", async () => {
  const c = await chainOf({});
  const [ann, bob, annUpper] = await Promise.all(["agent-ann", "agent-bob", "AGENT-ANN"].map((sub) => token(c.key, { sub, role: "agent" })));
  const adjust = (bearer, body, key) => c.call("POST", "/api/agent/adjustments", { bearer, body: { accountId: IDS.a2.ranac, adjustmentTypeCode: "CR", adjustmentReason: "goodwill", ...body }, headers: key ? { "idempotency-key": key } : {} });
  let lines = c.upstream().length;
  for (const body of [{ points: 5, adjustmentTypeCode: "5555444433332222" }, ...["\u3164", "\uffa0", "\u30fc", "\u0640", "\ua78f", "\u2800", "\u4e00", "x"].map((ch) => ({ points: 5, adjustmentReason: `card 5555${ch}4444${ch}3333${ch}2222` }))]) {
    const r = await adjust(ann, body);
    assert.equal(r.status, 400, JSON.stringify(body));
  }
  assert.deepEqual(c.upstream().slice(lines), [], "refused before any lookup");
  // A known key with another body: 422 at once, no lookup.
  assert.equal((await adjust(ann, { points: 5 }, "known-key-1")).status, 200);
  lines = c.upstream().length;
  for (let i = 0; i < 5; i++) assert.equal((await adjust(ann, { points: 6 + i }, "known-key-1")).status, 422);
  const replay = await adjust(ann, { points: 5 }, "known-key-1");
  assert.equal(replay.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(c.upstream().slice(lines), [], "neither the reuse nor the repeat looked anything up");
  // Split credits: the agent's day on one account above the threshold (1000) needs a second agent.
  assert.equal((await adjust(bob, { points: 1000, accountId: IDS.b1.ranac })).status, 200);
  const split = await adjust(bob, { points: 1000, accountId: IDS.b1.ranac });
  assert.equal(split.status, 202, "the second 1000 on the same account waits for approval");
  const { approvalId } = await split.json();
  // The requester under another spelling of their subject is still the requester.
  const self = await c.call("POST", `/api/agent/approvals/${approvalId}`, { bearer: await token(c.key, { sub: "AGENT-BOB", role: "agent" }), body: { decision: "approve" } });
  assert.equal(self.status, 403);
  const ok = await c.call("POST", `/api/agent/approvals/${approvalId}`, { bearer: ann, body: { decision: "approve" } });
  assert.equal(ok.status, 200);
  lines = c.upstream().length;
  const again = await c.call("POST", `/api/agent/approvals/${approvalId}`, { bearer: annUpper, body: { decision: "approve" } });
  assert.equal(again.status, 200);
  assert.equal(again.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(c.upstream().slice(lines), [], "the kept answer: no lookup, no send");
  // Twenty requests waiting at most per agent.
  for (let i = 0; i < 20; i++) assert.equal((await adjust(ann, { points: 2000 + i }, `open-${i}-key`)).status, 202);
  const over = await adjust(ann, { points: 3000 }, "open-21-key");
  assert.deepEqual([over.status, await reasonOf(over)], [422, "LIMIT_EXCEEDED"]);
});

test("a read over budget sends nothing, not even the entitlement lookup of a user not yet cached, nor a retry of it later", async () => {
  const c = await chainOf({ env: { READ_RATE_LIMIT: "1" } });
  const fresh = await token(c.key, { sub: "cold-user", role: "consumer", bcn: IDS.customerA.bcn });
  const lines = c.upstream().length;
  // The one unit goes on a malformed query (refused without any lookup).
  assert.equal((await c.call("GET", "/api/points-details?foo=1", { bearer: fresh })).status, 400);
  const over = await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: fresh });
  assert.deepEqual([over.status, await reasonOf(over)], [429, "RATE_LIMITED"]);
  // Longer than the client's retries would wait.
  await sleep(1500);
  assert.deepEqual(c.upstream().slice(lines), [], "nothing reached the sandbox");
});

test("a caller's correlation id names no hold: a refused read bars nothing of a later write under the same id; a decision over budget is not taken", async () => {
  const c = await chainOf({ env: { READ_RATE_LIMIT: "1", WRITE_RATE_LIMIT: "1" } });
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  const same = { "x-correlation-id": "7d444840-9dc0-11d1-b245-5ffdce74fad2" };
  assert.equal((await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: alex, headers: same })).status, 200);
  assert.equal((await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: alex, headers: same })).status, 429);
  const moved = await c.call("POST", "/api/transfers", { bearer: alex, headers: same, body: { fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 1 } });
  assert.equal(moved.status, 200, await moved.clone().text());
  // Four eyes: the decider's budget is spent before the decision is taken.
  const [ann, bob] = await Promise.all(["agent-ann", "agent-bob"].map((sub) => token(c.key, { sub, role: "agent" })));
  const asked = await c.call("POST", "/api/agent/adjustments", { bearer: ann, body: { accountId: IDS.a1.ranac, points: 5000, adjustmentTypeCode: "CR", adjustmentReason: "r" } });
  const { approvalId } = await asked.json();
  assert.equal((await c.call("POST", "/api/agent/search", { bearer: bob, body: { userId: "4000000000000002", userIdType: "BAN" } })).status, 404);
  assert.ok(!c.wk.audits().some((a) => a.route === "POST /api/agent/search" && a.target), "a number that matched nothing names no target");
  assert.equal((await c.call("POST", "/api/agent/adjustments", { bearer: bob, body: { accountId: IDS.a1.ranac, points: 0, adjustmentTypeCode: "CR", adjustmentReason: "r" } })).status, 400, "spends bob's one write");
  const over = await c.call("POST", `/api/agent/approvals/${approvalId}`, { bearer: bob, body: { decision: "reject" } });
  assert.equal(over.status, 429);
  const listed = await (await c.call("GET", "/api/agent/approvals", { bearer: ann })).json();
  assert.ok(listed.approvals.some((a) => a.approvalId === approvalId), "still waiting: the refused decision was not taken");
});
