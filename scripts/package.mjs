// Assembles the one npm package from the wasm-pack builds (run scripts/build.sh first) into
// pkg/npm/, packs it into pkg/points-activity-<version>.tgz, and prints its sizes.
//   node scripts/package.mjs
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "pkg", "npm");
const from = (...p) => join(root, ...p);
const version = /^version = "([^"]+)"/m.exec(readFileSync(from("Cargo.toml"), "utf8"))[1];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const build = (target, dir) => {
  const src = from("pkg", target);
  statSync(join(src, "points_activity_bg.wasm")); // fails clearly when scripts/build.sh has not run
  for (const f of readdirSync(src)) {
    if (["package.json", "README.md", "LICENSE", ".gitignore"].includes(f)) continue;
    cpSync(join(src, f), join(out, dir, f), { recursive: true });
  }
};
build("web", "web");
build("browser", "browser");
build("jwe", "jwe");
build("nodejs", "node");
const put = (file, text) => {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  writeFileSync(join(out, file), text);
};
const copy = (src, dst) => cpSync(from("packaging", src), join(out, dst));
// The node build is CommonJS (require), its snippets ES modules (required as such by Node 20.19+).
put("node/package.json", JSON.stringify({ type: "commonjs" }, null, 2) + "\n");
for (const d of readdirSync(join(out, "node", "snippets"))) {
  put(`node/snippets/${d}/package.json`, JSON.stringify({ type: "module" }, null, 2) + "\n");
}
copy("web-index.js", "web/index.js");
copy("web-index.d.ts", "web/index.d.ts");
// Deno and Vercel's Edge: the web build from a compiled module (deno.js, edge-light.js say how).
copy("deno.js", "web/deno.js");
copy("edge-light.js", "web/edge-light.js");
copy("auto.d.ts", "web/auto.d.ts");
copy("browser-auto.js", "browser/auto.js");
copy("browser-auto.d.ts", "browser/auto.d.ts");
copy("oauth1-signer.js", "browser/oauth1-signer.js");
copy("jwe-auto.js", "jwe/auto.js");
copy("jwe-node.mjs", "jwe/node.mjs");
copy("jwe-workerd.js", "jwe/workerd.js");
copy("jwe-deno.js", "jwe/deno.js");
copy("jwe-edge-light.js", "jwe/edge-light.js");
copy("jwe-auto.d.ts", "jwe/auto.d.ts");
copy("workerd.js", "workerd/index.js");
copy("workerd.d.ts", "workerd/index.d.ts");
copy("node-index.mjs", "node/index.mjs");
copy("node-index.d.mts", "node/index.d.mts");
// The page's client of the edge worker: plain JS beside the web and browser builds, importing
// their error classes (the glue's own snippet module), so `instanceof` holds across both.
for (const dir of ["web", "browser"]) {
  const [snippet] = readdirSync(join(out, dir, "snippets"));
  put(`${dir}/errors.js`, `// The package's error classes: the module the glue itself imports.\nexport * from "./snippets/${snippet}/src/js/errors.js";\n`);
  copy("worker-client.js", `${dir}/worker-client.js`);
  // The rules page and worker share (the worker imports them from web/).
  copy("rules.js", `${dir}/rules.js`);
  copy("worker-client.d.ts", `${dir}/worker-client.d.ts`);
}
// The page's backend as a Workers module (`points-activity/worker`): plain JS over the workerd
// entry (its error classes and wasm instance are the package's own).
for (const f of readdirSync(from("packaging", "worker"))) copy(join("worker", f), join("worker", f));
// The key tool (`npx points-activity keys`), on the Node build.
copy(join("bin", "points-activity.mjs"), join("bin", "points-activity.mjs"));
copy("README.md", "README.md");
cpSync(from("CHANGELOG.md"), join(out, "CHANGELOG.md"));
cpSync(from("pkg", "web", "LICENSE"), join(out, "LICENSE"));

const branch = (types, js) => ({ types, default: js });
const pkg = {
  name: "points-activity",
  version,
  description: "Mastercard Points Activity Service and identifier lookup for web frontends and edge workers: JWE and OAuth 1.0a inside WebAssembly, over fetch.",
  license: "MIT",
  repository: { type: "git", url: "git+https://example.invalid/points-activity.git" },
  type: "module",
  engines: { node: ">=20.19" },
  sideEffects: [
    "./web/deno.js", "./web/edge-light.js", "./browser/auto.js", "./workerd/index.js",
    "./jwe/auto.js", "./jwe/node.mjs", "./jwe/workerd.js", "./jwe/deno.js", "./jwe/edge-light.js",
  ],
  files: ["web", "browser", "jwe", "node", "workerd", "worker", "bin", "README.md", "CHANGELOG.md", "LICENSE"],
  bin: { "points-activity": "./bin/points-activity.mjs" },
  // The worker's token verification (points-activity/worker); nothing else depends on it.
  dependencies: { jose: `^${JSON.parse(readFileSync(from("package.json"), "utf8")).devDependencies.jose}` },
  main: "./node/points_activity.js",
  module: "./browser/auto.js",
  types: "./node/points_activity.d.ts", // with `main`, for resolvers without `exports`
  exports: {
    ".": {
      // Order matters: a runtime takes the first key it knows. Deno also knows `node`, so
      // `deno` comes before it; Vercel's Edge knows `edge-light` and `browser`, and must get
      // neither the browser build (no signer) nor anything that compiles from bytes. No
      // `worker`: webpack sets it for pages' Web Workers too, which need the browser build.
      workerd: branch("./workerd/index.d.ts", "./workerd/index.js"),
      deno: branch("./web/auto.d.ts", "./web/deno.js"),
      "edge-light": branch("./web/auto.d.ts", "./web/edge-light.js"),
      node: {
        import: branch("./node/index.d.mts", "./node/index.mjs"),
        require: branch("./node/points_activity.d.ts", "./node/points_activity.js"),
      },
      // Pages: everything but OAuth1Signer (its signing key belongs in the proxy).
      browser: branch("./browser/auto.d.ts", "./browser/auto.js"),
      default: branch("./web/index.d.ts", "./web/index.js"),
    },
    // The page's client of the edge worker (points-activity/worker): no WebAssembly, no key.
    "./worker-client": {
      browser: branch("./browser/worker-client.d.ts", "./browser/worker-client.js"),
      default: branch("./web/worker-client.d.ts", "./web/worker-client.js"),
    },
    // Payload encryption alone (encryptPayload, decryptPayload, keys, errors): the 40 KB build.
    "./jwe": {
      workerd: branch("./jwe/auto.d.ts", "./jwe/workerd.js"),
      deno: branch("./jwe/auto.d.ts", "./jwe/deno.js"),
      "edge-light": branch("./jwe/auto.d.ts", "./jwe/edge-light.js"),
      node: branch("./jwe/auto.d.ts", "./jwe/node.mjs"),
      default: branch("./jwe/auto.d.ts", "./jwe/auto.js"),
    },
    // The page's backend as a Workers module handler and its Durable Object classes (workerd).
    "./worker": branch("./worker/index.d.mts", "./worker/index.mjs"),
    // The operations list (src/ops/list.rs): name, method, path, service, retry class of each.
    "./operations.json": "./web/operations.json",
    "./wasm": "./web/points_activity_bg.wasm",
    "./package.json": "./package.json",
  },
  keywords: ["mastercard", "loyalty", "points", "jwe", "oauth1", "webassembly", "cloudflare-workers"],
};
put("package.json", JSON.stringify(pkg, null, 2) + "\n");

const packed = execFileSync("npm", ["pack", "--json", "--pack-destination", from("pkg")], { cwd: out, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
const info = JSON.parse(packed)[0];
const wasmGz = (dir) => gzipSync(readFileSync(join(out, dir, "points_activity_bg.wasm")), { level: 9 }).length;
console.log(`[package] pkg/${info.filename}: ${info.size} bytes packed, ${info.unpackedSize} unpacked, ${info.entryCount} files; .wasm gzip -9: browser ${wasmGz("browser")}, jwe ${wasmGz("jwe")}, web ${wasmGz("web")} bytes`);
