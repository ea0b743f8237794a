// The rules the page's client (worker-client.js) and the edge worker (points-activity/worker) apply, in one
// place, the same as the crate's (src/validate.rs, src/http/): identifiers, points, text and
// its limits, idempotency keys, header names and values, Retry-After, the Errors envelope, the
// retry decision and what of a reason code a message may show. Pure: each check returns null
// or why the value is refused, and each caller raises its own error with its field's name.
// tests/fixtures/rules.json pins every rule against this module and the crate alike.

/** The largest whole number a JS number holds exactly (2^53 − 1). */
export const MAX_POINTS = Number.MAX_SAFE_INTEGER;
/** Longest header name, in characters (the crate's limit too). */
export const MAX_HEADER_NAME = 64;
/** Longest header value, in bytes of UTF-8 (the crate's limit too). */
export const MAX_HEADER_VALUE = 8192;
/** Statuses worth another try of a read whatever the body says. */
export const RETRY_STATUS = Object.freeze([429, 502, 503, 504]);

const ID = /^[A-Za-z0-9-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Rust's `char::is_control`: the Cc category, C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A surrogate not part of a pair (in `u` mode only lone ones match), and U+FFFD, the mark of
// text already damaged: the crate's strings cannot hold the first and would turn it into the second.
const DAMAGED = /\p{Surrogate}|\uFFFD/u;

/** An identifier (RANAC, RANCU, an account or customer reference): 1 to 64 letters, digits or `-`. */
export const identifierProblem = (v) => (typeof v === "string" && ID.test(v) ? null : "must be 1 to 64 letters, digits or -");

/** Points to move or adjust: a whole number from 1 to 2^53 − 1, given as a number. */
export const pointsProblem = (v) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 1 ? null : `must be a whole number from 1 to ${MAX_POINTS}`);

/** How many characters `s` holds, as the crate counts them: code points, not UTF-16 units. */
export function codePoints(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Text of 1 to `max` characters (code points), without control characters, lone surrogates or U+FFFD. */
export function textProblem(v, max) {
  if (typeof v !== "string") return "must be a string";
  if (v.length === 0) return "must not be empty";
  // A UTF-16 length within `max` is within it in code points too; only longer ones are counted.
  if (v.length > max && (v.length > 2 * max || codePoints(v) > max)) return `must be at most ${max} characters`;
  if (CONTROL.test(v)) return "must not contain control characters";
  if (DAMAGED.test(v)) return "must not contain unpaired surrogates or U+FFFD";
  return null;
}

/** An Idempotency-Key: 8 to 128 of `A-Z a-z 0-9 _ . : -`. */
export const idempotencyKeyProblem = (v) => (typeof v === "string" && IDEMPOTENCY_KEY.test(v) ? null : "must be 8 to 128 letters, digits, _ . : or -");

const utf8Length = (s) => new TextEncoder().encode(s).length;

/** A caller's header: an HTTP token of 1 to 64 characters for the name; a string value without CR, LF or NUL, at most 8192 bytes. */
export function headerProblem(name, value) {
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_HEADER_NAME || !TOKEN.test(name)) return "has a header name that is not an HTTP token of 1 to 64 characters";
  if (typeof value !== "string") return "must map header names to strings";
  if (/[\r\n\0]/.test(value) || value.length > MAX_HEADER_VALUE || utf8Length(value) > MAX_HEADER_VALUE) return "has a header value with a line break, a NUL or over 8192 bytes";
  return null;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAYS = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTH = `(${MONTHS.join("|")})`;
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept.
const IMF = new RegExp(`^${DAYS}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(`^${LONG_DAYS}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAYS} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/** An HTTP-date as Unix milliseconds, or undefined; `now` decides the century of RFC 850's two-digit years. */
export function httpDateMs(v, now) {
  let day, month, year, h, m, s;
  let parts = IMF.exec(v);
  if (parts) [, , day, month, year, h, m, s] = parts;
  else if ((parts = RFC850.exec(v))) {
    [, , day, month, year, h, m, s] = parts;
    // A two-digit year more than 50 years ahead is the latest past year with those digits.
    // The year of `now` to within hours of New Year, as the crate reckons it: enough for a century.
    const thisYear = 1970 + Math.floor(now / 1000 / 86400 / 365.2425);
    year = Math.floor(thisYear / 100) * 100 + Number(year);
    if (year > thisYear + 50) year -= 100;
  } else if ((parts = ASCTIME.exec(v))) [, , month, day, h, m, s, year] = parts;
  else return undefined;
  const [d, hh, mm, ss] = [Number(day), Number(h), Number(m), Number(s)];
  if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
  return Date.UTC(Number(year), MONTHS.indexOf(month), d, hh, mm, ss);
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds (any number of
 * digits; a huge one is simply a long wait) or an HTTP-date; undefined for anything else,
 * which is then ignored.
 */
export function retryAfterMs(value, now = Date.now()) {
  if (typeof value !== "string") return undefined;
  // Only the optional whitespace of a field value (space, tab) is not part of it.
  const v = value.replace(/^[ \t]+|[ \t]+$/g, "");
  if (/^\d+$/.test(v)) return Math.min(Number(v), 1e12) * 1000;
  if (v.length > 64) return undefined;
  const at = httpDateMs(v, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/** `Recoverable` as the envelope gives it: a boolean, or the strings "true"/"false" (any case) Mastercard's pages show. */
function recoverableOf(v) {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  return undefined;
}

/** The Errors envelope's entries of an error body, in the package's shape; [] for anything else. */
export function envelopeOf(body) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const list = parsed && parsed.Errors && parsed.Errors.Error;
  const entries = Array.isArray(list) ? list : list && typeof list === "object" ? [list] : [];
  const str = (v) => (typeof v === "string" ? v.slice(0, 1024) : undefined);
  return entries.slice(0, 16).filter((e) => e && typeof e === "object" && !Array.isArray(e)).map((e) => ({
    source: str(e.Source),
    reasonCode: str(e.ReasonCode),
    description: str(e.Description),
    recoverable: recoverableOf(e.Recoverable),
    details: str(e.Details),
  }));
}

/**
 * Whether a failed read is worth another attempt: `failure` is `{ kind: "network" }` (the
 * request may not have arrived), `{ kind: "timeout" }` (the attempt's time limit: the caller's
 * patience, never retried), or `{ kind: "answer", status, errors }`. Writes never are (the
 * worker's client retries its keyed writes under its own rule).
 */
export function readWorthRetrying(failure) {
  if (!failure || typeof failure !== "object") return false;
  if (failure.kind === "network") return true;
  if (failure.kind !== "answer") return false;
  const first = Array.isArray(failure.errors) ? failure.errors[0] : undefined;
  return RETRY_STATUS.includes(failure.status) || (first !== undefined && first.recoverable === true);
}

/**
 * The wait before attempt `attempt + 1` (ms), or null when there is none: capped exponential
 * backoff with equal jitter (`jitter` in [0, 1)), never shorter than `retryAfter`, and none at
 * all when `retryAfter` asks for more than `maxDelayMs`.
 */
export function retryDelayMs({ maxAttempts, baseDelayMs, maxDelayMs }, attempt, retryAfter, jitter) {
  if (attempt >= maxAttempts) return null;
  const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 20));
  const jittered = Math.floor(exp / 2) + Math.floor((exp - Math.floor(exp / 2)) * Math.min(Math.max(jitter, 0), 1));
  if (retryAfter !== undefined && retryAfter > maxDelayMs) return null;
  return Math.min(maxDelayMs, Math.max(retryAfter ?? 0, jittered));
}

/**
 * The backoff bounds from what a caller gave (undefined or null: not given): 200 and 5000 ms by
 * default, and a default yields to the other bound when only one is given.
 */
export function retryDelays(baseDelayMs, maxDelayMs) {
  const max = maxDelayMs ?? Math.max(5000, baseDelayMs ?? 0);
  return { baseDelayMs: baseDelayMs ?? Math.min(200, max), maxDelayMs: max };
}

/** Whether a `retry` policy holds together: `maxDelayMs` below `baseDelayMs` would cap every wait under the first. */
export const retryPolicyProblem = ({ baseDelayMs, maxDelayMs }) => (maxDelayMs < baseDelayMs ? "`maxDelayMs` must not be below `baseDelayMs`" : null);

/** A reason code fit for a message: plain, with fewer than 12 digits (an echoed card number). */
export const plainCode = (c) => typeof c === "string" && /^[A-Z0-9_]{1,64}$/.test(c) && (c.match(/\d/g) || []).length < 12;
