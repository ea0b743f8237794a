// A request repeated on the way with its Authorization header (workerd does it under faults for a
// GET whose connection dropped): the gateway has spent that nonce and refuses the replay. A read
// the client signed is signed afresh and sent again; a write is not (src/http/retry.rs,
// `fresh_signature_may_cure`). A loopback relay between the client and the sandbox plays the
// runtime: it delivers the first request twice and answers with the second answer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import { generateKeyPairSync } from "node:crypto";
import { pkg } from "./helpers.mjs";
import { sandbox, IDS } from "./sandbox-support.mjs";

let sb;
before(async () => {
  sb = await sandbox();
});
after(async () => sb && sb.stop());

const fails = (p) => p.then((v) => assert.fail(`resolved: ${JSON.stringify(v)}`), (e) => e);
const nonceOf = (auth) => /oauth_nonce="([^"]*)"/.exec(auth ?? "")?.[1];

async function readAll(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Sends the request as received (Host header included: the signature covers it) to the sandbox. */
function deliver(req, body) {
  const { port } = new URL(sb.base);
  return new Promise((ok, fail) => {
    const out = request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers }, async (res) => {
      ok({ status: res.statusCode, type: res.headers["content-type"], body: await readAll(res) });
    });
    out.on("error", fail);
    out.end(body);
  });
}

/**
 * A relay that delivers the client's first request twice, same headers, and answers with the
 * second (replayed) answer; every later request goes through once. `seen` holds what the client
 * sent, `replay` the sandbox's answer to the replayed delivery.
 */
async function replayingRelay() {
  const seen = [];
  let replay;
  const server = createServer(async (req, res) => {
    try {
      const body = await readAll(req);
      seen.push({ method: req.method, nonce: nonceOf(req.headers.authorization) });
      let answer = await deliver(req, body);
      if (!replay) answer = replay = await deliver(req, body);
      res.writeHead(answer.status, answer.type ? { "content-type": answer.type } : {});
      res.end(answer.body);
    } catch (e) {
      res.writeHead(599).end(String(e));
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    seen,
    replay: () => replay && { status: replay.status, json: JSON.parse(String(replay.body)) },
    base: `http://127.0.0.1:${server.address().port}/loyalty`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

const client = (base, signer = { consumerKey: sb.keys.consumerKey, signingKey: sb.keys.signingKey }) =>
  pkg.PointsClient.create({
    baseUrl: base,
    encryption: { certificate: sb.keys.mastercardCertificate, decryptionKey: sb.keys.clientKey },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
    signer,
  });

/** The gateway's refusal of a replay, as the relay saw it. */
function assertReplayRefused(relay) {
  const { status, json } = relay.replay();
  assert.equal(status, 403);
  const [item] = json.Errors.Error;
  assert.equal(item.Source, "Gateway");
  assert.equal(item.ReasonCode, "AUTHENTICATION_FAILED");
  assert.match(item.Description, /nonce was already used/);
}

test("replay: a GET refused as a replayed nonce is signed afresh and succeeds", async () => {
  const relay = await replayingRelay();
  try {
    const c = await client(relay.base);
    const details = await c.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" });
    assert.equal(details.level, "ACCOUNT");
    assertReplayRefused(relay);
    assert.deepEqual(relay.seen.map((s) => s.method), ["GET", "GET"], "one retry");
    const [first, second] = relay.seen.map((s) => s.nonce);
    assert.match(first, /^[0-9A-Za-z]{16}$/);
    assert.match(second, /^[0-9A-Za-z]{16}$/);
    assert.notEqual(first, second, "the retry carries a new nonce");
  } finally {
    await relay.close();
  }
});

test("replay: a write refused the same way is not sent again", async () => {
  const relay = await replayingRelay();
  try {
    const c = await client(relay.base);
    const e = await fails(c.adjustPoints({
      bankAccountNumber: IDS.a2.ban, pointsToAdjust: 5, adjustmentTypeCode: "CR", adjustmentReason: "replayed write", adjustedBy: "t",
    }));
    assert.ok(e instanceof pkg.PointsApiError, String(e));
    assert.equal(e.status, 403);
    assert.equal(e.reasonCode, "AUTHENTICATION_FAILED");
    assertReplayRefused(relay);
    assert.deepEqual(relay.seen.map((s) => s.method), ["POST"], "one POST reached the relay");
  } finally {
    await relay.close();
  }
});

test("replay: refusals a new nonce cannot cure (a signature mismatch, DECLINED) are not retried", async () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const wrongKey = privateKey.export({ type: "pkcs8", format: "pem" });
  const cases = [
    { signer: { consumerKey: sb.keys.consumerKey, signingKey: wrongKey }, status: 401, code: "AUTHENTICATION_FAILED" },
    { signer: { consumerKey: "not-a-known-consumer-key", signingKey: sb.keys.signingKey }, status: 401, code: "DECLINED" },
  ];
  for (const { signer, status, code } of cases) {
    const relay = await replayingRelay();
    try {
      const c = await client(relay.base, signer);
      const e = await fails(c.getPointsDetails({ userId: IDS.a1.ranac, userIdType: "RANAC" }));
      assert.ok(e instanceof pkg.PointsApiError, String(e));
      assert.equal(e.status, status);
      assert.equal(e.reasonCode, code);
      if (code === "AUTHENTICATION_FAILED") assert.match(e.errors[0].description, /Acceptable signature base string/);
      assert.equal(relay.seen.length, 1, `${code}: one attempt`);
    } finally {
      await relay.close();
    }
  }
});
