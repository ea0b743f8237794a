// The worker's authorization matrix (authz-matrix.mjs) against the repository's worker
// (today's claims) in workerd + the sandbox. Budgets are set above what the matrix spends (the
// controls suite tests them); the template's suite runs the same matrix with custom claims.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { workerChain } from "./worker-support.mjs";
import { B2, IDS, matrixTokens, runMatrix, seed } from "./authz-matrix.mjs";

let c;
let tokens;
before(async () => {
  // Idempotency and rate limits on, at a limit (per user and minute) above what the matrix writes.
  c = await workerChain({ seed, env: { WRITE_RATE_LIMIT: "30", READ_RATE_LIMIT: "100", SEARCH_RATE_LIMIT: "30" } });
  tokens = await matrixTokens(c);
});
after(async () => c && c.stop());

test("the authorization matrix: every cell as expected, and no refusal reaches the sandbox", async () => {
  assert.equal(await runMatrix(c, tokens), 18 * 20);
});

test("an agent must name an account or customer; a consumer's read with no selector is their own customer", async () => {
  let res = await c.call("GET", "/api/points-details", { bearer: tokens.agent });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).Errors.Error[0].ReasonCode, "INVALID_REQUEST");
  res = await c.call("GET", "/api/points-details", { bearer: tokens.sam });
  assert.equal(res.status, 200);
  const d = await res.json();
  assert.equal(d.level, "CUSTOMER");
  assert.deepEqual(d.accounts.map((a) => a.accountId).sort(), [IDS.b1.ranac, B2.ranac].sort());
  for (const q of ["?accountId=1&accountId=2", `?accountId=${IDS.b1.ranac}&customerId=${IDS.customerB.rancu}`, "?user_id=1", "?accountId=" + "9".repeat(65)]) {
    res = await c.call("GET", `/api/points-details${q}`, { bearer: tokens.sam });
    assert.equal(res.status, 400, q);
  }
});
