// The page's arithmetic, apart from the DOM: the figures of a view, the terms of its sum and the
// activity list whose rows add up to the available points (tests/browser/page-logic.test.mjs).
import { dayOf } from "./format.js";

/**
 * The figures of one view as the page shows them. PAS documents available = previous balance +
 * earned − redeemed ± adjustments, and lists no expiry term: expired points are counted among the
 * adjustments (the sandbox's reading, docs/sandbox.md), and `pointsExpired` breaks them out. The
 * page shows expiries apart, so its "adjustments" are what makes the documented sum hold once
 * expiries are taken out; every figure shown then adds up to the available points by construction.
 */
export function figuresOf(d) {
  const n = (v) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const [previous, earned, redeemed, expired, available] = [n(d.previousBalance), n(d.pointsEarned), n(d.pointsRedeemed), n(d.pointsExpired), n(d.availablePoints)];
  return { previous, earned, redeemed, expired, available, adjusted: available - previous - earned + redeemed + expired, onHold: n(d.pointsOnHold) };
}

/** The terms of the sum, in the order shown: [key, label, signed effect on the balance]. */
export const terms = (f) => [["previousBalance", "at the start", f.previous], ["pointsEarned", "earned", f.earned], ["pointsRedeemed", "redeemed", -f.redeemed],
  ["adjustments", "adjustments and transfers", f.adjusted], ["pointsExpired", "expired", -f.expired]];

/** The expiries still to come, soonest first. */
export const upcoming = (x) => (Array.isArray(x?.pointsExpiringSoon) ? x.pointsExpiringSoon : [])
  .filter((p) => p && typeof p.points === "number" && p.points > 0 && !Number.isNaN(dayOf(p.expirationDate)))
  .sort((a, b) => dayOf(a.expirationDate) - dayOf(b.expirationDate));

/** The worker's default TRANSFER_TYPE_CODE; its `/api/me` says the one it uses. A transfer is listed as a pair of adjustments of this type. */
export const TRANSFER_CODE = "TR";
/** Adjustment types in a customer's words; any other code is "Adjustment". */
const ADJUSTMENT_WORDS = { GOODWILL: "Goodwill points", CR: "Points added", DR: "Points taken off", CORRECTION: "Correction" };
/** A reason without the worker's reference tag, which is for matching, not for reading. */
export const untagged = (reason) => (typeof reason === "string" ? reason.replace(/\s*\[ref:[^\]]*\]/g, "").trim() : "");

/**
 * One activity list for the period, in the order of a statement, whose rows add up to the
 * available points: the totals the service gives for the period (earned, redeemed, expired),
 * every adjustment and transfer it lists in the period, oldest first, and, if those leave a
 * difference, one row saying so. Transfers (adjustments of type `transferCode`) name the other
 * card when both halves are listed (the customer's view).
 */
export function activityRows(d, history, transferCode = TRANSFER_CODE) {
  const [from, to] = [dayOf(d.periodStartDate), dayOf(d.periodEndDate)];
  const listed = history.filter((h) => h && typeof h.points === "number" && Number.isFinite(h.points) && !(dayOf(h.adjustmentDate) < from) && !(dayOf(h.adjustmentDate) > to));
  const rows = listed.map((h) => {
    const card = typeof h.accountLastFour === "string" ? `•••• ${h.accountLastFour}` : "";
    const base = { date: h.adjustmentDate, card, points: h.points };
    if (h.adjustmentTypeCode === transferCode) {
      const other = listed.find((o) => o !== h && o.adjustmentTypeCode === transferCode && o.adjustmentReason === h.adjustmentReason
        && o.adjustmentDate === h.adjustmentDate && o.points === -h.points);
      const there = other ? `card •••• ${other.accountLastFour}` : "another of your cards";
      return { ...base, kind: "transfer", what: h.points < 0 ? `Moved to ${there}` : `Moved from ${there}` };
    }
    const detail = [untagged(h.adjustmentReason), h.adjustedBy ? `by ${h.adjustedBy}` : ""].filter(Boolean).join(" · ");
    return { ...base, kind: "adjustment", what: ADJUSTMENT_WORDS[h.adjustmentTypeCode] ?? "Adjustment", detail };
  }).sort((a, b) => dayOf(a.date) - dayOf(b.date));
  const f = figuresOf(d);
  const totals = [["earned", "Earned", "on purchases, over the period", f.earned], ["redeemed", "Redeemed", "over the period", -f.redeemed], ["expired", "Expired", "over the period", -f.expired]]
    .filter(([, , , points]) => points !== 0).map(([kind, what, detail, points]) => ({ kind, what, detail, points }));
  const all = [...totals, ...rows];
  const rest = f.adjusted - rows.reduce((s, r) => s + r.points, 0);
  if (rest !== 0) all.push({ kind: "other", what: "Other changes", detail: "not itemised by the points service", points: rest });
  return all;
}
