/** `PointsClient.create`'s options. */
export interface PointsClientOptions {
  /** Where PAS is reached: the signing proxy, e.g. `https://proxy.example.com/loyalty`. `http(s)://…` or a path. */
  baseUrl: string;
  /** Where User Account Management is reached; default `${baseUrl}/mrs`. */
  userManagementBaseUrl?: string;
  /** Payload encryption: Mastercard's key for requests, yours for responses. */
  encryption?: EncryptionKeyOptions & {
    /** Your private key, for encrypted responses; 1 to 8 of them during a rotation (picked by the JWE's `kid`). */
    decryptionKey?: PrivateKeyInput | PrivateKeyInput[];
    /** The body field that carries a JWE, both ways; default `encryptedPayload`. */
    encryptedValueFieldName?: string;
    /** The request body's JWE field, when it differs from the response's; default `encryptedValueFieldName`. */
    requestFieldName?: string;
    /** The response body's JWE field, when it differs from the request's; default `encryptedValueFieldName`. */
    responseFieldName?: string;
  };
  /** The `fetch` to use; default `globalThis.fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Headers sent on every call. */
  headers?: Record<string, string>;
  /** Time limit of each attempt in milliseconds (1 to 600000); default 30000. */
  timeoutMs?: number;
  /** Retries of reads (writes are never retried). */
  retry?: {
    /** Attempts in all, the first included (1 to 10); default 3. */
    maxAttempts?: number;
    /** Backoff before the second attempt, doubled after (0 to 60000); default 200. */
    baseDelayMs?: number;
    /** Longest wait; a `Retry-After` asking for more ends the retries; default 5000. */
    maxDelayMs?: number;
  };
  /**
   * Signs every request in-process (OAuth 1.0a, the exact bytes sent), for edge workers and
   * servers that call Mastercard's gateway directly: an `OAuth1Signer`, or its options
   * (imported here, once). `baseUrl` must then be absolute. Refused with `PointsConfigError`
   * in the browser build: a signing key never belongs in a page.
   */
  signer?: ClientSigner;
  /**
   * The longest free texts accepted, in characters (each 1 to 4096). PAS publishes no limits:
   * the defaults are our reading; set yours if your program's differ.
   */
  limits?: {
    /** `adjustmentTypeCode` and `transferTypeCode`; default 20. */
    typeCode?: number;
    /** `adjustmentReason` and `transferReason`; default 255. */
    reason?: number;
    /** `adjustedBy`; default 50. */
    adjustedBy?: number;
    /** The lookup's `programIdentifier`; default 50. */
    programIdentifier?: number;
  };
}

/** What `PointsClient.create` takes as `signer`. */
export type ClientSigner =
  | {
      /** The `Authorization` header for the exact request (an `OAuth1Signer`, or your own). */
      authorizationHeader(method: string, url: string, body?: string | Uint8Array | ArrayBuffer | null): Promise<string>;
    }
  | {
      /** The consumer key of your Mastercard Developer project. */
      consumerKey: string;
      /** Its signing key, imported once (non-extractable). */
      signingKey: PrivateKeyInput;
      /** `"RSA-SHA256"` (default) or `"RSA-PSS"`. */
      signatureMethod?: "RSA-SHA256" | "RSA-PSS";
    };

/** The optional last argument of every method. */
export interface CallOptions {
  /** Aborts the call (`PointsAbortError`). */
  signal?: AbortSignal;
  /** Headers for this call, over the client's. */
  headers?: Record<string, string>;
  /** Extra query parameters, for the three GET operations only. */
  query?: Record<string, string | number | boolean>;
}
