// The proxy authenticates its caller before anything else, and its new rules: settings
// checked at start, no duplicate or oauth_* query keys, Connection-listed headers dropped,
// Vary: Origin on every answer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg } from "./helpers.mjs";
import { sandbox, IDS } from "./sandbox-support.mjs";
import { upstream, proxy, PROXY_TOKEN } from "./proxy-support.mjs";
import { issuerKey, token } from "./worker-support.mjs";
import { start } from "../../proxy/serve.mjs";
import { request } from "node:http";

/** A GET with headers fetch will not send (Connection), through node:http. */
const rawGet = (url, headers) => new Promise((ok, fail) => {
  const req = request(url, { headers }, (res) => {
    res.resume();
    res.on("end", () => ok(res));
  });
  req.on("error", fail);
  req.end();
});

const ORIGIN = "https://app.example.com";
let sb;
let px;
before(async () => {
  sb = await sandbox(["--log-requests"]);
  px = await proxy({ MC_CONSUMER_KEY: sb.keys.consumerKey, MC_SIGNING_KEY: sb.keys.signingKey, UPSTREAM_BASE: sb.base, ALLOWED_ORIGINS: ORIGIN });
});
after(async () => {
  await px?.stop();
  await sb?.stop();
});

const sandboxLines = () => sb.logs.join("").split("\n").filter((l) => /^(GET|POST) \//.test(l));

test("the minting attack: a stranger's adjustment, encrypted with the public certificate only, is refused and reaches nothing", async () => {
  const owner = await pkg.PointsClient.create({ baseUrl: `${px.base}/loyalty`, headers: px.auth });
  const before = (await owner.getPointsDetails({ userId: IDS.b1.ranac, userIdType: "RANAC" })).availablePoints;
  const lines = sandboxLines().length;
  const jwe = await pkg.encryptPayload({ bankAccountNumber: IDS.b1.ban, pointsToAdjust: 1000000, adjustmentTypeCode: "CR", adjustmentReason: "free points", adjustedBy: "mallory" }, { certificate: sb.keys.mastercardCertificate });
  const body = JSON.stringify({ encryptedPayload: jwe });
  for (const headers of [{}, { origin: ORIGIN }, { authorization: "Bearer guess" }, { authorization: `Bearer ${PROXY_TOKEN.slice(0, -1)}x` }, { authorization: PROXY_TOKEN }]) {
    const res = await fetch(`${px.base}/loyalty/points-adjustments`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    assert.equal(res.status, 401, JSON.stringify(headers));
    assert.equal((await res.json()).Errors.Error[0].ReasonCode, "UNAUTHENTICATED");
    assert.equal(res.headers.get("vary"), "Origin");
  }
  assert.deepEqual(sandboxLines().slice(lines), [], "the sandbox saw nothing");
  assert.equal((await owner.getPointsDetails({ userId: IDS.b1.ranac, userIdType: "RANAC" })).availablePoints, before, "the balance is unchanged");
});

test("a JWT of role service is a caller; any other role, or a bad token, is not", async () => {
  const key = await issuerKey();
  const jwtProxy = await proxy({
    MC_CONSUMER_KEY: sb.keys.consumerKey, MC_SIGNING_KEY: sb.keys.signingKey, UPSTREAM_BASE: sb.base, PROXY_TOKEN: "",
    AUTH_JWKS: JSON.stringify({ keys: [key.jwk] }), AUTH_ISSUER: "https://id.test.example", AUTH_AUDIENCE: "points-proxy",
  });
  try {
    const url = `${jwtProxy.base}/loyalty/points-details?user_id=${IDS.a1.ranac}&user_id_type=RANAC`;
    const as = async (claims, opts) => (await fetch(url, { headers: { authorization: `Bearer ${await token(key, claims, { aud: "points-proxy", ...opts })}` } })).status;
    assert.equal(await as({ sub: "billing", role: "service" }), 200);
    assert.equal(await as({ sub: "alex", role: "consumer", bcn: "x" }), 401);
    assert.equal(await as({ sub: "billing", role: "service" }, { aud: "points-worker" }), 401);
    assert.equal(await as({ sub: "billing", role: "service" }, { exp: Math.floor(Date.now() / 1000) - 120 }), 401);
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${PROXY_TOKEN}` } })).status, 401, "no shared token configured");
  } finally {
    await jwtProxy.stop();
  }
});

test("duplicate and oauth_* query keys are 400; Connection-listed headers are dropped", async () => {
  const up = await upstream();
  const p = await proxy({ UPSTREAM_BASE: `http://127.0.0.1:${up.port}/loyalty`, ALLOWED_HEADERS: "x-correlation-id,x-tenant" });
  try {
    for (const q of ["user_id=1&user_id=2", "user_id=1&oauth_nonce=x", "OAuth_Signature=1", "a=1&a", "%E0%A4%A=1"]) {
      const res = await fetch(`${p.base}/loyalty/points-details?${q}`, { headers: p.auth });
      assert.equal(res.status, 400, q);
      assert.equal(res.headers.get("vary"), "Origin");
    }
    assert.equal(up.seen.length, 0);
    const res = await rawGet(`${p.base}/loyalty/points-details?user_id=1&user_id_type=RANAC`, { ...p.auth, connection: "keep-alive, x-tenant", "x-tenant": "t-1", "x-correlation-id": "c-1" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers.vary, "Origin");
    assert.equal(up.seen[0].headers["x-tenant"], undefined, "listed in Connection: hop-by-hop");
    assert.equal(up.seen[0].headers["x-correlation-id"], "c-1");
  } finally {
    await p.stop();
    await up.close();
  }
});

test("settings are checked at start: the proxy refuses to start rather than guess", () => {
  const good = { MC_CONSUMER_KEY: "ck", MC_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----", UPSTREAM_BASE: "https://api.example/loyalty", PROXY_TOKEN };
  const bad = [
    [{ PROXY_TOKEN: "" }, /no caller check/],
    [{ PROXY_TOKEN: "short" }, /PROXY_TOKEN/],
    [{ ALLOWED_HEADERS: "x-correlation-id,Authorization" }, /authorization/],
    [{ ALLOWED_HEADERS: "cookie" }, /cookie/],
    [{ ALLOWED_HEADERS: "host" }, /host/],
    [{ ALLOWED_HEADERS: "X-Forwarded-For" }, /x-forwarded-for/],
    [{ MAX_BODY_BYTES: "64k" }, /MAX_BODY_BYTES/],
    [{ UPSTREAM_TIMEOUT_MS: "-1" }, /UPSTREAM_TIMEOUT_MS/],
    [{ UPSTREAM_BASE: "http://api.example/loyalty" }, /https/],
    [{ ALLOWED_ORIGINS: "https://a.example/" }, /exact origins/],
    [{ AUTH_JWKS: "{}", PROXY_TOKEN: "" }, /AUTH_ISSUER/],
    [{ MC_SIGNATURE_METHOD: "RSA-SHA1" }, /MC_SIGNATURE_METHOD/],
  ];
  for (const [change, message] of bad) {
    assert.throws(() => start(0, { ...good, ...change }, "ignore"), (e) => e.name === "SettingsError" && message.test(e.message) && !e.message.includes(PROXY_TOKEN), JSON.stringify(change));
  }
});

test("run without its start-up check (as Cloudflare would), a proxy with no caller check answers 500 to everything", async () => {
  const up = await upstream();
  const p = await proxy({ UPSTREAM_BASE: `http://127.0.0.1:${up.port}/loyalty`, PROXY_TOKEN: "" }, { check: false });
  try {
    const res = await fetch(`${p.base}/loyalty/points-details?user_id=1&user_id_type=RANAC`);
    assert.equal(res.status, 500);
    assert.equal((await res.json()).Errors.Error[0].ReasonCode, "PROXY_MISCONFIGURED");
    assert.equal(up.seen.length, 0);
  } finally {
    await p.stop();
    await up.close();
  }
});
