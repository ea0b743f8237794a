// PointsClient's `signer` option: the client signs the exact bytes it sends and calls the
// gateway directly (here the sandbox, whose OAuth check is OpenSSL's, independent of ours).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { pkg } from "./helpers.mjs";
import { sandbox, IDS } from "./sandbox-support.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
let sb;
before(async () => {
  sb = await sandbox(["--encrypt-responses", "sensitive", "--faults"]);
});
after(async () => sb && sb.stop());

const fails = (p) => p.then((v) => assert.fail(`resolved: ${JSON.stringify(v)}`), (e) => e);
const header = (h, name) => (h instanceof Headers ? h.get(name) : h[name]);
const param = (auth, name) => decodeURIComponent(new RegExp(`${name}="([^"]*)"`).exec(auth)[1]);

/** A fetch that records what it sends, optionally adding a header to the first attempt. */
function recording(firstHeaders = {}) {
  const sent = [];
  const fetchImpl = (url, init) => {
    const headers = new Headers(init.headers);
    if (sent.length === 0) for (const [k, v] of Object.entries(firstHeaders)) headers.set(k, v);
    sent.push({ url, method: init.method, headers, body: init.body });
    return fetch(url, { ...init, headers });
  };
  return { sent, fetchImpl };
}

const direct = (extra) => pkg.PointsClient.create({
  baseUrl: sb.base,
  encryption: { certificate: sb.keys.mastercardCertificate, decryptionKey: sb.keys.clientKey },
  retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
  ...extra,
});

test("with { consumerKey, signingKey } every operation reaches the gateway signed, with no proxy", async () => {
  const { sent, fetchImpl } = recording();
  const client = await direct({ signer: { consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey }, fetch: fetchImpl });
  const details = await client.getPointsDetails({ userId: IDS.a1.ban, userIdType: "BAN" });
  assert.equal(details.level, "ACCOUNT");
  const adj = await client.adjustPoints({ bankAccountNumber: IDS.a1.ban, pointsToAdjust: 10, adjustmentTypeCode: "CR", adjustmentReason: "signed in-process", adjustedBy: "t" });
  assert.equal(adj.pointsAdjusted, 10);
  const found = await client.searchUserReferences({ userId: IDS.customerA.bcn, userIdType: "BCN", includeSensitiveIdentifiers: true });
  assert.equal(found.userReferences[0].customerId, IDS.customerA.rancu);
  // The body hash covers the very bytes sent, which leave as bytes, not as a string.
  const post = sent.find((s) => s.method === "POST" && s.url.endsWith("/points-adjustments"));
  assert.ok(post.body instanceof Uint8Array);
  const auth = header(post.headers, "authorization");
  assert.equal(param(auth, "oauth_consumer_key"), sb.keys.consumerKey);
  assert.equal(param(auth, "oauth_body_hash"), createHash("sha256").update(post.body).digest("base64"));
  const get = sent.find((s) => s.method === "GET");
  assert.equal(param(header(get.headers, "authorization"), "oauth_body_hash"), createHash("sha256").update("").digest("base64"));
});

test("with signatureMethod RSA-PSS every operation passes the gateway's PSS check", async () => {
  const { sent, fetchImpl } = recording();
  const client = await direct({ signer: { consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey, signatureMethod: "RSA-PSS" }, fetch: fetchImpl });
  assert.equal((await client.getPointsDetails({ userId: IDS.a1.ban, userIdType: "BAN" })).level, "ACCOUNT");
  const adj = await client.adjustPoints({ bankAccountNumber: IDS.a1.ban, pointsToAdjust: 3, adjustmentTypeCode: "CR", adjustmentReason: "signed with PSS", adjustedBy: "t" });
  assert.equal(adj.pointsAdjusted, 3);
  assert.ok(sent.length >= 3);
  for (const s of sent) assert.equal(param(header(s.headers, "authorization"), "oauth_signature_method"), "RSA-PSS");
});

test("an OAuth1Signer is used as it is, and a caller's authorization header never wins", async () => {
  const signer = await pkg.OAuth1Signer.create({ consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey });
  const { sent, fetchImpl } = recording();
  const client = await direct({ signer, fetch: fetchImpl, headers: { authorization: "Bearer stolen" } });
  const exp = await client.getPointsExpirations({ userId: IDS.a1.ranac, userIdType: "RANAC" });
  assert.equal(typeof exp.lifetimePointsExpired, "number");
  assert.match(header(sent[0].headers, "authorization"), /^OAuth /);
  // The signer still works for its owner afterwards: the client did not take it over.
  assert.match(await signer.authorizationHeader("GET", `${sb.base}/points-details`), /^OAuth /);
});

test("each retried attempt is signed afresh (new nonce), and the sandbox accepts the retry", async () => {
  const { sent, fetchImpl } = recording({ "x-sandbox-fault": "500" });
  const client = await direct({ signer: { consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey }, fetch: fetchImpl });
  const details = await client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" });
  assert.equal(details.level, "ACCOUNT");
  assert.equal(sent.length, 2);
  const nonces = sent.map((s) => param(header(s.headers, "authorization"), "oauth_nonce"));
  assert.notEqual(nonces[0], nonces[1]);
});

test("without a signer nothing is signed (the proxy's job), and the sandbox refuses the call", async () => {
  const client = await direct({});
  const e = await fails(client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" }));
  assert.equal(e.code, "ERR_API");
  assert.equal(e.status, 401);
});

test("a caller's signer that throws, lies or hangs ends the call with a typed error and sends nothing", async () => {
  let fetched = 0;
  const fetchImpl = (...a) => { fetched++; return fetch(...a); };
  const cases = [
    [{ authorizationHeader() { throw new Error("no key"); } }, "ERR_CONFIG"],
    [{ authorizationHeader: async () => 42 }, "ERR_CONFIG"],
    [{ authorizationHeader: async () => "Bearer x" }, "ERR_CONFIG"],
    [{ authorizationHeader: async () => "OAuth a=\"1\"\r\nx-evil: 1" }, "ERR_CONFIG"],
    [{ authorizationHeader: async () => `OAuth ${"a".repeat(5000)}` }, "ERR_CONFIG"],
    [{ authorizationHeader: () => ({ then(ok, no) { ok("OAuth x"); no(new Error("twice")); ok("again"); } }) }, null],
    [{ authorizationHeader: () => new Promise(() => {}) }, "ERR_TIMEOUT"],
  ];
  for (const [signer, code] of cases) {
    const client = await direct({ signer, fetch: fetchImpl, timeoutMs: 200 });
    const before = fetched;
    const result = await client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" }).then(() => null, (e) => e);
    if (code === null) {
      // A thenable that settles twice: its first answer counts, once; the sandbox then refuses the bogus signature.
      assert.equal(result.code, "ERR_API");
      assert.equal(fetched, before + 1);
      continue;
    }
    assert.ok(result instanceof pkg.PointsError, String(result));
    assert.equal(result.code, code);
    if (code === "ERR_TIMEOUT") assert.equal(result.mayHaveBeenSent, false);
    assert.equal(fetched, before, `nothing sent for ${code}`);
  }
});

test("a signer behind a hostile Proxy settles create with a typed error or a working client", async () => {
  const within = (p) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error("create never settled")), 2000))]);
  const real = await pkg.OAuth1Signer.create({ consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey });
  // `hasOwn` throws through the trap: the signer counts as one with no own key, a delegate.
  const trapped = new Proxy({ authorizationHeader: (...a) => real.authorizationHeader(...a) }, {
    getOwnPropertyDescriptor() { throw new Error("trap"); },
  });
  const client = await within(direct({ signer: trapped }));
  assert.equal((await client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" })).level, "ACCOUNT");
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const e = await within(fails(direct({ signer: proxy })));
  assert.ok(e instanceof pkg.PointsError, String(e));
  // The module is still whole: a plain signer works after both.
  const after = await within(direct({ signer: { consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey } }));
  assert.equal((await after.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" })).level, "ACCOUNT");
});

test("a signer needs absolute base URLs, and a bad signing key fails at create", async () => {
  const signer = { consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey };
  let e = await fails(pkg.PointsClient.create({ baseUrl: "/loyalty", signer }));
  assert.equal(e.code, "ERR_CONFIG");
  assert.match(e.message, /absolute/);
  e = await fails(pkg.PointsClient.create({ baseUrl: sb.base, signer: { consumerKey: sb.keys.consumerKey, signingKey: "not a key" } }));
  assert.equal(e.code, "ERR_KEY_INVALID");
  e = await fails(pkg.PointsClient.create({ baseUrl: sb.base, signer: "key" }));
  assert.equal(e.code, "ERR_CONFIG");
  assert.ok(!e.message.includes("PRIVATE KEY"));
});

test("the browser build refuses a signer with PointsConfigError", async () => {
  const dir = join(root, "pkg", "browser");
  const browser = await import(pathToFileURL(join(dir, "points_activity.js")).href);
  browser.initSync({ module: readFileSync(join(dir, "points_activity_bg.wasm")) });
  const e = await fails(browser.PointsClient.create({ baseUrl: sb.base, signer: { consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey } }));
  assert.equal(e.name, "PointsConfigError");
  assert.equal(e.code, "ERR_CONFIG");
  assert.match(e.message, /browser build/);
  assert.equal(typeof browser.OAuth1Signer, "undefined");
});
