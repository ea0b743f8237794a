// Card numbers never leave the worker except as first four / last four: every response is
// copied with each card-number field masked, and every card number the worker knows of (the
// caller's own, from the lookup) masked wherever else it shows up.

const CARD_FIELD = /(accountnumber|cardnumber|^pan)$/i;

/** `5555444433332222` → `5555********2222`; anything too short to keep ends of is all stars. */
export function maskNumber(n) {
  const s = String(n);
  return s.length >= 12 ? `${s.slice(0, 4)}${"*".repeat(s.length - 8)}${s.slice(-4)}` : "*".repeat(s.length);
}

/** A copy of a JSON value with card numbers masked; `known` holds numbers to mask anywhere. */
export function masked(value, known = []) {
  const numbers = known.filter((k) => typeof k === "string" && k.length >= 12);
  const text = (s) => {
    let out = s;
    for (const k of numbers) if (out.includes(k)) out = out.split(k).join(maskNumber(k));
    return out;
  };
  const walk = (v, depth) => {
    if (depth > 32) return null;
    if (typeof v === "string") return text(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (v && typeof v === "object") {
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = CARD_FIELD.test(k) && (typeof x === "string" || typeof x === "number") ? maskNumber(x) : walk(x, depth + 1);
      }
      return out;
    }
    return v;
  };
  return walk(value, 0);
}
