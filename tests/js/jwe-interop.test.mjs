// Interoperability: this module against Mastercard's library and jose, both directions,
// across key sizes and payloads.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as jose from "jose";
import { pkg, keySet, mastercard, payloads } from "./helpers.mjs";

const { encryptPayload, decryptPayload, importDecryptionKey, keyFingerprint } = pkg;
const sets = {};

before(() => {
  for (const bits of [2048, 3072, 4096]) sets[bits] = keySet(bits);
});

for (const bits of [2048, 3072, 4096]) {
  test(`${bits}-bit: module encrypts, Mastercard's library decrypts`, async () => {
    const keys = sets[bits];
    const mc = mastercard(keys);
    for (const [name, value] of Object.entries(payloads())) {
      const jwe = await encryptPayload(value, { certificate: keys.cert });
      assert.deepEqual(mc.decryptData(jwe), value, name);
    }
  });

  test(`${bits}-bit: Mastercard's library encrypts, module decrypts`, async () => {
    const keys = sets[bits];
    const mc = mastercard(keys);
    const decryptionKey = await importDecryptionKey(keys.key);
    for (const [name, value] of Object.entries(payloads())) {
      const jwe = mc.encryptData({ data: value }).encryptedPayload;
      assert.deepEqual(await decryptPayload(jwe, { decryptionKey }), value, name);
    }
  });

  test(`${bits}-bit: module and jose, both ways`, async () => {
    const keys = sets[bits];
    const publicKey = await jose.importX509(keys.cert, "RSA-OAEP-256");
    const privateKey = await jose.importPKCS8(keys.key, "RSA-OAEP-256");
    for (const [name, value] of Object.entries(payloads())) {
      const jwe = await encryptPayload(value, { certificate: keys.cert });
      const { plaintext, protectedHeader } = await jose.compactDecrypt(jwe, privateKey);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(plaintext)), value, name);
      assert.equal(protectedHeader.kid, await keyFingerprint(keys.cert));
      for (const enc of ["A128GCM", "A192GCM", "A256GCM", "A128CBC-HS256"]) {
        const theirs = await new jose.CompactEncrypt(new TextEncoder().encode(JSON.stringify(value)))
          .setProtectedHeader({ alg: "RSA-OAEP-256", enc, cty: "application/json" })
          .encrypt(publicKey);
        assert.deepEqual(await decryptPayload(theirs, { decryptionKey: keys.key }), value, `${name} ${enc}`);
      }
    }
  });

  test(`${bits}-bit: kid equals Mastercard's fingerprint and jose's SPKI hash`, async () => {
    const keys = sets[bits];
    const mc = mastercard(keys);
    const kid = await keyFingerprint(keys.cert);
    assert.match(kid, /^[0-9a-f]{64}$/);
    assert.equal(kid, mc.publicKeyFingerprint);
  });
}

test("every key form gives the same result", async () => {
  const keys = sets[2048];
  const publicKey = await jose.importX509(keys.cert, "RSA-OAEP-256", { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  const privateJwk = await jose.exportJWK(await jose.importPKCS8(keys.key, "RSA-OAEP-256", { extractable: true }));
  const spkiDer = new Uint8Array(await crypto.subtle.exportKey("spki", publicKey));
  const certDer = Buffer.from(keys.cert.replace(/-----[^-]+-----|\s/g, ""), "base64");
  const kid = await keyFingerprint(keys.cert);
  const forms = [
    { certificate: keys.cert },
    { certificate: new Uint8Array(certDer) },
    { certificate: certDer.buffer.slice(certDer.byteOffset, certDer.byteOffset + certDer.length) },
    { publicKey: jwk },
    { publicKey: JSON.stringify(jwk) },
    { publicKey: spkiDer },
    { publicKey: publicKey },
  ];
  const privateForms = [keys.key, privateJwk, JSON.stringify(privateJwk), await importDecryptionKey(keys.key)];
  for (const [i, options] of forms.entries()) {
    assert.equal(await keyFingerprint(options.certificate ?? options.publicKey), kid, `form ${i}`);
    const jwe = await encryptPayload({ i }, options);
    assert.equal(JSON.parse(Buffer.from(jwe.split(".")[0], "base64url")).kid, kid, `form ${i}`);
    for (const [j, decryptionKey] of privateForms.entries()) {
      assert.deepEqual(await decryptPayload(jwe, { decryptionKey }), { i }, `form ${i} / private ${j}`);
    }
  }
});

test("imported keys are non-extractable", async () => {
  const key = await importDecryptionKey(sets[2048].key);
  assert.equal(key.extractable, false);
  assert.equal(key.type, "private");
  assert.deepEqual(key.usages, ["decrypt"]);
  await assert.rejects(crypto.subtle.exportKey("pkcs8", key));
});

test("a JWE from Mastercard's library with '/' and '+' in it decrypts", async () => {
  const keys = sets[2048];
  const mc = mastercard(keys);
  let seen = false;
  for (let i = 0; i < 200 && !seen; i++) {
    const jwe = mc.encryptData({ data: { i, pad: "x".repeat(i) } }).encryptedPayload;
    if (/[+/]/.test(jwe)) {
      seen = true;
      assert.deepEqual(await decryptPayload(jwe, { decryptionKey: keys.key }), { i, pad: "x".repeat(i) });
    }
  }
  assert.ok(seen, "Mastercard's library never produced '/' or '+' in 200 tries");
});

test("a plaintext that is not JSON comes back as a string", async () => {
  const keys = sets[2048];
  const publicKey = await jose.importX509(keys.cert, "RSA-OAEP-256");
  const jwe = await new jose.CompactEncrypt(new TextEncoder().encode("not json {"))
    .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM" })
    .encrypt(publicKey);
  assert.equal(await decryptPayload(jwe, { decryptionKey: keys.key }), "not json {");
});
