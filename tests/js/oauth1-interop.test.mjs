// OAuth1Signer against Mastercard's own signer (mastercard-oauth1-signer, its nonce and clock
// stubbed): byte-for-byte the same Authorization header on generated requests, GET and POST,
// encoded paths, repeated keys, empty values, reserved characters, bodies up to 1 MiB.
// Inputs stay within that library's documented quirks (see docs/signing.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createPrivateKey, createPublicKey, createVerify } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pkg, fixture } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const OAuth = require("mastercard-oauth1-signer");
const SIGNING_KEY = fixture("keys/oauth-signing-key.pkcs8.pem");

// A small deterministic generator (xorshift), so a failure names a reproducible case.
function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
  return { next, pick: (xs) => xs[Math.floor(next() * xs.length)], int: (n) => Math.floor(next() * n) };
}
const UNRESERVED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
const ENCODED = ["%20", "%2F", "%3D", "%26", "%40", "%C3%A9", "%E2%82%AC", "%2B", "%25", "%21", "%2A", "%27", "%28"];
function token(r, min, max, encoded = true) {
  let out = "";
  const n = min + r.int(max - min + 1);
  for (let i = 0; i < n; i++) out += encoded && r.next() < 0.2 ? r.pick(ENCODED) : UNRESERVED[r.int(UNRESERVED.length)];
  return out;
}
function request(r, i) {
  const scheme = r.pick(["https", "HTTPS", "http"]);
  const host = r.pick(["sandbox.api.mastercard.com", "API.Mastercard.COM", "localhost", "proxy.example.com"]);
  const port = r.pick(["", "", ":8443", ":17443"]);
  const path = Array.from({ length: 1 + r.int(4) }, () => token(r, 1, 12)).join("/");
  // Query keys: no key is a prefix of another followed by "%" (the library sorts "k,[object Set]").
  const keys = Array.from({ length: r.int(6) }, (_, k) => `${token(r, 1, 6, false)}${k}`);
  const pairs = [];
  for (const k of keys) {
    const values = new Set(Array.from({ length: 1 + r.int(3) }, () => (r.next() < 0.2 ? "" : token(r, 0, 10))));
    for (const v of values) pairs.push(r.next() < 0.1 && v === "" ? k : `${k}=${v}`);
  }
  const query = pairs.length ? `?${pairs.sort(() => r.next() - 0.5).join("&")}` : "";
  const method = i % 60 === 7 ? "POST" : r.pick(["GET", "POST", "POST", "PUT", "delete"]);
  const bodies = [null, "", '{"bankAccountNumber":"5555444433332222","pointsToAdjust":1500}',
    '{"name":"Zoë Ørsted","note":"積分 🎁 \\"q\\""}', '{"encryptedPayload":"eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.a.b.c.d"}'];
  // Every 60th request carries 1 MiB (of mixed ASCII and non-ASCII text).
  const body = i % 60 === 7 ? "Zoë 積分 ".repeat(87382).slice(0, 1 << 20) : method.toUpperCase() === "GET" ? null : r.pick(bodies);
  const consumerKey = `${token(r, 8, 24, false)}!${token(r, 8, 16, false)}`;
  return { url: `${scheme}://${host}${port}/${path}${query}`, method, body, consumerKey };
}

test("OAuth1Signer matches mastercard-oauth1-signer byte for byte on 240 generated requests", async () => {
  const r = rng(20261122);
  const signers = new Map();
  const kinds = new Set();
  const saved = { getNonce: OAuth.getNonce, getTimestamp: OAuth.getTimestamp };
  try {
    for (let i = 0; i < 240; i++) {
      const q = request(r, i);
      const fixed = { nonce: token(r, 8, 16, false).replace(/[^A-Za-z0-9]/g, "x"), timestamp: String(1_700_000_000 + i) };
      OAuth.getNonce = () => fixed.nonce;
      OAuth.getTimestamp = () => fixed.timestamp;
      const theirs = OAuth.getAuthorizationHeader(q.url, q.method, q.body, q.consumerKey, SIGNING_KEY);
      if (!signers.has(q.consumerKey)) {
        signers.set(q.consumerKey, await pkg.OAuth1Signer.create({ consumerKey: q.consumerKey, signingKey: SIGNING_KEY }));
      }
      const ours = await signers.get(q.consumerKey).authorizationHeader(q.method, q.url, q.body, fixed);
      assert.equal(ours, theirs, `case ${i}: ${q.method} ${q.url.slice(0, 200)} body ${q.body === null ? "null" : q.body.length}`);
      kinds.add(q.body === null ? "none" : q.body === "" ? "empty" : Buffer.byteLength(q.body) >= 1 << 20 ? "1 MiB" : /[^\x00-\x7f]/.test(q.body) ? "non-ASCII" : "ASCII");
      kinds.add(q.method.toUpperCase());
    }
  } finally {
    Object.assign(OAuth, saved);
  }
  for (const k of ["none", "empty", "ASCII", "non-ASCII", "1 MiB", "GET", "POST"]) assert.ok(kinds.has(k), `covered: ${k}`);
});

test("a fresh nonce and timestamp every time, and a signature the public key verifies", async () => {
  const signer = await pkg.OAuth1Signer.create({ consumerKey: "ck!123", signingKey: SIGNING_KEY });
  const seen = new Set();
  for (let i = 0; i < 50; i++) {
    const h = await signer.authorizationHeader("POST", "https://api.mastercard.com/loyalty/points-adjustments", "{}");
    const nonce = /oauth_nonce="([^"]*)"/.exec(h)[1];
    assert.match(nonce, /^[0-9A-Za-z]{16}$/);
    assert.ok(!seen.has(nonce));
    seen.add(nonce);
    const ts = Number(/oauth_timestamp="(\d+)"/.exec(h)[1]);
    assert.ok(Math.abs(ts - Date.now() / 1000) < 5);
  }
  // Rebuild the base string the gateway's way with the library's pieces and verify.
  const h = await signer.authorizationHeader("GET", "https://api.mastercard.com/loyalty/points-details?user_id=1&user_id_type=RANAC");
  const p = Object.fromEntries([...h.slice(6).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const oauth = new Map(Object.entries(p).filter(([k]) => k !== "oauth_signature"));
  const sbs = OAuth.getSignatureBaseString("GET", "https://api.mastercard.com/loyalty/points-details",
    OAuth.toOAuthParamString(OAuth.extractQueryParams("https://x/?user_id=1&user_id_type=RANAC"), oauth));
  const verify = createVerify("RSA-SHA256").update(sbs);
  assert.ok(verify.verify(createPublicKey(SIGNING_KEY), decodeURIComponent(p.oauth_signature), "base64"));
});

test("the signing key in every form gives the same header", async () => {
  const pk = createPrivateKey(SIGNING_KEY);
  const forms = {
    pkcs8: SIGNING_KEY,
    pkcs1: pk.export({ type: "pkcs1", format: "pem" }),
    der: new Uint8Array(pk.export({ type: "pkcs8", format: "der" })),
    jwk: pk.export({ format: "jwk" }),
    jwkText: JSON.stringify(pk.export({ format: "jwk" })),
    cryptoKey: await crypto.subtle.importKey("pkcs8", pk.export({ type: "pkcs8", format: "der" }),
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]),
  };
  const fixed = { nonce: "abcDEF123", timestamp: "1700000000" };
  const headers = {};
  for (const [name, signingKey] of Object.entries(forms)) {
    const signer = await pkg.OAuth1Signer.create({ consumerKey: "ck!1", signingKey });
    headers[name] = await signer.authorizationHeader("POST", "https://api.mastercard.com/loyalty/points-transfers?a=1", '{"x":1}', fixed);
  }
  for (const [name, h] of Object.entries(headers)) assert.equal(h, headers.pkcs8, name);
});

/** Whether OpenSSL (the command-line tool) verifies `signatureB64` over `text` with RSA-PSS SHA-256, MGF1 SHA-256, a 32-byte salt. */
function opensslVerifiesPss(text, signatureB64) {
  const dir = mkdtempSync(join(tmpdir(), "pa-pss-"));
  writeFileSync(join(dir, "pub.pem"), createPublicKey(SIGNING_KEY).export({ type: "spki", format: "pem" }));
  writeFileSync(join(dir, "sbs"), text);
  writeFileSync(join(dir, "sig"), Buffer.from(signatureB64, "base64"));
  const r = spawnSync("openssl", ["dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32",
    "-sigopt", "rsa_mgf1_md:sha256", "-verify", join(dir, "pub.pem"), "-signature", join(dir, "sig"), join(dir, "sbs")], { encoding: "utf8" });
  return r.status === 0 && /Verified OK/.test(r.stdout);
}

const params = (h) => Object.fromEntries([...h.slice(6).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));

test("RSA-PSS: the header Mastercard's signer makes but its signature, which OpenSSL verifies as PSS", async () => {
  const signer = await pkg.OAuth1Signer.create({ consumerKey: "ck!pss", signingKey: SIGNING_KEY, signatureMethod: "RSA-PSS" });
  const url = "https://api.mastercard.com/loyalty/points-transfers?b=2&a=1";
  const body = '{"fromBankAccountNumber":"5555444433332222"}';
  const fixed = { nonce: "pssNonce1", timestamp: "1700000001" };
  const saved = { getNonce: OAuth.getNonce, getTimestamp: OAuth.getTimestamp };
  let theirs;
  try {
    OAuth.getNonce = () => fixed.nonce;
    OAuth.getTimestamp = () => fixed.timestamp;
    theirs = OAuth.getAuthorizationHeader(url, "POST", body, "ck!pss", SIGNING_KEY, OAuth.SignatureMethod.RSA_PSS_SHA256);
  } finally {
    Object.assign(OAuth, saved);
  }
  const ours = await signer.authorizationHeader("POST", url, body, fixed);
  const [a, b] = [params(ours), params(theirs)];
  assert.equal(a.oauth_signature_method, "RSA-PSS");
  assert.deepEqual({ ...a, oauth_signature: "" }, { ...b, oauth_signature: "" });
  const sbs = await signer.signatureBaseString("POST", url, body, fixed);
  assert.ok(sbs.includes("oauth_signature_method%3DRSA-PSS"), sbs);
  assert.ok(opensslVerifiesPss(sbs, decodeURIComponent(a.oauth_signature)), "OpenSSL verifies ours");
  assert.ok(opensslVerifiesPss(sbs, decodeURIComponent(b.oauth_signature)), "and theirs, over the same base string");
  // A salted signature: the same request signed twice gives two signatures.
  assert.notEqual(params(await signer.authorizationHeader("POST", url, body, fixed)).oauth_signature, a.oauth_signature);
  // Not a PKCS#1 v1.5 signature.
  assert.ok(!createVerify("RSA-SHA256").update(sbs).verify(createPublicKey(SIGNING_KEY), decodeURIComponent(a.oauth_signature), "base64"));
});

test("RSA-PSS takes an RSA-PSS CryptoKey, refuses a PKCS#1 v1.5 one, and an unknown method is a config error", async () => {
  const der = createPrivateKey(SIGNING_KEY).export({ type: "pkcs8", format: "der" });
  const pss = await crypto.subtle.importKey("pkcs8", der, { name: "RSA-PSS", hash: "SHA-256" }, false, ["sign"]);
  const v15 = await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  const signer = await pkg.OAuth1Signer.create({ consumerKey: "ck", signingKey: pss, signatureMethod: "RSA-PSS" });
  const fixed = { nonce: "n1", timestamp: "1700000002" };
  const h = await signer.authorizationHeader("GET", "https://x.example/a", null, fixed);
  assert.ok(opensslVerifiesPss(await signer.signatureBaseString("GET", "https://x.example/a", null, fixed), decodeURIComponent(params(h).oauth_signature)));
  for (const [options, name] of [
    [{ consumerKey: "ck", signingKey: v15, signatureMethod: "RSA-PSS" }, "PointsKeyError"],
    [{ consumerKey: "ck", signingKey: pss }, "PointsKeyError"],
    [{ consumerKey: "ck", signingKey: SIGNING_KEY, signatureMethod: "HMAC-SHA1" }, "PointsConfigError"],
    [{ consumerKey: "ck", signingKey: SIGNING_KEY, signatureMethod: "rsa-pss" }, "PointsConfigError"],
    [{ consumerKey: "ck", signingKey: SIGNING_KEY, signatureMethod: 1 }, "PointsConfigError"],
  ]) {
    const e = await pkg.OAuth1Signer.create(options).then(() => assert.fail(name), (x) => x);
    assert.equal(e.name, name, String(e));
  }
});

test("bad input is a typed error", async () => {
  const bad = async (options, cls, what) => {
    const e = await pkg.OAuth1Signer.create(options).then(() => assert.fail(what), (e) => e);
    assert.ok(e instanceof cls, `${what}: ${e}`);
  };
  await bad(undefined, pkg.PointsConfigError, "no options");
  await bad({ signingKey: SIGNING_KEY }, pkg.PointsConfigError, "no consumer key");
  await bad({ consumerKey: 'a"b', signingKey: SIGNING_KEY }, pkg.PointsConfigError, "quote in consumer key");
  await bad({ consumerKey: "ck" }, pkg.PointsConfigError, "no signing key");
  await bad({ consumerKey: "ck", signingKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }, pkg.PointsKeyError, "garbage key");
  await bad({ consumerKey: "ck", signingKey: fixture("keys/ec-p256.pkcs8.pem") }, pkg.PointsKeyError, "EC key");
  const signer = await pkg.OAuth1Signer.create({ consumerKey: "ck", signingKey: SIGNING_KEY });
  const call = async (args, field) => {
    const e = await signer.authorizationHeader(...args).then(() => assert.fail(field), (e) => e);
    assert.ok(e instanceof pkg.PointsValidationError, `${field}: ${e}`);
    assert.equal(e.field, field);
  };
  await call(["GET", "ftp://x/"], "url");
  await call(["GET", "/relative"], "url");
  await call([1, "https://x/"], "method");
  await call(["G T", "https://x/"], "method");
  await call(["POST", "https://x/", 42], "body");
  await call(["GET", "https://x/", null, { nonce: "a-b", timestamp: "1" }], "fixed.nonce");
  await call(["GET", "https://x/", null, { nonce: "ab", timestamp: "soon" }], "fixed.timestamp");
});
