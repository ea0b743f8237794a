// Several decryption keys (a rotation): a JWE whose `kid` is one key's fingerprint is opened by
// that key alone; with no `kid`, or one that names none of them, each key is tried in the
// caller's order. JWEs are made by Mastercard's library and by jose, the independent oracles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CompactEncrypt, decodeProtectedHeader, importX509 } from "jose";
import { pkg, keySet, mastercard } from "./helpers.mjs";

const { decryptPayload, keyFingerprint, PointsClient } = pkg;
const old = keySet(2048);
const next = keySet(3072);

/** A JWE to `keys` by jose, with the protected header's `kid` as given (none when undefined). */
async function joseJwe(keys, value, kid) {
  const header = { alg: "RSA-OAEP-256", enc: "A256GCM", ...(kid === undefined ? {} : { kid }) };
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(value)))
    .setProtectedHeader(header)
    .encrypt(await importX509(keys.cert, "RSA-OAEP-256"));
}

test("Mastercard's JWE names the key by its fingerprint, and either key of a rotation opens its own", async () => {
  for (const keys of [old, next]) {
    const jwe = mastercard(keys).encryptData({ data: { to: keys.bits } }).encryptedPayload;
    assert.equal(decodeProtectedHeader(jwe).kid, await keyFingerprint(keys.cert));
    for (const list of [[old.key, next.key], [next.key, old.key]]) {
      assert.deepEqual(await decryptPayload(jwe, { decryptionKey: list }), { to: keys.bits });
    }
  }
});

test("without a kid, or with one that names no key, each key is tried in turn", async () => {
  for (const kid of [undefined, "not-a-fingerprint"]) {
    const jwe = await joseJwe(next, { n: 1 }, kid);
    assert.deepEqual(await decryptPayload(jwe, { decryptionKey: [old.key, next.key] }), { n: 1 });
    const e = await decryptPayload(jwe, { decryptionKey: [old.key] }).then(() => assert.fail("opened"), (x) => x);
    assert.equal(e.code, "ERR_JWE_DECRYPTION_FAILED");
  }
});

test("a kid that names one key is opened by that key only: the other is not tried", async () => {
  // Encrypted to the new key but labelled with the old key's fingerprint.
  const jwe = await joseJwe(next, { n: 2 }, await keyFingerprint(old.cert));
  const e = await decryptPayload(jwe, { decryptionKey: [old.key, next.key] }).then(() => assert.fail("opened"), (x) => x);
  assert.equal(e.name, "JweError");
  assert.equal(e.code, "ERR_JWE_DECRYPTION_FAILED");
});

test("CryptoKeys (whose public half cannot be read) are tried for any kid", async () => {
  const imported = await Promise.all([old, next].map((k) => pkg.importDecryptionKey(k.key)));
  const jwe = await joseJwe(next, { n: 3 }, await keyFingerprint(next.cert));
  assert.deepEqual(await decryptPayload(jwe, { decryptionKey: imported }), { n: 3 });
  assert.equal(imported[1].extractable, false);
  // Even when the kid names another key of the list: a CryptoKey's fingerprint is unknown.
  const mislabelled = await joseJwe(next, { n: 4 }, await keyFingerprint(old.cert));
  assert.deepEqual(await decryptPayload(mislabelled, { decryptionKey: [old.key, imported[1]] }), { n: 4 });
});

test("a key list is 1 to 8 keys, each one a key", async () => {
  const jwe = await joseJwe(old, {}, undefined);
  for (const [list, name] of [[[], "PointsConfigError"], [Array(9).fill(old.key), "PointsConfigError"], [[old.key, "nope"], "PointsKeyError"], [[old.key, old.cert], "PointsKeyError"]]) {
    const e = await decryptPayload(jwe, { decryptionKey: list }).then(() => assert.fail("opened"), (x) => x);
    assert.equal(e.name, name);
    assert.ok(!e.message.includes("PRIVATE KEY"), e.message);
  }
  const { proxy, revoke } = Proxy.revocable([old.key], {});
  revoke();
  const e = await decryptPayload(jwe, { decryptionKey: proxy }).then(() => assert.fail("opened"), (x) => x);
  assert.ok(e instanceof pkg.PointsError, String(e));
});

test("PointsClient opens responses to either key of its decryptionKey list", async () => {
  let to = old;
  const fetchImpl = async () => new Response(JSON.stringify({ encryptedPayload: await joseJwe(to, { pointsBalance: to.bits }, await keyFingerprint(to.cert)) }), { headers: { "content-type": "application/json" } });
  const client = await PointsClient.create({ baseUrl: "https://gateway.example/loyalty", fetch: fetchImpl, encryption: { decryptionKey: [old.key, next.key] } });
  const read = () => client.getPointsDetails({ userId: "RANAC-1", userIdType: "RANAC" });
  assert.equal((await read()).pointsBalance, 2048);
  to = next;
  assert.equal((await read()).pointsBalance, 3072);
});
