// Every PointsClient operation, runnable offline: `node examples/client.mjs` after
// `bash scripts/build.sh`. A small fake PAS answers in place of the network (the local sandbox
// replaces it once it exists); in an app, drop `fetch` and point `baseUrl` at your signing proxy.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// In an app: import { PointsClient, PointsError, encryptPayload } from "points-activity";
const { PointsClient, PointsError, PointsValidationError, encryptPayload } = require("../pkg/nodejs/points_activity.js");

const fixture = (name) => readFileSync(new URL(`../tests/fixtures/keys/${name}`, import.meta.url), "utf8");
const certificate = fixture("jwe-certificate.pem"); // Mastercard's encryption certificate
const decryptionKey = fixture("jwe-private-key.pkcs8.pem"); // your private key (test pair here)

// The fake service: canned answers by path; the lookup answers encrypted, as the real one does.
async function fakePas(url, init) {
  const path = new URL(url).pathname.replace(/^\/loyalty/, "");
  const json = (value) => new Response(JSON.stringify(value), { status: 200, headers: { "content-type": "application/json" } });
  switch (path) {
    case "/points-details": return json({ level: "ACCOUNT", previousBalance: 1000, pointsEarned: 250, pointsRedeemed: 50, availablePoints: 1200 });
    case "/points-expirations-details": return json({ pointsExpiringSoon: [{ points: 100, expirationDate: "2026-12-31" }], pointsExpiredYearToDate: 40 });
    case "/points-adjustments-details": return json({ adjustments: [{ adjustmentDate: "2026-11-02", points: 500, adjustmentTypeCode: "CR", adjustedBy: "agent-7", accountLastFour: "2222" }] });
    case "/points-adjustments": return json({ pointsAdjusted: 1500 });
    case "/points-transfers": return json({ pointsTransferred: 300 });
    case "/mrs/users/references/searches": {
      const found = { userReferences: [{ customerId: "RANCU-000000000000042", accountDetails: [{ accountId: "RANAC-000000000000000000000000007", accountFirstFour: "5555", accountLastFour: "2222" }] }] };
      return json({ encryptedPayload: await encryptPayload(found, { certificate }) });
    }
    default: return new Response('{"Errors":{"Error":[{"Source":"Gateway","ReasonCode":"NOT_FOUND","Recoverable":false}]}}', { status: 404 });
  }
}

const client = await PointsClient.create({
  baseUrl: "https://proxy.example.com/loyalty",
  encryption: { certificate, decryptionKey },
  fetch: fakePas,
  timeoutMs: 10_000,
});

// 1. Points balance. With a BAN, the client looks the card up first (encrypted): the card
//    number never appears in a URL.
console.log("details", await client.getPointsDetails({ userId: "5555444433332222", userIdType: "BAN" }));

// 2. Expirations, for a RANAC, with an extra query parameter and an abort signal.
console.log("expirations", await client.getPointsExpirations(
  { userId: "301234567890123456789012345678", userIdType: "RANAC" },
  { signal: AbortSignal.timeout(5000), query: { program: "GOLD" } },
));

// 3. Adjustment history, for a RANCU.
console.log("history", await client.getPointsAdjustments({ userId: "123456789012345678", userIdType: "RANCU" }));

// 4. An adjustment: the body is encrypted; never retried automatically.
console.log("adjusted", await client.adjustPoints({
  bankAccountNumber: "5555444433332222", pointsToAdjust: 1500,
  adjustmentTypeCode: "CR", adjustmentReason: "Goodwill", adjustedBy: "agent-7",
}));

// 5. A transfer between two of the user's accounts.
console.log("transferred", await client.transferPoints({
  fromBankAccountNumber: "5555444433332222", toBankAccountNumber: "5555444433331111", pointsToTransfer: 300,
  transferTypeCode: "TR", transferReason: "Moving to the new card", adjustedBy: "self-service",
}));

// 6. The identifier lookup itself.
console.log("references", JSON.stringify(await client.searchUserReferences({ userId: "5555444433332222", userIdType: "BAN" })));

// Bad input never leaves the module.
try {
  await client.adjustPoints({ bankAccountNumber: "5555-4444", pointsToAdjust: 1.5, adjustmentTypeCode: "CR", adjustmentReason: "x", adjustedBy: "me" });
} catch (e) {
  if (e instanceof PointsValidationError) console.log("refused:", e.field, "-", e.message);
  else if (e instanceof PointsError) console.log(e.code);
  else throw e;
}
