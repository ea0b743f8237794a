// Who is calling: the bearer token verified with jose (asymmetric algorithms only, issuer,
// audience, expiry, at most 60 s of clock tolerance), then its claims read into an identity:
// by the claim names and role values of createPointsWorker's `user` option, or by its function.
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from "jose";
import { holdsCardNumber } from "./card-numbers.mjs";
import { DEFAULT_USER } from "./options.mjs";

/** The only algorithms a token may use: no `none`, no HMAC (a public key is no secret). */
export const ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"];
const MAX_TOKEN = 8192;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// Printable ASCII: it becomes `adjustedBy` (its length is checked against the settings' limit).
const SUB = /^[\x21-\x7e]{1,4096}$/;
const BCN = /^[A-Za-z0-9-]{1,50}$/;

/** A caller who is not authenticated (401) or not allowed by their claims (403). */
export class Refusal extends Error {
  constructor(status, reasonCode, description, details = null) {
    super(description);
    this.status = status;
    this.reasonCode = reasonCode;
    this.details = details;
  }
}

const unauthenticated = (why) => new Refusal(401, "UNAUTHENTICATED", why);

/**
 * A verifier for the settings' key set: `(authorizationHeader) => identity`, or throws Refusal.
 * `user`: claim names and role values, or a function of the verified payload (options.mjs).
 */
export function verifier(settings, user = DEFAULT_USER) {
  const keys = settings.jwks
    ? createLocalJWKSet(settings.jwks)
    : createRemoteJWKSet(settings.jwksUrl, { timeoutDuration: 5000, cooldownDuration: 30000 });
  return async function identify(header) {
    if (typeof header !== "string" || !header) throw unauthenticated("a bearer token is required");
    const refused = (why) => Object.assign(unauthenticated(why), { tokenGiven: true });
    const m = /^Bearer ([^\s]+)$/i.exec(header);
    if (!m || m[1].length > MAX_TOKEN || !JWT.test(m[1])) throw refused("the bearer token is malformed");
    const hit = verified.get(m[1]);
    if (hit && Date.now() < hit.until) return hit.identity;
    let payload;
    try {
      ({ payload } = await jwtVerify(m[1], keys, {
        algorithms: ALGORITHMS,
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: 60,
        // The subject claim is checked with the others by `identity`, wherever `user` finds it.
        requiredClaims: ["exp", "iat"],
      }));
    } catch {
      // Why a token failed (expired, wrong key…) is for the issuer's logs, not for the caller.
      throw refused("the bearer token is not valid");
    }
    if (!shortLived(payload, settings.maxTokenLifetimeS, Date.now() / 1000)) throw refused("the bearer token lives too long");
    const who = Object.freeze(identity(await claimsOf(payload, user), payload.exp, settings.limits.adjustedBy));
    remember(m[1], who, payload.exp * 1000);
    return who;
  };
}

// Tokens verified in this isolate, by their exact text: the same text verifies to the same
// claims, so it is checked once per minute at most, and never past its `exp`. A key withdrawn
// from a remote JWKS stops its tokens within VERIFIED_MS.
const VERIFIED_MS = 60_000;
const MAX_VERIFIED = 1000;
const verified = new Map();

function remember(token, who, expMs) {
  verified.delete(token);
  verified.set(token, { identity: who, until: Math.min(Date.now() + VERIFIED_MS, expMs) });
  while (verified.size > MAX_VERIFIED) verified.delete(verified.keys().next().value);
}

/**
 * A token issued (`iat`) no later than a minute from `now` and valid (`exp − iat`) for at most
 * `maxS` seconds: a stolen long-lived token is refused whatever its expiry.
 */
export function shortLived({ iat, exp }, maxS, now) {
  return Number.isFinite(iat) && Number.isFinite(exp) && iat <= now + 60 && exp - iat <= maxS;
}

const claim = (payload, name) => (Object.hasOwn(payload, name) ? payload[name] : undefined);

/** How long the `user` function may take before the token is refused. */
const USER_TIMEOUT_MS = 5000;

/** `{ sub, role, customerNumber }` from a verified payload, as `user` reads them; throws Refusal. */
export async function claimsOf(payload, user) {
  if (typeof user === "function") {
    let timer;
    try {
      const late = new Promise((_, fail) => (timer = setTimeout(() => fail(new Error("late")), USER_TIMEOUT_MS)));
      const out = await Promise.race([user(Object.freeze(structuredClone(payload))), late]);
      if (!out || typeof out !== "object") throw new Refusal(403, "FORBIDDEN", "the token's role may not use this service");
      // Its own properties only, read here once: an inherited `role` is no role.
      return { sub: claim(out, "sub"), role: claim(out, "role"), customerNumber: claim(out, "customerNumber") };
    } catch (e) {
      if (e instanceof Refusal) throw e;
      console.error("worker: the user option failed (threw, rejected or took too long) on a verified token");
      throw unauthenticated("the token's claims could not be read");
    } finally {
      clearTimeout(timer);
    }
  }
  const given = claim(payload, user.role);
  const values = typeof given === "string" ? [given] : Array.isArray(given) ? given.filter((v) => typeof v === "string") : [];
  const consumer = values.some((v) => user.roles.consumer.includes(v));
  const agent = values.some((v) => user.roles.agent.includes(v));
  // Both roles at once is no role: the worker never guesses which one was meant.
  const role = consumer === agent ? null : consumer ? "consumer" : "agent";
  return { sub: claim(payload, user.sub), role, customerNumber: claim(payload, user.customerNumber) };
}

/** The identity the worker acts on, checked: `{ sub, role, bcn?, exp }`. */
export function identity({ sub, role, customerNumber }, exp, maxSub = 50) {
  if (typeof sub !== "string" || !SUB.test(sub) || sub.length > maxSub) throw unauthenticated("the token's subject is malformed");
  // It becomes `adjustedBy` at PAS and the audit log's `user`: never a card number.
  if (/\d{12}/.test(sub) || holdsCardNumber(sub)) throw unauthenticated("the token's subject is malformed");
  if (role === "agent") return { sub, role, exp };
  if (role === "consumer") {
    if (typeof customerNumber !== "string" || !BCN.test(customerNumber)) throw new Refusal(403, "FORBIDDEN", "the token names no customer");
    return { sub, role, bcn: customerNumber, exp };
  }
  throw new Refusal(403, "FORBIDDEN", "the token's role may not use this service");
}
