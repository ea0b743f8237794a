/** How a verified token's payload names its user: claim names and the role values they carry. */
export interface WorkerUserClaims {
  /** The claim holding the user's stable id (it becomes `adjustedBy` at Mastercard); default `"sub"`. */
  sub?: string;
  /** The claim holding the role: a string or a list of strings; default `"role"`. */
  role?: string;
  /**
   * The values of `role` for each of the worker's roles; default `{ consumer: "consumer", agent: "agent" }`.
   * A token holding values of both roles is refused.
   */
  roles?: {
    /** The value (or values) meaning a consumer. */
    consumer?: string | string[];
    /** The value (or values) meaning an agent. */
    agent?: string | string[];
  };
  /** The claim holding a consumer's customer number (BCN); default `"bcn"`. */
  customerNumber?: string;
}

/** What a `user` function returns for a verified token. */
export interface WorkerUser {
  /** 1 to `ADJUSTED_BY_MAX_LENGTH` (50) printable ASCII characters, never 12 digits or a card number in any spelling. */
  sub: string;
  /** Anything else is refused (403). */
  role: "consumer" | "agent";
  /** A consumer's customer number (BCN); unused for agents. */
  customerNumber?: string;
}

/** What the worker's own rules allowed, as shown to an `authorize` policy. */
export interface WorkerDecision {
  /** The worker's own rules allowed it (a policy only sees what they allow). */
  readonly allow: true;
  /** `"METHOD /path"` as in the route table, e.g. `"POST /api/transfers"`. */
  readonly route: string;
  /** Who asks. */
  readonly user: {
    /** The user's stable id. */
    readonly sub: string;
    /** The user's role. */
    readonly role: "consumer" | "agent";
  };
  /** The customer (RANCU) or account (RANAC) the request is about; null for searches, lists and decisions. */
  readonly target: {
    /** An account or a whole customer. */
    readonly type: "account" | "customer";
    /** Its RANAC or RANCU. */
    readonly id: string;
    /** An account's card number's last four digits, when known. */
    readonly lastFour: string | null;
  } | null;
  /** The points a write moves, when it moves any. */
  readonly points: number | null;
  /** The approval being decided, on `POST /api/agent/approvals/{approvalId}`. */
  readonly approvalId: string | null;
}

/** One audit line (never a card number, key or token). */
export interface WorkerAuditLine {
  /** Marks the line as the worker's audit. */
  audit: "points-worker";
  /** When (ISO 8601). */
  time: string;
  /** The user's stable id; null before authentication. */
  user: string | null;
  /** The user's role; null before authentication. */
  role: "consumer" | "agent" | null;
  /** `"METHOD /path"`. */
  route: string;
  /** What the request was about. */
  target: {
    /** An account or a whole customer. */
    type: "account" | "customer";
    /** Its RANAC or RANCU, when known. */
    id: string | null;
    /** An account's card number's last four digits, when known. */
    lastFour: string | null;
  } | null;
  /** The HTTP status answered; null when none was. */
  status: number | null;
  /** `OK`, or the reason code of the refusal or failure. */
  outcome: string;
  /** The request's correlation id, to find its other lines. */
  correlationId: string | null;
  /** The points a write moved or asked to move. */
  points?: number;
  /** The approval requested or decided. */
  approvalId?: string;
  /** The agent who requested an approval. */
  requestedBy?: string;
  /** The agent who approved it. */
  approvedBy?: string;
  /** Written by the reconciliation of an unknown outcome, not by a request. */
  via?: "reconciliation";
}

/** A JSON Web Key Set of public keys. */
export interface WorkerJwks {
  /** The public JWKs. */
  keys: Record<string, unknown>[];
}

/** The bindings a worker reads; any may be given in code (`settings`), which wins over `env`. */
export type WorkerBinding =
  | "MC_CONSUMER_KEY" | "MC_SIGNING_KEY" | "MC_DECRYPTION_KEY" | "MC_ENCRYPTION_CERT" | "MC_SIGNATURE_METHOD" | "UPSTREAM_BASE"
  | "AUTH_JWKS" | "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE" | "ALLOWED_ORIGINS" | "TRANSFER_TYPE_CODE"
  | "UPSTREAM_TIMEOUT_MS" | "TYPE_CODE_MAX_LENGTH" | "REASON_MAX_LENGTH" | "ADJUSTED_BY_MAX_LENGTH"
  | "RESOLVE_BY_REASON" | "SETTLE_MS" | "WRITE_RATE_LIMIT" | "WRITE_RATE_WINDOW_S" | "READ_RATE_LIMIT"
  | "READ_RATE_WINDOW_S" | "SEARCH_RATE_LIMIT" | "SEARCH_RATE_WINDOW_S" | "ADJUSTMENT_MAX_POINTS"
  | "AGENT_DAILY_MAX_POINTS" | "APPROVAL_THRESHOLD_POINTS" | "APPROVAL_TTL_S" | "RECONCILE_FOR_S"
  | "MAX_TOKEN_LIFETIME_S" | "AUDIT_READS";

/** `createPointsWorker`'s options; all optional (today's claims, rules and console audit by default). */
export interface PointsWorkerOptions {
  /** How to read the user from a verified token: claim names, or a function of its payload. */
  user?: WorkerUserClaims | ((payload: Readonly<Record<string, unknown>>) => WorkerUser | Promise<WorkerUser>);
  /** Token verification, instead of the `AUTH_*` bindings (give `jwks` or `jwksUrl`, not both). */
  auth?: {
    /** The identity provider's public keys. */
    jwks?: WorkerJwks;
    /** Where to fetch them (https). */
    jwksUrl?: string | URL;
    /** The `iss` every token must carry. */
    issuer?: string;
    /** The `aud` every token must carry. */
    audience?: string;
  };
  /**
   * The issuer's own policy, asked on every route once the worker's own checks passed and before
   * anything of the request goes upstream, with the account or customer it names (docs/worker.md
   * lists what each route shows). Return the decision (or `true`) to allow; anything else
   * refuses (403). It can only narrow: it is never asked about a request the worker refuses.
   * If it throws, rejects or takes more than 5 s: 500 `POLICY_FAILED`.
   */
  authorize?: (decision: WorkerDecision, request: Request) => WorkerDecision | boolean | Promise<WorkerDecision | boolean>;
  /** Where audit lines go; default one JSON line on the console. A sink that throws, rejects or takes more than 5 s gets its line on the console too. */
  audit?: (line: WorkerAuditLine) => void | Promise<void>;
  /** The page's exact origins, instead of `ALLOWED_ORIGINS`. */
  allowedOrigins?: string[];
  /** Any binding by name but the credentials (limits, budgets, controls…), checked now by the rules the first request applies. */
  settings?: Partial<Record<Exclude<WorkerBinding, "MC_CONSUMER_KEY" | "MC_SIGNING_KEY" | "MC_DECRYPTION_KEY">, string | number>>;
}

/** A Workers module handler. */
export interface PointsWorkerHandler {
  /** Answers one request of the page (or a preflight). */
  fetch(request: Request, env: Record<string, unknown>, ctx?: { waitUntil(promise: Promise<unknown>): void }): Promise<Response>;
}

/**
 * The worker's module handler for `options`, checked at once (a `PointsConfigError` names the
 * option at fault). One per script: its Durable Objects share its configuration.
 */
export function createPointsWorker(options?: PointsWorkerOptions): PointsWorkerHandler;

/** The Durable Object class of the `WRITES` binding: one per user (idempotency keys, budgets, daily totals). */
export class UserWrites {
  constructor(state: unknown, env: unknown);
}

/** The Durable Object class of the `APPROVALS` binding: agents' adjustments waiting for a second agent. */
export class Approvals {
  constructor(state: unknown, env: unknown);
}

/** The audit line the worker writes for `fields` (every field checked; names outside the line's are dropped). */
export function auditLine(fields: Record<string, unknown>): WorkerAuditLine;
