// The worker's fetch handler (index.mjs makes it with createPointsWorker): authenticates every
// user (auth.mjs), spends their budget and authorizes every object they touch (routes.mjs) and
// only then encrypts, signs and calls Mastercard with PointsClient (`signer` +
// `decryptionKey`). Every access by staff, every write and every refusal leaves an audit line
// (audit.mjs).
//
// Bindings: MC_CONSUMER_KEY, MC_SIGNING_KEY, MC_DECRYPTION_KEY (secrets), MC_ENCRYPTION_CERT,
// UPSTREAM_BASE, AUTH_JWKS or AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, ALLOWED_ORIGINS, the
// Durable Object namespaces WRITES (UserWrites) and APPROVALS (Approvals), and optionally the
// settings and controls read by settings.mjs; any of them may be given in code instead.
import { audit } from "./audit.mjs";
import { Refusal } from "./auth.mjs";
import { corsFor, refusal, json } from "./http.mjs";
import { routeOf } from "./routes.mjs";
import { stateFor } from "./state.mjs";
import { upstreamFailure } from "./upstream.mjs";
import { REQUEST_HEADER } from "./upstream-hints.mjs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The caller's `x-correlation-id` when it is a UUID (lower-cased), else a new one. */
export function correlationOf(given) {
  const id = typeof given === "string" ? given.toLowerCase() : "";
  return UUID.test(id) ? id : crypto.randomUUID();
}

async function settled(env) {
  // Exactly-once writes, budgets and approvals live in Durable Objects.
  for (const [name, what] of [["WRITES", "UserWrites"], ["APPROVALS", "Approvals"]]) {
    if (!env[name] || typeof env[name].idFromName !== "function") throw Object.assign(new Error(`${name} (the ${what} Durable Object namespace) is not bound`), { name: "SettingsError" });
  }
  return stateFor(env);
}

/** The per-request context the handlers fill in (`target`, `outcome`, …) for the audit line. */
function contextFor(request, url, env, ctx, s, route, correlationId) {
  const c = {
    request, url, env,
    // Work that may finish after the answer leaves; its failure is the book's lease to mend.
    after: (promise) => {
      // Logged without detail: it could only be about the book, never the caller's data.
      const settled = Promise.resolve(promise).catch(() => console.error("worker: a write's answer could not be recorded (its lease will resolve it)"));
      c.keep(settled);
    },
    // Work the runtime must let finish after the answer (it never rejects).
    keep: (promise) => {
      if (ctx && typeof ctx.waitUntil === "function") ctx.waitUntil(promise);
    }, routeKey: route.key, params: route.params, settings: s.settings, client: s.client, ents: s.ents, correlationId,
    // The request's own token on its upstream calls (upstream-hints.mjs): never the caller's text.
    token: crypto.randomUUID(),
    headers: null, who: null, target: null, write: false, known: [],
    upstreamFailure: (e) => upstreamFailure(e, c.known, s.settings.consumerKey, c.token),
    auditFields: () => ({
      user: c.who?.sub, role: c.who?.role, route: c.routeKey, target: c.target, correlationId, points: c.points,
      approvalId: c.approvalId, requestedBy: c.requestedBy, approvedBy: c.approvedBy,
    }),
  };
  c.headers = { "x-correlation-id": correlationId, [REQUEST_HEADER]: c.token };
  return c;
}

/** Staff always; consumers for writes, refusals, and their reads with AUDIT_READS=all. */
const audited = (c) => c.write || c.who?.role === "agent" || c.settings.auditReads === "all";

async function handle(request, env, ctx) {
  const url = new URL(request.url);
  const origin = request.headers.get("origin");
  let s;
  try {
    s = await settled(env);
  } catch (e) {
    console.error(`worker: not configured: ${e && e.name === "SettingsError" ? e.message : e && e.code ? e.code : "client"}`);
    return refusal(new Refusal(500, "WORKER_MISCONFIGURED", "the worker is not configured"), { vary: "Origin" });
  }
  const cors = corsFor(origin, s.settings.origins);
  const correlationId = correlationOf(request.headers.get("x-correlation-id"));
  const base = { ...cors, "x-correlation-id": correlationId };
  const route = routeOf(request.method, url.pathname);
  const c = contextFor(request, url, env, ctx, s, route, correlationId);
  const refuse = (r) => {
    // Only a known route is named: a path is the caller's text (it could hold a card number).
    c.keep(audit({ ...c.auditFields(), route: route.key ?? "unknown", status: r.status, outcome: r.reasonCode }));
    return refusal(r, { ...base, ...(r.headers || {}) });
  };

  if (request.method === "OPTIONS") {
    const asked = (request.headers.get("access-control-request-method") || "").toUpperCase();
    if (route.methods.length === 0) return refuse(new Refusal(404, "NOT_FOUND", "no such route"));
    if (!origin || !s.settings.origins.has(origin) || !route.methods.includes(asked)) return refuse(new Refusal(403, "FORBIDDEN", "this origin or method may not call the worker"));
    return new Response(null, {
      status: 204,
      headers: { ...base, "access-control-allow-methods": route.methods.join(", "), "access-control-allow-headers": "authorization, content-type, idempotency-key, x-correlation-id", "access-control-max-age": "600" },
    });
  }
  // A browser on another site is refused before anything else; a caller without Origin (a
  // server, curl) still needs a valid token below.
  if (origin && !s.settings.origins.has(origin)) return refuse(new Refusal(403, "FORBIDDEN", "this origin may not call the worker"));
  if (!route.handler) return refuse(new Refusal(route.methods.length ? 405 : 404, route.methods.length ? "METHOD_NOT_ALLOWED" : "NOT_FOUND", "no such route"));
  try {
    c.who = await s.identify(request.headers.get("authorization"));
    const response = await route.handler(c);
    for (const [k, v] of Object.entries(base)) response.headers.set(k, v);
    if (audited(c)) c.keep(audit({ ...c.auditFields(), status: response.status, outcome: c.outcome ?? (response.ok ? "OK" : "UNKNOWN") }));
    return response;
  } catch (e) {
    if (e instanceof Refusal) return refuse(e);
    const out = c.upstreamFailure(e);
    if (audited(c)) {
      const reason = out.body.Errors.Error[0]?.ReasonCode;
      c.keep(audit({ ...c.auditFields(), status: out.status, outcome: typeof reason === "string" ? reason : "UPSTREAM_ERROR" }));
    }
    return json(out.status, out.body, { ...base, ...out.headers });
  }
}

/** The Workers module handler's `fetch`: every request answered, nothing of a failure told. */
export async function serve(request, env, ctx) {
  try {
    return await handle(request, env, ctx);
  } catch {
    return json(500, { Errors: { Error: [{ Source: "worker", ReasonCode: "WORKER_ERROR", Description: "the request could not be completed", Recoverable: false, Details: null }] } }, { vary: "Origin" });
  }
}
