// The package's error classes, defined once. Rust creates them through `createPointsError`
// (src/js_error.rs); the package re-exports the classes so callers can use `instanceof`.

function named(cls, name) {
  // On the prototype, not the instance: survives minifiers that rename classes, stays out of
  // JSON.stringify, and reads like a built-in error's name.
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
  return cls;
}

function causeOf(options) {
  return options && options.cause !== undefined ? { cause: options.cause } : undefined;
}

export const PointsError = named(
  class PointsError extends Error {
    constructor(message, options) {
      super(message, causeOf(options));
      this.code = (options && options.code) || "ERR_POINTS";
    }
  },
  "PointsError",
);

export const PointsValidationError = named(
  class PointsValidationError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_VALIDATION" });
      this.field = (options && options.field) || "";
    }
  },
  "PointsValidationError",
);

export const PointsConfigError = named(
  class PointsConfigError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_CONFIG" });
    }
  },
  "PointsConfigError",
);

export const PointsKeyError = named(
  class PointsKeyError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_KEY_INVALID" });
    }
  },
  "PointsKeyError",
);

export const PointsApiError = named(
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
  },
  "PointsApiError",
);

export const PointsNetworkError = named(
  class PointsNetworkError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_NETWORK" });
      this.mayHaveBeenSent = Boolean(options && options.mayHaveBeenSent);
    }
  },
  "PointsNetworkError",
);

export const PointsTimeoutError = named(
  class PointsTimeoutError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_TIMEOUT" });
      this.mayHaveBeenSent = Boolean(options && options.mayHaveBeenSent);
    }
  },
  "PointsTimeoutError",
);

export const PointsAbortError = named(
  class PointsAbortError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_ABORTED" });
    }
  },
  "PointsAbortError",
);

export const PointsResponseError = named(
  class PointsResponseError extends PointsError {
    constructor(message, options) {
      super(message, { ...options, code: "ERR_RESPONSE_INVALID" });
      this.status = (options && options.status) || 0;
    }
  },
  "PointsResponseError",
);

const JWE_CODES = ["ERR_JWE_INVALID", "ERR_JWE_UNSUPPORTED", "ERR_JWE_DECRYPTION_FAILED", "ERR_JWE_NO_KEY"];

export const JweError = named(
  class JweError extends PointsError {
    constructor(message, options) {
      const code = options && JWE_CODES.includes(options.code) ? options.code : "ERR_JWE_INVALID";
      super(message, { ...options, code });
    }
  },
  "JweError",
);

const CLASSES = {
  PointsError,
  PointsValidationError,
  PointsConfigError,
  PointsKeyError,
  PointsApiError,
  PointsNetworkError,
  PointsTimeoutError,
  PointsAbortError,
  PointsResponseError,
  JweError,
};

// Called from Rust only. `props` carries the class's extra fields and, for JweError, its code.
export function createPointsError(className, message, props, cause) {
  const Cls = CLASSES[className] || PointsError;
  const options = cause === undefined || cause === null ? props : { ...props, cause };
  return new Cls(message, options);
}
