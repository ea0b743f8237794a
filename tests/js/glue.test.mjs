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

for (const target of ["web", "browser", "jwe", "nodejs", "bundler"]) {
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

// What browsers and workers download: wasm-bindgen's own output, the .wasm only through
// wasm-opt (binding names as wasm-bindgen wrote them: nothing rewrites the module), and the
// glue minified by terser (scripts/minify-web.mjs).
for (const target of ["web", "browser", "jwe"]) {
  test(`${target} build: wasm-bindgen's names untouched, glue minified`, async () => {
    const dir = join(pkgRoot, target);
    const mod = await WebAssembly.compile(readFileSync(join(dir, "points_activity_bg.wasm")));
    const imports = WebAssembly.Module.imports(mod);
    assert.ok(imports.length > 50, `${imports.length} imports`);
    assert.ok(imports.some(({ name }) => /^__wbg_/.test(name)), "no wasm-bindgen import names");
    assert.ok(!imports.some(({ name }) => /^\$[0-9a-z]+$/.test(name)), "renamed imports");
    for (const f of jsFiles(dir)) {
      const src = readFileSync(f, "utf8");
      assert.ok(src.split("\n").length <= 3, `${f} is not minified`);
      assert.doesNotMatch(src, /\/\*\*/, `${f} keeps JSDoc`);
    }
  });
}

// The release profile's wasm-opt flags (Cargo.toml) drop the name, producers and feature
// sections: nobody downloads them for anything.
for (const target of ["web", "browser", "jwe", "nodejs", "bundler"]) {
  test(`${target} build: no custom sections shipped`, async () => {
    const mod = await WebAssembly.compile(readFileSync(join(pkgRoot, target, "points_activity_bg.wasm")));
    for (const section of ["name", "producers", "target_features"]) {
      assert.equal(WebAssembly.Module.customSections(mod, section).length, 0, section);
    }
  });
}

test("jwe build: payload encryption and errors only", () => {
  const dts = readFileSync(join(pkgRoot, "jwe", "points_activity.d.ts"), "utf8");
  for (const name of ["encryptPayload", "decryptPayload", "keyFingerprint", "importDecryptionKey", "PointsError", "JweError"]) {
    assert.match(dts, new RegExp(`\\b${name}\\b`), name);
  }
  for (const name of ["PointsClient", "OAuth1Signer"]) assert.doesNotMatch(dts, new RegExp(`\\b${name}\\b`), name);
});
