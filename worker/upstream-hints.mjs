// The worker's fetch for PointsClient, keyed by the request's correlation id (a UUID the worker
// sends on every upstream call): it holds a request's upstream calls until its budget is spent
// (so the client can build and sign meanwhile, and nothing leaves unless the budget allows),
// and reads what Mastercard asked of the last call before the client turns it into an error:
// its Retry-After on 429 and 503, so that the page hears it too (at most MAX, each read once).

const MAX = 1000;
const hints = new Map();

// Requests whose upstream calls wait for a promise first (their budget, being spent while the
// client builds and signs): correlation id → promise. A rejected one stops the call.
const holds = new Map();

/**
 * Until `promise` settles, no upstream call of the request `correlationId` leaves; if it
 * rejects, none ever does. `release` when the request is done.
 */
export function holdUpstream(correlationId, promise) {
  holds.set(correlationId, promise);
  promise.catch(() => {
    // Refused: no call of the request may leave, even a client's retry after `release`.
    const now = Date.now();
    refused.set(correlationId, now + REFUSED_MS);
    for (const [id, until] of refused) {
      if (until > now) break;
      refused.delete(id);
    }
  });
}

// Requests whose hold was refused, until when (longer than any client's retries last).
const refused = new Map();
const REFUSED_MS = 120_000;

/** Forgets the request's hold. */
export function release(correlationId) {
  holds.delete(correlationId);
}

/** `fetch` for PointsClient: the runtime's, after the request's hold, noting the Retry-After of a 429 or 503. */
export async function observingFetch(input, init) {
  const id = init && init.headers && typeof init.headers.get === "function" ? init.headers.get("x-correlation-id") : null;
  if (id && refused.has(id)) throw new Error("this request may not call upstream");
  const hold = id ? holds.get(id) : undefined;
  if (hold) await hold;
  const response = await fetch(input, init);
  if (response.status === 429 || response.status === 503) {
    const after = response.headers.get("retry-after");
    if (after && id) {
      hints.delete(id);
      hints.set(id, after);
      while (hints.size > MAX) hints.delete(hints.keys().next().value);
    }
  }
  return response;
}

/** The Retry-After Mastercard gave for `correlationId`'s last 429 or 503 (whole seconds), once; else undefined. */
export function retryAfterFor(correlationId) {
  const v = hints.get(correlationId);
  hints.delete(correlationId);
  return typeof v === "string" && /^\d{1,6}$/.test(v.trim()) ? v.trim() : undefined;
}
