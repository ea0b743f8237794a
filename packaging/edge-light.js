// The `edge-light` and `worker` entries (Vercel Edge Functions, Next.js edge routes): the full
// web build, with OAuth1Signer, since an edge route is a server. Vercel's production Edge refuses
// to compile wasm from bytes ("Wasm code generation disallowed by embedder"); its bundler turns
// a `.wasm?module` import into a `WebAssembly.Module` compiled at deploy time, which is
// instantiated here synchronously (no top-level await either, for bundlers that emit scripts).
import { initSync } from "./points_activity.js";
import wasm from "./points_activity_bg.wasm?module";

initSync({ module: wasm });

export * from "./points_activity.js";
