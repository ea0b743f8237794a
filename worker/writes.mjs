// Exactly-once writes (transfers, adjustments): the page sends `Idempotency-Key` with each
// user intent and reuses it on retry; the user's Durable Object (user-writes.mjs) records what
// became of each key. A repeat of a done key gets the stored answer without any upstream call;
// one while in flight is 409 REQUEST_IN_PROGRESS; the same key with another body is 422
// IDEMPOTENCY_KEY_REUSED. When the upstream call ends without an answer (it may have been
// applied), the outcome is resolved, not guessed: the worker wrote a reference of the key into
// the reason PAS keeps, and after a settling delay reads the account's history for it: found,
// the write is done; not found, it is sent once more. Until then a repeat is 503
// OUTCOME_PENDING with Retry-After (the page shows "checking…").
import { Refusal } from "./auth.mjs";
import { envelope, json } from "./http.mjs";

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** The request's Idempotency-Key, or null; a malformed one is refused. */
export function idempotencyKey(request) {
  const k = request.headers.get("idempotency-key");
  if (k === null) return null;
  if (!KEY.test(k)) throw new Refusal(400, "INVALID_REQUEST", "Idempotency-Key must be 8 to 128 letters, digits, _ . : or -", "idempotency-key");
  return k;
}

const hex = (bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (text) => hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));

/** The reference written into the reason: 16 hex digits of SHA-256(sub, key), not the key. */
export const reference = async (sub, key) => (await sha256(`${sub}\n${key}`)).slice(0, 16);

/** How a reference appears in a reason. */
export const tag = (ref) => `[ref:${ref}]`;

/** Characters `tag` adds to a reason (with its space). */
export const TAG_LENGTH = 1 + tag("0".repeat(16)).length;

/** Errors that prove the write never left for PAS (a repeat may send anew). */
function unsent(e) {
  if (!e || typeof e !== "object") return false;
  if (e.code === "ERR_NETWORK" || e.code === "ERR_TIMEOUT") return e.mayHaveBeenSent === false;
  // The client refused before sending: the input, its configuration, a key.
  return ["ERR_VALIDATION", "ERR_CONFIG", "ERR_KEY_INVALID"].includes(e.code);
}

/** The user's key book in their Durable Object. */
function bookOf(c) {
  const ns = c.env.WRITES;
  const stub = ns.get(ns.idFromName(c.who.sub));
  const s = c.settings.writes;
  const options = { leaseMs: c.settings.timeoutMs + 10_000, settleMs: s.settleMs, rateLimit: s.rateLimit, rateWindowMs: s.rateWindowS * 1000 };
  return async (op, args = {}) => {
    const res = await stub.fetch("https://user-writes/op", { method: "POST", body: JSON.stringify({ op, args, options }) });
    if (!res.ok) throw new Error(`user-writes: ${op} failed`);
    return res.json();
  };
}

const rateLimited = (retryAfter) => {
  const r = new Refusal(429, "RATE_LIMITED", "too many writes: try again later");
  r.headers = { "retry-after": String(retryAfter) };
  return r;
};

/**
 * Before any work on a write (the body, the lookups): the key checked, the rate limit
 * applied (a repeat of a known key is never limited). Returns what `exactlyOnce` needs.
 */
export async function admit(c) {
  const key = idempotencyKey(c.request);
  const book = bookOf(c);
  const limited = await book("admit", { key });
  if (limited) throw rateLimited(limited.retryAfter);
  return { book, key };
}

/**
 * Runs one write exactly once. `gate`: from `admit`. `w`: `fields` (what the body fingerprint
 * covers), `send(ref)` (the upstream call; `ref` null without a key or with resolution off) →
 * the masked result, and `find(ref)` → the result the history shows for `ref`, or null.
 */
export async function exactlyOnce(c, { book, key }, w) {
  if (key === null) return json(200, await w.send(null));
  const hash = await sha256(JSON.stringify([c.routeKey, w.fields]));
  const resolving = c.settings.writes.resolveByReason;
  const ref = await reference(c.who.sub, key);
  const v = await book("begin", { key, hash, ref });
  const settle = settleSeconds(c);
  switch (v.verdict) {
    case "done":
      c.outcome = "REPLAYED";
      return json(v.status, v.body, { "idempotent-replayed": "true" });
    case "reused":
      throw new Refusal(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another request");
    case "in_progress": {
      const r = new Refusal(409, "REQUEST_IN_PROGRESS", "a request with this Idempotency-Key is in progress");
      r.headers = { "retry-after": "1" };
      throw r;
    }
    case "rate_limited":
      throw rateLimited(v.retryAfter);
    case "checking":
      c.outcome = "OUTCOME_PENDING";
      return pending(v.retryAfter);
    case "resolve": {
      let found;
      try {
        found = await w.find(v.ref);
      } catch {
        // The history could not be read: still unknown, checked again on a later repeat.
        await book("unknown", { key, attempt: v.attempt });
        c.outcome = "OUTCOME_PENDING";
        return pending(settle);
      }
      if (found) {
        c.outcome = "RESOLVED_APPLIED";
        return finish(book, key, 200, found);
      }
      if (!v.resent) {
        if (await book("resend", { key, attempt: v.attempt })) return attempt(c, book, key, v.attempt, w, resolving ? v.ref : null);
        // Another request took the key over: its answer will be the one.
        c.outcome = "OUTCOME_PENDING";
        return pending(settle);
      }
      // Sent twice, found neither time after settling: taken as not applied.
      c.outcome = "NOT_APPLIED";
      return finish(book, key, 502, envelope([{ Source: "worker", ReasonCode: "NOT_APPLIED", Description: "not found in the history after two sends and settling: taken as not applied; send it again as a new request", Recoverable: false, Details: null }]));
    }
    default:
      return attempt(c, book, key, v.attempt, w, resolving ? ref : null);
  }
}

/** The settling delay as a Retry-After: whole seconds, at least one. */
const settleSeconds = (c) => Math.max(1, Math.ceil(c.settings.writes.settleMs / 1000));

function pending(retryAfter) {
  return json(503, envelope([{ Source: "worker", ReasonCode: "OUTCOME_PENDING", Description: "the outcome is being checked: repeat with the same Idempotency-Key", Recoverable: true, Details: null }]), { "retry-after": String(retryAfter) });
}

async function finish(book, key, status, body) {
  await book("done", { key, status, body });
  return json(status, body);
}

/**
 * One upstream send for a key the book gave to `holder`. Only the send is guarded: a failure
 * of the book itself leaves the key in flight, which its lease turns into unknown (never
 * forgotten, never a second send on a guess).
 */
async function attempt(c, book, key, holder, w, ref) {
  let result;
  try {
    result = await w.send(ref);
  } catch (e) {
    if (e && e.code === "ERR_API" && (e.status === 429 || e.status === 401)) {
      // Refused at the gateway (its rate limit, its signature check): not applied.
      await book("forget", { key, attempt: holder });
      throw e;
    }
    if (e && e.code === "ERR_API" && e.status < 500) {
      // A definite refusal by the service: stored, so a repeat gets the same answer.
      const out = c.upstreamFailure(e);
      await book("done", { key, status: out.status, body: out.body });
      throw e;
    }
    if (unsent(e)) {
      await book("forget", { key, attempt: holder });
      throw e;
    }
    // Anything else may have been applied: a 5xx, a lost answer, one that cannot be read.
    if (ref === null) {
      // Resolution is off: the outcome stays unknown for good, and is said so.
      const body = envelope([{ Source: "worker", ReasonCode: "OUTCOME_UNKNOWN", Description: "the write may or may not have been applied: check the history", Recoverable: false, Details: null }]);
      await book("done", { key, status: 502, body });
      c.outcome = "OUTCOME_UNKNOWN";
      return json(502, body);
    }
    await book("unknown", { key, attempt: holder });
    c.outcome = "OUTCOME_PENDING";
    return pending(settleSeconds(c));
  }
  return finish(book, key, 200, result);
}
