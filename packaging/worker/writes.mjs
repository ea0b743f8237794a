// Exactly-once writes (transfers, adjustments): the page sends `Idempotency-Key` with each
// user intent and reuses it on retry (a request without one gets a key of its own, so every
// write goes through the book); the user's Durable Object (user-writes.mjs, key-book.mjs)
// records what became of each key. A repeat of a done key gets the stored answer without any
// upstream call; one while in flight is 409 REQUEST_IN_PROGRESS; the same key with another
// body is 422 IDEMPOTENCY_KEY_REUSED.
//
// PAS takes no idempotency key, so a write whose body may have reached it is never sent again:
// when the upstream call ends without an answer, the worker looks for the key's reference
// (written into the reason PAS keeps) in the account's history, on every repeat of the key
// and from the object's alarm, for RECONCILE_FOR_S. Until it shows, a repeat is 503
// OUTCOME_PENDING with Retry-After. Only a write that surely never left may be sent again.
import { idempotencyKeyProblem } from "../web/rules.js";
import { Refusal } from "./auth.mjs";
import { envelope, json } from "./http.mjs";
import { leaseSize, Leases } from "./leases.mjs";

/** The request's Idempotency-Key, or null; a malformed one is refused (rules.js). */
export function idempotencyKey(request) {
  const k = request.headers.get("idempotency-key");
  if (k === null) return null;
  if (idempotencyKeyProblem(k) !== null) throw new Refusal(400, "INVALID_REQUEST", "Idempotency-Key must be 8 to 128 letters, digits, _ . : or -", "idempotency-key");
  return k;
}

const digest = async (text) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
const sha256 = async (text) => [...(await digest(text))].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * The reference written into the reason: the first 8 bytes of SHA-256(sub, key), not the key, as
 * 16 letters `a`–`p` (a letter per half byte). Letters only: hex digits could make a run of 12
 * or more digits, which the masking of card numbers in free text would mask in the worker's
 * answers (about 1 reference in 100).
 */
export async function reference(sub, key) {
  return [...(await digest(`${sub}\n${key}`)).slice(0, 8)].map((b) => String.fromCharCode(97 + (b >> 4), 97 + (b & 15))).join("");
}

/** How a reference appears in a reason. */
export const tag = (ref) => `[ref:${ref}]`;

/** Characters `tag` adds to a reason (with its space). */
export const TAG_LENGTH = 1 + tag("a".repeat(16)).length;

/**
 * The history entry of `account` whose reason ends with the reference, or null. Throws when
 * the history cannot be read.
 */
export async function inHistory(client, account, ref, headers) {
  const h = await client.getPointsAdjustments({ userId: account, userIdType: "RANAC" }, { headers });
  const entries = h && Array.isArray(h.adjustments) ? h.adjustments : [];
  return entries.find((e) => e && typeof e.adjustmentReason === "string" && e.adjustmentReason.endsWith(tag(ref))) ?? null;
}

/** The answer for a write the history shows: what the send would have said, and that it came from there. */
export const fromHistory = (watch, entry) => ({ ...watch.result, resolvedFromHistory: true, adjustmentDate: entry.adjustmentDate ?? null });

/** Errors that prove the write never left for PAS (a repeat may send anew). */
function unsent(e) {
  if (!e || typeof e !== "object") return false;
  if (e.code === "ERR_NETWORK" || e.code === "ERR_TIMEOUT") return e.mayHaveBeenSent === false;
  // The client refused before sending: the input, its configuration, a key.
  return ["ERR_VALIDATION", "ERR_CONFIG", "ERR_KEY_INVALID"].includes(e.code);
}

/** Refused by the gateway, before PAS: its rate limit or the worker's own credentials. */
export const gatewayRefused = (e) => Boolean(e && e.code === "ERR_API" && [401, 403, 429].includes(e.status));

/** The user's book in their Durable Object: `(op, args) => result`. */
export function bookOf(c, sub = c.who.sub) {
  const stub = stubOf(c.env.WRITES, sub);
  const s = c.settings;
  const options = { leaseMs: s.timeoutMs + 10_000, settleMs: s.writes.settleMs, reconcileMs: s.reconcileMs, rates: s.rates };
  return (op, args = {}) => stub.run(op, args, options);
}

// Object ids kept per isolate: naming an object hashes its name; an id is a plain value (a stub,
// bound to its request, is made anew each time).
const IDS = new Map();
const MAX_IDS = 1000;

/** The user's object in `ns`, for this request. */
function stubOf(ns, sub) {
  let held = IDS.get(sub);
  if (!held || held.ns !== ns) {
    held = { ns, id: ns.idFromName(sub) };
    IDS.set(sub, held);
    while (IDS.size > MAX_IDS) IDS.delete(IDS.keys().next().value);
  }
  return ns.get(held.id);
}

const WHAT = { read: "reads", search: "searches", write: "writes" };

/** 429 RATE_LIMITED with Retry-After. */
export const rateLimited = (retryAfter, bucket = "write") => {
  const r = new Refusal(429, "RATE_LIMITED", `too many ${WHAT[bucket]}: try again later`);
  r.headers = { "retry-after": String(retryAfter) };
  return r;
};

/**
 * Before any other work on a request (its body, lookups, anything upstream): one unit of the
 * user's `bucket` spent ("read", "search" or "write"; a repeat of a known write key is free).
 * Returns what `exactlyOnce` needs for a write.
 */
export async function admit(c, bucket = "write") {
  const key = bucket === "write" ? idempotencyKey(c.request) : null;
  const book = bookOf(c);
  const admitted = bucket === "write" ? await book("admit", { bucket, key }) : await spendUnit(c, book, bucket);
  if (admitted && admitted.retryAfter !== undefined) throw rateLimited(admitted.retryAfter, bucket);
  // The worker's own keys hold a `/`, which a caller's cannot: no caller can take one over.
  // `known`: the key was in the book at admission; only then can the request be a repeat.
  return { book, key: key ?? `auto/${crypto.randomUUID()}`, sub: c.who.sub, known: Boolean(admitted && admitted.known === true) };
}

// Read and search units leased to this isolate (leases.mjs), per object namespace.
const LEASES = new WeakMap();

/** One unit of a read or search bucket: leased when its limit allows a lease of more than one. */
function spendUnit(c, book, bucket) {
  const lease = leaseSize(c.settings.rates[bucket].limit);
  if (lease === 1) return book("admit", { bucket });
  if (!LEASES.has(c.env.WRITES)) LEASES.set(c.env.WRITES, new Leases());
  return LEASES.get(c.env.WRITES).spend(`${c.who.sub}\n${bucket}`, (unused) => book("admit", { bucket, lease, unused }));
}

/** What `exactlyOnce` answers when the agent's day on the account needs a second agent. */
export const NEEDS_APPROVAL = Symbol("needs approval");

/** The fingerprint of a write: its route and the fields its body names. */
export const fingerprint = (routeKey, fields) => sha256(JSON.stringify([routeKey, fields]));

/**
 * A repeat of a known key, answered before the route's lookups (nothing of them is needed: the
 * key's record holds what a repeat can be told, and the account whose history may be read).
 * Returns the response, or null when the key is new. `fields`: as `exactlyOnce`'s.
 */
export async function repeated(c, { book, key, known }, fields) {
  // A key the book did not hold at admission is new (one made meanwhile by a concurrent
  // request is met by `begin`: in progress, done or reused).
  if (known === false) return null;
  const v = await book("begin", { key, hash: await fingerprint(c.routeKey, fields), peek: true });
  if (v.verdict === "new") return null;
  if (v.watch && v.watch.audit) c.target = v.watch.audit.target;
  c.write = true;
  return answer(c, book, key, v, null);
}

/**
 * `check()` (the body's own checks) for a write admitted under `gate`; a refusal of a request
 * whose key was known (admitted free, as a repeat would be) spends its write unit then.
 */
export async function checkedUnder(gate, check) {
  try {
    return await check();
  } catch (e) {
    if (gate.known) await gate.book("charge", {});
    throw e;
  }
}

/**
 * Runs one write exactly once. `gate`: from `admit` (`book` and `sub`: whose write it is). `w`:
 * `fields` (what the body fingerprint covers), `send(ref)` (the upstream call; `ref` null with
 * resolution off) → the masked result, `watch` (`{ account, result, audit }`: see
 * key-book.mjs) and optionally `spend` (`{ points, max, account, threshold }`: an agent's
 * daily ceiling, and the account's, above which it returns NEEDS_APPROVAL and sends nothing).
 */
export async function exactlyOnce(c, { book, key, sub }, w) {
  const [hash, ref] = await Promise.all([fingerprint(c.routeKey, w.fields), c.settings.writes.resolveByReason ? reference(sub, key) : null]);
  const v = await book("begin", { key, hash, ref, watch: w.watch, spend: w.spend ?? null });
  return answer(c, book, key, v, v.verdict === "send" ? { w, ref } : null);
}

/** The response for the book's verdict `v` on `key`; `sending`: `{ w, ref }` for a `send`. */
function answer(c, book, key, v, sending) {
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
    case "limit":
      throw new Refusal(422, "LIMIT_EXCEEDED", "this adjustment would take the agent past the daily ceiling", "points");
    case "needs_approval":
      // The route asks a second agent instead (nothing was recorded under the key).
      return NEEDS_APPROVAL;
    case "checking":
      c.outcome = "OUTCOME_PENDING";
      return pending(v.retryAfter);
    case "resolve":
      return resolve(c, book, key, v);
    case "send":
      return attempt(c, book, key, v.attempt, sending.w, sending.ref);
    default:
      throw new Error(`user-writes: no answer for ${v.verdict}`);
  }
}

/** A repeat's look at the history of the key's account (the book made this request its resolver). */
async function resolve(c, book, key, v) {
  let entry;
  let readable = true;
  try {
    entry = await inHistory(c.client, v.watch.account, v.ref, c.headers);
  } catch {
    readable = false;
  }
  if (entry) {
    const out = await book("found", { key, body: fromHistory(v.watch, entry) });
    c.outcome = out ? out.outcome : "REPLAYED";
    return out ? json(out.status, out.body) : replay(c, book, key);
  }
  const out = await book("missing", { key, attempt: v.attempt, readable });
  if (out && out.outcome === "NOT_APPLIED") {
    c.outcome = "NOT_APPLIED";
    return json(out.status, out.body);
  }
  c.outcome = "OUTCOME_PENDING";
  return pending(out ? out.retryAfter : settleSeconds(c));
}

/** Whatever the book now says of the key (another resolver settled it meanwhile). */
async function replay(c, book, key) {
  const v = await book("peek", { key });
  return v && v.verdict === "done" ? json(v.status, v.body) : pending(settleSeconds(c));
}

/** The settling delay as a Retry-After: whole seconds, at least one. */
const settleSeconds = (c) => Math.max(1, Math.ceil(c.settings.writes.settleMs / 1000));

function pending(retryAfter) {
  return json(503, envelope([{ Source: "worker", ReasonCode: "OUTCOME_PENDING", Description: "the outcome is being checked: repeat with the same Idempotency-Key", Recoverable: true, Details: null }]), { "retry-after": String(retryAfter) });
}

/**
 * The one upstream send for a key the book gave to `holder`. Only the send is guarded: a
 * failure of the book itself leaves the key in flight, which its lease turns into pending
 * (never forgotten, never sent again on a guess).
 */
async function attempt(c, book, key, holder, w, ref) {
  let result;
  try {
    result = await w.send(ref);
  } catch (e) {
    if (gatewayRefused(e) || unsent(e)) {
      // Refused at the gateway (its rate limit, the worker's credentials) or never sent: not applied.
      await book("forget", { key, attempt: holder });
      throw e;
    }
    if (e && e.code === "ERR_API" && e.status < 500) {
      // A definite refusal by the service: stored, so a repeat gets the same answer.
      const out = c.upstreamFailure(e);
      await book("done", { key, status: out.status, body: out.body });
      throw e;
    }
    // Anything else may have been applied: a 5xx, a lost answer, one that cannot be read.
    await book("unknown", { key, attempt: holder });
    if (ref === null) {
      // Resolution is off: nothing can tell the outcome, and it is said so, for good.
      c.outcome = "OUTCOME_UNKNOWN";
      return json(502, envelope([{ Source: "worker", ReasonCode: "OUTCOME_UNKNOWN", Description: "the write may or may not have been applied: check the history", Recoverable: false, Details: null }]));
    }
    c.outcome = "OUTCOME_PENDING";
    return pending(settleSeconds(c));
  }
  // Recorded after the answer leaves (its loss is safe: the key's lease turns it pending and
  // the history tells the truth); a repeat meanwhile hears 409 and comes back.
  c.after(book("done", { key, status: 200, body: result }));
  return json(200, result);
}
