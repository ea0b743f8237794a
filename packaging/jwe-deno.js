// `points-activity/jwe` in Deno: the `jwe` build's `.wasm` brought in as a compiled module by a
// source-phase import, so it loads with no permission flag (see deno.js).
import source wasm from "./points_activity_bg.wasm";
import { initSync } from "./points_activity.js";

initSync({ module: wasm });

export * from "./points_activity.js";
