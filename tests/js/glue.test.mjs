// The built glue must run where eval is forbidden (Cloudflare Workers, strict-CSP pages) and
// must reach the runtime through globalThis, never window.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const pkgRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "pkg");

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith(".js") ? [p] : [];
  });
}

for (const target of ["web", "browser", "nodejs", "bundler"]) {
  test(`${target} build: no eval, no new Function, no window`, () => {
    const files = jsFiles(join(pkgRoot, target));
    assert.ok(files.length >= 2, `no JS in pkg/${target}: run scripts/build.sh`);
    for (const f of files) {
      const src = readFileSync(f, "utf8");
      assert.doesNotMatch(src, /\bnew Function\s*\(|\beval\s*\(/, f);
      assert.doesNotMatch(src, /\bwindow\.(crypto|fetch)\b/, f);
    }
  });
}
