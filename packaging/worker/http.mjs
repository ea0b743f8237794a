// Responses of the worker: JSON, the Errors envelope for refusals (Source "worker"), CORS for
// the page's exact origins, `Vary: Origin` everywhere; and the one bounded read of a body.
import { Refusal } from "./auth.mjs";

/** CORS headers for `origin` when it is allowed; `Vary: Origin` always. */
export function corsFor(origin, origins) {
  const h = { vary: "Origin" };
  if (origin && origins.has(origin)) {
    h["access-control-allow-origin"] = origin;
    h["access-control-expose-headers"] = "retry-after, x-correlation-id, www-authenticate, idempotent-replayed";
  }
  return h;
}

/** A JSON response. */
export function json(status, value, headers = {}) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/** Mastercard's Errors envelope. */
export function envelope(errors) {
  return { Errors: { Error: errors } };
}

/** A refusal of the worker's own, as the Errors envelope. */
export function refusal(r, headers = {}) {
  // RFC 6750: an error code only when a token was given and refused.
  const extra = r.status === 401 ? { "www-authenticate": r.tokenGiven ? 'Bearer realm="points", error="invalid_token"' : 'Bearer realm="points"' } : {};
  return json(r.status, envelope([{ Source: "worker", ReasonCode: r.reasonCode, Description: r.message, Recoverable: r.status === 429, Details: r.details }]), { ...headers, ...extra });
}

/** The body as JSON: at most `max` bytes, an object, read once. Throws Refusal. */
export async function readJson(request, max) {
  const type = (request.headers.get("content-type") || "").toLowerCase();
  if (!type.startsWith("application/json")) throw new Refusal(400, "INVALID_REQUEST", "the body must be application/json", "content-type");
  const declared = request.headers.get("content-length");
  if (declared !== null && !(Number(declared) <= max)) throw new Refusal(413, "BODY_TOO_LARGE", `the body is larger than ${max} bytes`);
  const chunks = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw new Refusal(413, "BODY_TOO_LARGE", `the body is larger than ${max} bytes`);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  let value;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new Refusal(400, "INVALID_REQUEST", "the body is not JSON", "body");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Refusal(400, "INVALID_REQUEST", "the body must be a JSON object", "body");
  return value;
}
