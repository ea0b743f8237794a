// createPointsWorker's options, checked once at creation (a PointsConfigError naming the
// option) and kept as the script's one configuration: the fetch handler and the Durable
// Objects' alarms of one script read the same. Settings given in code win over env bindings.
import { PointsConfigError } from "../web/errors.js";
import { BINDINGS, readSettings, SettingsError } from "./settings.mjs";

const fail = (option, why) => new PointsConfigError(`createPointsWorker: ${option} ${why}`);
const isPlain = (v) => v !== null && typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** The claims of today's tokens: `role` is "consumer" or "agent", `bcn` the customer number. */
export const DEFAULT_USER = Object.freeze({ sub: "sub", role: "role", roles: Object.freeze({ consumer: Object.freeze(["consumer"]), agent: Object.freeze(["agent"]) }), customerNumber: "bcn" });

const OPTIONS = ["user", "auth", "authorize", "audit", "allowedOrigins", "settings"];
const CLAIM = /^[\x21-\x7e]{1,256}$/;

/** Own data properties only, read once: a getter or a Proxy trap runs here, or never. */
function fields(value, option, allowed) {
  if (!isPlain(value)) throw fail(option, "must be a plain object");
  const out = {};
  for (const k of Reflect.ownKeys(value)) {
    if (typeof k !== "string" || !allowed.includes(k)) throw fail(option, `has an unknown member ${typeof k === "string" ? JSON.stringify(k.slice(0, 64)) : "(a symbol)"}`);
    const d = Object.getOwnPropertyDescriptor(value, k);
    if (!d || !("value" in d)) throw fail(`${option}.${k}`, "must be a data property");
    if (d.value !== undefined) out[k] = d.value;
  }
  return out;
}

function claimName(v, option) {
  if (typeof v !== "string" || !CLAIM.test(v)) throw fail(option, "must be a claim name (1 to 256 printable ASCII characters)");
  return v;
}

/** Up to `max` elements of an array, each read once (a getter runs here, or never). */
function listOf(v, max) {
  if (!Array.isArray(v) || v.length === 0 || v.length > max) return null;
  return Array.from({ length: v.length }, (_, i) => v[i]);
}

function roleValues(v, option) {
  const list = typeof v === "string" ? [v] : listOf(v, 16);
  if (!list || !list.every((s) => typeof s === "string" && s.length > 0 && s.length <= 256)) {
    throw fail(option, "must be a role value or a list of 1 to 16 of them");
  }
  return Object.freeze(list);
}

/** `user`: a function of the verified payload, or the claim names and role values to read. */
function userOption(v) {
  if (v === undefined) return DEFAULT_USER;
  if (typeof v === "function") return v;
  const u = fields(v, "user", ["sub", "role", "roles", "customerNumber"]);
  const roles = u.roles === undefined ? DEFAULT_USER.roles : fields(u.roles, "user.roles", ["consumer", "agent"]);
  const consumer = roles.consumer === undefined ? DEFAULT_USER.roles.consumer : roleValues(roles.consumer, "user.roles.consumer");
  const agent = roles.agent === undefined ? DEFAULT_USER.roles.agent : roleValues(roles.agent, "user.roles.agent");
  if (consumer.some((r) => agent.includes(r))) throw fail("user.roles", "names one value for both roles");
  return Object.freeze({
    sub: u.sub === undefined ? "sub" : claimName(u.sub, "user.sub"),
    role: u.role === undefined ? "role" : claimName(u.role, "user.role"),
    roles: Object.freeze({ consumer, agent }),
    customerNumber: u.customerNumber === undefined ? "bcn" : claimName(u.customerNumber, "user.customerNumber"),
  });
}

/** `value` as JSON text, once (a `toJSON` or getter runs here); a PointsConfigError for anything JSON cannot hold. */
function jsonText(value, option) {
  try {
    const text = JSON.stringify(value);
    if (typeof text === "string") return text;
  } catch {
    // A cycle, a BigInt, a throwing getter: reported below without its message (it may name members).
  }
  throw fail(option, "must be a JWK Set that JSON can hold");
}

/** `auth` and `allowedOrigins` as the bindings they stand for. */
function authBindings(auth, origins) {
  const out = {};
  if (auth !== undefined) {
    const a = fields(auth, "auth", ["jwks", "jwksUrl", "issuer", "audience"]);
    if (a.jwks !== undefined) {
      if (!isPlain(a.jwks)) throw fail("auth.jwks", "must be a JWK Set object");
      out.AUTH_JWKS = jsonText(a.jwks, "auth.jwks");
    }
    if (a.jwksUrl !== undefined) out.AUTH_JWKS_URL = a.jwksUrl instanceof URL ? a.jwksUrl.href : a.jwksUrl;
    if (a.issuer !== undefined) out.AUTH_ISSUER = a.issuer;
    if (a.audience !== undefined) out.AUTH_AUDIENCE = a.audience;
  }
  if (origins !== undefined) {
    const list = listOf(origins, 64);
    if (!list || !list.every((o) => typeof o === "string" && !o.includes(","))) throw fail("allowedOrigins", "must be a list of 1 to 64 origins");
    out.ALLOWED_ORIGINS = list.join(",");
  }
  return out;
}

// Credentials belong in the platform's secrets (`wrangler secret put`), never in a script.
const SECRETS = ["MC_CONSUMER_KEY", "MC_SIGNING_KEY", "MC_DECRYPTION_KEY"];

/** `settings`: bindings by name, each a string or a number. */
function settingBindings(v) {
  if (v === undefined) return {};
  const s = fields(v, "settings", BINDINGS);
  const out = {};
  for (const [k, value] of Object.entries(s)) {
    if (SECRETS.includes(k)) throw fail(`settings.${k}`, "is a credential: give it as a secret binding, not in code");
    if (typeof value === "number" && Number.isFinite(value)) out[k] = String(value);
    else if (typeof value === "string") out[k] = value;
    else throw fail(`settings.${k}`, "must be a string or a number");
  }
  return out;
}

// Stand-ins for what only env can give at creation, so that every setting given in code is
// checked now by the very rules the first request applies.
const PROBE = {
  MC_CONSUMER_KEY: "probe", MC_SIGNING_KEY: "-----BEGIN PROBE", MC_DECRYPTION_KEY: "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----",
  MC_ENCRYPTION_CERT: "-----BEGIN CERTIFICATE", UPSTREAM_BASE: "https://probe.invalid", AUTH_ISSUER: "probe",
  AUTH_AUDIENCE: "probe", ALLOWED_ORIGINS: "https://probe.invalid",
};

/**
 * The checked options: `{ user, authorize, audit, overrides }` (`overrides`: bindings set in
 * code). Throws PointsConfigError naming the option; never echoes a value.
 */
export function checkOptions(options) {
  const o = options === undefined ? {} : fields(options, "options", OPTIONS);
  for (const name of ["authorize", "audit"]) {
    if (o[name] !== undefined && typeof o[name] !== "function") throw fail(name, "must be a function");
  }
  const settings = settingBindings(o.settings);
  const auth = authBindings(o.auth, o.allowedOrigins);
  const twice = Object.keys(auth).find((k) => k in settings);
  if (twice) throw fail(`settings.${twice}`, `is given by ${twice === "ALLOWED_ORIGINS" ? "allowedOrigins" : "auth"} too: give it once`);
  const overrides = { ...settings, ...auth };
  const probe = { ...PROBE, ...(overrides.AUTH_JWKS_URL === undefined ? { AUTH_JWKS: '{"keys":[{"kty":"EC"}]}' } : {}), ...overrides };
  try {
    readSettings(probe);
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    // Named by the option that set the binding at fault (its message starts with the binding).
    const binding = BINDINGS.find((b) => e.message.startsWith(b));
    const option = binding in auth ? (binding === "ALLOWED_ORIGINS" ? "allowedOrigins" : "auth") : "settings";
    throw fail(option, `is not valid: ${e.message}`);
  }
  return Object.freeze({ user: userOption(o.user), authorize: o.authorize ?? null, audit: o.audit ?? null, overrides: Object.freeze(overrides) });
}

const DEFAULTS = Object.freeze({ user: DEFAULT_USER, authorize: null, audit: null, overrides: Object.freeze({}) });
let current = null;

/** Makes `checked` the script's configuration; a second, different one is refused. */
export function configure(checked) {
  if (current !== null && current !== checked) throw new PointsConfigError("createPointsWorker: one worker per script (its Durable Objects share one configuration)");
  current = checked;
}

/** The script's configuration (today's defaults before any `configure`). */
export const configuration = () => current ?? DEFAULTS;

/**
 * `env` with the bindings set in code over it; a key set given in code replaces either of
 * env's. The names of env bindings that code overrides are logged once, so that a change of
 * env that cannot take effect is not a silent one.
 */
export function withOverrides(env, overrides) {
  const merged = { ...env };
  const hidden = Object.keys(overrides).filter((k) => env && env[k] !== undefined && env[k] !== "" && env[k] !== overrides[k]);
  if (hidden.length > 0) console.warn(`worker: set in code, so these env bindings are ignored: ${hidden.join(", ")}`);
  if (overrides.AUTH_JWKS !== undefined || overrides.AUTH_JWKS_URL !== undefined) {
    delete merged.AUTH_JWKS;
    delete merged.AUTH_JWKS_URL;
  }
  return Object.assign(merged, overrides);
}
