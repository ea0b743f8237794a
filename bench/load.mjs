// A bounded loopback load: `requests` requests over `concurrency` keep-alive connections;
// requests/s and latency percentiles. Shared by bench/proxy.mjs and bench/worker.mjs.
import { request as httpRequest, Agent } from "node:http";

/** Runs the load; `headers` may be a function of the request's index (a fresh token, say). */
export async function load(base, method, path, body, { headers = {}, requests = 3000, concurrency = 16, expect = 200 } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(path, base);
  const latencies = [];
  let next = 0;
  let failures = 0;
  const one = (i) => new Promise((ok) => {
    const t0 = performance.now();
    const extra = typeof headers === "function" ? headers(i) : headers;
    const h = body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...extra } : { ...extra };
    const req = httpRequest(url, { method, agent, headers: h }, (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode !== expect) failures++;
        latencies.push(performance.now() - t0);
        ok();
      });
    });
    req.on("error", () => { failures++; ok(); });
    req.end(body);
  });
  const worker = async () => { for (let i = next++; i < requests; i = next++) await one(i); };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { rps: requests / seconds, p50: q(0.5), p99: q(0.99), failures };
}

/** The median of numbers. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
