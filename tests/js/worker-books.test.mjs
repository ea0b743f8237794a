// The Durable Objects' logic without workerd: the key book (exactly-once, reconciliation),
// the budgets and the approval book, each on a Map behind a Durable Object's storage API.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KeyBook, KEY_TTL_MS } from "../../pkg/npm/worker/key-book.mjs";
import { Budgets, LEASE_MAX, utcDay } from "../../pkg/npm/worker/budgets.mjs";
import { Leases, LEASE_MS, leaseSize } from "../../pkg/npm/worker/leases.mjs";
import { ApprovalBook, OPEN_MAX } from "../../pkg/npm/worker/approval-book.mjs";

/** A Durable Object's storage API over a Map (list: sorted, prefix, end exclusive, limit). */
function storage() {
  const map = new Map();
  return {
    map,
    get: async (k) => structuredClone(map.get(k)),
    put: async (k, v) => void map.set(k, structuredClone(v)),
    delete: async (k) => map.delete(k),
    list: async ({ prefix, end, limit }) => new Map([...map].filter(([k]) => k.startsWith(prefix) && (end === undefined || k < end)).sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, limit)),
  };
}

const RATES = { write: { limit: 5, windowMs: 60_000 }, read: { limit: 3, windowMs: 60_000 }, search: { limit: 2, windowMs: 60_000 } };
const bookOn = (s, o = {}) => new KeyBook(s, { leaseMs: 1000, settleMs: 500, reconcileMs: 10_000, rates: RATES, ...o });
const WATCH = { account: "300", result: { pointsTransferred: 5 }, audit: { user: "alex" } };

test("a sent key: in progress, reused with another body, its first answer kept", async () => {
  const book = bookOn(storage());
  const a = { key: "key-a", hash: "h1", ref: "r1", watch: WATCH };
  const sent = await book.begin({ ...a, now: 0 });
  assert.equal(sent.verdict, "send");
  assert.deepEqual(await book.begin({ ...a, now: 10 }), { verdict: "in_progress" });
  assert.deepEqual(await book.begin({ ...a, hash: "h2", now: 10 }), { verdict: "reused" });
  await book.done({ key: "key-a", status: 200, body: { ok: 1 } });
  await book.done({ key: "key-a", status: 500, body: {} });
  assert.deepEqual(await book.begin({ ...a, now: 20 }), { verdict: "done", status: 200, body: { ok: 1 } });
});

test("an unknown outcome is never sent again: checked from the history until found", async () => {
  const s = storage();
  const book = bookOn(s);
  const b = { key: "key-b", hash: "h", ref: "rb", watch: WATCH };
  const first = await book.begin({ ...b, now: 0 });
  await book.unknown({ key: "key-b", attempt: first.attempt, now: 100 });
  assert.equal((await book.begin({ ...b, now: 200 })).verdict, "checking");
  const r1 = await book.begin({ ...b, now: 700 });
  assert.deepEqual([r1.verdict, r1.ref], ["resolve", "rb"]);
  assert.equal((await book.begin({ ...b, now: 800 })).verdict, "in_progress", "one resolver at a time");
  // A superseded holder can neither forget the key nor mark it.
  await book.forget({ key: "key-b", attempt: first.attempt });
  assert.ok(s.map.has("k:key-b"));
  // Not in the history: pending again, and every later repeat is a check, never a send.
  assert.equal((await book.missing({ key: "key-b", attempt: r1.attempt, now: 900 })).outcome, "OUTCOME_PENDING");
  for (let now = 1000; now < 9000; now += 450) {
    const v = await book.begin({ ...b, now });
    assert.ok(["checking", "resolve"].includes(v.verdict), v.verdict);
    if (v.verdict === "resolve") await book.missing({ key: "key-b", attempt: v.attempt, now });
  }
  const r2 = await book.begin({ ...b, now: 9500 });
  assert.equal(r2.verdict, "resolve");
  const found = await book.found({ key: "key-b", body: { pointsTransferred: 5, resolvedFromHistory: true } });
  assert.equal(found.outcome, "RESOLVED_APPLIED");
  assert.deepEqual(await book.begin({ ...b, now: 9600 }), { verdict: "done", status: 200, body: { pointsTransferred: 5, resolvedFromHistory: true } });
});

test("a sender gone past its lease is pending from the lease's end; a sure non-send is forgotten", async () => {
  const book = bookOn(storage());
  const c = { key: "key-c", hash: "h", ref: "rc", watch: WATCH };
  await book.begin({ ...c, now: 2000 });
  assert.equal((await book.begin({ ...c, now: 3100 })).verdict, "checking");
  assert.equal((await book.begin({ ...c, now: 3600 })).verdict, "resolve");
  const d = { key: "key-d", hash: "h", ref: "rd", watch: WATCH };
  const sent = await book.begin({ ...d, now: 3700 });
  await book.forget({ key: "key-d", attempt: sent.attempt });
  assert.equal((await book.begin({ ...d, now: 3800 })).verdict, "send", "never left: may be sent anew");
});

test("the window ends in NOT_APPLIED only after a readable history; a late write corrects it", async () => {
  const s = storage();
  const book = bookOn(s);
  const e = { key: "key-e", hash: "h", ref: "re", watch: WATCH };
  const sent = await book.begin({ ...e, now: 0 });
  await book.unknown({ key: "key-e", attempt: sent.attempt, now: 0 });
  const late = await book.begin({ ...e, now: 10_500 });
  assert.equal((await book.missing({ key: "key-e", attempt: late.attempt, readable: false, now: 10_600 })).outcome, "OUTCOME_PENDING", "an unreadable history proves nothing");
  const last = await book.begin({ ...e, now: 11_200 });
  const out = await book.missing({ key: "key-e", attempt: last.attempt, now: 11_300 });
  assert.deepEqual([out.outcome, out.status, out.body.Errors.Error[0].ReasonCode], ["NOT_APPLIED", 502, "NOT_APPLIED"]);
  assert.equal((await book.begin({ ...e, now: 11_400 })).verdict, "done");
  // Still on the alarm's agenda (every window, at most hourly), and corrected when the write shows up after all.
  assert.equal(await book.nextWake(), 11_300 + 10_000);
  const due = await book.due({ now: 11_300 + 10_000 });
  assert.deepEqual(due.map((d) => d.key), ["key-e"]);
  const corrected = await book.found({ key: "key-e", body: { pointsTransferred: 5, resolvedFromHistory: true } });
  assert.equal(corrected.outcome, "LATE_APPLIED");
  assert.deepEqual((await book.begin({ ...e, now: 21_500 })).status, 200);
  assert.equal(await book.nextWake(), null, "nothing left to watch");
});

test("the alarm's agenda: a vanished sender, growing pauses, and the window's end", async () => {
  const book = bookOn(storage(), { reconcileMs: 60_000 });
  const f = { key: "key-f", hash: "h", ref: "rf", watch: WATCH };
  await book.begin({ ...f, now: 0 });
  assert.equal(await book.nextWake(), 1000, "looked at when the sender's lease ends");
  assert.deepEqual(await book.due({ now: 999 }), []);
  let now = 1000;
  const pauses = [];
  for (let i = 0; i < 8; i++) {
    const [d] = await book.due({ now });
    assert.equal(d.key, "key-f");
    const out = await book.missing({ key: "key-f", attempt: d.attempt, now });
    if (out.outcome === "NOT_APPLIED") break;
    const next = await book.nextWake();
    pauses.push(next - now);
    now = next;
  }
  assert.deepEqual(pauses.slice(0, 4), [2000, 4000, 8000, 16000], "doubling");
  assert.ok(now <= 61_000, "the last check falls at the window's end");
  assert.equal((await book.begin({ ...f, now: now + 1 })).status, 502);
});

test("without a reference (resolution off) an unknown outcome is final at once", async () => {
  const book = bookOn(storage());
  const g = { key: "key-g", hash: "h", ref: null, watch: WATCH };
  const sent = await book.begin({ ...g, now: 0 });
  assert.equal(await book.nextWake(), null, "nothing to reconcile with");
  await book.unknown({ key: "key-g", attempt: sent.attempt, now: 10 });
  const v = await book.begin({ ...g, now: 20 });
  assert.deepEqual([v.verdict, v.status, v.body.Errors.Error[0].ReasonCode], ["done", 502, "OUTCOME_UNKNOWN"]);
});

test("budgets: the write bucket spends for new keys only, reads and searches per call", async () => {
  const book = bookOn(storage());
  await book.begin({ key: "known-1", hash: "h", ref: "r", now: 0 });
  for (let i = 0; i < 5; i++) assert.deepEqual(await book.admit({ bucket: "write", key: `new-${i}`, now: 1 }), { known: false, granted: 1 });
  assert.ok((await book.admit({ bucket: "write", key: "new-6", now: 2 })).retryAfter >= 59);
  assert.deepEqual(await book.admit({ bucket: "write", key: "known-1", now: 2 }), { known: true, granted: 0 }, "a repeat is never limited");
  for (let i = 0; i < 3; i++) assert.deepEqual(await book.admit({ bucket: "read", now: 3 }), { known: false, granted: 1 });
  assert.ok((await book.admit({ bucket: "read", now: 4 })).retryAfter >= 1);
  // Counted in thirtieths of the window: a slot leaves once all of it is older than the window.
  assert.ok((await book.admit({ bucket: "read", now: 60_004 })).retryAfter >= 1);
  assert.deepEqual(await book.admit({ bucket: "read", now: 62_000 }), { known: false, granted: 1 }, "the window moves");
  assert.deepEqual(await book.admit({ bucket: "search", now: 5 }), { known: false, granted: 1 });
  assert.deepEqual(await book.admit({ bucket: "search", now: 5 }), { known: false, granted: 1 });
  assert.deepEqual(await book.admit({ bucket: "search", now: 30_005 }), { retryAfter: 32 }, "until the first slot has left the window");
});

test("the daily ceiling: reserved at the first send, given back when surely not applied, per UTC day of the object's clock", async () => {
  const s = storage();
  const book = bookOn(s);
  const t0 = Date.UTC(2026, 11, 6, 23, 59);
  assert.equal(utcDay(t0), "2026-12-06");
  const spend = (points) => ({ points, max: 100 });
  const a = await book.begin({ key: "d-1", hash: "h", ref: "r1", watch: WATCH, spend: spend(60), now: t0 });
  assert.equal(a.verdict, "send");
  assert.deepEqual(await book.begin({ key: "d-2", hash: "h", ref: "r2", watch: WATCH, spend: spend(50), now: t0 + 1 }), { verdict: "limit", used: 60 });
  await book.forget({ key: "d-1", attempt: a.attempt });
  assert.deepEqual(await book.dayUsed({ now: t0 + 1 }), { used: 0 }, "a write that never left is given back");
  const b = await book.begin({ key: "d-3", hash: "h", ref: "r3", watch: WATCH, spend: spend(90), now: t0 + 2 });
  await book.done({ key: "d-3", status: 422, body: {} });
  assert.deepEqual(await book.dayUsed({ now: t0 + 2 }), { used: 0 }, "a refusal is given back");
  const c = await book.begin({ key: "d-4", hash: "h", ref: "r4", watch: WATCH, spend: spend(90), now: t0 + 3 });
  await book.unknown({ key: "d-4", attempt: c.attempt, now: t0 + 4 });
  assert.deepEqual(await book.dayUsed({ now: t0 + 4 }), { used: 90 }, "an unknown outcome stays counted");
  assert.equal(b.verdict, "send");
  // A minute later it is the 7th: a new day, whatever day the caller thinks it is.
  assert.deepEqual(await book.dayUsed({ now: t0 + 60_000 }), { used: 0 });
  assert.equal((await book.begin({ key: "d-5", hash: "h", ref: "r5", watch: WATCH, spend: spend(100), now: t0 + 60_000 })).verdict, "send");
});

test("keys expire a day after their reconciliation window", async () => {
  const s = storage();
  const book = bookOn(s);
  const a = { key: "key-x", hash: "h", ref: "r", watch: WATCH };
  const sent = await book.begin({ ...a, now: 0 });
  await book.done({ key: "key-x", status: 200, body: {} });
  assert.equal((await book.begin({ ...a, now: KEY_TTL_MS })).verdict, "done");
  assert.equal((await book.begin({ ...a, now: 10_000 + KEY_TTL_MS + 1 })).verdict, "send");
  assert.ok(sent.attempt);
  assert.ok([...s.map.keys()].filter((k) => k.startsWith("e:")).length <= 1);
});

test("approvals: four eyes, one decision, expiry, and a request found again by its id", async () => {
  const book = new ApprovalBook(storage(), { ttlMs: 1000, staleMs: 4000 });
  const ask = { id: "a1", accountId: "300", accountLastFour: "2222", points: 5000, adjustmentTypeCode: "CR", adjustmentReason: "goodwill", requestedBy: "agent-1" };
  assert.equal((await book.create({ approval: ask, now: 0 })).verdict, "created");
  assert.equal((await book.create({ approval: ask, now: 1 })).verdict, "exists");
  assert.equal((await book.create({ approval: { ...ask, points: 6000 }, now: 1 })).verdict, "reused");
  assert.deepEqual((await book.list({ now: 2 })).map((a) => [a.approvalId, a.status]), [["a1", "PENDING"]]);
  assert.deepEqual(await book.decide({ id: "a1", by: "agent-1", decision: "approve", now: 3 }), { verdict: "own" });
  assert.deepEqual(await book.decide({ id: "nope", by: "agent-2", decision: "approve", now: 3 }), { verdict: "not_found" });
  assert.equal((await book.decide({ id: "a1", by: "agent-2", decision: "approve", now: 4 })).verdict, "approve");
  assert.equal((await book.decide({ id: "a1", by: "agent-3", decision: "approve", now: 5 })).verdict, "approve", "approving again replays its one send");
  assert.deepEqual(await book.decide({ id: "a1", by: "agent-3", decision: "reject", now: 5 }), { verdict: "conflict", status: "APPROVED" });
  assert.deepEqual(await book.list({ now: 6 }), []);
  await book.reopen({ id: "a1" });
  assert.equal((await book.list({ now: 7 })).length, 1, "reopened when its send could not go ahead");
  // Its adjustment refused by the service: closed with that answer; approving again replays it, rejecting is a conflict.
  assert.equal((await book.decide({ id: "a1", by: "agent-2", decision: "approve", now: 8 })).repeat, false);
  await book.settle({ id: "a1", status: 422, body: { refused: true }, failed: true });
  assert.deepEqual(await book.list({ now: 9 }), []);
  const replay = await book.decide({ id: "a1", by: "agent-3", decision: "approve", now: 9 });
  assert.deepEqual([replay.verdict, replay.final], ["settled", { status: 422, body: { refused: true } }]);
  assert.deepEqual(await book.decide({ id: "a1", by: "agent-3", decision: "reject", now: 9 }), { verdict: "conflict", status: "FAILED" });
  // Four eyes never trust a spelling of the subject; an approved request left unanswered goes stale, never sent again.
  await book.create({ approval: { ...ask, id: "a3" }, now: 10 });
  assert.deepEqual(await book.decide({ id: "a3", by: "AGENT-1", decision: "approve", now: 11 }), { verdict: "own" });
  assert.equal((await book.decide({ id: "a3", by: "agent-2", decision: "approve", now: 11 })).verdict, "approve");
  assert.equal((await book.decide({ id: "a3", by: "agent-2", decision: "approve", now: 11 + 5000 })).verdict, "stale");
  await book.create({ approval: { ...ask, id: "a2" }, now: 0 });
  assert.deepEqual(await book.decide({ id: "a2", by: "agent-2", decision: "approve", now: 1000 }), { verdict: "expired" });
  assert.deepEqual((await book.list({ now: 1000 })).map((a) => a.approvalId), []);
  // One agent's waiting requests are capped: the list stays everyone's.
  for (let i = 0; i < OPEN_MAX; i++) await book.create({ approval: { ...ask, id: `many-${i}` }, now: 2000 });
  assert.deepEqual(await book.create({ approval: { ...ask, id: "one-more" }, now: 2001 }), { verdict: "too_many" });
  assert.equal((await book.create({ approval: { ...ask, id: "from-another", requestedBy: "agent-9" }, now: 2001 })).verdict, "created");
});

test("budgets held in the object's memory: one storage write per slot, the same answers, and a restart loses at most the current slot", async () => {
  const s = storage();
  let puts = 0;
  const counted = { ...s, put: async (k, v) => { puts++; return s.put(k, v); } };
  const memory = new Map();
  const budgets = new Budgets(counted, RATES, memory);
  // 3 reads per 60 s: slots of 2 s.
  assert.deepEqual(await budgets.spend("read", 100), { granted: 1 });
  assert.deepEqual(await budgets.spend("read", 200), { granted: 1 });
  assert.equal(puts, 1, "the second unit of a slot is not written");
  assert.deepEqual(await budgets.spend("read", 2100), { granted: 1 });
  assert.equal(puts, 2, "the first unit of a new slot writes the counts so far");
  assert.ok(await budgets.spend("read", 2200), "the window is full, from memory");
  // A restart (a new object, an empty memory) reads what was written: 1 + (1 + 1) of 3.
  const restarted = new Budgets(s, RATES, new Map());
  assert.ok(await restarted.spend("read", 2300), "nothing lost: the last write held every unit");
});

test("the approval threshold bounds an agent's day on one account, however the points are split", async () => {
  const book = bookOn(storage());
  const spend = (account, points) => ({ points, max: 100_000, account, threshold: 1000 });
  const first = await book.begin({ key: "s-1", hash: "h", ref: "r1", watch: WATCH, spend: spend("acct-1", 600), now: 0 });
  assert.equal(first.verdict, "send");
  assert.deepEqual(await book.begin({ key: "s-2", hash: "h", ref: "r2", watch: WATCH, spend: spend("acct-1", 600), now: 1 }), { verdict: "needs_approval" });
  assert.equal((await book.begin({ key: "s-3", hash: "h", ref: "r3", watch: WATCH, spend: spend("acct-2", 600), now: 2 })).verdict, "send", "another account has its own");
  await book.forget({ key: "s-1", attempt: first.attempt });
  assert.equal((await book.begin({ key: "s-4", hash: "h", ref: "r4", watch: WATCH, spend: spend("acct-1", 1000), now: 3 })).verdict, "send", "a write that never left is given back");
});

test("leases: the object grants what the window has left, takes back what was unused, and caps what a caller asks", async () => {
  const book = new KeyBook(storage(), { leaseMs: 1000, settleMs: 500, reconcileMs: 10_000, rates: { ...RATES, read: { limit: 20, windowMs: 60_000 } } });
  assert.deepEqual(await book.admit({ bucket: "read", lease: 8, now: 1 }), { known: false, granted: 8 });
  assert.deepEqual(await book.admit({ bucket: "read", lease: 1e9, now: 2 }), { known: false, granted: 8 }, "never more than LEASE_MAX at once");
  assert.deepEqual(await book.admit({ bucket: "read", lease: 8, now: 3 }), { known: false, granted: 4 }, "only what is left");
  assert.ok((await book.admit({ bucket: "read", lease: 8, now: 4 })).retryAfter >= 1);
  assert.deepEqual(await book.admit({ bucket: "read", lease: 8, unused: 3, now: 5 }), { known: false, granted: 3 }, "unused units come back first");
  assert.ok((await book.admit({ bucket: "read", lease: 8, unused: -5, now: 6 })).retryAfter >= 1, "a negative hand-back adds nothing");
  assert.deepEqual(await book.admit({ bucket: "write", key: "w-1", lease: 8, now: 7 }), { known: false, granted: 1 }, "writes are never leased");
});

test("leases in the isolate: one request in flight per user, units spent locally within LEASE_MS, the rest handed back", async () => {
  let now = 0;
  const leases = new Leases(() => now);
  const asked = [];
  let budget = 10;
  const ask = (unused) => {
    asked.push(unused);
    budget += unused;
    const granted = Math.min(4, budget);
    budget -= granted;
    return new Promise((resolve) => setTimeout(() => resolve(granted ? { granted } : { retryAfter: 7 }), 5));
  };
  // Six at once: one ask for four, then one more for the two left waiting.
  const six = await Promise.all(Array.from({ length: 6 }, () => leases.spend("alex\nread", ask)));
  assert.deepEqual(six, [null, null, null, null, null, null]);
  assert.deepEqual(asked, [0, 0]);
  assert.equal(leases.held.get("alex\nread").units, 2);
  // Past the lease its two units go back with the next ask.
  now += LEASE_MS;
  assert.equal(await leases.spend("alex\nread", ask), null);
  assert.deepEqual(asked, [0, 0, 2]);
  // Three units left in the lease, spent with no ask; then 10 − 4 − 4 + 2 − 4 = 0 left: the
  // next ask is refused, for every request waiting on it.
  for (let i = 0; i < 3; i++) assert.equal(await leases.spend("alex\nread", ask), null);
  assert.equal(asked.length, 3);
  const refused = await Promise.all([leases.spend("alex\nread", ask), leases.spend("alex\nread", ask)]);
  assert.deepEqual(refused, [{ retryAfter: 7 }, { retryAfter: 7 }]);
  assert.deepEqual(asked, [0, 0, 2, 0], "one ask for both");
  assert.equal(await leases.spend("sam\nread", async () => ({ granted: 1 })), null, "each user has their own");
  await assert.rejects(leases.spend("kim\nread", async () => ({ granted: 0 })), /no unit/);
  await assert.rejects(leases.spend("kim\nread", async () => { throw new Error("down"); }), /down/);
  assert.equal(await leases.spend("kim\nread", async () => ({ granted: 2 })), null, "a failed ask leaves nothing behind");
  assert.equal(leaseSize(30), 3);
  assert.equal(leaseSize(5), 1);
  assert.equal(leaseSize(100000), LEASE_MAX);
});
