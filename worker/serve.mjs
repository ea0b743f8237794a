// Runs the worker locally in workerd: checks the settings (it refuses to start on a bad one),
// writes a workerd config holding the worker, the `web` build and jose, then serves it.
// Settings come from the environment, never from a file in git (see worker.mjs for the list);
// the PEM bindings may instead name files: MC_SIGNING_KEY_FILE, MC_DECRYPTION_KEY_FILE,
// MC_ENCRYPTION_CERT_FILE. PORT (8788) picks the port; it prints its URL.
//   node worker/serve.mjs
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readSettings } from "./settings.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const pkgDir = join(root, "pkg", "web");
const joseDir = join(root, "node_modules", "jose", "dist", "webapi");
export const BINDINGS = [
  "MC_CONSUMER_KEY", "MC_SIGNING_KEY", "MC_DECRYPTION_KEY", "MC_ENCRYPTION_CERT", "UPSTREAM_BASE",
  "AUTH_JWKS", "AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE", "ALLOWED_ORIGINS", "TRANSFER_TYPE_CODE", "UPSTREAM_TIMEOUT_MS",
  "TYPE_CODE_MAX_LENGTH", "REASON_MAX_LENGTH", "ADJUSTED_BY_MAX_LENGTH",
  "RESOLVE_BY_REASON", "SETTLE_MS", "WRITE_RATE_LIMIT", "WRITE_RATE_WINDOW_S",
  "READ_RATE_LIMIT", "READ_RATE_WINDOW_S", "SEARCH_RATE_LIMIT", "SEARCH_RATE_WINDOW_S",
  "ADJUSTMENT_MAX_POINTS", "AGENT_DAILY_MAX_POINTS", "APPROVAL_THRESHOLD_POINTS", "APPROVAL_TTL_S",
  "RECONCILE_FOR_S", "MAX_TOKEN_LIFETIME_S", "AUDIT_READS",
];

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/**
 * The capnp config text for `port` under `dir`; the Durable Objects (UserWrites, Approvals) keep their
 * storage on disk in `dir/durable-objects` (it survives a restart of workerd).
 */
export function config(port, dir) {
  const rel = (p) => relative(dir, p);
  const modules = readdirSync(here)
    .filter((f) => f.endsWith(".mjs") && f !== "serve.mjs")
    .sort((a, b) => (a === "worker.mjs" ? -1 : b === "worker.mjs" ? 1 : a.localeCompare(b)))
    .map((f) => `(name = "${f}", esModule = embed "${rel(join(here, f))}")`);
  for (const f of files(pkgDir)) {
    const name = `pkg/${relative(pkgDir, f)}`;
    if (f.endsWith(".js")) modules.push(`(name = "${name}", esModule = embed "${rel(f)}")`);
    if (f.endsWith(".wasm")) modules.push(`(name = "${name}", wasm = embed "${rel(f)}")`);
  }
  // jose's web build: its entry under the bare name the worker imports, the rest by their
  // paths, which is where its relative imports resolve from there.
  for (const f of files(joseDir).filter((p) => p.endsWith(".js"))) {
    const name = relative(joseDir, f) === "index.js" ? "jose" : relative(joseDir, f);
    modules.push(`(name = "${name}", esModule = embed "${rel(f)}")`);
  }
  const bindings = BINDINGS.map((b) => `(name = "${b}", fromEnvironment = "${b}")`);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "worker", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true))),
    (name = "durable-objects", disk = (path = "${join(dir, "durable-objects")}", writable = true)),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "worker")],
);
const worker :Workerd.Worker = (
  modules = [
    ${modules.join(",\n    ")},
  ],
  bindings = [
    ${bindings.join(",\n    ")},
    (name = "WRITES", durableObjectNamespace = "UserWrites"),
    (name = "APPROVALS", durableObjectNamespace = "Approvals"),
  ],
  durableObjectNamespaces = [
    (className = "UserWrites", uniqueKey = "points-worker-user-writes"),
    (className = "Approvals", uniqueKey = "points-worker-approvals"),
  ],
  durableObjectStorage = (localDisk = "durable-objects"),
  globalOutbound = "internet",
  compatibilityDate = "2026-11-01",
);
`;
}

/** The bindings from `env`, with the *_FILE forms read. */
export function bindings(env) {
  const vars = {};
  for (const b of BINDINGS) {
    vars[b] = env[b] ?? (env[`${b}_FILE`] ? readFileSync(env[`${b}_FILE`], "utf8") : "");
  }
  return vars;
}

/**
 * Checks the settings, then writes the config under target/worker/<name> and starts workerd;
 * returns the child process. Throws (starts nothing) on a bad setting. `check: false` skips
 * the check, as Cloudflare would (tests of the worker's own refusal).
 */
export function start(port, env = process.env, stdio = "inherit", name = "default", { check = true, fresh = false } = {}) {
  const vars = bindings(env);
  if (check) readSettings(vars);
  const dir = join(root, "target", "worker", name);
  // `fresh`: forget every user's keys and rates from an earlier run (tests).
  if (fresh) rmSync(join(dir, "durable-objects"), { recursive: true, force: true });
  mkdirSync(join(dir, "durable-objects"), { recursive: true });
  const file = join(dir, "config.capnp");
  writeFileSync(file, config(port, dir));
  // Installed into .tools/ by scripts/setup.sh.
  return spawn(join(root, ".tools", "node_modules", ".bin", "workerd"), ["serve", file], { env: { PATH: env.PATH ?? "", ...vars }, stdio });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 8788);
  let child;
  try {
    child = start(port);
  } catch (e) {
    console.error(`worker: refusing to start: ${e.message}`);
    process.exit(1);
  }
  console.log(`points worker on http://127.0.0.1:${port}/api/ -> ${process.env.UPSTREAM_BASE}`);
  child.on("exit", (code) => process.exit(code ?? 1));
}
