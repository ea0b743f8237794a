// Shrinks the web-target builds (`web`, `browser`) that pages and workers download (run by
// scripts/build.sh):
//  1. the wasm-bindgen binding names (`__wbg_importKey_dffa85a08f1b105a`, …), each written
//     once in the .wasm and once or twice in the glue, with a hash gzip cannot compress, become
//     `$0`, `$1`, … in both;
//  2. the glue and its snippets are minified (terser), keeping class names and exported names.
//   node scripts/minify-web.mjs [pkg/web]
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";
import { assemble, name as str, readName, readU32, sections, skipImportDesc, u32 } from "./wasm-binary.mjs";

const dir = process.argv[2] || "pkg/web";
const wasmPath = join(dir, "points_activity_bg.wasm");
const GLUE_MODULE = "./points_activity_bg.js";
// Names the glue alone uses: imports it provides and the plumbing it calls, renamed wherever
// they appear. Every other export but `memory` is an operation (see `operations` below).
const INTERNAL = /^(__wbg_|__wbindgen_|__externref_|wasm_bindgen__|__abort_handler$|__instance_terminated$)/;

// --- the .wasm: rewrite the import and export sections ---------------------------------------
const wasm = readFileSync(wasmPath);

const renames = new Map();
const imported = [];
// Exports named like the API (`encryptPayload`, `pointsclient_create`): renamed only where the
// glue calls them (`wasm.<name>`) and where the declarations list the module's exports.
const operations = [];
const shortName = (name) => {
  if (!renames.has(name)) renames.set(name, `$${renames.size.toString(36)}`);
  return renames.get(name);
};

function rewriteImports(body) {
  let [count, pos] = readU32(body, 0);
  const parts = [u32(count)];
  while (count--) {
    let module, name;
    [module, pos] = readName(body, pos);
    [name, pos] = readName(body, pos);
    const kind = body[pos];
    const end = skipImportDesc(body, kind, pos + 1);
    const ours = module === GLUE_MODULE && INTERNAL.test(name);
    if (ours) imported.push(name);
    const renamed = ours ? shortName(name) : name;
    parts.push(str(module), str(renamed), body.subarray(pos, end));
    pos = end;
  }
  return Buffer.concat(parts);
}

function rewriteExports(body) {
  let [count, pos] = readU32(body, 0);
  const parts = [u32(count)];
  while (count--) {
    let name;
    [name, pos] = readName(body, pos);
    const end = readU32(body, pos + 1)[1];
    if (!INTERNAL.test(name) && name !== "memory") operations.push(name);
    parts.push(str(name === "memory" ? name : shortName(name)), body.subarray(pos, end));
    pos = end;
  }
  return Buffer.concat(parts);
}

const rewritten = assemble(wasm, sections(wasm, wasmPath), (s) => {
  const body = wasm.subarray(s.body, s.end);
  if (s.id === 2) return rewriteImports(body);
  if (s.id === 7) return rewriteExports(body);
});

// --- the glue: the same names, then minified -------------------------------------------------
function jsFiles(d) {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? jsFiles(p) : /\.(js|d\.ts)$/.test(f) ? [p] : [];
  });
}

const files = jsFiles(dir);
const names = [...renames.keys()].filter((n) => !operations.includes(n)).sort((a, b) => b.length - a.length);
// An empty alternation would match everywhere: a list with nothing in it matches nothing.
const alternation = (list) => (list.length ? list.join("|") : "(?!)");
const pattern = new RegExp(`\\b(${alternation(names)})\\b`, "g");
const operation = new RegExp(`(\\bwasm\\.|readonly |export const )(${alternation(operations)})\\b`, "g");
const seen = new Set();
for (const f of files) {
  const src = readFileSync(f, "utf8");
  // The short names must be new: nothing in wasm-bindgen's output is spelled `$<digit or letter>`.
  if (/\$[0-9a-z]/.test(src)) throw new Error(`${f} already uses $-names`);
  const out = src
    .replace(pattern, (old) => (seen.add(old), renames.get(old)))
    .replace(operation, (_, before, old) => (seen.add(old), before + renames.get(old)));
  writeFileSync(f, out);
}
// An import the glue does not define would only fail at instantiation: fail here instead.
const missing = [...imported, ...operations].filter((n) => !seen.has(n));
if (missing.length) throw new Error(`not found in the glue: ${missing.join(", ")}`);
writeFileSync(wasmPath, rewritten);

let before = 0;
let after = 0;
for (const f of files.filter((p) => p.endsWith(".js"))) {
  const src = readFileSync(f, "utf8");
  const out = await minify(src, {
    module: true,
    compress: { passes: 2 },
    mangle: true,
    // Error classes and the exported classes keep their names for stack traces and devtools.
    keep_classnames: true,
    format: { comments: /@ts-self-types/ },
  });
  before += src.length;
  after += out.code.length;
  writeFileSync(f, out.code + "\n");
}
console.log(`[minify] ${dir}: ${renames.size} binding names shortened; glue ${before} -> ${after} bytes`);
