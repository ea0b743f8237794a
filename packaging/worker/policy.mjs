// The issuer's own policy (createPointsWorker's `authorize`). Asked on every route once the
// worker's own checks of the request passed and before anything of it goes upstream (a lookup,
// a repeat's history read, the call itself), with the account or customer the request names;
// a search is asked again with the customer it found, before that is answered, and a list of
// approvals shows only the requests the policy allows. It can only narrow: it is never asked
// about a request the worker refuses, and its answer allows only when it says so.
import { Refusal } from "./auth.mjs";
import { configuration } from "./options.mjs";

/** How long the policy may take before the request is refused. */
export const POLICY_TIMEOUT_MS = 5000;

const failed = () => new Refusal(500, "POLICY_FAILED", "the request could not be authorized");

// The request as the policy sees it: method, URL and headers, never its credentials (the
// worker has verified them; the decision carries who the user is).
function requestFor(request) {
  const headers = new Headers(request.headers);
  for (const h of ["authorization", "cookie"]) headers.delete(h);
  return new Request(request.url, { method: request.method, headers });
}

/**
 * Whether the policy allows the request in `c` on `target` (`{ type, id, lastFour? }` or null)
 * moving `points` (or null); true when there is no policy. Throws Refusal 500 POLICY_FAILED
 * when the policy throws, rejects or takes longer than POLICY_TIMEOUT_MS.
 */
export async function allows(c, target, points = c.points ?? null) {
  const policy = configuration().authorize;
  if (!policy) return true;
  const decision = Object.freeze({
    allow: true,
    route: c.routeKey,
    user: Object.freeze({ sub: c.who.sub, role: c.who.role }),
    target: target ? Object.freeze({ type: target.type, id: target.id, lastFour: target.lastFour ?? null }) : null,
    points,
    approvalId: c.approvalId ?? null,
  });
  let timer;
  try {
    const late = new Promise((_, fail) => (timer = setTimeout(() => fail(new Error("late")), POLICY_TIMEOUT_MS)));
    const out = await Promise.race([policy(decision, requestFor(c.request)), late]);
    // Read here, inside the guard: an answer whose `allow` is a throwing getter is a failure.
    return out === true || (out !== null && typeof out === "object" && out.allow === true);
  } catch {
    console.error("worker: the authorize policy failed (threw, rejected or took too long); the request was refused");
    throw failed();
  } finally {
    clearTimeout(timer);
  }
}

/** As `allows`, refusing with 403 FORBIDDEN when the policy does not allow. */
export async function permit(c, target, points) {
  if (!(await allows(c, target, points))) throw new Refusal(403, "FORBIDDEN", "this request is not allowed");
}
