// The package's error classes. Rust creates them through `createPointsError` (src/js_error.rs);
// the package re-exports the classes so callers can use `instanceof`.
//
// Every wasm-bindgen build carries its own copy of this file (the web, browser, jwe and Node
// builds each have one), and a program may load several of them: `points-activity` and
// `points-activity/jwe`, or Node's CommonJS build beside an ES module one. Classes defined per
// copy would make `instanceof` fail across entries, so they live once per realm, under a
// registered symbol: the first copy to load defines them there (read-only), every later copy
// takes them from there. "/1" names this shape of the classes: a change to their names, codes
// or fields must take a new key rather than hand old callers classes they do not expect.
const REGISTRY = Symbol.for("points-activity.errors/1");

const NAMES = [
  "PointsError", "PointsValidationError", "PointsConfigError", "PointsKeyError", "PointsApiError",
  "PointsNetworkError", "PointsTimeoutError", "PointsAbortError", "PointsResponseError", "JweError",
];
const JWE_CODES = ["ERR_JWE_INVALID", "ERR_JWE_UNSUPPORTED", "ERR_JWE_DECRYPTION_FAILED", "ERR_JWE_NO_KEY"];

function named(cls, name) {
  // On the prototype, not the instance: survives minifiers that rename classes, stays out of
  // JSON.stringify, and reads like a built-in error's name.
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
  return cls;
}

function causeOf(options) {
  return options && options.cause !== undefined ? { cause: options.cause } : undefined;
}

/** A fresh set of the classes, frozen together (only the first copy in a realm keeps its own). */
function defineClasses() {
  class PointsError extends Error {
    constructor(message, options) {
      super(message, causeOf(options));
      this.code = (options && options.code) || "ERR_POINTS";
    }
  }

  class PointsValidationError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_VALIDATION" });
      this.field = (options && options.field) || "";
    }
  }

  class PointsConfigError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_CONFIG" });
    }
  }

  class PointsKeyError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_KEY_INVALID" });
    }
  }

  class PointsApiError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_API" });
      const errors = (options && Array.isArray(options.errors) && options.errors) || [];
      const first = errors[0];
      this.status = (options && options.status) || 0;
      this.errors = errors;
      this.reasonCode = first ? first.reasonCode : undefined;
      this.source = first ? first.source : undefined;
      this.recoverable = first ? first.recoverable : undefined;
    }
  }

  class PointsNetworkError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_NETWORK" });
      this.mayHaveBeenSent = Boolean(options && options.mayHaveBeenSent);
    }
  }

  class PointsTimeoutError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_TIMEOUT" });
      this.mayHaveBeenSent = Boolean(options && options.mayHaveBeenSent);
    }
  }

  class PointsAbortError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_ABORTED" });
    }
  }

  class PointsResponseError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_RESPONSE_INVALID" });
      this.status = (options && options.status) || 0;
    }
  }

  class JweError extends PointsError {
    constructor(message, options) {
      const code = options && JWE_CODES.includes(options.code) ? options.code : "ERR_JWE_INVALID";
      super(message, { ...options, code });
    }
  }

  const classes = {
    PointsError, PointsValidationError, PointsConfigError, PointsKeyError, PointsApiError,
    PointsNetworkError, PointsTimeoutError, PointsAbortError, PointsResponseError, JweError,
  };
  for (const name of NAMES) named(classes[name], name);
  return Object.freeze(classes);
}

/**
 * Whether `found` is a set of these classes: a frozen object whose every name is a data
 * property holding a constructor, the base extending Error and the others the base. Anything
 * else under the key (a stray value, getters, a Proxy that throws) is not used.
 */
function usable(found) {
  try {
    if (!found || typeof found !== "object" || !Object.isFrozen(found)) return false;
    const get = (name) => {
      const d = Object.getOwnPropertyDescriptor(found, name);
      return d && "value" in d && typeof d.value === "function" ? d.value : undefined;
    };
    const base = get("PointsError");
    if (!base || !Object.prototype.isPrototypeOf.call(Error.prototype, base.prototype)) return false;
    return NAMES.every((name) => {
      const cls = get(name);
      return cls && (cls === base || Object.getPrototypeOf(cls.prototype) === base.prototype);
    });
  } catch {
    return false;
  }
}

/** The realm's classes: those already registered, or this copy's, registered now. */
function shared() {
  let found;
  try {
    // The global's own data property only: not a getter, not a value inherited from a
    // polluted Object.prototype.
    const d = Object.getOwnPropertyDescriptor(globalThis, REGISTRY);
    found = d && "value" in d ? d.value : undefined;
  } catch {
    found = undefined; // a Proxy for a global that throws: as if nothing were there
  }
  if (usable(found)) return found;
  const own = defineClasses();
  try {
    // Not writable, not configurable: once set, no later code can swap the classes.
    Object.defineProperty(globalThis, REGISTRY, { value: own, writable: false, configurable: false, enumerable: false });
  } catch {
    // A frozen global object, or the key already taken by something else: this copy keeps its
    // own classes (correct on their own, only not shared).
  }
  return own;
}

const CLASSES = shared();

/** Base class of every error the package throws or rejects with (see errors.d.ts). */
export const PointsError = CLASSES.PointsError;
/** Input failed validation before anything was sent; `field` names it. */
export const PointsValidationError = CLASSES.PointsValidationError;
/** An option is missing or malformed. */
export const PointsConfigError = CLASSES.PointsConfigError;
/** A key or certificate could not be read or imported. */
export const PointsKeyError = CLASSES.PointsKeyError;
/** The service answered with a status of 400 or more. */
export const PointsApiError = CLASSES.PointsApiError;
/** The request failed on the network. */
export const PointsNetworkError = CLASSES.PointsNetworkError;
/** The call took longer than `timeoutMs`. */
export const PointsTimeoutError = CLASSES.PointsTimeoutError;
/** The caller's `AbortSignal` fired. */
export const PointsAbortError = CLASSES.PointsAbortError;
/** A successful status with a body that is neither the expected JSON nor the error envelope. */
export const PointsResponseError = CLASSES.PointsResponseError;
/** A JWE was malformed, refused, did not decrypt, or came with no key. */
export const JweError = CLASSES.JweError;

// Called from Rust only. `props` carries the class's extra fields and, for JweError, its code.
export function createPointsError(className, message, props, cause) {
  const Cls = NAMES.includes(className) ? CLASSES[className] : PointsError;
  const options = cause === undefined || cause === null ? props : { ...props, cause };
  return new Cls(message, options);
}
