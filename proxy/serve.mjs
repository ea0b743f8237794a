// Runs the proxy locally in workerd: writes a workerd config for the `web` build and this
// worker, then serves it. Secrets and settings come from the environment, never from a file
// in git: MC_CONSUMER_KEY, MC_SIGNING_KEY (or MC_SIGNING_KEY_FILE), UPSTREAM_BASE,
// ALLOWED_ORIGINS, and optionally MAX_BODY_BYTES, PATH_PREFIX, ALLOWED_HEADERS,
// UPSTREAM_TIMEOUT_MS. PORT (8787) picks the port.
//   node proxy/serve.mjs
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const pkgDir = join(root, "pkg", "web"); // with OAuth1Signer (the browser build has none)
const BINDINGS = ["MC_CONSUMER_KEY", "MC_SIGNING_KEY", "UPSTREAM_BASE", "ALLOWED_ORIGINS", "MAX_BODY_BYTES", "PATH_PREFIX", "ALLOWED_HEADERS", "UPSTREAM_TIMEOUT_MS"];

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The capnp config text; `port` 0 lets the caller choose with `--socket-addr`. */
export function config(port) {
  const rel = (p) => relative(join(root, "target", "proxy"), p);
  const modules = [`(name = "worker.mjs", esModule = embed "${rel(join(here, "worker.mjs"))}")`];
  for (const f of files(pkgDir)) {
    const name = `pkg/${relative(pkgDir, f)}`;
    if (f.endsWith(".js")) modules.push(`(name = "${name}", esModule = embed "${rel(f)}")`);
    if (f.endsWith(".wasm")) modules.push(`(name = "${name}", wasm = embed "${rel(f)}")`);
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

/** Writes the config under target/proxy and starts workerd; returns the child process. */
export function start(port, env = process.env, stdio = "inherit") {
  const dir = join(root, "target", "proxy");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "config.capnp");
  writeFileSync(file, config(port));
  const vars = { ...env };
  if (!vars.MC_SIGNING_KEY && vars.MC_SIGNING_KEY_FILE) vars.MC_SIGNING_KEY = readFileSync(vars.MC_SIGNING_KEY_FILE, "utf8");
  for (const b of BINDINGS) vars[b] ??= "";
  // Installed into .tools/ by scripts/setup.sh.
  return spawn(join(root, ".tools", "node_modules", ".bin", "workerd"), ["serve", file], { env: vars, stdio });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 8787);
  const child = start(port);
  console.log(`signing proxy on http://127.0.0.1:${port}${process.env.PATH_PREFIX || "/loyalty"}/ -> ${process.env.UPSTREAM_BASE || "(UPSTREAM_BASE unset)"}`);
  child.on("exit", (code) => process.exit(code ?? 1));
}
