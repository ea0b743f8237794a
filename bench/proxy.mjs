// The proxy load benchmark on loopback: requests/s and latency through the workerd proxy
// (our package) and through a minimal Node proxy that signs with mastercard-oauth1-signer, in
// front of the same upstream, in the same run. Bounded: a fixed number of requests per round.
// Run after scripts/build.sh: node bench/proxy.mjs
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { proxy, SIGNING_KEY, CONSUMER_KEY } from "../tests/js/proxy-support.mjs";
import { load as run, median } from "./load.mjs";

const require = createRequire(import.meta.url);
const OAuth = require("mastercard-oauth1-signer");
const REQUESTS = Number(process.env.REQUESTS || 3000);
const CONCURRENCY = 16;
const ROUNDS = 3;

function upstream() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"pointsAdjusted":1500,"availablePoints":2700}');
    });
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

// The baseline: what a team would write in Node with Mastercard's signer.
function nodeProxy(upstreamBase) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const target = `${upstreamBase}${req.url.replace(/^\/loyalty/, "")}`;
    const authorization = OAuth.getAuthorizationHeader(target, req.method, body.length ? body.toString("utf8") : null, CONSUMER_KEY, SIGNING_KEY);
    const up = await fetch(target, { method: req.method, headers: { authorization, "content-type": "application/json" }, body: req.method === "POST" ? body : undefined });
    res.writeHead(up.status, { "content-type": up.headers.get("content-type") || "application/json" });
    res.end(Buffer.from(await up.arrayBuffer()));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

const up = await upstream();
const upstreamBase = `http://127.0.0.1:${up.address().port}`;
const worker = await proxy({ UPSTREAM_BASE: upstreamBase, ALLOWED_ORIGINS: "http://localhost" });
const node = await nodeProxy(upstreamBase);
// Both are called as the issuer's services call the proxy: with its caller token.
const load = (base, method, path, b) => run(base, method, path, b, { headers: worker.auth, requests: REQUESTS, concurrency: CONCURRENCY });
const nodeBase = `http://127.0.0.1:${node.address().port}`;
const body = JSON.stringify({ encryptedPayload: "e".repeat(1000) });
const workloads = [
  ["GET /points-details", "GET", "/loyalty/points-details?user_id=301234567890123456789012345678&user_id_type=RANAC", undefined],
  ["POST /points-adjustments (1 KiB)", "POST", "/loyalty/points-adjustments", body],
];
try {
  console.log(`Loopback, ${CONCURRENCY} concurrent connections, ${REQUESTS} requests per round, median of ${ROUNDS} rounds\n`);
  console.log("| workload | workerd proxy (points-activity) | Node proxy (mastercard-oauth1-signer) | throughput ratio |");
  console.log("|---|---|---|---|");
  for (const [label, method, path, b] of workloads) {
    await load(worker.base, method, path, b); // warm-up
    await load(nodeBase, method, path, b);
    const ours = [];
    const theirs = [];
    for (let r = 0; r < ROUNDS; r++) {
      ours.push(await load(worker.base, method, path, b));
      theirs.push(await load(nodeBase, method, path, b));
    }
    const m = (xs, k) => median(xs.map((x) => x[k]));
    const fail = ours.concat(theirs).reduce((n, x) => n + x.failures, 0);
    if (fail) throw new Error(`${fail} failed requests in ${label}`);
    const cell = (xs) => `${m(xs, "rps").toFixed(0)} req/s, p50 ${m(xs, "p50").toFixed(2)} ms, p99 ${m(xs, "p99").toFixed(2)} ms`;
    console.log(`| ${label} | ${cell(ours)} | ${cell(theirs)} | ${(m(ours, "rps") / m(theirs, "rps")).toFixed(2)}× |`);
  }
} finally {
  await worker.stop();
  node.close();
  up.close();
}
