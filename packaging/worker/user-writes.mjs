// The UserWrites Durable Object: one per user (named by the token's `sub`), holding that user's
// idempotency keys and budgets (key-book.mjs, budgets.mjs). Reached only by this worker, by RPC,
// one transition per call; each runs alone (the input gate) and its writes are stored before
// its answer leaves, but for the transitions named in HELD. Its alarm reconciles pending
// writes from the history when nobody asks (a page that was closed): see key-book.mjs.
import { DurableObject } from "cloudflare:workers";
import { audit } from "./audit.mjs";
import { KeyBook } from "./key-book.mjs";
import { stateFor } from "./state.mjs";
import { fromHistory, inHistory } from "./writes.mjs";

const OPS = new Set(["admit", "charge", "refund", "begin", "peek", "done", "unknown", "forget", "found", "missing", "dayUsed"]);
// Transitions whose loss in a crash is safe, held in memory and written with the next
// transition that must be stored (one commit for both) or within HOLD_MS: a budget unit (at
// worst one spent unit forgotten) and a send's own answer (lost, the key's lease turns it
// pending and the history tells the truth). `begin` is always stored before a send.
const HELD = new Set(["admit", "done"]);
const HOLD_MS = 500;
const SCHEDULING = new Set(["begin", "unknown", "missing"]);
const GONE = Symbol("deleted");

/** Writes kept in memory over `storage`: `view` reads through them, `flush` stores them. */
class Held {
  constructor(storage) {
    this.storage = storage;
    this.writes = new Map();
  }

  /** A storage whose writes stay here until `flush`. */
  view() {
    return {
      get: async (k) => (this.writes.has(k) ? (this.writes.get(k) === GONE ? undefined : structuredClone(this.writes.get(k))) : this.storage.get(k)),
      put: async (k, v) => void this.writes.set(k, structuredClone(v)),
      delete: async (k) => void this.writes.set(k, GONE),
      list: async (o) => {
        await this.flush();
        return this.storage.list(o);
      },
    };
  }

  /** Stores what is held, as part of the current transition's writes. */
  async flush(options) {
    if (this.writes.size === 0) return;
    const writes = [...this.writes];
    this.writes.clear();
    for (const [k, v] of writes) await (v === GONE ? this.storage.delete(k, options) : this.storage.put(k, v, options));
  }
}

/**
 * The Durable Object class of the `WRITES` binding: one per user (their idempotency keys,
 * budgets and daily totals). Export it from the worker's script.
 */
export class UserWrites extends DurableObject {
  constructor(state, env) {
    super(state, env);
    this.state = state;
    this.env = env;
    // The budgets' windows, held between calls (budgets.mjs).
    this.windows = new Map();
    this.held = new Held(state.storage);
  }

  /**
   * One transition of the user's book (`op`, its `args`), by RPC from this worker. A transition
   * awaits nothing but this object's storage, so the runtime's input gate runs it alone: no
   * other request reaches the object in between.
   */
  async run(op, args, options) {
    if (!OPS.has(op) || !args || typeof args !== "object" || !options || typeof options !== "object") throw new TypeError("not an operation");
    // The alarm has no request to take its options from: the latest are kept.
    const text = JSON.stringify(options);
    if (text !== this.options) {
      await this.state.storage.put("options", options, { allowUnconfirmed: true });
      this.options = text;
    }
    let storage = this.state.storage;
    if (HELD.has(op)) {
      storage = this.held.view();
      this.#flushSoon();
    } else {
      await this.held.flush();
    }
    const book = new KeyBook(storage, { ...options, memory: this.windows });
    // The object's own clock: every transition of one user is timed by one clock.
    const out = await book[op]({ ...args, now: Date.now() });
    // Only these add to the alarm's agenda; the others only take from it (a spurious alarm finds
    // nothing due and costs one look).
    if (SCHEDULING.has(op)) await this.#schedule(book);
    return out ?? null;
  }

  /** Stores what is held within HOLD_MS when no stored transition comes first. */
  #flushSoon() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.held.flush({ allowUnconfirmed: true }).catch(() => console.error("user-writes: held writes could not be stored (a lease or a refund will mend them)"));
    }, HOLD_MS);
  }

  /** Sets the alarm to the agenda's first entry when that is sooner than the one set. */
  async #schedule(book) {
    const wake = await book.nextWake();
    if (wake === null) return;
    // The alarm's time, read once per instance and kept: setting it is the object's own doing.
    if (this.alarmAt === undefined) this.alarmAt = await this.state.storage.getAlarm();
    if (this.alarmAt === null || this.alarmAt <= Date.now() || wake < this.alarmAt) {
      this.alarmAt = Math.max(wake, Date.now() + 50);
      await this.state.storage.setAlarm(this.alarmAt);
    }
  }

  /** Reads the history for every pending key whose time has come, then sets the next alarm. */
  async alarm() {
    // The alarm that was set has fired: until it is set again, none is.
    this.alarmAt = null;
    await this.held.flush();
    const options = await this.state.storage.get("options");
    if (!options) return;
    const book = new KeyBook(this.state.storage, options);
    const due = await book.due({ now: Date.now() });
    if (due.length > 0) {
      const { client } = await stateFor(this.env);
      for (const d of due) await this.#reconcile(book, client, d);
    }
    const wake = await book.nextWake();
    this.alarmAt = wake === null ? null : Math.max(wake, Date.now() + 1000);
    if (this.alarmAt !== null) await this.state.storage.setAlarm(this.alarmAt);
  }

  async #reconcile(book, client, { key, ref, attempt, watch }) {
    let entry = null;
    let readable = true;
    try {
      entry = await inHistory(client, watch.account, ref, { "x-correlation-id": crypto.randomUUID() });
    } catch {
      readable = false;
    }
    // Between the history read (a fetch, which lets other requests in) and this transition the
    // key may have moved on: `found` is the truth whoever holds it, `missing` is fenced by `attempt`.
    await this.held.flush();
    const out = entry ? await book.found({ key, body: fromHistory(watch, entry) }) : await book.missing({ key, attempt, readable, now: Date.now() });
    // What the page was not there to hear is in the audit log.
    if (out && out.outcome !== "OUTCOME_PENDING") {
      // Not awaited: a slow sink must not hold up the reconciliation of the user's other keys.
      const logged = audit({ ...watch.audit, status: out.status, outcome: out.outcome, via: "reconciliation" });
      if (typeof this.state.waitUntil === "function") this.state.waitUntil(logged);
    }
  }
}
