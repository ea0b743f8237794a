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
import { json, envelope } from "./http.mjs";

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

/** Whether an upstream failure may have left the write applied. */
function ambiguous(e) {
  if (!e || typeof e !== "object") return false;
  if (e.code === "ERR_API") return e.status >= 500;
  if (e.code === "ERR_NETWORK" || e.code === "ERR_TIMEOUT") return e.mayHaveBeenSent !== false;
  // An answer came but could not be read: the service may well have applied it.
  return ["ERR_RESPONSE_INVALID", "ERR_JWE_INVALID", "ERR_JWE_UNSUPPORTED", "ERR_JWE_DECRYPTION_FAILED"].includes(e.code);
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
 * Runs one write exactly once. `w`: `fields` (what the body fingerprint covers), `send(ref)`
 * (the upstream call; `ref` null without a key or with resolution off) → the masked result,
 * and `find(ref)` → the result the history shows for `ref`, or null.
 */
export async function exactlyOnce(c, w) {
  const book = bookOf(c);
  const key = idempotencyKey(c.request);
  if (key === null) {
    const limited = await book("spend");
    if (limited) throw rateLimited(limited.retryAfter);
    return json(200, await w.send(null));
  }
  const hash = await sha256(JSON.stringify([c.routeKey, w.fields]));
  const resolving = c.settings.writes.resolveByReason;
  const ref = await reference(c.who.sub, key);
  const v = await book("begin", { key, hash, ref });
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
        // The history could not be read: still unknown, checked again on the next repeat.
        await book("unknown", { key });
        c.outcome = "OUTCOME_PENDING";
        return pending(Math.ceil(c.settings.writes.settleMs / 1000));
      }
      if (found) {
        c.outcome = "RESOLVED_APPLIED";
        return finish(book, key, 200, found);
      }
      if (await book("resend", { key })) return attempt(c, book, key, w, resolving ? v.ref : null);
      // Sent twice, found neither time after settling: it was not applied.
      c.outcome = "NOT_APPLIED";
      return finish(book, key, 502, envelope([{ Source: "worker", ReasonCode: "NOT_APPLIED", Description: "the write was not applied: send it again as a new request", Recoverable: false, Details: null }]));
    }
    default:
      return attempt(c, book, key, w, resolving ? ref : null);
  }
}

function pending(retryAfter) {
  return json(503, envelope([{ Source: "worker", ReasonCode: "OUTCOME_PENDING", Description: "the outcome is being checked: repeat with the same Idempotency-Key", Recoverable: true, Details: null }]), { "retry-after": String(retryAfter) });
}

async function finish(book, key, status, body) {
  await book("done", { key, status, body });
  return json(status, body);
}

/** One upstream attempt for a key that the book said to send. */
async function attempt(c, book, key, w, ref) {
  try {
    return await finish(book, key, 200, await w.send(ref));
  } catch (e) {
    if (e instanceof Refusal) {
      await book("forget", { key });
      throw e;
    }
    if (e && e.code === "ERR_API" && (e.status === 429 || e.status === 401)) {
      // Refused at the gateway (its rate limit, its signature check): surely not applied, and
      // no answer to keep for a day: a repeat sends anew.
      await book("forget", { key });
      throw e;
    }
    if (e && e.code === "ERR_API" && e.status < 500) {
      // A definite refusal by the service: stored, so a repeat gets the same answer.
      const out = c.upstreamFailure(e);
      await book("done", { key, status: out.status, body: out.body });
      throw e;
    }
    if (ambiguous(e)) {
      if (ref === null) {
        // Resolution is off: the outcome stays unknown for good, and is said so.
        const body = envelope([{ Source: "worker", ReasonCode: "OUTCOME_UNKNOWN", Description: "the write may or may not have been applied: check the history", Recoverable: false, Details: null }]);
        await book("done", { key, status: 502, body });
        c.outcome = "OUTCOME_UNKNOWN";
        return json(502, body);
      }
      await book("unknown", { key });
      c.outcome = "OUTCOME_PENDING";
      return pending(Math.ceil(c.settings.writes.settleMs / 1000));
    }
    // Surely not sent (or the worker's own failure before sending): a repeat sends anew.
    await book("forget", { key });
    throw e;
  }
}
