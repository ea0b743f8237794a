// PointsWorkerClient (points-activity/worker-client), the page's client of the worker: the
// package as built (pkg/npm), against workerd + the sandbox, and against injected faults.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { workerChain, token } from "./worker-support.mjs";
import { IDS } from "./sandbox-support.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const wc = await import(pathToFileURL(join(root, "pkg", "npm", "web", "worker-client.js")).href);
const glue = await import(pathToFileURL(join(root, "pkg", "npm", "web", "points_activity.js")).href);
const { PointsWorkerClient } = wc;

let c;
let alex;
let agent;
before(async () => {
  c = await workerChain();
  alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  agent = await token(c.key, { sub: "agent-7", role: "agent" });
});
after(async () => c && c.stop());

const fails = (p) => p.then((v) => assert.fail(`resolved: ${JSON.stringify(v)}`), (e) => e);
const client = (extra) => new PointsWorkerClient({ baseUrl: c.wk.base, token: alex, retry: { baseDelayMs: 1, maxDelayMs: 50 }, ...extra });

test("a consumer's own reads and transfer, and the worker's refusals as PointsApiError", async () => {
  const api = client();
  const me = await api.me();
  assert.equal(me.role, "consumer");
  assert.deepEqual(me.accounts.map((a) => a.accountLastFour), ["2222", "1111"]);
  const own = await api.getPointsDetails();
  assert.equal(own.level, "CUSTOMER");
  const exp = await api.getPointsExpirations({ accountId: IDS.a1.ranac });
  assert.equal(typeof exp.lifetimePointsExpired, "number");
  const t = await api.transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 3 });
  assert.equal(t.pointsTransferred, 3);
  const e = await fails(api.getPointsAdjustments({ accountId: IDS.b1.ranac }));
  assert.ok(e instanceof wc.PointsApiError && e instanceof glue.PointsError, "the package's own classes");
  assert.deepEqual([e.status, e.reasonCode, e.source, e.code], [403, "FORBIDDEN", "worker", "ERR_API"]);
  const agentOnly = await fails(api.adjustPoints({ accountId: IDS.a1.ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: "x" }));
  assert.equal(agentOnly.status, 403);
});

test("an agent's lookup by card number and adjustment", async () => {
  const api = client({ token: async () => agent });
  const found = await api.searchUsers({ userId: IDS.b1.ban, userIdType: "BAN" });
  assert.equal(found.userReferences[0].customerId, IDS.customerB.rancu);
  const adj = await api.adjustPoints({ accountId: IDS.b1.ranac, points: 2, adjustmentTypeCode: "CR", adjustmentReason: "goodwill" });
  assert.equal(adj.pointsAdjusted, 2);
});

test("bad input is a PointsValidationError naming the field, and nothing is sent", async () => {
  let sent = 0;
  const api = client({ fetch: (...a) => { sent++; return fetch(...a); } });
  const cases = [
    [() => api.transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 0 }), "points"],
    [() => api.transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a1.ranac, points: 1 }), "toAccountId"],
    [() => api.transferPoints({ fromAccountId: "a/b", toAccountId: IDS.a2.ranac, points: 1 }), "fromAccountId"],
    [() => api.transferPoints(null), "input"],
    [() => api.transferPoints({ get fromAccountId() { throw new Error("boom"); } }), "fromAccountId"],
    [() => api.getPointsDetails({ accountId: "1", customerId: "2" }), "target"],
    [() => api.searchUsers({ userId: "12ab", userIdType: "BAN" }), "userId"],
    [() => api.searchUsers({ userId: "1", userIdType: "PAN" }), "userIdType"],
    [() => api.adjustPoints({ accountId: "1", points: 1, adjustmentTypeCode: "C R", adjustmentReason: "x" }), "adjustmentTypeCode"],
    [() => api.adjustPoints({ accountId: "1", points: 1, adjustmentTypeCode: "CR", adjustmentReason: "x".repeat(256) }), "adjustmentReason"],
    [() => api.me({ signal: { aborted: false } }), "signal"],
  ];
  for (const [call, field] of cases) {
    const e = await fails(call());
    assert.ok(e instanceof wc.PointsValidationError, `${field}: ${e}`);
    assert.equal(e.field, field);
  }
  // The same checks without sending, for a page to run before it asks to confirm.
  const checks = [
    [() => api.checkTransfer({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 0 }), "points"],
    [() => api.checkTransfer({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a1.ranac, points: 1 }), "toAccountId"],
    [() => api.checkAdjustment({ accountId: "1", points: 1, adjustmentTypeCode: "C R", adjustmentReason: "x" }), "adjustmentTypeCode"],
    [() => api.checkAdjustment({ accountId: "1", points: "abc", adjustmentTypeCode: "CR", adjustmentReason: "x" }), "points"],
  ];
  for (const [call, field] of checks) assert.throws(call, (e) => e instanceof wc.PointsValidationError && e.field === field, field);
  assert.equal(api.checkTransfer({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 5 }), undefined);
  assert.equal(sent, 0);
  assert.throws(() => new PointsWorkerClient({ baseUrl: "ftp://x", token: "t" }), wc.PointsConfigError);
  assert.throws(() => new PointsWorkerClient({ baseUrl: "/api", token: 5 }), wc.PointsConfigError);
  assert.throws(() => new PointsWorkerClient({ baseUrl: "/api", token: "t", headers: { Authorization: "x" } }), wc.PointsConfigError);
  // The client sets Idempotency-Key per write: a caller's own would be merged into a bad one.
  assert.throws(() => new PointsWorkerClient({ baseUrl: "/api", token: "t", headers: { "Idempotency-Key": "intent-0001" } }), wc.PointsConfigError);
  await assert.rejects(api.transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 1 }, { headers: { "idempotency-key": "intent-0001" } }), (x) => x.field === "headers");
  for (const limits of ["x", { reason: 0 }, { typeCode: 4097 }, { get reason() { throw new Error("boom"); } }]) {
    assert.throws(() => new PointsWorkerClient({ baseUrl: "/api", token: "t", limits }), wc.PointsConfigError);
  }
});

test("the text limits are options: a wider one lets the text through to the worker, whose own limit then answers", async () => {
  const wide = new PointsWorkerClient({ baseUrl: c.wk.base, token: agent, limits: { reason: 400 } });
  const e = await fails(wide.adjustPoints({ accountId: IDS.a2.ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: "r".repeat(300) }));
  assert.ok(e instanceof wc.PointsApiError, String(e));
  assert.equal(e.status, 400);
  assert.deepEqual([e.reasonCode, e.errors[0].details], ["INVALID_REQUEST", "adjustmentReason"]);
  const narrow = new PointsWorkerClient({ baseUrl: c.wk.base, token: agent, limits: { typeCode: 1 } });
  assert.equal((await fails(narrow.adjustPoints({ accountId: IDS.a2.ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: "x" }))).field, "adjustmentTypeCode");
});

test("reads are retried (with a fresh token each attempt), writes only with their one Idempotency-Key", async () => {
  let calls = 0;
  let tokens = 0;
  const flaky = (url, init) => (++calls === 1 ? Promise.resolve(new Response('{"Errors":{"Error":[{"Source":"edge","ReasonCode":"BUSY","Recoverable":true}]}}', { status: 503 })) : fetch(url, init));
  const api = client({ fetch: flaky, token: () => { tokens++; return alex; } });
  const d = await api.getPointsDetails({ accountId: IDS.a1.ranac });
  assert.equal(d.level, "ACCOUNT");
  assert.deepEqual([calls, tokens], [2, 2]);
  calls = 0;
  const keys = [];
  const dropped = (url, init) => { calls++; keys.push(new Headers(init.headers).get("idempotency-key")); return Promise.reject(new TypeError("connection reset")); };
  const e = await fails(client({ fetch: dropped, retry: { baseDelayMs: 1, maxDelayMs: 50, writeAttempts: 3 } }).transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 1 }));
  assert.ok(e instanceof wc.PointsNetworkError);
  assert.equal(e.mayHaveBeenSent, true);
  assert.equal(calls, 3, "a write is retried up to writeAttempts");
  assert.ok(/^[0-9a-f-]{36}$/.test(keys[0]) && keys.every((k) => k === keys[0]), "with one key");
  assert.equal(e.idempotencyKey, keys[0], "which the error names, for a later repeat");
  calls = 0;
  keys.length = 0;
  await fails(client({ fetch: dropped, retry: { writeAttempts: 1 } }).adjustPoints({ accountId: IDS.a1.ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: "x" }, { idempotencyKey: "intent-0001" }));
  assert.deepEqual([calls, keys], [1, ["intent-0001"]], "the caller's key, sent once with writeAttempts 1");
  await assert.rejects(client().transferPoints({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 1 }, { idempotencyKey: "short" }), (x) => x.field === "idempotencyKey");
  // A Retry-After beyond maxDelayMs ends the retries at once.
  calls = 0;
  const later = () => { calls++; return Promise.resolve(new Response("{}", { status: 429, headers: { "retry-after": "120" } })); };
  const r = await fails(client({ fetch: later }).me());
  assert.deepEqual([r.status, calls], [429, 1]);
});

test("time limits and aborts end the call with their own errors", async () => {
  const never = () => new Promise(() => {});
  const t = await fails(client({ fetch: never, timeoutMs: 50, retry: { maxAttempts: 1 } }).me());
  assert.ok(t instanceof wc.PointsTimeoutError);
  const ac = new AbortController();
  const p = client({ fetch: (u, init) => new Promise((_, no) => init.signal.addEventListener("abort", () => no(init.signal.reason))) }).me({ signal: ac.signal });
  ac.abort();
  assert.ok((await fails(p)) instanceof wc.PointsAbortError);
  const garbage = await fails(client({ fetch: async () => new Response("<html>", { status: 200 }) }).me());
  assert.ok(garbage instanceof wc.PointsResponseError);
  const badToken = await fails(client({ token: () => { throw new Error("no session"); } }).me());
  assert.ok(badToken instanceof wc.PointsConfigError);
  const expired = await fails(client({ token: "not.a.jwt" }).me());
  assert.deepEqual([expired.status, expired.reasonCode], [401, "UNAUTHENTICATED"]);
});

test("agents' approvals through the client: a request above the threshold, listed, decided by another agent; input checked first", async () => {
  const ann = await token(c.key, { sub: "agent-ann", role: "agent" });
  const bob = await token(c.key, { sub: "agent-bob", role: "agent" });
  const asAnn = client({ token: ann });
  const asBob = client({ token: bob });
  const asked = await asAnn.adjustPoints({ accountId: IDS.b1.ranac, points: 2500, adjustmentTypeCode: "CR", adjustmentReason: "missing stay" });
  assert.equal(asked.status, "PENDING_APPROVAL");
  const { approvals } = await asBob.listApprovals();
  assert.ok(approvals.some((a) => a.approvalId === asked.approvalId && a.requestedBy === "agent-ann"));
  const own = await fails(asAnn.decideApproval(asked.approvalId, { decision: "approve" }));
  assert.deepEqual([own.status, own.reasonCode], [403, "FORBIDDEN"]);
  const done = await asBob.decideApproval(asked.approvalId, { decision: "approve" });
  assert.equal(done.pointsAdjusted, 2500);
  for (const [id, input, field] of [["not-a-uuid", { decision: "approve" }, "approvalId"], [asked.approvalId, { decision: "maybe" }, "decision"], [asked.approvalId, null, "input"]]) {
    const e = await fails(asBob.decideApproval(id, input));
    assert.ok(e instanceof wc.PointsValidationError, String(e));
    assert.equal(e.field, field);
  }
});
