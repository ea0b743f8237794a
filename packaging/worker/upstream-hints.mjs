// The worker's fetch for PointsClient. Each request of the worker carries a token of its own
// (REQUEST_HEADER, made by the worker, never the caller's, taken off before the call leaves):
// by it, the fetch holds the request's upstream calls until its budget is spent (so the client
// can build and sign meanwhile, and nothing leaves unless the budget allows), and notes what
// Mastercard asked of the request's last call before the client turns it into an error: its
// Retry-After on 429 and 503, so that the page hears it too.
import { retryAfterMs } from "../web/rules.js";

/** The header naming the worker's request on its upstream calls (never sent upstream). */
export const REQUEST_HEADER = "x-points-worker-request";

const MAX = 1000;
const hints = new Map();

// Requests whose upstream calls wait for a promise first: token → promise.
const holds = new Map();
// Requests whose hold was refused, until when (longer than any client's retries last).
const refused = new Map();
const REFUSED_MS = 120_000;
const MAX_REFUSED = 10_000;

/**
 * Until `promise` settles, no upstream call of the request `token` leaves; if it rejects, none
 * ever does, a client's retry after `release` included. `release` when the request is done.
 */
export function holdUpstream(token, promise) {
  holds.set(token, promise);
  promise.catch(() => {
    const now = Date.now();
    refused.set(token, now + REFUSED_MS);
    for (const [id, until] of refused) {
      if (until > now && refused.size <= MAX_REFUSED) break;
      refused.delete(id);
    }
  });
}

/** Forgets the request's hold (a refusal stays barred). */
export function release(token) {
  holds.delete(token);
}

const barred = () => new Error("this request may not call upstream");

/**
 * `fetch` for PointsClient: the runtime's, after the request's hold, without the request's
 * token, noting the Retry-After of a 429 or 503. A barred request throws at once (nothing left).
 */
export function observingFetch(input, init) {
  const headers = init && init.headers && typeof init.headers.get === "function" ? init.headers : null;
  const token = headers ? headers.get(REQUEST_HEADER) ?? seen.get(headers) : undefined;
  if (token && refused.has(token)) throw barred();
  if (!token) return fetch(input, init);
  // Taken off the client's headers (its later attempts reuse them), remembered by them.
  headers.delete(REQUEST_HEADER);
  seen.set(headers, token);
  return send(input, init, token);
}

// The client's header objects whose token was taken off: its retries are still the request's.
const seen = new WeakMap();

async function send(input, init, token) {
  const hold = holds.get(token);
  if (hold) {
    await hold;
    if (refused.has(token)) throw barred();
  }
  const response = await fetch(input, init);
  if (response.status === 429 || response.status === 503) {
    const after = response.headers.get("retry-after");
    if (after) {
      hints.delete(token);
      hints.set(token, after);
      while (hints.size > MAX) hints.delete(hints.keys().next().value);
    }
  }
  return response;
}

/**
 * The Retry-After Mastercard gave for the request `token`'s last 429 or 503, once, as whole
 * seconds (an HTTP-date too, read by rules.js); else undefined.
 */
export function retryAfterFor(token) {
  const v = hints.get(token);
  hints.delete(token);
  const ms = retryAfterMs(v);
  return ms === undefined ? undefined : String(Math.ceil(ms / 1000));
}
