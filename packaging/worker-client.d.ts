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
  retry?: {
    /** Attempts of a read in all, the first included (1 to 10); default 3. */
    maxAttempts?: number;
    /** Backoff before the second attempt, doubled after (0 to 60000 ms); default 200. */
    baseDelayMs?: number;
    /** Longest wait between attempts (0 to 300000 ms); default 5000. */
    maxDelayMs?: number;
    /** Attempts of a write under its one Idempotency-Key (1 to 20); default 8. */
    writeAttempts?: number;
  };
  /** Longest texts accepted, in characters (1 to 4096; PAS publishes none): match your worker's. */
  limits?: {
    /** `adjustmentTypeCode`; default 20. */
    typeCode?: number;
    /** `adjustmentReason`; default 232 (the worker's 255 less its 23-character reference). */
    reason?: number;
  };
}

/** The optional last argument of every method. */
export interface WorkerCallOptions {
  /** Aborts the call (a `PointsAbortError`). */
  signal?: AbortSignal;
  /** Headers for this call, over the client's (never `authorization`). */
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
export type PointsTarget =
  | {
      /** One account (RANAC), as `me().accounts` lists them. */
      accountId: string;
    }
  | {
      /** A whole customer (RANCU): agents, or a consumer's own. */
      customerId: string;
    }
  | Record<string, never>;

/** An account as the worker shows it: never the full card number. */
export interface MaskedAccount {
  /** The account's RANAC: what the routes take. */
  accountId: string;
  /** The card number's first four digits, when the service gives them. */
  accountFirstFour?: string;
  /** The card number's last four digits, to show. */
  accountLastFour: string;
}

/** `GET /api/me`. */
export interface WorkerIdentity {
  /** The token's subject. */
  sub: string;
  /** What the worker lets this user do. */
  role: "consumer" | "agent";
  /** A consumer's own customer (RANCU). */
  customerId?: string;
  /** A consumer's own accounts; empty for agents. */
  accounts: MaskedAccount[];
  /** An agent's limits, as the worker enforces them (agents only). */
  limits?: AgentLimits;
  /** The adjustment type the worker's transfers have in the history (its `TRANSFER_TYPE_CODE`). */
  transferTypeCode?: string;
}

/** The worker's limits on an agent's adjustments (its `ADJUSTMENT_MAX_POINTS`, `APPROVAL_THRESHOLD_POINTS` and `AGENT_DAILY_MAX_POINTS`). */
export interface AgentLimits {
  /** The most points one adjustment may move. */
  adjustmentMaxPoints: number;
  /** Above this many points on one account in a day (this adjustment included), a second agent must approve. */
  approvalThresholdPoints: number;
  /** The most points an agent may adjust in a day. */
  dailyMaxPoints: number;
}

/** An agent's adjustment waiting for a second agent (`GET /api/agent/approvals`). */
export interface PendingApproval {
  /** What `decideApproval` takes. */
  approvalId: string;
  /** The account to adjust (RANAC). */
  accountId: string;
  /** Its card number's last four digits. */
  accountLastFour: string;
  /** Points to add (positive) or take (negative). */
  points: number;
  /** The adjustment's type code. */
  adjustmentTypeCode: string;
  /** The requesting agent's reason. */
  adjustmentReason: string;
  /** The requesting agent's `sub`. */
  requestedBy: string;
  /** When it was requested (ISO 8601). */
  requestedAt: string;
  /** When it lapses unapproved (ISO 8601). */
  expiresAt: string;
  /** Waiting for a second agent. */
  status: "PENDING";
}

/** What an adjustment above the worker's approval threshold answers (HTTP 202): nothing was sent yet. */
export interface ApprovalRequested {
  /** What a second agent's `decideApproval` takes. */
  approvalId: string;
  /** Waiting for a second agent. */
  status: "PENDING_APPROVAL";
  /** When it lapses unapproved (ISO 8601). */
  expiresAt: string;
}

/** A client of the edge worker's routes, for pages: no key, no credential but the user's token. */
export declare class PointsWorkerClient {
  /** Checks the options (a `PointsConfigError` names the faulty one). */
  constructor(options: PointsWorkerClientOptions);
  /** The signed-in user: role, and a consumer's own customer and masked accounts. */
  me(options?: WorkerCallOptions): Promise<WorkerIdentity>;
  /** The balance of an account, a customer, or (no target) the consumer's own customer. */
  getPointsDetails(target?: PointsTarget, options?: WorkerCallOptions): Promise<Record<string, unknown>>;
  /** What expires when, for the same targets. */
  getPointsExpirations(target?: PointsTarget, options?: WorkerCallOptions): Promise<Record<string, unknown>>;
  /** The adjustment history, for the same targets. */
  getPointsAdjustments(target?: PointsTarget, options?: WorkerCallOptions): Promise<Record<string, unknown>>;
  /** Consumers: moves points between two of their own accounts, exactly once under its Idempotency-Key. */
  transferPoints(input: { fromAccountId: string; toAccountId: string; points: number }, options?: WorkerWriteOptions): Promise<Record<string, unknown>>;
  /**
   * Checks a transfer's input as `transferPoints` would, sending nothing: throws the same
   * `PointsValidationError` naming the field, so a page validates before asking to confirm.
   */
  checkTransfer(input: { fromAccountId: string; toAccountId: string; points: number }): void;
  /** Agents: checks an adjustment's input as `adjustPoints` would, sending nothing. */
  checkAdjustment(input: { accountId: string; points: number; adjustmentTypeCode: string; adjustmentReason: string }): void;
  /** Agents: finds a customer by card number, customer number or token; card numbers come back masked. */
  searchUsers(input: { userId: string; userIdType: "BAN" | "BCN" | "RANAC" | "RANCU" }, options?: WorkerCallOptions): Promise<Record<string, unknown>>;
  /** Agents: an adjustment; above the worker's approval threshold it waits for a second agent (`ApprovalRequested`). */
  adjustPoints(input: { accountId: string; points: number; adjustmentTypeCode: string; adjustmentReason: string }, options?: WorkerWriteOptions): Promise<Record<string, unknown> | ApprovalRequested>;
  /** Agents: the adjustments waiting for a second agent. */
  listApprovals(options?: WorkerCallOptions): Promise<{
    /** Oldest first. */
    approvals: PendingApproval[];
  }>;
  /** Agents: approve (the adjustment's answer) or reject another agent's request; never one's own. */
  decideApproval(approvalId: string, input: { decision: "approve" | "reject" }, options?: WorkerWriteOptions): Promise<Record<string, unknown> | {
    /** The request decided. */
    approvalId: string;
    /** Rejected: nothing was sent. */
    status: "REJECTED";
  }>;
}

export {
  PointsError, PointsValidationError, PointsConfigError, PointsKeyError, PointsApiError,
  PointsNetworkError, PointsTimeoutError, PointsAbortError, PointsResponseError, JweError,
} from "./points_activity.js";
