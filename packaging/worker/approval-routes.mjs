// Four-eyes routes: an agent's adjustment above APPROVAL_THRESHOLD_POINTS is recorded as a
// request (202 PENDING_APPROVAL) instead of being sent; another agent lists the requests and
// approves (the adjustment then goes through the exactly-once path, counted against the
// requester's daily ceiling) or rejects. Both agents are in the audit line of the decision.
import { Refusal } from "./auth.mjs";
import { adjustmentFields, agentOnly, invalid, overLimit } from "./authorize.mjs";
import { envelope, json, readJson } from "./http.mjs";
import { KEY_TTL_MS } from "./key-book.mjs";
import { OPEN_MAX } from "./approval-book.mjs";
import { masked } from "./mask.mjs";
import { allows, permit } from "./policy.mjs";
import { admit, bookOf, fingerprint, gatewayRefused, rateLimited, repeated } from "./writes.mjs";

/** `(op, args) => result` on the worker's Approvals Durable Object. */
function approvalsOf(c) {
  const ns = c.env.APPROVALS;
  const stub = ns.get(ns.idFromName("approvals"));
  // An approval's unanswered adjustment may be sent only while its key is surely remembered.
  const staleMs = c.settings.reconcileMs + KEY_TTL_MS - 60 * 60 * 1000;
  return (op, args = {}) => stub.run(op, args, { ttlMs: c.settings.approvalTtlMs, staleMs });
}

/** A request's id: derived from the requester and their Idempotency-Key, so a repeat finds it. */
async function approvalIdFor(sub, key) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`approval\n${sub}\n${key}`)));
  const h = [...d.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Records `input` (checked, its account found) as waiting for a second agent: 202. */
export async function requestApproval(c, gate, input, account) {
  // The requester's ceiling is checked now too, so a request that could never be sent is refused at once.
  const { used } = await gate.book("dayUsed", {});
  if (used + input.points > c.settings.agentDailyMax) throw overLimit("this adjustment would take the agent past the daily ceiling");
  const id = await approvalIdFor(c.who.sub, gate.key);
  c.approvalId = id;
  // Booked like a write (a repeat replays the 202 and spends nothing), though nothing goes upstream.
  const hash = await fingerprint(c.routeKey, adjustmentFields(input));
  const v = await gate.book("begin", { key: gate.key, hash, ref: null, local: true });
  if (v.verdict === "done") {
    c.outcome = "REPLAYED";
    return json(v.status, v.body, { "idempotent-replayed": "true" });
  }
  if (v.verdict === "reused") throw new Refusal(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another request");
  if (v.verdict !== "send") throw Object.assign(new Refusal(409, "REQUEST_IN_PROGRESS", "a request with this Idempotency-Key is in progress"), { headers: { "retry-after": "1" } });
  let r;
  try {
    r = await approvalsOf(c)("create", {
      approval: { id, accountId: account.accountId, accountLastFour: account.lastFour, ...pick(input), requestedBy: c.who.sub },
    });
  } catch (e) {
    await gate.book("forget", { key: gate.key, attempt: v.attempt });
    throw e;
  }
  if (r.verdict === "reused" || r.verdict === "too_many") {
    await gate.book("forget", { key: gate.key, attempt: v.attempt });
    if (r.verdict === "too_many") throw overLimit(`an agent may have at most ${OPEN_MAX} requests waiting for approval`);
    throw new Refusal(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another request");
  }
  const body = { approvalId: id, status: "PENDING_APPROVAL", expiresAt: r.approval.expiresAt };
  await gate.book("done", { key: gate.key, status: 202, body });
  c.outcome = "PENDING_APPROVAL";
  return json(202, body);
}

const pick = (i) => ({ points: i.points, adjustmentTypeCode: i.adjustmentTypeCode, adjustmentReason: i.adjustmentReason });

async function list(c) {
  agentOnly(c.who);
  await admit(c, "read");
  await permit(c, null);
  const all = await approvalsOf(c)("list", {});
  // Only the requests the issuer's policy lets this agent see.
  const approvals = [];
  for (const a of all) {
    if (await allows(c, { type: "account", id: a.accountId, lastFour: a.accountLastFour }, a.points)) approvals.push(a);
  }
  c.outcome = "OK";
  return json(200, { approvals: masked(approvals) });
}

/** The refusal for a decision the book would not take. */
function refusedDecision(r) {
  switch (r.verdict) {
    case "not_found": return new Refusal(404, "NOT_FOUND", "no such approval");
    case "own": return new Refusal(403, "FORBIDDEN", "an agent may not decide their own request");
    case "expired": return new Refusal(410, "APPROVAL_EXPIRED", "this approval has expired");
    case "conflict": return new Refusal(409, "ALREADY_DECIDED", r.status === "FAILED" ? "this approval is closed: its adjustment was refused" : `this approval is already ${r.status.toLowerCase()}`);
    default: return null;
  }
}

/** POST /api/agent/approvals/{approvalId} `{ decision }`. */
function decide(sendAdjustment) {
  return async (c) => {
    agentOnly(c.who);
    // The decider's write unit first, whatever the decision and whatever key the request
    // carries; a retry of a decision already taken (which only replays its answer) gets it back.
    const book = bookOf(c);
    const admitted = await book("charge", {});
    if (admitted) throw rateLimited(admitted.retryAfter);
    const body = await readJson(c.request, c.settings.maxBody);
    if (body.decision !== "approve" && body.decision !== "reject") throw invalid("decision", "must be approve or reject");
    const [id] = c.params;
    Object.assign(c, { approvalId: id, write: true });
    const approvals = approvalsOf(c);
    // The issuer's policy on the request's account and points, before the decision is recorded:
    // a refusal leaves the request waiting (an unknown id is the book's to answer).
    const found = await approvals("find", { id });
    if (found) await permit(c, { type: "account", id: found.accountId, lastFour: found.accountLastFour }, found.points);
    const r = await approvals("decide", { id, by: c.who.sub, decision: body.decision });
    if (r.repeat || r.verdict === "settled") await book("refund", {});
    const refused = refusedDecision(r);
    if (refused) throw refused;
    if (r.verdict === "stale") {
      c.outcome = "OUTCOME_UNKNOWN";
      return json(502, envelope([{ Source: "worker", ReasonCode: "OUTCOME_UNKNOWN", Description: "this approval's adjustment has no answer on record any more: check the account's history", Recoverable: false, Details: null }]));
    }
    const a = r.approval;
    // The approver on record (a second approver of an approved request only hears its answer).
    Object.assign(c, { requestedBy: a.requestedBy, approvedBy: r.verdict === "rejected" ? undefined : a.decidedBy, points: a.points });
    c.target = { type: "account", id: a.accountId, lastFour: a.accountLastFour };
    if (r.verdict === "rejected") {
      c.outcome = "REJECTED";
      return json(200, { approvalId: id, status: "REJECTED" });
    }
    if (r.verdict === "settled") {
      c.outcome = "REPLAYED";
      return json(r.final.status, r.final.body, { "idempotent-replayed": "true" });
    }
    return approve(c, approvals, a, sendAdjustment);
  };
}

/**
 * The approved adjustment's one send, booked as the requester's write under a key of the
 * approval (`approval/<id>`: no caller's Idempotency-Key can hold a `/`), and its final answer
 * kept on the approval so that every later approval replays it.
 */
async function approve(c, approvals, a, sendAdjustment) {
  const id = a.approvalId;
  const gate = { book: bookOf(c, a.requestedBy), key: `approval/${id}`, sub: a.requestedBy };
  const input = { accountId: a.accountId, ...pick(a) };
  const again = await repeated(c, gate, adjustmentFields(input));
  const response = again ?? (await sendTo(c, approvals, a, gate, input, sendAdjustment));
  // Kept only when it can never change: a 5xx (pending, NOT_APPLIED, unknown) stays the key
  // book's to answer, which corrects it if the write shows up late.
  if (response.status < 500) await approvals("settle", { id, status: response.status, body: await response.clone().json() });
  return response;
}

async function sendTo(c, approvals, a, gate, input, sendAdjustment) {
  const owner = await c.ents.ownerOf(a.accountId, c.headers);
  c.known = owner ? owner.accounts.map((x) => x.number) : [];
  const account = owner && owner.accounts.find((x) => x.accountId === a.accountId);
  if (!account) {
    const gone = envelope([{ Source: "worker", ReasonCode: "NOT_FOUND", Description: "the approval's account is no longer found", Recoverable: false, Details: null }]);
    await approvals("settle", { id: a.approvalId, status: 404, body: gone, failed: true });
    throw new Refusal(404, "NOT_FOUND", "the approval's account is no longer found");
  }
  try {
    return await sendAdjustment(c, gate, input, account, a.requestedBy);
  } catch (e) {
    // Over the requester's ceiling today: the request waits again. Refused by the service for
    // good (a 4xx, stored as the key's answer): closed, its answer kept.
    if (e instanceof Refusal && e.reasonCode === "LIMIT_EXCEEDED") await approvals("reopen", { id: a.approvalId });
    else if (e && e.code === "ERR_API" && e.status >= 400 && e.status < 500 && !gatewayRefused(e)) {
      const out = c.upstreamFailure(e);
      await approvals("settle", { id: a.approvalId, status: out.status, body: out.body, failed: true });
    }
    throw e;
  }
}

/** The approval routes, for routes.mjs's list (`sendAdjustment` passed in: no import cycle). */
export const approvalRoutes = (sendAdjustment) => [
  ["GET", "/api/agent/approvals", list],
  ["POST", "/api/agent/approvals/{approvalId}", decide(sendAdjustment)],
];
