// How the sample page writes numbers, dates and cards, in the reader's locale. Every movement of
// points is written one way: "+1,500" or "−300" (a true minus sign); totals carry no sign.
const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export const fmt = (n) => (typeof n === "number" && Number.isFinite(n) ? NUMBER.format(n) : "—");
export const signed = (n) => (typeof n !== "number" || !Number.isFinite(n) ? "—" : n > 0 ? `+${NUMBER.format(n)}` : n < 0 ? `−${NUMBER.format(-n)}` : NUMBER.format(0));
// The service's dates are calendar days (YYYY-MM-DD): read and written in UTC, never shifted by a time zone.
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
export const dayOf = (iso) => (typeof iso === "string" && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? Date.parse(`${iso}T00:00:00Z`) : NaN);
export const day = (iso) => (Number.isNaN(dayOf(iso)) ? "—" : DAY.format(dayOf(iso)));

/** A card as the page shows it: first four (when known) and last four. */
export const masked = (a) => `${a.accountFirstFour ?? "••••"} •••• ${a.accountLastFour}`;

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
/** "in 25 days", "tomorrow", "today": from the reader's calendar day to a service date. */
export function fromToday(iso) {
  const now = new Date();
  return RELATIVE.format(Math.round((dayOf(iso) - Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())) / 86400000), "day");
}

/** "1 point", "3,000 points". */
export const points = (n) => `${fmt(n)} ${n === 1 ? "point" : "points"}`;

/** A request's id, shortened for reading. */
export const shortId = (id) => (typeof id === "string" ? id.slice(0, 8) : "…");
