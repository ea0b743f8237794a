// The worker's pure pieces, without workerd: masking and the query selector.
import { test } from "node:test";
import assert from "node:assert/strict";
import { masked, maskNumber } from "../../worker/mask.mjs";
import { readSelector } from "../../worker/authorize.mjs";

test("card numbers are masked by field, by value, and in free text; identifiers and unknown fields are kept", () => {
  const upstream = JSON.parse('{"customerId":"100000000000000101","accountId":"300000000000000000000000000101","accountNumber":"5555444433332222","adjustmentReason":"dispute on 5555444433332222, ref 4111111111111111","items":[{"description":"card 4000000000000002 x","transferId":"TRF-1"}],"__proto__":{"kept":true},"note":"12345678901"}');
  const out = masked(upstream, ["5555444433332222"]);
  assert.equal(out.customerId, "100000000000000101");
  assert.equal(out.accountId, "300000000000000000000000000101");
  assert.equal(out.accountNumber, "5555********2222");
  assert.equal(out.adjustmentReason, "dispute on 5555********2222, ref 4111********1111");
  assert.equal(out.items[0].description, "card 4000********0002 x");
  assert.deepEqual(Object.getOwnPropertyDescriptor(out, "__proto__").value, { kept: true }, "a member named __proto__ stays a member");
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.equal(out.note, "12345678901", "11 digits are not a card number");
  assert.equal(maskNumber("1234"), "****");
});

test("the selector is checked without any lookup", () => {
  const q = (s) => readSelector(new URLSearchParams(s));
  assert.deepEqual(q("accountId=300"), { accountId: "300", customerId: null });
  assert.deepEqual(q(""), { accountId: null, customerId: null });
  for (const bad of ["foo=1", "accountId=1&accountId=2", "accountId=", "accountId=1&customerId=2", "customerId=a%2Fb", `accountId=${"9".repeat(65)}`]) {
    assert.throws(() => q(bad), (e) => e.status === 400 && e.reasonCode === "INVALID_REQUEST", bad);
  }
});

test("the key book: every transition, leases, settling, fencing, one resend, expiry and the rate limit", async () => {
  const { KeyBook, KEY_TTL_MS } = await import("../../worker/key-book.mjs");
  // A Durable Object's storage API over a Map (list: sorted, prefix, end exclusive, limit).
  const map = new Map();
  const storage = {
    get: async (k) => structuredClone(map.get(k)),
    put: async (k, v) => void map.set(k, structuredClone(v)),
    delete: async (k) => map.delete(k),
    list: async ({ prefix, end, limit }) => new Map([...map].filter(([k]) => k.startsWith(prefix) && (end === undefined || k < end)).sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, limit)),
  };
  const book = new KeyBook(storage, { leaseMs: 1000, settleMs: 500, rateLimit: 5, rateWindowMs: 60_000 });
  const a = { key: "key-a", hash: "h1", ref: "r1" };
  const sent = await book.begin({ ...a, now: 0 });
  assert.equal(sent.verdict, "send");
  assert.equal(typeof sent.attempt, "string");
  assert.deepEqual(await book.begin({ ...a, now: 10 }), { verdict: "in_progress" });
  assert.deepEqual(await book.begin({ ...a, hash: "h2", now: 10 }), { verdict: "reused" });
  await book.done({ key: "key-a", status: 200, body: { ok: 1 } });
  await book.done({ key: "key-a", status: 500, body: {} });
  assert.deepEqual(await book.begin({ ...a, now: 20 }), { verdict: "done", status: 200, body: { ok: 1 } }, "the first answer stays");
  // Unknown: checking until settled, then one resolver at a time, one resend at most.
  const b = { key: "key-b", hash: "h", ref: "rb" };
  const first = await book.begin({ ...b, now: 0 });
  await book.unknown({ key: "key-b", attempt: first.attempt, now: 100 });
  assert.equal((await book.begin({ ...b, now: 200 })).verdict, "checking");
  const r1 = await book.begin({ ...b, now: 700 });
  assert.deepEqual([r1.verdict, r1.ref, r1.resent], ["resolve", "rb", false]);
  assert.equal((await book.begin({ ...b, now: 800 })).verdict, "in_progress", "one resolver at a time");
  assert.equal(await book.resend({ key: "key-b", attempt: first.attempt, now: 900 }), false, "a superseded holder may not resend");
  await book.forget({ key: "key-b", attempt: first.attempt, now: 900 });
  assert.ok(map.has("k:key-b"), "nor forget");
  assert.equal(await book.resend({ key: "key-b", attempt: r1.attempt, now: 900 }), true);
  assert.equal(await book.resend({ key: "key-b", attempt: r1.attempt, now: 900 }), false, "only once");
  // The resend surely did not leave: back to unknown, not forgotten (the first send may land).
  await book.forget({ key: "key-b", attempt: r1.attempt, now: 1000 });
  assert.equal((await book.begin({ ...b, now: 1100 })).verdict, "checking");
  const r2 = await book.begin({ ...b, now: 1600 });
  assert.deepEqual([r2.verdict, r2.resent], ["resolve", true]);
  // A sender gone past its lease: unknown from the lease's end.
  const c = { key: "key-c", hash: "h", ref: "rc" };
  await book.begin({ ...c, now: 2000 });
  assert.equal((await book.begin({ ...c, now: 3100 })).verdict, "checking");
  assert.equal((await book.begin({ ...c, now: 3600 })).verdict, "resolve");
  // A first send that surely did not leave is forgotten: a repeat sends anew.
  const d = { key: "key-d", hash: "h", ref: "rd" };
  const dSent = await book.begin({ ...d, now: 3700 });
  await book.forget({ key: "key-d", attempt: dSent.attempt, now: 3700 });
  assert.equal((await book.begin({ ...d, now: 3800 })).verdict, "send");
  // The rate limit counts new keys only (a, b, c, d, d again: 5, the limit).
  assert.equal((await book.begin({ key: "key-e", hash: "h", ref: "re", now: 3900 })).verdict, "rate_limited");
  assert.deepEqual(await book.admit({ key: "key-a", now: 3900 }), null, "a known key is admitted");
  assert.ok((await book.admit({ key: "key-e", now: 3900 })).retryAfter >= 1, "a new one is not");
  assert.equal((await book.begin({ key: "key-e", hash: "h", ref: "re", now: 61_000 })).verdict, "send", "the window moves");
  // Expiry: after a day a key is forgotten (and its index entry with it).
  assert.equal((await book.begin({ ...a, now: KEY_TTL_MS + 1 })).verdict, "send");
  assert.ok([...map.keys()].filter((k) => k.startsWith("e:")).length <= 5);
});
