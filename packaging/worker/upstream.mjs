// What an upstream failure becomes for the page. The service's own refusals pass through as
// its Errors envelope (card numbers masked) with its Retry-After on 429 and 503; the gateway's
// refusal of the worker's own credentials is the worker's UPSTREAM_AUTH_FAILED (its text,
// which carries the signature base string, goes to the server log only, without the consumer
// key); anything else is a generic envelope of the worker's.
import { envelope } from "./http.mjs";
import { maskCardNumbers } from "./card-numbers.mjs";
import { masked } from "./mask.mjs";
import { retryAfterFor } from "./upstream-hints.mjs";

const mine = (status, code, description, recoverable, details = null) => ({
  status,
  body: envelope([{ Source: "worker", ReasonCode: code, Description: description, Recoverable: recoverable, Details: details }]),
  headers: {},
});

/** The server log's line for a gateway refusal: its code and text, the consumer key cut out. */
function logAuthFailure(e, consumerKey) {
  const first = Array.isArray(e.errors) && e.errors[0] ? e.errors[0] : {};
  let text = `${typeof first.reasonCode === "string" ? first.reasonCode : ""} ${typeof first.description === "string" ? first.description : ""}`.slice(0, 2000);
  if (consumerKey) text = text.split(consumerKey).join("[consumer key]");
  console.error(`worker: Mastercard refused the worker's credentials: HTTP ${e.status} ${maskCardNumbers(text)}`);
}

/**
 * `{ status, body, headers }` for `e`; `known`: card numbers to mask; `consumerKey`: kept out
 * of logs; `token`: the request's (upstream-hints.mjs), to find the upstream's Retry-After.
 */
export function upstreamFailure(e, known, consumerKey, token) {
  if (e && e.code === "ERR_API" && (e.status === 401 || e.status === 403)) {
    logAuthFailure(e, consumerKey);
    return mine(502, "UPSTREAM_AUTH_FAILED", "the worker could not authenticate to Mastercard", false);
  }
  if (e && e.code === "ERR_API" && Number.isInteger(e.status)) {
    const errors = (Array.isArray(e.errors) ? e.errors : []).map((x) => ({
      Source: x.source ?? null, ReasonCode: x.reasonCode ?? null, Description: x.description ?? null, Recoverable: x.recoverable ?? null, Details: x.details ?? null,
    }));
    const after = e.status === 429 || e.status === 503 ? retryAfterFor(token) : undefined;
    return { status: e.status, body: masked(envelope(errors), known), headers: after ? { "retry-after": after } : {} };
  }
  const sent = e && typeof e.mayHaveBeenSent === "boolean" ? `mayHaveBeenSent=${e.mayHaveBeenSent}` : null;
  switch (e && e.code) {
    case "ERR_TIMEOUT": return mine(504, "UPSTREAM_TIMEOUT", "Mastercard did not answer in time", true, sent);
    case "ERR_NETWORK": return mine(502, "UPSTREAM_UNREACHABLE", "Mastercard could not be reached", true, sent);
    case "ERR_RESPONSE_INVALID":
    case "ERR_JWE_INVALID":
    case "ERR_JWE_UNSUPPORTED":
    case "ERR_JWE_DECRYPTION_FAILED": return mine(502, "UPSTREAM_INVALID", "Mastercard's answer could not be read", false, sent);
    case "ERR_VALIDATION": return { status: 400, body: envelope([{ Source: "worker", ReasonCode: "INVALID_REQUEST", Description: e.message, Recoverable: false, Details: e.field ?? null }]), headers: {} };
    default: return mine(500, "WORKER_ERROR", "the request could not be completed", false, sent);
  }
}
