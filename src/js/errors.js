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
const JWE_CODES = ["ERR_JWE_INVALID", "ERR_JWE_UNSUPPORTED", "ERR_JWE_DECRYPTION_FAILED", "ERR_JWE_NO_KEY"];

function causeOf(options) {
  return options?.cause !== undefined ? { cause: options.cause } : undefined;
}

/** A fresh set of the classes, frozen together (only the first copy in a realm keeps its own). */
function defineClasses() {
  class PointsError extends Error {
    constructor(message, options) {
      super(message, causeOf(options));
      this.code = options?.code || "ERR_POINTS";
    }
  }

  class PointsValidationError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_VALIDATION" });
      this.field = options?.field || "";
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
      const errors = Array.isArray(options?.errors) ? options.errors : [];
      const first = errors[0];
      this.status = options?.status || 0;
      this.errors = errors;
      this.reasonCode = first?.reasonCode;
      this.source = first?.source;
      this.recoverable = first?.recoverable;
    }
  }

  class PointsNetworkError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_NETWORK" });
      this.mayHaveBeenSent = !!options?.mayHaveBeenSent;
    }
  }

  class PointsTimeoutError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_TIMEOUT" });
      this.mayHaveBeenSent = !!options?.mayHaveBeenSent;
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
      this.status = options?.status || 0;
    }
  }

  class JweError extends PointsError {
    constructor(message, options) {
      const code = JWE_CODES.includes(options?.code) ? options.code : "ERR_JWE_INVALID";
      super(message, { ...options, code });
    }
  }

  const classes = {
    PointsError, PointsValidationError, PointsConfigError, PointsKeyError, PointsApiError,
    PointsNetworkError, PointsTimeoutError, PointsAbortError, PointsResponseError, JweError,
  };
  for (const [name, cls] of Object.entries(classes)) {
    // On the prototype, not the instance: survives minifiers that rename classes, stays out of
    // JSON.stringify, and reads like a built-in error's name.
    Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
  }
  return Object.freeze(classes);
}

/**
 * The realm's classes: those a copy registered first, or this copy's, registered now. What is
 * under the key counts only as the global's own data property (not a getter, not a value
 * inherited from a polluted Object.prototype) holding a constructor under every class's name;
 * anything else leaves this copy with its own classes.
 */
function shared() {
  const key = Symbol.for("points-activity.errors/1");
  const own = defineClasses();
  try {
    const found = Object.getOwnPropertyDescriptor(globalThis, key)?.value;
    if (found === undefined) {
      // Not writable, not configurable: once set, no later code can swap the classes.
      Object.defineProperty(globalThis, key, { value: own });
      return own;
    }
    return Object.keys(own).every((name) => typeof found[name] === "function") ? found : own;
  } catch {
    // A frozen global object, or a stray value whose reads throw: this copy keeps its own
    // classes (correct on their own, only not shared).
    return own;
  }
}

const CLASSES = shared();

// The classes (errors.d.ts documents each): the realm's one set, whichever copy defined it.
export const {
  PointsError, PointsValidationError, PointsConfigError, PointsKeyError, PointsApiError,
  PointsNetworkError, PointsTimeoutError, PointsAbortError, PointsResponseError, JweError,
} = CLASSES;

// Called from Rust only. `props` carries the class's extra fields and, for JweError, its code.
export function createPointsError(className, message, props, cause) {
  const Cls = CLASSES[className] || PointsError;
  const options = cause === undefined || cause === null ? props : { ...props, cause };
  return new Cls(message, options);
}
