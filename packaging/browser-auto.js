// The `browser` entry: the browser build (everything but OAuth1Signer, see oauth1-signer.js),
// initialized on import (top-level await) from the `.wasm` next to it, which bundlers pick up
// through `new URL(…, import.meta.url)`.
import init from "./points_activity.js";

await init();

export * from "./points_activity.js";
export { OAuth1Signer } from "./oauth1-signer.js";
