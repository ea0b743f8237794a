// Runs in headless Chromium and Firefox: the `browser` build (what pages load) against jose, same
// payloads and method as the Node half. Results land on window.benchResult.
import init, { encryptPayload, decryptPayload, importDecryptionKey, keyFingerprint } from "/pkg/browser/points_activity.js";
import * as jose from "jose";
import { compare, payloadOf } from "/bench/measure.mjs";

// More rounds than in Node: Chromium's crypto threads make single rounds noisier on 2 cores.
const ROUNDS = { rounds: 25, batchMs: 50 };

async function run() {
  await init();
  const text = (p) => fetch(p).then((r) => r.text());
  const cert = await text("/tests/fixtures/keys/jwe-certificate.pem");
  const key = await text("/tests/fixtures/keys/jwe-private-key.pkcs8.pem");
  const pub = await jose.importX509(cert, "RSA-OAEP-256");
  const priv = await jose.importPKCS8(key, "RSA-OAEP-256");
  const decryptionKey = await importDecryptionKey(key);
  const kid = await keyFingerprint(cert);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const rows = [];
  for (const [label, size] of [["1 KiB", 1024], ["64 KiB", 65536]]) {
    const value = payloadOf(size);
    const jwe = await encryptPayload(value, { certificate: cert });
    rows.push({
      label: `encrypt ${label}`,
      result: await compare({
        "points-activity": () => encryptPayload(value, { certificate: cert }),
        jose: () => new jose.CompactEncrypt(encoder.encode(JSON.stringify(value)))
          .setProtectedHeader({ kid, cty: "application/json", alg: "RSA-OAEP-256", enc: "A256GCM" })
          .encrypt(pub),
      }, ROUNDS),
    });
    rows.push({
      label: `decrypt ${label}`,
      result: await compare({
        "points-activity": () => decryptPayload(jwe, { decryptionKey }),
        jose: async () => JSON.parse(decoder.decode((await jose.compactDecrypt(jwe, priv)).plaintext)),
      }, ROUNDS),
    });
  }
  return { userAgent: navigator.userAgent, rows };
}

run().then((r) => { window.benchResult = r; }, (e) => { window.benchResult = { error: String(e && e.stack || e) }; });
