// Who is calling the proxy: the shared PROXY_TOKEN (compared in constant time, as SHA-256
// digests) or a JWT of role "service" verified with jose (asymmetric algorithms only, issuer,
// audience, expiry, 60 s of clock tolerance). Checked before anything else the proxy does.
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from "jose";

const ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"];
const encoder = new TextEncoder();
const digest = async (s) => new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(s)));

/** `(authorizationHeader) => Promise<boolean>` for the settings. */
export function callerCheck(settings) {
  const expected = settings.proxyToken ? digest(settings.proxyToken) : null;
  const keys = settings.jwt && (settings.jwt.jwks ? createLocalJWKSet(settings.jwt.jwks) : createRemoteJWKSet(settings.jwt.jwksUrl, { timeoutDuration: 5000 }));
  return async function allowed(header) {
    const m = typeof header === "string" ? /^Bearer ([\x21-\x7e]{1,8192})$/i.exec(header) : null;
    if (!m) return false;
    if (expected) {
      const [given, want] = await Promise.all([digest(m[1]), expected]);
      let diff = 0;
      for (let i = 0; i < want.length; i++) diff |= given[i] ^ want[i];
      if (diff === 0) return true;
    }
    if (keys && m[1].split(".").length === 3) {
      try {
        const { payload } = await jwtVerify(m[1], keys, { algorithms: ALGORITHMS, issuer: settings.jwt.issuer, audience: settings.jwt.audience, clockTolerance: 60, requiredClaims: ["exp", "sub"] });
        return payload.role === "service";
      } catch {
        return false;
      }
    }
    return false;
  };
}
