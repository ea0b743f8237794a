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

test("the key book: every transition, leases, settling, one resend, expiry and the rate limit", async () => {
  const { KeyBook, KEY_TTL_MS } = await import("../../worker/key-book.mjs");
  // A Durable Object's storage API over a Map (list: sorted, prefix, end exclusive, limit).
  const map = new Map();
  const storage = {
    get: async (k) => structuredClone(map.get(k)),
    put: async (k, v) => void map.set(k, structuredClone(v)),
    delete: async (k) => map.delete(k),
    list: async ({ prefix, end, limit }) => new Map([...map].filter(([k]) => k.startsWith(prefix) && (end === undefined || k < end)).sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, limit)),
  };
  const book = new KeyBook(storage, { leaseMs: 1000, settleMs: 500, rateLimit: 3, rateWindowMs: 60_000 });
  const a = { key: "key-a", hash: "h1", ref: "r1" };
  assert.deepEqual(await book.begin({ ...a, now: 0 }), { verdict: "send", ref: "r1" });
  assert.deepEqual(await book.begin({ ...a, now: 10 }), { verdict: "in_progress" });
  assert.deepEqual(await book.begin({ ...a, hash: "h2", now: 10 }), { verdict: "reused" });
  await book.done({ key: "key-a", status: 200, body: { ok: 1 } });
  assert.deepEqual(await book.begin({ ...a, now: 20 }), { verdict: "done", status: 200, body: { ok: 1 } });
  // Unknown: checking until settled, then one resolver at a time, one resend at most.
  const b = { key: "key-b", hash: "h", ref: "rb" };
  await book.begin({ ...b, now: 0 });
  await book.unknown({ key: "key-b", now: 100 });
  assert.equal((await book.begin({ ...b, now: 200 })).verdict, "checking");
  assert.deepEqual(await book.begin({ ...b, now: 700 }), { verdict: "resolve", ref: "rb", resent: false });
  assert.equal((await book.begin({ ...b, now: 800 })).verdict, "in_progress", "one resolver at a time");
  assert.equal(await book.resend({ key: "key-b", now: 900 }), true);
  assert.equal(await book.resend({ key: "key-b", now: 900 }), false, "only once");
  // A sender gone past its lease: unknown from the lease's end.
  assert.equal((await book.begin({ ...b, now: 2000 })).verdict, "checking");
  assert.deepEqual(await book.begin({ ...b, now: 2500 }), { verdict: "resolve", ref: "rb", resent: true });
  // Forget: a repeat sends anew.
  await book.forget({ key: "key-b" });
  assert.equal((await book.begin({ ...b, now: 2600 })).verdict, "send");
  // The rate limit counts new keys only (three so far in the window).
  assert.equal((await book.begin({ key: "key-c", hash: "h", ref: "rc", now: 2700 })).verdict, "rate_limited");
  assert.equal((await book.begin({ ...a, now: 2700 })).verdict, "done", "a known key is not limited");
  assert.equal((await book.begin({ key: "key-c", hash: "h", ref: "rc", now: 61_000 })).verdict, "send", "the window moves");
  // Expiry: after a day a key is forgotten (and its index entry with it).
  assert.equal((await book.begin({ ...a, now: KEY_TTL_MS + 1 })).verdict, "send");
  assert.ok([...map.keys()].filter((k) => k.startsWith("e:")).length <= 3);
});
