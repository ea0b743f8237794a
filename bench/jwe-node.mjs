// The Node half of bench/jwe.mjs: this module vs jose vs Mastercard's library.
import * as jose from "jose";
import { compare, payloadOf } from "./measure.mjs";
import { pkg, keySet, mastercard } from "../tests/js/helpers.mjs";

export async function runNode() {
const keys = keySet(2048);
const mc = mastercard(keys);
const joseKeys = {
  pub: await jose.importX509(keys.cert, "RSA-OAEP-256"),
  priv: await jose.importPKCS8(keys.key, "RSA-OAEP-256"),
};
const decryptionKey = await pkg.importDecryptionKey(keys.key);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const kid = await pkg.keyFingerprint(keys.cert);

const rows = [];
for (const [label, size] of [["1 KiB", 1024], ["64 KiB", 65536]]) {
  const value = payloadOf(size);
  const jwe = await pkg.encryptPayload(value, { certificate: keys.cert });
  rows.push({
    label: `encrypt ${label}`,
    result: await compare({
      "points-activity": () => pkg.encryptPayload(value, { certificate: keys.cert }),
      jose: () => new jose.CompactEncrypt(encoder.encode(JSON.stringify(value)))
        .setProtectedHeader({ kid, cty: "application/json", alg: "RSA-OAEP-256", enc: "A256GCM" })
        .encrypt(joseKeys.pub),
      "mastercard-client-encryption": async () => mc.encryptData({ data: value }),
    }),
  });
  rows.push({
    label: `decrypt ${label}`,
    result: await compare({
      "points-activity": () => pkg.decryptPayload(jwe, { decryptionKey }),
      jose: async () => JSON.parse(decoder.decode((await jose.compactDecrypt(jwe, joseKeys.priv)).plaintext)),
      "mastercard-client-encryption": async () => mc.decryptData(jwe),
    }),
  });
}
return rows;
}
