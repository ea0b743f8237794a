// Card numbers never leave the worker except as first four / last four: every response is
// copied with each card-number field masked, every card number the worker knows of (the
// caller's own, from the lookup) masked wherever else it shows up, and in free text (any field
// but identifiers) any card-number-like run masked too: 12 or more digits in any spelling
// (separators, fullwidth or other scripts' digits; dates and times excepted), card-numbers.mjs.
import { maskCardNumbers } from "./card-numbers.mjs";

const CARD_FIELD = /(accountnumber|cardnumber|^pan)$/i;
// Identifier fields (accountId, customerId, transferId…) are opaque references, long digit runs by design.
const ID_FIELD = /id$/i;

/** `5555444433332222` → `5555********2222`; anything too short to keep ends of is all stars. */
export function maskNumber(n) {
  const s = String(n);
  return s.length >= 12 ? `${s.slice(0, 4)}${"*".repeat(s.length - 8)}${s.slice(-4)}` : "*".repeat(s.length);
}

/** A copy of a JSON value with card numbers masked; `known` holds numbers to mask anywhere. */
export function masked(value, known = []) {
  const numbers = known.filter((k) => typeof k === "string" && k.length >= 12);
  // The same numbers as bare ASCII digits, to find them spelled otherwise inside identifiers.
  const digits = numbers.map((k) => k.replace(/[^0-9]/g, "")).filter((k) => k.length >= 12);
  const holdsKnown = (run) => digits.some((k) => run.includes(k));
  const text = (s) => {
    let out = s;
    for (const k of numbers) if (out.includes(k)) out = out.split(k).join(maskNumber(k));
    return out;
  };
  const walk = (v, depth, key) => {
    if (depth > 32) return null;
    // In an identifier only a known number is masked, however spelled; elsewhere every run.
    if (typeof v === "string") return ID_FIELD.test(key) ? maskCardNumbers(text(v), holdsKnown) : maskCardNumbers(text(v));
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1, key));
    if (v && typeof v === "object") {
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        const value = CARD_FIELD.test(k) && (typeof x === "string" || typeof x === "number") ? maskNumber(x) : walk(x, depth + 1, k);
        // defineProperty: a member named `__proto__` stays a member of the copy.
        Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  return walk(value, 0, "");
}
