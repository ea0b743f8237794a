// The issuer's own policy (createPointsWorker's `authorize`), asked after the worker's rules
// allowed a request and before anything of it goes upstream. It can only narrow: it is never
// asked about a request the worker refuses, and its answer allows only when it says so.
import { Refusal } from "./auth.mjs";
import { configuration } from "./options.mjs";

/**
 * Asks the policy about the request in `c` on `target` (`{ type, id, lastFour }` or null);
 * throws Refusal 403 when it does not allow, 500 POLICY_FAILED when it throws.
 */
export async function permit(c, target) {
  const policy = configuration().authorize;
  if (!policy) return;
  const decision = Object.freeze({
    allow: true,
    route: c.routeKey,
    user: Object.freeze({ sub: c.who.sub, role: c.who.role }),
    target: target ? Object.freeze({ type: target.type, id: target.id, lastFour: target.lastFour ?? null }) : null,
    points: c.points ?? null,
    approvalId: c.approvalId ?? null,
  });
  // The request's method, URL and headers; its body is the worker's (read once, already checked).
  const request = new Request(c.request.url, { method: c.request.method, headers: c.request.headers });
  let out;
  try {
    out = await policy(decision, request);
  } catch {
    console.error("worker: the authorize policy threw; the request was refused");
    throw new Refusal(500, "POLICY_FAILED", "the request could not be authorized");
  }
  if (out === true || (out !== null && typeof out === "object" && out.allow === true)) return;
  throw new Refusal(403, "FORBIDDEN", "this request is not allowed");
}
