// The packed tarball, installed by name into throwaway projects the way users install it:
// Node ESM, Node CommonJS, a Vite build run in headless Chromium and Firefox, a worker in workerd,
// and TypeScript consumers (moduleResolution bundler and node16).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { serve } from "../../bench/serve.mjs";
import { pageResult } from "../../bench/browsers.mjs";
import { root, keys, KID, project } from "./support.mjs";

const CERT = keys.certificate;
const JWE_KEY = keys.decryptionKey;
const SIGNING_KEY = keys.signingKey;

// OAuth1Signer: signs in Node and workers; in the browser build it is a stand-in that refuses.
const SIGN = `
  try {
    const signer = await pa.OAuth1Signer.create({ consumerKey: "ck", signingKey: ${JSON.stringify(SIGNING_KEY)} });
    result.signer = (await signer.authorizationHeader("GET", "https://api.example/x")).slice(0, 6);
  } catch (e) {
    result.signer = (e instanceof pa.PointsConfigError ? "PointsConfigError: " : "other: ") + e.message;
  }
`;

// What every consumer runs: the same three calls, results as JSON.
const USE = `
  const cert = ${JSON.stringify(CERT)};
  const kid = await pa.keyFingerprint(cert);
  const jwe = await pa.encryptPayload({ points: 1 }, { certificate: cert });
  const client = await pa.PointsClient.create({
    baseUrl: "https://proxy.example/loyalty",
    fetch: async (url) => new Response(JSON.stringify({ availablePoints: 42, url }), { status: 200 }),
  });
  const details = await client.getPointsDetails({ userId: "301234567890", userIdType: "RANAC" });
  let validation;
  try { await client.getPointsDetails({ userId: "1", userIdType: "IBAN" }); } catch (e) { validation = e instanceof pa.PointsValidationError && e.field; }
  const result = { kid, parts: jwe.split(".").length, details, validation };
`;

// points-activity/jwe: the same JWE calls, a round trip, and nothing of the client.
const JWE_USE = `
  const cert = ${JSON.stringify(CERT)};
  const key = ${JSON.stringify(JWE_KEY)};
  const kid = await pa.keyFingerprint(cert);
  const jwe = await pa.encryptPayload({ points: 1 }, { certificate: cert });
  const back = await pa.decryptPayload(jwe, { decryptionKey: key });
  let bad;
  try { await pa.decryptPayload("a.b.c", { decryptionKey: key }); } catch (e) { bad = e instanceof pa.JweError && e.code; }
  const result = { kid, parts: jwe.split(".").length, back, bad, client: typeof pa.PointsClient };
`;

function checkJwe(result) {
  assert.equal(result.kid, KID);
  assert.equal(result.parts, 5);
  assert.deepEqual(result.back, { points: 1 });
  assert.equal(result.bad, "ERR_JWE_INVALID");
  assert.equal(result.client, "undefined");
}

function check(result) {
  assert.equal(result.kid, KID);
  assert.equal(result.parts, 5);
  assert.equal(result.details.availablePoints, 42);
  assert.match(result.details.url, /points-details\?user_id=301234567890&user_id_type=RANAC$/);
  assert.equal(result.validation, "userIdType");
}

let dir;
before(() => {
  dir = project();
});

test("Node ESM import by name", () => {
  writeFileSync(join(dir, "esm.mjs"), `import * as pa from "points-activity";\n${USE}\n${SIGN}\nconsole.log(JSON.stringify(result));`);
  const result = JSON.parse(execFileSync(process.execPath, ["esm.mjs"], { cwd: dir, encoding: "utf8" }));
  check(result);
  assert.equal(result.signer, "OAuth ");
});

test("Node ESM import of points-activity/jwe", () => {
  writeFileSync(join(dir, "jwe.mjs"), `import * as pa from "points-activity/jwe";\n${JWE_USE}\nconsole.log(JSON.stringify(result));`);
  checkJwe(JSON.parse(execFileSync(process.execPath, ["jwe.mjs"], { cwd: dir, encoding: "utf8" })));
});

test("Node CommonJS require by name, the same instance as import", () => {
  writeFileSync(join(dir, "cjs.cjs"), `(async () => { const pa = require("points-activity");\n${USE}\nconst esm = await import("points-activity");\nresult.same = esm.PointsClient === pa.PointsClient;\nconsole.log(JSON.stringify(result)); })();`);
  const result = JSON.parse(execFileSync(process.execPath, ["cjs.cjs"], { cwd: dir, encoding: "utf8" }));
  check(result);
  assert.equal(result.same, true);
});

test("the default entry needs init(), and says so", () => {
  const p = join(dir, "node_modules", "points-activity", "web", "index.js");
  writeFileSync(join(dir, "default.mjs"), `import init, * as pa from ${JSON.stringify(p)};
let before;
try { pa.keyFingerprint("x"); } catch (e) { before = e.message; }
await init({ module_or_path: (await import("node:fs")).readFileSync(${JSON.stringify(join(dirname(p), "points_activity_bg.wasm"))}) });
${USE}
result.before = before;
console.log(JSON.stringify(result));`);
  const result = JSON.parse(execFileSync(process.execPath, ["default.mjs"], { cwd: dir, encoding: "utf8" }));
  check(result);
  assert.match(result.before, /not initialized yet: `await init\(\)`/);
});

const builds = new Map();
/** Builds `main` into a page with Vite, once per script (each browser runs the same build). */
function viteBuild(main) {
  if (!builds.has(main)) {
    const vdir = project(["vite@8.3.8"]);
    writeFileSync(join(vdir, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>`);
    writeFileSync(join(vdir, "main.js"), main);
    execFileSync(join(vdir, "node_modules", ".bin", "vite"), ["build", "--logLevel", "error"], { cwd: vdir, stdio: "pipe" });
    builds.set(main, join(vdir, "dist"));
  }
  return builds.get(main);
}

/** Runs the Vite build of `main` in headless `browser`; its result and shipped .wasm. */
async function vitePage(browser, main) {
  const dist = viteBuild(main);
  const shipped = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".wasm"));
  assert.equal(shipped.length, 1, "Vite emitted one .wasm");
  const server = await serve(dist);
  try {
    const result = await pageResult(browser, `${server.url}/index.html`, "result", 30000);
    assert.equal(result.error, undefined, result.error);
    return { result, wasm: readFileSync(join(dist, "assets", shipped[0])) };
  } finally {
    await server.close();
  }
}

const pageScript = (entry, use) =>
  `import * as pa from "${entry}";\ntry {\n${use}\nwindow.result = result;\n} catch (e) { window.result = { error: String(e && e.stack || e) }; }`;

for (const browser of ["Chromium", "Firefox"]) {
  test(`a Vite build of a page, run in headless ${browser}`, async () => {
    const { result, wasm } = await vitePage(browser, pageScript("points-activity", USE + SIGN));
    check(result);
    // Pages get the browser build: no signer code, and a stand-in that says where to sign.
    assert.match(result.signer, /^PointsConfigError: OAuth1Signer is not in the browser build.*signing proxy/);
    assert.equal(wasm.length, readFileSync(join(root, "pkg", "browser", "points_activity_bg.wasm")).length, "Vite shipped the browser build's .wasm");
  });

  test(`a Vite page importing points-activity/jwe, in headless ${browser}`, async () => {
    const { result, wasm } = await vitePage(browser, pageScript("points-activity/jwe", JWE_USE));
    checkJwe(result);
    assert.equal(wasm.length, readFileSync(join(root, "pkg", "jwe", "points_activity_bg.wasm")).length, "Vite shipped the jwe build's .wasm");
  });
}

/** Bundles a worker that runs `use` on `entry` with esbuild, serves it in workerd; its result. */
async function workerResult(entry, use) {
  const wdir = project(["esbuild@0.28.2"]);
  writeFileSync(join(wdir, "worker.js"), `import * as pa from "${entry}";\nexport default { async fetch() {\n${use}\nreturn Response.json(result); } };`);
  mkdirSync(join(wdir, "out"));
  execFileSync(join(wdir, "node_modules", ".bin", "esbuild"), ["worker.js", "--bundle", "--format=esm", "--platform=neutral", "--conditions=workerd", "--loader:.wasm=copy", "--outdir=out", "--asset-names=[name]"], { cwd: wdir, stdio: "pipe" });
  const wasm = readdirSync(join(wdir, "out")).find((f) => f.endsWith(".wasm"));
  assert.ok(wasm, "the worker bundle imports the .wasm as a module");
  const port = 30000 + Math.floor(Math.random() * 10000);
  writeFileSync(join(wdir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = (modules = [(name = "worker.js", esModule = embed "out/worker.js"), (name = "${wasm}", wasm = embed "out/${wasm}")], compatibilityDate = "2026-11-01"))],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);`);
  const child = spawn(join(root, ".tools", "node_modules", ".bin", "workerd"), ["serve", "config.capnp"], { cwd: wdir, stdio: "ignore" });
  try {
    let result;
    for (let i = 0; i < 100 && !result; i++) {
      try {
        result = await (await fetch(`http://127.0.0.1:${port}/`)).json();
      } catch {
        await new Promise((ok) => setTimeout(ok, 100));
      }
    }
    return result;
  } finally {
    child.kill();
  }
}

test("a worker in workerd importing the package by name", async () => {
  const result = await workerResult("points-activity", USE + SIGN);
  check(result);
  assert.equal(result.signer, "OAuth ");
});

test("a worker in workerd importing points-activity/jwe", async () => {
  checkJwe(await workerResult("points-activity/jwe", JWE_USE));
});

test("TypeScript consumers with moduleResolution bundler and node16", () => {
  const src = `import { PointsClient, keyFingerprint, PointsApiError, type PointsDetails } from "points-activity";
import { decryptPayload, JweError } from "points-activity/jwe";
// @ts-expect-error: the client is not in points-activity/jwe
import { PointsClient as NoClient } from "points-activity/jwe";
void NoClient;
async function g(jwe: string, key: string): Promise<unknown> {
  try { return await decryptPayload(jwe, { decryptionKey: key }); } catch (e) { return e instanceof JweError ? e.code : null; }
}
void g;
async function f(): Promise<number | undefined> {
  const c = await PointsClient.create({ baseUrl: "https://x/loyalty" });
  const d: PointsDetails = await c.getPointsDetails({ userId: "1", userIdType: "RANAC" });
  const kid: string = await keyFingerprint("pem");
  void kid; void PointsApiError;
  return d.availablePoints;
}
void f;
`;
  writeFileSync(join(dir, "consumer.ts"), src);
  writeFileSync(join(dir, "consumer.mts"), src);
  const tsc = join(root, "node_modules", ".bin", "tsc");
  const base = ["--noEmit", "--strict", "--target", "ES2022", "--lib", "ES2022,DOM,ESNext.Disposable", "--types", ""];
  execFileSync(tsc, [...base, "--module", "ESNext", "--moduleResolution", "bundler", "consumer.ts"], { cwd: dir, stdio: "pipe" });
  execFileSync(tsc, [...base, "--module", "node16", "--moduleResolution", "node16", "consumer.mts"], { cwd: dir, stdio: "pipe" });
});
