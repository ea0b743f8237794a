// Malformed input of every kind gets the right typed error, never a panic, never key material.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { pkg, fixture } from "./helpers.mjs";

const {
  encryptPayload, decryptPayload, importDecryptionKey, keyFingerprint,
  PointsError, PointsValidationError, PointsConfigError, PointsKeyError, JweError,
} = pkg;

const cert = fixture("keys/jwe-certificate.pem");
const key = fixture("keys/jwe-private-key.pkcs8.pem");
const vectors = JSON.parse(fixture("jwe-mastercard.json"));
const good = vectors.find((v) => v.id === "V4").jwe;
const parts = good.split(".");
const b64 = (s) => Buffer.from(s).toString("base64url");
const withHeader = (h) => [b64(h), ...parts.slice(1)].join(".");
const keyBody = key.replace(/-----[^-]+-----|\s/g, "");

async function rejectsWith(promise, Cls, code, label) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Cls, `${label}: ${e && e.name} is not ${Cls.name} (${e && e.message})`);
    assert.ok(e instanceof PointsError && e instanceof Error, label);
    assert.equal(e.code, code, `${label}: ${e.message}`);
    assert.equal(e.name, Cls.name, label);
    assert.ok(!e.message.includes(keyBody.slice(0, 40)), `${label}: message leaks key material`);
    assert.ok(!e.message.includes("MII"), `${label}: message leaks key material`);
    return true;
  }, label);
}

test("decryptPayload: malformed JWEs", async () => {
  const opts = { decryptionKey: key };
  const wrongKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" });
  const cases = [
    ["three parts", parts.slice(0, 3).join("."), "ERR_JWE_INVALID"],
    ["six parts", good + ".x", "ERR_JWE_INVALID"],
    ["empty string", "", "ERR_JWE_INVALID"],
    ["dots only", "....", "ERR_JWE_INVALID"],
    ["bad base64 in key", [parts[0], "!!!" + parts[1], ...parts.slice(2)].join("."), "ERR_JWE_INVALID"],
    ["bad base64 in tag", [...parts.slice(0, 4), parts[4] + "*"].join("."), "ERR_JWE_INVALID"],
    ["non-JSON header", withHeader("not json"), "ERR_JWE_INVALID"],
    ["header is an array", withHeader("[]"), "ERR_JWE_INVALID"],
    ["header without enc", withHeader('{"alg":"RSA-OAEP-256"}'), "ERR_JWE_INVALID"],
    ["duplicate alg", withHeader('{"alg":"RSA-OAEP-256","alg":"RSA-OAEP-256","enc":"A256GCM"}'), "ERR_JWE_INVALID"],
    ["wrong alg RSA-OAEP", withHeader('{"alg":"RSA-OAEP","enc":"A256GCM"}'), "ERR_JWE_UNSUPPORTED"],
    ["wrong alg RSA1_5", withHeader('{"alg":"RSA1_5","enc":"A256GCM"}'), "ERR_JWE_UNSUPPORTED"],
    ["alg none", withHeader('{"alg":"none","enc":"A256GCM"}'), "ERR_JWE_UNSUPPORTED"],
    ["wrong enc", withHeader('{"alg":"RSA-OAEP-256","enc":"A256CBC-HS512"}'), "ERR_JWE_UNSUPPORTED"],
    ["zip", withHeader('{"alg":"RSA-OAEP-256","enc":"A256GCM","zip":"DEF"}'), "ERR_JWE_UNSUPPORTED"],
    ["crit", withHeader('{"alg":"RSA-OAEP-256","enc":"A256GCM","crit":["x"],"x":1}'), "ERR_JWE_UNSUPPORTED"],
    ["truncated encrypted key", [parts[0], parts[1].slice(0, 100), ...parts.slice(2)].join("."), "ERR_JWE_DECRYPTION_FAILED"],
    ["short IV", [parts[0], parts[1], b64("short"), parts[3], parts[4]].join("."), "ERR_JWE_INVALID"],
    ["short tag", [...parts.slice(0, 4), b64("short")].join("."), "ERR_JWE_INVALID"],
    ["swapped ciphertext", [...parts.slice(0, 3), b64("other ciphertext"), parts[4]].join("."), "ERR_JWE_DECRYPTION_FAILED"],
  ];
  for (const [label, jwe, code] of cases) await rejectsWith(decryptPayload(jwe, opts), JweError, code, label);
  await rejectsWith(decryptPayload(good, { decryptionKey: wrongKey }), JweError, "ERR_JWE_DECRYPTION_FAILED", "wrong key");
  for (const notString of [null, undefined, 42, {}, [], true]) {
    await rejectsWith(decryptPayload(notString, opts), JweError, "ERR_JWE_INVALID", `jwe ${JSON.stringify(notString)}`);
  }
});

test("decryptPayload: bad options and keys", async () => {
  await rejectsWith(decryptPayload(good, {}), JweError, "ERR_JWE_NO_KEY", "no key");
  await rejectsWith(decryptPayload(good, { decryptionKey: null }), JweError, "ERR_JWE_NO_KEY", "null key");
  for (const opts of [null, undefined, 42, "key"]) {
    await rejectsWith(decryptPayload(good, opts), PointsConfigError, "ERR_CONFIG", `options ${JSON.stringify(opts)}`);
  }
  const badKeys = [
    ["PEM garbage", "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----"],
    ["truncated key", key.slice(0, key.length / 2) + "\n-----END PRIVATE KEY-----"],
    ["truncated body", key.replace(/\n[^\n]{64}\n/, "\n")],
    ["empty string", ""],
    ["just text", "hello"],
    ["number", 42],
    ["boolean", true],
    ["array", [1, 2]],
    ["a certificate", cert],
    ["a public JWK", { kty: "RSA", n: "AQAB", e: "AQAB" }],
    ["an EC key", fixture("keys/ec-p256.pkcs8.pem")],
    ["a 1024-bit key", fixture("keys/weak-1024.pkcs8.pem")],
    ["bad JSON", "{not json"],
    ["empty bytes", new Uint8Array()],
  ];
  for (const [label, decryptionKey] of badKeys) {
    await rejectsWith(decryptPayload(good, { decryptionKey }), PointsKeyError, "ERR_KEY_INVALID", label);
    await rejectsWith(importDecryptionKey(decryptionKey), PointsKeyError, "ERR_KEY_INVALID", `import ${label}`);
  }
  const signingKey = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    false, ["sign", "verify"])).privateKey;
  await rejectsWith(decryptPayload(good, { decryptionKey: signingKey }), PointsKeyError, "ERR_KEY_INVALID", "a signing CryptoKey");
});

test("encryptPayload: bad values, options and keys", async () => {
  const cyclic = {};
  cyclic.self = cyclic;
  for (const [label, value] of [["undefined", undefined], ["a function", () => 1], ["a cycle", cyclic], ["a BigInt", 1n]]) {
    await rejectsWith(encryptPayload(value, { certificate: cert }), PointsValidationError, "ERR_VALIDATION", label);
    await encryptPayload(value, { certificate: cert }).catch((e) => assert.equal(e.field, "value"));
  }
  for (const [label, opts] of [
    ["null", null], ["undefined", undefined], ["empty", {}], ["both", { certificate: cert, publicKey: cert }],
    ["fingerprint not a string", { certificate: cert, keyFingerprint: 5 }],
    ["empty fingerprint", { certificate: cert, keyFingerprint: "" }],
  ]) {
    await rejectsWith(encryptPayload({}, opts), PointsConfigError, "ERR_CONFIG", label);
  }
  for (const [label, certificate] of [
    ["PEM garbage", "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----"],
    ["truncated", cert.slice(0, 300) + "\n-----END CERTIFICATE-----"],
    ["a private key", key],
    ["an EC key", fixture("keys/ec-p256.spki.pem")],
    ["a number", 7],
    ["empty string", ""],
    ["random bytes", new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])],
  ]) {
    await rejectsWith(encryptPayload({}, { certificate }), PointsKeyError, "ERR_KEY_INVALID", label);
    await rejectsWith(keyFingerprint(certificate), PointsKeyError, "ERR_KEY_INVALID", `fingerprint ${label}`);
  }
  for (const v of [null, undefined, 42, {}, []]) {
    await rejectsWith(keyFingerprint(v), PointsKeyError, "ERR_KEY_INVALID", `fingerprint ${JSON.stringify(v)}`);
  }
});

test("after all that the module still works: nothing panicked", async () => {
  const jwe = await encryptPayload({ ok: true }, { certificate: cert });
  assert.deepEqual(await decryptPayload(jwe, { decryptionKey: key }), { ok: true });
});

test("error classes are usable on their own", () => {
  const e = new JweError("x", { code: "ERR_JWE_NO_KEY", cause: 1 });
  assert.equal(e.code, "ERR_JWE_NO_KEY");
  assert.equal(e.cause, 1);
  assert.equal(new PointsValidationError("bad", { field: "userId" }).field, "userId");
  const api = new pkg.PointsApiError("x", { status: 403, errors: [{ source: "Gateway", reasonCode: "AUTHENTICATION_FAILED", recoverable: false }] });
  assert.equal(api.reasonCode, "AUTHENTICATION_FAILED");
  assert.equal(api.source, "Gateway");
  assert.equal(api.status, 403);
  assert.equal(api.recoverable, false);
  assert.equal(Object.prototype.toString.call(e), "[object Error]");
});
