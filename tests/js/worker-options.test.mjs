// createPointsWorker's options: checked at creation (a PointsConfigError naming the option,
// never echoing a value), then honoured by the worker in workerd + the sandbox: a `user`
// function, an `authorize` policy that narrows (and fails closed), an `audit` sink (and the
// console when it fails), settings in code over env bindings.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { checkOptions } from "../../pkg/npm/worker/options.mjs";
import { IDS } from "./sandbox-support.mjs";
import { token, workerChain } from "./worker-support.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

test("options are checked at creation: each fault a PointsConfigError naming the option, no value echoed", () => {
  const cases = [
    [{ colour: 1 }, /unknown member "colour"/],
    [{ user: 7 }, /user must be a plain object/],
    [{ user: { role: "" } }, /user\.role must be a claim name/],
    [{ user: { roles: { consumer: "staff", agent: ["staff", "csr"] } } }, /user\.roles names one value for both roles/],
    [{ user: { roles: { agent: [] } } }, /user\.roles\.agent must be a role value/],
    [{ user: { customer: "x" } }, /user has an unknown member "customer"/],
    [{ authorize: "allow" }, /authorize must be a function/],
    [{ audit: {} }, /audit must be a function/],
    [{ allowedOrigins: "https://a.example" }, /allowedOrigins must be a list/],
    [{ allowedOrigins: ["https://a.example/path"] }, /ALLOWED_ORIGINS must hold exact origins/],
    [{ settings: { READ_RATE_LIMIT: 0 } }, /READ_RATE_LIMIT must be a whole number/],
    [{ settings: { READ_RATE_LIMIT: "secret-ish" } }, /READ_RATE_LIMIT must be a whole number/],
    [{ settings: { NOT_A_BINDING: "1" } }, /settings has an unknown member "NOT_A_BINDING"/],
    [{ settings: { AUDIT_READS: true } }, /settings\.AUDIT_READS must be a string or a number/],
    [{ auth: { jwks: { keys: [{ kty: "oct", k: "c2VjcmV0" }] } } }, /AUTH_JWKS must hold public asymmetric keys only/],
    [{ auth: { jwksUrl: "http://idp.example/jwks" } }, /AUTH_JWKS_URL must be https/],
    [{ auth: { jwks: { keys: [{ kty: "EC" }] }, jwksUrl: "https://idp.example/jwks" } }, /exactly one of AUTH_JWKS and AUTH_JWKS_URL/],
    [{ get user() { throw new Error("getter ran"); } }, /options\.user must be a data property/],
    [Object.create({ user: {} }), /options must be a plain object/],
    [[], /options must be a plain object/],
    [{ settings: { MC_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----secret-ish" } }, /settings\.MC_SIGNING_KEY is a credential/],
    [{ settings: { MC_DECRYPTION_KEY: "secret-ish" } }, /settings\.MC_DECRYPTION_KEY is a credential/],
    [{ settings: { AUTH_ISSUER: "https://a.example" }, auth: { issuer: "https://b.example" } }, /settings\.AUTH_ISSUER is given by auth too/],
    [{ settings: { ALLOWED_ORIGINS: "https://a.example" }, allowedOrigins: ["https://a.example"] }, /given by allowedOrigins too/],
    [{ auth: { jwks: { keys: [{ kty: "EC", x: 1n }] } } }, /auth\.jwks must be a JWK Set that JSON can hold/],
    [{ auth: { jwks: { keys: [new Map([["kty", "EC"]])] } } }, /auth is not valid: AUTH_JWKS must hold public asymmetric keys only/],
    [{ auth: { jwks: { toJSON: () => ({ keys: [{ kty: "oct", k: "c2VjcmV0" }] }) } } }, /auth is not valid: AUTH_JWKS/],
    [{ allowedOrigins: new Array(1e6) }, /allowedOrigins must be a list of 1 to 64 origins/],
  ];
  for (const [options, message] of cases) {
    let error;
    try {
      checkOptions(options);
    } catch (e) {
      error = e;
    }
    assert.ok(error, `accepted: ${message}`);
    assert.equal(error.name, "PointsConfigError", String(error));
    assert.equal(error.code, "ERR_CONFIG");
    assert.match(error.message, message);
    assert.ok(!error.message.includes("secret-ish") && !error.message.includes("c2VjcmV0"), error.message);
  }
  const ok = checkOptions({ user: { role: "https://bank.example/role", roles: { consumer: "customer", agent: ["csr", "supervisor"] }, customerNumber: "customer_no" }, settings: { READ_RATE_LIMIT: 5, AUDIT_READS: "all" }, allowedOrigins: ["https://a.example", "https://b.example"] });
  assert.deepEqual(ok.user.roles.agent, ["csr", "supervisor"]);
  assert.deepEqual(ok.overrides, { READ_RATE_LIMIT: "5", AUDIT_READS: "all", ALLOWED_ORIGINS: "https://a.example,https://b.example" });
  assert.equal(checkOptions(undefined).user.role, "role", "no options: today's claims");
  // Each origin is read once: a getter that answers otherwise the second time changes nothing.
  let reads = 0;
  const origins = ["https://a.example"];
  Object.defineProperty(origins, 1, { enumerable: true, get: () => (reads++ === 0 ? "https://b.example" : "https://evil.example") });
  assert.equal(checkOptions({ allowedOrigins: origins }).overrides.ALLOWED_ORIGINS, "https://a.example,https://b.example");
  assert.equal(reads, 1);
});

// A user's worker script with every behavioural option; `/_audit` answers what its sink got.
const SCRIPT = `
import { createPointsWorker, UserWrites, Approvals } from "points-activity/worker";
export { UserWrites, Approvals };
const lines = [];
const worker = createPointsWorker({
  user: (p) => (p.kind === "inherited" ? Object.create({ sub: p.uid, role: "agent" }) : { sub: p.uid, role: p.kind === "staff" ? "agent" : p.kind === "member" ? "consumer" : "nobody", customerNumber: p.cno }),
  authorize: (decision, request) => {
    if (request.headers.get("x-policy") === "throw") throw new Error("policy down");
    // Agent 7 may not touch customer B at all; the other agents may.
    return decision.user.sub === "agent-7" && decision.target && ${JSON.stringify([IDS.customerB.rancu, IDS.b1.ranac])}.includes(decision.target.id) ? false : decision;
  },
  audit: (line) => {
    if (line.route === "POST /api/agent/search") throw new Error("sink down");
    lines.push(line);
  },
  settings: { SEARCH_RATE_LIMIT: 1 },
});
export default {
  fetch: (request, env, ctx) => new URL(request.url).pathname === "/_audit" ? Response.json(lines) : worker.fetch(request, env, ctx),
};
`;

let c;
let dir;
before(async () => {
  dir = join(root, "target", `worker-options-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "worker.mjs"), SCRIPT);
  // The env's search limit is far above the script's: the script's must win.
  c = await workerChain({ main: join(dir, "worker.mjs"), env: { SEARCH_RATE_LIMIT: "100000" } });
});
after(async () => {
  if (c) await c.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("a user function reads the issuer's own claims; whatever it makes of a token is checked like any claims", async () => {
  const member = await token(c.key, { uid: "alex", kind: "member", cno: IDS.customerA.bcn });
  let res = await c.call("GET", "/api/me", { bearer: member });
  assert.equal(res.status, 200);
  const memberMe = await res.json();
  assert.deepEqual([memberMe.customerId, memberMe.transferTypeCode], [IDS.customerA.rancu, "TR"]);
  const staff = await token(c.key, { uid: "agent-7", kind: "staff" });
  res = await c.call("GET", "/api/me", { bearer: staff });
  const staffMe = await res.json();
  assert.deepEqual([res.status, staffMe.role], [200, "agent"]);
  // An agent is told the limits the worker holds them to (its defaults here).
  assert.deepEqual(staffMe.limits, { adjustmentMaxPoints: 10000, approvalThresholdPoints: 1000, dailyMaxPoints: 50000 });
  assert.equal(staffMe.transferTypeCode, "TR");
  assert.equal((await c.call("GET", "/api/me", { bearer: await token(c.key, { uid: "eve", kind: "visitor" }) })).status, 403);
  assert.equal((await c.call("GET", "/api/me", { bearer: await token(c.key, { uid: "5454545454545454", kind: "staff" }) })).status, 401, "a card-number subject, whoever maps it");
  assert.equal((await c.call("GET", "/api/me", { bearer: await token(c.key, { uid: "mallory", kind: "inherited" }) })).status, 401, "an identity on a prototype is none");
  // The mapping's own input is the verified payload only: `sub` is not read unless it says so.
  assert.equal((await c.call("GET", "/api/me", { bearer: await token(c.key, { sub: "alex", kind: "member", cno: IDS.customerA.bcn }) })).status, 401);
});

test("authorize narrows what the worker allows, before anything goes upstream, and fails closed", async () => {
  const staff = await token(c.key, { uid: "agent-7", kind: "staff" });
  assert.equal((await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: staff })).status, 200);
  const before = c.upstream().length;
  for (const q of [`accountId=${IDS.b1.ranac}`, `customerId=${IDS.customerB.rancu}`]) {
    const res = await c.call("GET", `/api/points-details?${q}`, { bearer: staff });
    assert.equal(res.status, 403, q);
    assert.equal((await res.json()).Errors.Error[0].ReasonCode, "FORBIDDEN");
  }
  const res = await c.call("GET", `/api/points-details?accountId=${IDS.a1.ranac}`, { bearer: staff, headers: { "x-policy": "throw" } });
  assert.equal(res.status, 500);
  assert.equal((await res.json()).Errors.Error[0].ReasonCode, "POLICY_FAILED");
  assert.deepEqual(c.upstream().slice(before), [], "nothing refused by the policy went upstream");
  // It is never asked to widen: another customer's account stays refused to a consumer.
  const member = await token(c.key, { uid: "alex", kind: "member", cno: IDS.customerA.bcn });
  assert.equal((await c.call("GET", `/api/points-details?accountId=${IDS.b1.ranac}`, { bearer: member })).status, 403);
});

test("the audit sink gets every line; when it fails, the line goes to the console; settings in code beat env", async () => {
  const staff = await token(c.key, { uid: "agent-9", kind: "staff" });
  assert.equal((await c.call("GET", `/api/points-adjustments?accountId=${IDS.a1.ranac}`, { bearer: staff })).status, 200);
  const search = () => c.call("POST", "/api/agent/search", { bearer: staff, body: { userId: IDS.a1.ranac, userIdType: "RANAC" } });
  assert.equal((await search()).status, 200);
  assert.equal((await search()).status, 429, "SEARCH_RATE_LIMIT 1 from the script, not env's 100000");
  await new Promise((ok) => setTimeout(ok, 200));
  const got = await (await fetch(`${c.wk.base}/_audit`)).json();
  const read = got.find((l) => l.user === "agent-9" && l.route === "GET /api/points-adjustments");
  assert.ok(read, JSON.stringify(got));
  assert.deepEqual([read.audit, read.status, read.target.type, read.target.id], ["points-worker", 200, "account", IDS.a1.ranac]);
  assert.ok(!got.some((l) => l.route === "POST /api/agent/search"), "the failing sink kept nothing");
  const consoled = c.wk.audits().filter((l) => l.user === "agent-9" && l.route === "POST /api/agent/search");
  assert.deepEqual(consoled.map((l) => l.status), [200, 429], "both search lines reached the console instead");
  assert.ok(c.wk.logs.some((l) => l.includes("the audit sink failed")));
});

test("the policy sees what every route touches: a search's find, a refused write's account before any lookup, approvals hidden and undecidable", async () => {
  const [seven, six, eight] = await Promise.all(["agent-7", "agent-6", "agent-8"].map((uid) => token(c.key, { uid, kind: "staff" })));
  // A search is asked again with whom it found, before anything of it is answered.
  let res = await c.call("POST", "/api/agent/search", { bearer: seven, body: { userId: IDS.customerB.rancu, userIdType: "RANCU" } });
  assert.equal(res.status, 403);
  assert.ok(!(await res.text()).includes(IDS.b1.ranac), "nothing of the find is answered");
  // An adjustment on B's account is refused before the owner lookup: nothing goes upstream.
  let before = c.upstream().length;
  const adjust = (bearer, points, key) => c.call("POST", "/api/agent/adjustments", { bearer, body: { accountId: IDS.b1.ranac, points, adjustmentTypeCode: "CR", adjustmentReason: "policy test" }, headers: { "idempotency-key": key } });
  res = await adjust(seven, 5, `policy-${process.pid}-1`);
  assert.equal(res.status, 403);
  assert.deepEqual(c.upstream().slice(before), []);
  // Agent 8 asks for a large credit on B; agent 7 neither sees nor decides it; agent 6 approves it.
  res = await adjust(eight, 2000, `policy-${process.pid}-2`);
  assert.equal(res.status, 202);
  const { approvalId } = await res.json();
  const listed = async (bearer) => (await (await c.call("GET", "/api/agent/approvals", { bearer })).json()).approvals.map((a) => a.approvalId);
  assert.ok(!(await listed(seven)).includes(approvalId), "hidden from the agent the policy refuses");
  assert.ok((await listed(six)).includes(approvalId));
  before = c.upstream().length;
  res = await c.call("POST", `/api/agent/approvals/${approvalId}`, { bearer: seven, body: { decision: "approve" }, headers: { "idempotency-key": `policy-${process.pid}-3` } });
  assert.equal(res.status, 403);
  assert.deepEqual(c.upstream().slice(before), [], "nothing sent");
  assert.ok((await listed(six)).includes(approvalId), "still waiting: the refusal recorded no decision");
  res = await c.call("POST", `/api/agent/approvals/${approvalId}`, { bearer: six, body: { decision: "approve" }, headers: { "idempotency-key": `policy-${process.pid}-4` } });
  assert.equal(res.status, 200, await res.text());
});
