// The bad-input matrix: every operation, every field, every kind of wrong value gives a
// PointsValidationError naming the field, and no request leaves the module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pkg } from "./helpers.mjs";
import { clientOn, valid, BAN, PRIVATE } from "./client-support.mjs";

const LONG = (n) => "x".repeat(n);
const text = (max) => [
  ["missing", undefined], ["null", null], ["wrong type", 42], ["empty", ""], ["too long", LONG(max + 1)],
  ["control character", "a\u0007b"], ["object", {}],
];
const account = [
  ["missing", undefined], ["null", null], ["wrong type", 5555444433332222], ["empty", ""],
  ["non-digits", "5555-4444-3333-2222"], ["letters", "5555444433332abc"], ["too short", "55554444333"],
  ["too long", "55554444333322221111"], ["negative", "-555544443333222"], ["fullwidth digits", "５５５５４４４４３３３３２２２２"],
];
const points = [
  ["missing", undefined], ["null", null], ["string", "10"], ["negative", -5], ["zero", 0], ["fractional", 1.5],
  ["above 2^53", 2 ** 53], ["NaN", NaN], ["Infinity", Infinity], ["bigint", 10n], ["boolean", true],
];
const idType = [["missing", undefined], ["null", null], ["wrong type", 1], ["empty", ""], ["unknown identifier type", "IBAN"], ["lower case", "ranac"]];
const userId = [["missing", undefined], ["null", null], ["wrong type", 123], ["empty", ""], ["too long", "7".repeat(51)], ["control character", "12\n34"]];
const optionalBool = [["wrong type", "true"], ["number", 1]];
const optionalText = [["wrong type", 7], ["empty", ""], ["too long", LONG(51)]];

const matrix = {
  getPointsDetails: { userId, userIdType: idType },
  getPointsExpirations: { userId, userIdType: idType },
  getPointsAdjustments: { userId, userIdType: idType },
  adjustPoints: {
    bankAccountNumber: account, pointsToAdjust: points,
    adjustmentTypeCode: text(20), adjustmentReason: text(255), adjustedBy: text(50),
  },
  transferPoints: {
    fromBankAccountNumber: account, toBankAccountNumber: account, pointsToTransfer: points,
    transferTypeCode: text(20), transferReason: text(255), adjustedBy: text(50),
  },
  searchUserReferences: {
    userId, userIdType: idType, includeSensitiveIdentifiers: optionalBool, includeOnlyPrimary: optionalBool,
    programIdentifier: optionalText,
  },
};

async function rejectsWith(promise, field, what) {
  const e = await promise.then(() => assert.fail(`${what}: resolved`), (e) => e);
  assert.ok(e instanceof pkg.PointsValidationError, `${what}: ${e}`);
  assert.equal(e.code, "ERR_VALIDATION", what);
  assert.equal(e.field, field, what);
  return e;
}

for (const [op, fields] of Object.entries(matrix)) {
  test(`${op}: every field, every wrong value`, async () => {
    const { client, calls } = await clientOn([{ status: 200, body: "{}" }]);
    let cases = 0;
    for (const [field, values] of Object.entries(fields)) {
      for (const [what, value] of values) {
        const input = valid[op]();
        if (value === undefined) delete input[field];
        else input[field] = value;
        const e = await rejectsWith(client[op](input), field, `${op}.${field} ${what}`);
        if (typeof value === "string" && value.length > 3) assert.ok(!e.message.includes(value), "the value is not echoed");
        cases++;
      }
    }
    // A BAN's digits are checked as a card number.
    if (fields.userIdType) {
      for (const bad of ["5555-4444-3333-2222", "1234", "5".repeat(20)]) {
        await rejectsWith(client[op]({ ...valid[op](), userId: bad, userIdType: "BAN" }), "userId", `${op} BAN ${bad}`);
        cases++;
      }
    }
    assert.equal(calls.length, 0, "no request left the module");
    assert.ok(cases >= 10);
  });
}

test("the input and the call options are checked too", async () => {
  const { client, calls } = await clientOn([{ status: 200, body: "{}" }]);
  for (const bad of [null, undefined, "RANAC", 42, [], () => {}]) {
    await rejectsWith(client.getPointsDetails(bad), "input", `input ${String(bad)}`);
  }
  const input = valid.getPointsDetails();
  await rejectsWith(client.getPointsDetails(input, "fast"), "options", "options as a string");
  await rejectsWith(client.getPointsDetails(input, { signal: {} }), "signal", "signal not an AbortSignal");
  await rejectsWith(client.getPointsDetails(input, { headers: { "bad name": "v" } }), "headers", "header name");
  await rejectsWith(client.getPointsDetails(input, { headers: { x: "a\r\nb: c" } }), "headers", "header injection");
  await rejectsWith(client.getPointsDetails(input, { headers: { x: 1 } }), "headers", "header value type");
  await rejectsWith(client.getPointsDetails(input, { query: { user_id: "other" } }), "query", "query overriding user_id");
  await rejectsWith(client.getPointsDetails(input, { query: { a: {} } }), "query", "query value type");
  await rejectsWith(client.adjustPoints(valid.adjustPoints(), { query: { a: "1" } }), "query", "query on a write");
  await rejectsWith(
    client.transferPoints({ ...valid.transferPoints(), toBankAccountNumber: BAN }),
    "toBankAccountNumber", "a transfer to the same account",
  );
  assert.equal(calls.length, 0);
});

test("create checks every option", async () => {
  const base = { baseUrl: "https://p.example/l", fetch: async () => new Response("{}") };
  const config = [
    [undefined, "no options"], [{}, "no baseUrl"], [{ ...base, baseUrl: "p.example" }, "relative host"],
    [{ ...base, baseUrl: "https://p.example/l?x=1" }, "query in baseUrl"], [{ ...base, fetch: "fetch" }, "fetch not a function"],
    [{ ...base, timeoutMs: 0 }, "zero timeout"], [{ ...base, timeoutMs: 1.5 }, "fractional timeout"],
    [{ ...base, retry: { maxAttempts: 0 } }, "no attempts"], [{ ...base, retry: { maxAttempts: 11 } }, "too many attempts"],
    [{ ...base, retry: { baseDelayMs: 500, maxDelayMs: 100 } }, "max below base"], [{ ...base, headers: { "a b": "c" } }, "bad header"],
    [{ ...base, encryption: {} }, "empty encryption"], [{ ...base, encryption: "pem" }, "encryption not an object"],
    [{ ...base, userManagementBaseUrl: "ftp://x" }, "bad lookup URL"],
  ];
  for (const [options, what] of config) {
    const e = await pkg.PointsClient.create(options).then(() => assert.fail(what), (e) => e);
    assert.ok(e instanceof pkg.PointsConfigError, `${what}: ${e}`);
    assert.equal(e.code, "ERR_CONFIG", what);
  }
  const e = await pkg.PointsClient.create({ ...base, encryption: { certificate: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" } })
    .then(() => assert.fail("bad key"), (e) => e);
  assert.ok(e instanceof pkg.PointsKeyError, String(e));
});

test("the text limits are options: wider ones let longer texts through intact, narrower ones refuse, bad ones are config errors", async () => {
  const limits = { typeCode: 40, reason: 1000, adjustedBy: 100, programIdentifier: 64 };
  const { client, calls } = await clientOn([{ status: 200, body: "{}" }], { limits });
  const key = await pkg.importDecryptionKey(PRIVATE);
  const sent = async () => pkg.decryptPayload(JSON.parse(calls.at(-1).body).encryptedPayload, { decryptionKey: key });
  const long = { adjustmentTypeCode: "C".repeat(40), adjustmentReason: "é".repeat(1000), adjustedBy: "b".repeat(100) };
  await client.adjustPoints({ ...valid.adjustPoints(), ...long });
  const body = await sent();
  assert.equal(body.adjustmentReason, long.adjustmentReason, "sent whole, not truncated");
  assert.equal(body.adjustmentTypeCode, long.adjustmentTypeCode);
  assert.equal(body.adjustedBy, long.adjustedBy);
  await client.transferPoints({ ...valid.transferPoints(), transferTypeCode: "T".repeat(40), transferReason: "r".repeat(1000), adjustedBy: "b".repeat(100) });
  assert.equal((await sent()).transferReason.length, 1000);
  await client.searchUserReferences({ ...valid.searchUserReferences(), programIdentifier: "p".repeat(64) });
  const n = calls.length;
  await rejectsWith(client.adjustPoints({ ...valid.adjustPoints(), adjustmentReason: "r".repeat(1001) }), "adjustmentReason", "over a wider limit");
  await rejectsWith(client.transferPoints({ ...valid.transferPoints(), transferTypeCode: "T".repeat(41) }), "transferTypeCode", "over a wider code limit");
  await rejectsWith(client.adjustPoints({ ...valid.adjustPoints(), adjustedBy: "b".repeat(101) }), "adjustedBy", "over a wider adjustedBy");
  await rejectsWith(client.searchUserReferences({ ...valid.searchUserReferences(), programIdentifier: "p".repeat(65) }), "programIdentifier", "over a wider program limit");
  assert.equal(calls.length, n, "a refusal sends nothing");

  const narrow = await clientOn([{ status: 200, body: "{}" }], { limits: { typeCode: 2 } });
  await narrow.client.adjustPoints(valid.adjustPoints());
  await rejectsWith(narrow.client.adjustPoints({ ...valid.adjustPoints(), adjustmentTypeCode: "CRX" }), "adjustmentTypeCode", "over a narrower limit");
  await rejectsWith(narrow.client.adjustPoints({ ...valid.adjustPoints(), adjustmentReason: "r".repeat(256) }), "adjustmentReason", "the other defaults stay");

  const ceiling = await clientOn([{ status: 200, body: "{}" }], { limits: { reason: 4096 } });
  await ceiling.client.adjustPoints({ ...valid.adjustPoints(), adjustmentReason: "r".repeat(4096) });
  await rejectsWith(ceiling.client.adjustPoints({ ...valid.adjustPoints(), adjustmentReason: "r".repeat(4097) }), "adjustmentReason", "over the ceiling");

  for (const [bad, what] of [["x", "not an object"], [{ reason: 0 }, "zero"], [{ reason: 4097 }, "over the ceiling"], [{ typeCode: 1.5 }, "fractional"], [{ adjustedBy: "50" }, "a string"], [{ programIdentifier: -1 }, "negative"]]) {
    const e = await pkg.PointsClient.create({ baseUrl: "https://p.example/l", fetch: async () => new Response("{}"), limits: bad }).then(() => assert.fail(what), (e) => e);
    assert.ok(e instanceof pkg.PointsConfigError, `${what}: ${e}`);
  }
});
