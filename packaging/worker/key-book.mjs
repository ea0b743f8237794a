// The state of a user's idempotency keys: the logic of the UserWrites Durable Object
// (user-writes.mjs), on any storage with get/put/delete/list (a Map in tests). Every method is
// one transition; the object runs them one at a time, so two requests with one key can never
// both be told to send.
//
// A write whose body may have reached PAS is never sent again: PAS takes no idempotency key,
// and a slow PAS may apply a write long after its caller gave up. Its key stays pending and
// is reconciled from the account's history (the key's reference is in the reason PAS keeps):
// by a repeat of the key, and by the object's alarm at growing intervals for `reconcileMs`.
//
// A key's record: { hash, state, ref, attempt, lease, since, checked, checks, status, body,
//                   outcome, expires, wake, watch, spent, local }
//   in_flight  a request is sending it (until `lease`: past it, the sender is presumed gone)
//   pending    the send ended without an answer (it may have been applied); since `since`
//   resolving  a request or the alarm is reading the history for `ref` (until `lease`)
//   done       the answer (`status`, `body`) is what every repeat gets; a NOT_APPLIED answer
//              is still watched until the key expires, and corrected if the write shows up
// `attempt` fences the holder: a request whose lease was taken over can no longer forget or
// mark the key (only the truth, `done` or `found`, is still taken from anyone).
// `watch` (set when the reason carries `ref`): { account, result, audit } — whose history to
// read, the answer to give when the reference is found, and the audit line's fields.
// `local`: its work sends nothing upstream (an approval request): a holder gone leaves nothing
// to reconcile, and the next request does it anew.
// `spent`: { day, points, account } counted against an agent's daily ceiling (and the day's
// points on that account, which the approval threshold bounds), given back if the write surely
// did not happen.
// Indexes: `e:<expires>:<key>` (expiry) and `w:<wake>:<key>` (the alarm's agenda).
import { Budgets, LEASE_MAX, utcDay } from "./budgets.mjs";

/** How long a key is remembered after its reconciliation window, in ms (24 h). */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** The longest pause between two history reads of one pending key. */
export const MAX_CHECK_INTERVAL_MS = 60 * 60 * 1000;
/** The answer to a write not found in the history for the whole reconciliation window. */
export const NOT_APPLIED = {
  Errors: { Error: [{ Source: "worker", ReasonCode: "NOT_APPLIED", Description: "not found in the account's history for the whole reconciliation window: taken as not applied", Recoverable: false, Details: null }] },
};

const K = (key) => `k:${key}`;
const stamp = (t) => String(Math.max(0, Math.floor(t))).padStart(15, "0");
const E = (expires, key) => `e:${stamp(expires)}:${key}`;
const W = (wake, key) => `w:${stamp(wake)}:${key}`;
const newAttempt = () => crypto.randomUUID();
/** A count of units from the caller, as a whole number in `[min, LEASE_MAX]`. */
const units = (v, min) => (Number.isInteger(v) ? Math.min(LEASE_MAX, Math.max(min, v)) : min);
const retryAfter = (at, now) => Math.max(1, Math.ceil((at - now) / 1000));

export class KeyBook {
  /**
   * `storage`: get/put/delete/list as a Durable Object's. `o`: `leaseMs` (how long a sender
   * may take), `settleMs` (the least pause before, and between, history reads a repeat
   * triggers), `reconcileMs` (how long a pending write is looked for), `rates` and `memory`
   * (Budgets').
   */
  constructor(storage, o) {
    this.storage = storage;
    this.o = o;
    this.budgets = new Budgets(storage, o.rates, o.memory ?? null);
  }

  /** Forgets expired keys (a bounded batch per call). */
  async purge(now) {
    const old = await this.storage.list({ prefix: "e:", end: E(now, ""), limit: 64 });
    for (const [index, key] of old) {
      const rec = await this.storage.get(K(key));
      await this.storage.delete(index);
      if (rec && rec.expires === Number(index.slice(2, 17))) await this.#drop(key, rec);
    }
  }

  async #drop(key, rec) {
    if (rec.wake !== undefined) await this.storage.delete(W(rec.wake, key));
    await this.storage.delete(E(rec.expires, key));
    await this.storage.delete(K(key));
  }

  /** Stores `rec` for `key`, moving its agenda entry to `wake` (none when undefined). */
  async #save(key, rec, wake) {
    if (rec.wake !== undefined && rec.wake !== wake) await this.storage.delete(W(rec.wake, key));
    const next = { ...rec, wake };
    if (wake === undefined) delete next.wake;
    else await this.storage.put(W(wake, key), key);
    await this.storage.put(K(key), next);
    return next;
  }

  /**
   * Before any work on a request: `bucket` "read" or "search" spends up to `lease` units (the
   * worker's isolate keeps what it does not use at once: leases.mjs) after giving back
   * the `unused` units of its last lease; "write" passes a repeat of a known key (never limited)
   * and spends one unit for anything else, so a write refused later (its input, its target, a
   * ceiling) has spent its unit too. Returns `{ retryAfter }` when over the budget, else
   * `{ known, granted }` (whether the key was known; the units spent).
   */
  async admit({ bucket, key, lease = 1, unused = 0, now }) {
    if (bucket === "write" && key && (await this.storage.get(K(key)))) return { known: true, granted: 0 };
    const n = bucket === "write" ? 1 : units(lease, 1);
    if (bucket !== "write" && unused !== 0) await this.budgets.refund(bucket, now, units(unused, 0));
    const spent = await this.budgets.spend(bucket, now, n);
    return spent.retryAfter !== undefined ? spent : { known: false, granted: spent.granted };
  }

  /** Spends one write unit (a known key's request refused before it could be a repeat); `{ retryAfter }` when over. */
  async charge({ now }) {
    const spent = await this.budgets.spend("write", now);
    return spent.retryAfter !== undefined ? spent : null;
  }

  /** Gives back one write unit (a decision that turned out to be a repeat of one already taken). */
  async refund({ now }) {
    await this.budgets.refund("write", now);
  }

  /**
   * What a request with `key` (and body fingerprint `hash`) may do: `new` (with `peek`: the key
   * is not known), `send` (as `attempt`),
   * `limit` (`spend` would pass the day's ceiling: `used`), `needs_approval` (`spend` would
   * take the account's day past `spend.threshold`), `done` (`status`, `body`),
   * `in_progress`, `reused` (one write unit spent: `admit` waived it for a known key),
   * `checking` (`retryAfter`), or `resolve` (read `watch.account`'s history for `ref`, as
   * `attempt`). `watch` and `spend` are kept for a new key (see the header); `local`:
   * the key's work sends nothing upstream (an approval request), so a holder gone past its
   * lease leaves nothing to reconcile and the next request does it anew.
   */
  async begin({ key, hash, ref, watch = null, spend = null, local = false, peek = false, now }) {
    await this.purge(now);
    const rec = await this.storage.get(K(key));
    // `peek`: a repeat is answered before the route's lookups; a new key is only reported.
    if (!rec) return peek ? { verdict: "new" } : this.#create({ key, hash, ref, watch, spend, local, now });
    if (rec.hash !== hash) {
      // Not a repeat: another write under a known key, whose unit `admit` did not take.
      await this.budgets.spend("write", now);
      return { verdict: "reused" };
    }
    if (rec.state === "done") return { verdict: "done", status: rec.status, body: rec.body };
    if ((rec.state === "in_flight" || rec.state === "resolving") && now < rec.lease) return { verdict: "in_progress" };
    if (rec.local) {
      // Nothing of it went upstream (its work is the worker's own, idempotent): done anew.
      await this.#drop(key, rec);
      return peek ? { verdict: "new" } : this.#create({ key, hash, ref, watch, spend, local, now });
    }
    if (!rec.ref) {
      // A sender gone with resolution off: nothing can ever tell what became of it.
      const out = await this.#finish(key, rec, 502, UNKNOWN, "OUTCOME_UNKNOWN");
      return { verdict: "done", status: out.status, body: out.body };
    }
    const since = rec.state === "in_flight" ? rec.lease : rec.since;
    const last = Math.max(since, rec.checked ?? 0);
    if (now - last < this.o.settleMs) {
      if (rec.state !== "pending") await this.#save(key, { ...rec, state: "pending", since, attempt: null }, rec.wake ?? since + this.o.settleMs);
      return { verdict: "checking", retryAfter: retryAfter(last + this.o.settleMs, now) };
    }
    const attempt = newAttempt();
    // A history read is a read: retried up to three attempts, hence three leases.
    const lease = now + 3 * this.o.leaseMs;
    await this.#save(key, { ...rec, state: "resolving", since, attempt, lease }, lease);
    return { verdict: "resolve", ref: rec.ref, attempt, watch: rec.watch };
  }

  async #create({ key, hash, ref, watch, spend, local, now }) {
    // The day is the object's own (one clock for every transition of the user).
    const day = utcDay(now);
    if (spend) {
      const over = await this.budgets.reserve(day, spend.points, spend.max, spend.account, spend.threshold);
      if (over && over.approval) return { verdict: "needs_approval" };
      if (over) return { verdict: "limit", used: over.used };
    }
    const expires = now + this.o.reconcileMs + KEY_TTL_MS;
    const attempt = newAttempt();
    const lease = now + this.o.leaseMs;
    const rec = { hash, ref, attempt, state: "in_flight", lease, expires, watch: ref ? watch : null, spent: spend ? { day, points: spend.points, account: spend.account } : null, local };
    await this.storage.put(E(expires, key), key);
    // On the agenda at the lease's end only when it can be reconciled (the reason has `ref`).
    await this.#save(key, rec, ref && watch ? lease : undefined);
    return { verdict: "send", ref, attempt };
  }

  async #finish(key, rec, status, body, outcome, wake) {
    const next = await this.#save(key, { ...rec, state: "done", status, body, outcome, attempt: null }, wake);
    if (status >= 400 && status !== 502 && rec.spent) await this.budgets.release(rec.spent.day, rec.spent.points, rec.spent.account);
    return next;
  }

  /** The stored answer of `key` when it is final: `{ verdict: "done", status, body }`, else null. */
  async peek({ key }) {
    const rec = await this.storage.get(K(key));
    return rec && rec.state === "done" ? { verdict: "done", status: rec.status, body: rec.body } : null;
  }

  /** The send's own answer for `key` (a success or a definite refusal): final, once. */
  async done({ key, status, body }) {
    const rec = await this.storage.get(K(key));
    if (rec && rec.state !== "done") await this.#finish(key, rec, status, body, status < 300 ? "OK" : "REFUSED");
  }

  /** The holder's send ended without an answer (it may have been applied): pending. */
  async unknown({ key, attempt, now }) {
    const rec = await this.storage.get(K(key));
    if (!rec || rec.state === "done" || rec.attempt !== attempt) return;
    if (!rec.ref || !rec.watch) {
      await this.#finish(key, rec, 502, UNKNOWN, "OUTCOME_UNKNOWN");
      return;
    }
    await this.#save(key, { ...rec, state: "pending", since: now, checked: undefined, checks: 0, attempt: null }, now + this.#interval(0));
  }

  /** The holder's send surely did not leave: forgotten (a repeat sends anew), its points given back. */
  async forget({ key, attempt }) {
    const rec = await this.storage.get(K(key));
    if (!rec || rec.state !== "in_flight" || rec.attempt !== attempt) return;
    if (rec.spent) await this.budgets.release(rec.spent.day, rec.spent.points, rec.spent.account);
    await this.#drop(key, rec);
  }

  /**
   * The history shows the key's reference: the write was applied, once. Taken from anyone
   * (it is what happened). Returns `{ outcome, status, body, watch }`: RESOLVED_APPLIED, or
   * LATE_APPLIED when the key had been answered NOT_APPLIED; null when nothing changed.
   */
  async found({ key, body }) {
    const rec = await this.storage.get(K(key));
    if (!rec || (rec.state === "done" && rec.status < 300)) return null;
    const outcome = rec.state === "done" ? "LATE_APPLIED" : "RESOLVED_APPLIED";
    const next = await this.#finish(key, rec, 200, body, outcome);
    return { outcome, status: next.status, body: next.body, watch: rec.watch };
  }

  /**
   * The holder's history read (`readable` false: it failed) shows no reference. Returns
   * `{ outcome: "OUTCOME_PENDING", retryAfter }`, `{ outcome: "NOT_APPLIED", status, body,
   * watch }` once a readable history has shown nothing for the whole window, or null.
   */
  async missing({ key, attempt, readable = true, now }) {
    const rec = await this.storage.get(K(key));
    if (!rec) return null;
    if (rec.state === "done") {
      // A late watch: looked at again until the key expires.
      const wake = now + this.#lateInterval();
      if (rec.status === 502 && rec.outcome === "NOT_APPLIED") await this.#save(key, rec, wake < rec.expires ? wake : undefined);
      return null;
    }
    if (rec.state !== "resolving" || rec.attempt !== attempt) return null;
    if (readable && now - rec.since >= this.o.reconcileMs) {
      const wake = now + this.#lateInterval();
      const next = await this.#finish(key, rec, 502, NOT_APPLIED, "NOT_APPLIED", wake < rec.expires ? wake : undefined);
      return { outcome: "NOT_APPLIED", status: next.status, body: next.body, watch: rec.watch };
    }
    const checks = (rec.checks ?? 0) + 1;
    const end = rec.since + this.o.reconcileMs;
    const wake = now < end ? Math.min(now + this.#interval(checks), end) : now + this.#lateInterval();
    await this.#save(key, { ...rec, state: "pending", checked: now, checks, attempt: null }, wake);
    return { outcome: "OUTCOME_PENDING", retryAfter: retryAfter(now + this.o.settleMs, now) };
  }

  /** The pause between reads after the window (a late write is still caught): hourly, or the window if shorter. */
  #lateInterval() {
    return Math.min(MAX_CHECK_INTERVAL_MS, this.o.reconcileMs);
  }

  /** The pause before the alarm's next read after `checks` reads: doubling, at least 1 s. */
  #interval(checks) {
    return Math.min(MAX_CHECK_INTERVAL_MS, Math.max(1000, this.o.settleMs) * 2 ** Math.min(checks, 20));
  }

  /**
   * For the alarm: the keys whose time has come (at most `limit`), each made the alarm's to
   * resolve: `[{ key, ref, attempt, watch }]`. A holder still within its lease is left alone.
   */
  async due({ now, limit = 16 }) {
    const out = [];
    const entries = await this.storage.list({ prefix: "w:", end: W(now + 1, ""), limit });
    for (const [index, key] of entries) {
      const rec = await this.storage.get(K(key));
      if (!rec || rec.wake === undefined || W(rec.wake, key) !== index) {
        await this.storage.delete(index);
        continue;
      }
      if ((rec.state === "in_flight" || rec.state === "resolving") && now < rec.lease) {
        await this.#save(key, rec, rec.lease);
        continue;
      }
      if (rec.state === "done") {
        out.push({ key, ref: rec.ref, attempt: null, watch: rec.watch });
        const wake = now + this.#lateInterval();
        await this.#save(key, rec, wake < rec.expires ? wake : undefined);
        continue;
      }
      const since = rec.state === "in_flight" ? rec.lease : rec.since;
      const attempt = newAttempt();
      const lease = now + 3 * this.o.leaseMs;
      await this.#save(key, { ...rec, state: "resolving", since, attempt, lease }, lease);
      out.push({ key, ref: rec.ref, attempt, watch: rec.watch });
    }
    return out;
  }

  /** When the alarm should next run (ms), or null when nothing is on the agenda. */
  async nextWake() {
    const first = await this.storage.list({ prefix: "w:", limit: 1 });
    for (const index of first.keys()) return Number(index.slice(2, 17));
    return null;
  }

  /** Points the user's day holds so far (for a ceiling checked before an approval is asked). */
  async dayUsed({ now }) {
    return { used: await this.budgets.used(utcDay(now)) };
  }
}

const UNKNOWN = {
  Errors: { Error: [{ Source: "worker", ReasonCode: "OUTCOME_UNKNOWN", Description: "the write may or may not have been applied: check the history", Recoverable: false, Details: null }] },
};
