// The sandbox refuses what is wrong with the right envelope and never falls over: malformed
// JSON, wrong content types, oversize bodies, unsigned and replayed requests, and a batch of
// garbage at every route.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CompactEncrypt, importX509 } from "jose";
import { pkg } from "./helpers.mjs";
import { sandbox, directCaller, IDS } from "./sandbox-support.mjs";

let sb;
let call;
before(async () => {
  sb = await sandbox(["--max-body", "4096"]);
  call = await directCaller(sb);
});
after(async () => sb && sb.stop());

const ROUTES = [
  ["GET", `/points-details?user_id=${IDS.a1.ranac}&user_id_type=RANAC`],
  ["GET", `/points-expirations-details?user_id=${IDS.a1.ranac}&user_id_type=RANAC`],
  ["GET", `/points-adjustments-details?user_id=${IDS.a1.ranac}&user_id_type=RANAC`],
  ["POST", "/points-adjustments"],
  ["POST", "/points-transfers"],
  ["POST", "/mrs/users/references/searches"],
];

function envelope(r, status, source, code) {
  assert.equal(r.status, status, r.text);
  const e = r.json && r.json.Errors && r.json.Errors.Error && r.json.Errors.Error[0];
  assert.ok(e, `an Errors envelope: ${r.text}`);
  assert.equal(e.Source, source, r.text);
  if (code) assert.match(e.ReasonCode, code instanceof RegExp ? code : new RegExp(`^${code}$`), r.text);
}

test("unsigned, forged and replayed requests are the gateway's", async () => {
  for (const [method, path] of ROUTES) {
    const url = `${sb.base}${path}`;
    const unsigned = await fetch(url, { method, headers: { "content-type": "application/json" }, body: method === "POST" ? "{}" : undefined });
    envelope({ status: unsigned.status, json: await unsigned.json() }, 401, "Gateway", "AUTHENTICATION_FAILED");
    const bogus = await fetch(url, { method, headers: { authorization: "Bearer x" } });
    envelope({ status: bogus.status, json: await bogus.json() }, 400, "Gateway", "INVALID_AUTH_HEADER");
  }
  const first = await call("GET", ROUTES[0][1]);
  assert.equal(first.status, 200);
  const replay = await call("GET", ROUTES[0][1], undefined, { reuse: first.authorization });
  // A replayed nonce is refused after the signature verified (403), a signature that does not
  // verify is the gateway's 401 with its base string (tests/js/e2e.test.mjs).
  envelope(replay, 403, "Gateway", "AUTHENTICATION_FAILED");
  assert.match(replay.json.Errors.Error[0].Description, /nonce/);
  // A signature over another body: the body hash does not match.
  const signedEmpty = await call("POST", "/points-adjustments", undefined, { raw: "" });
  const tampered = await fetch(`${sb.base}/points-adjustments`, { method: "POST", headers: { authorization: signedEmpty.authorization, "content-type": "application/json" }, body: "{}" });
  envelope({ status: tampered.status, json: await tampered.json() }, 403, "Gateway", "AUTHENTICATION_FAILED");
});

test("malformed bodies, wrong content types and oversize bodies", async () => {
  for (const [, path] of ROUTES.filter(([m]) => m === "POST")) {
    // The documented sources: PAS's for its routes, UAM's for the lookup.
    const src = path.startsWith("/mrs") ? "user-management" : "rewards-points-api";
    envelope(await call("POST", path, undefined, { raw: "{not json" }), 400, src, "INVALID_JSON");
    envelope(await call("POST", path, undefined, { raw: "{}", contentType: "text/plain" }), 415, src, "INVALID_CONTENT_TYPE");
    envelope(await call("POST", path, undefined, { raw: '{"encryptedPayload":"a.b.c.d.e"}' }), 400, src, "REQUEST_DECRYPT_FAILED");
    envelope(await call("POST", path, undefined, { raw: '{"plain":true}' }), 400, src, "ENCRYPTION_ERROR");
    envelope(await call("POST", path, undefined, { raw: JSON.stringify({ encryptedPayload: "x".repeat(5000) }) }), 413, "Gateway", "REQUEST_TOO_LARGE");
    envelope(await call("POST", path, {}), 400, src, /^MISSING_REQUIRED_FIELD_/);
  }
  envelope(await call("POST", "/points-adjustments", { bankAccountNumber: "12ab", pointsToAdjust: 1, adjustmentTypeCode: "CR", adjustmentReason: "r", adjustedBy: "b" }), 400, "rewards-points-api", "INVALID_FIELD_FORMAT_BANK_ACCOUNT_NUMBER");
  envelope(await call("POST", "/points-adjustments", { bankAccountNumber: IDS.a1.ban, pointsToAdjust: 1.5, adjustmentTypeCode: "CR", adjustmentReason: "r", adjustedBy: "b" }), 400, "rewards-points-api", "INVALID_FIELD_VALUE_POINTS_TO_ADJUST");
  envelope(await call("GET", "/points-details?user_id_type=RANAC"), 400, "rewards-points-api", "MISSING_REQUIRED_FIELD_USER_ID");
  envelope(await call("GET", "/points-details?user_id=1&user_id_type=BAN"), 400, "rewards-points-api", "INVALID_FIELD_VALUE_USER_ID_TYPE");
  envelope(await call("POST", "/points-details", undefined, { raw: "{}" }), 405, "rewards-points-api", "METHOD_NOT_ALLOWED");
  envelope(await call("GET", "/nothing-here"), 404, "rewards-points-api", "NOT_FOUND");
});

test("as strict as the module: a member named twice in a body or a payload, control characters in text", async () => {
  const good = { bankAccountNumber: IDS.a1.ban, pointsToAdjust: 1, adjustmentTypeCode: "CR", adjustmentReason: "r", adjustedBy: "b" };
  // The outer body with `encryptedPayload` twice (the last one valid).
  const jwe = await pkg.encryptPayload(good, { certificate: sb.keys.mastercardCertificate });
  envelope(await call("POST", "/points-adjustments", undefined, { raw: `{"encryptedPayload":"x","encryptedPayload":"${jwe}"}` }), 400, "rewards-points-api", "INVALID_JSON");
  // A payload with `pointsToAdjust` twice: no reading wins, the request is refused.
  const text = '{"bankAccountNumber":"' + IDS.a1.ban + '","pointsToAdjust":1,"pointsToAdjust":9000,"adjustmentTypeCode":"CR","adjustmentReason":"r","adjustedBy":"b"}';
  const twice = await new CompactEncrypt(new TextEncoder().encode(text)).setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM" }).encrypt(await importX509(sb.keys.mastercardCertificate, "RSA-OAEP-256"));
  envelope(await call("POST", "/points-adjustments", undefined, { raw: JSON.stringify({ encryptedPayload: twice }) }), 400, "rewards-points-api", "REQUEST_DECRYPT_FAILED");
  for (const bad of ["a\u0001b", "tab\there", "next\u0085line", "damaged\ufffd"]) {
    envelope(await call("POST", "/points-adjustments", { ...good, adjustmentReason: bad }), 400, "rewards-points-api", "INVALID_FIELD_FORMAT_ADJUSTMENT_REASON");
  }
  envelope(await call("POST", "/mrs/users/references/searches", { userId: IDS.customerA.bcn, userIdType: "BCN", programIdentifier: "P\u0007" }), 400, "user-management", "INVALID_FIELD_FORMAT_PROGRAM_IDENTIFIER");
  assert.equal((await call("POST", "/points-adjustments", good)).status, 200, "the same without: accepted");
});

test("a batch of garbage at every route never brings it down", async () => {
  let seed = 7;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
  const garbage = () => {
    const kinds = [
      () => new Uint8Array(Array.from({ length: rand(300) }, () => rand(256))),
      () => "{".repeat(rand(2000)),
      () => JSON.stringify({ encryptedPayload: Array.from({ length: 5 }, () => "x".repeat(rand(50))).join(".") }),
      () => JSON.stringify({ encryptedPayload: 42 }),
      () => "\u0000\uffff\ud800",
      () => JSON.stringify([1, 2, 3]),
      () => "",
    ];
    return kinds[rand(kinds.length)]();
  };
  let n = 0;
  for (let round = 0; round < 20; round++) {
    for (const [method, path] of [...ROUTES, ["POST", "/garbage"], ["GET", "/points-details?user_id=%ZZ&user_id_type=%"]]) {
      const body = method === "POST" ? garbage() : undefined;
      const r = await call(method, path, undefined, { raw: body, contentType: rand(3) ? "application/json" : "application/octet-stream" });
      assert.ok(r.status >= 200 && r.status < 500, `${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
      if (r.status >= 400) assert.ok(r.json && r.json.Errors, `${method} ${path}: not an envelope: ${r.text.slice(0, 200)}`);
      n++;
    }
  }
  assert.ok(n >= 160);
  assert.ok(sb.alive(), "the sandbox is still running");
  assert.equal((await call("GET", ROUTES[0][1])).status, 200);
});
