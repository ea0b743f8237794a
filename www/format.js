// How the sample page writes numbers, dates and cards, in the reader's locale. Every movement of
// points is written one way: "+1,500" or "−300" (a true minus sign); totals carry no sign.
const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export const fmt = (n) => (typeof n === "number" && Number.isFinite(n) ? (n < 0 ? `−${NUMBER.format(-n)}` : NUMBER.format(n)) : "—");
export const signed = (n) => (typeof n !== "number" || !Number.isFinite(n) ? "—" : n > 0 ? `+${NUMBER.format(n)}` : n < 0 ? `−${NUMBER.format(-n)}` : NUMBER.format(0));
// The service's dates are calendar days (YYYY-MM-DD): read and written in UTC, never shifted by a time zone.
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
export const dayOf = (iso) => (typeof iso === "string" && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? Date.parse(`${iso}T00:00:00Z`) : NaN);
export const day = (iso) => (Number.isNaN(dayOf(iso)) ? "—" : DAY.format(dayOf(iso)));
const MONTH_DAY = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
/** A service date without its year ("Dec 31"), where space is short and the year is said nearby. */
export const monthDay = (iso) => (Number.isNaN(dayOf(iso)) ? "—" : MONTH_DAY.format(dayOf(iso)));

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

// What may stand between groups of three digits as people type them: spaces of every width, the
// apostrophe and the reader's own group separator ("1,000" in English, "1.000" in German).
const SEPARATOR = `[\\s\u00a0\u202f'’${(NUMBER.formatToParts(10000).find((p) => p.type === "group")?.value ?? ",").replace(/[.\\\]\-^]/g, "\\$&")}]`;
const GROUPED = new RegExp(`^\\d{1,3}(?:${SEPARATOR}\\d{3})+$`, "u");

/**
 * A number of points as typed: fullwidth digits and well-placed grouping accepted; anything else
 * ("1e3", "0x10", "1.5", "1,5", "abc", 16 digits or more) is returned as typed, for the client's
 * check to refuse in plain words. Empty is `undefined`.
 */
export function parsePoints(typed) {
  const text = String(typed).normalize("NFKC").trim();
  if (text === "") return undefined;
  const digits = GROUPED.test(text) ? text.replace(/\D/gu, "") : text;
  return /^\d{1,15}$/.test(digits) ? Number(digits) : text;
}
