// The README's demo command, run from a fresh clone: it sets up, builds, starts, serves the page,
// and stops cleanly on Ctrl-C. Compiled Rust is shared through CARGO_TARGET_DIR so the clone
// does not rebuild the world; everything else (npm installs, tools, builds, keys) is its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

test("bash scripts/demo.sh from a fresh clone: started, page fetched, stopped cleanly", { timeout: 900_000 }, async () => {
  // The clone and what it builds (about 1 GB) are removed whatever the outcome.
  const dir = mkdtempSync(join(tmpdir(), "pa-demo-"));
  const clone = join(dir, "repo");
  const run = {}; // the demo's process and its end, as soon as it is started
  try {
    execFileSync("git", ["clone", "-q", root, clone]);
    await demoIn(clone, run);
  } finally {
    const { child, exited } = run;
    if (child && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, "SIGKILL");
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs the demo command in `clone` and checks it; `run` gets its process and end once started. */
async function demoIn(clone, run) {
  const ports = { SANDBOX_PORT: "28080", WORKER_PORT: "28788", WEB_PORT: "25173" };
  const child = spawn("bash", ["scripts/demo.sh"], {
    cwd: clone,
    env: { ...process.env, ...ports, CARGO_TARGET_DIR: join(root, "target") },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  // "close", not "exit": only then has all of the child's output been read.
  const exited = new Promise((ok) => child.once("close", (code, signal) => ok({ code, signal })));
  Object.assign(run, { child, exited });
  const url = await new Promise((ok, fail) => {
    const t = setInterval(() => {
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearInterval(t);
        ok(m[1]);
      }
    }, 200);
    exited.then(({ code }) => {
      clearInterval(t);
      fail(new Error(`demo.sh exited ${code} before serving:\n${out.slice(-3000)}`));
    });
  });
  assert.equal(url, "http://127.0.0.1:25173/");
  const page = await (await fetch(url)).text();
  assert.match(page, /Points Activity/);
  const config = await (await fetch(`${url}demo-config.json`)).json();
  assert.equal(config.workerUrl, `http://127.0.0.1:${ports.WORKER_PORT}`);
  // The worker answers for the page's origin (a preflight as Chromium would send it), and a
  // demo sign-in's token reads Alex's own points through it.
  const preflight = await fetch(`${config.workerUrl}/api/me`, {
    method: "OPTIONS", headers: { origin: "http://127.0.0.1:25173", "access-control-request-method": "GET" },
  });
  assert.equal(preflight.status, 204);
  const { access_token: token } = await (await fetch(`${url}demo-idp/token`, { method: "POST", body: '{"user":"alex"}' })).json();
  const me = await (await fetch(`${config.workerUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json();
  assert.equal(me.accounts.length, 2);
  // Ctrl-C: the whole process group gets SIGINT, as a terminal sends it.
  process.kill(-child.pid, "SIGINT");
  const { code } = await exited;
  assert.equal(code, 0, out.slice(-2000));
  assert.match(out, /stopped/);
  await assert.rejects(fetch(url), "nothing is left listening");
}
