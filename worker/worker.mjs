// The page's backend (the contract's "edge worker"): authenticates every user (auth.mjs),
// authorizes every object they touch (authorize.mjs) and only then encrypts, signs and calls
// Mastercard with PointsClient (`signer` + `decryptionKey`). Module syntax; runs in workerd
// (node worker/serve.mjs) and deploys to Cloudflare (worker/wrangler.toml).
//
// Bindings: MC_CONSUMER_KEY, MC_SIGNING_KEY, MC_DECRYPTION_KEY (secrets), MC_ENCRYPTION_CERT,
// UPSTREAM_BASE, AUTH_JWKS or AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, ALLOWED_ORIGINS, and
// optionally TRANSFER_TYPE_CODE (TR), UPSTREAM_TIMEOUT_MS (30000) and the text limits
// TYPE_CODE_MAX_LENGTH (20), REASON_MAX_LENGTH (255), ADJUSTED_BY_MAX_LENGTH (50).
import { initSync, PointsClient } from "./pkg/points_activity.js";
import wasm from "./pkg/points_activity_bg.wasm";
import { audit } from "./audit.mjs";
import { Refusal, verifier } from "./auth.mjs";
import { Entitlements } from "./entitlements.mjs";
import { corsFor, envelope, json, refusal } from "./http.mjs";
import { masked } from "./mask.mjs";
import { METHODS, ROUTES } from "./routes.mjs";
import { readSettings, SettingsError } from "./settings.mjs";

export { UserWrites } from "./user-writes.mjs";

initSync({ module: wasm });

const CORRELATION = /^[A-Za-z0-9._-]{1,64}$/;

// One set of settings, verifier, client and entitlement cache per isolate, made on first use.
// A failure is not kept (the next request tries again) and never echoed: it could only be
// about the secrets.
let state;
function stateFor(env) {
  if (state) return state;
  const settings = readSettings(env);
  // Exactly-once writes and rate limits live in the UserWrites Durable Object.
  if (!env.WRITES || typeof env.WRITES.idFromName !== "function") throw new SettingsError("WRITES (the UserWrites Durable Object namespace) is not bound");
  const client = PointsClient.create({
    baseUrl: settings.upstream,
    userManagementBaseUrl: settings.userManagement,
    encryption: { certificate: settings.certificate, decryptionKey: settings.decryptionKey },
    signer: { consumerKey: settings.consumerKey, signingKey: settings.signingKey },
    timeoutMs: settings.timeoutMs,
    limits: settings.limits,
  });
  const ready = client.then((c) => ({ settings, identify: verifier(settings), client: c, ents: new Entitlements(c) }));
  state = ready;
  ready.catch(() => {
    if (state === ready) state = undefined;
  });
  return ready;
}

/** What an upstream failure becomes for the page: its own envelope, or the worker's. */
function upstreamFailure(e, known) {
  if (e && e.code === "ERR_API" && Number.isInteger(e.status)) {
    const errors = (Array.isArray(e.errors) ? e.errors : []).map((x) => ({
      Source: x.source ?? null, ReasonCode: x.reasonCode ?? null, Description: x.description ?? null, Recoverable: x.recoverable ?? null, Details: x.details ?? null,
    }));
    return { status: e.status, body: masked(envelope(errors), known) };
  }
  const mine = (status, code, description, recoverable) => ({
    status,
    body: envelope([{ Source: "worker", ReasonCode: code, Description: description, Recoverable: recoverable, Details: e && typeof e.mayHaveBeenSent === "boolean" ? `mayHaveBeenSent=${e.mayHaveBeenSent}` : null }]),
  });
  switch (e && e.code) {
    case "ERR_TIMEOUT": return mine(504, "UPSTREAM_TIMEOUT", "Mastercard did not answer in time", true);
    case "ERR_NETWORK": return mine(502, "UPSTREAM_UNREACHABLE", "Mastercard could not be reached", true);
    case "ERR_RESPONSE_INVALID":
    case "ERR_JWE_INVALID":
    case "ERR_JWE_UNSUPPORTED":
    case "ERR_JWE_DECRYPTION_FAILED": return mine(502, "UPSTREAM_INVALID", "Mastercard's answer could not be read", false);
    case "ERR_VALIDATION": return { status: 400, body: envelope([{ Source: "worker", ReasonCode: "INVALID_REQUEST", Description: e.message, Recoverable: false, Details: e.field ?? null }]) };
    default: return mine(500, "WORKER_ERROR", "the request could not be completed", false);
  }
}

async function handle(request, env) {
  const url = new URL(request.url);
  const origin = request.headers.get("origin");
  let s;
  try {
    s = await stateFor(env);
  } catch (e) {
    console.error(`worker: not configured: ${e && e.name === "SettingsError" ? e.message : e && e.code ? e.code : "client"}`);
    return refusal(new Refusal(500, "WORKER_MISCONFIGURED", "the worker is not configured"), { vary: "Origin" });
  }
  const cors = corsFor(origin, s.settings.origins);
  const given = request.headers.get("x-correlation-id");
  const correlationId = given && CORRELATION.test(given) ? given : crypto.randomUUID();
  const base = { ...cors, "x-correlation-id": correlationId };
  const routeKey = `${request.method} ${url.pathname}`;
  const method = METHODS.get(url.pathname);
  // `known`: card numbers the handler has seen, masked in whatever goes back.
  const c = {
    request, url, env, routeKey, settings: s.settings, client: s.client, ents: s.ents, correlationId,
    headers: { "x-correlation-id": correlationId }, who: null, lastFour: undefined, write: false, known: [],
    upstreamFailure: (e) => upstreamFailure(e, c.known),
  };
  const refuse = (r) => {
    // Only a known route is named: a path is the caller's text (it could hold a card number).
    audit({ user: c.who?.sub, role: c.who?.role, route: ROUTES.has(routeKey) ? routeKey : "unknown", lastFour: c.lastFour, status: r.status, outcome: r.reasonCode, correlationId });
    return refusal(r, { ...base, ...(r.headers || {}) });
  };

  if (request.method === "OPTIONS") {
    const asked = (request.headers.get("access-control-request-method") || "").toUpperCase();
    if (!method) return refuse(new Refusal(404, "NOT_FOUND", "no such route"));
    if (!origin || !s.settings.origins.has(origin) || asked !== method) return refuse(new Refusal(403, "FORBIDDEN", "this origin or method may not call the worker"));
    return new Response(null, {
      status: 204,
      headers: { ...base, "access-control-allow-methods": method, "access-control-allow-headers": "authorization, content-type, idempotency-key, x-correlation-id", "access-control-max-age": "600" },
    });
  }
  // A browser on another site is refused before anything else; a caller without Origin (a
  // server, curl) still needs a valid token below.
  if (origin && !s.settings.origins.has(origin)) return refuse(new Refusal(403, "FORBIDDEN", "this origin may not call the worker"));
  const handler = ROUTES.get(routeKey);
  if (!handler) return refuse(new Refusal(404, "NOT_FOUND", "no such route"));
  try {
    c.who = await s.identify(request.headers.get("authorization"));
    const response = await handler(c);
    for (const [k, v] of Object.entries(base)) response.headers.set(k, v);
    if (c.write) audit({ user: c.who.sub, role: c.who.role, route: routeKey, lastFour: c.lastFour, status: response.status, outcome: c.outcome ?? "OK", correlationId });
    return response;
  } catch (e) {
    if (e instanceof Refusal) return refuse(e);
    const out = upstreamFailure(e, c.known);
    if (c.write) {
      const reason = out.body.Errors.Error[0]?.ReasonCode;
      const outcome = typeof reason === "string" && /^[A-Z0-9_]{1,64}$/.test(reason) ? reason : "UPSTREAM_ERROR";
      audit({ user: c.who.sub, role: c.who.role, route: routeKey, lastFour: c.lastFour, status: out.status, outcome, correlationId });
    }
    return json(out.status, out.body, base);
  }
}

export default {
  async fetch(request, env) {
    try {
      return await handle(request, env);
    } catch {
      // Nothing of the failure reaches the caller.
      return new Response(JSON.stringify(envelope([{ Source: "worker", ReasonCode: "WORKER_ERROR", Description: "the request could not be completed", Recoverable: false, Details: null }])), { status: 500, headers: { "content-type": "application/json", "cache-control": "no-store", vary: "Origin" } });
    }
  },
};
