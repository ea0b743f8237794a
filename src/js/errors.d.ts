/** Every `code` a {@link PointsError} can carry. Stable: match on these, not on messages. */
export type PointsErrorCode =
  | "ERR_VALIDATION"
  | "ERR_CONFIG"
  | "ERR_KEY_INVALID"
  | "ERR_API"
  | "ERR_NETWORK"
  | "ERR_TIMEOUT"
  | "ERR_ABORTED"
  | "ERR_RESPONSE_INVALID"
  | "ERR_JWE_INVALID"
  | "ERR_JWE_UNSUPPORTED"
  | "ERR_JWE_DECRYPTION_FAILED"
  | "ERR_JWE_NO_KEY";

/** Options every error class accepts. */
export interface PointsErrorOptions {
  /** The underlying error, e.g. a `DOMException` from WebCrypto or a `TypeError` from `fetch`. */
  cause?: unknown;
}

/** Base class of every error this package throws or rejects with. Messages never contain keys, plaintext or account numbers. */
export class PointsError extends Error {
  constructor(message?: string, options?: PointsErrorOptions & { code?: PointsErrorCode });
  /** Stable machine-readable code. */
  readonly code: PointsErrorCode;
}

/** Input failed validation before anything was sent. */
export class PointsValidationError extends PointsError {
  constructor(message?: string, options?: PointsErrorOptions & { field?: string });
  readonly code: "ERR_VALIDATION";
  /** The input field at fault, e.g. `"userId"` or `"value"`. */
  readonly field: string;
}

/** An option is missing or malformed. */
export class PointsConfigError extends PointsError {
  constructor(message?: string, options?: PointsErrorOptions);
  readonly code: "ERR_CONFIG";
}

/** A key or certificate could not be read or imported (wrong format, not RSA, under 2048 bits, wrong kind). */
export class PointsKeyError extends PointsError {
  constructor(message?: string, options?: PointsErrorOptions);
  readonly code: "ERR_KEY_INVALID";
}

/** One item of the service's `Errors.Error` envelope. */
export interface PointsApiErrorItem {
  /** Who refused: `Gateway`, the service's name, `proxy` or `worker`. */
  source?: string;
  /** The machine-readable reason, e.g. `INSUFFICIENT_POINTS`. */
  reasonCode?: string;
  /** The service's words (never echoed into `message` when it could carry an account number). */
  description?: string;
  /** Whether trying again may succeed. */
  recoverable?: boolean;
  /** More from the service, when it gives any. */
  details?: string | null;
}

/** The service answered with a status of 400 or more. */
export class PointsApiError extends PointsError {
  constructor(message?: string, options?: PointsErrorOptions & { status?: number; errors?: PointsApiErrorItem[] });
  readonly code: "ERR_API";
  /** HTTP status. */
  readonly status: number;
  /** Every item of the error envelope; empty when the body was not the envelope. */
  readonly errors: PointsApiErrorItem[];
  /** `reasonCode` of the first item. */
  readonly reasonCode: string | undefined;
  /** `source` of the first item (`"Gateway"` when the API gateway refused the call). */
  readonly source: string | undefined;
  /** `recoverable` of the first item. */
  readonly recoverable: boolean | undefined;
}

/** The request failed on the network. */
export class PointsNetworkError extends PointsError {
  constructor(message?: string, options?: PointsErrorOptions & { mayHaveBeenSent?: boolean });
  readonly code: "ERR_NETWORK";
  /** True when the server may have received and acted on the request. */
  readonly mayHaveBeenSent: boolean;
}

/** The call took longer than `timeoutMs`. */
export class PointsTimeoutError extends PointsError {
  constructor(message?: string, options?: PointsErrorOptions & { mayHaveBeenSent?: boolean });
  readonly code: "ERR_TIMEOUT";
  /** True when the server may have received and acted on the request. */
  readonly mayHaveBeenSent: boolean;
}

/** The caller's `AbortSignal` fired. */
export class PointsAbortError extends PointsError {
  constructor(message?: string, options?: PointsErrorOptions);
  readonly code: "ERR_ABORTED";
}

/** A successful status with a body that is neither the expected JSON nor the error envelope. */
export class PointsResponseError extends PointsError {
  constructor(message?: string, options?: PointsErrorOptions & { status?: number });
  readonly code: "ERR_RESPONSE_INVALID";
  /** HTTP status. */
  readonly status: number;
}

/** Codes a {@link JweError} can carry. */
export type JweErrorCode = "ERR_JWE_INVALID" | "ERR_JWE_UNSUPPORTED" | "ERR_JWE_DECRYPTION_FAILED" | "ERR_JWE_NO_KEY";

/** A JWE was malformed, used an algorithm we refuse, did not decrypt, or arrived with no key to decrypt it. */
export class JweError extends PointsError {
  constructor(message?: string, options?: PointsErrorOptions & { code?: JweErrorCode });
  readonly code: JweErrorCode;
}
