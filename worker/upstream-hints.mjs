// What Mastercard asked of the worker's last call for a request, read off the response before
// the client turns it into an error: its Retry-After on 429 and 503, so that the page hears it
// too. Keyed by the request's correlation id (a UUID the worker sends on every upstream call),
// at most MAX entries, each read once.

const MAX = 1000;
const hints = new Map();

/** `fetch` for PointsClient: the runtime's, noting the Retry-After of a 429 or 503. */
export async function observingFetch(input, init) {
  const response = await fetch(input, init);
  if (response.status === 429 || response.status === 503) {
    const after = response.headers.get("retry-after");
    const id = init && init.headers && typeof init.headers.get === "function" ? init.headers.get("x-correlation-id") : null;
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
