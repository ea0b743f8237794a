// Budget units leased to this isolate. A read spends one unit of the user's budget, which lives
// in their Durable Object (budgets.mjs); asking it for every read costs a round trip each. So
// the isolate asks for a few units at once (a tenth of the limit, at most LEASE_MAX) and spends
// them locally for LEASE_MS. Invariants: the object counts a unit when it grants it, so no
// more calls leave than the limit allows; a unit is used within LEASE_MS of its grant or not at
// all; unused units are handed back with the user's next lease (else they count until they
// leave the window, so a user whose reads hop between isolates may be limited a little early,
// never late). At most one lease request per user and bucket is in flight per isolate.
import { LEASE_MAX } from "./budgets.mjs";

/** How long an isolate may spend units it was granted. */
export const LEASE_MS = 1000;
const MAX_HELD = 1000;

/** Units asked for at once under `limit` per window: a tenth of it, 1 to LEASE_MAX. */
export const leaseSize = (limit) => Math.max(1, Math.min(LEASE_MAX, Math.floor(limit / 10)));

export class Leases {
  constructor(clock = Date.now) {
    this.clock = clock;
    this.held = new Map();
  }

  /**
   * Spends one unit of `name`'s budget (a user and bucket): from a lease this isolate holds, or
   * from a new one, `ask(unused)` → `{ granted }` or `{ retryAfter }` (handing back `unused`
   * units of the expired lease). Returns null when spent, else the refusal `{ retryAfter }`.
   * A rejection of `ask` reaches every request waiting on it.
   */
  async spend(name, ask) {
    for (;;) {
      const now = this.clock();
      const l = this.held.get(name);
      if (l && l.pending) {
        const r = await l.pending;
        if (r.retryAfter !== undefined) return r;
        continue;
      }
      if (l && l.units > 0 && now < l.until) {
        l.units -= 1;
        return null;
      }
      const unused = l ? l.units : 0;
      const next = { units: 0, until: 0, pending: null };
      next.pending = ask(unused).then(
        (r) => {
          next.pending = null;
          if (r.retryAfter !== undefined) return r;
          if (!Number.isInteger(r.granted) || r.granted < 1) throw new Error("budget: a grant of no unit");
          // The asker's own unit first; the rest for the requests that wait or come.
          Object.assign(next, { units: r.granted - 1, until: this.clock() + LEASE_MS });
          return r;
        },
        (e) => {
          next.pending = null;
          throw e;
        },
      );
      this.#keep(name, next);
      const r = await next.pending;
      return r.retryAfter !== undefined ? r : null;
    }
  }

  #keep(name, lease) {
    this.held.delete(name);
    this.held.set(name, lease);
    // The oldest leases go first; their units count until they leave the window.
    while (this.held.size > MAX_HELD) this.held.delete(this.held.keys().next().value);
  }
}
