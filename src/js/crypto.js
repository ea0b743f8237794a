// The JWE's primitives where one JS step is cheaper than several awaits from wasm (each await of
// a promise from Rust costs two closures and a `then`): src/crypto/webcrypto.rs and node.rs bind
// to these.

// --- WebCrypto ------------------------------------------------------------------------------

// RSA-OAEP of the CEK and AES-GCM of the plaintext, started together: [encryptedKey, sealed]
// (ciphertext followed by its tag), both as Uint8Array.
export function webSeal(subtle, publicKey, cek, iv, aad, plaintext) {
  const wrapped = subtle.encrypt({ name: "RSA-OAEP" }, publicKey, cek);
  const sealed = subtle
    .importKey("raw", cek, { name: "AES-GCM" }, false, ["encrypt"])
    .then((key) => subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad, tagLength: 128 }, key, plaintext));
  return Promise.all([wrapped, sealed]).then(([w, s]) => [new Uint8Array(w), new Uint8Array(s)]);
}

// The CEK unwrapped straight into a non-extractable AES-GCM key (it never exists as bytes
// outside WebCrypto), then the content opened: the plaintext, or null when the unwrapped key is
// not of the `bits` the header's `enc` names.
export function webOpenGcm(subtle, privateKey, encryptedKey, iv, aad, sealed, bits) {
  return subtle
    .unwrapKey("raw", encryptedKey, privateKey, { name: "RSA-OAEP" }, { name: "AES-GCM" }, false, ["decrypt"])
    .then((key) => {
      if (key.algorithm.length !== bits) return null;
      return subtle
        .decrypt({ name: "AES-GCM", iv, additionalData: aad, tagLength: 128 }, key, sealed)
        .then((plain) => new Uint8Array(plain));
    });
}

// --- Node -----------------------------------------------------------------------------------

// Node's synchronous crypto. In Node every WebCrypto call is a thread-pool round trip that costs
// more than the work itself for small payloads (RSA-OAEP encrypt: ~94 µs vs ~32 µs; AES-GCM of
// 1 KiB: ~99 µs vs ~10 µs, measured here), so in Node the module uses these instead. Same OpenSSL
// underneath, same keys: a CryptoKey is turned into a KeyObject once and remembered.

let nc; // undefined: not probed yet; null: not Node

export function nodeCryptoAvailable() {
  if (nc === undefined) {
    nc = null;
    try {
      const p = globalThis.process;
      const notNode = globalThis.Deno || globalThis.Bun ||
        (globalThis.navigator && globalThis.navigator.userAgent === "Cloudflare-Workers");
      if (!notNode && p && p.release && p.release.name === "node" && typeof p.getBuiltinModule === "function") {
        const c = p.getBuiltinModule("node:crypto");
        if (c && c.KeyObject && typeof c.KeyObject.from === "function") nc = c;
      }
    } catch {
      nc = null;
    }
  }
  return nc !== null;
}

const keyObjects = new WeakMap();
function keyObject(cryptoKey) {
  let k = keyObjects.get(cryptoKey);
  if (!k) {
    k = nc.KeyObject.from(cryptoKey);
    keyObjects.set(cryptoKey, k);
  }
  return k;
}

function oaep(cryptoKey) {
  return { key: keyObject(cryptoKey), padding: nc.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" };
}

export function nodeOaepEncrypt(publicKey, data) {
  return nc.publicEncrypt(oaep(publicKey), data);
}

// Returns ciphertext followed by the 16-byte tag, as WebCrypto does.
export function nodeGcmEncrypt(key, iv, aad, plaintext) {
  const c = nc.createCipheriv(`aes-${key.length * 8}-gcm`, key, iv, { authTagLength: 16 });
  c.setAAD(aad);
  const head = c.update(plaintext);
  const tail = c.final();
  return Buffer.concat([head, tail, c.getAuthTag()]);
}

const CEK_BYTES = { A128GCM: 16, A192GCM: 24, A256GCM: 32, "A128CBC-HS256": 32 };

// Opens a JWE's content (ciphertext followed by its 16-byte tag) in one call: the CEK exists
// only here and is wiped before returning. null when the CEK has the wrong length or the
// CBC-HMAC tag does not verify (the caller reports both as one opaque failure).
export function nodeOpen(privateKey, enc, encryptedKey, iv, aad, sealed) {
  const cek = nc.privateDecrypt(oaep(privateKey), encryptedKey);
  try {
    if (cek.length !== CEK_BYTES[enc]) return null;
    const split = sealed.length - 16;
    const ciphertext = sealed.subarray(0, split);
    const tag = sealed.subarray(split);
    if (enc === "A128CBC-HS256") {
      const al = Buffer.alloc(8);
      al.writeBigUInt64BE(BigInt(aad.length) * 8n);
      const mac = nc.createHmac("sha256", cek.subarray(0, 16));
      for (const part of [aad, iv, ciphertext, al]) mac.update(part);
      // Authenticate before decrypting: no padding oracle.
      if (!nc.timingSafeEqual(mac.digest().subarray(0, 16), tag)) return null;
      const d = nc.createDecipheriv("aes-128-cbc", cek.subarray(16), iv);
      return Buffer.concat([d.update(ciphertext), d.final()]);
    }
    const d = nc.createDecipheriv(`aes-${cek.length * 8}-gcm`, cek, iv, { authTagLength: 16 });
    d.setAAD(aad);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } finally {
    cek.fill(0);
  }
}

// Base64url of bytes in JS, by Node's Buffer (Node 20 has no Uint8Array.prototype.toBase64).
export function nodeBase64url(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64url");
}

// Decodes the first `chars` characters of `text` (whole 4-character groups, plain base64url
// only) into the start of `target`. False for anything else: the caller then decodes in Rust,
// which accepts Mastercard's alphabet quirk and says precisely what is wrong.
export function nodeBase64urlGroupsInto(target, text, chars) {
  const groups = text.slice(0, chars);
  if (!/^[A-Za-z0-9_-]*$/.test(groups)) return false;
  const bytes = Buffer.from(groups, "base64url");
  if (bytes.length !== (chars / 4) * 3) return false;
  target.set(bytes);
  return true;
}
