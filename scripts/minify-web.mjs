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

const dir = process.argv[2] || "pkg/web";
const wasmPath = join(dir, "points_activity_bg.wasm");
const GLUE_MODULE = "./points_activity_bg.js";
// Names the glue alone uses: imports it provides and the plumbing it calls, renamed wherever
// they appear. Every other export but `memory` is an operation (see `operations` below).
const INTERNAL = /^(__wbg_|__wbindgen_|__externref_|wasm_bindgen__|__abort_handler$|__instance_terminated$)/;

// --- the .wasm: rewrite the import and export sections ---------------------------------------
const wasm = readFileSync(wasmPath);
const utf8 = new TextDecoder("utf-8", { fatal: true });

function readU32(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, pos];
  }
}

function u32(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}

const str = (s) => {
  const bytes = Buffer.from(s, "utf8");
  return Buffer.concat([u32(bytes.length), bytes]);
};

function readName(buf, pos) {
  const [len, at] = readU32(buf, pos);
  return [utf8.decode(buf.subarray(at, at + len)), at + len];
}

// Skips a `limits` (tables and memories): a flag byte, the minimum, and the maximum if flagged.
function skipLimits(buf, pos) {
  const flags = buf[pos++];
  [, pos] = readU32(buf, pos);
  if (flags & 1) [, pos] = readU32(buf, pos);
  return pos;
}

// The end of an import's description, by its kind (function, table, memory, global, tag).
function skipImportDesc(buf, kind, pos) {
  switch (kind) {
    case 0: return readU32(buf, pos)[1];
    case 1: return skipLimits(buf, pos + 1);
    case 2: return skipLimits(buf, pos);
    case 3: return pos + 2;
    case 4: return readU32(buf, pos + 1)[1];
    default: throw new Error(`unknown import kind ${kind}`);
  }
}

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

if (wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1) throw new Error(`${wasmPath} is not a wasm module`);
const sections = [wasm.subarray(0, 8)];
for (let pos = 8; pos < wasm.length; ) {
  const id = wasm[pos];
  const [size, at] = readU32(wasm, pos + 1);
  let body = wasm.subarray(at, at + size);
  if (id === 2) body = rewriteImports(body);
  if (id === 7) body = rewriteExports(body);
  sections.push(Buffer.from([id]), u32(body.length), body);
  pos = at + size;
}

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
writeFileSync(wasmPath, Buffer.concat(sections));

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
