// The sandbox against Mastercard's own Node library (the oracle): request bodies encrypted by
// mastercard-client-encryption (16-byte IVs, `+` and `/` in its segments) are accepted, and
// the sandbox's encrypted responses decrypt with it. And what the sandbox must refuse.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { pkg, tempFile } from "./helpers.mjs";
import { sandbox, IDS } from "./sandbox-support.mjs";

const require = createRequire(import.meta.url);
const JweCrypto = require("mastercard-client-encryption/lib/mcapi/crypto/jwe-crypto.js");
let sb;
let mc;
let signer;
before(async () => {
  sb = await sandbox(["--encrypt-responses", "sensitive"]);
  mc = new JweCrypto({
    mode: "JWE",
    encryptionCertificate: tempFile("mastercard.pem", sb.keys.mastercardCertificate),
    privateKey: tempFile("client-key.pem", sb.keys.clientKey),
    encryptedValueFieldName: "encryptedPayload",
    paths: [{ path: "/points", toEncrypt: [{ element: "$", obj: "$" }], toDecrypt: [{ element: "$", obj: "$" }] }],
  });
  signer = await pkg.OAuth1Signer.create({ consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey });
});
after(async () => sb && sb.stop());

async function post(path, body) {
  const url = `${sb.base}${path}`;
  const authorization = await signer.authorizationHeader("POST", url, body);
  const res = await fetch(url, { method: "POST", headers: { authorization, "content-type": "application/json" }, body });
  return { status: res.status, json: await res.json() };
}
const b64 = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

test("a body encrypted by mastercard-client-encryption is accepted, and the response decrypts with it", async () => {
  const jwe = mc.encryptData({ data: { bankAccountNumber: IDS.a1.ban, pointsToAdjust: 7, adjustmentTypeCode: "CR", adjustmentReason: "oracle", adjustedBy: "mc" } }).encryptedPayload;
  const [, , iv] = jwe.split(".");
  assert.equal(Buffer.from(iv.replace(/\+/g, "-").replace(/\//g, "_"), "base64url").length, 16, "the library's 16-byte IV");
  const r = await post("/points-adjustments", JSON.stringify({ encryptedPayload: jwe }));
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.pointsAdjusted, 7);
  const search = mc.encryptData({ data: { userId: IDS.customerA.bcn, userIdType: "BCN", includeSensitiveIdentifiers: true } }).encryptedPayload;
  const found = await post("/mrs/users/references/searches", JSON.stringify({ encryptedPayload: search }));
  assert.equal(found.status, 200);
  assert.equal(typeof found.json.encryptedPayload, "string", "sensitive answers are encrypted");
  const clear = mc.decryptData(found.json.encryptedPayload);
  assert.equal(clear.userReferences[0].customerNumber, IDS.customerA.bcn);
});

test("short tags, odd IVs, zip (a bomb), crit and a wrong alg are refused at once, and the sandbox keeps serving", async () => {
  const good = await pkg.encryptPayload({ bankAccountNumber: IDS.a1.ban, pointsToAdjust: 1, adjustmentTypeCode: "CR", adjustmentReason: "x", adjustedBy: "t" }, { certificate: sb.keys.mastercardCertificate });
  const [h, k, iv, ct, tag] = good.split(".");
  const header = JSON.parse(Buffer.from(h, "base64url"));
  const bytes = (n) => Buffer.alloc(n, 1).toString("base64url");
  const cases = {
    "4-byte tag": [h, k, iv, ct, bytes(4)].join("."),
    "12-byte tag": [h, k, iv, ct, bytes(12)].join("."),
    "1-byte IV": [h, k, bytes(1), ct, tag].join("."),
    "64-byte IV": [h, k, bytes(64), ct, tag].join("."),
    "empty IV": [h, k, "", ct, tag].join("."),
    "zip: DEF": [b64({ ...header, zip: "DEF" }), k, iv, "A".repeat(360000), tag].join("."),
    crit: [b64({ ...header, crit: ["b64"], b64: false }), k, iv, ct, tag].join("."),
    "alg dir": [b64({ ...header, alg: "dir" }), k, iv, ct, tag].join("."),
  };
  for (const [name, jwe] of Object.entries(cases)) {
    const r = await post("/points-adjustments", JSON.stringify({ encryptedPayload: jwe }));
    assert.equal(r.status, 400, name);
    assert.equal(r.json.Errors.Error[0].ReasonCode, "REQUEST_DECRYPT_FAILED", name);
    assert.ok(sb.alive(), `${name}: the sandbox is alive`);
  }
  const r = await post("/points-adjustments", JSON.stringify({ encryptedPayload: good }));
  assert.equal(r.status, 200, "and a good one still goes through");
});

test("by default a read that carries identifiers is encrypted, one that does not is plain, and both read with the oracle", async () => {
  const get = async (query) => {
    const url = `${sb.base}/points-details?${query}`;
    const authorization = await signer.authorizationHeader("GET", url);
    const res = await fetch(url, { headers: { authorization } });
    return { status: res.status, json: await res.json() };
  };
  const customer = await get(`user_id=${IDS.customerA.rancu}&user_id_type=RANCU`);
  assert.equal(customer.status, 200);
  assert.equal(typeof customer.json.encryptedPayload, "string", "a customer-level read names its accounts' RANACs");
  const clear = mc.decryptData(customer.json.encryptedPayload);
  assert.equal(clear.level, "CUSTOMER");
  assert.ok(clear.accounts.some((a) => a.accountId === IDS.a1.ranac));
  const account = await get(`user_id=${IDS.a1.ranac}&user_id_type=RANAC`);
  assert.equal(account.status, 200);
  assert.equal(account.json.encryptedPayload, undefined, "an account-level read carries no identifier");
  assert.equal(account.json.level, "ACCOUNT");
});

test("a real zip bomb (200 MiB of JSON deflated into a correctly encrypted JWE) is refused undecrypted, with bounded memory", async () => {
  const { createPublicKey, publicEncrypt, randomBytes, createCipheriv, constants } = await import("node:crypto");
  const { deflateRawSync } = await import("node:zlib");
  const plain = Buffer.concat([Buffer.from('{"adjustmentReason":"'), Buffer.alloc(200 << 20, 0x61), Buffer.from('"}')]);
  const deflated = deflateRawSync(plain, { level: 9 });
  assert.ok(deflated.length < 400_000, `the bomb is small: ${deflated.length} bytes`);
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const protectedHeader = b64({ alg: "RSA-OAEP-256", enc: "A256GCM", zip: "DEF" });
  const key = publicEncrypt({ key: createPublicKey(sb.keys.mastercardCertificate), oaepHash: "sha256", padding: constants.RSA_PKCS1_OAEP_PADDING }, cek);
  const cipher = createCipheriv("aes-256-gcm", cek, iv).setAAD(Buffer.from(protectedHeader));
  const ct = Buffer.concat([cipher.update(deflated), cipher.final()]);
  const jwe = [protectedHeader, key.toString("base64url"), iv.toString("base64url"), ct.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
  const before = sb.peakMemory();
  for (let i = 0; i < 3; i++) {
    const r = await post("/points-adjustments", JSON.stringify({ encryptedPayload: jwe }));
    assert.equal(r.status, 400);
    assert.equal(r.json.Errors.Error[0].ReasonCode, "REQUEST_DECRYPT_FAILED");
  }
  const grown = sb.peakMemory() - before;
  assert.ok(grown < 32 << 20, `peak memory grew by ${grown} bytes: the bomb was not inflated`);
  assert.ok(sb.alive());
  const good = await pkg.encryptPayload({ bankAccountNumber: IDS.a1.ban, pointsToAdjust: 1, adjustmentTypeCode: "CR", adjustmentReason: "after", adjustedBy: "t" }, { certificate: sb.keys.mastercardCertificate });
  assert.equal((await post("/points-adjustments", JSON.stringify({ encryptedPayload: good }))).status, 200, "and every account still serves");
});
