// One table of rules (tests/fixtures/rules.json) run against both implementations: the JS rules
// module the page's client and the worker share (packaging/rules.js, from the built package)
// and the crate, through PointsClient's public API on a scripted fetch. A vector changed in
// one place fails the other. Then the two clients' handling of hostile options, side by side.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, pkg, root } from "./helpers.mjs";
import { clientOn, CERT, valid } from "./client-support.mjs";

const rules = await import(join(root, "pkg", "npm", "web", "rules.js"));
const { PointsWorkerClient } = await import(join(root, "pkg", "npm", "web", "worker-client.js"));
const table = JSON.parse(fixture("rules.json"));
/** A vector's value: `{ $number }` a number JSON cannot hold, `{ $codeUnits }` a string it cannot (unpaired surrogates). */
const decode = (v) => (v && typeof v === "object" && "$number" in v ? Number(v.$number) : v && typeof v === "object" && "$codeUnits" in v ? String.fromCharCode(...v.$codeUnits) : v);
const label = (v) => JSON.stringify(v).slice(0, 60);

/** The code of what `promise` rejected with, or "resolved". */
const outcome = (promise) => promise.then(() => "resolved", (e) => (e && e.code) || String(e));

const FAST = { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 1000 };

/** Whether the crate's client tried a read again after `first` (an answer or a failure). */
async function crateRetried(first, extra = {}) {
  const { client, calls } = await clientOn([first, { status: 400, body: "{}" }], { retry: FAST, ...extra });
  await outcome(client.getPointsDetails(valid.getPointsDetails()));
  return calls.length === 2;
}

const sections = {
  text: {
    js: (v) => rules.textProblem(decode(v.value), v.max) === null,
    async crate(v) {
      // Sent (the stub's 400) when the rule allows it; refused before the network when not.
      const { client, calls } = await clientOn([{ status: 400, body: "{}" }], { limits: { reason: v.max } });
      const code = await outcome(client.adjustPoints({ ...valid.adjustPoints(), adjustmentReason: decode(v.value) }));
      assert.ok(code === "ERR_API" || code === "ERR_VALIDATION", code);
      return calls.length === 1;
    },
    expected: (v) => v.ok,
  },
  points: {
    js: (v) => rules.pointsProblem(decode(v.value)) === null,
    async crate(v) {
      const { client, calls } = await clientOn([{ status: 400, body: "{}" }]);
      await outcome(client.transferPoints({ ...valid.transferPoints(), pointsToTransfer: decode(v.value) }));
      return calls.length === 1;
    },
    expected: (v) => v.ok,
  },
  header: {
    js: (v) => rules.headerProblem(v.name, v.value) === null,
    crate: async (v) => (await outcome(pkg.PointsClient.create({ baseUrl: "https://proxy.example/loyalty", headers: { [v.name]: v.value } }))) === "resolved",
    expected: (v) => v.ok,
  },
  retryPolicy: {
    js: (v) => rules.retryPolicyProblem(rules.retryDelays(v.baseDelayMs, v.maxDelayMs)) === null,
    // Only the bounds the vector gives: a missing one takes its default.
    crate: async (v) => (await outcome(pkg.PointsClient.create({ baseUrl: "https://proxy.example/loyalty", retry: JSON.parse(JSON.stringify({ baseDelayMs: v.baseDelayMs, maxDelayMs: v.maxDelayMs })) }))) === "resolved",
    expected: (v) => v.ok,
  },
  retryAfter: {
    js(v) {
      // The exact wait first (the crate checks the same natively: src/http/retry.rs).
      const ms = rules.retryAfterMs(v.value, Number(table.retryAfterNow));
      assert.equal(ms === undefined ? null : String(ms), v.ms, `js Retry-After ${JSON.stringify(v.value)}`);
      return rules.retryDelayMs(FAST, 1, rules.retryAfterMs(v.value), 0) !== null;
    },
    crate: (v) => crateRetried({ status: 503, body: "{}", headers: { "retry-after": v.value } }),
    expected: (v) => v.retried,
  },
  answer: {
    body: (v) => JSON.stringify({ Errors: { Error: [{ Source: "PAS", ReasonCode: "X", ...("recoverable" in v ? { Recoverable: v.recoverable } : {}) }] } }),
    js(v) {
      return rules.readWorthRetrying({ kind: "answer", status: v.status, errors: rules.envelopeOf(this.body(v)) });
    },
    crate(v) {
      return crateRetried({ status: v.status, body: this.body(v) });
    },
    expected: (v) => v.retried,
  },
  failure: {
    js: (v) => rules.readWorthRetrying({ kind: v.kind }),
    crate: (v) => crateRetried(v.kind === "network" ? { reject: "connection reset" } : { hang: true }, { timeoutMs: 50 }),
    expected: (v) => v.retried,
  },
};

test("every vector of the rules' table holds in the JS rules module and in the crate", async () => {
  const wrong = [];
  let count = 0;
  for (const [name, vectors] of Object.entries(table)) {
    if (!Array.isArray(vectors)) continue;
    const s = sections[name];
    assert.ok(s, `a runner for ${name}`);
    for (const v of vectors) {
      count++;
      const want = s.expected(v);
      // A time near retryAfterNow: its wait is checked (js here, the crate natively), not a live retry.
      if (want === null) {
        if (name === "retryAfter") s.js(v);
        continue;
      }
      const js = s.js(v);
      const crate = await s.crate(v);
      if (js !== want) wrong.push(`js ${name} ${label(v)}: ${js}, want ${want}`);
      if (crate !== want) wrong.push(`crate ${name} ${label(v)}: ${crate}, want ${want}`);
    }
  }
  assert.deepEqual(wrong, []);
  console.log(`rules' table: ${count} vectors of ${Object.keys(sections).length} rules, each against both`);
});

test("the two clients treat hostile options alike: a forged AbortSignal, inherited options, a policy that does not hold", async () => {
  const worker = (extra = {}) => new PointsWorkerClient({ baseUrl: "https://worker.example", token: "t", fetch: async () => new Response("{}", { status: 400 }), ...extra });
  const { client } = await clientOn([{ status: 400, body: "{}" }]);
  const forged = Object.create(AbortSignal.prototype);
  assert.equal(await outcome(client.getPointsDetails(valid.getPointsDetails(), { signal: forged })), "ERR_VALIDATION");
  assert.equal(await outcome(worker().me({ signal: forged })), "ERR_VALIDATION");
  // An option on the prototype is no option: neither client reads it.
  const inherited = Object.assign(Object.create({ timeoutMs: -1, retry: { maxAttempts: 99 } }), { baseUrl: "https://proxy.example/loyalty", encryption: { certificate: CERT } });
  assert.equal(await outcome(pkg.PointsClient.create(inherited)), "resolved");
  assert.doesNotThrow(() => new PointsWorkerClient(Object.assign(Object.create({ timeoutMs: -1 }), { baseUrl: "https://worker.example", token: "t" })));
  assert.equal(await outcome(pkg.PointsClient.create({ baseUrl: "https://proxy.example/loyalty", retry: { baseDelayMs: 500, maxDelayMs: 100 } })), "ERR_CONFIG");
  assert.throws(() => worker({ retry: { baseDelayMs: 500, maxDelayMs: 100 } }), { code: "ERR_CONFIG" });
});
