// What a consumer sees of who changed their points: themselves by their own subject, anyone
// else (an agent, a back-office system) by a role label, never another person's identity.

/** The label consumers see for changes made by staff. */
export const STAFF_LABEL = "customer service";

/** A copy of `value` (already masked) with every `adjustedBy` that is not `sub` replaced by the label. */
export function forConsumer(value, sub) {
  const walk = (v, depth) => {
    if (depth > 32) return null;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (!v || typeof v !== "object") return v;
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      const value = k === "adjustedBy" && typeof x === "string" && x !== sub ? STAFF_LABEL : walk(x, depth + 1);
      // defineProperty: a member named `__proto__` stays a member of the copy.
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return walk(value, 0);
}
