// One structured JSON line per access to a customer's data by staff (search, read, adjustment,
// approval), per write, per refusal, and per reconciled write; consumers' reads too with
// AUDIT_READS=all. Who, which route, the target (a customer or account reference confirmed by
// a lookup or an answer, and the card's last four), the outcome and the correlation id. Never
// a card number, a key or a token: every field is chosen and checked here, none passed through.
import { configuration } from "./options.mjs";

const REF = /^[A-Za-z0-9-]{1,64}$/;
const CODE = /^[A-Z0-9_]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SUB = /^[\x21-\x7e]{1,4096}$/;

const str = (v, re) => (typeof v === "string" && re.test(v) ? v : null);

/** `{ type: "account" | "customer", id, lastFour }` kept only when every part is well formed. */
function target(t) {
  if (!t || typeof t !== "object" || (t.type !== "account" && t.type !== "customer")) return null;
  return { type: t.type, id: str(t.id, REF), lastFour: str(t.lastFour, /^\d{4}$/) };
}

/** The line for `fields`; names outside the list below are ignored. */
export function auditLine({ user, role, route, target: t, status, outcome, correlationId, points, approvalId, requestedBy, approvedBy, via }) {
  const line = {
    audit: "points-worker",
    time: new Date().toISOString(),
    user: str(user, SUB),
    role: role === "agent" || role === "consumer" ? role : null,
    route: typeof route === "string" && /^(GET|POST|OPTIONS) \/[a-z/-]{0,64}(\{approvalId\})?$/.test(route) ? route : "unknown",
    target: target(t),
    status: Number.isInteger(status) ? status : null,
    outcome: str(outcome, CODE) ?? "UNKNOWN",
    correlationId: str(correlationId, UUID),
  };
  if (Number.isSafeInteger(points)) line.points = points;
  if (str(approvalId, UUID)) line.approvalId = approvalId;
  if (str(requestedBy, SUB)) line.requestedBy = requestedBy;
  if (str(approvedBy, SUB)) line.approvedBy = approvedBy;
  if (via === "reconciliation") line.via = via;
  return line;
}

/** The default sink: one JSON line on the console (Workers Logs, `wrangler tail`, Logpush). */
const toConsole = (line) => console.log(JSON.stringify(line));

/** How long the sink may take before its line is written to the console too. */
export const SINK_TIMEOUT_MS = 5000;

/**
 * Hands the audit line for `fields` to the configured sink (createPointsWorker's `audit`), or
 * to the console. Never rejects, and never holds up the answer (the sink runs after the
 * current step): a sink that throws, rejects or takes longer than SINK_TIMEOUT_MS gets its
 * line written to the console as well, so no line is lost (a late sink's may then be there
 * twice). The promise is for `waitUntil`.
 */
export function audit(fields) {
  const line = auditLine(fields);
  const sink = configuration().audit;
  if (!sink) return Promise.resolve(toConsole(line));
  let timer;
  const late = new Promise((_, fail) => (timer = setTimeout(() => fail(new Error("late")), SINK_TIMEOUT_MS)));
  const sent = Promise.resolve().then(() => sink(structuredClone(line)));
  return Promise.race([sent, late]).then(
    () => clearTimeout(timer),
    () => {
      clearTimeout(timer);
      console.error("worker: the audit sink failed or took too long; the line follows on the console");
      toConsole(line);
    },
  );
}
