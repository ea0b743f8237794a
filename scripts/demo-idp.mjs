// DEMO ONLY: a local token issuer standing in for the card issuer's identity provider, so the
// demo can sign in as Alex, Sam or one of two agents without one. It signs short-lived ES256 tokens
// with a key made at start and publishes its JWKS; anyone who can reach it gets a token, which
// is exactly why nothing like it belongs in production (see docs/security.md).
import { SignJWT, exportJWK, generateKeyPair } from "jose";

/**
 * The demo's users: two consumers of www/demo-seed.json and two agents (an adjustment above the
 * worker's approval threshold needs a second agent: four eyes).
 */
export const USERS = {
  alex: { label: "Alex (consumer)", claims: { sub: "alex", role: "consumer", bcn: "8800000101" } },
  sam: { label: "Sam (consumer)", claims: { sub: "sam", role: "consumer", bcn: "8800000202" } },
  agent: { label: "Riley (customer-service agent)", claims: { sub: "agent-riley", role: "agent" } },
  jordan: { label: "Jordan (customer-service agent)", claims: { sub: "agent-jordan", role: "agent" } },
};

/** An issuer: `{ issuer, audience, jwks, token(user) }`. */
export async function demoIssuer({ issuer, audience, lifetimeSeconds = 600 }) {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const kid = `demo-${Date.now().toString(36)}`;
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] };
  return {
    issuer,
    audience,
    jwks,
    /** A token for one of USERS, or null. */
    async token(user) {
      const u = Object.hasOwn(USERS, user) ? USERS[user] : null;
      if (!u) return null;
      const accessToken = await new SignJWT(u.claims)
        .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${lifetimeSeconds}s`)
        .sign(privateKey);
      return { access_token: accessToken, token_type: "Bearer", expires_in: lifetimeSeconds };
    },
  };
}
