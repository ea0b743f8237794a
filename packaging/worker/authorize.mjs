// Who may touch what, decided before anything is sent upstream. Pure: each function takes the
// caller's identity, what they own (or what the lookup says of the target) and the request's
// values, and returns what to send, or a Refusal.
import { identifierProblem, pointsProblem, textProblem } from "../web/rules.js";
import { Refusal } from "./auth.mjs";
import { countDigits } from "./card-numbers.mjs";
import { TAG_LENGTH } from "./writes.mjs";

const forbidden = (why) => new Refusal(403, "FORBIDDEN", why);
export const invalid = (field, why) => new Refusal(400, "INVALID_REQUEST", `${field} ${why}`, field);

/** `value` when rules.js finds no `problem` with it, else 400 naming `field`. */
function checked(problem, value, field) {
  if (problem !== null) throw invalid(field, problem);
  return value;
}

/** An identifier from the query or a body: 1 to 64 letters, digits or `-` (rules.js). */
export const identifier = (value, field) => checked(identifierProblem(value), value, field);

/** Points to move or adjust: a whole number from 1 to 2^53 − 1 (rules.js). */
export const points = (value, field = "points") => checked(pointsProblem(value), value, field);

/** Text of 1 to `max` characters, as the crate counts and checks them (rules.js). */
export const text = (value, field, max) => checked(textProblem(value, max), value, field);

/**
 * A read's selector from `?accountId=` or `?customerId=` (one at most), checked without any
 * lookup: a malformed query is refused before anything goes upstream.
 */
export function readSelector(params) {
  const accountId = params.get("accountId");
  const customerId = params.get("customerId");
  for (const k of params.keys()) if (k !== "accountId" && k !== "customerId") throw invalid("query", "names a parameter this route does not take");
  if (params.getAll("accountId").length > 1 || params.getAll("customerId").length > 1) throw invalid("query", "names a parameter twice");
  if (accountId !== null && customerId !== null) throw invalid("query", "takes accountId or customerId, not both");
  if (accountId !== null) identifier(accountId, "accountId");
  if (customerId !== null) identifier(customerId, "customerId");
  return { accountId, customerId };
}

/**
 * A read's target for a checked selector. A consumer reads only their own (none = their
 * customer); an agent reads any, and must say which. Returns `{ userId, userIdType, lastFour? }`.
 */
export function readTarget(who, owned, { accountId, customerId }) {
  if (who.role === "agent") {
    if (accountId !== null) return { userId: accountId, userIdType: "RANAC" };
    if (customerId !== null) return { userId: customerId, userIdType: "RANCU" };
    throw invalid("query", "needs accountId or customerId");
  }
  if (!owned) throw forbidden("no customer is on record for this user");
  if (accountId !== null) {
    const a = owned.accounts.find((x) => x.accountId === accountId);
    if (!a) throw forbidden("this account is not yours");
    return { userId: a.accountId, userIdType: "RANAC", lastFour: a.lastFour };
  }
  if (customerId !== null && customerId !== owned.customerId) throw forbidden("this customer is not you");
  return { userId: owned.customerId, userIdType: "RANCU" };
}

/**
 * A transfer's two accounts, with their card numbers. `owned` is the consumer's own customer,
 * or for an agent the owner of the giving account: both accounts must be in it.
 */
export function transferAccounts(who, owned, fromAccountId, toAccountId) {
  identifier(fromAccountId, "fromAccountId");
  identifier(toAccountId, "toAccountId");
  if (fromAccountId === toAccountId) throw invalid("toAccountId", "must differ from fromAccountId");
  const find = (id) => owned && owned.accounts.find((x) => x.accountId === id);
  const from = find(fromAccountId);
  const to = find(toAccountId);
  if (!from || !to) {
    throw forbidden(who.role === "agent" ? "the two accounts are not of one customer" : "both accounts must be yours");
  }
  return { from, to };
}

/** Agents only. */
export function agentOnly(who) {
  if (who.role !== "agent") throw forbidden("this route is for agents");
}

/** 422 LIMIT_EXCEEDED: a ceiling of the worker's controls. */
export const overLimit = (why, field = "points") => new Refusal(422, "LIMIT_EXCEEDED", why, field);

/**
 * An agent's adjustment body, checked without any lookup: the account, the points (at most
 * `ADJUSTMENT_MAX_POINTS`), the type code and a reason that holds no card number in any
 * spelling and no reference of the worker's (room is kept for the one it appends).
 */
export function adjustmentInput(body, settings) {
  const accountId = identifier(body.accountId, "accountId");
  const n = points(body.points);
  if (n > settings.adjustmentMax) throw overLimit(`points must be at most ${settings.adjustmentMax} in one adjustment`);
  const code = text(body.adjustmentTypeCode, "adjustmentTypeCode", settings.limits.typeCode);
  if (!/^[A-Za-z0-9_-]+$/.test(code)) throw invalid("adjustmentTypeCode", "must be letters, digits, _ or -");
  // Both are text PAS stores and shows back (to the customer, to other agents): 12 digits or
  // more, however they are spelled or split, could be a card number.
  if (countDigits(code) >= 12) throw invalid("adjustmentTypeCode", "must hold fewer than 12 digits");
  const reason = text(body.adjustmentReason, "adjustmentReason", settings.limits.reason - (settings.writes.resolveByReason ? TAG_LENGTH : 0));
  if (countDigits(reason) >= 12) throw invalid("adjustmentReason", "must hold fewer than 12 digits (a card number could hide in more)");
  // The worker's references are its own: one typed here could fake a match in the history.
  if (reason.includes("[ref:")) throw invalid("adjustmentReason", "must not contain [ref:");
  return { accountId, points: n, adjustmentTypeCode: code, adjustmentReason: reason };
}

/** What an adjustment's fingerprint covers, whichever way it goes (sent, or waiting for approval). */
export const adjustmentFields = (i) => [i.accountId, i.points, i.adjustmentTypeCode, i.adjustmentReason];
