// The whole chain for end-to-end tests: the sandbox (target/debug/points-sandbox, with a seed
// file of known identifiers and a fresh key set), the workerd proxy signing for it, and
// clients of the Node build.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { pkg } from "./helpers.mjs";
import { proxy } from "./proxy-support.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = join(root, "target", "debug", "points-sandbox");

export const IDS = {
  a1: { ranac: "300000000000000000000000000001", ban: "5555444433332222" },
  a2: { ranac: "300000000000000000000000000002", ban: "5555444433331111" },
  b1: { ranac: "300000000000000000000000000003", ban: "4111111111111111" },
  customerA: { rancu: "100000000000000001", bcn: "BCN-A-0001" },
  customerB: { rancu: "100000000000000002", bcn: "BCN-B-0002" },
};

export const SEED = {
  today: "2026-11-22",
  customers: [
    {
      rancu: IDS.customerA.rancu, bcn: IDS.customerA.bcn, household: "HH-1",
      accounts: [
        {
          ranac: IDS.a1.ranac, ban: IDS.a1.ban, primary: true, onHold: 150,
          entries: [
            { date: "2026-01-05", kind: "EARNED", points: 5000 },
            { date: "2026-03-20", kind: "REDEEMED", points: -1000 },
            { date: "2026-05-12", kind: "ADJUSTED", points: 200, typeCode: "GOODWILL", reason: "service recovery", by: "agent-1" },
            { date: "2026-06-28", kind: "EXPIRED", points: -100 },
          ],
        },
        { ranac: IDS.a2.ranac, ban: IDS.a2.ban, entries: [{ date: "2026-02-05", kind: "EARNED", points: 1000 }] },
      ],
    },
    {
      rancu: IDS.customerB.rancu, bcn: IDS.customerB.bcn, household: "HH-2",
      accounts: [{ ranac: IDS.b1.ranac, ban: IDS.b1.ban, entries: [{ date: "2026-04-05", kind: "EARNED", points: 300 }] }],
    },
  ],
};

/** Starts the sandbox on a free port with `args`; resolves when it listens. */
export async function sandbox(args = [], seed = SEED) {
  const dir = mkdtempSync(join(tmpdir(), "pa-sandbox-"));
  const keys = join(dir, "keys");
  execFileSync(BIN, ["keys", "--out", keys], { stdio: "ignore" });
  writeFileSync(join(dir, "seed.json"), JSON.stringify(seed));
  // Port 0: the OS picks a free one and the sandbox prints it. (A random port of our choosing
  // could collide with an ephemeral port of another connection: seen once in CI.)
  const child = spawn(BIN, ["--port", "0", "--keys", keys, "--seed-file", join(dir, "seed.json"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const logs = [];
  child.stdout.on("data", (d) => logs.push(String(d)));
  child.stderr.on("data", (d) => logs.push(String(d)));
  const port = await new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`sandbox did not start: ${logs.join("")}`)), 10000);
    child.stdout.on("data", (d) => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(logs.join(""));
      if (m) { clearTimeout(t); ok(Number(m[1])); }
    });
    child.once("exit", (code) => fail(new Error(`sandbox exited ${code}: ${logs.join("")}`)));
  });
  const file = (f) => readFileSync(join(keys, f), "utf8");
  return {
    base: `http://127.0.0.1:${port}/loyalty`,
    keys: {
      consumerKey: file("consumer-key.txt").trim(),
      signingKey: file("client-signing-key.pem"),
      mastercardCertificate: file("mastercard-encryption-certificate.pem"),
      clientKey: file("client-decryption-key.pem"),
    },
    logs,
    alive: () => child.exitCode === null,
    /** The process's peak resident memory so far, in bytes (Linux's VmHWM). */
    peakMemory: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))[1]) * 1024,
    stop: () => new Promise((ok) => { child.once("exit", ok); child.kill(); }),
  };
}

/** The sandbox, the workerd proxy in front of it, and a client factory. */
export async function chain(sandboxArgs = [], proxyEnv = {}) {
  const sb = await sandbox(sandboxArgs);
  const px = await proxy({
    MC_CONSUMER_KEY: sb.keys.consumerKey, MC_SIGNING_KEY: sb.keys.signingKey,
    UPSTREAM_BASE: sb.base, ALLOWED_ORIGINS: "http://localhost", ALLOWED_HEADERS: "x-correlation-id,x-sandbox-fault", ...proxyEnv,
  });
  const client = (extra = {}) => pkg.PointsClient.create({
    baseUrl: `${px.base}/loyalty`,
    encryption: { certificate: sb.keys.mastercardCertificate, decryptionKey: sb.keys.clientKey },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 3000 },
    ...extra,
    // The proxy's caller check: this client is one of the issuer's own services.
    headers: { ...px.auth, ...(extra.headers || {}) },
  });
  return { sb, px, client, stop: async () => { await px.stop(); await sb.stop(); } };
}

/** Signed (and, for a body, encrypted) requests straight to a sandbox, as the proxy would send them. */
export async function directCaller(sb) {
  const signer = await pkg.OAuth1Signer.create({ consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey });
  const decryptionKey = await pkg.importDecryptionKey(sb.keys.clientKey);
  return async function call(method, path, value, { raw, contentType = "application/json", reuse } = {}) {
    const url = `${sb.base}${path}`;
    let body = raw;
    if (body === undefined && value !== undefined) {
      body = JSON.stringify({ encryptedPayload: await pkg.encryptPayload(value, { certificate: sb.keys.mastercardCertificate }) });
    }
    const authorization = reuse ?? (await signer.authorizationHeader(method, url, body ?? null));
    const headers = { authorization };
    if (body !== undefined) headers["content-type"] = contentType;
    const res = await fetch(url, { method, headers, body });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
      if (json && typeof json.encryptedPayload === "string") json = await pkg.decryptPayload(json.encryptedPayload, { decryptionKey });
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, authorization };
  };
}
