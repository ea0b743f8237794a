// Four-eyes on agents' adjustments: the pending approvals, on any storage with get/put/delete/
// list (a Map in tests); the logic of the Approvals Durable Object (approvals.mjs). Every
// method is one transition, run one at a time.
//
// An approval: { id, accountId, accountLastFour, points, adjustmentTypeCode, adjustmentReason,
//   requestedBy, requestedAt, expiresAt, status, decidedBy?, decidedAt? }
//   status PENDING → APPROVED (its adjustment then goes through the exactly-once path under the
//   key `approval/<id>`, in the requester's book) or REJECTED; a PENDING one past `expiresAt`
//   is EXPIRED; an APPROVED one whose adjustment the service refused is FAILED (closed: the
//   requester asks anew). Nobody decides their own request.
// Index `x:<expires>:<id>`: records are dropped a week after they expire.

const A = (id) => `a:${id}`;
const stamp = (t) => String(Math.max(0, Math.floor(t))).padStart(15, "0");
const X = (t, id) => `x:${stamp(t)}:${id}`;
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const FIELDS = ["accountId", "accountLastFour", "points", "adjustmentTypeCode", "adjustmentReason", "requestedBy"];

/** An approval as the routes show it. */
export const view = (a) => ({
  approvalId: a.id,
  accountId: a.accountId,
  accountLastFour: a.accountLastFour,
  points: a.points,
  adjustmentTypeCode: a.adjustmentTypeCode,
  adjustmentReason: a.adjustmentReason,
  requestedBy: a.requestedBy,
  requestedAt: new Date(a.requestedAt).toISOString(),
  expiresAt: new Date(a.expiresAt).toISOString(),
  status: a.status,
});

const live = (a, now) => a.status !== "PENDING" || now < a.expiresAt ? a.status : "EXPIRED";

/** One person, however their subject is cased or composed: four eyes never trust a spelling. */
export const samePerson = (a, b) => typeof a === "string" && typeof b === "string" && a.normalize("NFKC").toLowerCase() === b.normalize("NFKC").toLowerCase();

/** Requests one agent may have waiting at once: the list stays readable for everyone. */
export const OPEN_MAX = 20;

export class ApprovalBook {
  /**
   * `o.ttlMs`: how long a request waits for a decision; `o.staleMs`: how long after approval
   * an unanswered adjustment may still be sent (less than its key is remembered).
   */
  constructor(storage, o) {
    this.storage = storage;
    this.o = o;
  }

  async purge(now) {
    const old = await this.storage.list({ prefix: "x:", end: X(now - KEEP_MS, ""), limit: 64 });
    for (const [index, id] of old) {
      await this.storage.delete(index);
      await this.storage.delete(A(id));
    }
  }

  /**
   * Records a request (`approval`: its id and FIELDS). The same id again: `exists` when it
   * asks the same, `reused` when not. Returns `{ verdict, approval }`.
   */
  async create({ approval, now }) {
    await this.purge(now);
    const had = await this.storage.get(A(approval.id));
    if (had) return FIELDS.every((f) => had[f] === approval[f]) ? { verdict: "exists", approval: view(had) } : { verdict: "reused" };
    const all = await this.storage.list({ prefix: "a:" });
    const open = [...all.values()].filter((x) => samePerson(x.requestedBy, approval.requestedBy) && live(x, now) === "PENDING").length;
    if (open >= OPEN_MAX) return { verdict: "too_many" };
    const a = { id: approval.id, ...Object.fromEntries(FIELDS.map((f) => [f, approval[f]])), requestedAt: now, expiresAt: now + this.o.ttlMs, status: "PENDING" };
    await this.storage.put(A(a.id), a);
    await this.storage.put(X(a.expiresAt, a.id), a.id);
    return { verdict: "created", approval: view(a) };
  }

  /** The requests still waiting, oldest first (at most `limit`). */
  async list({ now, limit = 200 }) {
    const all = await this.storage.list({ prefix: "a:" });
    return [...all.values()].filter((a) => live(a, now) === "PENDING").sort((x, y) => x.requestedAt - y.requestedAt).slice(0, limit).map(view);
  }

  /** The request `id` as the list shows it (its account and points, for the issuer's policy), or null. */
  async find({ id }) {
    const a = await this.storage.get(A(id));
    return a ? view(a) : null;
  }

  /**
   * `by` decides `id`: `not_found`, `expired`, `own` (their own request, however the subject is
   * spelled), `conflict` (decided otherwise already: `status`), `rejected`, `settled` (approved
   * and answered: `final`), `stale` (approved, unanswered, older than `staleMs`: never sent
   * again), or `approve` (send it: `approval`; `repeat` when approved before, whose send is
   * exactly-once and replays).
   */
  async decide({ id, by, decision, now }) {
    const a = await this.storage.get(A(id));
    if (!a) return { verdict: "not_found" };
    if (samePerson(a.requestedBy, by)) return { verdict: "own" };
    const status = live(a, now);
    if (status === "EXPIRED") return { verdict: "expired" };
    // Sent and answered: that answer, for good (never a second send, whatever the keys remember).
    if (a.final && decision === "approve") return { verdict: "settled", final: a.final, approval: { ...view(a), decidedBy: a.decidedBy } };
    // Approved long ago with no answer kept: its key may be gone, so it is never sent again.
    if (status === "APPROVED" && !a.final && decision === "approve" && now - a.decidedAt > this.o.staleMs) return { verdict: "stale" };
    const wanted = decision === "approve" ? "APPROVED" : "REJECTED";
    // Approving a FAILED request again replays the service's refusal (its key's answer).
    const same = status === wanted || (status === "FAILED" && wanted === "APPROVED");
    if (status !== "PENDING" && !same) return { verdict: "conflict", status };
    if (status === "PENDING") await this.storage.put(A(id), { ...a, status: wanted, decidedBy: by, decidedAt: now });
    const out = { ...view(a), status: wanted, decidedBy: status === "PENDING" ? by : a.decidedBy };
    // `repeat`: decided so already (a retry of the same decision, which replays its answer).
    const repeat = status !== "PENDING";
    return decision === "approve" ? { verdict: "approve", approval: out, repeat } : { verdict: "rejected", approval: out, repeat };
  }

  /**
   * The final answer of an approved request's adjustment (`status`, `body`), kept so that every
   * later approval replays it; a refusal (`failed`) closes the request as FAILED (ask anew).
   */
  async settle({ id, status, body, failed = false }) {
    const a = await this.storage.get(A(id));
    if (a && a.status === "APPROVED" && !a.final) await this.storage.put(A(id), { ...a, status: failed ? "FAILED" : "APPROVED", final: { status, body } });
  }

  /**
   * An approval whose send could not go ahead (the requester's daily ceiling: nothing was
   * recorded under its key): waiting again, whoever tried to send it.
   */
  async reopen({ id }) {
    const a = await this.storage.get(A(id));
    if (a && a.status === "APPROVED" && !a.final) {
      const { decidedBy, decidedAt, ...rest } = a;
      await this.storage.put(A(id), { ...rest, status: "PENDING" });
    }
  }
}
