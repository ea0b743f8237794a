// The fault matrix: what goes wrong on the way or comes back wrong gives its class and code, and
// the attempt counts show reads retried and writes sent exactly once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CompactEncrypt, importX509 } from "jose";
import { pkg } from "./helpers.mjs";
import { clientOn, valid, READS, WRITES, CERT } from "./client-support.mjs";

const envelope = (recoverable) => JSON.stringify({
  Errors: { Error: [{ Source: "PAS", ReasonCode: "SERVICE_ERROR", Description: "try later", Recoverable: recoverable, Details: null }] },
});

async function failure(promise) {
  return promise.then((v) => assert.fail(`resolved with ${JSON.stringify(v)}`), (e) => e);
}

const cases = [
  {
    name: "fetch rejects", script: [{ reject: "connection reset" }],
    check: (e) => { assert.ok(e instanceof pkg.PointsNetworkError); assert.equal(e.code, "ERR_NETWORK"); assert.equal(e.mayHaveBeenSent, true); assert.ok(e.cause instanceof TypeError); },
    readAttempts: 3, writeAttempts: 1,
  },
  {
    name: "429 with Retry-After", script: [{ status: 429, headers: { "retry-after": "0" }, body: "" }],
    check: (e) => { assert.ok(e instanceof pkg.PointsApiError); assert.equal(e.status, 429); assert.deepEqual(e.errors, []); },
    readAttempts: 3, writeAttempts: 1,
  },
  {
    name: "500 envelope, Recoverable true", script: [{ status: 500, body: envelope(true) }],
    check: (e) => {
      assert.ok(e instanceof pkg.PointsApiError); assert.equal(e.code, "ERR_API"); assert.equal(e.status, 500);
      assert.equal(e.reasonCode, "SERVICE_ERROR"); assert.equal(e.source, "PAS"); assert.equal(e.recoverable, true);
      assert.deepEqual(e.errors, [{ source: "PAS", reasonCode: "SERVICE_ERROR", description: "try later", recoverable: true }]);
    },
    readAttempts: 3, writeAttempts: 1,
  },
  {
    name: "500 envelope, Recoverable \"false\"", script: [{ status: 500, body: envelope("false") }],
    check: (e) => { assert.ok(e instanceof pkg.PointsApiError); assert.equal(e.recoverable, false); },
    readAttempts: 1, writeAttempts: 1,
  },
  {
    name: "502 HTML page", script: [{ status: 502, body: "<html><body>Bad Gateway</body></html>" }],
    check: (e) => { assert.ok(e instanceof pkg.PointsApiError); assert.equal(e.status, 502); assert.deepEqual(e.errors, []); assert.equal(e.reasonCode, undefined); },
    readAttempts: 3, writeAttempts: 1,
  },
  {
    name: "401 DECLINED from the gateway", script: [{ status: 401, body: '{"Errors":{"Error":{"Source":"Gateway","ReasonCode":"DECLINED","Recoverable":false}}}' }],
    check: (e) => { assert.ok(e instanceof pkg.PointsApiError); assert.equal(e.source, "Gateway"); assert.match(e.message, /401: DECLINED/); },
    readAttempts: 1, writeAttempts: 1,
  },
  {
    name: "200 with non-JSON", script: [{ status: 200, body: "OK" }],
    check: (e) => { assert.ok(e instanceof pkg.PointsResponseError); assert.equal(e.code, "ERR_RESPONSE_INVALID"); assert.equal(e.status, 200); },
    readAttempts: 1, writeAttempts: 1,
  },
  {
    name: "200 with a JSON array", script: [{ status: 200, body: "[1,2]" }],
    check: (e) => { assert.ok(e instanceof pkg.PointsResponseError); },
    readAttempts: 1, writeAttempts: 1,
  },
  {
    name: "200 with a corrupted encrypted payload", script: [{ status: 200, body: '{"encryptedPayload":"eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.AAAA.BBBB.CCCC.DDDD"}' }],
    check: (e) => { assert.ok(e instanceof pkg.JweError); assert.match(e.code, /^ERR_JWE_(INVALID|DECRYPTION_FAILED)$/); },
    readAttempts: 1, writeAttempts: 1,
  },
];

for (const c of cases) {
  test(`fault: ${c.name}`, async () => {
    for (const op of [...READS, ...WRITES]) {
      const { client, calls } = await clientOn(c.script);
      const e = await failure(client[op](valid[op]()));
      assert.ok(e instanceof pkg.PointsError, `${op}: ${e}`);
      c.check(e);
      const want = READS.includes(op) ? c.readAttempts : c.writeAttempts;
      assert.equal(calls.length, want, `${op}: attempts`);
    }
  });
}

test("fault: an encrypted response without a decryption key", async () => {
  const jwe = await new CompactEncrypt(new TextEncoder().encode('{"availablePoints":1}'))
    .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM" })
    .encrypt(await importX509(CERT, "RSA-OAEP-256"));
  const { client, calls } = await clientOn([{ status: 200, body: JSON.stringify({ encryptedPayload: jwe }) }], {
    encryption: { certificate: CERT },
  });
  const e = await failure(client.getPointsDetails(valid.getPointsDetails()));
  assert.ok(e instanceof pkg.JweError);
  assert.equal(e.code, "ERR_JWE_NO_KEY");
  assert.equal(calls.length, 1);
});

test("fault: the time limit", async () => {
  for (const op of ["getPointsDetails", "adjustPoints"]) {
    const { client, calls } = await clientOn([{ hang: true }], { timeoutMs: 30 });
    const e = await failure(client[op](valid[op]()));
    assert.ok(e instanceof pkg.PointsTimeoutError, String(e));
    assert.equal(e.code, "ERR_TIMEOUT");
    assert.equal(e.mayHaveBeenSent, true);
    assert.equal(calls.length, 1, "a timed-out call is not retried");
  }
});

test("fault: the caller aborts, during the call or before it", async () => {
  for (const op of ["getPointsDetails", "transferPoints"]) {
    const { client, calls } = await clientOn([{ hang: true }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const e = await failure(client[op](valid[op](), { signal: controller.signal }));
    assert.ok(e instanceof pkg.PointsAbortError, String(e));
    assert.equal(e.code, "ERR_ABORTED");
    assert.equal(calls.length, 1);
  }
  const { client, calls } = await clientOn([{ status: 200, body: "{}" }]);
  const e = await failure(client.getPointsDetails(valid.getPointsDetails(), { signal: AbortSignal.abort() }));
  assert.ok(e instanceof pkg.PointsAbortError);
  assert.equal(calls.length, 0, "nothing is sent for a signal already aborted");
});

test("fault: an abort during the backoff ends the retries at once", async () => {
  const { client, calls } = await clientOn([{ status: 503, body: "" }], { retry: { maxAttempts: 5, baseDelayMs: 5000, maxDelayMs: 5000 } });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  const e = await failure(client.getPointsExpirations(valid.getPointsExpirations(), { signal: controller.signal }));
  assert.ok(e instanceof pkg.PointsAbortError, String(e));
  assert.equal(calls.length, 1);
  assert.ok(Date.now() - started < 2500, "did not sit out the backoff");
});

test("fault: Retry-After is waited for, and one longer than maxDelayMs ends the retries", async () => {
  const { client, calls } = await clientOn([{ status: 429, headers: { "retry-after": "1" } }, { status: 200, body: '{"availablePoints":3}' }]);
  const started = Date.now();
  const got = await client.getPointsDetails(valid.getPointsDetails());
  assert.deepEqual(got, { availablePoints: 3 });
  assert.equal(calls.length, 2);
  assert.ok(Date.now() - started >= 950, "waited for Retry-After");
  const long = await clientOn([{ status: 429, headers: { "retry-after": "120" } }]);
  const e = await failure(long.client.getPointsDetails(valid.getPointsDetails()));
  assert.equal(e.status, 429);
  assert.equal(long.calls.length, 1, "a two-minute Retry-After is handed to the caller");
});

test("the lookup is a read: retried, and a failed lookup stops the read", async () => {
  const { client, calls } = await clientOn([{ status: 503 }]);
  const e = await failure(client.getPointsDetails({ userId: "5555444433332222", userIdType: "BAN" }));
  assert.ok(e instanceof pkg.PointsApiError);
  assert.equal(calls.length, 3);
  assert.ok(calls.every((c) => c.url.endsWith("/mrs/users/references/searches") && c.method === "POST"));
});
