// The edge worker under test: workerd running worker/worker.mjs (or a bundle) in front of the sandbox (run
// with --log-requests, so a test can see whether anything reached it), and a token issuer of
// the tests' own (jose, ES256) whose JWKS the worker trusts.
import { createServer, request as httpRequest } from "node:http";
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

/**
 * A loopback relay in front of `target` (an origin): it forwards every request as it came, and
 * `rules` may change that for the next request matching `METHOD /path` (queued, one each):
 * `{ holdMs }` delivers it that much later (whatever became of the caller), `{ status, body,
 * headers }` answers instead of the target, `{ twice: true }` delivers it twice and answers with
 * the second answer (a runtime repeating a request). `seen` lists what arrived.
 */
export async function relay(target) {
  const rules = new Map();
  const seen = [];
  // node:http, not fetch: the request goes on with its own Host (the gateway's signature base
  // string covers the URL the worker signed), and nothing is added or removed.
  const forward = (req, body) => new Promise((ok, fail) => {
    const u = new URL(target);
    const out = httpRequest({ host: u.hostname, port: u.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      const chunks = [];
      r.on("data", (d) => chunks.push(d));
      r.on("end", () => ok({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks) }));
      r.on("error", fail);
    });
    out.on("error", fail);
    out.end(body);
  });
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const ch of req) chunks.push(ch);
    const body = Buffer.concat(chunks);
    const key = `${req.method} ${req.url.split("?")[0]}`;
    seen.push({ key, authorization: req.headers.authorization ?? null, at: Date.now() });
    const rule = (rules.get(key) || []).shift();
    const reply = (r) => {
      if (res.destroyed) return;
      const h = { ...r.headers };
      delete h["transfer-encoding"];
      delete h.connection;
      res.writeHead(r.status, h).end(r.body);
    };
    try {
      if (rule && rule.holdMs) {
        await new Promise((ok) => setTimeout(ok, rule.holdMs));
        reply(await forward(req, body));
      } else if (rule && rule.status) {
        reply({ status: rule.status, headers: { "content-type": "application/json", ...(rule.headers || {}) }, body: Buffer.from(JSON.stringify(rule.body ?? {})) });
      } else if (rule && rule.twice) {
        await forward(req, body);
        reply(await forward(req, body));
      } else {
        reply(await forward(req, body));
      }
    } catch {
      res.destroy();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    seen,
    /** Queues `rule` for the next request of `key` ("METHOD /path"). */
    next: (key, rule) => rules.set(key, [...(rules.get(key) || []), rule]),
    stop: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(ok);
    }),
  };
}

/**
 * Sandbox (logging requests, sensitive lookups encrypted) + worker + issuer key; with `relay`,
 * the worker reaches the sandbox through a loopback relay (`ch.relay`); with `bundle`, the
 * worker is that bundle of Wrangler's instead of worker/worker.mjs; with `main`, that script
 * (a file importing points-activity/worker).
 */
export async function workerChain({ seed = SEED, env = {}, sandboxArgs = [], name, relay: relayed = false, bundle = null, main } = {}) {
  const sb = await sandbox(["--log-requests", "--encrypt-responses", "sensitive", "--faults", ...sandboxArgs], seed);
  const rl = relayed ? await relay(new URL(sb.base).origin) : null;
  const key = await issuerKey();
  const wk = await worker({
    MC_CONSUMER_KEY: sb.keys.consumerKey,
    MC_SIGNING_KEY: sb.keys.signingKey,
    MC_DECRYPTION_KEY: sb.keys.clientKey,
    MC_ENCRYPTION_CERT: sb.keys.mastercardCertificate,
    UPSTREAM_BASE: rl ? `${rl.base}${new URL(sb.base).pathname}` : sb.base,
    AUTH_JWKS: JSON.stringify({ keys: [key.jwk] }),
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    ALLOWED_ORIGINS: ORIGIN,
    // High enough for the suites' own calls; the budget tests set their own.
    WRITE_RATE_LIMIT: "100000",
    READ_RATE_LIMIT: "100000",
    SEARCH_RATE_LIMIT: "100000",
    // A function of the sandbox when a setting needs its keys.
    ...(typeof env === "function" ? env(sb) : env),
  }, name, { bundle, main });
  /** Request lines the sandbox logged so far ("METHOD /path status"). */
  const upstream = () => sb.logs.join("").split("\n").filter((l) => /^(GET|POST|PUT|DELETE|PATCH|OPTIONS|HEAD) \//.test(l));
  // `ch.wk` may be replaced (a restart of workerd): calls and stop follow it.
  const call = (method, path, { bearer, body, headers = {} } = {}) => fetch(`${ch.wk.base}${path}`, {
    method,
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const ch = { sb, wk, key, upstream, call, relay: rl, stop: async () => { await ch.wk.stop(); await sb.stop(); if (rl) await rl.stop(); } };
  return ch;
}
