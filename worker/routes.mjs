// The worker's routes. Each handler authorizes every object it touches (authorize.mjs) before
// its one upstream call, fills in what the browser must not choose (card numbers, the transfer
// type, `adjustedBy`) and masks card numbers in what it returns.
import { Refusal } from "./auth.mjs";
import { agentOnly, identifier, invalid, points, readSelector, readTarget, text, transferAccounts } from "./authorize.mjs";
import { json, readJson } from "./http.mjs";
import { masked } from "./mask.mjs";
import { admit, exactlyOnce, TAG_LENGTH, tag } from "./writes.mjs";

const USER_ID_TYPES = ["BAN", "BCN", "RANAC", "RANCU"];
const numbersOf = (owned) => (owned ? owned.accounts.map((a) => a.number) : []);

/** The consumer's own customer, or null for an agent. */
const ownedBy = (c) => (c.who.role === "consumer" ? c.ents.of(c.who, c.headers) : null);

/** The history entry of an account whose reason carries `ref`, or null. */
async function inHistory(c, accountId, ref) {
  const h = await c.client.getPointsAdjustments({ userId: accountId, userIdType: "RANAC" }, { headers: c.headers });
  const entries = h && Array.isArray(h.adjustments) ? h.adjustments : [];
  return entries.find((e) => e && typeof e.adjustmentReason === "string" && e.adjustmentReason.endsWith(tag(ref))) ?? null;
}

async function me(c) {
  if (c.who.role === "agent") return json(200, { sub: c.who.sub, role: "agent", accounts: [] });
  const owned = await ownedBy(c);
  return json(200, {
    sub: c.who.sub,
    role: "consumer",
    ...(owned ? { customerId: owned.customerId } : {}),
    accounts: owned ? owned.accounts.map((a) => ({ accountId: a.accountId, accountFirstFour: a.firstFour, accountLastFour: a.lastFour })) : [],
  });
}

function read(method) {
  return async (c) => {
    // The query first: a malformed one is refused before the entitlement lookup.
    const selector = readSelector(c.url.searchParams);
    if (c.who.role === "agent" && selector.accountId === null && selector.customerId === null) throw invalid("query", "needs accountId or customerId");
    const owned = await ownedBy(c);
    c.known = numbersOf(owned);
    const target = readTarget(c.who, owned, selector);
    c.lastFour = target.lastFour;
    const result = await c.client[method]({ userId: target.userId, userIdType: target.userIdType }, { headers: c.headers });
    return json(200, masked(result, c.known));
  };
}

async function transfer(c) {
  // The key and the rate limit first: a refusal sends nothing upstream.
  const gate = await admit(c);
  const body = await readJson(c.request, c.settings.maxBody);
  const fromAccountId = identifier(body.fromAccountId, "fromAccountId");
  identifier(body.toAccountId, "toAccountId");
  if (fromAccountId === body.toAccountId) throw invalid("toAccountId", "must differ from fromAccountId");
  const n = points(body.points);
  const owned = c.who.role === "consumer" ? await ownedBy(c) : await c.ents.ownerOf(fromAccountId, c.headers);
  c.known = numbersOf(owned);
  const { from, to } = transferAccounts(c.who, owned, fromAccountId, body.toAccountId);
  c.lastFour = from.lastFour;
  c.write = true;
  return exactlyOnce(c, gate, {
    fields: [from.accountId, to.accountId, n],
    async send(ref) {
      // The reason carries the key's reference (or, without one, the correlation id).
      const reason = `Transfer by ${c.who.role} ${ref ? tag(ref) : `(${c.correlationId})`}`;
      const result = await c.client.transferPoints({
        fromBankAccountNumber: from.number,
        toBankAccountNumber: to.number,
        pointsToTransfer: n,
        transferTypeCode: c.settings.transferTypeCode,
        transferReason: reason.slice(0, c.settings.limits.reason),
        adjustedBy: c.who.sub,
      }, { headers: c.headers });
      return masked(result, c.known);
    },
    async find(ref) {
      const entry = await inHistory(c, from.accountId, ref);
      return entry && { pointsTransferred: n, resolvedFromHistory: true, adjustmentDate: entry.adjustmentDate ?? null };
    },
  });
}

async function search(c) {
  agentOnly(c.who);
  const body = await readJson(c.request, c.settings.maxBody);
  if (!USER_ID_TYPES.includes(body.userIdType)) throw invalid("userIdType", `must be one of ${USER_ID_TYPES.join(", ")}`);
  const userId = text(body.userId, "userId", 50);
  if (!/^[A-Za-z0-9-]+$/.test(userId)) throw invalid("userId", "must be letters, digits or -");
  c.known = [userId];
  if (body.userIdType === "BAN") c.lastFour = userId.slice(-4);
  const result = await c.client.searchUserReferences({ userId, userIdType: body.userIdType }, { headers: c.headers });
  return json(200, masked(result, c.known));
}

async function adjust(c) {
  agentOnly(c.who);
  const gate = await admit(c);
  const body = await readJson(c.request, c.settings.maxBody);
  const accountId = identifier(body.accountId, "accountId");
  const n = points(body.points);
  const code = text(body.adjustmentTypeCode, "adjustmentTypeCode", c.settings.limits.typeCode);
  if (!/^[A-Za-z0-9_-]+$/.test(code)) throw invalid("adjustmentTypeCode", "must be letters, digits, _ or -");
  // Room is kept for the key's reference, which the worker appends.
  const reason = text(body.adjustmentReason, "adjustmentReason", c.settings.limits.reason - (c.settings.writes.resolveByReason ? TAG_LENGTH : 0));
  // Free text that PAS stores and shows back: no card number gets in that way.
  if (/\d{12}/.test(reason.replace(/[\s-]/g, ""))) throw invalid("adjustmentReason", "must not hold a card number");
  // The worker's references are its own: one typed here could fake a match in the history.
  if (reason.includes("[ref:")) throw invalid("adjustmentReason", "must not contain [ref:");
  const owner = await c.ents.ownerOf(accountId, c.headers);
  c.known = numbersOf(owner);
  const account = owner && owner.accounts.find((a) => a.accountId === accountId);
  if (!account) throw new Refusal(404, "NOT_FOUND", "no such account");
  c.lastFour = account.lastFour;
  c.write = true;
  return exactlyOnce(c, gate, {
    fields: [accountId, n, code, reason],
    async send(ref) {
      // `adjustedBy` is the agent's own subject, whatever the body says.
      const result = await c.client.adjustPoints({
        bankAccountNumber: account.number,
        pointsToAdjust: n,
        adjustmentTypeCode: code,
        adjustmentReason: ref ? `${reason} ${tag(ref)}` : reason,
        adjustedBy: c.who.sub,
      }, { headers: c.headers });
      return masked(result, c.known);
    },
    async find(ref) {
      const entry = await inHistory(c, accountId, ref);
      return entry && { pointsAdjusted: n, resolvedFromHistory: true, adjustmentDate: entry.adjustmentDate ?? null };
    },
  });
}

/** `METHOD path` → handler. */
export const ROUTES = new Map([
  ["GET /api/me", me],
  ["GET /api/points-details", read("getPointsDetails")],
  ["GET /api/points-expirations", read("getPointsExpirations")],
  ["GET /api/points-adjustments", read("getPointsAdjustments")],
  ["POST /api/transfers", transfer],
  ["POST /api/agent/search", search],
  ["POST /api/agent/adjustments", adjust],
]);

/** Paths the worker serves, with their one method (for CORS preflights and 404s). */
export const METHODS = new Map([...ROUTES.keys()].map((k) => k.split(" ").reverse()));
