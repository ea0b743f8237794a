/** `new PointsWorkerClient(options)`'s options. */
export interface PointsWorkerClientOptions {
  /** The edge worker: `https://…` or a path on the page's origin. */
  baseUrl: string;
  /** The user's bearer token, or a function giving it (asked before every attempt). Keep it in memory. */
  token: string | (() => string | Promise<string>);
  /** The `fetch` to use; default `globalThis.fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Headers sent on every call (never `authorization`). */
  headers?: Record<string, string>;
  /** Time limit of each attempt in milliseconds (1 to 600000); default 30000. */
  timeoutMs?: number;
  /**
   * Retries: reads up to `maxAttempts` (3); writes, which carry an `Idempotency-Key` the worker
   * applies at most once, up to `writeAttempts` (8) with the same key.
   */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; writeAttempts?: number };
  /** Longest texts accepted, in characters (1 to 4096; PAS publishes none): match your worker's. */
  limits?: { typeCode?: number; reason?: number }; // defaults 20 and 232 (the worker's 255 less its 23-character reference)
}

/** The optional last argument of every method. */
export interface WorkerCallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** The optional last argument of the two writes. */
export interface WorkerWriteOptions extends WorkerCallOptions {
  /** The user intent's key (8 to 128 of `A-Z a-z 0-9 _ . : -`); default a fresh UUID per call. Reuse it to repeat the intent. */
  idempotencyKey?: string;
  /** Called while the worker checks an unknown outcome (show "checking…"). */
  onChecking?: () => void;
}

/** Which points to read: an account, a customer, or (a consumer) nothing for their own customer. */
export type PointsTarget = { accountId: string } | { customerId: string } | Record<string, never>;

/** An account as the worker shows it: never the full card number. */
export interface MaskedAccount {
  accountId: string;
  accountFirstFour?: string;
  accountLastFour: string;
}

/** `GET /api/me`. */
export interface WorkerIdentity {
  sub: string;
  role: "consumer" | "agent";
  customerId?: string;
  accounts: MaskedAccount[];
}

/** An agent's adjustment waiting for a second agent (`GET /api/agent/approvals`). */
export interface PendingApproval {
  approvalId: string;
  accountId: string;
  accountLastFour: string;
  points: number;
  adjustmentTypeCode: string;
  adjustmentReason: string;
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  status: "PENDING";
}

/** What an adjustment above the worker's approval threshold answers (HTTP 202): nothing was sent yet. */
export interface ApprovalRequested {
  approvalId: string;
  status: "PENDING_APPROVAL";
  expiresAt: string;
}

/** A client of the edge worker's routes, for pages: no key, no credential but the user's token. */
export declare class PointsWorkerClient {
  constructor(options: PointsWorkerClientOptions);
  me(options?: WorkerCallOptions): Promise<WorkerIdentity>;
  getPointsDetails(target?: PointsTarget, options?: WorkerCallOptions): Promise<Record<string, unknown>>;
  getPointsExpirations(target?: PointsTarget, options?: WorkerCallOptions): Promise<Record<string, unknown>>;
  getPointsAdjustments(target?: PointsTarget, options?: WorkerCallOptions): Promise<Record<string, unknown>>;
  transferPoints(input: { fromAccountId: string; toAccountId: string; points: number }, options?: WorkerWriteOptions): Promise<Record<string, unknown>>;
  searchUsers(input: { userId: string; userIdType: "BAN" | "BCN" | "RANAC" | "RANCU" }, options?: WorkerCallOptions): Promise<Record<string, unknown>>;
  /** Agents: an adjustment; above the worker's approval threshold it waits for a second agent (`ApprovalRequested`). */
  adjustPoints(input: { accountId: string; points: number; adjustmentTypeCode: string; adjustmentReason: string }, options?: WorkerWriteOptions): Promise<Record<string, unknown> | ApprovalRequested>;
  /** Agents: the adjustments waiting for a second agent. */
  listApprovals(options?: WorkerCallOptions): Promise<{ approvals: PendingApproval[] }>;
  /** Agents: approve (the adjustment's answer) or reject another agent's request; never one's own. */
  decideApproval(approvalId: string, input: { decision: "approve" | "reject" }, options?: WorkerWriteOptions): Promise<Record<string, unknown> | { approvalId: string; status: "REJECTED" }>;
}

export {
  PointsError, PointsValidationError, PointsConfigError, PointsKeyError, PointsApiError,
  PointsNetworkError, PointsTimeoutError, PointsAbortError, PointsResponseError, JweError,
} from "./points_activity.js";
