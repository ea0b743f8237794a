// Shared helpers for the JS suites: the built package, test keys, and the Mastercard oracle.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The `nodejs` build, loaded the way a CommonJS user loads it; with `PA_BUILD=jwe`, the
 * JWE-only build (`points-activity/jwe`), instantiated from its bytes as its Node entry does.
 */
export const pkg = process.env.PA_BUILD === "jwe" ? await jweBuild() : require(join(root, "pkg", "nodejs", "points_activity.js"));

async function jweBuild() {
  const dir = join(root, "pkg", "jwe");
  const m = await import(pathToFileURL(join(dir, "points_activity.js")).href);
  m.initSync({ module: readFileSync(join(dir, "points_activity_bg.wasm")) });
  return m;
}

const fixtures = join(root, "tests", "fixtures");
export const fixture = (name) => readFileSync(join(fixtures, name), "utf8");
export const fixturePath = (name) => join(fixtures, name);

/** A key set: PEM certificate and PKCS#8 private key, on disk (the Mastercard library reads files). */
export function keySet(bits) {
  if (bits === 2048) {
    return {
      bits,
      certPath: fixturePath("keys/jwe-certificate.pem"),
      keyPath: fixturePath("keys/jwe-private-key.pkcs8.pem"),
      cert: fixture("keys/jwe-certificate.pem"),
      key: fixture("keys/jwe-private-key.pkcs8.pem"),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `pa-keys-${bits}-`));
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", `rsa:${bits}`, "-nodes", "-sha256", "-days", "2",
    "-subj", "/CN=points-activity test", "-keyout", keyPath, "-out", certPath,
  ], { stdio: "ignore" });
  return { bits, certPath, keyPath, cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
}

/** Mastercard's own JWE implementation, configured for a key set. */
export function mastercard(keys) {
  const JweCrypto = require("mastercard-client-encryption/lib/mcapi/crypto/jwe-crypto.js");
  return new JweCrypto({
    mode: "JWE",
    encryptionCertificate: keys.certPath,
    privateKey: keys.keyPath,
    encryptedValueFieldName: "encryptedPayload",
    paths: [{ path: "/points", toEncrypt: [{ element: "$", obj: "$" }], toDecrypt: [{ element: "$", obj: "$" }] }],
  });
}

/** Writes a temporary file and returns its path. */
export function tempFile(name, content) {
  const dir = mkdtempSync(join(tmpdir(), "pa-"));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Payloads from empty object to 1 MiB (of JSON text). */
let cached;
export function payloads() {
  if (cached) return cached;
  const big = { items: [] };
  let length = JSON.stringify(big).length;
  for (let i = 0; length < 1 << 20; i++) {
    const item = { id: i, account: "5" + String(i).padStart(15, "0"), note: "Zoë earned 積分 🎁 \"quoted\" \\ /" };
    big.items.push(item);
    length += JSON.stringify(item).length + 1;
  }
  cached = {
    "empty object": {},
    "empty array": [],
    array: [{}, { a: [1, 2, 3] }, null, true, 1.5, "s"],
    "non-ASCII": { name: "Zoë Ørsted", text: "積分 — ポイント 🎁", escapes: "line\nbreak\t\"q\" \\ \u0001" },
    "1 MiB": big,
  };
  return cached;
}
