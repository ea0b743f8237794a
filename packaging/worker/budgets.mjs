// A user's budgets, kept in their Durable Object (user-writes.mjs) on any storage with get/put
// (a Map in tests): sliding-window rates per bucket (reads, searches, writes), counted in a
// fixed number of slots so a check costs the same whatever the limit, and an agent's adjusted
// points per UTC day. Pure logic; the object runs one call at a time.

/** The UTC day of `now` (ms), as `YYYY-MM-DD`. */
export const utcDay = (now) => new Date(now).toISOString().slice(0, 10);

/** The most units of one bucket an isolate may hold at once (leases.mjs). */
export const LEASE_MAX = 8;

/** Slots per window: a window's count is kept in this many buckets, so a budget costs the same whatever its limit. */
const SLOTS = 30;

export class Budgets {
  /**
   * `storage`: get/put as a Durable Object's. `rates`: bucket → `{ limit, windowMs }`.
   * `memory`: the object's own Map, kept across calls: a window is then read from storage once
   * and written back once per slot (the first unit of each slot carries the counts so far), so a
   * budget check costs no disk write; a restart of the object loses at most the units spent
   * since the current slot began. Without it, every unit is written.
   */
  constructor(storage, rates, memory = null) {
    this.storage = storage;
    this.rates = rates;
    this.memory = memory;
  }

  #rate(bucket) {
    const r = this.rates && this.rates[bucket];
    if (!r || !Number.isInteger(r.limit) || !Number.isInteger(r.windowMs)) throw new Error(`no rate for ${bucket}`);
    return r;
  }

  /**
   * `bucket`'s counts still in the window at `now`: `{ slot: count }` by slot number (a slot
   * is a thirtieth of the window), with the slot size and the total.
   */
  async #window(bucket, now) {
    const { windowMs } = this.#rate(bucket);
    const size = Math.max(1, Math.ceil(windowMs / SLOTS));
    const current = Math.floor(now / size);
    const kept = {};
    let total = 0;
    const held = this.memory && this.memory.get(bucket);
    const stored = held ? held.stored : (await this.storage.get(`rate:${bucket}`)) || {};
    for (const [slot, count] of Object.entries(stored.size === size ? stored.counts : {})) {
      // A slot counts while any of it is within the window: never fewer than the limit allows.
      if (Number(slot) > current - SLOTS - 1) {
        kept[slot] = count;
        total += count;
      }
    }
    return { size, current, kept, total };
  }

  /** `{ retryAfter }` (seconds) until the oldest counted slot leaves the window. */
  #wait(w, now) {
    const oldest = Math.min(...Object.keys(w.kept).map(Number));
    return { retryAfter: Math.max(1, Math.ceil(((oldest + SLOTS + 1) * w.size - now) / 1000)) };
  }

  /**
   * Spends up to `n` units of `bucket` (as many as its window has left): `{ granted }`, or
   * `{ retryAfter }` (nothing spent) when the window is full.
   */
  async spend(bucket, now, n = 1) {
    const w = await this.#window(bucket, now);
    const left = this.#rate(bucket).limit - w.total;
    if (left <= 0) return this.#wait(w, now);
    const granted = Math.min(n, left);
    w.kept[w.current] = (w.kept[w.current] || 0) + granted;
    const stored = { size: w.size, counts: w.kept };
    const held = this.memory && this.memory.get(bucket);
    if (!held || held.written !== w.current) await this.storage.put(`rate:${bucket}`, stored);
    if (this.memory) this.memory.set(bucket, { stored, written: held && held.written === w.current ? held.written : w.current });
    return { granted };
  }

  /** Gives back `n` units of `bucket` spent in its window, the latest first (unused, or a retry that turned out to be a repeat). */
  async refund(bucket, now, n = 1) {
    const w = await this.#window(bucket, now);
    const slots = Object.keys(w.kept).map(Number).sort((a, b) => b - a);
    let left = n;
    for (const k of slots) {
      const back = Math.min(left, w.kept[k]);
      w.kept[k] -= back;
      left -= back;
      if (left === 0) break;
    }
    if (left === n) return;
    const stored = { size: w.size, counts: w.kept };
    await this.storage.put(`rate:${bucket}`, stored);
    if (this.memory) this.memory.set(bucket, { stored, written: w.current });
  }

  /** Points counted on `day` so far, in all and (with `account`) on that account. */
  async used(day, account) {
    const d = await this.storage.get("day");
    if (!d || d.day !== day) return account === undefined ? 0 : { total: 0, account: 0 };
    return account === undefined ? d.points : { total: d.points, account: (d.accounts && d.accounts[account]) || 0 };
  }

  /**
   * Counts `points` on `day` (and on `account`) unless that takes the day past `max`
   * (`{ used }`) or the account's day past `threshold` (`{ approval: true }`: above it a second
   * agent decides, however the points were split); null when counted. Only one day is kept.
   */
  async reserve(day, points, max, account, threshold) {
    const d = await this.storage.get("day");
    const today = d && d.day === day ? d : { day, points: 0, accounts: {} };
    const accounts = { ...(today.accounts || {}) };
    if (today.points + points > max) return { used: today.points };
    if (account !== undefined && threshold !== undefined && (accounts[account] || 0) + points > threshold) return { approval: true };
    if (account !== undefined) accounts[account] = (accounts[account] || 0) + points;
    await this.storage.put("day", { day, points: today.points + points, accounts });
    return null;
  }

  /** Gives back `points` counted on `day` (and `account`): a write that surely was not applied. */
  async release(day, points, account) {
    const d = await this.storage.get("day");
    if (!d || d.day !== day) return;
    const accounts = { ...(d.accounts || {}) };
    if (account !== undefined && accounts[account]) accounts[account] = Math.max(0, accounts[account] - points);
    await this.storage.put("day", { day, points: Math.max(0, d.points - points), accounts });
  }
}
