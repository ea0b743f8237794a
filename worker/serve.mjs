// Runs the worker locally in workerd: checks the settings (it refuses to start on a bad one),
// writes a workerd config holding worker.mjs, the built package's worker (pkg/npm: run
// scripts/build.sh and scripts/package.mjs first) and jose, then serves it.
// Settings come from the environment, never from a file in git (BINDINGS lists them);
// the PEM bindings may instead name files: MC_SIGNING_KEY_FILE, MC_DECRYPTION_KEY_FILE,
// MC_ENCRYPTION_CERT_FILE. PORT (8788) picks the port; it prints its URL.
//   node worker/serve.mjs
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BINDINGS, readSettings } from "../pkg/npm/worker/settings.mjs";

export { BINDINGS };
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const pkgDir = join(root, "pkg", "npm");
const joseDir = join(root, "node_modules", "jose", "dist", "webapi");

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The modules of worker.mjs on the built package, as capnp list entries relative to `dir`. */
function sourceModules(dir, main) {
  const rel = (p) => relative(dir, p);
  const modules = [`(name = "worker.mjs", esModule = embed "${rel(main)}")`];
  // The package's modules named so that their relative imports resolve among themselves and its
  // entry is the bare name worker.mjs imports: points-activity/worker (its siblings beside it).
  for (const f of files(join(pkgDir, "worker")).filter((p) => p.endsWith(".mjs"))) {
    const name = f.endsWith("/index.mjs") ? "points-activity/worker" : `points-activity/${relative(join(pkgDir, "worker"), f)}`;
    modules.push(`(name = "${name}", esModule = embed "${rel(f)}")`);
  }
  for (const f of [...files(join(pkgDir, "workerd")), ...files(join(pkgDir, "web"))]) {
    const name = relative(pkgDir, f);
    if (f.endsWith(".js")) modules.push(`(name = "${name}", esModule = embed "${rel(f)}")`);
    if (f.endsWith(".wasm")) modules.push(`(name = "${name}", wasm = embed "${rel(f)}")`);
  }
  // jose's web build: workerd resolves a bare name beside the module importing it, so its entry
  // is points-activity/jose (for the package's auth.mjs) and the rest sit beside it.
  for (const f of files(joseDir).filter((p) => p.endsWith(".js"))) {
    const name = `points-activity/${relative(joseDir, f) === "index.js" ? "jose" : relative(joseDir, f)}`;
    modules.push(`(name = "${name}", esModule = embed "${rel(f)}")`);
  }
  return modules;
}

/** The modules of a bundle Wrangler wrote (`wrangler deploy --dry-run --outdir bundle`). */
function bundleModules(dir, bundle) {
  // The entry first: workerd's main module is the list's first.
  const names = readdirSync(bundle).filter((f) => f.endsWith(".js") || f.endsWith(".wasm")).sort((a, b) => (a === "worker.js" ? -1 : b === "worker.js" ? 1 : 0));
  return names.map((f) => {
    const path = relative(dir, join(bundle, f));
    return f.endsWith(".wasm") ? `(name = "./${f}", wasm = embed "${path}")` : `(name = "${f}", esModule = embed "${path}")`;
  });
}

/**
 * The capnp config text for `port` under `dir`, serving `main` (worker.mjs) on the built
 * package or, with `bundle`, a bundle of Wrangler's; the Durable Objects (UserWrites, Approvals) keep their
 * storage on disk in `dir/durable-objects` (it survives a restart of workerd).
 */
export function config(port, dir, { bundle = null, main = join(here, "worker.mjs") } = {}) {
  const modules = bundle ? bundleModules(dir, bundle) : sourceModules(dir, main);
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
 * the check, as Cloudflare would (tests of the worker's own refusal); `bundle` serves a bundle
 * of Wrangler's instead of worker.mjs, `main` another script on the package in its place.
 */
export function start(port, env = process.env, stdio = "inherit", name = "default", { check = true, fresh = false, bundle = null, main } = {}) {
  const vars = bindings(env);
  if (check) readSettings(vars);
  const dir = join(root, "target", "worker", name);
  // `fresh`: forget every user's keys and rates from an earlier run (tests).
  if (fresh) rmSync(join(dir, "durable-objects"), { recursive: true, force: true });
  mkdirSync(join(dir, "durable-objects"), { recursive: true });
  const file = join(dir, "config.capnp");
  writeFileSync(file, config(port, dir, { bundle, main }));
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
