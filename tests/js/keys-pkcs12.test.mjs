// PKCS#12 files as Mastercard's portal issues them (tests/fixtures/keys/README.md: OpenSSL's
// modern and legacy forms, keytool's defaults, a clear key bag, two keys, none): they sign
// what OpenSSL verifies and open JWEs made by Mastercard's library and by jose; a wrong
// password, a tampered or truncated file, or no key is a PointsKeyError naming no secret.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CompactEncrypt, importX509 } from "jose";
import { pkg, fixture, fixturePath, keySet, mastercard, root } from "./helpers.mjs";
import { sandbox, IDS } from "./sandbox-support.mjs";

const PASSWORD = "portal-pass";
const p12 = (name) => new Uint8Array(readFileSync(fixturePath(`keys/${name}.p12`)));
const JWE_FILES = ["jwe-modern", "jwe-legacy", "jwe-keytool", "jwe-keybag"];
const fails = (p) => p.then((v) => assert.fail(`resolved: ${v}`), (e) => e);

test("each form of the decryption key opens JWEs from Mastercard's library and from jose", async () => {
  const keys = keySet(2048);
  const theirs = mastercard(keys).encryptData({ data: { from: "mastercard" } }).encryptedPayload;
  const jose = await new CompactEncrypt(new TextEncoder().encode('{"from":"jose"}'))
    .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A128CBC-HS256" })
    .encrypt(await importX509(keys.cert, "RSA-OAEP-256"));
  for (const name of JWE_FILES) {
    const decryptionKey = { pkcs12: p12(name), password: PASSWORD };
    assert.deepEqual(await pkg.decryptPayload(theirs, { decryptionKey }), { from: "mastercard" }, name);
    assert.deepEqual(await pkg.decryptPayload(jose, { decryptionKey: { ...decryptionKey, pkcs12: p12(name).buffer } }), { from: "jose" }, name);
    const imported = await pkg.importDecryptionKey(decryptionKey);
    assert.equal(imported.extractable, false);
    assert.deepEqual(await pkg.decryptPayload(theirs, { decryptionKey: imported }), { from: "mastercard" });
  }
});

test("a PKCS#12 decryption key carries its fingerprint: a kid naming it picks it alone", async () => {
  const other = keySet(3072);
  const keys = keySet(2048);
  const list = [other.key, { pkcs12: p12("jwe-modern"), password: PASSWORD }];
  const jwe = mastercard(keys).encryptData({ data: { n: 1 } }).encryptedPayload;
  assert.deepEqual(await pkg.decryptPayload(jwe, { decryptionKey: list }), { n: 1 });
  // Encrypted to the other key but labelled with the PKCS#12 key's fingerprint: only the
  // PKCS#12 key is tried, so it fails (with no fingerprint known, both would be tried).
  const mislabelled = await new CompactEncrypt(new TextEncoder().encode('{"n":2}'))
    .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM", kid: await pkg.keyFingerprint(keys.cert) })
    .encrypt(await importX509(other.cert, "RSA-OAEP-256"));
  const e = await fails(pkg.decryptPayload(mislabelled, { decryptionKey: list }));
  assert.equal(e.code, "ERR_JWE_DECRYPTION_FAILED");
});

/** Whether OpenSSL verifies an RSA-SHA256 (PKCS#1 v1.5) signature over `text` with `publicPem`. */
function opensslVerifies(publicPem, text, signatureB64) {
  const dir = mkdtempSync(join(tmpdir(), "pa-p12-"));
  writeFileSync(join(dir, "pub.pem"), publicPem);
  writeFileSync(join(dir, "sbs"), text);
  writeFileSync(join(dir, "sig"), Buffer.from(signatureB64, "base64"));
  const r = spawnSync("openssl", ["dgst", "-sha256", "-verify", join(dir, "pub.pem"), "-signature", join(dir, "sig"), join(dir, "sbs")], { encoding: "utf8" });
  return r.status === 0 && /Verified OK/.test(r.stdout);
}

test("the signing key by alias from a two-key file signs as its PEM does, and OpenSSL verifies it", async () => {
  const fixed = { nonce: "p12nonce", timestamp: "1700000003" };
  const url = "https://api.mastercard.com/loyalty/points-adjustments?x=1";
  const fromPem = await pkg.OAuth1Signer.create({ consumerKey: "ck!1", signingKey: fixture("keys/oauth-signing-key.pkcs8.pem") });
  const fromP12 = await pkg.OAuth1Signer.create({ consumerKey: "ck!1", signingKey: { pkcs12: p12("two-keys"), password: PASSWORD, alias: "mc-signing" } });
  const header = await fromP12.authorizationHeader("POST", url, '{"a":1}', fixed);
  assert.equal(header, await fromPem.authorizationHeader("POST", url, '{"a":1}', fixed));
  const signature = decodeURIComponent(/oauth_signature="([^"]*)"/.exec(header)[1]);
  const sbs = await fromP12.signatureBaseString("POST", url, '{"a":1}', fixed);
  const { createPublicKey } = await import("node:crypto");
  const publicPem = createPublicKey(fixture("keys/oauth-signing-key.pkcs8.pem")).export({ type: "spki", format: "pem" });
  assert.ok(opensslVerifies(publicPem, sbs, signature));
});

/** `keyPem` (with a throwaway certificate) as a PKCS#12 file made by OpenSSL, modern or `-legacy`. */
function p12Of(keyPem, legacy) {
  const dir = mkdtempSync(join(tmpdir(), "pa-p12-make-"));
  const at = (f) => join(dir, f);
  writeFileSync(at("key.pem"), keyPem);
  spawnSync("openssl", ["req", "-x509", "-key", at("key.pem"), "-subj", "/CN=points-activity test", "-days", "2", "-out", at("cert.pem")]);
  const r = spawnSync("openssl", ["pkcs12", "-export", ...(legacy ? ["-legacy"] : []), "-inkey", at("key.pem"), "-in", at("cert.pem"),
    "-passout", `pass:${PASSWORD}`, "-out", at("key.p12")]);
  assert.equal(r.status, 0, String(r.stderr));
  return new Uint8Array(readFileSync(at("key.p12")));
}

test("PKCS#12 signing and decryption keys, modern and legacy, make calls the sandbox's gateway accepts", async () => {
  const sb = await sandbox(["--encrypt-responses", "all"]);
  try {
    for (const legacy of [false, true]) {
      const client = await pkg.PointsClient.create({
        baseUrl: sb.base,
        signer: { consumerKey: sb.keys.consumerKey, signingKey: { pkcs12: p12Of(sb.keys.signingKey, legacy), password: PASSWORD } },
        encryption: { certificate: sb.keys.mastercardCertificate, decryptionKey: { pkcs12: p12Of(sb.keys.clientKey, legacy), password: PASSWORD } },
      });
      const details = await client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" });
      assert.equal(details.level, "ACCOUNT", legacy ? "legacy" : "modern");
    }
  } finally {
    await sb.stop();
  }
});

test("wrong password, tampered MAC, truncation, no key, several keys: PointsKeyError without the password", async () => {
  const secret = "Portal-pass-wrong";
  const modern = p12("jwe-modern");
  const tampered = modern.slice();
  tampered[tampered.length - 40] ^= 1;
  const cases = [
    [{ pkcs12: modern, password: secret }, /password is wrong/],
    [{ pkcs12: p12("jwe-legacy"), password: secret }, /password is wrong/],
    [{ pkcs12: tampered, password: PASSWORD }, /password is wrong|not valid/],
    [{ pkcs12: modern.slice(0, 700), password: PASSWORD }, /not valid/],
    [{ pkcs12: p12("certificate-only"), password: PASSWORD }, /no private key/],
    [{ pkcs12: p12("two-keys"), password: PASSWORD }, /several private keys/],
    [{ pkcs12: p12("two-keys"), password: PASSWORD, alias: "nope" }, /that alias/],
    [{ pkcs12: "not bytes", password: PASSWORD }, /Uint8Array/],
    [{ pkcs12: modern, password: 42 }, /password/],
    [{ pkcs12: modern }, /password/],
  ];
  for (const [decryptionKey, message] of cases) {
    const e = await fails(pkg.importDecryptionKey(decryptionKey));
    assert.equal(e.name, "PointsKeyError", String(e));
    assert.match(e.message, message);
    assert.ok(!e.message.includes(secret) && !e.message.includes(PASSWORD), e.message);
  }
});

test("the web build (browsers and workers) refuses PKCS#12 with the way to convert it", async () => {
  const dir = join(root, "pkg", "web");
  const web = await import(pathToFileURL(join(dir, "points_activity.js")).href);
  web.initSync({ module: readFileSync(join(dir, "points_activity_bg.wasm")) });
  const e = await fails(web.importDecryptionKey({ pkcs12: p12("jwe-modern"), password: PASSWORD }));
  assert.equal(e.name, "PointsKeyError");
  assert.match(e.message, /npx points-activity keys/);
});
