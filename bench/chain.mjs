// The whole chain under load and faults, on loopback: USERS concurrent consumers (default 64)
// for DURATION seconds (60), each signed in with their own token and using the page's client
// (PointsWorkerClient) against workerd (the worker, its Durable Objects on disk) and the
// sandbox with FAULT_RATE of its requests failing at random (0.05: 500s, 429s, drops before and
// after a write was applied, answers that never come after one was). The mix: 70% reads of the
// user's points, 25% transfers between their two cards, 5% an agent's adjustment (1 to 3
// points: below the approval threshold) of a random account.
//
// Then the books, judged from the sandbox's own history read directly: the sum of every balance
// must equal the seed's sum plus the adjustments the history shows, no account may be negative,
// and per Idempotency-Key (its reference, `[ref:<16 hex>]` in the reason): never in the history
// twice; there once if the page was answered 200; absent if it was answered NOT_APPLIED or
// refused (4xx). A key still pending at the deadline is reported as pending, with its count.
//
// Bounded: every page call has a time limit per attempt and a bounded number of attempts; every
// judge read has a time limit and a bounded number of attempts (the sandbox cannot exempt them
// from its random faults, nor turn the rate down while running: --fault-rate is fixed at start
// and /_sandbox/faults only queues more); and the whole run ends by DURATION + 120 s after it
// started, whatever the faults: the phases share that one deadline, and at it the script prints
// the books with whatever is still unknown counted as such. Exit code 1 when the books are
// wrong, 2 when they could not be fully read, 0 otherwise.
// Run after scripts/build.sh and `cargo build -p points-sandbox`:
//   node bench/chain.mjs                       (USERS, DURATION, FAULT_RATE from the environment)
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { token, workerChain } from "../tests/js/worker-support.mjs";
import { pkg } from "../tests/js/helpers.mjs";

const started = performance.now();
const USERS = Number(process.env.USERS || 64);
const DURATION = Number(process.env.DURATION || 60);
const FAULT_RATE = Number(process.env.FAULT_RATE ?? 0.05);
const DEADLINE = started + (DURATION + 120) * 1000; // the run is over by then, whatever happens

// Time limits (ms).
const PAGE_TIMEOUT = 5000; // each attempt of a page call
const UPSTREAM_TIMEOUT = 1000; // the worker's, each upstream call
const GRACE = UPSTREAM_TIMEOUT + 2000; // after the last page call, before the judge: a send the worker still had in flight lands
const JUDGE_BUDGET = 30000; // kept for the judge at the end
const STOP_BUDGET = 4000; // kept for stopping workerd and the sandbox
const JUDGE_READ_TIMEOUT = 3000; // each judge read
const JUDGE_ATTEMPTS = 8; // per judge read
const RECONCILE_FOR_S = 20; // the worker's window before a pending key is NOT_APPLIED
const SETTLE_MS = 1000;
if (!(USERS >= 1 && DURATION >= 1 && FAULT_RATE >= 0 && FAULT_RATE <= 1)) throw new Error("USERS, DURATION, FAULT_RATE out of range");

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
const bySub = new Map(users.map((u) => [u.sub, u]));
const seed = {
  today: "2026-11-22",
  customers: users.map((u) => ({
    rancu: u.rancu, bcn: u.bcn,
    accounts: u.accounts.map((a) => ({ ranac: a.ranac, ban: a.ban, entries: [{ date: "2026-01-05", kind: "EARNED", points: 100000 }] })),
  })),
};
const SEED_SUM = USERS * 2 * 100000;
const AGENT = "agent-load";

const hex = async (s) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))].map((b) => b.toString(16).padStart(2, "0")).join("");
const refOf = async (sub, key) => (await hex(`${sub}\n${key}`)).slice(0, 16);
const secs = (ms) => (ms / 1000).toFixed(1);
const codeOf = (e) => String((e && (e.reasonCode || e.code || e.name)) || e);

// ---- What the run learns (printed at the end, or at the deadline, whatever is known by then).
const phases = { setup: null, load: null, settle: null, judge: null }; // [start, end] in ms
let phase = "setup";
const latencies = { read: [], transfer: [], adjustment: [] };
const outcomes = new Map(); // "kind code" → count
const readFailures = new Map(); // reason code → count
const tally = (m, k) => m.set(k, (m.get(k) || 0) + 1);
// Every write: { sub, key, ref, kind, points, from, to, state, code, fromHistory, repeated }.
// state: "applied" (answered 200), "not applied" (answered NOT_APPLIED), "refused" (a 4xx
// answer: nothing applied), "pending" (no final answer yet: OUTCOME_PENDING, time limits…).
const intents = [];
let requests = 0;
let loadCalls = 0;
let leftOpen = 0; // intents the load ended without a final answer for
const judge = { balances: new Map(), histories: new Map(), attempts: 0, failures: new Map(), gaveUp: 0 };

// ---- The chain.
phases.setup = [performance.now() - started, null];
const c = await workerChain({
  seed,
  sandboxArgs: ["--fault-rate", String(FAULT_RATE)],
  env: {
    SETTLE_MS: String(SETTLE_MS),
    RECONCILE_FOR_S: String(RECONCILE_FOR_S),
    UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT),
    READ_RATE_LIMIT: "100000",
    SEARCH_RATE_LIMIT: "100000",
    WRITE_RATE_LIMIT: "100000",
    AGENT_DAILY_MAX_POINTS: "1000000000000",
  },
});
let stopping = null;
const stopChain = () => {
  stopping ??= Promise.race([c.stop().catch(() => {}), sleep(STOP_BUDGET - 1000)]);
  return stopping;
};

// The global deadline: whatever is still running then, the books are printed as they stand.
let finished = false;
async function finish(why) {
  if (finished) return;
  finished = true;
  let code;
  try {
    code = await books(why);
  } catch (e) {
    console.log(`the books could not be printed: ${e && e.stack}`);
    code = 2;
  }
  await stopChain();
  process.exit(code);
}
const until = (t) => Math.max(0, Math.round(t - performance.now())); // ms from now to `t`, for timers
const watchdog = setTimeout(() => finish(`deadline (DURATION + 120 s) reached during ${phase}`), until(DEADLINE - STOP_BUDGET));
// Nothing outlives the script: on a crash or ^C, workerd and the sandbox are stopped too.
process.on("uncaughtException", (e) => { console.log(`crashed in ${phase}: ${e && e.stack}`); finish(`crash during ${phase}`); });
process.on("unhandledRejection", (e) => { console.log(`crashed in ${phase}: ${e && e.stack}`); finish(`crash during ${phase}`); });
process.on("SIGINT", () => finish(`interrupted during ${phase}`));
process.on("SIGTERM", () => finish(`terminated during ${phase}`));
// A signal aborted at time `t`. (Not AbortSignal.timeout inside AbortSignal.any: Node 20 may
// collect such a timeout signal before it fires, and the phase it bounds would then run on.)
const at = (t) => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(new DOMException("the phase's time is up", "TimeoutError")), until(t));
  setMaxListeners(0, ac.signal); // every call in flight listens to it
  return ac.signal;
};
// Every wait of the run ends by this signal at the latest; phases end earlier ones.
const runOver = at(DEADLINE - STOP_BUDGET - 500);

// ---- The judge's reads: signed requests straight to the sandbox, each with a time limit.
let signer;
let decryptionKey;
async function judgeGet(path, check, signal) {
  for (let attempt = 1; attempt <= JUDGE_ATTEMPTS && !signal.aborted; attempt++) {
    judge.attempts++;
    // This read's own time limit, or the judge's end, whichever comes first.
    const limit = new AbortController();
    const timer = setTimeout(() => limit.abort(new DOMException("the judge's read timed out", "TimeoutError")), JUDGE_READ_TIMEOUT);
    const stop = () => limit.abort(signal.reason);
    signal.addEventListener("abort", stop, { once: true });
    let why;
    try {
      const url = `${c.sb.base}${path}`;
      const authorization = await signer.authorizationHeader("GET", url, null);
      const res = await fetch(url, { headers: { authorization }, signal: limit.signal });
      const text = await res.text();
      if (res.status === 200) {
        let json = JSON.parse(text);
        if (json && typeof json.encryptedPayload === "string") json = await pkg.decryptPayload(json.encryptedPayload, { decryptionKey });
        if (check(json)) return json;
        why = "unexpected body";
      } else {
        why = `HTTP ${res.status}`;
      }
    } catch (e) {
      why = signal.aborted ? "cut by the deadline" : limit.signal.aborted ? "timeout" : e instanceof SyntaxError ? "not JSON"
        : `network (${e && e.cause ? e.cause.code || e.cause.message : e && e.message})`;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", stop);
    }
    tally(judge.failures, why);
    await sleep(100 * attempt, undefined, { signal }).catch(() => {});
  }
  judge.gaveUp++;
  return null;
}

// ---- The page's clients.
function clientFor(t) {
  return new PointsWorkerClient({
    baseUrl: c.wk.base, token: t, timeoutMs: PAGE_TIMEOUT,
    fetch: (...a) => { requests++; return fetch(...a); },
    // Writes: OUTCOME_PENDING asks for Retry-After ≥ SETTLE_MS, under maxDelayMs.
    retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 3000, writeAttempts: 6 },
  });
}

/** An intent's answer: final ones end it, the rest leave it pending. */
function settleIntent(i, e) {
  if (!e) {
    i.state = "applied";
    return;
  }
  i.code = codeOf(e);
  const s = e.status;
  if (e.reasonCode === "NOT_APPLIED") i.state = "not applied";
  else if (Number.isInteger(s) && s >= 400 && s < 500 && ![401, 408, 409, 429].includes(s)) i.state = "refused";
  else i.state = "pending";
}

function send(api, i, signal) {
  if (i.kind === "transfer") return api.transferPoints({ fromAccountId: i.from, toAccountId: i.to, points: i.points }, { idempotencyKey: i.key, signal });
  return api.adjustPoints({ accountId: i.from, points: i.points, adjustmentTypeCode: "CR", adjustmentReason: "load" }, { idempotencyKey: i.key, signal });
}

/** Runs `f` over `items`, `width` at a time. */
async function pool(items, width, f) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await f(items[next++]);
  }));
}

const settleEnd = DEADLINE - STOP_BUDGET - JUDGE_BUDGET - GRACE;
const pageCalls = at(Math.min(settleEnd, DEADLINE - STOP_BUDGET - 500));
const clients = new Map();
let code = 0;
try {
  signer = await pkg.OAuth1Signer.create({ consumerKey: c.sb.keys.consumerKey, signingKey: c.sb.keys.signingKey });
  decryptionKey = await pkg.importDecryptionKey(c.sb.keys.clientKey);
  phases.setup[1] = performance.now() - started;
  clients.set(AGENT, clientFor(await token(c.key, { sub: AGENT, role: "agent" }, { exp: "1h" })));
  for (const u of users) clients.set(u.sub, clientFor(await token(c.key, { sub: u.sub, role: "consumer", bcn: u.bcn }, { exp: "1h" })));

  // ---- Load: DURATION seconds of new calls; the calls in flight then end by their own bounds.
  phase = "load";
  const loadStart = performance.now();
  phases.load = [loadStart - started, null];
  const end = loadStart + DURATION * 1000;
  let n = 0;
  const run = async (u) => {
    const api = clients.get(u.sub);
    while (performance.now() < end && !pageCalls.aborted) {
      const r = Math.random();
      const t0 = performance.now();
      let kind;
      let intent;
      try {
        if (r < 0.7) {
          kind = "read";
          await api.getPointsDetails({ accountId: u.accounts[Math.floor(Math.random() * 2)].ranac }, { signal: pageCalls });
        } else if (r < 0.95) {
          kind = "transfer";
          const [from, to] = Math.random() < 0.5 ? u.accounts : [...u.accounts].reverse();
          const key = `load-${u.sub}-${n++}`;
          intent = { sub: u.sub, key, ref: await refOf(u.sub, key), kind, points: 1 + Math.floor(Math.random() * 5), from: from.ranac, to: to.ranac, state: "pending" };
          intents.push(intent);
          const res = await send(api, intent, pageCalls);
          intent.fromHistory = res.resolvedFromHistory === true;
        } else {
          kind = "adjustment";
          const account = users[Math.floor(Math.random() * USERS)].accounts[0].ranac;
          const key = `load-agent-${n++}`;
          intent = { sub: AGENT, key, ref: await refOf(AGENT, key), kind, points: 1 + Math.floor(Math.random() * 3), from: account, state: "pending" };
          intents.push(intent);
          const res = await send(clients.get(AGENT), intent, pageCalls);
          intent.fromHistory = res.resolvedFromHistory === true;
        }
        if (intent) settleIntent(intent, null);
        tally(outcomes, `${kind} OK`);
      } catch (e) {
        tally(outcomes, `${kind} ${codeOf(e)}`);
        if (kind === "read") tally(readFailures, codeOf(e));
        if (intent) settleIntent(intent, e);
      }
      loadCalls++;
      latencies[kind].push(performance.now() - t0);
    }
  };
  await Promise.all(users.map(run));
  phases.load[1] = performance.now() - started;

  // ---- Settle: every intent left without a final answer is repeated with its key (the worker
  // sends nothing again: it answers from the history, or NOT_APPLIED after RECONCILE_FOR_S),
  // until its outcome is known or the time for it is up.
  phase = "settle";
  phases.settle = [performance.now() - started, null];
  const open = intents.filter((i) => i.state === "pending");
  leftOpen = open.length;
  await pool(open, 16, async (i) => {
    while (i.state === "pending" && !pageCalls.aborted) {
      i.repeated = (i.repeated || 0) + 1;
      try {
        const res = await send(clients.get(i.sub), i, pageCalls);
        i.fromHistory = res.resolvedFromHistory === true;
        settleIntent(i, null);
      } catch (e) {
        settleIntent(i, e);
        if (i.state === "pending") await sleep(SETTLE_MS, undefined, { signal: pageCalls }).catch(() => {});
      }
    }
  });
  phases.settle[1] = performance.now() - started;

  // ---- The judge: after a grace for any send the worker may still have in flight, every
  // account's balance and history, straight from the sandbox.
  phase = "grace before the judge";
  await sleep(GRACE, undefined, { signal: runOver }).catch(() => {});
  phase = "judge";
  phases.judge = [performance.now() - started, null];
  const accounts = users.flatMap((u) => u.accounts.map((a) => a.ranac));
  await pool(accounts, 4, async (ranac) => {
    const d = await judgeGet(`/points-details?user_id=${ranac}&user_id_type=RANAC`, (j) => j && Number.isSafeInteger(j.availablePoints), runOver);
    if (d) judge.balances.set(ranac, d.availablePoints);
    const h = await judgeGet(`/points-adjustments-details?user_id=${ranac}&user_id_type=RANAC`, (j) => j && Array.isArray(j.adjustments), runOver);
    if (h) judge.histories.set(ranac, h.adjustments);
  });
  phases.judge[1] = performance.now() - started;
  phase = "books";
} catch (e) {
  console.log(`the run failed in ${phase}: ${e && e.stack}`);
  code = 2;
}
clearTimeout(watchdog);
if (!finished) {
  finished = true;
  const verdict = await books(phase === "books" ? null : `the run stopped during ${phase}`).catch((e) => {
    console.log(`the books could not be printed: ${e && e.stack}`);
    return 2;
  });
  await stopChain();
  process.exit(Math.max(code, verdict));
}

/** Prints the books as they stand; returns the exit code (1 wrong, 2 incomplete, 0 right). */
async function books(why) {
  const now = performance.now() - started;
  const span = (p) => (p ? `${secs(p[0])}–${p[1] === null ? `(cut at ${secs(now)})` : secs(p[1])} s` : "not reached");
  const loadSeconds = phases.load ? ((phases.load[1] ?? now) - phases.load[0]) / 1000 : 0;

  // The history, giving side only (a transfer shows on both of its accounts): ref → times.
  const seen = new Map();
  let unexplained = 0; // entries with a reference no intent of this run has, or none at all
  const refs = new Set(intents.map((i) => i.ref));
  for (const entries of judge.histories.values()) {
    for (const e of entries) {
      const m = /\[ref:([0-9a-f]{16})\]/.exec(e.adjustmentReason || "");
      if (!m || !refs.has(m[1])) { unexplained++; continue; }
      if (e.points < 0 || e.adjustmentTypeCode === "CR") seen.set(m[1], (seen.get(m[1]) || 0) + 1);
    }
  }
  const accountCount = USERS * 2;
  const allBalances = judge.balances.size === accountCount;
  const allHistories = judge.histories.size === accountCount;
  let sum = 0;
  let negative = 0;
  for (const b of judge.balances.values()) {
    sum += b;
    if (b < 0) negative++;
  }
  // Per intent: its count in its account's history (undefined when that history is unread).
  const states = { applied: [], "not applied": [], refused: [], pending: [] };
  let doubled = 0;
  let lost = 0; // answered 200, not in the history
  let ghost = 0; // answered NOT_APPLIED or refused, yet in the history
  let unjudged = 0;
  let accepted = 0; // adjustments' points, as many times as the history shows them
  const pendingCounts = { 0: 0, 1: 0, unread: 0 };
  const refused = new Map();
  for (const i of intents) {
    states[i.state].push(i);
    const times = judge.histories.has(i.from) ? seen.get(i.ref) || 0 : undefined;
    if (times === undefined) unjudged++;
    if (times > 1) doubled++;
    if (i.kind === "adjustment") accepted += i.points * (times || 0);
    if (i.state === "applied" && times !== undefined && times !== 1) lost++;
    if ((i.state === "not applied" || i.state === "refused") && times > 0) ghost++;
    if (i.state === "refused") tally(refused, `${i.kind} ${i.code}`);
    if (i.state === "pending") pendingCounts[times === undefined ? "unread" : Math.min(times, 1)]++;
  }
  const ledgerRight = sum === SEED_SUM + accepted;

  const q = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1) : "-";
  };
  const writes = [...latencies.transfer, ...latencies.adjustment];
  const line = (m) => [...m].sort().map(([k, v]) => `${k} ${v}`).join(", ") || "none";
  console.log(`Loopback, ${USERS} users, ${DURATION} s, ${(FAULT_RATE * 100).toFixed(0)}% of the sandbox's requests faulted (the judge's too); one debug-build sandbox`);
  console.log(`worker: RECONCILE_FOR_S ${RECONCILE_FOR_S}, SETTLE_MS ${SETTLE_MS}, UPSTREAM_TIMEOUT_MS ${UPSTREAM_TIMEOUT}; page: ${PAGE_TIMEOUT} ms per attempt, reads ≤ 3 attempts, writes ≤ 6`);
  if (why) console.log(`\n** ${why}: the books below count what is not known as unknown **`);
  console.log(`\nphases: setup ${span(phases.setup)}, load ${span(phases.load)}, settle ${span(phases.settle)}, judge ${span(phases.judge)}; wall ${secs(now)} s (bound ${DURATION + 120} s)\n`);
  console.log(`| page call (retries included) | count | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|`);
  for (const [k, xs] of [["read", latencies.read], ["write (all)", writes], ["  transfer", latencies.transfer], ["  adjustment", latencies.adjustment]]) {
    console.log(`| ${k} | ${xs.length} | ${q(xs, 0.5)} | ${q(xs, 0.9)} | ${q(xs, 0.99)} | ${q(xs, 1)} |`);
  }
  console.log(`\n${loadSeconds ? (loadCalls / loadSeconds).toFixed(1) : "-"} page calls/s during the load (${loadCalls} calls), ${loadSeconds ? (requests / loadSeconds).toFixed(1) : "-"} HTTP requests/s to the worker over it (${requests} in the whole run)`);
  console.log(`outcomes of the load's calls: ${line(outcomes)}`);
  console.log(`reads failed, by reason code: ${line(readFailures)}`);
  console.log(`writes: ${intents.length} intents; ${leftOpen} left without a final answer by the load and repeated with their keys`);
  console.log(`  applied (answered 200): ${states.applied.length} (${states.applied.filter((i) => i.fromHistory).length} resolved from the history)`);
  console.log(`  NOT_APPLIED: ${states["not applied"].length}`);
  console.log(`  refused (4xx): ${states.refused.length}${refused.size ? ` (${line(refused)})` : ""}`);
  console.log(`  still pending: ${states.pending.length} (in the history once ${pendingCounts[1]}, absent ${pendingCounts[0]}, history unread ${pendingCounts.unread})${states.pending.length ? `; last answers: ${line(states.pending.reduce((m, i) => tally(m, i.code || "none"), new Map()))}` : ""}`);
  console.log(`  in the history: ${[...seen.values()].filter((t) => t > 0).length} keys`);
  console.log(`judge: ${judge.balances.size}/${accountCount} balances and ${judge.histories.size}/${accountCount} histories read in ${judge.attempts} requests; failed attempts: ${line(judge.failures)}; reads given up ${judge.gaveUp}`);
  const yes = (ok, known = true) => (!known ? "UNKNOWN" : ok ? "yes" : "NO");
  console.log(`\nchecks:`);
  console.log(`  sum of balances ${allBalances ? sum : "unknown"} = seed ${SEED_SUM} + accepted adjustments ${allHistories ? accepted : "unknown"}: ${yes(ledgerRight, allBalances && allHistories)}`);
  console.log(`  no negative account: ${yes(negative === 0)} (${negative} negative${allBalances ? "" : `, ${accountCount - judge.balances.size} unread`})`);
  console.log(`  no Idempotency-Key applied twice: ${yes(doubled === 0)} (${doubled})`);
  console.log(`  none lost (200 yet absent): ${yes(lost === 0)} (${lost})`);
  console.log(`  no ghost (NOT_APPLIED or refused, yet applied): ${yes(ghost === 0)} (${ghost})`);
  console.log(`  no unexplained history entry: ${yes(unexplained === 0)} (${unexplained})`);
  if (unjudged) console.log(`  intents whose account's history could not be read: ${unjudged}`);
  const wrong = negative || doubled || lost || ghost || unexplained || (allBalances && allHistories && !ledgerRight);
  if (wrong) return 1;
  if (!allBalances || !allHistories || why) return 2;
  return 0;
}
