// The `default` entry: the web build with an explicit `init()`, and a clear error for any use
// before it has finished (the raw glue would fail with "Cannot read properties of undefined").
import initWasm, * as raw from "./points_activity.js";

let ready = false;
const notReady = () =>
  new Error("points-activity: the module is not initialized yet: `await init()` (the default export) first");

/** Loads and instantiates the module (from `points_activity_bg.wasm` next to this file unless told otherwise). */
export default async function init(input) {
  const out = await initWasm(input);
  ready = true;
  return out;
}

/** Instantiates the module from bytes or a compiled `WebAssembly.Module`, synchronously. */
export function initSync(input) {
  const out = raw.initSync(input);
  ready = true;
  return out;
}

function guard(fn) {
  return function guarded(...args) {
    if (!ready) throw notReady();
    return fn.apply(this, args);
  };
}

// Classes keep their identity (`instanceof` works on what the module returns); only their
// static factories are guarded.
function guardClass(cls) {
  return new Proxy(cls, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      return key === "create" && typeof v === "function" ? guard(v.bind(target)) : v;
    },
  });
}

export const encryptPayload = guard(raw.encryptPayload);
export const decryptPayload = guard(raw.decryptPayload);
export const importDecryptionKey = guard(raw.importDecryptionKey);
export const keyFingerprint = guard(raw.keyFingerprint);
export const PointsClient = guardClass(raw.PointsClient);
export const OAuth1Signer = guardClass(raw.OAuth1Signer);
export {
  PointsError, PointsValidationError, PointsConfigError, PointsKeyError, PointsApiError,
  PointsNetworkError, PointsTimeoutError, PointsAbortError, PointsResponseError, JweError,
} from "./points_activity.js";
