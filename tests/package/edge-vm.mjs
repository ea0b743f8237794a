// Vercel's Edge, as close as this machine gets: the consumer's code bundled by esbuild with the
// conditions Vercel's bundler uses, each `.wasm?module` import turned into a binding that the
// host compiles ahead of time (Vercel compiles them at deploy), run in Vercel's own Edge Runtime
// (npm `edge-runtime`, a Node vm context) with WebAssembly code generation switched off, as
// Vercel's production isolates have it: there, compiling wasm from bytes fails with "Wasm code
// generation disallowed by embedder".
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { runInContext } from "node:vm";
import { root } from "./support.mjs";

const tools = createRequire(join(root, ".tools", "runtimes", "node_modules", "_"));

/** Condition sets an edge bundler resolves with: Next.js's edge routes (`edge-light`, then `browser`). */
export const EDGE_CONDITIONS = { "edge-light": ["edge-light", "browser"] };

/**
 * Bundles `entry` (in `dir`, a project with the package installed), resolving with
 * `conditions`, into one script that sets
 * `globalThis[name]` to the module's exports. Each `.wasm?module` import becomes a read of a
 * global binding named after the file's hash; `wasm` maps those names to the files.
 */
export async function bundleForEdge(dir, entry, name, conditions) {
  const esbuild = tools("esbuild");
  const wasm = new Map();
  const bindings = {
    name: "wasm-bindings",
    setup(build) {
      build.onResolve({ filter: /\.wasm\?module$/ }, async (args) => {
        const found = await build.resolve(args.path.replace(/\?module$/, ""), { resolveDir: args.resolveDir, kind: args.kind });
        if (found.errors.length) return { errors: found.errors };
        const binding = `wasm_${createHash("sha1").update(readFileSync(found.path)).digest("hex")}`;
        wasm.set(binding, found.path);
        return { path: binding, namespace: "wasm-binding" };
      });
      build.onLoad({ filter: /.*/, namespace: "wasm-binding" }, (args) => ({
        contents: `export default globalThis[${JSON.stringify(args.path)}];`,
        loader: "js",
      }));
    },
  };
  const result = await esbuild.build({
    entryPoints: [join(dir, entry)],
    absWorkingDir: dir,
    bundle: true,
    write: false,
    format: "iife", // a script: the Edge Runtime evaluates scripts, and it refuses top-level await
    globalName: name,
    platform: "browser",
    conditions,
    logLevel: "silent",
    plugins: [bindings],
  });
  return { code: result.outputFiles[0].text, wasm };
}

/**
 * Runs `code` in the Edge Runtime with wasm code generation off, each binding of `wasm` set to a
 * module compiled here, in the host, as Vercel does before the function runs. Returns the
 * runtime, to evaluate more in it.
 */
export function edgeRuntime(code, wasm) {
  const { EdgeRuntime } = tools("edge-runtime");
  const compiled = [...wasm].map(([binding, file]) => [binding, new WebAssembly.Module(readFileSync(file))]);
  const runtime = new EdgeRuntime({
    codeGeneration: { strings: false, wasm: false },
    extend(context) {
      for (const [binding, module] of compiled) context[binding] = module;
      // The host's modules are of the host's realm: let the context's `instanceof
      // WebAssembly.Module` accept them, as the Edge Runtime does for its own shared classes
      // (Uint8Array and others). On Vercel the module and the code share one realm.
      const own = runInContext("WebAssembly.Module", context);
      Object.defineProperty(own, Symbol.hasInstance, {
        value: (value) => Function.prototype[Symbol.hasInstance].call(own, value) || value instanceof WebAssembly.Module,
      });
      return context;
    },
  });
  runtime.evaluate(code);
  return runtime;
}
