// The proxy's bindings, checked once: a malformed number, a header the proxy must never pass
// on, or no way to authenticate callers is an error naming the binding (never its value), and
// serve.mjs refuses to start on it.

/** A setting that is missing or malformed. */
export class SettingsError extends Error {
  constructor(message) {
    super(message);
    this.name = "SettingsError";
  }
}

// Never forwarded from a caller, whatever ALLOWED_HEADERS says: credentials, routing and framing.
const NEVER = /^(authorization|proxy-authorization|cookie|host|connection|content-length|transfer-encoding|upgrade|te|x-forwarded-.*|forwarded)$/;
const loopback = (u) => ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);

const text = (env, name) => {
  const v = env[name];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new SettingsError(`${name} must be text`);
  return v;
};

function whole(env, name, min, max, fallback) {
  const v = text(env, name);
  if (v === undefined) return fallback;
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw new SettingsError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
}

function url(name, value) {
  let u;
  try {
    u = new URL(value);
  } catch {
    throw new SettingsError(`${name} must be an absolute URL`);
  }
  if (u.search || u.hash || u.username || u.password) throw new SettingsError(`${name} must have no query, fragment or credentials`);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback(u))) throw new SettingsError(`${name} must be https (http only on loopback)`);
  return value.replace(/\/+$/, "");
}

/** The checked settings; throws SettingsError. */
export function readSettings(env) {
  if (!env || typeof env !== "object") throw new SettingsError("no bindings");
  const consumerKey = text(env, "MC_CONSUMER_KEY");
  if (!consumerKey) throw new SettingsError("MC_CONSUMER_KEY is required");
  const signingKey = text(env, "MC_SIGNING_KEY");
  if (!signingKey || !signingKey.includes("-----BEGIN ")) throw new SettingsError("MC_SIGNING_KEY must be a PEM private key");
  const signatureMethod = text(env, "MC_SIGNATURE_METHOD") ?? "RSA-SHA256";
  if (signatureMethod !== "RSA-SHA256" && signatureMethod !== "RSA-PSS") throw new SettingsError("MC_SIGNATURE_METHOD must be RSA-SHA256 or RSA-PSS");
  const upstream = text(env, "UPSTREAM_BASE");
  if (!upstream) throw new SettingsError("UPSTREAM_BASE is required");
  const list = (name, fallback) => (text(env, name) ?? fallback).split(",").map((s) => s.trim()).filter(Boolean);
  const origins = list("ALLOWED_ORIGINS", "");
  for (const o of origins) {
    let exact = null;
    try {
      exact = new URL(o).origin;
    } catch {
      // reported below
    }
    if (exact !== o) throw new SettingsError("ALLOWED_ORIGINS must hold exact origins (scheme://host[:port])");
  }
  const headers = list("ALLOWED_HEADERS", "x-correlation-id").map((h) => h.toLowerCase());
  for (const h of headers) {
    if (!/^[a-z0-9-]{1,64}$/.test(h)) throw new SettingsError("ALLOWED_HEADERS must list header names");
    if (NEVER.test(h)) throw new SettingsError(`ALLOWED_HEADERS may not name ${h}: the proxy never passes it on`);
  }
  const prefix = (text(env, "PATH_PREFIX") ?? "/loyalty").replace(/\/+$/, "");
  if (prefix !== "" && !/^(\/[A-Za-z0-9._~-]+)+$/.test(prefix)) throw new SettingsError("PATH_PREFIX must be a path like /loyalty, or /");

  // Who may call: a shared bearer token, a JWT of role "service", or both; never nobody.
  const proxyToken = text(env, "PROXY_TOKEN");
  // Printable ASCII only: anything else could never arrive in an Authorization header.
  if (proxyToken !== undefined && !/^[\x21-\x7e]{32,4096}$/.test(proxyToken)) throw new SettingsError("PROXY_TOKEN must be 32 or more printable ASCII characters without spaces");
  const jwksText = text(env, "AUTH_JWKS");
  const jwksUrl = text(env, "AUTH_JWKS_URL");
  const jwt = jwksText !== undefined || jwksUrl !== undefined;
  if (!proxyToken && !jwt) throw new SettingsError("no caller check: set PROXY_TOKEN, or AUTH_JWKS (or AUTH_JWKS_URL) with AUTH_ISSUER and AUTH_AUDIENCE");
  let jwks = null;
  if (jwt) {
    if (jwksText !== undefined && jwksUrl !== undefined) throw new SettingsError("give one of AUTH_JWKS and AUTH_JWKS_URL");
    if (!text(env, "AUTH_ISSUER") || !text(env, "AUTH_AUDIENCE")) throw new SettingsError("AUTH_ISSUER and AUTH_AUDIENCE are required with AUTH_JWKS");
    if (jwksText !== undefined) {
      try {
        jwks = JSON.parse(jwksText);
      } catch {
        throw new SettingsError("AUTH_JWKS must be a JWK Set in JSON");
      }
      if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.some((k) => !k || k.d !== undefined || k.k !== undefined || k.kty === "oct")) {
        throw new SettingsError("AUTH_JWKS must hold public asymmetric keys only");
      }
    }
  }
  return {
    consumerKey,
    signingKey,
    signatureMethod,
    upstream: url("UPSTREAM_BASE", upstream),
    origins: new Set(origins),
    prefix,
    maxBody: whole(env, "MAX_BODY_BYTES", 1, 10 << 20, 65536),
    headers: new Set(["accept", "content-type", ...headers]),
    timeoutMs: whole(env, "UPSTREAM_TIMEOUT_MS", 100, 120000, 30000),
    proxyToken,
    jwt: jwt ? { jwks, jwksUrl: jwksUrl ? new URL(url("AUTH_JWKS_URL", jwksUrl)) : null, issuer: text(env, "AUTH_ISSUER"), audience: text(env, "AUTH_AUDIENCE") } : null,
  };
}
