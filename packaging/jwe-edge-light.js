// `points-activity/jwe` on Vercel's Edge (the `edge-light` and `worker` conditions): the `jwe`
// build from a precompiled `WebAssembly.Module`, as edge-light.js explains.
import { initSync } from "./points_activity.js";
import wasm from "./points_activity_bg.wasm?module";

initSync({ module: wasm });

export * from "./points_activity.js";
