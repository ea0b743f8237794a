// The state of a user's idempotency keys and their write rate: the logic of the UserWrites
// Durable Object (user-writes.mjs), on any storage with get/put/delete/list (a Map in tests).
// Every method is one transition; the object runs them one at a time, so two requests with
// one key can never both be told to send.
//
// A key's record: { hash, state, ref, lease, since, resent, status, body, expires }
//   in_flight  a request is sending it (until `lease`: past it, the sender is presumed gone)
//   unknown    the upstream call ended without an answer; since `since`
//   resolving  a request is reading the history for `ref` (until `lease`)
//   done       the answer (`status`, `body`) is final and is what every repeat gets

/** How long a key is remembered, in ms (24 h). */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;

const K = (key) => `k:${key}`;
// Expiry index: `e:<expires, 15 digits>:<key>`, listed in order up to now.
const E = (expires, key) => `e:${String(expires).padStart(15, "0")}:${key}`;

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

  /** Counts one write against the rate limit; `{ retryAfter }` in seconds when over it. */
  async spend(now) {
    const recent = ((await this.storage.get("rate")) || []).filter((t) => now - t < this.o.rateWindowMs);
    if (recent.length >= this.o.rateLimit) {
      return { retryAfter: Math.max(1, Math.ceil((recent[0] + this.o.rateWindowMs - now) / 1000)) };
    }
    recent.push(now);
    await this.storage.put("rate", recent);
    return null;
  }

  /**
   * What a request with `key` (and body fingerprint `hash`) may do:
   * `send` (with `ref`), `done` (the stored `status` and `body`), `in_progress`, `reused`,
   * `rate_limited` (`retryAfter`), `checking` (`retryAfter`), or `resolve` (read the history
   * for `ref`; `resent` says whether it was sent twice already).
   */
  async begin({ key, hash, ref, now }) {
    await this.purge(now);
    const rec = await this.storage.get(K(key));
    if (!rec) {
      const limited = await this.spend(now);
      if (limited) return { verdict: "rate_limited", retryAfter: limited.retryAfter };
      const expires = now + KEY_TTL_MS;
      await this.storage.put(K(key), { hash, ref, state: "in_flight", lease: now + this.o.leaseMs, resent: false, expires });
      await this.storage.put(E(expires, key), key);
      return { verdict: "send", ref };
    }
    if (rec.hash !== hash) return { verdict: "reused" };
    if (rec.state === "done") return { verdict: "done", status: rec.status, body: rec.body };
    if ((rec.state === "in_flight" || rec.state === "resolving") && now < rec.lease) return { verdict: "in_progress" };
    // A sender or resolver that outlived its lease is presumed gone: its outcome is unknown.
    const since = rec.state === "unknown" ? rec.since : rec.lease;
    if (now - since < this.o.settleMs) {
      if (rec.state !== "unknown") await this.storage.put(K(key), { ...rec, state: "unknown", since });
      return { verdict: "checking", retryAfter: Math.max(1, Math.ceil((since + this.o.settleMs - now) / 1000)) };
    }
    await this.storage.put(K(key), { ...rec, state: "resolving", lease: now + this.o.leaseMs });
    return { verdict: "resolve", ref: rec.ref, resent: rec.resent };
  }

  /** The final answer for `key`. */
  async done({ key, status, body }) {
    const rec = await this.storage.get(K(key));
    if (rec) await this.storage.put(K(key), { ...rec, state: "done", status, body });
  }

  /** The upstream call ended without an answer (it may have been applied). */
  async unknown({ key, now }) {
    const rec = await this.storage.get(K(key));
    if (rec) await this.storage.put(K(key), { ...rec, state: "unknown", since: now });
  }

  /** Surely not sent: the key is forgotten, a retry sends anew. */
  async forget({ key }) {
    const rec = await this.storage.get(K(key));
    if (!rec) return;
    await this.storage.delete(K(key));
    await this.storage.delete(E(rec.expires, key));
  }

  /** The history shows no `ref` after settling: send once more (the only resend). */
  async resend({ key, now }) {
    const rec = await this.storage.get(K(key));
    if (!rec || rec.resent) return false;
    await this.storage.put(K(key), { ...rec, state: "in_flight", lease: now + this.o.leaseMs, resent: true });
    return true;
  }
}
