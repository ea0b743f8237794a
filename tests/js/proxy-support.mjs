// The proxy under test: workerd running proxy/worker.mjs, in front of a local upstream that
// checks every signature on its own (Mastercard's signer's functions rebuild the base string,
// node:crypto verifies the RSA signature with the public key).
import { createServer } from "node:http";
import { constants, createHash, createPublicKey, createVerify } from "node:crypto";
import { createRequire } from "node:module";
import { start } from "../../proxy/serve.mjs";
import { fixture } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const OAuth = require("mastercard-oauth1-signer");
export const SIGNING_KEY = fixture("keys/oauth-signing-key.pkcs8.pem");
export const CONSUMER_KEY = "points-activity-test!0123456789abcdef";
/** The callers' shared token of the proxies under test (PROXY_TOKEN). */
export const PROXY_TOKEN = "test-proxy-token-0123456789abcdef0123456789";
const PUBLIC = createPublicKey(SIGNING_KEY);

/** Whether `req` (with its body bytes) carries a valid signature over exactly that body. */
export function verifySignature(method, fullUrl, headers, body) {
  const auth = headers.authorization || "";
  if (!auth.startsWith("OAuth ")) return { ok: false, why: "no OAuth header" };
  const p = Object.fromEntries([...auth.slice(6).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const oauth = new Map(Object.entries(p).filter(([k]) => k !== "oauth_signature"));
  const sbs = OAuth.getSignatureBaseString(method, OAuth.getBaseUriString(fullUrl),
    OAuth.toOAuthParamString(OAuth.extractQueryParams(fullUrl), oauth));
  // Mastercard's two methods: PKCS#1 v1.5, or PSS with MGF1 SHA-256 and a 32-byte salt.
  const key = p.oauth_signature_method === "RSA-PSS" ? { key: PUBLIC, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : PUBLIC;
  const signatureOk = createVerify("RSA-SHA256").update(sbs).verify(key, decodeURIComponent(p.oauth_signature || ""), "base64");
  const hash = createHash("sha256").update(body).digest("base64");
  return { ok: signatureOk && hash === p.oauth_body_hash && p.oauth_consumer_key === CONSUMER_KEY, signatureOk, hashOk: hash === p.oauth_body_hash, params: p };
}

/** A local upstream recording what reached it, answering `reply(req)` or 200 `{"ok":true}`. */
export async function upstream(reply) {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const fullUrl = `http://${req.headers.host}${req.url}`;
      const check = verifySignature(req.method, fullUrl, req.headers, body);
      seen.push({ method: req.method, url: req.url, headers: req.headers, body, check });
      const r = reply ? reply(req) : null;
      res.writeHead(r?.status ?? 200, r?.headers ?? { "content-type": "application/json", "set-cookie": "session=upstream", connection: "close", "x-correlation-id": "u-1" });
      res.end(r?.body ?? '{"ok":true}');
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { seen, port: server.address().port, close: () => new Promise((ok) => server.close(ok)) };
}

/** workerd serving the proxy on a free port; resolves once it answers. `options.check: false` skips the start-up check. */
export async function proxy(env, options = {}) {
  // Below Linux's ephemeral range (32768 and up), so no outgoing connection can hold it.
  const port = 20000 + Math.floor(Math.random() * 12000);
  const logs = [];
  const child = start(port, { PATH: process.env.PATH, MC_CONSUMER_KEY: CONSUMER_KEY, MC_SIGNING_KEY: SIGNING_KEY, PROXY_TOKEN, ...env }, ["ignore", "pipe", "pipe"], options);
  child.stdout.on("data", (d) => logs.push(String(d)));
  child.stderr.on("data", (d) => logs.push(String(d)));
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
    logs,
    /** The header a caller of this proxy sends. */
    auth: { authorization: `Bearer ${env.PROXY_TOKEN ?? PROXY_TOKEN}` },
    stop: () => new Promise((ok) => {
      child.once("exit", ok);
      child.kill();
    }),
  };
}
