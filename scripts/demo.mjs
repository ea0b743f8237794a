// Runs the demo stack: the sandbox, the edge worker in workerd (the page's backend, holding
// every key), and a static server for the built page (www/dist) that also hands the page its
// configuration (no key, no credential) and hosts the demo token issuer (scripts/demo-idp.mjs,
// demo only). Ctrl-C stops everything. Started by scripts/demo.sh after the builds; tests
// import start() with their own ports.
//   SANDBOX_PORT (8080), WORKER_PORT (8788), WEB_PORT (5173)
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, dirname, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { start as startWorker } from "../worker/serve.mjs";
import { demoIssuer, USERS } from "./demo-idp.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Cargo puts the binary under CARGO_TARGET_DIR when it is set (tests share one between clones).
const SANDBOX = join(process.env.CARGO_TARGET_DIR || join(root, "target"), "debug", "points-sandbox");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml" };

function free(port) {
  return new Promise((ok) => {
    const s = createNetServer();
    s.once("error", () => ok(false));
    s.listen(port, "127.0.0.1", () => s.close(() => ok(true)));
  });
}

async function waitFor(url, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  throw new Error(`${url} did not answer`);
}

/**
 * The seed's cards an agent may look up, one per demo consumer, spaced as printed on a card. Only
 * the demo shows them: they are the sandbox's test numbers, and the page never shows a looked-up one.
 */
function demoCards() {
  const seed = JSON.parse(readFileSync(join(root, "www", "demo-seed.json"), "utf8"));
  return Object.values(USERS).flatMap((u) => {
    const c = seed.customers.find((x) => x.bcn === u.claims.bcn);
    const ban = c?.accounts.find((a) => a.primary)?.ban;
    return ban ? [{ who: u.label.replace(/ \(.*\)$/, ""), card: ban.replace(/(\d{4})(?=\d)/g, "$1 ") }] : [];
  });
}

/**
 * Starts everything; returns { url, workerUrl, sandboxUrl, stop, sandboxLog, workerLog, idp }.
 * `workerSettings`: more of the worker's bindings (its controls, e.g. `{ SETTLE_MS: "6000",
 * RECONCILE_FOR_S: "5" }` for tests); the keys, upstream, sign-in and origins stay the demo's.
 * `tokenLifetimeSeconds`: how long the demo sign-in's tokens live (tests of the session's end).
 */
export async function start({ sandboxPort = 8080, workerPort = 8788, webPort = 5173, dir = join(root, "target", "demo"), quiet = false, workerSettings = {}, tokenLifetimeSeconds = 600 } = {}) {
  for (const [name, port] of [["SANDBOX_PORT", sandboxPort], ["WORKER_PORT", workerPort], ["WEB_PORT", webPort]]) {
    if (!(await free(port))) throw new Error(`port ${port} is in use: stop what holds it or set ${name}=<another port>`);
  }
  if (!existsSync(SANDBOX)) throw new Error("target/debug/points-sandbox is missing: run scripts/demo.sh (it builds everything)");
  const dist = join(root, "www", "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error("www/dist is missing: run scripts/demo.sh (it builds the page)");
  const keys = join(dir, "keys");
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(keys, "consumer-key.txt"))) execFileSync(SANDBOX, ["keys", "--out", keys], { stdio: "ignore" });
  const file = (f) => readFileSync(join(keys, f), "utf8");

  const children = [];
  const sandboxLog = [];
  const sandbox = spawn(SANDBOX, ["--port", String(sandboxPort), "--keys", keys, "--seed-file", join(root, "www", "demo-seed.json"), "--faults", "--log-requests"], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(sandbox);
  sandbox.stdout.on("data", (d) => sandboxLog.push(...String(d).split("\n").filter(Boolean)));
  sandbox.stderr.on("data", (d) => sandboxLog.push(...String(d).split("\n").filter(Boolean)));
  const origins = [`http://127.0.0.1:${webPort}`, `http://localhost:${webPort}`];
  // Demo only: the stand-in identity provider, on the page's own server.
  const idp = await demoIssuer({ issuer: `http://127.0.0.1:${webPort}/demo-idp`, audience: "points-worker", lifetimeSeconds: tokenLifetimeSeconds });
  let worker;
  try {
    worker = startWorker(workerPort, {
    ...workerSettings,
    PATH: process.env.PATH,
    MC_CONSUMER_KEY: file("consumer-key.txt").trim(),
    MC_SIGNING_KEY: file("client-signing-key.pem"),
    MC_DECRYPTION_KEY: file("client-decryption-key.pem"),
    MC_ENCRYPTION_CERT: file("mastercard-encryption-certificate.pem"),
    UPSTREAM_BASE: `http://127.0.0.1:${sandboxPort}/loyalty`,
    AUTH_JWKS: JSON.stringify(idp.jwks),
    AUTH_ISSUER: idp.issuer,
    AUTH_AUDIENCE: idp.audience,
    ALLOWED_ORIGINS: origins.join(","),
    }, quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"], `demo-${workerPort}`);
  } catch (e) {
    sandbox.kill("SIGTERM");
    throw e;
  }
  children.push(worker);
  const workerLog = [];
  if (quiet) for (const s of [worker.stdout, worker.stderr]) s.on("data", (d) => workerLog.push(...String(d).split("\n").filter(Boolean)));

  // What the page is told: where the worker and the sign-in are. No key, no credential.
  const config = JSON.stringify({
    workerUrl: `http://127.0.0.1:${workerPort}`,
    signIn: "/demo-idp/token",
    users: Object.entries(USERS).map(([id, u]) => ({ id, label: u.label })),
    cards: demoCards(),
  });
  const web = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/demo-config.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      return res.end(config);
    }
    if (path === "/demo-idp/jwks.json") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(idp.jwks));
    }
    if (path === "/demo-idp/token" && req.method === "POST") {
      const chunks = [];
      req.on("data", (c) => chunks.length < 16 && chunks.push(c));
      req.on("end", async () => {
        let user;
        try {
          user = JSON.parse(Buffer.concat(chunks).toString("utf8")).user;
        } catch {
          user = null;
        }
        const t = await idp.token(typeof user === "string" ? user : "");
        res.writeHead(t ? 200 : 400, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(JSON.stringify(t ?? { error: "unknown demo user" }));
      });
      return undefined;
    }
    const target = normalize(join(dist, path === "/" ? "index.html" : path));
    if (!target.startsWith(dist) || !existsSync(target) || !statSync(target).isFile()) {
      res.writeHead(404);
      return res.end("not found");
    }
    res.writeHead(200, { "content-type": TYPES[extname(target)] || "application/octet-stream" });
    res.end(readFileSync(target));
  });
  await new Promise((ok) => web.listen(webPort, "127.0.0.1", ok));
  const stop = async () => {
    web.close();
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((ok) => c.once("exit", ok)) : null)));
  };
  try {
    await waitFor(`http://127.0.0.1:${sandboxPort}/`);
    await waitFor(`http://127.0.0.1:${workerPort}/`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${webPort}/`, workerUrl: `http://127.0.0.1:${workerPort}`, sandboxUrl: `http://127.0.0.1:${sandboxPort}`, stop, sandboxLog, workerLog, idp };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = (k, d) => Number(process.env[k] || d);
  start({ sandboxPort: env("SANDBOX_PORT", 8080), workerPort: env("WORKER_PORT", 8788), webPort: env("WEB_PORT", 5173), quiet: true }).then(
    (demo) => {
      console.log(`\nThe demo is running: open ${demo.url}\n(sandbox :${env("SANDBOX_PORT", 8080)}, edge worker :${env("WORKER_PORT", 8788)}, demo sign-in on the page's server; Ctrl-C stops everything)`);
      const bye = async () => {
        await demo.stop();
        // Written, then exit: to a pipe, console.log would be cut short by process.exit.
        process.stdout.write("stopped\n", () => process.exit(0));
      };
      process.once("SIGINT", bye);
      process.once("SIGTERM", bye);
    },
    (e) => {
      console.error(`demo: ${e.message}`);
      process.exit(1);
    },
  );
}
