// The worker benchmark on loopback: requests/s and latency through the edge worker (token
// check + authorization + JWE + signing, all in workerd) against the same calls through the
// proxy path (a caller that has already encrypted its body; the proxy authenticates it, signs
// and forwards), in front of the same sandbox, in the same run. The worker's budgets are on:
// each call spends its unit in the user's Durable Object, a write by its own call, a read from
// a lease of units (worker/leases.mjs); limits above the load, so none is refused. Writes go
// through the exactly-once key book. Bounded: a fixed number of
// requests per round. Run after scripts/build.sh and `cargo build -p points-sandbox`:
//   node bench/worker.mjs
import { pkg } from "../tests/js/helpers.mjs";
import { proxy } from "../tests/js/proxy-support.mjs";
import { SEED, IDS } from "../tests/js/sandbox-support.mjs";
import { token, workerChain } from "../tests/js/worker-support.mjs";
import { load as run, median } from "./load.mjs";

const REQUESTS = Number(process.env.REQUESTS || 1000);
const CONCURRENCY = 8;
const ROUNDS = 3;

// Balances large enough for every transfer of the run.
const seed = structuredClone(SEED);
for (const c of seed.customers) for (const a of c.accounts) a.entries.push({ date: "2026-01-02", kind: "EARNED", points: 1e9 });
const c = await workerChain({ seed });
const px = await proxy({ MC_CONSUMER_KEY: c.sb.keys.consumerKey, MC_SIGNING_KEY: c.sb.keys.signingKey, UPSTREAM_BASE: c.sb.base });
try {
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn }, { exp: "1h" });
  const auth = { authorization: `Bearer ${alex}` };
  // The proxy path's caller has encrypted its transfer once, as a server of the issuer's would.
  const jwe = await pkg.encryptPayload({ fromBankAccountNumber: IDS.a1.ban, toBankAccountNumber: IDS.a2.ban, pointsToTransfer: 1, transferTypeCode: "TR", transferReason: "bench", adjustedBy: "bench" }, { certificate: c.sb.keys.mastercardCertificate });
  const workloads = [
    ["read: points details of one account",
      [c.wk.base, "GET", `/api/points-details?accountId=${IDS.a1.ranac}`, undefined, auth],
      [px.base, "GET", `/loyalty/points-details?user_id=${IDS.a1.ranac}&user_id_type=RANAC`, undefined, px.auth]],
    ["write: transfer of 1 point",
      [c.wk.base, "POST", "/api/transfers", JSON.stringify({ fromAccountId: IDS.a1.ranac, toAccountId: IDS.a2.ranac, points: 1 }), auth],
      [px.base, "POST", "/loyalty/points-transfers", JSON.stringify({ encryptedPayload: jwe }), px.auth]],
  ];
  const load = ([base, method, path, body, headers]) => run(base, method, path, body, { headers, requests: REQUESTS, concurrency: CONCURRENCY });
  console.log(`Loopback, ${CONCURRENCY} concurrent connections, ${REQUESTS} requests per round, median of ${ROUNDS} rounds; one debug-build sandbox behind both; the worker's budgets on (every call spends a unit of the user's Durable Object, reads from leases; limits set above the load)\n`);
  console.log("| workload | worker (token + authorization + JWE + signing) | proxy path (signing only) | p50 latency ratio | throughput ratio |");
  console.log("|---|---|---|---|---|");
  for (const [label, worker, viaProxy] of workloads) {
    await load(worker); // warm-up: isolates, keys, the entitlement cache
    await load(viaProxy);
    const ours = [];
    const theirs = [];
    for (let r = 0; r < ROUNDS; r++) {
      ours.push(await load(worker));
      theirs.push(await load(viaProxy));
    }
    const m = (xs, k) => median(xs.map((x) => x[k]));
    const fail = ours.concat(theirs).reduce((n, x) => n + x.failures, 0);
    if (fail) throw new Error(`${fail} failed requests in ${label}`);
    const cell = (xs) => `${m(xs, "rps").toFixed(0)} req/s, p50 ${m(xs, "p50").toFixed(2)} ms, p99 ${m(xs, "p99").toFixed(2)} ms`;
    console.log(`| ${label} | ${cell(ours)} | ${cell(theirs)} | ${(m(ours, "p50") / m(theirs, "p50")).toFixed(2)}× | ${(m(ours, "rps") / m(theirs, "rps")).toFixed(2)}× |`);
  }
} finally {
  await px.stop();
  await c.stop();
}
