// The signing proxy in workerd against a verifying upstream: the proxy contract end to end.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { upstream, proxy, SIGNING_KEY, CONSUMER_KEY, PROXY_TOKEN } from "./proxy-support.mjs";

const ORIGIN = "https://app.example.com";
let up;
let px;
before(async () => {
  up = await upstream();
  px = await proxy({ UPSTREAM_BASE: `http://127.0.0.1:${up.port}/loyalty`, ALLOWED_ORIGINS: `${ORIGIN}, http://localhost:5173`, MAX_BODY_BYTES: "4096" });
});
after(async () => {
  await px.stop();
  await up.close();
});

const responses = [];
async function call(method, path, { body, headers = {}, anonymous = false } = {}) {
  const res = await fetch(`${px.base}${path}`, { method, body, headers: anonymous ? headers : { ...px.auth, ...headers } });
  const text = await res.text();
  responses.push({ headers: [...res.headers].join("\n"), text });
  return { res, text };
}

const ROUTES = [
  ["GET", "/loyalty/points-details?user_id=301234567890&user_id_type=RANAC"],
  ["GET", "/loyalty/points-expirations-details?user_id=1&user_id_type=RANCU&from=2026-01-01&x=a%20b"],
  ["GET", "/loyalty/points-adjustments-details?user_id=1&user_id_type=RANAC"],
  ["POST", "/loyalty/points-adjustments"],
  ["POST", "/loyalty/points-transfers"],
  ["POST", "/loyalty/mrs/users/references/searches"],
];

test("every allowlisted route is forwarded, signed, with the same bytes", async () => {
  for (const [method, path] of ROUTES) {
    const before = up.seen.length;
    const body = method === "POST" ? `{"encryptedPayload":"eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.é.${path}"}` : undefined;
    const { res, text } = await call(method, path, {
      body,
      headers: { origin: ORIGIN, "content-type": "application/json", cookie: "session=browser", "x-correlation-id": "c-7", connection: "keep-alive" },
    });
    assert.equal(res.status, 200, `${method} ${path}: ${text}`);
    assert.equal(text, '{"ok":true}');
    assert.equal(res.headers.get("access-control-allow-origin"), ORIGIN);
    assert.equal(res.headers.get("set-cookie"), null, "upstream cookies stay behind");
    assert.equal(res.headers.get("x-correlation-id"), "u-1");
    assert.equal(up.seen.length, before + 1);
    const got = up.seen.at(-1);
    assert.equal(got.method, method);
    assert.equal(got.url, path, "path and query forwarded unchanged");
    assert.ok(got.check.ok, `${method} ${path}: signature ${got.check.signatureOk}, body hash ${got.check.hashOk}`);
    assert.equal(got.body.toString(), body ?? "", "the same bytes");
    assert.equal(got.headers.cookie, undefined, "cookies dropped");
    assert.equal(got.headers["x-correlation-id"], "c-7");
    assert.match(got.headers.authorization, /^OAuth /, "the caller's Authorization is replaced");
    assert.ok(!JSON.stringify(got.headers).includes(PROXY_TOKEN), "the caller's token is not forwarded");
  }
});

test("MC_SIGNATURE_METHOD=RSA-PSS: forwarded requests carry RSA-PSS signatures the upstream verifies", async () => {
  const pss = await proxy({ UPSTREAM_BASE: `http://127.0.0.1:${up.port}/loyalty`, MC_SIGNATURE_METHOD: "RSA-PSS" });
  try {
    for (const [method, path] of [ROUTES[0], ROUTES[3]]) {
      const before = up.seen.length;
      const res = await fetch(`${pss.base}${path}`, { method, body: method === "POST" ? '{"a":1}' : undefined, headers: { ...pss.auth, "content-type": "application/json" } });
      assert.equal(res.status, 200, await res.text());
      const got = up.seen[before];
      assert.equal(got.check.params.oauth_signature_method, "RSA-PSS");
      assert.ok(got.check.ok, `${method} ${path}: signature ${got.check.signatureOk}, body hash ${got.check.hashOk}`);
    }
  } finally {
    await pss.stop();
  }
});

test("other paths and methods are 404 and never forwarded", async () => {
  const before = up.seen.length;
  const cases = [
    ["GET", "/loyalty/points-adjustments"], ["POST", "/loyalty/points-details"], ["DELETE", "/loyalty/points-transfers"],
    ["GET", "/loyalty/../admin"], ["GET", "/points-details"], ["GET", "/loyalty/points-details/extra"],
    ["GET", "/loyalty/mrs/users"], ["PUT", "/loyalty/points-adjustments"], ["GET", "/"],
    ["GET", "/loyalty/https://evil.example/points-details"],
  ];
  for (const [method, path] of cases) {
    const { res, text } = await call(method, path, { headers: { origin: ORIGIN } });
    assert.equal(res.status, 404, `${method} ${path}`);
    const e = JSON.parse(text).Errors.Error[0];
    assert.equal(e.Source, "proxy");
    assert.equal(e.ReasonCode, "NOT_FOUND");
  }
  assert.equal(up.seen.length, before, "the upstream saw nothing");
});

test("preflights: allowed origins get CORS, others do not", async () => {
  const ok = await call("OPTIONS", "/loyalty/points-adjustments", {
    headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type, x-correlation-id, x-evil" },
  });
  assert.equal(ok.res.status, 204);
  assert.equal(ok.res.headers.get("access-control-allow-origin"), ORIGIN);
  assert.equal(ok.res.headers.get("access-control-allow-methods"), "POST");
  assert.equal(ok.res.headers.get("access-control-allow-headers"), "content-type, x-correlation-id");
  for (const [origin, method] of [["https://evil.example", "POST"], [ORIGIN, "GET"], [null, "POST"]]) {
    const headers = { "access-control-request-method": method };
    if (origin) headers.origin = origin;
    const r = await call("OPTIONS", "/loyalty/points-adjustments", { headers });
    assert.equal(r.res.status, 403, `${origin} ${method}`);
    assert.equal(r.res.headers.get("access-control-allow-origin"), null);
  }
  const before = up.seen.length;
  const cross = await call("GET", ROUTES[0][1], { headers: { origin: "https://evil.example" } });
  assert.equal(cross.res.status, 403);
  assert.equal(up.seen.length, before, "a refused origin is not forwarded");
});

test("an oversize body is refused before forwarding", async () => {
  const before = up.seen.length;
  const big = await call("POST", "/loyalty/points-adjustments", { body: "x".repeat(5000), headers: { origin: ORIGIN, "content-type": "application/json" } });
  assert.equal(big.res.status, 413);
  assert.equal(JSON.parse(big.text).Errors.Error[0].ReasonCode, "BODY_TOO_LARGE");
  // Streamed without a Content-Length, too.
  const stream = new ReadableStream({ start(c) { for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("y".repeat(1000))); c.close(); } });
  // The proxy stops reading at the cap: the client sees the 413 or, mid-upload, a closed stream.
  const res = await fetch(`${px.base}/loyalty/points-transfers`, { method: "POST", body: stream, duplex: "half", headers: { origin: ORIGIN, ...px.auth } })
    .catch((e) => ({ status: "closed", error: e }));
  assert.ok(res.status === 413 || res.status === "closed", String(res.status));
  assert.equal(up.seen.length, before);
});

test("an unreachable upstream gives the proxy's own error", async () => {
  const down = await proxy({ UPSTREAM_BASE: "http://127.0.0.1:1/loyalty", ALLOWED_ORIGINS: ORIGIN });
  try {
    const res = await fetch(`${down.base}/loyalty/points-details?user_id=1&user_id_type=RANAC`, { headers: { origin: ORIGIN, ...down.auth } });
    const text = await res.text();
    responses.push({ headers: [...res.headers].join("\n"), text });
    assert.equal(res.status, 502);
    const e = JSON.parse(text).Errors.Error[0];
    assert.deepEqual([e.Source, e.ReasonCode, e.Recoverable], ["proxy", "UPSTREAM_UNREACHABLE", true]);
    assert.equal(res.headers.get("access-control-allow-origin"), ORIGIN);
  } finally {
    await down.stop();
    for (const line of down.logs) assert.ok(!line.includes(SIGNING_KEY.split("\n")[5]), "no key in the logs");
  }
});

test("a bad signing key is the proxy's 500, without the key", async () => {
  const bad = await proxy({ UPSTREAM_BASE: `http://127.0.0.1:${up.port}/loyalty`, ALLOWED_ORIGINS: ORIGIN, MC_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----\nQUFBQQ==\n-----END PRIVATE KEY-----" });
  try {
    const res = await fetch(`${bad.base}/loyalty/points-details?user_id=1&user_id_type=RANAC`, { headers: bad.auth });
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.equal(JSON.parse(text).Errors.Error[0].ReasonCode, "PROXY_MISCONFIGURED");
    assert.ok(!text.includes("QUFBQQ"));
  } finally {
    await bad.stop();
    assert.ok(!bad.logs.join("").includes("QUFBQQ"), "no key in the logs");
  }
});

test("the signing key and consumer key appear in no response and no log line", () => {
  const keyLines = SIGNING_KEY.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
  const everything = responses.map((r) => `${r.headers}\n${r.text}`).join("\n") + px.logs.join("");
  assert.ok(responses.length >= 20);
  for (const line of keyLines) assert.ok(!everything.includes(line.slice(0, 24)), "key material leaked");
  assert.ok(!everything.includes(CONSUMER_KEY));
});
