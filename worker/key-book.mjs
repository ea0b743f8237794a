// The state of a user's idempotency keys and their write rate: the logic of the UserWrites
// Durable Object (user-writes.mjs), on any storage with get/put/delete/list (a Map in tests).
// Every method is one transition; the object runs them one at a time, so two requests with
// one key can never both be told to send.
//
// A key's record: { hash, state, ref, attempt, lease, since, resent, status, body, expires }
//   in_flight  a request is sending it (until `lease`: past it, the sender is presumed gone)
//   unknown    the upstream call ended without an answer; since `since`
//   resolving  a request is reading the history for `ref` (until `lease`)
//   done       the answer (`status`, `body`) is final and is what every repeat gets
// `attempt` fences the holder: a request whose lease was taken over can no longer resend,
// forget or mark the key (only its true answer, `done`, is still taken).

/** How long a key is remembered, in ms (24 h). */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;

const K = (key) => `k:${key}`;
// Expiry index: `e:<expires, 15 digits>:<key>`, listed in order up to now.
const E = (expires, key) => `e:${String(expires).padStart(15, "0")}:${key}`;
const newAttempt = () => crypto.randomUUID();

export class KeyBook {
  /**
   * `storage`: get/put/delete/list as a Durable Object's. `o`: `leaseMs` (how long a sender
   * may take), `settleMs` (how long an unknown outcome waits before the history is read),
   * `rateLimit` writes per `rateWindowMs`.
   */
  constructor(storage, o) {
    this.storage = storage;
    this.o = o;
  }

  /** Forgets expired keys (a bounded batch per call). */
  async purge(now) {
    const old = await this.storage.list({ prefix: "e:", end: E(now, ""), limit: 64 });
    for (const [index, key] of old) {
      await this.storage.delete(index);
      await this.storage.delete(K(key));
    }
  }

  async recent(now) {
    return ((await this.storage.get("rate")) || []).filter((t) => now - t < this.o.rateWindowMs);
  }

  /** `{ retryAfter }` in seconds when `recent` fills the window, else null. */
  over(recent, now) {
    if (recent.length < this.o.rateLimit) return null;
    return { retryAfter: Math.max(1, Math.ceil((recent[0] + this.o.rateWindowMs - now) / 1000)) };
  }

  /** Counts one write against the rate limit; `{ retryAfter }` when over it. */
  async spend(now) {
    const recent = await this.recent(now);
    const limited = this.over(recent, now);
    if (limited) return limited;
    recent.push(now);
    await this.storage.put("rate", recent);
    return null;
  }

  /**
   * Before any work on a write: a known key passes (its repeat is never limited); a new one
   * passes while the window has room; without a key the write is counted here.
   */
  async admit({ key, now }) {
    if (!key) return this.spend(now);
    if (await this.storage.get(K(key))) return null;
    return this.over(await this.recent(now), now);
  }

  /**
   * What a request with `key` (and body fingerprint `hash`) may do:
   * `send` (with `ref` and its `attempt`), `done` (the stored `status` and `body`),
   * `in_progress`, `reused`, `rate_limited` (`retryAfter`), `checking` (`retryAfter`), or
   * `resolve` (read the history for `ref`, as `attempt`; `resent`: sent twice already).
   */
  async begin({ key, hash, ref, now }) {
    await this.purge(now);
    const rec = await this.storage.get(K(key));
    if (!rec) {
      const limited = await this.spend(now);
      if (limited) return { verdict: "rate_limited", retryAfter: limited.retryAfter };
      const expires = now + KEY_TTL_MS;
      const attempt = newAttempt();
      await this.storage.put(K(key), { hash, ref, attempt, state: "in_flight", lease: now + this.o.leaseMs, resent: false, expires });
      await this.storage.put(E(expires, key), key);
      return { verdict: "send", ref, attempt };
    }
    if (rec.hash !== hash) return { verdict: "reused" };
    if (rec.state === "done") return { verdict: "done", status: rec.status, body: rec.body };
    if ((rec.state === "in_flight" || rec.state === "resolving") && now < rec.lease) return { verdict: "in_progress" };
    // A sender or resolver that outlived its lease is presumed gone: its outcome is unknown.
    const since = rec.state === "unknown" ? rec.since : rec.lease;
    if (now - since < this.o.settleMs) {
      if (rec.state !== "unknown") await this.storage.put(K(key), { ...rec, state: "unknown", since, attempt: null });
      return { verdict: "checking", retryAfter: Math.max(1, Math.ceil((since + this.o.settleMs - now) / 1000)) };
    }
    const attempt = newAttempt();
    // A history read is a read: retried up to three attempts, hence three leases.
    await this.storage.put(K(key), { ...rec, state: "resolving", attempt, lease: now + 3 * this.o.leaseMs });
    return { verdict: "resolve", ref: rec.ref, resent: rec.resent, attempt };
  }

  /** The true answer for `key`: taken from any attempt (it is what happened), once. */
  async done({ key, status, body }) {
    const rec = await this.storage.get(K(key));
    if (rec && rec.state !== "done") await this.storage.put(K(key), { ...rec, state: "done", status, body });
  }

  /** The holder's upstream call ended without an answer (it may have been applied). */
  async unknown({ key, attempt, now }) {
    const rec = await this.storage.get(K(key));
    if (rec && rec.state !== "done" && rec.attempt === attempt) await this.storage.put(K(key), { ...rec, state: "unknown", since: now, attempt: null });
  }

  /**
   * The holder's call surely did not send: a first send is forgotten (a repeat sends anew);
   * a resend is not (the first may still land): it goes back to unknown, its one resend spent.
   */
  async forget({ key, attempt, now }) {
    const rec = await this.storage.get(K(key));
    if (!rec || rec.state === "done" || rec.attempt !== attempt) return;
    if (rec.resent) {
      await this.storage.put(K(key), { ...rec, state: "unknown", since: now, attempt: null });
      return;
    }
    await this.storage.delete(K(key));
    await this.storage.delete(E(rec.expires, key));
  }

  /** The holder's history read shows no `ref` after settling: send once more (the only resend). */
  async resend({ key, attempt, now }) {
    const rec = await this.storage.get(K(key));
    if (!rec || rec.resent || rec.state !== "resolving" || rec.attempt !== attempt) return false;
    await this.storage.put(K(key), { ...rec, state: "in_flight", lease: now + this.o.leaseMs, resent: true });
    return true;
  }
}
