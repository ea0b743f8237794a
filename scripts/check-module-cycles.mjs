// Fails on an import cycle between the crate's modules: the house rule is that dependencies
// point down only. Reads every path to another module in src/ (`crate::a::b`, `super::x`,
// braced groups, nested ones included; comments, strings, raw strings and character literals
// skipped; `#[cfg(test)]` modules left out, since tests may reach anywhere) and checks the graph
// at each depth from 1 to `--depth` (default 2): top-level modules (`src/<name>.rs` or
// `src/<name>/`), then one level in (`jwe::encrypt`). A cycle at any depth fails.
//   node scripts/check-module-cycles.mjs [--depth 2]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");
const maxDepth = process.argv.includes("--depth") ? Number(process.argv[process.argv.indexOf("--depth") + 1]) : 2;

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

/** `text` with comments, strings, raw strings and character literals blanked out. */
function code(text) {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i, i + 3);
    if (rest.startsWith("//")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (rest.startsWith("/*")) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (/^b?r#*"/.test(text.slice(i, i + 12))) {
      const m = /^b?r(#*)"/.exec(text.slice(i, i + 12));
      const close = `"${m[1]}`;
      const end = text.indexOf(close, i + m[0].length);
      i = end < 0 ? text.length : end + close.length;
      out += '""';
    } else if (text[i] === '"' || (text[i] === "b" && text[i + 1] === '"')) {
      i += text[i] === "b" ? 2 : 1;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
      out += '""';
    } else if (text[i] === "'" && /^'(\\.[^']*|[^\\'])'/.test(text.slice(i, i + 12))) {
      // A character literal (a lifetime has no closing quote right after its first character).
      i += /^'(\\.[^']*|[^\\'])'/.exec(text.slice(i, i + 12))[0].length;
      out += "' '";
    } else {
      out += text[i++];
    }
  }
  return out;
}

/** The index just past the `}` that closes the brace opened before `from`. */
function closing(text, from) {
  let depth = 1;
  let i = from;
  for (; i < text.length && depth > 0; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}") depth--;
  }
  return i;
}

/** Code outside `#[cfg(test)] mod … { … }` blocks (matched by their braces). */
function withoutTests(text) {
  let out = text;
  for (;;) {
    const m = /#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{/.exec(out);
    if (!m) return out;
    out = out.slice(0, m.index) + out.slice(closing(out, m.index + m[0].length));
  }
}

/** The module paths `body` names, from `from`: `crate::…`, `super::…` and braced groups. */
function targets(body, from) {
  const out = [];
  const walk = (prefix, group) => {
    // Split a braced group at its top-level commas; a nested group continues the prefix.
    let depth = 0;
    let start = 0;
    const items = [];
    for (let i = 0; i <= group.length; i++) {
      const ch = group[i];
      if (ch === "{") depth++;
      if (ch === "}") depth--;
      if ((ch === "," && depth === 0) || i === group.length) {
        items.push(group.slice(start, i).trim());
        start = i + 1;
      }
    }
    for (const item of items) {
      const m = /^([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)(?:::\{([\s\S]*)\})?/.exec(item);
      if (!m) continue;
      const path = [...prefix, ...m[1].split("::")];
      if (m[2] !== undefined) walk(path, m[2]);
      else out.push(path);
    }
  };
  for (const m of body.matchAll(/\b(crate|(?:super::)+)(?:::)?(\{|[a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)/g)) {
    let base;
    if (m[1] === "crate") base = [];
    else {
      const ups = m[1].split("super::").length - 1;
      // `super` of a file module is its parent; of `mod.rs`, the module's own parent too.
      base = from.slice(0, Math.max(0, from.length - ups));
    }
    if (m[2] === "{") {
      const start = m.index + m[0].length;
      walk(base, body.slice(start, closing(body, start) - 1));
    } else {
      out.push([...base, ...m[2].split("::")]);
    }
  }
  return out;
}

const modules = files(src).map((f) => ({ file: f, path: moduleOf(f) })).filter((m) => m.path.length > 0);
const bodies = new Map(modules.map((m) => [m.file, withoutTests(code(readFileSync(m.file, "utf8")))]));

/** The graph at `depth`: module → modules it names, each cut to `depth` levels. */
function graph(depth) {
  const known = new Set(modules.map((m) => m.path.slice(0, depth).join("::")));
  const key = (path) => {
    for (let n = Math.min(depth, path.length); n > 0; n--) {
      const k = path.slice(0, n).join("::");
      if (known.has(k)) return k;
    }
    return "";
  };
  const edges = new Map();
  for (const m of modules) {
    const a = key(m.path);
    for (const t of targets(bodies.get(m.file), m.path)) {
      const b = key(t);
      if (!b || b === a || a.startsWith(`${b}::`) || b.startsWith(`${a}::`)) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a).add(b);
    }
  }
  return edges;
}

/** The strongly connected parts of more than one module (Tarjan). */
function cycles(edges) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const parts = [];
  const strong = (v) => {
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
  };
  for (const v of [...edges.keys()].sort()) if (!idx.has(v)) strong(v);
  return parts;
}

let failed = false;
for (let depth = 1; depth <= maxDepth; depth++) {
  const edges = graph(depth);
  const parts = cycles(edges);
  if (depth === maxDepth) for (const [a, bs] of [...edges].sort()) console.log(`${a} -> ${[...bs].sort().join(", ")}`);
  for (const p of parts) {
    failed = true;
    const inside = p.map((a) => `${a} -> ${[...edges.get(a)].filter((b) => p.includes(b)).join(", ")}`);
    console.error(`module cycle at depth ${depth} among ${p.join(", ")}:\n  ${inside.join("\n  ")}`);
  }
  if (parts.length === 0) console.log(`depth ${depth}: no module cycle (${edges.size} modules with dependencies)`);
}
process.exit(failed ? 1 : 0);
