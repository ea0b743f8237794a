// `points-activity/jwe` in Cloudflare Workers: the `.wasm` imported as a module (Workers cannot
// compile wasm from bytes) and instantiated synchronously.
import { initSync } from "./points_activity.js";
import wasm from "./points_activity_bg.wasm";

initSync({ module: wasm });

export * from "./points_activity.js";
