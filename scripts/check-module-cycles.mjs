// Fails on an import cycle between the crate's modules: the house rule is that dependencies
// point down only. Reads every `crate::a::b` path in src/ (comments and strings skipped) and
// builds the graph between top-level modules (`src/<name>.rs` or `src/<name>/`); `--depth 2`
// looks one level in (`jwe::encrypt`). Prints the graph and each cycle found.
//   node scripts/check-module-cycles.mjs [--depth 2]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");
const depth = process.argv.includes("--depth") ? Number(process.argv[process.argv.indexOf("--depth") + 1]) : 1;

const files = (dir) => readdirSync(dir).flatMap((f) => {
  const p = join(dir, f);
  return statSync(p).isDirectory() ? files(p) : p.endsWith(".rs") ? [p] : [];
});

/** The module path of a file (`jwe/encrypt.rs` → ["jwe", "encrypt"], `jwe/mod.rs` → ["jwe"]). */
function moduleOf(file) {
  const parts = relative(src, file).replace(/\.rs$/, "").split("/");
  if (parts.at(-1) === "mod") parts.pop();
  return parts[0] === "lib" ? [] : parts;
}

/** Code without comments, strings and `#[cfg(test)]` modules (tests may reach anywhere). */
function code(text) {
  const t = text.replace(/#\[cfg\(test\)\]\s*mod tests\s*\{[\s\S]*$/m, "");
  return t.replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

const known = new Set(files(src).map(moduleOf).filter((m) => m.length).map((m) => m.slice(0, depth).join("::")));
/** The module a path names, to `depth` levels: its longest prefix that is a module of the crate. */
const key = (path) => {
  for (let n = Math.min(depth, path.length); n > 0; n--) {
    const k = path.slice(0, n).join("::");
    if (known.has(k)) return k;
  }
  return "";
};
const edges = new Map();
for (const f of files(src)) {
  const from = moduleOf(f);
  if (from.length === 0) continue;
  const body = code(readFileSync(f, "utf8"));
  // `crate::a::b`, and braced groups: `use crate::{a::x, b}`.
  const targets = [];
  for (const m of body.matchAll(/crate::([a-z_][a-z0-9_]*)(?:::([a-z_][a-z0-9_]*))?/g)) targets.push([m[1], m[2]].filter(Boolean));
  for (const m of body.matchAll(/crate::\{([^}]*)\}/g)) {
    for (const item of m[1].split(",")) {
      const parts = item.trim().split("::").filter((p) => /^[a-z_][a-z0-9_]*$/.test(p));
      if (parts.length) targets.push(parts.slice(0, 2));
    }
  }
  const a = key(from);
  for (const t of targets) {
    const b = key(t);
    if (!b || b === a || a.startsWith(`${b}::`) || b.startsWith(`${a}::`)) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a).add(b);
  }
}

// Every elementary cycle through the strongly connected parts (Tarjan), shown as a path.
let index = 0;
const stack = [];
const on = new Set();
const idx = new Map();
const low = new Map();
const parts = [];
function strong(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  on.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const part = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      part.push(w);
    } while (w !== v);
    if (part.length > 1) parts.push(part.sort());
  }
}
for (const v of [...edges.keys()].sort()) if (!idx.has(v)) strong(v);

for (const [a, bs] of [...edges].sort()) console.log(`${a} -> ${[...bs].sort().join(", ")}`);
if (parts.length === 0) {
  console.log(`no module cycle (${edges.size} modules with dependencies, depth ${depth})`);
} else {
  for (const p of parts) {
    const inside = p.map((a) => `${a} -> ${[...edges.get(a)].filter((b) => p.includes(b)).join(", ")}`);
    console.error(`module cycle among ${p.join(", ")}:\n  ${inside.join("\n  ")}`);
  }
  process.exit(1);
}
