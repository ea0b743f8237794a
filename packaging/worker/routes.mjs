// The worker's routes. Each handler spends the user's budget first (writes.mjs `admit`), then
// authorizes every object it touches (authorize.mjs) before its upstream call, fills in what
// the browser must not choose (card numbers, the transfer type, `adjustedBy`), masks card
// numbers in what it returns and names its target for the audit line (`c.target`).
import { Refusal } from "./auth.mjs";
import { adjustmentFields, adjustmentInput, agentOnly, identifier, invalid, points, readSelector, readTarget, text, transferAccounts } from "./authorize.mjs";
import { approvalRoutes, requestApproval } from "./approval-routes.mjs";
import { json, readJson } from "./http.mjs";
import { forConsumer } from "./consumer-view.mjs";
import { masked } from "./mask.mjs";
import { permit } from "./policy.mjs";
import { holdUpstream, release } from "./upstream-hints.mjs";
import { admit, checkedUnder, exactlyOnce, NEEDS_APPROVAL, repeated, tag } from "./writes.mjs";

const USER_ID_TYPES = ["BAN", "BCN", "RANAC", "RANCU"];
/** The identifier types that are the issuer's own numbers (card, customer), never echoed in clear. */
const SENSITIVE_ID_TYPES = ["BAN", "BCN"];
const numbersOf = (owned) => (owned ? owned.accounts.map((a) => a.number) : []);

/** The consumer's own customer, or null for an agent. */
const ownedBy = (c) => (c.who.role === "consumer" ? c.ents.of(c.who, c.headers) : null);

/** What a consumer sees of an answer: card numbers masked, staff named by their role only. */
const shown = (c, value) => (c.who.role === "consumer" ? forConsumer(masked(value, c.known), c.who.sub) : masked(value, c.known));

async function me(c) {
  await admit(c, "read");
  // The user's own record: the request names no one else.
  await permit(c, null);
  // An agent's page can refuse at the field what the worker would refuse, and say when an
  // adjustment will wait for a second agent.
  // Transfers show in the history as adjustments of this type: a page can list them as moves.
  const transferTypeCode = c.settings.transferTypeCode;
  if (c.who.role === "agent") return json(200, { sub: c.who.sub, role: "agent", accounts: [], limits: agentLimits(c.settings), transferTypeCode });
  const owned = await ownedBy(c);
  if (owned) c.target = { type: "customer", id: owned.customerId };
  return json(200, {
    sub: c.who.sub,
    role: "consumer",
    ...(owned ? { customerId: owned.customerId } : {}),
    accounts: owned ? owned.accounts.map((a) => ({ accountId: a.accountId, accountFirstFour: a.firstFour, accountLastFour: a.lastFour })) : [],
    transferTypeCode,
  });
}

/** The worker's limits on an agent's adjustments, as `GET /api/me` tells agents. */
const agentLimits = (s) => ({ adjustmentMaxPoints: s.adjustmentMax, approvalThresholdPoints: s.approvalThreshold, dailyMaxPoints: s.agentDailyMax });

/** The account or customer a read's selector names, or null. */
const named = ({ accountId, customerId }) => (accountId !== null ? { type: "account", id: accountId } : customerId !== null ? { type: "customer", id: customerId } : null);

function read(method) {
  return async (c) => {
    // The budget is spent while the request is checked and its call built and signed: no
    // upstream call leaves before it is (upstream-hints.mjs), and none at all if it is refused.
    const admitted = admit(c, "read");
    const stop = new AbortController();
    admitted.catch(() => stop.abort());
    holdUpstream(c.token, admitted);
    try {
      return await readWithin(c, method, admitted, stop.signal);
    } catch (e) {
      // Over the budget is the answer, whatever else went wrong meanwhile.
      await admitted;
      throw e;
    } finally {
      release(c.token);
    }
  };
}

/** A read once its budget is on the way (`admitted`); `signal` stops the client if it is refused. */
async function readWithin(c, method, admitted, signal) {
  // The query next: a malformed one is refused before the entitlement lookup.
  const selector = readSelector(c.url.searchParams);
  if (c.who.role === "agent" && selector.accountId === null && selector.customerId === null) throw invalid("query", "needs accountId or customerId");
  // What the request names (none: a consumer's own customer), before any lookup.
  await permit(c, named(selector));
  const owned = await ownedBy(c);
  c.known = numbersOf(owned);
  const target = readTarget(c.who, owned, selector);
  const [, result] = await Promise.all([admitted, c.client[method]({ userId: target.userId, userIdType: target.userIdType }, { headers: c.headers, signal })]);
  // Named only once the service answered for it: a reference it does not know is not logged.
  c.target = { type: target.userIdType === "RANAC" ? "account" : "customer", id: target.userId, lastFour: target.lastFour };
  return json(200, shown(c, result));
}

async function transfer(c) {
  // The key and the budget first: a refusal sends nothing upstream.
  const gate = await admit(c);
  const { fromAccountId, toAccountId, n } = await checkedUnder(gate, async () => {
    const body = await readJson(c.request, c.settings.maxBody);
    const from = identifier(body.fromAccountId, "fromAccountId");
    const to = identifier(body.toAccountId, "toAccountId");
    if (from === to) throw invalid("toAccountId", "must differ from fromAccountId");
    return { fromAccountId: from, toAccountId: to, n: points(body.points) };
  });
  // The issuer's policy on the giving account, before a repeat is answered or anything looked up.
  await checkedUnder(gate, () => permit(c, { type: "account", id: fromAccountId }, n));
  // A repeat of a known key is answered from the book, before any lookup.
  const again = await repeated(c, gate, [fromAccountId, toAccountId, n]);
  if (again) return again;
  const owned = c.who.role === "consumer" ? await ownedBy(c) : await c.ents.ownerOf(fromAccountId, c.headers);
  c.known = numbersOf(owned);
  const { from, to } = transferAccounts(c.who, owned, fromAccountId, toAccountId);
  c.target = { type: "account", id: from.accountId, lastFour: from.lastFour };
  c.points = n;
  c.write = true;
  return exactlyOnce(c, gate, {
    fields: [from.accountId, to.accountId, n],
    watch: { account: from.accountId, result: { pointsTransferred: n }, audit: c.auditFields() },
    async send(ref) {
      // Only the worker's own text: the role, and the key's reference or the correlation id (a UUID).
      const reason = `Transfer by ${c.who.role} ${ref ? tag(ref) : `(${c.correlationId})`}`;
      const result = await c.client.transferPoints({
        fromBankAccountNumber: from.number,
        toBankAccountNumber: to.number,
        pointsToTransfer: n,
        transferTypeCode: c.settings.transferTypeCode,
        transferReason: reason.slice(0, c.settings.limits.reason),
        adjustedBy: c.who.sub,
      }, { headers: c.headers });
      return shown(c, result);
    },
  });
}

async function search(c) {
  agentOnly(c.who);
  await admit(c, "search");
  const body = await readJson(c.request, c.settings.maxBody);
  if (!USER_ID_TYPES.includes(body.userIdType)) throw invalid("userIdType", `must be one of ${USER_ID_TYPES.join(", ")}`);
  const userId = text(body.userId, "userId", 50);
  if (!/^[A-Za-z0-9-]+$/.test(userId)) throw invalid("userId", "must be letters, digits or -");
  // A card or customer number typed is masked wherever it shows up again; a RANAC or RANCU is
  // Mastercard's opaque reference, which the page needs back intact to read the customer's points.
  c.known = SENSITIVE_ID_TYPES.includes(body.userIdType) ? [userId] : [];
  // Whether this agent may search at all; then, before answering, whether they may see whom it found.
  await permit(c, null);
  const result = await c.client.searchUserReferences({ userId, userIdType: body.userIdType }, { headers: c.headers });
  const refs = result && Array.isArray(result.userReferences) ? result.userReferences : [];
  const customerId = refs.length === 1 && refs[0] ? refs[0].customerId : undefined;
  // Named only when the lookup found exactly one customer: a typed number that matched nothing is not logged.
  if (typeof customerId === "string") c.target = { type: "customer", id: customerId, lastFour: body.userIdType === "BAN" ? userId.slice(-4) : undefined };
  for (const r of refs) {
    const id = r && typeof r.customerId === "string" ? r.customerId : null;
    if (id !== null) await permit(c, { type: "customer", id });
  }
  return json(200, masked(result, c.known));
}

async function adjust(c) {
  agentOnly(c.who);
  const gate = await admit(c);
  const input = await checkedUnder(gate, async () => adjustmentInput(await readJson(c.request, c.settings.maxBody), c.settings));
  // The issuer's policy on the account, before a repeat is answered or anything looked up.
  await checkedUnder(gate, () => permit(c, { type: "account", id: input.accountId }, input.points));
  const again = await repeated(c, gate, adjustmentFields(input));
  if (again) return again;
  const owner = await c.ents.ownerOf(input.accountId, c.headers);
  c.known = numbersOf(owner);
  const account = owner && owner.accounts.find((a) => a.accountId === input.accountId);
  if (!account) throw new Refusal(404, "NOT_FOUND", "no such account");
  c.target = { type: "account", id: account.accountId, lastFour: account.lastFour };
  c.points = input.points;
  c.write = true;
  // Above the threshold (this adjustment, or the agent's day on this account with it) a second
  // agent decides (approval-routes.mjs); nothing is sent now.
  if (input.points > c.settings.approvalThreshold) return requestApproval(c, gate, input, account);
  const sent = await sendAdjustment(c, gate, input, account, c.who.sub, c.settings.approvalThreshold);
  return sent === NEEDS_APPROVAL ? requestApproval(c, gate, input, account) : sent;
}

/**
 * The adjustment's one exactly-once send, booked in the requester's Durable Object and counted
 * against the requester's daily ceiling. `requester`: the agent whose adjustment it is;
 * `threshold`: for a direct adjustment, the points the agent's day on the account may reach
 * (NEEDS_APPROVAL above it); none for an approved one.
 */
export function sendAdjustment(c, gate, input, account, requester, threshold) {
  return exactlyOnce(c, gate, {
    fields: adjustmentFields(input),
    spend: { points: input.points, max: c.settings.agentDailyMax, account: input.accountId, threshold },
    watch: { account: input.accountId, result: { pointsAdjusted: input.points }, audit: c.auditFields() },
    async send(ref) {
      // `adjustedBy` is the requesting agent's own subject, whatever the body says.
      const result = await c.client.adjustPoints({
        bankAccountNumber: account.number,
        pointsToAdjust: input.points,
        adjustmentTypeCode: input.adjustmentTypeCode,
        adjustmentReason: ref ? `${input.adjustmentReason} ${tag(ref)}` : input.adjustmentReason,
        adjustedBy: requester,
      }, { headers: c.headers });
      return masked(result, c.known);
    },
  });
}

/** The routes: `[method, path, handler]`; a path segment `{approvalId}` matches a UUID. */
export const ROUTE_LIST = [
  ["GET", "/api/me", me],
  ["GET", "/api/points-details", read("getPointsDetails")],
  ["GET", "/api/points-expirations", read("getPointsExpirations")],
  ["GET", "/api/points-adjustments", read("getPointsAdjustments")],
  ["POST", "/api/transfers", transfer],
  ["POST", "/api/agent/search", search],
  ["POST", "/api/agent/adjustments", adjust],
  ...approvalRoutes(sendAdjustment),
];

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const matcher = (path) => new RegExp(`^${path.replace("{approvalId}", `(${UUID})`)}$`);
const COMPILED = ROUTE_LIST.map(([method, path, handler]) => ({ method, path, handler, re: matcher(path) }));

/**
 * The route for a path: `{ methods, handler?, key?, params }` — `methods` the path's methods
 * (for preflights and 405s), `handler` and `key` ("METHOD template") when `method` is one.
 */
export function routeOf(method, pathname) {
  const methods = [];
  let found = null;
  for (const r of COMPILED) {
    const m = r.re.exec(pathname);
    if (!m) continue;
    methods.push(r.method);
    if (r.method === method) found = { handler: r.handler, key: `${r.method} ${r.path}`, params: m.slice(1) };
  }
  return { methods, ...(found ?? { params: [] }) };
}
