// `points-activity/jwe` in browsers, Deno and bundlers: payload encryption alone (the `jwe`
// build, 40 KB), initialized on import (top-level await) from the `.wasm` next to it, which
// bundlers pick up through `new URL(…, import.meta.url)`.
import init from "./points_activity.js";

await init();

export * from "./points_activity.js";
