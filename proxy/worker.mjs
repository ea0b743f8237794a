// The signing proxy, for the issuer's own servers only: an edge worker (module syntax) that
// authenticates its caller, then signs the six Points Activity operations with OAuth 1.0a and
// forwards them to Mastercard. Pages never call it: they call the worker (worker/), which
// authorizes every object; anyone who can call a signer can move points.
//
// Bindings (secrets first): MC_CONSUMER_KEY, MC_SIGNING_KEY (PEM), MC_SIGNATURE_METHOD, PROXY_TOKEN and/or AUTH_JWKS
// (or AUTH_JWKS_URL) with AUTH_ISSUER and AUTH_AUDIENCE (callers: the token, or a JWT of role
// "service"; one of them is required), UPSTREAM_BASE (e.g.
// https://sandbox.api.mastercard.com/loyalty), and optionally ALLOWED_ORIGINS (exact origins),
// MAX_BODY_BYTES (65536), PATH_PREFIX ("/loyalty"), ALLOWED_HEADERS (request headers passed on
// besides accept and content-type), UPSTREAM_TIMEOUT_MS (30000). settings.mjs checks them.
import { initSync, OAuth1Signer } from "./pkg/points_activity.js";
import OPERATIONS from "./pkg/operations.json";
import wasm from "./pkg/points_activity_bg.wasm";
import { callerCheck } from "./caller.mjs";
import { readSettings } from "./settings.mjs";

initSync({ module: wasm });

// Path (after PATH_PREFIX) → the methods the proxy forwards there, from the crate's operations
// list (pkg/operations.json, written by scripts/build.sh); anything else is 404. User Account
// Management answers under `/mrs`. Keyed by path and method: a GET and a POST on one path both
// stay.
const ROUTES = new Map();
for (const op of OPERATIONS) {
  const path = `${op.service === "UAM" ? "/mrs" : ""}${op.path}`;
  ROUTES.set(path, [...(ROUTES.get(path) ?? []), op.method]);
}
// Response headers worth passing back; everything else (Set-Cookie, hop-by-hop…) stays behind.
const PASS_BACK = ["content-type", "retry-after", "cache-control", "x-correlation-id", "x-request-id"];

// One signer per isolate, made on first use. A failure is not cached, and never echoed: it
// could only be about the secrets.
let signer;
function signerFor(s) {
  signer ??= OAuth1Signer.create({ consumerKey: s.consumerKey, signingKey: s.signingKey, signatureMethod: s.signatureMethod })
    .catch((e) => {
      signer = undefined;
      throw Object.assign(new Error("signer"), { code: e && e.code });
    });
  return signer;
}

// Settings and the caller check, once per isolate; a bad setting is never cached or echoed.
let checked;
function stateFor(env) {
  if (!checked) {
    const settings = readSettings(env);
    checked = { settings, allowed: callerCheck(settings) };
  }
  return checked;
}

// The proxy's own errors, in Mastercard's Errors envelope with Source "proxy".
function refuse(status, reasonCode, description, cors = { vary: "Origin" }, recoverable = false) {
  const body = JSON.stringify({ Errors: { Error: [{ Source: "proxy", ReasonCode: reasonCode, Description: description, Recoverable: recoverable, Details: null }] } });
  const extra = status === 401 ? { "www-authenticate": 'Bearer realm="points-proxy"' } : {};
  return new Response(body, { status, headers: { "content-type": "application/json", ...cors, ...extra } });
}

function corsHeaders(origin, s) {
  return origin && s.origins.has(origin)
    ? { "access-control-allow-origin": origin, vary: "Origin", "access-control-expose-headers": "retry-after, x-correlation-id" }
    : { vary: "Origin" };
}

// Why a query may not be forwarded: a key twice (the signer and the gateway could read
// different values) or an `oauth_*` parameter (it would enter the signature base).
function queryProblem(search) {
  const seen = new Set();
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (!part) continue;
    let key;
    try {
      key = decodeURIComponent(part.split("=")[0].replace(/\+/g, " "));
    } catch {
      return ["INVALID_QUERY", "the query is not valid percent-encoding"];
    }
    if (/^oauth_/i.test(key)) return ["OAUTH_PARAMETER_REFUSED", "oauth_* query parameters are the proxy's own"];
    if (seen.has(key)) return ["DUPLICATE_QUERY_PARAMETER", "a query parameter is given twice"];
    seen.add(key);
  }
  return null;
}

// The body, read once and at most `max` bytes; null when it is larger.
async function readBody(request, max) {
  const declared = Number(request.headers.get("content-length"));
  if (declared > max) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export default {
  async fetch(request, env) {
    try {
      return await handle(request, env);
    } catch {
      // A caller that went away mid-body, say: an answer in the envelope, nothing of the failure.
      return refuse(500, "PROXY_ERROR", "the request could not be completed");
    }
  },
};

async function handle(request, env) {
  {
    let s;
    let allowed;
    try {
      ({ settings: s, allowed } = stateFor(env));
    } catch (e) {
      console.error(`proxy: not configured: ${e && e.name === "SettingsError" ? e.message : "settings"}`);
      return refuse(500, "PROXY_MISCONFIGURED", "the proxy is not configured");
    }
    const url = new URL(request.url);
    const origin = request.headers.get("origin");
    const cors = corsHeaders(origin, s);
    const route = url.pathname.startsWith(`${s.prefix}/`) ? url.pathname.slice(s.prefix.length) : null;
    const methods = (route && ROUTES.get(route)) || [];
    // The operation: the request's method, when the path takes it (a preflight checks what it asks for below).
    const method = methods.includes(request.method) ? request.method : undefined;

    if (request.method === "OPTIONS") {
      const asked = (request.headers.get("access-control-request-method") || "").toUpperCase();
      if (methods.length === 0) return refuse(404, "NOT_FOUND", "no such operation");
      if (!origin || !s.origins.has(origin) || !methods.includes(asked)) {
        return refuse(403, "CORS_REFUSED", "this origin or method may not call the proxy");
      }
      const wanted = (request.headers.get("access-control-request-headers") || "").toLowerCase().split(",").map((h) => h.trim()).filter(Boolean);
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          "access-control-allow-methods": methods.join(", "),
          "access-control-allow-headers": wanted.filter((h) => s.headers.has(h) || h === "authorization").join(", ") || "content-type",
          "access-control-max-age": "600",
        },
      });
    }
    // The caller first: nothing about routes or the upstream is told to a stranger.
    if (!(await allowed(request.headers.get("authorization")))) {
      return refuse(401, "UNAUTHENTICATED", "this proxy is for authenticated services only", cors);
    }
    if (!method) return refuse(404, "NOT_FOUND", "no such operation", cors);
    if (origin && !s.origins.has(origin)) return refuse(403, "ORIGIN_NOT_ALLOWED", "this origin may not call the proxy");
    const problem = queryProblem(url.search);
    if (problem) return refuse(400, problem[0], problem[1], cors);

    const body = method === "POST" ? await readBody(request, s.maxBody) : new Uint8Array(0);
    if (body === null) return refuse(413, "BODY_TOO_LARGE", `the body is larger than ${s.maxBody} bytes`, cors);

    const target = `${s.upstream}${route}${url.search}`;
    let authorization;
    try {
      authorization = await (await signerFor(s)).authorizationHeader(method, target, method === "POST" ? body : null);
    } catch (e) {
      console.error("proxy: cannot sign", e && e.code ? e.code : "");
      return refuse(500, "PROXY_MISCONFIGURED", "the proxy cannot sign requests", cors);
    }
    const headers = new Headers({ authorization });
    // Headers the caller marked hop-by-hop in `Connection` stop here, allowed or not.
    const hop = new Set((request.headers.get("connection") || "").toLowerCase().split(",").map((h) => h.trim()).filter(Boolean));
    for (const [k, v] of request.headers) if (s.headers.has(k) && !hop.has(k)) headers.set(k, v);

    let upstream;
    try {
      upstream = await fetch(target, {
        method,
        headers,
        body: method === "POST" ? body : undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(s.timeoutMs),
      });
    } catch (e) {
      const timedOut = e && e.name === "TimeoutError";
      return refuse(timedOut ? 504 : 502, timedOut ? "UPSTREAM_TIMEOUT" : "UPSTREAM_UNREACHABLE",
        timedOut ? "Mastercard did not answer in time" : "Mastercard could not be reached", cors, true);
    }
    const back = new Headers(cors);
    for (const h of PASS_BACK) {
      const v = upstream.headers.get(h);
      if (v !== null) back.set(h, v);
    }
    return new Response(upstream.body, { status: upstream.status, headers: back });
  }
}
