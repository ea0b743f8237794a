// Thousands of concurrent adjustments and transfers through the sandbox's HTTP API: afterwards
// every balance is exactly what the accepted operations imply, none is negative, every accepted
// operation is in the history and every refused one left no trace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sandbox, directCaller, IDS, SEED } from "./sandbox-support.mjs";

const OPS = 3000;
const CONCURRENCY = 48;

test(`${OPS} concurrent writes keep the books exact`, async () => {
  // Enough points that most operations succeed and some still run out.
  const seed = structuredClone(SEED);
  for (const c of seed.customers) for (const a of c.accounts) a.entries.push({ date: "2026-10-01", kind: "EARNED", points: 20000 });
  const sb = await sandbox([], seed);
  try {
    const call = await directCaller(sb);
    const accounts = [IDS.a1, IDS.a2, IDS.b1];
    const state = async () => {
      const out = {};
      for (const a of accounts) {
        const d = await call("GET", `/points-details?user_id=${a.ranac}&user_id_type=RANAC`);
        const h = await call("GET", `/points-adjustments-details?user_id=${a.ranac}&user_id_type=RANAC`);
        assert.equal(d.status, 200, d.text);
        out[a.ban] = { balance: d.json.availablePoints, history: h.json.adjustments.length };
      }
      return out;
    };
    const start = await state();
    const expected = Object.fromEntries(accounts.map((a) => [a.ban, { ...start[a.ban] }]));
    let seed = 12345;
    // The high bits of an LCG (its low bits repeat with short periods).
    const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
    const plan = Array.from({ length: OPS }, () => {
      const kind = rand(10);
      if (kind < 4) {
        const a = accounts[rand(3)];
        const debit = rand(2) === 0;
        return { path: "/points-adjustments", body: { bankAccountNumber: a.ban, pointsToAdjust: 1 + rand(400), adjustmentTypeCode: debit ? "DR" : "CR", adjustmentReason: "load", adjustedBy: "test" }, apply: (b) => { const p = b.body.pointsToAdjust * (debit ? -1 : 1); expected[a.ban].balance += p; expected[a.ban].history += 1; } };
      }
      if (kind === 8 && rand(4) === 0) {
        // An overdraw, always refused.
        const a = accounts[rand(3)];
        return { path: "/points-adjustments", body: { bankAccountNumber: a.ban, pointsToAdjust: 10_000_000, adjustmentTypeCode: "DR", adjustmentReason: "overdraw", adjustedBy: "test" }, apply: () => assert.fail("an overdraw was accepted") };
      }
      // Transfers inside customer A, and now and then across customers (always refused).
      const [from, to] = kind === 9 ? [IDS.a1, IDS.b1] : rand(2) ? [IDS.a1, IDS.a2] : [IDS.a2, IDS.a1];
      return { path: "/points-transfers", body: { fromBankAccountNumber: from.ban, toBankAccountNumber: to.ban, pointsToTransfer: 1 + rand(600), transferTypeCode: "TR", transferReason: "load", adjustedBy: "test" }, apply: (b) => { expected[from.ban].balance -= b.body.pointsToTransfer; expected[to.ban].balance += b.body.pointsToTransfer; expected[from.ban].history += 1; expected[to.ban].history += 1; } };
    });
    let next = 0;
    const results = { accepted: 0, refused: 0, codes: {} };
    const worker = async () => {
      while (next < plan.length) {
        const op = plan[next++];
        const r = await call("POST", op.path, op.body);
        if (r.status === 200) {
          op.apply(op);
          results.accepted++;
        } else {
          assert.ok([422].includes(r.status), `${r.status} ${r.text}`);
          const code = r.json.Errors.Error[0].ReasonCode;
          results.codes[code] = (results.codes[code] || 0) + 1;
          results.refused++;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.equal(results.accepted + results.refused, OPS);
    assert.ok(results.accepted > OPS / 3, JSON.stringify(results));
    assert.ok(results.codes.ACCOUNTS_OF_DIFFERENT_CUSTOMERS > 0 && results.codes.INSUFFICIENT_POINTS > 0, JSON.stringify(results.codes));
    const end = await state();
    for (const a of accounts) {
      assert.ok(end[a.ban].balance >= 0, "no balance below zero");
      assert.equal(end[a.ban].balance, expected[a.ban].balance, `${a.ban}: balance`);
      assert.equal(end[a.ban].history, expected[a.ban].history, `${a.ban}: every accepted operation in the history, no refused one`);
    }
    assert.ok(sb.alive());
  } finally {
    await sb.stop();
  }
});
