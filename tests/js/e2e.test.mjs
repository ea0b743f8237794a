// End to end: the Node build → the workerd signing proxy → the sandbox (josekit JWE, OpenSSL
// OAuth checks), for every operation, every identifier type and every error class.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg } from "./helpers.mjs";
import { chain, IDS } from "./sandbox-support.mjs";

let c;
let client;
before(async () => {
  // E2E_ENCRYPT=all runs the same suite with every answer encrypted (scripts/test.sh does both).
  c = await chain(["--faults", "--encrypt-responses", process.env.E2E_ENCRYPT || "sensitive"]);
  client = await c.client();
});
after(async () => c && c.stop());

const fails = (p) => p.then((v) => assert.fail(`resolved: ${JSON.stringify(v)}`), (e) => e);

test("reads for every identifier type, BAN and BCN resolved through the lookup", async () => {
  const byRanac = await client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" });
  assert.equal(byRanac.level, "ACCOUNT");
  assert.equal(byRanac.availablePoints, byRanac.previousBalance + byRanac.pointsEarned - byRanac.pointsRedeemed + byRanac.pointsAdjusted);
  assert.equal(byRanac.pointsOnHold, 150);
  const byBan = await client.getPointsDetails({ userId: IDS.a1.ban, userIdType: "BAN" });
  assert.deepEqual(byBan, byRanac, "a BAN reads the same account");
  const byRancu = await client.getPointsDetails({ userId: IDS.customerA.rancu, userIdType: "RANCU" });
  assert.equal(byRancu.level, "CUSTOMER");
  assert.equal(byRancu.accounts.length, 2);
  const byBcn = await client.getPointsDetails({ userId: IDS.customerA.bcn, userIdType: "BCN" });
  assert.deepEqual(byBcn, byRancu, "a BCN reads the same customer");
  const household = await client.getPointsDetails({ userId: IDS.customerA.rancu, userIdType: "RANCU" }, { query: { level: "HOUSEHOLD" } });
  assert.equal(household.level, "HOUSEHOLD");
  const exp = await client.getPointsExpirations({ userId: IDS.a1.ban, userIdType: "BAN" });
  assert.equal(exp.lifetimePointsExpired, 100);
  assert.ok(exp.pointsExpiringSoon.length > 0);
  const hist = await client.getPointsAdjustments({ userId: IDS.customerA.bcn, userIdType: "BCN" });
  assert.equal(hist.adjustments[0].adjustmentTypeCode, "GOODWILL");
  assert.equal(hist.adjustments[0].accountLastFour, "2222");
});

test("writes change the ledger at once; the lookup itself, encrypted both ways", async () => {
  const before = await client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" });
  const adj = await client.adjustPoints({ bankAccountNumber: IDS.a1.ban, pointsToAdjust: 250, adjustmentTypeCode: "CR", adjustmentReason: "e2e credit", adjustedBy: "tester" });
  assert.equal(adj.pointsAdjusted, 250);
  assert.equal(adj.availablePoints, before.availablePoints + 250);
  const tr = await client.transferPoints({ fromBankAccountNumber: IDS.a1.ban, toBankAccountNumber: IDS.a2.ban, pointsToTransfer: 50, transferTypeCode: "TR", transferReason: "e2e move", adjustedBy: "tester" });
  assert.equal(tr.pointsTransferred, 50);
  const hist = await client.getPointsAdjustments({ userId: IDS.a1.ranac, userIdType: "RANAC" });
  assert.deepEqual(hist.adjustments.slice(0, 2).map((a) => [a.points, a.adjustmentReason]), [[-50, "e2e move"], [250, "e2e credit"]]);
  const plain = await client.searchUserReferences({ userId: IDS.a1.ban, userIdType: "BAN" });
  assert.equal(plain.userReferences[0].customerId, IDS.customerA.rancu);
  assert.equal(plain.userReferences[0].accountDetails[0].accountNumber, undefined);
  // With sensitive identifiers the sandbox encrypts the response to the client's key.
  const sensitive = await client.searchUserReferences({ userId: IDS.customerA.bcn, userIdType: "BCN", includeSensitiveIdentifiers: true });
  assert.equal(sensitive.userReferences[0].customerNumber, IDS.customerA.bcn);
  assert.deepEqual(sensitive.userReferences[0].accountDetails.map((a) => a.accountNumber).sort(), [IDS.a1.ban, IDS.a2.ban].sort());
});

test("API reason codes come back as PointsApiError", async () => {
  const cases = [
    [() => client.adjustPoints({ bankAccountNumber: IDS.b1.ban, pointsToAdjust: 999999, adjustmentTypeCode: "DR", adjustmentReason: "x", adjustedBy: "t" }), 422, "INSUFFICIENT_POINTS"],
    [() => client.transferPoints({ fromBankAccountNumber: IDS.a1.ban, toBankAccountNumber: IDS.b1.ban, pointsToTransfer: 1, transferTypeCode: "TR", transferReason: "x", adjustedBy: "t" }), 422, "ACCOUNTS_OF_DIFFERENT_CUSTOMERS"],
    [() => client.adjustPoints({ bankAccountNumber: "5999999999999999", pointsToAdjust: 1, adjustmentTypeCode: "CR", adjustmentReason: "x", adjustedBy: "t" }), 404, "ACCOUNT_NOT_FOUND"],
    [() => client.adjustPoints({ bankAccountNumber: IDS.a1.ban, pointsToAdjust: 1, adjustmentTypeCode: "ZZ", adjustmentReason: "x", adjustedBy: "t" }), 400, "INVALID_FIELD_VALUE_ADJUSTMENT_TYPE_CODE"],
    [() => client.getPointsDetails({ userId: "999", userIdType: "RANAC" }), 404, "USER_NOT_FOUND"],
    [() => client.searchUserReferences({ userId: "nobody", userIdType: "BCN" }), 404, "USER_NOT_FOUND"],
  ];
  for (const [call, status, code] of cases) {
    const e = await fails(call());
    assert.ok(e instanceof pkg.PointsApiError, String(e));
    // The documented sources: PAS's own, and UAM's for the lookup.
    const source = call.toString().includes("searchUserReferences") ? "user-management" : "rewards-points-api";
    assert.deepEqual([e.status, e.reasonCode, e.source], [status, code, source]);
  }
  const unknownBan = await fails(client.getPointsDetails({ userId: "5999999999999999", userIdType: "BAN" }));
  assert.ok(unknownBan instanceof pkg.PointsApiError);
  assert.equal(unknownBan.reasonCode, "USER_NOT_FOUND");
});

test("validation errors never reach the sandbox", async () => {
  const e = await fails(client.adjustPoints({ bankAccountNumber: "12", pointsToAdjust: 1, adjustmentTypeCode: "CR", adjustmentReason: "x", adjustedBy: "t" }));
  assert.ok(e instanceof pkg.PointsValidationError);
});

test("a bad signature is the gateway's 401 with its acceptable base string, which OAuth1Signer reproduces", async () => {
  const { proxy, SIGNING_KEY } = await import("./proxy-support.mjs");
  const wrong = await proxy({ UPSTREAM_BASE: c.sb.base, ALLOWED_ORIGINS: "http://localhost", MC_CONSUMER_KEY: c.sb.keys.consumerKey });
  try {
    const other = await pkg.PointsClient.create({ baseUrl: `${wrong.base}/loyalty`, headers: wrong.auth });
    const e = await fails(other.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" }));
    assert.ok(e instanceof pkg.PointsApiError);
    assert.deepEqual([e.status, e.source, e.reasonCode], [401, "Gateway", "AUTHENTICATION_FAILED"]);
    const m = /Acceptable signature base string: (\S+)$/.exec(e.errors[0].description);
    assert.ok(m, e.errors[0].description);
    // The debugging path: the same request's base string from our signer, with the gateway's
    // nonce and timestamp, equals the gateway's, byte for byte.
    const gateway = m[1];
    const params = new URLSearchParams(decodeURIComponent(gateway.split("&")[2]));
    const signer = await pkg.OAuth1Signer.create({ consumerKey: c.sb.keys.consumerKey, signingKey: SIGNING_KEY });
    const ours = await signer.signatureBaseString("GET", `${c.sb.base}/points-details?user_id=${IDS.a1.ranac}&user_id_type=RANAC`, null, { nonce: params.get("oauth_nonce"), timestamp: params.get("oauth_timestamp") });
    assert.equal(ours, gateway);
  } finally {
    await wrong.stop();
  }
});

test("injected faults: reads retried, writes sent once, timeout and abort", async () => {
  const fault = (kind) => ({ headers: { "x-sandbox-fault": kind } });
  const r500 = await fails(client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" }, fault("500")));
  assert.deepEqual([r500.status, r500.recoverable], [500, true]);
  const w500 = await fails(client.adjustPoints({ bankAccountNumber: IDS.a1.ban, pointsToAdjust: 1, adjustmentTypeCode: "CR", adjustmentReason: "x", adjustedBy: "t" }, fault("500")));
  assert.equal(w500.status, 500);
  const garbage = await fails(client.getPointsExpirations({ userId: IDS.a1.ranac, userIdType: "RANAC" }, fault("garbage")));
  assert.ok(garbage instanceof pkg.PointsResponseError);
  const dropped = await fails(client.getPointsAdjustments({ userId: IDS.a1.ranac, userIdType: "RANAC" }, fault("drop")));
  assert.ok(dropped instanceof pkg.PointsApiError || dropped instanceof pkg.PointsNetworkError, String(dropped));
  const quick = await c.client({ timeoutMs: 300 });
  const hang = await fails(quick.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" }, fault("hang")));
  assert.ok(hang instanceof pkg.PointsTimeoutError, String(hang));
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const aborted = await fails(client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" }, { ...fault("hang"), signal: controller.signal }));
  assert.ok(aborted instanceof pkg.PointsAbortError, String(aborted));
  // 429 with Retry-After: 1 is waited for and retried (three attempts in all).
  const started = Date.now();
  const limited = await fails(client.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" }, fault("429")));
  assert.equal(limited.status, 429);
  assert.ok(Date.now() - started >= 1900, "two Retry-After waits of a second");
  // The same 429 on a write comes back at once: writes are never retried.
  const writeStarted = Date.now();
  const w429 = await fails(client.transferPoints({ fromBankAccountNumber: IDS.a1.ban, toBankAccountNumber: IDS.a2.ban, pointsToTransfer: 1, transferTypeCode: "TR", transferReason: "x", adjustedBy: "t" }, fault("429")));
  assert.equal(w429.status, 429);
  assert.ok(Date.now() - writeStarted < 900, "no Retry-After wait: not retried");
  assert.ok(c.sb.alive());
});

test("with every response encrypted, the client decrypts them all", async () => {
  const all = await chain(["--encrypt-responses", "all"]);
  try {
    const cl = await all.client();
    const d = await cl.getPointsDetails({ userId: IDS.a1.ban, userIdType: "BAN" });
    assert.equal(d.level, "ACCOUNT");
    const noKey = await all.client({ encryption: { certificate: all.sb.keys.mastercardCertificate } });
    const e = await fails(noKey.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" }));
    assert.ok(e instanceof pkg.JweError);
    assert.equal(e.code, "ERR_JWE_NO_KEY");
  } finally {
    await all.stop();
  }
});
