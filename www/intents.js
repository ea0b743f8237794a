// Exactly-once writes. One Idempotency-Key per user intent: the same values sent again after any
// failure whose outcome the page never learned reuse it (the worker then applies them at most
// once); only a success or a definite answer (a refusal, NOT_APPLIED) ends the intent. Until
// then the intent is also kept in localStorage under the user's `sub`, from before it is sent,
// so a page closed or reloaded meanwhile asks again, with the same key, at the next sign-in.
export const CALLS = {
  transfer: (client, input, o) => client.transferPoints(input, o),
  adjust: (client, input, o) => client.adjustPoints(input, o),
  decide: (client, { approvalId, decision }, o) => client.decideApproval(approvalId, { decision }, o),
};
/** An Idempotency-Key as the worker takes it. */
const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
const STORE = (sub) => `points-activity.pending.${sub}`;
// The worker remembers a key for at least a day (its reconciliation window, then a day more);
// a key repeated after it forgot would be a new write. An intent older than this is not sent
// again: the page says to look at the history instead.
export const KEEP_FOR_MS = 20 * 60 * 60 * 1000;

/** The user's stored intents, as far as they are well-formed. */
export function storedIntents(sub) {
  let list;
  try {
    list = JSON.parse(localStorage.getItem(STORE(sub)) ?? "[]");
  } catch {
    list = [];
  }
  return (Array.isArray(list) ? list : []).filter((i) => i && Object.hasOwn(CALLS, i.kind) && typeof i.key === "string" && KEY.test(i.key)
    && i.input && typeof i.input === "object" && Number.isFinite(i.at) && typeof i.what === "string");
}

function storeIntents(sub, list) {
  try {
    if (list.length > 0) localStorage.setItem(STORE(sub), JSON.stringify(list));
    else localStorage.removeItem(STORE(sub));
    return true;
  } catch {
    return false; // storage refused (private mode, full): the intent lives in memory only
  }
}

/** What the user typed that may hold a card number (12 or more digits, separators aside) is never stored. */
export const longNumber = (v) => /\p{Nd}{12}/u.test(String(v).normalize("NFKC").replace(/[^\p{L}\p{N}]+/gu, ""));
/** The input's typed values (the references, `…Id`, are Mastercard's opaque tokens). */
const typed = (input) => Object.entries(input).filter(([k]) => !k.endsWith("Id")).map(([, v]) => v);

/** Keeps `intent` (first kept time unchanged); false when it could not be kept. */
export function keepIntent(sub, intent) {
  if (typed(intent.input).some(longNumber)) return false;
  const list = storedIntents(sub);
  if (list.some((i) => i.key === intent.key)) return true;
  return storeIntents(sub, [...list, { ...intent, at: Date.now() }]);
}

export function dropIntent(sub, key) {
  const list = storedIntents(sub);
  if (list.some((i) => i.key === key)) storeIntents(sub, list.filter((i) => i.key !== key));
}

/**
 * What an error says about a write: `refused` (it surely did not happen), `unknowable` (a final
 * answer that cannot tell), `signin` (refused before the key was looked at: sign in again),
 * `stopped` (the user left: nothing learned), or `pending` (still unknown).
 */
export function stateOf(e) {
  if (!e || typeof e !== "object") return "pending";
  if (e.code === "ERR_VALIDATION") return "refused";
  if (e.code === "ERR_ABORTED" || e.code === "ERR_CONFIG") return "stopped";
  if (e.code !== "ERR_API") return "pending"; // no answer, or one that could not be read
  if (e.reasonCode === "OUTCOME_UNKNOWN") return "unknowable";
  // NOT_APPLIED: not in the history for the whole window; the gateway refused the worker: never sent.
  if (e.reasonCode === "NOT_APPLIED" || e.reasonCode === "UPSTREAM_AUTH_FAILED") return "refused";
  if (e.status === 401) return "signin";
  // Not an answer about the write: a repeat of a decision or of a request for approval spends
  // the budget again, so an earlier attempt may have gone through.
  if (e.status === 429 || (e.status === 409 && e.reasonCode === "REQUEST_IN_PROGRESS")) return "pending";
  return e.status >= 400 && e.status < 500 ? "refused" : "pending";
}
