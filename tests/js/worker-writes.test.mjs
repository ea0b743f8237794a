// Writes through the worker, its refusals of bad input, CORS, the audit trail, and its
// settings: against workerd + the sandbox.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { workerChain, token, worker, relay, ORIGIN, ISSUER, AUDIENCE } from "./worker-support.mjs";
import { keySet } from "./helpers.mjs";
import { IDS } from "./sandbox-support.mjs";
import { start } from "../../worker/serve.mjs";

let c;
let alex;
let sam;
let agent;
before(async () => {
  c = await workerChain();
  alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  sam = await token(c.key, { sub: "sam", role: "consumer", bcn: IDS.customerB.bcn });
  agent = await token(c.key, { sub: "agent-7", role: "agent" });
});
after(async () => c && c.stop());

const available = async (bearer, accountId) => (await (await c.call("GET", `/api/points-details?accountId=${accountId}`, { bearer })).json()).availablePoints;

test("a consumer's transfer between their own cards moves exactly the points", async () => {
  const [from, to] = [await available(alex, IDS.a1.ranac), await available(alex, IDS.a2.ranac)];
  const res = await c.call("POST", "/api/transfers", { bearer: alex, body: { fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 120 } });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.pointsTransferred, 120);
  assert.equal(await available(alex, IDS.a1.ranac), from - 120);
  assert.equal(await available(alex, IDS.a2.ranac), to + 120);
  // The worker chose the type, the reason and adjustedBy.
  const hist = await (await c.call("GET", `/api/points-adjustments?accountId=${IDS.a1.ranac}`, { bearer: alex })).json();
  assert.equal(hist.adjustments[0].points, -120);
  assert.equal(hist.adjustments[0].adjustmentTypeCode, "TR");
  assert.equal(hist.adjustments[0].adjustedBy, "alex");
  // Only the worker's text in the reason: the role and the reference of the write's key.
  assert.match(hist.adjustments[0].adjustmentReason, /^Transfer by consumer \[ref:[a-p]{16}\]$/);
});

test("a transfer from someone else's card is 403 and nothing moves", async () => {
  const before = [await available(sam, IDS.b1.ranac), await available(alex, IDS.a1.ranac)];
  const lines = c.upstream().length;
  const res = await c.call("POST", "/api/transfers", { bearer: alex, body: { fromAccountId: IDS.b1.ranac, toAccountId: IDS.a1.ranac, points: 10 } });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).Errors.Error[0].ReasonCode, "FORBIDDEN");
  assert.deepEqual(c.upstream().slice(lines), []);
  assert.deepEqual([await available(sam, IDS.b1.ranac), await available(alex, IDS.a1.ranac)], before);
});

test("an agent's adjustment carries the agent's sub as adjustedBy, whatever the body says", async () => {
  const before = await available(agent, IDS.b1.ranac);
  const res = await c.call("POST", "/api/agent/adjustments", {
    bearer: agent,
    body: { accountId: IDS.b1.ranac, points: 25, adjustmentTypeCode: "GOODWILL", adjustmentReason: "late parcel", adjustedBy: "mallory", bankAccountNumber: IDS.a1.ban },
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).pointsAdjusted, 25);
  assert.equal(await available(agent, IDS.b1.ranac), before + 25);
  const hist = await (await c.call("GET", `/api/points-adjustments?accountId=${IDS.b1.ranac}`, { bearer: agent })).json();
  assert.deepEqual([hist.adjustments[0].adjustedBy, hist.adjustments[0].points], ["agent-7", 25]);
  assert.match(hist.adjustments[0].adjustmentReason, /^late parcel \[ref:[a-p]{16}\]$/);
  // The account named in the body's stray field was not touched.
  const a1 = await (await c.call("GET", `/api/points-adjustments?accountId=${IDS.a1.ranac}`, { bearer: agent })).json();
  assert.ok(!a1.adjustments.some((x) => x.adjustedBy === "mallory" || x.adjustmentReason.startsWith("late parcel")));
});

test("an agent looks a consumer up by card number: the answer has card numbers masked only", async () => {
  const res = await c.call("POST", "/api/agent/search", { bearer: agent, body: { userId: IDS.a1.ban, userIdType: "BAN" } });
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(!text.includes(IDS.a1.ban));
  const found = JSON.parse(text);
  assert.equal(found.userReferences[0].customerId, IDS.customerA.rancu);
  assert.deepEqual(found.userReferences[0].accountDetails.map((a) => a.accountLastFour).sort(), ["1111", "2222"]);
  // By Mastercard's references the answer keeps them intact: the page reads the customer's points with them.
  for (const [userId, userIdType] of [[IDS.customerA.rancu, "RANCU"], [IDS.a1.ranac, "RANAC"]]) {
    const byRef = await (await c.call("POST", "/api/agent/search", { bearer: agent, body: { userId, userIdType } })).json();
    assert.equal(byRef.userReferences[0].customerId, IDS.customerA.rancu, userIdType);
    assert.ok(byRef.userReferences[0].accountDetails.some((a) => a.accountId === IDS.a1.ranac), userIdType);
    assert.ok(!JSON.stringify(byRef).includes(IDS.a1.ban), `${userIdType}: card numbers still masked`);
  }
  const missing = await c.call("POST", "/api/agent/search", { bearer: agent, body: { userId: "4000000000000002", userIdType: "BAN" } });
  assert.equal(missing.status, 404);
  const env = await missing.json();
  assert.notEqual(env.Errors.Error[0].Source, "worker", "upstream errors pass through with their own source");
});

test("bad input is 400 naming the field, 413 or 415, and sends nothing", async () => {
  const cases = [
    [{ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 0 }, 400, "points"],
    [{ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 1.5 }, 400, "points"],
    [{ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: "5" }, 400, "points"],
    [{ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 2 ** 53 }, 400, "points"],
    [{ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a1.ranac, points: 1 }, 400, "toAccountId"],
    [{ fromAccountId: "../x", toAccountId: IDS.a2.ranac, points: 1 }, 400, "fromAccountId"],
    ["[1,2]", 400, "body"],
    ["{not json", 400, "body"],
    [JSON.stringify({ pad: "x".repeat(17 * 1024) }), 413, null],
  ];
  const lines = c.upstream().length;
  for (const [body, status, field] of cases) {
    const res = await c.call("POST", "/api/transfers", { bearer: alex, body });
    assert.equal(res.status, status, JSON.stringify(body).slice(0, 80));
    const e = (await res.json()).Errors.Error[0];
    if (field) assert.equal(e.Details, field);
  }
  const res = await c.call("POST", "/api/transfers", { bearer: alex, body: "{}", headers: { "content-type": "text/plain" } });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).Errors.Error[0].Details, "content-type");
  assert.deepEqual(c.upstream().slice(lines), []);
});

test("a malformed query or body is refused before the entitlement lookup: nothing reaches the sandbox even on a cold cache", async () => {
  // A user the worker has not seen yet: any lookup would show in the sandbox's log.
  const fresh = await token(c.key, { sub: "sam-fresh", role: "consumer", bcn: IDS.customerB.bcn });
  const lines = c.upstream().length;
  for (const q of ["?foo=1", "?accountId=1&accountId=2", "?accountId=", `?accountId=${IDS.b1.ranac}&customerId=x`]) {
    const res = await c.call("GET", `/api/points-details${q}`, { bearer: fresh });
    assert.equal(res.status, 400, q);
  }
  const same = await c.call("POST", "/api/transfers", { bearer: fresh, body: { fromAccountId: IDS.b1.ranac, toAccountId: IDS.b1.ranac, points: 1 } });
  assert.equal(same.status, 400);
  const card = await c.call("POST", "/api/agent/adjustments", { bearer: agent, body: { accountId: IDS.b1.ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: "dispute on 5555 4444 3333 2222" } });
  assert.equal(card.status, 400, "no card number into PAS's free text");
  assert.equal((await card.json()).Errors.Error[0].Details, "adjustmentReason");
  // A path holding a card number is refused, and the audit line does not repeat it.
  assert.equal((await c.call("GET", `/api/${IDS.a1.ban}`, { bearer: fresh })).status, 404);
  assert.deepEqual(c.upstream().slice(lines), []);
  assert.ok(c.wk.audits().some((a) => a.route === "unknown" && a.status === 404));
});

test("CORS for the page's origin only, Vary: Origin on every answer", async () => {
  const pre = await fetch(`${c.wk.base}/api/transfers`, { method: "OPTIONS", headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), ORIGIN);
  assert.match(pre.headers.get("access-control-allow-headers"), /authorization/);
  const evil = await fetch(`${c.wk.base}/api/transfers`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
  assert.equal(evil.status, 403);
  assert.equal(evil.headers.get("access-control-allow-origin"), null);
  const lines = c.upstream().length;
  const forged = await c.call("GET", "/api/me", { bearer: alex, headers: { origin: "https://evil.example" } });
  assert.equal(forged.status, 403);
  assert.equal(forged.headers.get("vary"), "Origin");
  const ok = await c.call("GET", "/api/me", { bearer: alex, headers: { origin: ORIGIN } });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("access-control-allow-origin"), ORIGIN);
  assert.equal(ok.headers.get("vary"), "Origin");
  assert.deepEqual(c.upstream().slice(lines), []);
});

test("one audit line per write and per refusal, with no card number, key or token in any log line", async () => {
  const audits = c.wk.audits();
  const writes = audits.filter((a) => a.route === "POST /api/transfers" || a.route === "POST /api/agent/adjustments");
  assert.ok(writes.some((a) => a.outcome === "OK" && a.user === "alex" && a.target.lastFour === "2222" && a.target.id === IDS.a1.ranac && a.status === 200));
  assert.ok(writes.some((a) => a.outcome === "OK" && a.user === "agent-7" && a.target.lastFour === "1111"));
  assert.ok(audits.some((a) => a.outcome === "FORBIDDEN" && a.user === "alex" && a.status === 403));
  assert.ok(audits.every((a) => typeof a.correlationId === "string" && a.correlationId.length > 0));
  const all = c.wk.logs.join("\n");
  for (const secret of [IDS.a1.ban, IDS.a2.ban, IDS.b1.ban, alex, sam, agent, "PRIVATE KEY", c.sb.keys.consumerKey]) {
    assert.ok(!all.includes(secret), `a log line holds ${secret.slice(0, 12)}…`);
  }
});

test("the worker refuses to start on a missing or malformed setting, naming it and not its value", async () => {
  const good = {
    MC_CONSUMER_KEY: c.sb.keys.consumerKey, MC_SIGNING_KEY: c.sb.keys.signingKey, MC_DECRYPTION_KEY: c.sb.keys.clientKey,
    MC_ENCRYPTION_CERT: c.sb.keys.mastercardCertificate, UPSTREAM_BASE: c.sb.base, AUTH_JWKS: JSON.stringify({ keys: [c.key.jwk] }),
    AUTH_ISSUER: "https://id.example", AUTH_AUDIENCE: "a", ALLOWED_ORIGINS: ORIGIN,
  };
  const bad = [
    [{ AUTH_ISSUER: "" }, /AUTH_ISSUER/],
    [{ AUTH_JWKS: JSON.stringify({ keys: [{ ...c.key.jwk, d: "secret" }] }) }, /public/],
    [{ AUTH_JWKS_URL: "https://id.example/jwks" }, /exactly one/],
    [{ ALLOWED_ORIGINS: "https://a.example/path" }, /exact origins/],
    [{ UPSTREAM_BASE: "http://mastercard.example/loyalty" }, /https/],
    [{ MC_SIGNING_KEY: "not a pem" }, /MC_SIGNING_KEY/],
    [{ MC_DECRYPTION_KEY: "-----BEGIN PRIVATE KEY-----\nMIIE" }, /MC_DECRYPTION_KEY/],
    [{ MC_SIGNATURE_METHOD: "HMAC-SHA1" }, /MC_SIGNATURE_METHOD/],
    [{ MC_DECRYPTION_KEY: `${c.sb.keys.clientKey}\n`.repeat(9) }, /MC_DECRYPTION_KEY must hold 1 to 8/],
    [{ UPSTREAM_TIMEOUT_MS: "12x" }, /UPSTREAM_TIMEOUT_MS/],
    [{ REASON_MAX_LENGTH: "0" }, /REASON_MAX_LENGTH/],
    [{ ADJUSTED_BY_MAX_LENGTH: "5000" }, /ADJUSTED_BY_MAX_LENGTH/],
    [{ TYPE_CODE_MAX_LENGTH: "1" }, /TRANSFER_TYPE_CODE/],
    [{ READ_RATE_LIMIT: "0" }, /READ_RATE_LIMIT/],
    [{ SEARCH_RATE_WINDOW_S: "-1" }, /SEARCH_RATE_WINDOW_S/],
    [{ ADJUSTMENT_MAX_POINTS: "9007199254740992" }, /ADJUSTMENT_MAX_POINTS/],
    [{ AGENT_DAILY_MAX_POINTS: "lots" }, /AGENT_DAILY_MAX_POINTS/],
    [{ APPROVAL_THRESHOLD_POINTS: "1e3" }, /APPROVAL_THRESHOLD_POINTS/],
    [{ APPROVAL_TTL_S: "0" }, /APPROVAL_TTL_S/],
    [{ RECONCILE_FOR_S: "0" }, /RECONCILE_FOR_S/],
    [{ MAX_TOKEN_LIFETIME_S: "10" }, /MAX_TOKEN_LIFETIME_S/],
    [{ AUDIT_READS: "none" }, /AUDIT_READS/],
  ];
  for (const [change, message] of bad) {
    assert.throws(() => start(0, { ...good, ...change }, "ignore"), (e) => e.name === "SettingsError" && message.test(e.message) && !e.message.includes(c.sb.keys.consumerKey));
  }
  // Run without the check (as Cloudflare would run it), it answers 500 to everything, naming nothing.
  const w = await worker({ ...good, AUTH_AUDIENCE: "" }, "misconfigured", { check: false });
  try {
    const res = await fetch(`${w.base}/api/me`, { headers: { authorization: `Bearer ${alex}` } });
    assert.equal(res.status, 500);
    const e = (await res.json()).Errors.Error[0];
    assert.deepEqual([e.Source, e.ReasonCode], ["worker", "WORKER_MISCONFIGURED"]);
    assert.equal(res.headers.get("vary"), "Origin");
    assert.ok(w.logs.some((l) => l.includes("AUTH_AUDIENCE is required")));
  } finally {
    await w.stop();
  }
});

test("MC_DECRYPTION_KEY may hold several PEM keys: a rotation's new key beside the old one", async () => {
  const other = keySet(3072).key;
  const env = {
    MC_CONSUMER_KEY: c.sb.keys.consumerKey, MC_SIGNING_KEY: c.sb.keys.signingKey,
    MC_ENCRYPTION_CERT: c.sb.keys.mastercardCertificate, UPSTREAM_BASE: c.sb.base, AUTH_JWKS: JSON.stringify({ keys: [c.key.jwk] }),
    AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, ALLOWED_ORIGINS: ORIGIN,
  };
  // The sandbox encrypts a search's answer to the client key: found whether it comes first or last.
  // A certificate beside the keys (as `openssl pkcs12 -nodes` writes them) is left out.
  const cert = c.sb.keys.mastercardCertificate;
  for (const [keys, status] of [[`${other}\n${c.sb.keys.clientKey}`, 200], [`${c.sb.keys.clientKey}\n${other}`, 200], [`Bag Attributes\n${cert}\n${c.sb.keys.clientKey}`, 200], [other, 502]]) {
    const w = await worker({ ...env, MC_DECRYPTION_KEY: keys });
    try {
      const res = await fetch(`${w.base}/api/agent/search`, {
        method: "POST",
        headers: { authorization: `Bearer ${agent}`, "content-type": "application/json" },
        body: JSON.stringify({ userId: IDS.a1.ban, userIdType: "BAN" }),
      });
      assert.equal(res.status, status, await res.clone().text());
      if (status === 200) assert.equal((await res.json()).userReferences[0].customerId, IDS.customerA.rancu);
    } finally {
      await w.stop();
    }
  }
});

test("MC_SIGNATURE_METHOD=RSA-PSS: the worker's calls pass the gateway's PSS check", async () => {
  const env = {
    MC_CONSUMER_KEY: c.sb.keys.consumerKey, MC_SIGNING_KEY: c.sb.keys.signingKey, MC_DECRYPTION_KEY: c.sb.keys.clientKey,
    MC_ENCRYPTION_CERT: c.sb.keys.mastercardCertificate, UPSTREAM_BASE: c.sb.base, AUTH_JWKS: JSON.stringify({ keys: [c.key.jwk] }),
    AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, ALLOWED_ORIGINS: ORIGIN, MC_SIGNATURE_METHOD: "RSA-PSS",
  };
  // Through a relay that records each call's Authorization header on its way to the sandbox.
  const rl = await relay(new URL(c.sb.base).origin);
  const w = await worker({ ...env, UPSTREAM_BASE: `${rl.base}${new URL(c.sb.base).pathname}` });
  try {
    const res = await fetch(`${w.base}/api/agent/search`, {
      method: "POST",
      headers: { authorization: `Bearer ${agent}`, "content-type": "application/json" },
      body: JSON.stringify({ userId: IDS.a1.ban, userIdType: "BAN" }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).userReferences[0].customerId, IDS.customerA.rancu);
    assert.ok(rl.seen.length > 0);
    for (const s of rl.seen) assert.match(s.authorization, /oauth_signature_method="RSA-PSS"/);
  } finally {
    await w.stop();
    await rl.stop();
  }
});
