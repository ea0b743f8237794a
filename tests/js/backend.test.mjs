// Which backend the module picked, so each run of the suites proves which path it covered.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pkg, fixture } from "./helpers.mjs";

test("the module uses node:crypto when it can reach it, WebCrypto otherwise", async () => {
  const expectNode = typeof process.getBuiltinModule === "function";
  const jwe = await pkg.encryptPayload({ a: 1 }, { certificate: fixture("keys/jwe-certificate.pem") });
  assert.deepEqual(await pkg.decryptPayload(jwe, { decryptionKey: fixture("keys/jwe-private-key.pkcs8.pem") }), { a: 1 });
  // The node:crypto backend turns CryptoKeys into KeyObjects: a spy on KeyObject.from shows it ran.
  if (expectNode) {
    const { KeyObject } = process.getBuiltinModule("node:crypto");
    const from = KeyObject.from;
    let calls = 0;
    KeyObject.from = (k) => { calls++; return from.call(KeyObject, k); };
    try {
      const key = await pkg.importDecryptionKey(fixture("keys/jwe-private-key.pkcs8.pem"));
      await pkg.decryptPayload(jwe, { decryptionKey: key });
    } finally {
      KeyObject.from = from;
    }
    assert.equal(calls, 1, "node:crypto backend not used");
  } else {
    assert.equal(typeof process.getBuiltinModule, "undefined");
  }
});
