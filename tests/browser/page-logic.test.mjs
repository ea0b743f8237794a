// The sample page's arithmetic and its rules for writes, without a browser: the activity list
// adds up whatever the service sends, transfers and tags read as a customer would, and what
// an error says about a write.
import { test } from "node:test";
import assert from "node:assert/strict";
import { figuresOf, terms, activityRows, untagged, upcoming } from "../../www/figures.js";
import { signed, fmt, dayOf, parsePoints } from "../../www/format.js";
import { stateOf, longNumber } from "../../www/intents.js";

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
/** The sandbox's answer for Alex's customer (expiries inside pointsAdjusted, pointsExpired apart). */
const details = {
  level: "CUSTOMER", periodStartDate: "2025-12-07", periodEndDate: "2026-12-06",
  previousBalance: 4200, pointsEarned: 7250, pointsRedeemed: 2400, pointsAdjusted: -250, pointsExpired: 300, pointsOnHold: 300, availablePoints: 8800,
};
const ref = "Transfer by consumer [ref:4f13ed30a099353a]";
const history = [
  { adjustmentDate: "2026-12-01", points: -100, adjustmentTypeCode: "TR", adjustmentReason: ref, adjustedBy: "alex", accountLastFour: "2222" },
  { adjustmentDate: "2026-12-01", points: 100, adjustmentTypeCode: "TR", adjustmentReason: ref, adjustedBy: "alex", accountLastFour: "1111" },
  { adjustmentDate: "2026-06-12", points: -100, adjustmentTypeCode: "CORRECTION", adjustmentReason: "Duplicate credit", adjustedBy: "customer service", accountLastFour: "1111" },
  { adjustmentDate: "2026-03-12", points: 150, adjustmentTypeCode: "GOODWILL", adjustmentReason: "Late delivery [ref:0123456789abcdef]", adjustedBy: "customer service", accountLastFour: "2222" },
  // Before the period: in the balance at the start, not in the list.
  { adjustmentDate: "2025-01-05", points: 999, adjustmentTypeCode: "CR", adjustmentReason: "old", accountLastFour: "2222" },
];

test("the terms of the sum add up to the available points, expiries shown apart from adjustments", () => {
  const f = figuresOf(details);
  assert.equal(f.adjusted, details.pointsAdjusted + details.pointsExpired);
  assert.equal(sum(terms(f).map(([, , v]) => v)), details.availablePoints);
});

test("the activity rows add up to the available points and read in a customer's words", () => {
  const rows = activityRows(details, history);
  assert.equal(details.previousBalance + sum(rows.map((r) => r.points)), details.availablePoints);
  assert.deepEqual(rows.map((r) => r.kind), ["earned", "redeemed", "expired", "adjustment", "adjustment", "transfer", "transfer"]);
  assert.deepEqual(rows.filter((r) => r.kind === "transfer").map((r) => r.what), ["Moved to card •••• 1111", "Moved from card •••• 2222"]);
  const goodwill = rows.find((r) => r.what === "Goodwill points");
  assert.equal(goodwill.detail, "Late delivery · by customer service");
  assert.ok(!JSON.stringify(rows).includes("[ref:") && !JSON.stringify(rows).includes('"TR"'));
  // One card's view holds one half of a transfer: the other card is not named.
  const one = activityRows({ ...details, level: "ACCOUNT" }, [history[0]]).find((r) => r.kind === "transfer");
  assert.equal(one.what, "Moved to another of your cards");
  // A worker whose TRANSFER_TYPE_CODE is another lists its transfers under that type.
  const renamed = history.map((h) => (h.adjustmentTypeCode === "TR" ? { ...h, adjustmentTypeCode: "XFER" } : h));
  assert.deepEqual(activityRows(details, renamed).filter((r) => r.kind === "transfer"), [], "not moves under the default");
  assert.deepEqual(activityRows(details, renamed, "XFER").filter((r) => r.kind === "transfer").map((r) => r.what), ["Moved to card •••• 1111", "Moved from card •••• 2222"]);
});

test("figures the listed rows do not explain become one row that says so: the list still adds up", () => {
  // No pointsExpired (a service that does not break expiries out), a row of nonsense, a hole.
  const bare = { ...details, pointsExpired: undefined };
  const odd = [...history, null, { adjustmentDate: "2026-05-01", points: "500", adjustmentTypeCode: "CR" }, { adjustmentDate: "2026-05-02", points: Number.NaN }];
  for (const [d, h] of [[bare, odd], [details, []], [{ ...details, availablePoints: 1 }, history]]) {
    const rows = activityRows(d, h);
    assert.equal(d.previousBalance + sum(rows.map((r) => r.points)), d.availablePoints);
    assert.ok(rows.every((r) => Number.isFinite(r.points)));
  }
  const other = activityRows(bare, odd).filter((r) => r.kind === "other");
  assert.deepEqual(other.map((r) => r.points), [-300], "the unlisted expiry, said as other changes");
  assert.deepEqual(activityRows(details, history).filter((r) => r.kind === "other"), [], "nothing unexplained when all is listed");
});

test("tags, signs, dates and expiries", () => {
  assert.equal(untagged("Late delivery [ref:0123456789abcdef]"), "Late delivery");
  assert.equal(untagged(undefined), "");
  const n = new Intl.NumberFormat(undefined).format(1500);
  assert.deepEqual([signed(1500), signed(-1500), signed(0), signed(Number.NaN), fmt("12")], [`+${n}`, `\u2212${n}`, "0", "—", "—"]);
  assert.ok(Number.isNaN(dayOf("2026-12-06T00:00:00Z")) && Number.isNaN(dayOf(20261206)));
  assert.equal(dayOf("2026-12-06"), Date.UTC(2026, 11, 6));
  const soon = upcoming({ pointsExpiringSoon: [{ points: 5, expirationDate: "2027-02-28" }, { points: 0, expirationDate: "2026-12-31" }, { points: 7, expirationDate: "2026-12-31" }, { points: 9, expirationDate: "soon" }, null] });
  assert.deepEqual(soon.map((p) => p.points), [7, 5]);
  assert.deepEqual(upcoming({ pointsExpiringSoon: "none" }), []);
});

test("what an error says about a write, and what may be stored of one", () => {
  const api = (status, reasonCode) => ({ code: "ERR_API", status, reasonCode });
  const table = [
    [undefined, "pending"], [{ code: "ERR_NETWORK" }, "pending"], [{ code: "ERR_TIMEOUT" }, "pending"], [{ code: "ERR_VALIDATION" }, "refused"],
    [{ code: "ERR_ABORTED" }, "stopped"], [api(409, "OUTCOME_UNKNOWN"), "unknowable"], [api(404, "NOT_APPLIED"), "refused"],
    [api(502, "UPSTREAM_AUTH_FAILED"), "refused"], [api(401, "UNAUTHENTICATED"), "signin"], [api(429, "RATE_LIMITED"), "pending"],
    [api(409, "REQUEST_IN_PROGRESS"), "pending"], [api(422, "INSUFFICIENT_POINTS"), "refused"], [api(503, "SERVICE_UNAVAILABLE"), "pending"],
  ];
  for (const [e, state] of table) assert.equal(stateOf(e), state, JSON.stringify(e));
  for (const v of ["5555 4444 3333 2222", "5555.4444.3333.2222", "５５５５４４４４３３３３２２２２", 555544443333n]) assert.equal(longNumber(v), true, String(v));
  for (const v of ["3000", "late delivery 2026-12-06", 12345678901]) assert.equal(longNumber(v), false, String(v));
});

test("points as typed: digits and well-placed grouping only; anything else goes to the client's check as typed", () => {
  const group = new Intl.NumberFormat(undefined).format(1000).replace(/\d/g, "");
  const cases = [["12", 12], [" 12 ", 12], [`1${group}000`, 1000], ["1 000", 1000], ["1\u202f000", 1000], ["１００", 100], ["", undefined], ["  ", undefined],
    ["1e3", "1e3"], ["0x10", "0x10"], ["1.5", "1.5"], ["-5", "-5"], ["abc", "abc"], [`1${group}5`, `1${group}5`], ["9007199254740991", "9007199254740991"]];
  for (const [typed, parsed] of cases) assert.equal(parsePoints(typed), parsed, JSON.stringify(typed));
  assert.equal(fmt(-500), `\u2212${fmt(500)}`, "negative totals with the same minus sign");
});
