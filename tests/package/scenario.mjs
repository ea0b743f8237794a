// The script each runtime runs on the installed package (Node, Deno, Bun, Vercel's Edge): every
// entry at work with a stub fetch, and the error classes compared across the entries. It prints
// (or returns) one JSON object, checked by `checkScenario` against what Node's run gave.
import assert from "node:assert/strict";
import { keys, KID } from "./support.mjs";

/** The nonce and timestamp every runtime signs with, so their headers can be compared byte for byte. */
const FIXED = { nonce: "n0nceForTheRuntimeTests", timestamp: "1767225600" };

// The body: `pa`, `jwe` and `wc` are the three entries, however the runtime brought them in.
const BODY = `
  const CERT = ${JSON.stringify(keys.certificate)};
  const KEY = ${JSON.stringify(keys.decryptionKey)};
  const SIGNING_KEY = ${JSON.stringify(keys.signingKey)};
  const entries = { "points-activity": pa, "points-activity/jwe": jwe, "points-activity/worker-client": wc };
  const caught = async (f) => { try { await f(); } catch (e) { return e; } return undefined; };
  const json = (value, status = 200) => new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
  const out = {};

  // Payload encryption: a round trip, and the jwe entry opening what the main one sealed.
  const sealed = await pa.encryptPayload({ points: 7 }, { certificate: CERT });
  out.roundTrip = { kid: await pa.keyFingerprint(CERT), back: await pa.decryptPayload(sealed, { decryptionKey: KEY }) };
  out.jwe = {
    kid: await jwe.keyFingerprint(CERT),
    back: await jwe.decryptPayload(await jwe.encryptPayload({ n: 1 }, { certificate: CERT }), { decryptionKey: KEY }),
    cross: await jwe.decryptPayload(sealed, { decryptionKey: KEY }),
    client: typeof jwe.PointsClient,
  };

  // The signer, with a fixed nonce and timestamp.
  const signer = await pa.OAuth1Signer.create({ consumerKey: "consumer-key-for-tests", signingKey: SIGNING_KEY });
  out.authorization = await signer.authorizationHeader("POST", "https://api.example/loyalty/points-adjustments?b=2&a=1",
    '{"encryptedPayload":"x"}', ${JSON.stringify(FIXED)});

  // PointsClient over a stub fetch: a read, and an encrypted, signed write the stub opens.
  const sent = [];
  const client = await pa.PointsClient.create({
    baseUrl: "https://api.example/loyalty",
    encryption: { certificate: CERT, decryptionKey: KEY },
    signer,
    fetch: async (url, init) => {
      const request = new Request(url, init);
      const body = request.method === "POST" ? await request.json() : undefined;
      sent.push({ method: request.method, url: request.url, signed: /^OAuth /.test(request.headers.get("authorization") ?? ""),
        opened: body && await jwe.decryptPayload(body.encryptedPayload, { decryptionKey: KEY }) });
      return request.method === "GET" ? json({ availablePoints: 42 }) : json({ pointsAdjusted: 5 });
    },
  });
  out.client = {
    details: await client.getPointsDetails({ userId: "301234567890", userIdType: "RANAC" }),
    adjusted: await client.adjustPoints({ bankAccountNumber: "5555444433332222", pointsToAdjust: 5,
      adjustmentTypeCode: "CR", adjustmentReason: "Goodwill", adjustedBy: "agent-7" }),
    sent: [...sent],
  };

  // The page's client of the worker over a stub fetch: a read, and a refusal.
  const asked = [];
  const worker = new wc.PointsWorkerClient({
    baseUrl: "https://worker.example",
    token: "t0ken",
    fetch: async (url, init) => {
      asked.push({ url: String(url), authorization: new Headers(init.headers).get("authorization") });
      return String(url).includes("customerId")
        ? json({ Errors: { Error: [{ Source: "worker", ReasonCode: "FORBIDDEN", Description: "no", Recoverable: false }] } }, 403)
        : json({ availablePoints: 9 });
    },
  });
  out.workerClient = { details: await worker.getPointsDetails({ accountId: "acc-1" }), asked: [...asked] };

  // One error from each entry, each checked against every entry's classes.
  const thrown = {
    "points-activity": await caught(() => client.getPointsDetails({ userId: "1", userIdType: "IBAN" })),
    "points-activity/jwe": await caught(() => jwe.decryptPayload("a.b.c", { decryptionKey: KEY })),
    "points-activity/worker-client": await caught(() => worker.getPointsDetails({ customerId: "cust-1" })),
  };
  out.errors = Object.fromEntries(Object.entries(thrown).map(([from, e]) => [from, { name: e && e.name, code: e && e.code }]));
  out.identity = [];
  for (const [from, e] of Object.entries(thrown)) {
    for (const [name, entry] of Object.entries(entries)) {
      const same = e instanceof entry.PointsError && e instanceof entry[e.name];
      out.identity.push(\`\${from}'s \${e && e.name} \${same ? "is" : "is NOT"} an instance of \${name}'s classes\`);
    }
  }
  return out;
`;

/** An ES module whose `run()` resolves to the result; `print` adds a top-level call that prints it. */
export function esmScenario({ print = true } = {}) {
  return `import * as pa from "points-activity";
import * as jwe from "points-activity/jwe";
import * as wc from "points-activity/worker-client";
export async function run() {${BODY}}
${print ? "console.log(JSON.stringify(await run()));" : ""}
`;
}

/** A CommonJS script: the package and the worker client by `require`, the jwe entry (ESM only, top-level await) by `import()`. */
export function cjsScenario() {
  return `const pa = require("points-activity");
const wc = require("points-activity/worker-client");
(async () => {
  const jwe = await import("points-activity/jwe");
  const run = async () => {${BODY}};
  console.log(JSON.stringify(await run()));
})().catch((e) => { console.error(e); process.exitCode = 1; });
`;
}

/** Checks one runtime's result; `reference` is Node's, whose Authorization header the others must equal. */
export function checkScenario(result, reference) {
  assert.equal(result.roundTrip.kid, KID);
  assert.deepEqual(result.roundTrip.back, { points: 7 });
  assert.deepEqual(result.jwe, { kid: KID, back: { n: 1 }, cross: { points: 7 }, client: "undefined" });
  assert.match(result.authorization, /^OAuth .*oauth_nonce="n0nceForTheRuntimeTests".*oauth_signature="[^"]{300,}"/);
  if (reference) assert.equal(result.authorization, reference.authorization, "the same Authorization header as Node's");
  assert.equal(result.client.details.availablePoints, 42);
  assert.equal(result.client.adjusted.pointsAdjusted, 5);
  assert.deepEqual(result.client.sent.map((s) => [s.method, s.url.replace(/\?.*/, ""), s.signed]), [
    ["GET", "https://api.example/loyalty/points-details", true],
    ["POST", "https://api.example/loyalty/points-adjustments", true],
  ]);
  assert.equal(result.client.sent[1].opened.bankAccountNumber, "5555444433332222");
  assert.equal(result.workerClient.details.availablePoints, 9);
  assert.deepEqual(result.workerClient.asked, [{ url: "https://worker.example/api/points-details?accountId=acc-1", authorization: "Bearer t0ken" }]);
  assert.deepEqual(result.errors, {
    "points-activity": { name: "PointsValidationError", code: "ERR_VALIDATION" },
    "points-activity/jwe": { name: "JweError", code: "ERR_JWE_INVALID" },
    "points-activity/worker-client": { name: "PointsApiError", code: "ERR_API" },
  });
  assert.deepEqual(result.identity.filter((line) => line.includes(" is NOT ")), [], "every error is an instance of every entry's classes");
  assert.equal(result.identity.length, 9);
}
