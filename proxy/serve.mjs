// Runs the proxy locally in workerd: checks the settings (it refuses to start on a bad one or
// with no caller check), writes a workerd config for the `web` build, jose and this worker,
// then serves it. Secrets and settings come from the environment, never from a file in git:
// MC_CONSUMER_KEY, MC_SIGNING_KEY (or MC_SIGNING_KEY_FILE), PROXY_TOKEN and/or AUTH_JWKS /
// AUTH_JWKS_URL + AUTH_ISSUER + AUTH_AUDIENCE, UPSTREAM_BASE, and optionally ALLOWED_ORIGINS,
// MAX_BODY_BYTES, PATH_PREFIX, ALLOWED_HEADERS, UPSTREAM_TIMEOUT_MS. PORT (8787) picks the port.
//   node proxy/serve.mjs
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readSettings } from "./settings.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const pkgDir = join(root, "pkg", "web"); // with OAuth1Signer (the browser build has none)
const joseDir = join(root, "node_modules", "jose", "dist", "webapi");
const BINDINGS = ["MC_CONSUMER_KEY", "MC_SIGNING_KEY", "MC_SIGNATURE_METHOD", "PROXY_TOKEN", "AUTH_JWKS", "AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE", "UPSTREAM_BASE", "ALLOWED_ORIGINS", "MAX_BODY_BYTES", "PATH_PREFIX", "ALLOWED_HEADERS", "UPSTREAM_TIMEOUT_MS"];

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The capnp config text; `port` 0 lets the caller choose with `--socket-addr`. */
export function config(port, dir = join(root, "target", "proxy")) {
  const rel = (p) => relative(dir, p);
  const modules = ["worker.mjs", "caller.mjs", "settings.mjs"].map((f) => `(name = "${f}", esModule = embed "${rel(join(here, f))}")`);
  // jose's web build, under the bare name caller.mjs imports (its files resolve from there).
  for (const f of files(joseDir).filter((p) => p.endsWith(".js"))) {
    const name = relative(joseDir, f) === "index.js" ? "jose" : relative(joseDir, f);
    modules.push(`(name = "${name}", esModule = embed "${rel(f)}")`);
  }
  for (const f of files(pkgDir)) {
    const name = `pkg/${relative(pkgDir, f)}`;
    if (f.endsWith(".js")) modules.push(`(name = "${name}", esModule = embed "${rel(f)}")`);
    if (f.endsWith(".wasm")) modules.push(`(name = "${name}", wasm = embed "${rel(f)}")`);
    if (f.endsWith(".json") && !f.endsWith("package.json")) modules.push(`(name = "${name}", json = embed "${rel(f)}")`);
  }
  const bindings = BINDINGS.map((b) => `(name = "${b}", fromEnvironment = "${b}")`);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "proxy", worker = .proxy),
    (name = "internet", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "proxy")],
);
const proxy :Workerd.Worker = (
  modules = [
    ${modules.join(",\n    ")},
  ],
  bindings = [
    ${bindings.join(",\n    ")},
  ],
  globalOutbound = "internet",
  compatibilityDate = "2026-11-01",
);
`;
}

/**
 * Checks the settings, writes the config under target/proxy and starts workerd; returns the
 * child process. Throws SettingsError (starts nothing) on a bad setting; `check: false` skips
 * the check, as Cloudflare would (tests of the worker's own refusal).
 */
export function start(port, env = process.env, stdio = "inherit", { check = true } = {}) {
  const vars = { ...env };
  if (!vars.MC_SIGNING_KEY && vars.MC_SIGNING_KEY_FILE) vars.MC_SIGNING_KEY = readFileSync(vars.MC_SIGNING_KEY_FILE, "utf8");
  for (const b of BINDINGS) vars[b] ??= "";
  if (check) readSettings(vars);
  // One folder per port: proxies started side by side (parallel test files) never share a file.
  const dir = join(root, "target", "proxy", String(port));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "config.capnp");
  writeFileSync(file, config(port, dir));
  // Installed into .tools/ by scripts/setup.sh.
  return spawn(join(root, ".tools", "node_modules", ".bin", "workerd"), ["serve", file], { env: vars, stdio });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 8787);
  let child;
  try {
    child = start(port);
  } catch (e) {
    console.error(`proxy: refusing to start: ${e.message}`);
    process.exit(1);
  }
  console.log(`signing proxy on http://127.0.0.1:${port}${process.env.PATH_PREFIX || "/loyalty"}/ -> ${process.env.UPSTREAM_BASE || "(UPSTREAM_BASE unset)"}`);
  child.on("exit", (code) => process.exit(code ?? 1));
}
