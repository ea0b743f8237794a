// Minifies the JS glue of the web-target builds (`web`, `browser`, `jwe`) that pages and workers
// download, with terser: a standard minifier over wasm-bindgen's output, nothing renamed that
// the .wasm refers to (the .wasm itself is not touched). Class names are kept for stack traces
// and devtools; the JSDoc goes (the .d.ts keeps it for editors). Run by scripts/build.sh.
//   node scripts/minify-web.mjs [pkg/web]
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const dir = process.argv[2] || "pkg/web";

function jsFiles(d) {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? jsFiles(p) : f.endsWith(".js") ? [p] : [];
  });
}

let before = 0;
let after = 0;
for (const f of jsFiles(dir)) {
  const src = readFileSync(f, "utf8");
  const out = await minify(src, {
    module: true,
    compress: { passes: 2 },
    mangle: true,
    keep_classnames: true,
    format: { comments: /@ts-self-types/ },
  });
  before += src.length;
  after += out.code.length;
  writeFileSync(f, out.code + "\n");
}
console.log(`[minify] ${dir}: glue ${before} -> ${after} bytes`);
