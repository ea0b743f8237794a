// A user's budgets, kept in their Durable Object (user-writes.mjs) on any storage with get/put
// (a Map in tests): sliding-window rates per bucket (reads, searches, writes) and an agent's
// adjusted points per UTC day. Pure logic; the object runs one call at a time.

/** The UTC day of `now` (ms), as `YYYY-MM-DD`. */
export const utcDay = (now) => new Date(now).toISOString().slice(0, 10);

/** What a spent window answers: `{ retryAfter }` in whole seconds, at least one. */
const wait = (oldest, windowMs, now) => ({ retryAfter: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) });

export class Budgets {
  /** `storage`: get/put as a Durable Object's. `rates`: bucket → `{ limit, windowMs }`. */
  constructor(storage, rates) {
    this.storage = storage;
    this.rates = rates;
  }

  #rate(bucket) {
    const r = this.rates && this.rates[bucket];
    if (!r || !Number.isInteger(r.limit) || !Number.isInteger(r.windowMs)) throw new Error(`no rate for ${bucket}`);
    return r;
  }

  async #recent(bucket, now) {
    const { windowMs } = this.#rate(bucket);
    return ((await this.storage.get(`rate:${bucket}`)) || []).filter((t) => now - t < windowMs);
  }

  /** `{ retryAfter }` when `bucket`'s window is full at `now`, else null; spends nothing. */
  async over(bucket, now) {
    const { limit, windowMs } = this.#rate(bucket);
    const recent = await this.#recent(bucket, now);
    return recent.length < limit ? null : wait(recent[0], windowMs, now);
  }

  /** Spends one unit of `bucket`; `{ retryAfter }` (nothing spent) when its window is full. */
  async spend(bucket, now) {
    const { limit, windowMs } = this.#rate(bucket);
    const recent = await this.#recent(bucket, now);
    if (recent.length >= limit) return wait(recent[0], windowMs, now);
    recent.push(now);
    await this.storage.put(`rate:${bucket}`, recent);
    return null;
  }

  /** Points counted on `day` so far. */
  async used(day) {
    const d = await this.storage.get("day");
    return d && d.day === day ? d.points : 0;
  }

  /**
   * Counts `points` on `day` unless that takes the day past `max`: returns null, or
   * `{ used }` (nothing counted). Only the current day is kept.
   */
  async reserve(day, points, max) {
    const used = await this.used(day);
    if (used + points > max) return { used };
    await this.storage.put("day", { day, points: used + points });
    return null;
  }

  /** Gives back `points` counted on `day` (a write that surely was not applied). */
  async release(day, points) {
    const used = await this.used(day);
    if (used > 0) await this.storage.put("day", { day, points: Math.max(0, used - points) });
  }
}
