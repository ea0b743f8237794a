// PointsWorkerClient: the page's client of the edge worker's routes (points-activity/worker). Plain JS, no
// WebAssembly and no key: the page holds a bearer token (in memory) and nothing else. The
// same contract as PointsClient: input validated before anything is sent, the package's
// typed errors, a time limit per attempt, reads retried (network errors, 429, 502–504,
// `Recoverable: true`, honouring Retry-After), writes retried only under their one
// Idempotency-Key (the worker applies each key at most once), the lookup never.
import {
  PointsApiError, PointsAbortError, PointsConfigError, PointsNetworkError, PointsResponseError,
  PointsTimeoutError, PointsValidationError,
} from "./errors.js";
import {
  envelopeOf, headerProblem, identifierProblem, idempotencyKeyProblem, plainCode, pointsProblem,
  readWorthRetrying, retryAfterMs, retryDelayMs, retryDelays, retryPolicyProblem, textProblem,
} from "./rules.js";

// The package's own error classes (the same objects the WebAssembly glue throws), so that a
// page importing only this module can still use `instanceof`.
export {
  PointsError, PointsValidationError, PointsConfigError, PointsKeyError, PointsApiError,
  PointsNetworkError, PointsTimeoutError, PointsAbortError, PointsResponseError, JweError,
} from "./errors.js";

const USER_ID_TYPES = ["BAN", "BCN", "RANAC", "RANCU"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The worker's final answers on a keyed write: repeating the key only replays them. */
const FINAL_CODES = ["NOT_APPLIED", "OUTCOME_UNKNOWN", "IDEMPOTENCY_KEY_REUSED", "LIMIT_EXCEEDED"];

/** A fresh key: a UUID, from `crypto.randomUUID` or (outside secure contexts) 16 random bytes. */
function freshKey() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  if (c && typeof c.getRandomValues === "function") {
    return [...c.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  }
  throw new PointsConfigError("this runtime has no crypto.getRandomValues for an Idempotency-Key: pass `idempotencyKey`");
}
const MAX_BODY = 1 << 20; // longest answer read, in UTF-16 units

// What a refusal's Retry-After asked for, kept beside the error rather than on it.
const RETRY_AFTER = new WeakMap();

const invalid = (field, why) => new PointsValidationError(`${field} ${why}`, { field });
const config = (why) => new PointsConfigError(why);

/** Own, plain properties of a caller's object, read so that a throwing getter or a Proxy is a typed error. */
function fieldsOf(value, allowed, what) {
  let isObject = false;
  try {
    isObject = value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    isObject = false;
  }
  if (!isObject) throw invalid(what, "must be an object");
  const out = {};
  for (const name of allowed) {
    try {
      out[name] = Object.prototype.hasOwnProperty.call(value, name) ? value[name] : undefined;
    } catch {
      throw invalid(name, "could not be read");
    }
  }
  return out;
}

/** `value` as rules.js's `check` has it, else a PointsValidationError naming `field`. */
const checked = (problem, value, field) => {
  if (problem !== null) throw invalid(field, problem);
  return value;
};
const identifier = (v, field) => checked(identifierProblem(v), v, field);
const points = (v, field) => checked(pointsProblem(v), v, field);
const text = (v, field, max) => checked(textProblem(v, max), v, field);

function whole(bag, name, min, max, fallback) {
  const v = bag[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw config(`\`${name}\` must be a whole number from ${min} to ${max}`);
  return v;
}

const ABORTED = typeof AbortSignal === "function" ? Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get : undefined;

/** A genuine AbortSignal, checked by the platform's own getter (a look-alike or a Proxy of one throws there). */
function isAbortSignal(v) {
  if (!ABORTED) return false;
  try {
    ABORTED.call(v);
    return true;
  } catch {
    return false;
  }
}

/** `value` adopted as a promise that also rejects as soon as `signal` aborts: an injected fetch that ignores its signal, or never settles, still ends with the attempt. */
const within = (value, signal) => new Promise((ok, fail) => {
  if (signal.aborted) return fail(signal.reason);
  const stop = () => fail(signal.reason);
  signal.addEventListener("abort", stop, { once: true });
  Promise.resolve(value).then(
    (v) => { signal.removeEventListener("abort", stop); ok(v); },
    (e) => { signal.removeEventListener("abort", stop); fail(e); },
  );
});

const sleep = (ms, signal) => new Promise((ok, fail) => {
  if (signal?.aborted) return fail(signal.reason);
  const stop = () => {
    clearTimeout(id);
    fail(signal.reason);
  };
  const id = setTimeout(() => {
    signal?.removeEventListener("abort", stop);
    ok();
  }, ms);
  signal?.addEventListener("abort", stop, { once: true });
});

/**
 * A client of the edge worker's routes, for pages. It holds no key and no credential but the
 * user's bearer token, asked of `token` before every attempt.
 */
export class PointsWorkerClient {
  /**
   * `options`: `baseUrl` (the worker, `https://…` or a path), `token` (a string, or a function
   * returning one or a promise of one), and optionally `fetch`, `headers`, `timeoutMs` (30000),
   * `retry` (`{ maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5000 }`), `limits` (`{ typeCode: 20,
   * reason: 232 }`, each 1 to 4096: PAS publishes none; the worker keeps 23 of its 255 for the
   * reference of the write's key; match your worker's). Throws `PointsConfigError`.
   */
  constructor(options) {
    let o;
    try {
      o = fieldsOf(options, ["baseUrl", "token", "fetch", "headers", "timeoutMs", "retry", "limits"], "options");
    } catch (e) {
      throw config(`PointsWorkerClient takes an options object (${e.message})`);
    }
    if (typeof o.baseUrl !== "string" || o.baseUrl.length > 2048 || !(/^https?:\/\/[^/\s?#]+/i.test(o.baseUrl) || /^\/(?!\/)/.test(o.baseUrl)) || /[\s?#]/.test(o.baseUrl)) {
      throw config("`baseUrl` must be http(s)://host… or a path, with no query or fragment");
    }
    if (typeof o.token !== "string" && typeof o.token !== "function") throw config("`token` must be a string or a function");
    if (o.fetch !== undefined && typeof o.fetch !== "function") throw config("`fetch` must be a function");
    const headers = {};
    if (o.headers !== undefined && o.headers !== null) {
      if (typeof o.headers !== "object") throw config("`headers` must be an object");
      for (const [k, v] of Object.entries(o.headers)) {
        const problem = headerProblem(k, v);
        if (problem !== null) throw config(`\`headers\` ${problem}`);
        if (k.toLowerCase() === "authorization") throw config("`headers` may not set authorization: give `token`");
        if (k.toLowerCase() === "idempotency-key") throw config("`headers` may not set idempotency-key: the client sets it per write");
        headers[k] = v;
      }
    }
    // Nested bags read once, own properties only, as the options are (a getter may throw).
    const bag = (name, allowed) => {
      const v = o[name];
      if (v === undefined || v === null) return {};
      try {
        return fieldsOf(v, allowed, name);
      } catch {
        throw config(`\`${name}\` must be an object whose fields can be read`);
      }
    };
    const retry = bag("retry", ["maxAttempts", "baseDelayMs", "maxDelayMs", "writeAttempts"]);
    const limits = bag("limits", ["typeCode", "reason"]);
    this.#limits = { typeCode: whole(limits, "typeCode", 1, 4096, 20), reason: whole(limits, "reason", 1, 4096, 232) };
    this.#base = o.baseUrl.replace(/\/+$/, "");
    this.#token = o.token;
    this.#fetch = o.fetch ?? ((...a) => globalThis.fetch(...a));
    this.#headers = headers;
    this.#timeoutMs = whole(o, "timeoutMs", 1, 600000, 30000);
    this.#retry = {
      maxAttempts: whole(retry, "maxAttempts", 1, 10, 3),
      ...retryDelays(whole(retry, "baseDelayMs", 0, 60000, undefined), whole(retry, "maxDelayMs", 0, 300000, undefined)),
      writeAttempts: whole(retry, "writeAttempts", 1, 20, 8),
    };
    const policy = retryPolicyProblem(this.#retry);
    if (policy !== null) throw config(policy);
  }

  #base;
  #token;
  #fetch;
  #headers;
  #timeoutMs;
  #retry;
  #limits;

  /** Who the worker says the user is: `{ sub, role, customerId?, accounts }` (card numbers masked). */
  me(options) {
    return this.#run("GET", "/api/me", undefined, options);
  }

  /** Points details of `{ accountId }`, `{ customerId }`, or (a consumer) `{}` for their own customer. */
  getPointsDetails(target, options) {
    return this.#read("/api/points-details", target, options);
  }

  /** Points expirations; the same selectors as `getPointsDetails`. */
  getPointsExpirations(target, options) {
    return this.#read("/api/points-expirations", target, options);
  }

  /** Adjustment history; the same selectors as `getPointsDetails`. */
  getPointsAdjustments(target, options) {
    return this.#read("/api/points-adjustments", target, options);
  }

  /**
   * Moves `points` from one of the user's accounts to another, exactly once: see `#write`.
   * `options` may also hold `idempotencyKey` and `onChecking`.
   */
  transferPoints(input, options) {
    return this.#write(() => ["/api/transfers", this.#transfer(input)], options);
  }

  /**
   * Checks a transfer's input as `transferPoints` would, sending nothing: throws the same
   * `PointsValidationError` (naming the field), so a page can validate before it asks the user
   * to confirm.
   */
  checkTransfer(input) {
    this.#transfer(input);
  }

  #transfer(input) {
    const f = fieldsOf(input, ["fromAccountId", "toAccountId", "points"], "input");
    identifier(f.fromAccountId, "fromAccountId");
    identifier(f.toAccountId, "toAccountId");
    if (f.fromAccountId === f.toAccountId) throw invalid("toAccountId", "must differ from fromAccountId");
    points(f.points, "points");
    return f;
  }

  /** Agents: looks a user up (by card number, customer number or reference). Never retried. */
  searchUsers(input, options) {
    return this.#post(() => {
      const f = fieldsOf(input, ["userId", "userIdType"], "input");
      if (!USER_ID_TYPES.includes(f.userIdType)) throw invalid("userIdType", `must be one of ${USER_ID_TYPES.join(", ")}`);
      text(f.userId, "userId", 50);
      if (f.userIdType === "BAN" ? !/^\d{12,19}$/.test(f.userId) : !/^[A-Za-z0-9-]+$/.test(f.userId)) {
        throw invalid("userId", f.userIdType === "BAN" ? "must be 12 to 19 digits" : "must be letters, digits or -");
      }
      return ["/api/agent/search", f];
    }, options);
  }

  /** Agents: records an adjustment on an account (the worker sets `adjustedBy`), exactly once. */
  adjustPoints(input, options) {
    return this.#write(() => ["/api/agent/adjustments", this.#adjustment(input)], options);
  }

  /** Checks an adjustment's input as `adjustPoints` would, sending nothing (see `checkTransfer`). */
  checkAdjustment(input) {
    this.#adjustment(input);
  }

  #adjustment(input) {
    const f = fieldsOf(input, ["accountId", "points", "adjustmentTypeCode", "adjustmentReason"], "input");
    identifier(f.accountId, "accountId");
    points(f.points, "points");
    text(f.adjustmentTypeCode, "adjustmentTypeCode", this.#limits.typeCode);
    if (!/^[A-Za-z0-9_-]+$/.test(f.adjustmentTypeCode)) throw invalid("adjustmentTypeCode", "must be letters, digits, _ or -");
    text(f.adjustmentReason, "adjustmentReason", this.#limits.reason);
    return f;
  }

  /** Agents: the adjustments waiting for a second agent, `{ approvals: [...] }`. */
  listApprovals(options) {
    return this.#run("GET", "/api/agent/approvals", undefined, options);
  }

  /**
   * Agents: approves (the adjustment's answer) or rejects (`{ status: "REJECTED" }`) another
   * agent's request. Retried under one key, as writes are: approving twice sends once.
   */
  decideApproval(approvalId, input, options) {
    return this.#write(() => {
      if (typeof approvalId !== "string" || !UUID.test(approvalId)) throw invalid("approvalId", "must be an approval's id");
      const f = fieldsOf(input, ["decision"], "input");
      if (f.decision !== "approve" && f.decision !== "reject") throw invalid("decision", "must be approve or reject");
      return [`/api/agent/approvals/${approvalId}`, f];
    }, options);
  }

  #read(path, target, options) {
    let query;
    try {
      const f = fieldsOf(target ?? {}, ["accountId", "customerId"], "target");
      if (f.accountId !== undefined && f.customerId !== undefined) throw invalid("target", "takes accountId or customerId, not both");
      query = f.accountId !== undefined ? `?accountId=${identifier(f.accountId, "accountId")}`
        : f.customerId !== undefined ? `?customerId=${identifier(f.customerId, "customerId")}` : "";
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#run("GET", path + query, undefined, options);
  }

  /**
   * A write with an `Idempotency-Key` (the caller's `idempotencyKey`, or a fresh one for this
   * call): the worker applies it at most once, so it is retried with the same key until the
   * worker gives its answer, waiting as it asks (`onChecking` is called while it checks an
   * unknown outcome). The key is on every error thrown (`idempotencyKey`): repeat with it to
   * learn the outcome later.
   */
  #write(check, options) {
    let path;
    let body;
    let key;
    let onChecking;
    try {
      [path, body] = check();
      const o = options === undefined || options === null ? {} : fieldsOf(options, ["idempotencyKey", "onChecking"], "options");
      if (o.idempotencyKey !== undefined) checked(idempotencyKeyProblem(o.idempotencyKey), o.idempotencyKey, "idempotencyKey");
      if (o.onChecking !== undefined && typeof o.onChecking !== "function") throw invalid("onChecking", "must be a function");
      key = o.idempotencyKey ?? freshKey();
      onChecking = o.onChecking;
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#run("POST", path, JSON.stringify(body), options, { key, onChecking }).catch((e) => {
      try {
        if (e && typeof e === "object") Object.defineProperty(e, "idempotencyKey", { value: key, enumerable: true });
      } catch {
        // A frozen error keeps its own shape.
      }
      throw e;
    });
  }

  /** A POST without a key (the lookup): sent once, never retried. */
  #post(check, options) {
    let path;
    let body;
    try {
      [path, body] = check();
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#run("POST", path, JSON.stringify(body), options);
  }

  async #run(method, path, body, options, write) {
    const o = options === undefined || options === null ? {} : fieldsOf(options, ["signal", "headers"], "options");
    const signal = o.signal;
    if (signal !== undefined && !isAbortSignal(signal)) throw invalid("signal", "must be an AbortSignal");
    const extra = {};
    if (o.headers !== undefined && o.headers !== null) {
      if (typeof o.headers !== "object") throw invalid("headers", "must be an object");
      for (const [k, v] of Object.entries(o.headers)) {
        const problem = headerProblem(k, v);
        if (problem !== null) throw invalid("headers", problem);
        if (["authorization", "idempotency-key"].includes(k.toLowerCase())) throw invalid("headers", "must not set authorization or idempotency-key");
        extra[k] = v;
      }
    }
    if (write) extra["idempotency-key"] = write.key;
    // A write is retried only with its key: the worker then makes a repeat safe.
    const attempts = write ? this.#retry.writeAttempts : this.#retry.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      let failure;
      let after;
      try {
        return await this.#attempt(method, path, body, signal, extra);
      } catch (e) {
        failure = e;
        after = RETRY_AFTER.get(e);
      }
      // Reads by rules.js's decision; keyed writes also after a timeout and while the worker
      // holds the key (the worker applies a key at most once, so a repeat is safe).
      const answer = failure instanceof PointsApiError ? { kind: "answer", status: failure.status, errors: failure.errors } : null;
      const kind = failure instanceof PointsNetworkError ? "network" : failure instanceof PointsTimeoutError ? "timeout" : answer ? "answer" : null;
      const retryable = write
        ? kind === "network" || kind === "timeout" || (answer !== null && (readWorthRetrying(answer) || failure.reasonCode === "REQUEST_IN_PROGRESS"))
        : method === "GET" && readWorthRetrying(answer ?? { kind });
      // A final answer of the worker's is not asked again.
      const final = failure instanceof PointsApiError && FINAL_CODES.includes(failure.reasonCode);
      if (!retryable || final) throw failure;
      const wait = retryDelayMs({ ...this.#retry, maxAttempts: attempts }, attempt, after, Math.random());
      if (wait === null) throw failure;
      if (write && failure instanceof PointsApiError && failure.reasonCode === "OUTCOME_PENDING" && write.onChecking) {
        const notify = write.onChecking;
        try {
          // Called bare (no `this`); a promise it returns is not awaited, and its failure ignored.
          Promise.resolve(notify()).catch(() => {});
        } catch {
          // The page's callback does not decide the outcome.
        }
      }
      try {
        await sleep(wait, signal);
      } catch (cause) {
        throw new PointsAbortError("the call was aborted", { cause });
      }
    }
  }

  async #attempt(method, path, body, signal, extra) {
    if (signal?.aborted) throw new PointsAbortError("the call was aborted", { cause: signal.reason });
    let token;
    try {
      token = typeof this.#token === "function" ? await within(this.#token(), signal ?? AbortSignal.timeout(this.#timeoutMs)) : this.#token;
    } catch (cause) {
      throw new PointsConfigError("`token` could not give a token", { cause });
    }
    if (typeof token !== "string" || !/^[\x21-\x7e]{1,8192}$/.test(token)) throw new PointsConfigError("`token` did not give a token");
    const timer = AbortSignal.timeout(this.#timeoutMs);
    let both = timer;
    if (signal && typeof AbortSignal.any === "function") both = AbortSignal.any([signal, timer]);
    else if (signal) {
      // Runtimes without AbortSignal.any: linked by hand.
      const linked = new AbortController();
      for (const s of [signal, timer]) s.addEventListener("abort", () => linked.abort(s.reason), { once: true });
      both = linked.signal;
    }
    const headers = { accept: "application/json", ...this.#headers, ...extra, authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const failed = (cause, sent) => {
      if (signal?.aborted) return new PointsAbortError("the call was aborted", { cause });
      if (timer.aborted) return new PointsTimeoutError("the worker did not answer in time", { cause, mayHaveBeenSent: sent });
      return new PointsNetworkError("the worker could not be reached", { cause, mayHaveBeenSent: sent });
    };
    let response;
    try {
      response = await within(this.#fetch(`${this.#base}${path}`, { method, headers, body, signal: both }), both);
    } catch (cause) {
      throw failed(cause, true);
    }
    let status;
    let textBody;
    let retryAfter;
    try {
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      textBody = await within(response.text(), both);
    } catch (cause) {
      throw failed(cause, true);
    }
    if (!Number.isInteger(status) || typeof textBody !== "string") throw new PointsResponseError("fetch did not resolve to a Response", { status: 0 });
    if (textBody.length > MAX_BODY) throw new PointsResponseError("the worker's answer is too large", { status });
    if (status >= 200 && status < 300) {
      let value;
      try {
        value = JSON.parse(textBody);
      } catch {
        throw new PointsResponseError("the body is not JSON", { status });
      }
      if (!value || typeof value !== "object" || Array.isArray(value)) throw new PointsResponseError("the body is not a JSON object", { status });
      return value;
    }
    if (status < 400) throw new PointsResponseError("a status that is neither success nor error", { status });
    const errors = envelopeOf(textBody);
    const code = errors[0]?.reasonCode;
    const e = new PointsApiError(`HTTP ${status}${plainCode(code) ? `: ${code}` : ""}`, { status, errors });
    const after = retryAfterMs(retryAfter);
    if (after !== undefined) RETRY_AFTER.set(e, after);
    throw e;
  }
}
