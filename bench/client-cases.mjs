// The client-overhead cases, shared by Node and the browser page: an instant fetch stub, and for
// each call what it costs with the client against the least a caller must do by hand.
import { compare } from "./measure.mjs";

const BAN = "5555444433332222";
const READ_REPLY = '{"level":"ACCOUNT","previousBalance":1000,"pointsEarned":250,"pointsRedeemed":50,"availablePoints":1200}';
const WRITE_REPLY = '{"pointsAdjusted":1500,"availablePoints":2700}';

/** `mod`: the package's exports. Returns rows `{ label, client, baseline }` in µs (medians). */
export async function clientCases(mod, cert, rounds) {
  const reply = (body) => async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  const readFetch = reply(READ_REPLY);
  const writeFetch = reply(WRITE_REPLY);
  const reader = await mod.PointsClient.create({ baseUrl: "https://proxy.example/loyalty", fetch: readFetch });
  const writer = await mod.PointsClient.create({
    baseUrl: "https://proxy.example/loyalty", fetch: writeFetch, encryption: { certificate: cert },
  });
  const query = { userId: "301234567890123456789012345678", userIdType: "RANAC" };
  const adjustment = { bankAccountNumber: BAN, pointsToAdjust: 1500, adjustmentTypeCode: "CR", adjustmentReason: "Goodwill", adjustedBy: "agent-7" };
  const url = "https://proxy.example/loyalty/points-details?user_id=301234567890123456789012345678&user_id_type=RANAC";
  const read = await compare({
    client: () => reader.getPointsDetails(query),
    // By hand: the same fetch and JSON, no validation, retries, errors or types.
    baseline: async () => (await readFetch(url, { method: "GET", headers: { accept: "application/json" } })).json(),
  }, rounds);
  const write = await compare({
    client: () => writer.adjustPoints(adjustment),
    // By hand: the JWE (this module's own encryptPayload), the same fetch and JSON.
    baseline: async () => {
      const jwe = await mod.encryptPayload(adjustment, { certificate: cert });
      const body = JSON.stringify({ encryptedPayload: jwe });
      const r = await writeFetch("https://proxy.example/loyalty/points-adjustments", {
        method: "POST", headers: { accept: "application/json", "content-type": "application/json" }, body,
      });
      return r.json();
    },
  }, rounds);
  return [
    { label: "read (getPointsDetails)", ...read },
    { label: "encrypted write (adjustPoints), beyond its JWE", ...write },
  ];
}

/** Markdown rows: client, baseline, overhead. */
export function overheadTable(runtime, rows) {
  const lines = [`| ${runtime} | client | by hand | overhead per call |`, "|---|---|---|---|"];
  for (const r of rows) {
    lines.push(`| ${r.label} | ${r.client.toFixed(1)} µs | ${r.baseline.toFixed(1)} µs | ${(r.client - r.baseline).toFixed(1)} µs |`);
  }
  return lines.join("\n");
}
