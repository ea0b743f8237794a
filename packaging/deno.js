// The `deno` entry: the web build (with OAuth1Signer: Deno serves), its `.wasm` brought in as a
// compiled module by a source-phase import. Deno loads it as part of the module graph, so no
// permission flag is needed (fetching the file, as the glue's own loader would, needs
// --allow-read), and nothing is compiled from bytes at run time.
import source wasm from "./points_activity_bg.wasm";
import { initSync } from "./points_activity.js";

initSync({ module: wasm });

export * from "./points_activity.js";
