// The edge worker under test: workerd running worker/worker.mjs in front of the sandbox (run
// with --log-requests, so a test can see whether anything reached it), and a token issuer of
// the tests' own (jose, ES256) whose JWKS the worker trusts.
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { start } from "../../worker/serve.mjs";
import { sandbox, SEED } from "./sandbox-support.mjs";

export const ISSUER = "https://id.test.example";
export const AUDIENCE = "points-worker";
export const ORIGIN = "http://127.0.0.1:5173";

/** A signing key and its public JWK (kid "k1"). */
export async function issuerKey(alg = "ES256", kid = "k1") {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { alg, kid, privateKey, publicKey, jwk };
}

/** A token: `claims` over sane defaults (valid for 10 minutes). */
export function token(key, claims = {}, { iss = ISSUER, aud = AUDIENCE, exp = "10m", nbf, header = {} } = {}) {
  const t = new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).setIssuedAt().setIssuer(iss).setAudience(aud);
  if (exp !== null) t.setExpirationTime(exp);
  if (nbf) t.setNotBefore(nbf);
  return t.sign(key.privateKey);
}

/** workerd serving the worker on a free port, for `env`; resolves once it answers. */
export async function worker(env, name = `t${process.pid}-${Math.floor(Math.random() * 1e6)}`, options = {}) {
  // Below Linux's ephemeral range (32768 and up), so no outgoing connection can hold it.
  const port = 20000 + Math.floor(Math.random() * 12000);
  const logs = [];
  const child = start(port, { PATH: process.env.PATH, ...env }, ["ignore", "pipe", "pipe"], name, options);
  child.stdout.on("data", (d) => logs.push(...String(d).split("\n").filter(Boolean)));
  child.stderr.on("data", (d) => logs.push(...String(d).split("\n").filter(Boolean)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${base}/`);
      break;
    } catch {
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  return {
    base,
    env,
    logs,
    audits: () => logs.filter((l) => l.startsWith('{"audit"')).map((l) => JSON.parse(l)),
    stop: () => new Promise((ok) => {
      if (child.exitCode !== null) return ok();
      child.once("exit", ok);
      child.kill();
    }),
  };
}

/** Sandbox (logging requests, sensitive lookups encrypted) + worker + issuer key. */
export async function workerChain({ seed = SEED, env = {}, sandboxArgs = [], name } = {}) {
  const sb = await sandbox(["--log-requests", "--encrypt-responses", "sensitive", "--faults", ...sandboxArgs], seed);
  const key = await issuerKey();
  const wk = await worker({
    MC_CONSUMER_KEY: sb.keys.consumerKey,
    MC_SIGNING_KEY: sb.keys.signingKey,
    MC_DECRYPTION_KEY: sb.keys.clientKey,
    MC_ENCRYPTION_CERT: sb.keys.mastercardCertificate,
    UPSTREAM_BASE: sb.base,
    AUTH_JWKS: JSON.stringify({ keys: [key.jwk] }),
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    ALLOWED_ORIGINS: ORIGIN,
    // High enough for the suites' own writes; the rate-limit test sets its own.
    WRITE_RATE_LIMIT: "100000",
    ...env,
  }, name);
  /** Request lines the sandbox logged so far ("METHOD /path status"). */
  const upstream = () => sb.logs.join("").split("\n").filter((l) => /^(GET|POST|PUT|DELETE|PATCH|OPTIONS|HEAD) \//.test(l));
  // `ch.wk` may be replaced (a restart of workerd): calls and stop follow it.
  const call = (method, path, { bearer, body, headers = {} } = {}) => fetch(`${ch.wk.base}${path}`, {
    method,
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const ch = { sb, wk, key, upstream, call, stop: async () => { await ch.wk.stop(); await sb.stop(); } };
  return ch;
}
