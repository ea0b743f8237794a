// points-activity/worker's declarations (pkg/npm/worker/index.d.ts): a user's worker compiles,
// wrong options do not.
import { createPointsWorker, UserWrites, Approvals, type WorkerDecision, type WorkerAuditLine } from "../../pkg/npm/worker/index.mjs";

export { UserWrites, Approvals };

const lines: WorkerAuditLine[] = [];
export default createPointsWorker({
  user: { role: "https://bank.example/role", roles: { consumer: "customer", agent: ["csr", "supervisor"] }, customerNumber: "customer_no" },
  authorize: (decision: WorkerDecision) => (decision.target?.type === "customer" && decision.user.role === "agent" ? false : decision),
  audit: async (line) => {
    lines.push(line);
  },
  allowedOrigins: ["https://app.example"],
  settings: { READ_RATE_LIMIT: 60, AUDIT_READS: "all" },
});

createPointsWorker({ user: (payload) => ({ sub: String(payload.uid), role: "agent" }) });
createPointsWorker();

// @ts-expect-error: no such setting
createPointsWorker({ settings: { READ_LIMIT: 60 } });
// @ts-expect-error: a role the worker does not have
createPointsWorker({ user: () => ({ sub: "x", role: "admin" }) });
// @ts-expect-error: the policy sees a frozen decision
createPointsWorker({ authorize: (d: WorkerDecision) => ((d.allow = true), d) });
