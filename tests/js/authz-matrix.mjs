// The worker's authorization matrix, shared by the repository's worker (today's claims) and the
// deployable template (examples/cloudflare-worker/, custom claims): every caller (two
// consumers, an agent, and fifteen kinds of bad token) × every route × targets (their own,
// someone else's). Every cell has its expected status, and no refusal sends anything upstream.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { SignJWT } from "jose";
import { token, issuerKey, ISSUER, AUDIENCE } from "./worker-support.mjs";
import { SEED, IDS } from "./sandbox-support.mjs";

export { IDS };

// Sam (customer B) gets a second card, so that each consumer can move points between their own.
export const B2 = { ranac: "300000000000000000000000000004", ban: "4111111111112222" };
export const seed = structuredClone(SEED);
seed.customers[1].accounts.push({ ranac: B2.ranac, ban: B2.ban, entries: [{ date: "2026-04-06", kind: "EARNED", points: 500 }] });

export const ALEX = { customer: IDS.customerA, accounts: [IDS.a1, IDS.a2] };
export const SAM = { customer: IDS.customerB, accounts: [IDS.b1, B2] };

/** Today's claims: `role` is "consumer" or "agent", `bcn` the customer number. */
export const DEFAULT_CLAIMS = ({ sub, role, bcn }) => ({ sub, role, ...(bcn === undefined ? {} : { bcn }) });

/**
 * The matrix's callers for chain `c`, their tokens' claims written by `claims` (a function of
 * `{ sub, role, bcn }`, role "consumer", "agent" or another value); each consumer's
 * entitlements warmed, so that a refusal has nothing left to look up.
 */
export async function matrixTokens(c, claims = DEFAULT_CLAIMS) {
  const tokens = {};
  const b64 = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const alexClaims = claims({ sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  tokens.alex = await token(c.key, alexClaims);
  tokens.sam = await token(c.key, claims({ sub: "sam", role: "consumer", bcn: IDS.customerB.bcn }));
  tokens.agent = await token(c.key, claims({ sub: "agent-7", role: "agent" }));
  tokens.none = null;
  tokens.expired = await token(c.key, alexClaims, { exp: now - 120 });
  tokens.notYetValid = await token(c.key, alexClaims, { nbf: now + 300 });
  tokens.wrongIssuer = await token(c.key, alexClaims, { iss: "https://evil.example" });
  tokens.wrongAudience = await token(c.key, alexClaims, { aud: "another-service" });
  tokens.wrongKey = await token(await issuerKey("ES256", c.key.kid), alexClaims);
  const payload = { ...alexClaims, iss: ISSUER, aud: AUDIENCE, exp: now + 600 };
  tokens.algNone = `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
  // Algorithm confusion: HMAC keyed with the (public) verification key.
  const head = `${b64({ alg: "HS256", kid: c.key.kid })}.${b64(payload)}`;
  tokens.hs256PublicKey = `${head}.${createHmac("sha256", JSON.stringify(c.key.jwk)).update(head).digest("base64url")}`;
  const [h, , sig] = tokens.alex.split(".");
  tokens.tampered = `${h}.${b64({ ...payload, ...claims({ sub: "alex", role: "consumer", bcn: IDS.customerB.bcn }) })}.${sig}`;
  tokens.noExpiry = await token(c.key, alexClaims, { exp: null });
  tokens.unknownRole = await token(c.key, claims({ sub: "eve", role: "admin" }));
  // Lifetimes: no `iat`, and ten years (MAX_TOKEN_LIFETIME_S is an hour).
  tokens.noIssuedAt = await new SignJWT(alexClaims).setProtectedHeader({ alg: c.key.alg, kid: c.key.kid }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime("10m").sign(c.key.privateKey);
  tokens.tenYears = await token(c.key, alexClaims, { exp: "3650d" });
  // A subject that is a card number, plainly or spelled with separators (it would become adjustedBy).
  tokens.cardSub = await token(c.key, claims({ sub: "5454545454545454", role: "agent" }));
  tokens.cardSubSpelled = await token(c.key, claims({ sub: "5454.5454.5454.5454", role: "agent" }));
  for (const t of [tokens.alex, tokens.sam]) assert.equal((await c.call("GET", "/api/me", { bearer: t })).status, 200);
  return tokens;
}

/** The routes × targets: for a consumer `own`/`other` are theirs and the other consumer's; for the agent, customer A and B. */
function cells(mine, theirs) {
  const reads = ["points-details", "points-expirations", "points-adjustments"];
  const out = [["me", "GET", "/api/me", null, "none"]];
  for (const r of reads) {
    out.push([r, "GET", `/api/${r}?accountId=${mine.accounts[0].ranac}`, null, "own account"]);
    out.push([r, "GET", `/api/${r}?accountId=${theirs.accounts[0].ranac}`, null, "other account"]);
    out.push([r, "GET", `/api/${r}?customerId=${mine.customer.rancu}`, null, "own customer"]);
    out.push([r, "GET", `/api/${r}?customerId=${theirs.customer.rancu}`, null, "other customer"]);
  }
  out.push(["transfers", "POST", "/api/transfers", { fromAccountId: mine.accounts[0].ranac, toAccountId: mine.accounts[1].ranac, points: 1 }, "own accounts"]);
  out.push(["transfers", "POST", "/api/transfers", { fromAccountId: theirs.accounts[0].ranac, toAccountId: mine.accounts[0].ranac, points: 1 }, "from other's account"]);
  out.push(["transfers", "POST", "/api/transfers", { fromAccountId: mine.accounts[0].ranac, toAccountId: theirs.accounts[0].ranac, points: 1 }, "to other's account"]);
  out.push(["agent/search", "POST", "/api/agent/search", { userId: mine.accounts[0].ban, userIdType: "BAN" }, "own card"]);
  out.push(["agent/search", "POST", "/api/agent/search", { userId: theirs.customer.rancu, userIdType: "RANCU" }, "other customer"]);
  out.push(["agent/adjustments", "POST", "/api/agent/adjustments", { accountId: mine.accounts[0].ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: "matrix" }, "own account"]);
  out.push(["agent/adjustments", "POST", "/api/agent/adjustments", { accountId: theirs.accounts[0].ranac, points: 1, adjustmentTypeCode: "CR", adjustmentReason: "matrix" }, "other account"]);
  return out;
}

function expected(caller, route, target) {
  if (!["alex", "sam", "agent"].includes(caller)) return caller === "unknownRole" ? 403 : 401;
  if (caller === "agent") {
    if (route === "transfers" && target !== "own accounts") return 403; // not one customer's two accounts
    return 200;
  }
  if (route.startsWith("agent/")) return 403;
  if (route === "me") return 200;
  return target.startsWith("own") ? 200 : 403;
}

/** Every cell of the matrix against `c` with `tokens`; asserts each, returns the count of cells. */
export async function runMatrix(c, tokens) {
  const callers = Object.keys(tokens);
  let count = 0;
  const wrong = [];
  for (const caller of callers) {
    const [mine, theirs] = caller === "sam" ? [SAM, ALEX] : [ALEX, SAM];
    for (const [route, method, path, body, target] of cells(mine, theirs)) {
      const before = c.upstream().length;
      // Writes carry an Idempotency-Key, as the page's client sends them (exactly-once on).
      const headers = method === "POST" ? { "idempotency-key": `authz-${caller}-${count}-${process.pid}` } : {};
      const res = await c.call(method, path, { bearer: tokens[caller], body: body ?? undefined, headers });
      const text = await res.text();
      const want = expected(caller, route, target);
      count++;
      if (res.status !== want) wrong.push(`${caller} ${method} ${path} (${target}): ${res.status}, want ${want}: ${text.slice(0, 160)}`);
      assert.equal(res.headers.get("vary"), "Origin");
      const sent = c.upstream().slice(before);
      if (res.status >= 400) {
        const env = JSON.parse(text);
        assert.equal(env.Errors.Error[0].Source, "worker", text);
        if (res.status === 401) assert.match(res.headers.get("www-authenticate") || "", /^Bearer /);
        // An agent's cross-customer transfer needs the giving account's owner to be decided:
        // that lookup (an identifier read of UAM) is all that may have gone out.
        const allowed = caller === "agent" ? sent.filter((l) => !l.startsWith("POST /loyalty/mrs/users/references/searches")) : sent;
        assert.deepEqual(allowed, [], `${caller} ${method} ${path}: a refusal sent ${JSON.stringify(sent)}`);
      }
      assert.ok(!text.includes(IDS.a1.ban) && !text.includes(IDS.b1.ban) && !text.includes(B2.ban), `a card number in ${caller} ${path}: ${text.slice(0, 200)}`);
    }
  }
  assert.deepEqual(wrong, []);
  console.log(`authorization matrix: ${callers.length} callers, ${count} cells`);
  assert.equal(count, callers.length * 20);
  return count;
}
