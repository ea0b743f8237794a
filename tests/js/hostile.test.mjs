// Hostile callers and upstreams, each a regression test of a defect found on the module with its
// own executor: every case ends with a typed error or the right value, within its time limit,
// and the module keeps working afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CompactEncrypt, importX509 } from "jose";
import { pkg } from "./helpers.mjs";
import { clientOn, valid, CERT, PRIVATE, BAN } from "./client-support.mjs";

const { PointsClient, PointsValidationError, PointsTimeoutError, PointsApiError, PointsKeyError, JweError } = pkg;

/** Settles with the promise's outcome, or fails the test once `ms` pass. */
function within(ms, promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const rejection = (p) => p.then((v) => assert.fail(`resolved with ${JSON.stringify(v)}`), (e) => e);

/** A client whose fetch answers every request with `respond(url, init)`. */
function clientWith(respond, extra = {}) {
  return PointsClient.create({
    baseUrl: "https://proxy.example/loyalty",
    fetch: respond,
    encryption: { certificate: CERT, decryptionKey: PRIVATE },
    retry: { maxAttempts: 1 },
    ...extra,
  });
}

/** A Response-like object whose `text()` returns `thenable`. */
const replyWithText = (thenable) => ({ status: 200, headers: new Headers(), text: () => thenable });

/** The module still answers a plain call correctly after whatever came before. */
async function stillWorks() {
  const { client } = await clientOn([{ status: 200, body: '{"availablePoints":7}' }]);
  const got = await within(2000, client.getPointsDetails(valid.getPointsDetails()), "a plain call");
  assert.equal(got.availablePoints, 7);
  const jwe = await pkg.encryptPayload({ ok: 1 }, { certificate: CERT });
  assert.deepEqual(await pkg.decryptPayload(jwe, { decryptionKey: PRIVATE }), { ok: 1 });
}

test("a body thenable that settles synchronously is awaited like a promise", async () => {
  const client = await clientWith(async () => replyWithText({ then(ok) { ok('{"availablePoints":5}'); } }));
  const got = await within(2000, client.getPointsDetails(valid.getPointsDetails()), "sync thenable");
  assert.equal(got.availablePoints, 5);
  await stillWorks();
});

test("a thenable that settles twice, or fulfils and throws, counts once", async () => {
  const twice = { then(ok, fail) { ok('{"availablePoints":1}'); ok('{"availablePoints":2}'); fail(new Error("late")); } };
  const throws = { then(ok) { ok('{"availablePoints":3}'); throw new Error("after"); } };
  for (const [thenable, want] of [[twice, 1], [throws, 3]]) {
    const client = await clientWith(async () => replyWithText(thenable));
    const got = await within(2000, client.getPointsDetails(valid.getPointsDetails()), "double settle");
    assert.equal(got.availablePoints, want);
  }
  // A fetch that hands back such a thenable in place of its promise.
  const client = await clientWith(() => ({ then(ok) { ok(replyWithText('{"availablePoints":4}')); ok(null); } }));
  assert.equal((await client.getPointsDetails(valid.getPointsDetails())).availablePoints, 4);
  await stillWorks();
});

test("a thenable that never settles ends with the time limit", async () => {
  const never = { then() {} };
  for (const fetch of [async () => replyWithText(never), () => never]) {
    const client = await clientWith(fetch, { timeoutMs: 200 });
    const e = await within(3000, rejection(client.getPointsDetails(valid.getPointsDetails())), "never settles");
    assert.ok(e instanceof PointsTimeoutError, e.name);
    assert.equal(e.mayHaveBeenSent, true);
  }
  await stillWorks();
});

test("a thenable whose then getter throws is a network failure", async () => {
  const poisoned = { get then() { throw new Error("boom"); } };
  const client = await clientWith(async () => replyWithText(poisoned));
  const e = await within(2000, rejection(client.getPointsDetails(valid.getPointsDetails())), "poisoned then");
  assert.equal(e.code, "ERR_NETWORK");
  await stillWorks();
});

test("a 150 MB string of dots is refused by length, not split", async () => {
  const dots = ".".repeat(150 << 20);
  const e = await rejection(pkg.decryptPayload(dots, { decryptionKey: PRIVATE }));
  assert.ok(e instanceof JweError);
  assert.equal(e.code, "ERR_JWE_INVALID");
  // Under the cap, many dots are still never split into an array of millions.
  const e2 = await rejection(pkg.decryptPayload(".".repeat(20 << 20), { decryptionKey: PRIVATE }));
  assert.equal(e2.code, "ERR_JWE_INVALID");
  // The same through the client: an encrypted response that is all dots.
  const { client } = await clientOn([{ status: 200, body: JSON.stringify({ encryptedPayload: ".".repeat(30 << 20) }) }]);
  const e3 = await rejection(client.getPointsDetails(valid.getPointsDetails()));
  assert.equal(e3.code, "ERR_JWE_INVALID");
  await stillWorks();
});

test("an error body with 100,000 keys is answered at once and the time limit still holds", async () => {
  const members = Array.from({ length: 100_000 }, (_, i) => `"k${i}":1`).join(",");
  const body = `{"Errors":{"Error":[{"ReasonCode":"X",${members}}]}}`;
  assert.ok(body.length > 1_000_000);
  const { client } = await clientOn([{ status: 400, body }], { timeoutMs: 500 });
  const e = await within(3000, rejection(client.adjustPoints(valid.adjustPoints())), "huge envelope");
  assert.ok(e instanceof PointsApiError);
  assert.equal(e.status, 400);
  assert.deepEqual(e.errors, [], "a body over the cap is not read for its envelope");
});

test("a polluted Object.prototype cannot make a plain answer 'encrypted'", async () => {
  const forged = await new CompactEncrypt(new TextEncoder().encode('{"availablePoints":1000000}'))
    .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM" })
    .encrypt(await importX509(CERT, "RSA-OAEP-256"));
  Object.prototype.encryptedPayload = forged;
  Object.prototype.userReferences = "not an array";
  try {
    const { client } = await clientOn([{ status: 200, body: '{"availablePoints":12}' }]);
    const got = await client.getPointsDetails(valid.getPointsDetails());
    assert.equal(got.availablePoints, 12);
    const { client: lookup } = await clientOn([{ status: 200, body: '{"userReferences":[]}' }]);
    assert.deepEqual((await lookup.searchUserReferences(valid.searchUserReferences())).userReferences, []);
  } finally {
    delete Object.prototype.encryptedPayload;
    delete Object.prototype.userReferences;
  }
});

test("caller objects that throw or lie get typed errors, and the module keeps working", async () => {
  const { client, calls } = await clientOn([{ status: 200, body: "{}" }]);
  const throwing = { get x() { throw new Error("getter"); } };
  const trap = () => { throw new Error("trap"); };
  const proxy = new Proxy({}, { ownKeys: trap, get: trap, getOwnPropertyDescriptor: trap, has: trap });
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const inputGetter = { ...valid.adjustPoints(), get adjustedBy() { throw new Error("getter"); } };
  const cases = [
    ["headers getter", () => client.getPointsDetails(valid.getPointsDetails(), { headers: throwing }), "headers"],
    ["headers proxy", () => client.getPointsDetails(valid.getPointsDetails(), { headers: proxy }), "headers"],
    ["query getter", () => client.getPointsDetails(valid.getPointsDetails(), { query: throwing }), "query"],
    ["query proxy", () => client.getPointsDetails(valid.getPointsDetails(), { query: proxy }), "query"],
    ["revoked proxy as headers", () => client.getPointsDetails(valid.getPointsDetails(), { headers: revocable.proxy }), "headers"],
    ["fake signal", () => client.getPointsDetails(valid.getPointsDetails(), { signal: { aborted: false } }), "signal"],
    ["fake signal, write", () => client.adjustPoints(valid.adjustPoints(), { signal: { aborted: false, addEventListener() {} } }), "signal"],
    ["input getter", () => client.adjustPoints(inputGetter), "input"],
    ["input proxy", () => client.transferPoints(proxy), "input"],
    ["huge input string", () => client.adjustPoints({ ...valid.adjustPoints(), adjustmentReason: "r".repeat(50 << 20) }), "adjustmentReason"],
  ];
  for (const [name, call, field] of cases) {
    const e = await within(2000, rejection(call()), name);
    assert.ok(e instanceof PointsValidationError, `${name}: ${e.name} ${e.message}`);
    assert.equal(e.field, field, name);
  }
  assert.equal(calls.length, 0, "nothing was sent");
  await stillWorks();
});

test("options objects that throw or lie get PointsConfigError or PointsKeyError", async () => {
  const trap = () => { throw new Error("trap"); };
  const proxy = new Proxy({}, { ownKeys: trap, get: trap, getOwnPropertyDescriptor: trap, has: trap });
  const e1 = await within(2000, rejection(PointsClient.create(proxy)), "proxy options");
  assert.equal(e1.code, "ERR_CONFIG");
  const e2 = await within(2000, rejection(PointsClient.create({ baseUrl: "https://x", headers: proxy })), "proxy headers");
  assert.equal(e2.code, "ERR_CONFIG");
  // Something that passes `instanceof CryptoKey` but is not one: `usages` is not an array.
  const fake = Object.create(globalThis.CryptoKey.prototype, {
    type: { value: "private" },
    usages: { value: 42 },
    algorithm: { value: { name: "RSA-OAEP", hash: { name: "SHA-256" }, modulusLength: 2048 } },
  });
  const e3 = await within(2000, rejection(pkg.decryptPayload("a.b.c.d.e", { decryptionKey: fake })), "fake key");
  assert.ok(e3 instanceof PointsKeyError, e3.name);
  await stillWorks();
});

test("a reason code that could carry an account number stays out of the message", async () => {
  const envelope = (code) => JSON.stringify({ Errors: { Error: [{ Source: "gw", ReasonCode: code, Recoverable: false }] } });
  for (const code of [`INVALID_${BAN}`, `bad ${BAN}`, "x".repeat(65)]) {
    const { client } = await clientOn([{ status: 400, body: envelope(code) }]);
    const e = await rejection(client.adjustPoints(valid.adjustPoints()));
    assert.equal(e.message, "the service answered HTTP 400");
    assert.equal(e.reasonCode, code, "the code itself is kept on the error");
  }
  const { client } = await clientOn([{ status: 400, body: envelope("INVALID_FIELD_VALUE_POINTS") }]);
  const e = await rejection(client.adjustPoints(valid.adjustPoints()));
  assert.equal(e.message, "the service answered HTTP 400: INVALID_FIELD_VALUE_POINTS");
});

test("a decryption CryptoKey with only the decrypt usage decrypts every content encryption", async () => {
  const der = Buffer.from(PRIVATE.replace(/-----[^-]+-----|\s/g, ""), "base64");
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["decrypt"]);
  for (const enc of ["A128GCM", "A192GCM", "A256GCM", "A128CBC-HS256"]) {
    const jwe = await new CompactEncrypt(new TextEncoder().encode(`{"enc":"${enc}"}`))
      .setProtectedHeader({ alg: "RSA-OAEP-256", enc })
      .encrypt(await importX509(CERT, "RSA-OAEP-256"));
    assert.deepEqual(await pkg.decryptPayload(jwe, { decryptionKey: key }), { enc });
  }
  // Without it, a PointsKeyError that says how to import the key.
  const unwrapOnly = await crypto.subtle.importKey("pkcs8", der, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["unwrapKey"]);
  const e = await rejection(pkg.decryptPayload("a.b.c.d.e", { decryptionKey: unwrapOnly }));
  assert.ok(e instanceof PointsKeyError, e.name);
  assert.match(e.message, /does not allow "decrypt": import it with that usage/);
});

test("signals that only look like AbortSignals are refused; a real one with odd own properties works", async () => {
  const { client, calls } = await clientOn([{ status: 200, body: '{"availablePoints":9}' }]);
  const real = new AbortController().signal;
  const e = await within(2000, rejection(client.getPointsDetails(valid.getPointsDetails(), { signal: Object.create(AbortSignal.prototype) })), "look-alike");
  assert.ok(e instanceof PointsValidationError, `${e.name} ${e.message}`);
  assert.equal(e.field, "signal");
  assert.equal(calls.length, 0);
  // A Proxy of a real signal: browsers' getters refuse it (a PointsValidationError); Node's,
  // written in JS, see through it and the call goes ahead. Either way, a typed outcome.
  const proxied = await within(2000, client.getPointsDetails(valid.getPointsDetails(), { signal: new Proxy(new AbortController().signal, {}) })
    .then((v) => v.availablePoints, (err) => err), "proxy of a real signal");
  assert.ok(proxied === 9 || (proxied instanceof PointsValidationError && proxied.field === "signal"), String(proxied));
  Object.defineProperty(real, "aborted", { get() { throw new Error("own getter"); } });
  Object.defineProperty(real, "addEventListener", { value() { throw new Error("own method"); } });
  const got = await within(2000, client.getPointsDetails(valid.getPointsDetails(), { signal: real }), "odd real signal");
  assert.equal(got.availablePoints, 9);
  await stillWorks();
});

test("a fetch whose promise has a throwing constructor getter is a network failure", async () => {
  const poisoned = (value) => {
    const p = Promise.resolve(value);
    Object.defineProperty(p, "constructor", { get() { throw new Error("constructor"); } });
    return p;
  };
  const client = await clientWith(() => poisoned(new Response("{}")));
  const e = await within(2000, rejection(client.getPointsDetails(valid.getPointsDetails())), "poisoned fetch promise");
  assert.equal(e.code, "ERR_NETWORK");
  const client2 = await clientWith(async () => replyWithText(poisoned("{}")));
  const e2 = await within(2000, rejection(client2.getPointsDetails(valid.getPointsDetails())), "poisoned text promise");
  assert.equal(e2.code, "ERR_NETWORK");
  await stillWorks();
});

test("byte arrays and CryptoKeys that are Proxies, forgeries or liars are PointsKeyErrors", async () => {
  const der = Buffer.from(PRIVATE.replace(/-----[^-]+-----|\s/g, ""), "base64");
  class Short extends Uint8Array { get length() { return 4; } }
  class Counting extends Uint8Array { n = 0; get length() { return ++this.n; } }
  const revoked = Proxy.revocable([], {});
  revoked.revoke();
  const forged = (usages) => Object.create(CryptoKey.prototype, {
    type: { value: "private" }, usages: { value: usages },
    algorithm: { value: { name: "RSA-OAEP", hash: { name: "SHA-256" }, modulusLength: 2048 } },
  });
  const cases = [
    ["proxy of a Uint8Array", new Proxy(new Uint8Array(der), {})],
    ["forged Uint8Array", Object.create(Uint8Array.prototype)],
    ["proxy of an ArrayBuffer", new Proxy(new ArrayBuffer(8), { get() { throw new Error("trap"); } })],
    ["forged key, revoked usages", forged(revoked.proxy)],
    ["forged key, array usages", forged(["decrypt"])],
  ];
  for (const [name, key] of cases) {
    const e = await within(2000, rejection(pkg.importDecryptionKey(key)), name);
    assert.ok(e instanceof PointsKeyError, `${name}: ${e.name} ${e.message}`);
  }
  // Subclasses whose `length` lies: the platform's own length is what is read.
  for (const Liar of [Short, Counting]) {
    const key = await within(2000, pkg.importDecryptionKey(new Liar(der)), Liar.name);
    assert.equal(key.type, "private");
  }
  await stillWorks();
});

test("a decryption whose wasm memory grows meanwhile still authenticates its header", async () => {
  // The second JWE carries '+' for '-' (Mastercard's alphabet quirk, same bytes), which sends its
  // 4 MB ciphertext through the Rust decoder: wasm memory grows while the first one is in flight.
  const small = await pkg.encryptPayload({ n: 1 }, { certificate: CERT });
  const big = await pkg.encryptPayload({ data: "x".repeat(4 << 20) }, { certificate: CERT });
  const parts = big.split(".");
  parts[3] = parts[3].replaceAll("-", "+").replaceAll("_", "/");
  const key = await pkg.importDecryptionKey(PRIVATE);
  for (let round = 0; round < 3; round++) {
    const [a, b] = await Promise.all([
      pkg.decryptPayload(small, { decryptionKey: key }),
      pkg.decryptPayload(parts.join("."), { decryptionKey: key }),
    ]);
    assert.deepEqual(a, { n: 1 });
    assert.equal(b.data.length, 4 << 20);
  }
});
