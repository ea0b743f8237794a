// The `workerd` entry (Cloudflare Workers): Workers cannot compile wasm from bytes, so the
// `.wasm` is imported as a module (Wrangler does this for `.wasm` imports) and instantiated
// synchronously.
import { initSync } from "../web/points_activity.js";
import wasm from "../web/points_activity_bg.wasm";

initSync({ module: wasm });

export * from "../web/points_activity.js";
