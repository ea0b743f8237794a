// The whole chain under load and faults, on loopback: USERS concurrent consumers (default 64)
// for DURATION seconds (60), each signed in with their own token and using the page's client
// (PointsWorkerClient) against workerd (the worker, its UserWrites Durable Objects on disk)
// and the sandbox with FAULT_RATE of its requests failing at random (0.05: 500s, drops before
// and after a write was applied, answers that never come, 429s). The mix: 70% reads of the
// user's points, 25% transfers between their two cards, 5% an agent's adjustment of a random
// account. Then the books: the sum of every balance must equal the seed's sum plus the
// adjustments the service accepted, no account may be negative, and no Idempotency-Key may
// be applied twice or lost (the sandbox's own history, read directly, is the judge).
// Bounded: the run ends after DURATION; every intent left unanswered is then repeated with its
// key until its outcome is known. Run after scripts/build.sh and `cargo build -p points-sandbox`:
//   node bench/chain.mjs
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { token, workerChain } from "../tests/js/worker-support.mjs";
import { directCaller } from "../tests/js/sandbox-support.mjs";

const USERS = Number(process.env.USERS || 64);
const DURATION = Number(process.env.DURATION || 60);
const FAULT_RATE = Number(process.env.FAULT_RATE ?? 0.05);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { PointsWorkerClient } = await import(pathToFileURL(join(root, "pkg", "npm", "web", "worker-client.js")).href);

// USERS customers, two cards each, 100,000 points on each.
const digits = (n, w) => String(n).padStart(w, "0");
const users = Array.from({ length: USERS }, (_, i) => ({
  sub: `user-${i}`,
  bcn: `BCN-${digits(i, 6)}`,
  rancu: `1${digits(i, 17)}`,
  accounts: [0, 1].map((k) => ({ ranac: `3${digits(i * 2 + k, 29)}`, ban: `55${digits(i * 2 + k, 14)}` })),
}));
const seed = {
  today: "2026-11-22",
  customers: users.map((u) => ({
    rancu: u.rancu, bcn: u.bcn,
    accounts: u.accounts.map((a) => ({ ranac: a.ranac, ban: a.ban, entries: [{ date: "2026-01-05", kind: "EARNED", points: 100000 }] })),
  })),
};
const SEED_SUM = USERS * 2 * 100000;

const c = await workerChain({
  seed,
  sandboxArgs: ["--fault-rate", String(FAULT_RATE)],
  env: { SETTLE_MS: "500", UPSTREAM_TIMEOUT_MS: "1000", WRITE_RATE_LIMIT: "100000" },
});
const direct = await directCaller(c.sb);
const hex = async (s) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))].map((b) => b.toString(16).padStart(2, "0")).join("");
const refOf = async (sub, key) => (await hex(`${sub}\n${key}`)).slice(0, 16);

const latencies = { read: [], transfer: [], adjustment: [] };
const outcomes = new Map(); // "kind code" → count
const count = (k) => outcomes.set(k, (outcomes.get(k) || 0) + 1);
const intents = []; // every write: { sub, key, kind, points, account, answer: "applied" | "not applied" | "open" }
let requests = 0;

function clientFor(t) {
  return new PointsWorkerClient({
    baseUrl: c.wk.base, token: t, timeoutMs: 5000,
    fetch: (...a) => { requests++; return fetch(...a); },
    retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 2000, writeAttempts: 12 },
  });
}

try {
  const agentToken = await token(c.key, { sub: "agent-load", role: "agent" }, { exp: "1h" });
  const agent = clientFor(agentToken);
  const end = performance.now() + DURATION * 1000;
  let n = 0;
  const run = async (u) => {
    const api = clientFor(await token(c.key, { sub: u.sub, role: "consumer", bcn: u.bcn }, { exp: "1h" }));
    while (performance.now() < end) {
      const r = Math.random();
      const t0 = performance.now();
      let kind;
      let intent;
      try {
        if (r < 0.7) {
          kind = "read";
          await api.getPointsDetails({ accountId: u.accounts[Math.floor(Math.random() * 2)].ranac });
        } else if (r < 0.95) {
          kind = "transfer";
          const [from, to] = Math.random() < 0.5 ? u.accounts : [...u.accounts].reverse();
          intent = { sub: u.sub, key: `load-${u.sub}-${n++}`, kind, points: 1 + Math.floor(Math.random() * 5), from: from.ranac, answer: "open" };
          intents.push(intent);
          await api.transferPoints({ fromAccountId: from.ranac, toAccountId: to.ranac, points: intent.points }, { idempotencyKey: intent.key });
          intent.answer = "applied";
        } else {
          kind = "adjustment";
          const account = users[Math.floor(Math.random() * USERS)].accounts[0].ranac;
          intent = { sub: "agent-load", key: `load-agent-${n++}`, kind, points: 1 + Math.floor(Math.random() * 3), from: account, answer: "open" };
          intents.push(intent);
          await agent.adjustPoints({ accountId: account, points: intent.points, adjustmentTypeCode: "CR", adjustmentReason: "load" }, { idempotencyKey: intent.key });
          intent.answer = "applied";
        }
        count(`${kind} OK`);
      } catch (e) {
        count(`${kind} ${e.reasonCode || e.code || e.name}`);
        if (intent && e.reasonCode === "NOT_APPLIED") intent.answer = "not applied";
      }
      latencies[kind].push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(users.map(run));
  const seconds = (performance.now() - t0) / 1000;

  // Every intent the page was left without an answer for: repeated with its key until known.
  const open = intents.filter((i) => i.answer === "open");
  for (const i of open) {
    const api = i.sub === "agent-load" ? agent : clientFor(await token(c.key, { sub: i.sub, role: "consumer", bcn: users.find((u) => u.sub === i.sub).bcn }));
    for (let round = 0; round < 20 && i.answer === "open"; round++) {
      try {
        const u = users.find((x) => x.sub === i.sub);
        if (i.kind === "transfer") {
          const to = u.accounts.find((a) => a.ranac !== i.from).ranac;
          await api.transferPoints({ fromAccountId: i.from, toAccountId: to, points: i.points }, { idempotencyKey: i.key });
        } else {
          await api.adjustPoints({ accountId: i.from, points: i.points, adjustmentTypeCode: "CR", adjustmentReason: "load" }, { idempotencyKey: i.key });
        }
        i.answer = "applied";
      } catch (e) {
        if (e.reasonCode === "NOT_APPLIED") i.answer = "not applied";
        else await new Promise((ok) => setTimeout(ok, 500));
      }
    }
  }

  // The books, from the sandbox directly (its faults do not touch the judge: retried here).
  const read = async (path) => {
    for (;;) {
      const r = await direct("GET", path).catch(() => ({ status: 0 }));
      if (r.status === 200 && r.json) return r.json;
    }
  };
  let sum = 0;
  let negative = 0;
  const seen = new Map(); // ref → times in history
  for (const u of users) {
    for (const a of u.accounts) {
      const d = await read(`/points-details?user_id=${a.ranac}&user_id_type=RANAC`);
      sum += d.availablePoints;
      if (d.availablePoints < 0) negative++;
      const h = await read(`/points-adjustments-details?user_id=${a.ranac}&user_id_type=RANAC`);
      for (const e of h.adjustments) {
        const m = /\[ref:([0-9a-f]{16})\]/.exec(e.adjustmentReason || "");
        // A transfer shows on both of its accounts: count the giving side only.
        if (m && (e.points < 0 || e.adjustmentTypeCode === "CR")) seen.set(m[1], (seen.get(m[1]) || 0) + 1);
      }
    }
  }
  let doubled = 0;
  let lost = 0;
  let appliedUnacknowledged = 0;
  let accepted = 0;
  for (const i of intents) {
    const times = seen.get(await refOf(i.sub, i.key)) || 0;
    if (times > 1) doubled++;
    if (i.answer === "applied" && times !== 1) lost++;
    if (i.answer !== "applied" && times > 0) appliedUnacknowledged++;
    if (i.kind === "adjustment" && times > 0) accepted += i.points;
  }
  const still = intents.filter((i) => i.answer === "open").length;
  const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1) : "-"; };
  const ops = latencies.read.length + latencies.transfer.length + latencies.adjustment.length;
  console.log(`Loopback, ${USERS} users, ${DURATION} s, ${(FAULT_RATE * 100).toFixed(0)}% of the sandbox's requests faulted; one debug-build sandbox\n`);
  console.log(`| | count | p50 ms | p99 ms |\n|---|---|---|---|`);
  for (const k of ["read", "transfer", "adjustment"]) console.log(`| ${k} (the page's call, retries included) | ${latencies[k].length} | ${q(latencies[k], 0.5)} | ${q(latencies[k], 0.99)} |`);
  console.log(`\n${(ops / seconds).toFixed(1)} page calls/s, ${(requests / seconds).toFixed(1)} HTTP requests/s to the worker`);
  console.log(`outcomes: ${[...outcomes].sort().map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.log(`writes: ${intents.length} intents, ${open.length} left open by the run and repeated with their keys, ${still} still open`);
  console.log(`ledger: sum ${sum} = seed ${SEED_SUM} + accepted adjustments ${accepted}: ${sum === SEED_SUM + accepted ? "yes" : "NO"}; negative accounts ${negative}`);
  console.log(`exactly once: applied twice ${doubled}, acknowledged but not applied ${lost}, applied but answered otherwise ${appliedUnacknowledged}`);
  if (sum !== SEED_SUM + accepted || negative || doubled || lost || appliedUnacknowledged || still) process.exitCode = 1;
} finally {
  await c.stop();
}
