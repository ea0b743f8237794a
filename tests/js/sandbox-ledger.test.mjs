// The sandbox's ledger under the attacks of the hardening issue: credits up to and past the
// documented ceiling (2^53 − 1) are refusals, never a panic; transfers whose callers drop the
// connection mid-flight are whole or absent; every account stays usable afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pkg } from "./helpers.mjs";
import { sandbox, directCaller, IDS, SEED } from "./sandbox-support.mjs";

const MAX = 2 ** 53 - 1;

test("1,024 credits of 2^53 − 1 and then one more: refusals, and the account still serves", async () => {
  const sb = await sandbox();
  try {
    const call = await directCaller(sb);
    const credit = (n) => call("POST", "/points-adjustments", { bankAccountNumber: IDS.b1.ban, pointsToAdjust: n, adjustmentTypeCode: "CR", adjustmentReason: "big", adjustedBy: "t" });
    const statuses = {};
    for (let i = 0; i < 1024; i++) {
      const r = await credit(MAX);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status !== 200) assert.equal(r.json.Errors.Error[0].ReasonCode, "BALANCE_LIMIT_EXCEEDED");
    }
    assert.deepEqual(statuses, { 422: 1024 }, "300 + 2^53 − 1 is already past the ceiling");
    const fill = await credit(MAX - 300);
    assert.equal(fill.status, 200);
    assert.equal(fill.json.availablePoints, MAX);
    const one = await credit(1);
    assert.equal(one.status, 422);
    assert.ok(sb.alive(), "no panic");
    // Reads and transfers of that account and its neighbours still work.
    const d = await call("GET", `/points-details?user_id=${IDS.b1.ranac}&user_id_type=RANAC`);
    assert.deepEqual([d.status, d.json.availablePoints], [200, MAX]);
    for (const a of [IDS.a1, IDS.a2]) assert.equal((await call("GET", `/points-details?user_id=${a.ranac}&user_id_type=RANAC`)).status, 200);
    const h = await call("GET", `/points-adjustments-details?user_id=${IDS.customerB.rancu}&user_id_type=RANCU`);
    assert.equal(h.status, 200);
  } finally {
    await sb.stop();
  }
});

test("concurrent transfers with dropped connections: each whole or absent, balances conserved, nothing negative", async () => {
  const seed = structuredClone(SEED);
  for (const a of seed.customers[0].accounts) a.entries.push({ date: "2026-10-01", kind: "EARNED", points: 5000 });
  const sb = await sandbox(["--latency-ms", "5"], seed);
  try {
    const call = await directCaller(sb);
    const balances = async () => Promise.all([IDS.a1, IDS.a2].map(async (a) => (await call("GET", `/points-details?user_id=${a.ranac}&user_id_type=RANAC`)).json.availablePoints));
    const before = await balances();
    const signer = await pkg.OAuth1Signer.create({ consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey });
    const url = `${sb.base}/points-transfers`;
    const one = async (i) => {
      const [from, to] = i % 2 ? [IDS.a1, IDS.a2] : [IDS.a2, IDS.a1];
      const body = JSON.stringify({ encryptedPayload: await pkg.encryptPayload({ fromBankAccountNumber: from.ban, toBankAccountNumber: to.ban, pointsToTransfer: 1 + (i % 7), transferTypeCode: "TR", transferReason: `t${i}`, adjustedBy: "t" }, { certificate: sb.keys.mastercardCertificate }) });
      const authorization = await signer.authorizationHeader("POST", url, body);
      // Half the callers hang up after 0 to 9 ms, around the sandbox's 5 ms of latency.
      const signal = i % 2 === 0 ? AbortSignal.timeout(i % 10) : undefined;
      return fetch(url, { method: "POST", headers: { authorization, "content-type": "application/json" }, body, signal }).then((r) => r.status, () => "dropped");
    };
    const outcomes = await Promise.all(Array.from({ length: 400 }, (_, i) => one(i)));
    assert.ok(outcomes.includes("dropped") && outcomes.includes(200), JSON.stringify(outcomes.slice(0, 20)));
    await new Promise((ok) => setTimeout(ok, 200));
    const after = await balances();
    assert.equal(after[0] + after[1], before[0] + before[1], "transfers move points, they make or lose none");
    assert.ok(after.every((b) => b >= 0));
    // Every transfer in the history is whole: an out for every in.
    const h = await call("GET", `/points-adjustments-details?user_id=${IDS.customerA.rancu}&user_id_type=RANCU`);
    const moves = h.json.adjustments.filter((x) => /^t\d+$/.test(x.adjustmentReason));
    const byReason = Map.groupBy ? Map.groupBy(moves, (x) => x.adjustmentReason) : moves.reduce((m, x) => m.set(x.adjustmentReason, [...(m.get(x.adjustmentReason) ?? []), x]), new Map());
    for (const [reason, pair] of byReason) assert.deepEqual(pair.map((x) => x.points).sort((p, q) => p - q), [-Math.abs(pair[0].points), Math.abs(pair[0].points)], reason);
    assert.ok(sb.alive());
  } finally {
    await sb.stop();
  }
});
