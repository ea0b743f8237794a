// `encryption.requestFieldName` / `responseFieldName`: a request's JWE under one member and a
// response's under another (Mastercard's APIs may use `encryptedData` one way and
// `encryptedResponse` the other), checked against jose as the independent JWE implementation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CompactEncrypt, compactDecrypt, importPKCS8, importX509 } from "jose";
import { pkg, keySet } from "./helpers.mjs";

const keys = keySet(2048);
const adjustment = { bankAccountNumber: "5555444433332222", pointsToAdjust: 5, adjustmentTypeCode: "CR", adjustmentReason: "fields", adjustedBy: "t" };

/** A gateway stand-in: opens the request's JWE from `inField` with jose, answers under `outField`. */
async function gateway(inField, outField) {
  const priv = await importPKCS8(keys.key, "RSA-OAEP-256");
  const pub = await importX509(keys.cert, "RSA-OAEP-256");
  const seen = [];
  const fetchImpl = async (_url, init) => {
    const body = JSON.parse(typeof init.body === "string" ? init.body : new TextDecoder().decode(init.body));
    seen.push(Object.keys(body));
    const { plaintext } = await compactDecrypt(body[inField], priv);
    const clear = JSON.parse(new TextDecoder().decode(plaintext));
    const answer = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ pointsAdjusted: clear.pointsToAdjust })))
      .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM" })
      .encrypt(pub);
    return new Response(JSON.stringify({ [outField]: answer }), { headers: { "content-type": "application/json" } });
  };
  return { seen, fetchImpl };
}

const client = (fetchImpl, fields) => pkg.PointsClient.create({
  baseUrl: "https://gateway.example/loyalty",
  fetch: fetchImpl,
  encryption: { certificate: keys.cert, decryptionKey: keys.key, ...fields },
});

test("requestFieldName and responseFieldName each name one direction's member", async () => {
  const { seen, fetchImpl } = await gateway("encryptedData", "encryptedResponse");
  const c = await client(fetchImpl, { encryptedValueFieldName: "unused", requestFieldName: "encryptedData", responseFieldName: "encryptedResponse" });
  assert.deepEqual(await c.adjustPoints(adjustment), { pointsAdjusted: 5 });
  assert.deepEqual(seen, [["encryptedData"]]);
});

test("encryptedValueFieldName names both members unless one direction is named", async () => {
  let { seen, fetchImpl } = await gateway("sealed", "sealed");
  assert.deepEqual(await (await client(fetchImpl, { encryptedValueFieldName: "sealed" })).adjustPoints(adjustment), { pointsAdjusted: 5 });
  assert.deepEqual(seen, [["sealed"]]);
  ({ seen, fetchImpl } = await gateway("sealed", "encryptedResponse"));
  const c = await client(fetchImpl, { encryptedValueFieldName: "sealed", responseFieldName: "encryptedResponse" });
  assert.deepEqual(await c.adjustPoints(adjustment), { pointsAdjusted: 5 });
  assert.deepEqual(seen, [["sealed"]]);
});

test("a response under the request's member is not opened when the response has its own name", async () => {
  const { fetchImpl } = await gateway("encryptedData", "encryptedData");
  const c = await client(fetchImpl, { requestFieldName: "encryptedData", responseFieldName: "encryptedResponse" });
  const answer = await c.adjustPoints(adjustment);
  assert.equal(answer.pointsAdjusted, undefined);
  assert.equal(typeof answer.encryptedData, "string");
});

test("a bad field name is a PointsConfigError naming its option", async () => {
  for (const name of ["requestFieldName", "responseFieldName", "encryptedValueFieldName"]) {
    for (const bad of ["", "a".repeat(65), "a\nb", 42]) {
      const e = await client(fetch, { [name]: bad }).then(() => assert.fail("created"), (x) => x);
      assert.equal(e.name, "PointsConfigError");
      assert.ok(e.message.includes(`\`${name}\``), e.message);
    }
  }
});
