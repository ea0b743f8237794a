// The worker's bindings, read and checked once per isolate. A missing or malformed setting is
// an error naming the binding, never its value (several are secrets).

/** Every binding the worker reads (beside the Durable Object namespaces WRITES and APPROVALS). */
export const BINDINGS = Object.freeze([
  "MC_CONSUMER_KEY", "MC_SIGNING_KEY", "MC_DECRYPTION_KEY", "MC_ENCRYPTION_CERT", "MC_SIGNATURE_METHOD", "UPSTREAM_BASE",
  "AUTH_JWKS", "AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE", "ALLOWED_ORIGINS", "TRANSFER_TYPE_CODE", "UPSTREAM_TIMEOUT_MS",
  "TYPE_CODE_MAX_LENGTH", "REASON_MAX_LENGTH", "ADJUSTED_BY_MAX_LENGTH",
  "RESOLVE_BY_REASON", "SETTLE_MS", "WRITE_RATE_LIMIT", "WRITE_RATE_WINDOW_S",
  "READ_RATE_LIMIT", "READ_RATE_WINDOW_S", "SEARCH_RATE_LIMIT", "SEARCH_RATE_WINDOW_S",
  "ADJUSTMENT_MAX_POINTS", "AGENT_DAILY_MAX_POINTS", "APPROVAL_THRESHOLD_POINTS", "APPROVAL_TTL_S",
  "RECONCILE_FOR_S", "MAX_TOKEN_LIFETIME_S", "AUDIT_READS",
]);

/** A setting that is missing or malformed. */
export class SettingsError extends Error {
  constructor(message) {
    super(message);
    this.name = "SettingsError";
  }
}

const text = (env, name, { required = true, fallback } = {}) => {
  const v = env[name];
  if (v === undefined || v === null || v === "") {
    if (required && fallback === undefined) throw new SettingsError(`${name} is required`);
    return fallback;
  }
  if (typeof v !== "string") throw new SettingsError(`${name} must be text`);
  return v;
};

const loopback = (u) => ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);

/** An absolute URL without query or fragment; http only on loopback (local runs and tests). */
function baseUrl(name, value) {
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

function origins(value) {
  const list = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new SettingsError("ALLOWED_ORIGINS must name at least one origin");
  for (const o of list) {
    let exact;
    try {
      exact = new URL(o).origin;
    } catch {
      exact = null;
    }
    if (exact !== o) throw new SettingsError("ALLOWED_ORIGINS must hold exact origins (scheme://host[:port], no path)");
  }
  return new Set(list);
}

function jwks(value) {
  let set;
  try {
    set = JSON.parse(value);
  } catch {
    throw new SettingsError("AUTH_JWKS must be a JWK Set in JSON");
  }
  if (!set || !Array.isArray(set.keys) || set.keys.length === 0) throw new SettingsError("AUTH_JWKS must be a JWK Set with keys");
  // Only public keys: a private or symmetric member here would be a misconfiguration.
  for (const k of set.keys) {
    if (!k || typeof k !== "object" || typeof k.kty !== "string" || k.d !== undefined || k.k !== undefined || k.kty === "oct") {
      throw new SettingsError("AUTH_JWKS must hold public asymmetric keys only");
    }
  }
  return set;
}

function whole(env, name, min, max, fallback) {
  const v = text(env, name, { required: false, fallback: String(fallback) });
  if (!/^\d{1,16}$/.test(v) || Number(v) < min || Number(v) > max) throw new SettingsError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
}

const MAX_POINTS = Number.MAX_SAFE_INTEGER;

/**
 * The controls (docs/security.md and docs/worker-security.md): budgets per user, ceilings and four-eyes on agents'
 * adjustments, how long a write of unknown outcome is reconciled, token lifetime, audit scope.
 */
function controls(env) {
  const audit = text(env, "AUDIT_READS", { required: false, fallback: "staff" });
  if (audit !== "staff" && audit !== "all") throw new SettingsError("AUDIT_READS must be staff or all");
  return {
    rates: {
      read: { limit: whole(env, "READ_RATE_LIMIT", 1, 100000, 30), windowMs: whole(env, "READ_RATE_WINDOW_S", 1, 86400, 60) * 1000 },
      search: { limit: whole(env, "SEARCH_RATE_LIMIT", 1, 100000, 10), windowMs: whole(env, "SEARCH_RATE_WINDOW_S", 1, 86400, 60) * 1000 },
      write: { limit: whole(env, "WRITE_RATE_LIMIT", 1, 100000, 10), windowMs: whole(env, "WRITE_RATE_WINDOW_S", 1, 86400, 60) * 1000 },
    },
    adjustmentMax: whole(env, "ADJUSTMENT_MAX_POINTS", 1, MAX_POINTS, 10000),
    agentDailyMax: whole(env, "AGENT_DAILY_MAX_POINTS", 1, MAX_POINTS, 50000),
    approvalThreshold: whole(env, "APPROVAL_THRESHOLD_POINTS", 0, MAX_POINTS, 1000),
    approvalTtlMs: whole(env, "APPROVAL_TTL_S", 1, 30 * 86400, 86400) * 1000,
    reconcileMs: whole(env, "RECONCILE_FOR_S", 1, 30 * 86400, 86400) * 1000,
    maxTokenLifetimeS: whole(env, "MAX_TOKEN_LIFETIME_S", 60, 30 * 86400, 3600),
    auditReads: audit,
  };
}

/** The checked settings; throws SettingsError. */
export function readSettings(env) {
  if (!env || typeof env !== "object") throw new SettingsError("no bindings");
  const pem = (name, kind) => {
    const v = text(env, name);
    if (!v.includes(`-----BEGIN ${kind}`)) throw new SettingsError(`${name} must be a PEM ${kind.toLowerCase()}`);
    return v;
  };
  // A rotation holds the new key beside the old: each private key block a key, picked by the
  // JWE's kid. Certificates beside them (`openssl pkcs12 -nodes` writes both) are left out; a
  // block that does not parse is an error, never a key silently dropped.
  const pems = (name) => {
    const text = pem(name, "");
    const blocks = text.match(/-----BEGIN ([A-Z0-9 ]+)-----[A-Za-z0-9+/=\s]*-----END \1-----/g) ?? [];
    if (blocks.length !== (text.match(/-----BEGIN /g) ?? []).length) throw new SettingsError(`${name} holds a PEM block that does not parse`);
    const keys = blocks.filter((b) => /^-----BEGIN (RSA )?PRIVATE KEY-----/.test(b));
    if (keys.length < 1 || keys.length > 8) throw new SettingsError(`${name} must hold 1 to 8 PEM private keys`);
    return keys;
  };
  const jwksText = text(env, "AUTH_JWKS", { required: false });
  const jwksUrl = text(env, "AUTH_JWKS_URL", { required: false });
  if (!jwksText === !jwksUrl) throw new SettingsError("give exactly one of AUTH_JWKS and AUTH_JWKS_URL");
  const transferTypeCode = text(env, "TRANSFER_TYPE_CODE", { required: false, fallback: "TR" });
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(transferTypeCode)) throw new SettingsError("TRANSFER_TYPE_CODE must be letters, digits, _ or -");
  // PAS publishes no text limits: ours (20, 255, 50) unless the program's are set here; the
  // worker's own checks and its PointsClient use the same ones.
  const limits = {
    typeCode: whole(env, "TYPE_CODE_MAX_LENGTH", 1, 4096, 20),
    reason: whole(env, "REASON_MAX_LENGTH", 1, 4096, 255),
    adjustedBy: whole(env, "ADJUSTED_BY_MAX_LENGTH", 1, 4096, 50),
  };
  const resolve = text(env, "RESOLVE_BY_REASON", { required: false, fallback: "on" });
  if (resolve !== "on" && resolve !== "off") throw new SettingsError("RESOLVE_BY_REASON must be on or off");
  // Exactly-once writes (writes.mjs): whether the reason carries the key's reference, and the
  // least pause before a repeat reads the history for it.
  const writes = {
    resolveByReason: resolve === "on",
    settleMs: whole(env, "SETTLE_MS", 0, 600000, 10000),
  };
  // The reference takes 23 characters of a reason (writes.mjs, TAG_LENGTH).
  if (writes.resolveByReason && limits.reason < 64) throw new SettingsError("REASON_MAX_LENGTH must be at least 64 with RESOLVE_BY_REASON on");
  if (transferTypeCode.length > limits.typeCode) throw new SettingsError("TRANSFER_TYPE_CODE is longer than TYPE_CODE_MAX_LENGTH");
  const issuer = text(env, "AUTH_ISSUER");
  const audience = text(env, "AUTH_AUDIENCE");
  const consumerKey = text(env, "MC_CONSUMER_KEY");
  if (consumerKey.length > 512 || /[\s"]/.test(consumerKey)) throw new SettingsError("MC_CONSUMER_KEY is malformed");
  const upstream = baseUrl("UPSTREAM_BASE", text(env, "UPSTREAM_BASE"));
  const signatureMethod = text(env, "MC_SIGNATURE_METHOD", { required: false, fallback: "RSA-SHA256" });
  if (signatureMethod !== "RSA-SHA256" && signatureMethod !== "RSA-PSS") throw new SettingsError("MC_SIGNATURE_METHOD must be RSA-SHA256 or RSA-PSS");
  return {
    consumerKey,
    signingKey: pem("MC_SIGNING_KEY", ""),
    signatureMethod,
    decryptionKey: pems("MC_DECRYPTION_KEY"),
    certificate: pem("MC_ENCRYPTION_CERT", "CERTIFICATE"),
    upstream,
    userManagement: `${upstream}/mrs`,
    jwks: jwksText ? jwks(jwksText) : null,
    jwksUrl: jwksUrl ? new URL(baseUrl("AUTH_JWKS_URL", jwksUrl)) : null,
    issuer,
    audience,
    origins: origins(text(env, "ALLOWED_ORIGINS")),
    transferTypeCode,
    timeoutMs: whole(env, "UPSTREAM_TIMEOUT_MS", 100, 120000, 30000),
    limits,
    writes,
    ...controls(env),
    maxBody: 16 * 1024,
  };
}
