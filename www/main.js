// The sample page: the package used by name, as a frontend would. It imports only the worker
// client (points-activity/worker-client: no WebAssembly, no key) and talks to the edge worker,
// which holds every key and decides what the signed-in user may see and do. The bearer token
// lives in this module's memory only: never in storage, a cookie or a URL. What localStorage
// holds is a write whose answer has not come yet (its route, input and Idempotency-Key, under
// the user's `sub`; never a card number or the token), so the page can ask again later.
import { PointsWorkerClient, PointsError, PointsValidationError, PointsApiError } from "points-activity/worker-client";

const $ = (sel) => document.querySelector(sel);
// Numbers and dates in the reader's own locale. Every movement of points is written one way:
// "+1,500" or "−300" (a true minus sign); totals carry no sign.
const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const fmt = (n) => (typeof n === "number" && Number.isFinite(n) ? NUMBER.format(n) : "—");
const signed = (n) => (typeof n !== "number" || !Number.isFinite(n) ? "—" : n > 0 ? `+${NUMBER.format(n)}` : n < 0 ? `−${NUMBER.format(-n)}` : NUMBER.format(0));
// The service's dates are calendar days (YYYY-MM-DD): read and written in UTC, never shifted by a time zone.
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const dayOf = (iso) => (typeof iso === "string" && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? Date.parse(`${iso}T00:00:00Z`) : NaN);
const day = (iso) => (Number.isNaN(dayOf(iso)) ? "—" : DAY.format(dayOf(iso)));
const masked = (a) => `${a.accountFirstFour ?? "••••"} •••• ${a.accountLastFour}`;
const SVG = "http://www.w3.org/2000/svg";

let config;
let session = null; // the signed-in user: { sub, token (memory only), api, me, controller, intents, … }
let me = null;
let scope = null; // what is shown: {} (own customer), { accountId } or { customerId }
let accounts = []; // the accounts the forms offer (masked)
const balances = new Map(); // accountId → available points, as last shown (for the confirmation)

function busy(on) {
  $("#loading").hidden = !on;
  // A button locked for good (an agent's own request) stays disabled.
  for (const b of document.querySelectorAll("main button")) b.disabled = on || b.dataset.locked === "true";
}

/** Puts a sentence in a status line, with its state (done, refused, pending, approval…) for styling. */
function tell(el, state, text) {
  el.textContent = text;
  el.dataset.state = state;
}

/**
 * Says what went wrong at the top of the page. `retry`, when retrying can help, becomes a Retry
 * button. A refused token (401) means the session ended: the user is signed out, nothing of
 * theirs stays on screen, and the banner offers to sign in again.
 */
function banner(e, retry) {
  const el = $("#banner");
  el.innerHTML = "";
  if (!e) {
    el.hidden = true;
    return;
  }
  if (e instanceof PointsApiError && e.status === 401 && session) {
    sessionEnded(session, e.reasonCode);
    return;
  }
  const canRetry = e instanceof PointsApiError ? e.recoverable === true || [429, 502, 503, 504].includes(e.status)
    : ["ERR_NETWORK", "ERR_TIMEOUT"].includes(e.code);
  const title = [e instanceof PointsError ? e.code : "ERROR", e.reasonCode].filter(Boolean).join(" · ");
  const buttons = canRetry && retry ? [["Retry", () => { banner(null); retry(); }]] : [];
  say(el, title, ` ${e.message}. ${canRetry ? "Retrying can help." : "Retrying will not help."}`, buttons);
  el.dataset.code = e.code || "";
  el.dataset.reasonCode = e.reasonCode || "";
  el.hidden = false;
}

/**
 * Signs `s` out because its sign-in ended (the worker refused the token, or its lifetime ran
 * out): nothing of the user's stays on screen, and the banner offers to sign in again.
 */
function sessionEnded(s, reasonCode = "") {
  if (s !== session) return;
  const user = s.user;
  signOut();
  const el = $("#banner");
  el.innerHTML = "";
  say(el, "Your session has ended.", " Sign in again to go on.", [["Sign in again", () => signIn(user)]]);
  el.dataset.code = "SESSION_ENDED";
  el.dataset.reasonCode = reasonCode;
  el.hidden = false;
  el.querySelector("button")?.focus();
}

// A session warns before its token's lifetime runs out (a minute before, or halfway through a
// shorter one) and offers to stay signed in; when it runs out, the page signs the user out
// itself rather than wait for a refused call.
const WARN_BEFORE_S = 60;

/** Arms the warning and the end of `s` for a token that lives `seconds` from now. */
function armSession(s, seconds) {
  clearTimeout(s.warnTimer);
  clearTimeout(s.endTimer);
  $("#session-notice").hidden = true;
  if (!(typeof seconds === "number" && seconds > 0)) return;
  const lead = Math.min(WARN_BEFORE_S, seconds / 2);
  s.warnTimer = setTimeout(() => warnSession(s), (seconds - lead) * 1000);
  s.endTimer = setTimeout(() => sessionEnded(s, "SESSION_EXPIRED"), seconds * 1000);
}

function warnSession(s) {
  if (s !== session) return;
  const el = $("#session-notice");
  el.innerHTML = "";
  const left = Math.max(1, Math.round((s.endsAt - Date.now()) / 1000));
  put(el, "span", `Your session ends in ${left < 90 ? `${left} seconds` : `${Math.round(left / 60)} minutes`}.`);
  const stay = put(el, "button", "Stay signed in");
  stay.type = "button";
  stay.addEventListener("click", () => renew(s));
  el.hidden = false;
}

/** A fresh token for the same user (the demo's sign-in; an identity provider's silent renewal in production). */
async function renew(s) {
  try {
    const t = await token(s.user);
    if (s !== session) return;
    s.token = t.access_token;
    s.endsAt = Date.now() + t.expires_in * 1000;
    armSession(s, t.expires_in);
  } catch (e) {
    if (s === session) banner(e);
  }
}

/** The demo sign-in's answer: `{ access_token, expires_in }`. */
async function token(user) {
  const res = await fetch(config.signIn, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user }) });
  if (!res.ok) throw new Error("the demo sign-in refused");
  const t = await res.json();
  if (typeof t?.access_token !== "string") throw new Error("the demo sign-in gave no token");
  return t;
}

/** The banner's text and buttons, Dismiss last. */
function say(el, title, text, buttons) {
  const strong = document.createElement("strong");
  strong.textContent = title;
  const span = document.createElement("span");
  span.textContent = text;
  el.append(strong, span);
  for (const [name, run] of [...buttons, ["Dismiss", () => banner(null)]]) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = name;
    b.addEventListener("click", run);
    el.append(b);
  }
}

/** What to tell a customer about a field the client refused (the client's own words are for developers). */
const IN_WORDS = {
  points: "Enter a whole number of points, 1 or more.",
  adjustPoints: "Enter a whole number of points, 1 or more.",
  toAccountId: "Choose a different card to move the points to.",
  fromAccountId: "Choose the card to move the points from.",
  accountId: "Choose a card.",
  adjustmentTypeCode: "Choose the type of adjustment.",
  adjustmentReason: "Give a reason, in at most 232 characters.",
};

function fieldErrors(form, e, rename = {}) {
  for (const s of form.querySelectorAll(".field-error")) s.textContent = "";
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  if (!(e instanceof PointsValidationError)) return false;
  const name = rename[e.field] ?? e.field;
  const slot = document.getElementById(`${name}-error`);
  const input = form.elements[name];
  if (slot) slot.textContent = IN_WORDS[name] ?? e.message;
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
  return Boolean(slot);
}

const svg = (name, attrs, text) => {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
};

/**
 * The figures of one view as the page shows them. PAS documents available = previous balance +
 * earned − redeemed ± adjustments, and lists no expiry term: expired points are counted among the
 * adjustments (the sandbox's reading, docs/sandbox.md), and `pointsExpired` breaks them out. The
 * page shows expiries apart, so its "adjustments" are what makes the documented sum hold once
 * expiries are taken out; every figure shown then adds up to the available points by construction.
 */
function figuresOf(d) {
  const n = (v) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const [previous, earned, redeemed, expired, available] = [n(d.previousBalance), n(d.pointsEarned), n(d.pointsRedeemed), n(d.pointsExpired), n(d.availablePoints)];
  return { previous, earned, redeemed, expired, available, adjusted: available - previous - earned + redeemed + expired, onHold: n(d.pointsOnHold) };
}

/** The terms of the sum, in the order shown: [key, label, signed effect on the balance]. */
const terms = (f) => [["previousBalance", "at the start", f.previous], ["pointsEarned", "earned", f.earned], ["pointsRedeemed", "redeemed", -f.redeemed],
  ["adjustments", "adjustments and transfers", f.adjusted], ["pointsExpired", "expired", -f.expired]];

/** at start + earned − redeemed ± adjustments − expired = available, as a waterfall. */
function balanceChart(f) {
  const chart = $("#balance-chart");
  chart.innerHTML = "";
  const steps = [];
  let at = 0;
  for (const [, label, v] of terms(f)) {
    steps.push([label === "at the start" ? "at start" : label.split(" ")[0], at, at + v, steps.length === 0 ? "bar-base" : v < 0 ? "bar-down" : "bar-up"]);
    at += v;
  }
  steps.push(["available", 0, f.available, "bar-total"]);
  const top = Math.max(1, ...steps.flatMap((s) => [s[1], s[2]]));
  const [w, pad, base] = [640, 30, 200];
  const y = (v) => base - (Math.max(0, v) / top) * (base - pad);
  const bw = (w - 2 * pad) / steps.length;
  chart.append(svg("line", { class: "axis", x1: pad, x2: w - pad, y1: base, y2: base }));
  steps.forEach(([label, from, to, cls], i) => {
    const x = pad + i * bw + bw * 0.15;
    const [hi, lo] = [Math.max(from, to), Math.min(from, to)];
    const total = i === 0 || i === steps.length - 1;
    const value = total ? fmt(to) : signed(to - from);
    const bar = svg("rect", { class: cls, x, width: bw * 0.7, y: y(hi), height: Math.max(1, y(lo) - y(hi)) });
    bar.append(svg("title", {}, `${label}: ${value}`));
    chart.append(bar);
    chart.append(svg("text", { class: "bar-label", x: x + bw * 0.35, y: y(hi) - 6 }, value));
    chart.append(svg("text", { class: "tick", x: x + bw * 0.35, y: base + 18 }, label));
  });
  chart.dataset.available = String(f.available);
}

/** Expiring points as dots on a time axis from today to the last expiry. */
function expiryChart(items) {
  const chart = $("#expiry-chart");
  chart.innerHTML = "";
  const [w, pad, axis] = [640, 40, 80];
  const today = Date.now();
  const dated = items.map((p) => ({ ...p, t: dayOf(p.expirationDate) })).filter((p) => !Number.isNaN(p.t));
  const end = Math.max(today + 86400000, ...dated.map((p) => p.t));
  const x = (t) => pad + ((t - today) / (end - today)) * (w - 2 * pad);
  chart.append(svg("line", { class: "axis", x1: pad, x2: w - pad, y1: axis, y2: axis }));
  chart.append(svg("line", { class: "today", x1: pad, x2: pad, y1: axis - 50, y2: axis + 8 }));
  chart.append(svg("text", { class: "tick", x: pad, y: axis + 24 }, "today"));
  const most = Math.max(1, ...dated.map((p) => p.points || 0));
  for (const p of dated) {
    const cx = x(p.t);
    const dot = svg("circle", { class: "dot", cx, cy: axis, r: 4 + 14 * Math.sqrt((p.points || 0) / most) });
    dot.append(svg("title", {}, `${fmt(p.points)} points on ${day(p.expirationDate)}`));
    chart.append(dot);
    chart.append(svg("text", { class: "bar-label", x: cx, y: axis - 26 }, fmt(p.points)));
    chart.append(svg("text", { class: "tick", x: cx, y: axis + 24 }, day(p.expirationDate)));
  }
  chart.dataset.count = String(dated.length);
}

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
/** "in 25 days", "tomorrow", "today": from the reader's calendar day to a service date. */
function fromToday(iso) {
  const now = new Date();
  return RELATIVE.format(Math.round((dayOf(iso) - Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())) / 86400000), "day");
}

/** The expiries still to come, soonest first. */
const upcoming = (x) => (Array.isArray(x?.pointsExpiringSoon) ? x.pointsExpiringSoon : [])
  .filter((p) => p && typeof p.points === "number" && p.points > 0 && !Number.isNaN(dayOf(p.expirationDate)))
  .sort((a, b) => dayOf(a.expirationDate) - dayOf(b.expirationDate));

/** Puts `text` in a new element of `tag` (with `cls`), appended to `parent`. */
function put(parent, tag, text, cls) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  el.textContent = text;
  parent.append(el);
  return el;
}

/** The summary: what can be used now, what expires soonest, what is on hold; then how the balance is made. */
function renderSummary(d, x) {
  const f = figuresOf(d);
  $("#summary").hidden = false;
  const available = $("[data-testid=available]");
  available.textContent = fmt(f.available);
  available.dataset.value = String(f.available);
  const soon = upcoming(x)[0];
  $("#soonest").textContent = soon ? `${fmt(soon.points)} points expire on ${day(soon.expirationDate)}, ${fromToday(soon.expirationDate)}.` : "No points are due to expire.";
  $("#on-hold").textContent = f.onHold > 0
    ? `${fmt(f.onHold)} points on hold: earned on purchases that have not settled yet (they can still be returned). They become available once they settle and are not in the figures below.`
    : "No points on hold.";
  $("#on-hold").dataset.value = String(f.onHold);
  $("#period").textContent = `${d.level === "CUSTOMER" || d.level === "HOUSEHOLD" ? "All cards" : "This card"}, ${day(d.periodStartDate)} to ${day(d.periodEndDate)}`;
  balanceChart(f);
  const eq = $("#equation");
  eq.innerHTML = "";
  for (const [key, label, v] of [...terms(f), ["availablePoints", "available", f.available]]) {
    const span = put(eq, "span", "", `term${key === "availablePoints" ? " total" : ""}`);
    if (key === "availablePoints") put(span, "b", "=", "op");
    put(span, "span", key === "previousBalance" || key === "availablePoints" ? fmt(v) : signed(v), "n");
    put(span, "small", label);
    span.dataset.key = key;
    span.dataset.value = String(v);
  }
  renderBreakdown(d);
  $("#summary-title").textContent = me?.role === "agent" ? "The customer's points" : "Your points";
}

/** By card, in the same columns as the sum: each row adds up to its available points, and the rows to the total. */
function renderBreakdown(d) {
  const t = $("#breakdown");
  t.hidden = !Array.isArray(d.accounts);
  t.parentElement.hidden = t.hidden; // its scrolling box too, which takes focus
  t.tBodies[0].innerHTML = "";
  t.tFoot.innerHTML = "";
  const row = (section, name, f) => {
    const tr = section.insertRow();
    const th = put(tr, "th", name);
    th.scope = "row";
    for (const [key, , v] of [...terms(f), ["availablePoints", "", f.available], ["pointsOnHold", "", f.onHold]]) {
      const td = tr.insertCell();
      td.textContent = key === "previousBalance" || key === "availablePoints" || key === "pointsOnHold" ? fmt(v) : signed(v);
      td.dataset.key = key;
      td.dataset.value = String(v);
    }
  };
  for (const a of d.accounts || []) row(t.tBodies[0], `•••• ${a.accountLastFour}`, figuresOf(a));
  if (Array.isArray(d.accounts)) row(t.tFoot, "All cards", figuresOf(d));
}

function renderExpirations(x) {
  $("#expirations").hidden = false;
  const soon = upcoming(x);
  expiryChart(soon);
  $("#expiry-chart").parentElement.hidden = soon.length === 0;
  const ol = $("#timeline");
  ol.innerHTML = "";
  for (const p of soon) {
    const li = document.createElement("li");
    put(li, "time", day(p.expirationDate)).dateTime = p.expirationDate;
    li.append(" ");
    put(li, "strong", fmt(p.points));
    li.append(` points, ${fromToday(p.expirationDate)}`);
    ol.append(li);
  }
  $("#no-expiry").hidden = soon.length > 0;
  $("#expired").textContent = `Expired this year: ${fmt(x.pointsExpiredYearToDate)} points. Expired in all: ${fmt(x.lifetimePointsExpired)} points.`;
}

// The worker's TRANSFER_TYPE_CODE (its default): a transfer is listed as a pair of adjustments.
const TRANSFER_CODE = "TR";
/** Adjustment types in a customer's words; any other code is "Adjustment". */
const ADJUSTMENT_WORDS = { GOODWILL: "Goodwill points", CR: "Points added", DR: "Points taken off", CORRECTION: "Correction" };
/** A reason without the worker's reference tag, which is for matching, not for reading. */
const untagged = (reason) => (typeof reason === "string" ? reason.replace(/\s*\[ref:[^\]]*\]/g, "").trim() : "");

/**
 * One activity list for the period, whose rows add up to the available points: the totals the
 * service gives (earned, redeemed, expired), every adjustment and transfer it lists in the
 * period, and, if those leave a difference, one row saying so. Transfers name the other card
 * when both halves are listed (the customer's view).
 */
function activityRows(d, history) {
  const [from, to] = [dayOf(d.periodStartDate), dayOf(d.periodEndDate)];
  const listed = history.filter((h) => h && typeof h.points === "number" && Number.isFinite(h.points) && !(dayOf(h.adjustmentDate) < from) && !(dayOf(h.adjustmentDate) > to));
  const rows = listed.map((h) => {
    const card = typeof h.accountLastFour === "string" ? `•••• ${h.accountLastFour}` : "";
    const base = { date: h.adjustmentDate, card, points: h.points };
    if (h.adjustmentTypeCode === TRANSFER_CODE) {
      const other = listed.find((o) => o !== h && o.adjustmentTypeCode === TRANSFER_CODE && o.adjustmentReason === h.adjustmentReason
        && o.adjustmentDate === h.adjustmentDate && o.points === -h.points);
      const there = other ? `card •••• ${other.accountLastFour}` : "another of your cards";
      return { ...base, kind: "transfer", what: h.points < 0 ? `Moved to ${there}` : `Moved from ${there}` };
    }
    const detail = [untagged(h.adjustmentReason), h.adjustedBy ? `by ${h.adjustedBy}` : ""].filter(Boolean).join(" · ");
    return { ...base, kind: "adjustment", what: ADJUSTMENT_WORDS[h.adjustmentTypeCode] ?? "Adjustment", detail };
  }).sort((a, b) => dayOf(b.date) - dayOf(a.date));
  const f = figuresOf(d);
  const totals = [["earned", "Earned", "on purchases, over the period", f.earned], ["redeemed", "Redeemed", "over the period", -f.redeemed], ["expired", "Expired", "over the period", -f.expired]]
    .filter(([, , , points]) => points !== 0).map(([kind, what, detail, points]) => ({ kind, what, detail, points }));
  const all = [...totals, ...rows];
  const rest = f.adjusted - rows.reduce((s, r) => s + r.points, 0);
  if (rest !== 0) all.push({ kind: "other", what: "Other changes", detail: "not itemised by the points service", points: rest });
  return all;
}

function renderActivity(d, history) {
  const f = figuresOf(d);
  const rows = activityRows(d, history);
  $("#history").hidden = false;
  const t = $("#history-table");
  t.tBodies[0].innerHTML = "";
  t.tFoot.innerHTML = "";
  const line = (section, kind, date, what, detail, card, points, text) => {
    const tr = section.insertRow();
    tr.dataset.kind = kind;
    tr.dataset.points = String(points);
    tr.insertCell().textContent = date;
    const cell = tr.insertCell();
    put(cell, "span", what, "what");
    if (detail) put(cell, "small", detail, "detail");
    tr.insertCell().textContent = card;
    tr.insertCell().textContent = text;
  };
  line(t.tBodies[0], "start", day(d.periodStartDate), "Balance at the start", "", "", f.previous, fmt(f.previous));
  for (const r of rows) line(t.tBodies[0], r.kind, r.date ? day(r.date) : "", r.what, r.detail, r.card ?? "", r.points, signed(r.points));
  line(t.tFoot, "available", day(d.periodEndDate), "Available", "", "", f.available, fmt(f.available));
  $("#no-activity").hidden = rows.length > 0;
}

/** The scope buttons: a whole customer and each of its cards. */
function renderScopes(whole, list) {
  const box = $("#scopes");
  box.innerHTML = "";
  const choices = [[whole.label, whole.scope], ...list.map((a) => [`Card ${masked(a)}`, { accountId: a.accountId }])];
  for (const [label, s] of choices) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.dataset.scope = JSON.stringify(s);
    b.classList.toggle("active", JSON.stringify(s) === JSON.stringify(scope));
    b.addEventListener("click", () => load(s));
    box.append(b);
  }
  $("#scope").hidden = false;
}

function renderForms() {
  $("#move").hidden = accounts.length === 0;
  $("#transfer").hidden = accounts.length < 2;
  $("#adjust").hidden = me?.role !== "agent";
  for (const name of ["fromAccountId", "toAccountId", "accountId"]) {
    const sel = document.querySelector(`select[name=${name}]`);
    sel.innerHTML = "";
    for (const a of accounts) sel.add(new Option(masked(a), a.accountId));
  }
  if (accounts.length > 1) document.querySelector("select[name=toAccountId]").selectedIndex = 1;
}

async function load(target) {
  const s = session;
  if (!s) return;
  banner(null);
  busy(true);
  try {
    const o = { signal: s.controller.signal };
    const [details, expirations, adjustments] = await Promise.all([
      s.api.getPointsDetails(target, o),
      s.api.getPointsExpirations(target, o),
      s.api.getPointsAdjustments(target, o),
    ]);
    if (s !== session) return;
    scope = target;
    if (Array.isArray(details.accounts)) for (const a of details.accounts) balances.set(a.accountId, a.availablePoints);
    else if (target.accountId) balances.set(target.accountId, details.availablePoints);
    renderSummary(details, expirations);
    renderExpirations(expirations);
    renderActivity(details, Array.isArray(adjustments.adjustments) ? adjustments.adjustments : []);
    for (const b of document.querySelectorAll("#scopes button")) b.classList.toggle("active", b.dataset.scope === JSON.stringify(target));
  } catch (e) {
    if (s === session) banner(e, () => load(target));
  } finally {
    busy(false);
  }
}

/** Hides every view and empties it: nothing of the previous user stays in the page. */
function clearViews() {
  homeConfirm();
  for (const id of ["agent", "approvals", "pending", "scope", "summary", "expirations", "history", "move", "found", "confirm"]) $(`#${id}`).hidden = true;
  for (const sel of ["#scopes", "#equation", "[data-testid=available]", "#soonest", "#on-hold", "#period", "#breakdown tbody", "#breakdown tfoot", "#balance-chart", "#expiry-chart", "#timeline", "#history-table tbody", "#history-table tfoot", "#found-customer", "#found-accounts", "#expired", "#result", "#approvals-list", "#approvals-result", "#pending-list"]) {
    $(sel).textContent = "";
  }
  for (const sel of ["#result", "#approvals-result"]) delete $(sel).dataset.state;
  delete $("#approvals").dataset.count;
  for (const name of ["fromAccountId", "toAccountId", "accountId"]) document.querySelector(`select[name=${name}]`).innerHTML = "";
  for (const f of document.querySelectorAll("form")) f.reset();
  accounts = [];
  balances.clear();
  scope = null;
  pending = null;
}

let signIns = 0;
async function signIn(user) {
  // Nothing of the previous user stays, and their calls stop (their token is gone with them).
  signOut();
  const ticket = ++signIns;
  banner(null);
  busy(true);
  const s = { user, sub: null, token: null, me: null, controller: new AbortController(), intents: new Map(), inFlight: new Set(), rows: new Map(), timer: null, checking: false, resultKey: null };
  // One client per signed-in user: a call of an earlier user can never carry a later user's token.
  s.api = new PointsWorkerClient({ baseUrl: config.workerUrl, token: () => s.token ?? "", timeoutMs: 45_000 });
  try {
    const t = await token(user);
    s.token = t.access_token;
    s.lifetime = t.expires_in;
    s.endsAt = Date.now() + t.expires_in * 1000;
    s.me = await s.api.me({ signal: s.controller.signal });
  } catch (e) {
    s.token = null;
    if (ticket === signIns) banner(e);
    return;
  } finally {
    busy(false);
  }
  if (ticket !== signIns) {
    s.token = null;
    return;
  }
  session = s;
  me = s.me;
  armSession(s, s.lifetime);
  s.sub = me.sub;
  $("#whoami").hidden = false;
  $("#whoami").textContent = `Signed in as ${me.sub} (${me.role})`;
  document.body.dataset.role = me.role;
  $("#signout").hidden = false;
  if (me.role === "agent") {
    $("#agent").hidden = false;
    $("#approvals").hidden = false;
    await refreshApprovals();
    if (s === session) $("#lookup").elements.userId.focus();
  } else {
    accounts = me.accounts;
    renderForms();
    renderScopes({ label: "All my cards", scope: {} }, accounts);
    await load({});
    if (s === session && !$("#summary").hidden) $("#summary-title").focus();
  }
  // Writes of this user whose answer never came: asked again now, with their keys.
  await resume(s);
}

function signOut() {
  if (session) {
    session.controller.abort();
    session.token = null;
    clearTimeout(session.timer);
    clearTimeout(session.warnTimer);
    clearTimeout(session.endTimer);
  }
  session = null;
  me = null;
  clearViews();
  $("#whoami").hidden = true;
  $("#signout").hidden = true;
  $("#session-notice").hidden = true;
  delete document.body.dataset.role;
}

async function lookup(form) {
  const s = session;
  if (!s) return;
  const f = form.elements;
  banner(null);
  busy(true);
  let found;
  try {
    // Numbers as people write them: spaces, dots or dashes between groups, fullwidth digits.
    const written = f.userId.value.normalize("NFKC").trim();
    const userId = ["BAN", "BCN"].includes(f.userIdType.value) ? written.replace(/[\s.-]+/gu, "") : written;
    found = await s.api.searchUsers({ userId, userIdType: f.userIdType.value }, { signal: s.controller.signal });
    fieldErrors(form, null);
  } catch (e) {
    if (s === session && !fieldErrors(form, e)) banner(e, () => lookup(form));
    return;
  } finally {
    busy(false);
  }
  if (s !== session) return;
  // A card number is not left on screen once it has been looked up.
  f.userId.value = "";
  const ref = Array.isArray(found.userReferences) ? found.userReferences[0] : null;
  $("#found").hidden = false;
  if (!ref) {
    $("#found-customer").textContent = "No customer found.";
    return;
  }
  accounts = (ref.accountDetails || []).filter((a) => typeof a.accountId === "string");
  const cards = accounts.map(masked);
  $("#found-customer").textContent = `Customer found, with ${cards.length === 1 ? "one card" : `${cards.length} cards`}: ${cards.join(", ")}.`;
  renderForms();
  renderScopes({ label: "Whole customer", scope: { customerId: ref.customerId } }, accounts);
  await load({ customerId: ref.customerId });
  if (s === session && !$("#summary").hidden) $("#summary-title").focus();
}

let pending;
let reviewed = null; // the form the open confirmation is about, and its listener
/** Asks before a write: the dialog opens beside what it confirms (`place`: an element to hold it; by default above the result line). While it is open, editing `form` closes it: Confirm never sends values the user has since changed. */
function review(text, run, place, form) {
  closeReview();
  pending = run;
  const box = $("#confirm");
  if (place) place.append(box);
  else $("#result").before(box);
  $("#confirm-text").textContent = text;
  box.hidden = false;
  if (form) {
    const changed = () => closeReview(form);
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    reviewed = { form, changed };
  }
  $("#confirm-yes").focus();
}

/** Closes the confirmation, sending nothing; focus back to `returnTo` when given. */
function closeReview(returnTo) {
  $("#confirm").hidden = true;
  pending = null;
  if (reviewed) {
    reviewed.form.removeEventListener("input", reviewed.changed);
    reviewed.form.removeEventListener("change", reviewed.changed);
    reviewed = null;
  }
  if (returnTo) returnTo.querySelector("button[type=submit]")?.focus({ preventScroll: true });
}

/** The confirmation back in its place under the forms, closed (before the list holding it is emptied). */
function homeConfirm() {
  const box = $("#confirm");
  if ($("#result").previousElementSibling !== box) {
    $("#result").before(box);
    box.hidden = true;
    pending = null;
  }
}

// Exactly-once writes. One Idempotency-Key per user intent: the same values sent again after any
// failure whose outcome the page never learned reuse it (the worker then applies them at most
// once); only a success or a definite answer (a refusal, NOT_APPLIED) ends the intent. Until
// then the intent is also kept in localStorage under the user's `sub`, from before it is sent,
// so a page closed or reloaded meanwhile asks again, with the same key, at the next sign-in.
const CALLS = {
  transfer: (client, input, o) => client.transferPoints(input, o),
  adjust: (client, input, o) => client.adjustPoints(input, o),
  decide: (client, { approvalId, decision }, o) => client.decideApproval(approvalId, { decision }, o),
};
const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
const STORE = (sub) => `points-activity.pending.${sub}`;
// The worker remembers a key for at least a day (its reconciliation window, then a day more);
// a key repeated after it forgot would be a new write. An intent older than this is not sent
// again: the page says to look at the history instead.
const KEEP_FOR_MS = 20 * 60 * 60 * 1000;
// While something is still being checked, the page asks again this often.
const RECHECK_MS = 15_000;
const STILL_CHECKING = "Still checking — you can leave this page; the result will show here.";

/** The user's stored intents, as far as they are well-formed. */
function storedIntents(sub) {
  let list;
  try {
    list = JSON.parse(localStorage.getItem(STORE(sub)) ?? "[]");
  } catch {
    list = [];
  }
  return (Array.isArray(list) ? list : []).filter((i) => i && Object.hasOwn(CALLS, i.kind) && typeof i.key === "string" && KEY.test(i.key)
    && i.input && typeof i.input === "object" && Number.isFinite(i.at) && typeof i.what === "string");
}

function storeIntents(sub, list) {
  try {
    if (list.length > 0) localStorage.setItem(STORE(sub), JSON.stringify(list));
    else localStorage.removeItem(STORE(sub));
    return true;
  } catch {
    return false; // storage refused (private mode, full): the intent lives in memory only
  }
}

/** What the user typed that may hold a card number (12 or more digits, separators aside) is never stored. */
const longNumber = (v) => /\p{Nd}{12}/u.test(String(v).normalize("NFKC").replace(/[^\p{L}\p{N}]+/gu, ""));
/** The input's typed values (the references, `…Id`, are Mastercard's opaque tokens). */
const typed = (input) => Object.entries(input).filter(([k]) => !k.endsWith("Id")).map(([, v]) => v);

/** Keeps `intent` (first kept time unchanged); false when it could not be kept. */
function keepIntent(sub, intent) {
  if (typed(intent.input).some(longNumber)) return false;
  const list = storedIntents(sub);
  if (list.some((i) => i.key === intent.key)) return true;
  return storeIntents(sub, [...list, { ...intent, at: Date.now() }]);
}

function dropIntent(sub, key) {
  const list = storedIntents(sub);
  if (list.some((i) => i.key === key)) storeIntents(sub, list.filter((i) => i.key !== key));
}

/**
 * What an error says about a write: `refused` (it surely did not happen), `unknowable` (a final
 * answer that cannot tell), `signin` (refused before the key was looked at: sign in again),
 * `stopped` (the user left: nothing learned), or `pending` (still unknown).
 */
function stateOf(e) {
  if (!e || typeof e !== "object") return "pending";
  if (e.code === "ERR_VALIDATION") return "refused";
  if (e.code === "ERR_ABORTED" || e.code === "ERR_CONFIG") return "stopped";
  if (e.code !== "ERR_API") return "pending"; // no answer, or one that could not be read
  if (e.reasonCode === "OUTCOME_UNKNOWN") return "unknowable";
  // NOT_APPLIED: not in the history for the whole window; the gateway refused the worker: never sent.
  if (e.reasonCode === "NOT_APPLIED" || e.reasonCode === "UPSTREAM_AUTH_FAILED") return "refused";
  if (e.status === 401) return "signin";
  // Not an answer about the write: a repeat of a decision or of a request for approval spends
  // the budget again, so an earlier attempt may have gone through.
  if (e.status === 429 || (e.status === 409 && e.reasonCode === "REQUEST_IN_PROGRESS")) return "pending";
  return e.status >= 400 && e.status < 500 ? "refused" : "pending";
}

/** Runs one intent of `s` (its key reused or made); returns `{ state, value?, error?, key, kept }`. */
async function once(s, kind, input, what, onChecking, given) {
  const id = JSON.stringify([kind, input]);
  if (given) s.intents.set(id, given);
  if (!s.intents.has(id)) s.intents.set(id, crypto.randomUUID());
  const key = s.intents.get(id);
  const kept = keepIntent(s.sub, { kind, input, key, what });
  s.inFlight.add(key);
  let out;
  try {
    const value = await CALLS[kind](s.api, input, { idempotencyKey: key, signal: s.controller.signal, onChecking });
    out = { state: value.status === "PENDING_APPROVAL" ? "approval" : "done", value };
  } catch (error) {
    out = { state: stateOf(error), error };
  } finally {
    s.inFlight.delete(key);
  }
  if (!["pending", "signin", "stopped"].includes(out.state)) {
    s.intents.delete(id);
    dropIntent(s.sub, key);
  }
  return { ...out, key, kept };
}

/** A refusal in words a customer-service agent or a customer understands (no codes). */
function inWords(e, kind) {
  if (!e || typeof e !== "object") return "something went wrong.";
  if (e.code === "ERR_VALIDATION") return `${e.message}.`;
  const said = (Array.isArray(e.errors) && e.errors[0] && e.errors[0].description) || "";
  switch (e.reasonCode) {
    case "NOT_APPLIED": return "the service never recorded it (it was looked for in the account's history).";
    case "FORBIDDEN":
      if (/own request/.test(said)) return "this is your own request: another agent must decide it.";
      return kind === "transfer" ? "points can only be moved between your own cards." : "you are not allowed to do this.";
    case "ALREADY_DECIDED": {
      const how = /approved/.test(said) ? "approved" : /rejected/.test(said) ? "rejected" : "decided";
      return `another agent has already ${how} this request.`;
    }
    case "APPROVAL_EXPIRED": return "this request waited too long for a decision and has expired; the agent who asked can make it again.";
    case "LIMIT_EXCEEDED": {
      const most = /at most (\d+)/.exec(said);
      if (most) return `one adjustment may be at most ${fmt(Number(most[1]))} points.`;
      return kind === "decide" ? "it would take the agent who asked past their daily limit of adjusted points; the request stays waiting."
        : "it would take you past your daily limit of adjusted points.";
    }
    case "NOT_FOUND": return kind === "decide" && !/account/.test(said) ? "this request no longer exists." : "that card's account was not found.";
    case "RATE_LIMITED": return "there were too many requests in a short time: wait a minute, then try again.";
    case "INSUFFICIENT_POINTS": return "there are not enough points on that card.";
    case "UNAUTHENTICATED": return "your sign-in has ended: sign in again.";
    case "UPSTREAM_AUTH_FAILED": return "the points service refused our connection; please tell the support team.";
    case "IDEMPOTENCY_KEY_REUSED": return "the page sent two different requests as one; please enter it again.";
    default: return said ? `the points service said: ${said}.` : "the service refused it.";
  }
}

const shortId = (id) => (typeof id === "string" ? id.slice(0, 8) : "…");
const NOUN = { transfer: "The transfer", adjust: "The adjustment", decide: "The decision" };

/** A write's outcome, briefly (for the list of intents being checked). */
function briefly(kind, out) {
  switch (out.state) {
    case "done":
      return kind === "decide" && out.value.status === "REJECTED" ? "rejected: nothing was changed." : "went through.";
    case "approval": return `waiting for a second agent's approval (request ${shortId(out.value.approvalId)}).`;
    case "refused": return `did not go through: ${inWords(out.error, kind)}`;
    case "unknowable": return "may or may not have gone through: look at the history before trying again.";
    case "signin": return "your sign-in ended before the answer came: sign in again to learn whether it went through.";
    default:
      if (out.error?.status === 429) return "too many requests just now: the page will ask again shortly; the result will show here.";
      return out.kept ? "still checking — you can leave this page; the result will show here." : "still checking — keep this page open; the result will show here.";
  }
}

/** A write's outcome as a sentence, for the line under the form that made it. */
function sentence(kind, out, input) {
  if (out.state === "done") {
    if (kind === "transfer") return "The transfer went through: the new balances are shown above.";
    if (kind === "adjust") return "The adjustment went through.";
    return out.value.status === "REJECTED" ? `Rejected (request ${shortId(input.approvalId)}): nothing was changed.`
      : `Approved (request ${shortId(input.approvalId)}): the adjustment went through.`;
  }
  if (out.state === "approval") return `Waiting for a second agent's approval (request ${shortId(out.value.approvalId)}).`;
  const text = briefly(kind, out);
  if (out.state === "pending" && out.error?.status !== 429) return out.kept ? STILL_CHECKING : "Still checking — keep this page open; the result will show here.";
  if (out.state === "pending" || out.state === "signin") return text[0].toUpperCase() + text.slice(1);
  // An approval whose adjustment the service refused (or never recorded) stays decided.
  const closed = kind === "decide" && out.state === "refused" && input.decision === "approve" && out.error?.code === "ERR_API"
    && !BEFORE_DECISION.includes(out.error.reasonCode);
  return `${NOUN[kind]} ${text}${closed ? " The request is closed: the agent who asked can make a new one." : ""}`;
}
/** The worker's refusals of a decision that leave the request as it was. */
const BEFORE_DECISION = ["FORBIDDEN", "ALREADY_DECIDED", "APPROVAL_EXPIRED", "LIMIT_EXCEEDED", "INVALID_REQUEST", "UNAUTHENTICATED"];

/** The line of one intent in "Changes being checked". */
function track(s, intent, state, text) {
  if (s !== session) return;
  let li = s.rows.get(intent.key);
  if (!li) {
    li = document.createElement("li");
    li.innerHTML = "<span class=what></span> <span class=how></span>";
    li.querySelector(".what").textContent = `${intent.what}:`;
    s.rows.set(intent.key, li);
    $("#pending-list").append(li);
  }
  li.dataset.kind = intent.kind;
  li.dataset.state = state;
  li.querySelector(".how").textContent = text;
  $("#pending").hidden = false;
}

function scheduleRecheck(s) {
  clearTimeout(s.timer);
  if (s === session && storedIntents(s.sub).length > 0) s.timer = setTimeout(() => recheckAll(s), RECHECK_MS);
}

/** Asks again about one stored intent; returns its state ("done", "pending"…, or "skipped"). */
async function repeat(s, i) {
  if (s.inFlight.has(i.key)) return "skipped"; // the form is sending it now
  if (!(Date.now() - i.at <= KEEP_FOR_MS)) {
    dropIntent(s.sub, i.key);
    track(s, i, "unknowable", "too long ago to be checked here: look at the history before trying again.");
    return "unknowable";
  }
  const checking = () => track(s, i, "checking", "checking whether it went through…");
  checking();
  const out = await once(s, i.kind, i.input, i.what, checking, i.key);
  if (s !== session || out.state === "stopped") return "stopped";
  track(s, i, out.state, briefly(i.kind, out));
  if (s.resultKey === i.key) tell(i.kind === "decide" ? $("#approvals-result") : $("#result"), out.state, sentence(i.kind, out, i.input));
  return out.state;
}

/** Every stored intent of `s` asked again, one at a time; then the views refreshed if one went through. */
async function recheckAll(s) {
  if (s !== session || s.checking) return;
  s.checking = true;
  const states = [];
  try {
    for (const i of storedIntents(s.sub)) {
      if (s !== session) return;
      states.push(await repeat(s, i));
    }
  } finally {
    s.checking = false;
  }
  if (s !== session) return;
  // Something went through: what is shown is stale.
  if (states.some((x) => x === "done" || x === "approval")) {
    if (scope) await load(scope);
    await refreshApprovals();
  }
  // The sign-in has ended: asking again needs a new one (the next sign-in does it).
  if (!states.includes("signin")) scheduleRecheck(s);
}

/** At sign-in: the user's stored intents, their keys taken up again and each asked about. */
async function resume(s) {
  const list = storedIntents(s.sub);
  for (const i of list) s.intents.set(JSON.stringify([i.kind, i.input]), i.key);
  if (list.length > 0) await recheckAll(s);
}

/** Sends one intent from a form and says what became of it under the form. */
async function submit(form, kind, input, what, rename) {
  const s = session;
  if (!s) return;
  const line = $("#result");
  tell(line, "checking", "Sending…");
  const out = await once(s, kind, input, what, () => tell(line, "checking", "Checking whether it went through…"));
  if (s !== session || out.state === "stopped") return;
  const marked = out.error ? fieldErrors(form, out.error, rename) : (fieldErrors(form, null), false);
  s.resultKey = out.key;
  tell(line, out.state, marked ? `${NOUN[kind]} did not go through: correct the marked field.` : sentence(kind, out, input));
  if (kind === "transfer") {
    // An outcome resolved from the history carries no balances: they are reloaded below.
    line.dataset.from = out.value?.fromAvailablePoints ?? "";
    line.dataset.to = out.value?.toAvailablePoints ?? "";
  }
  if (out.state === "pending" || out.state === "signin") {
    track(s, { kind, key: out.key, what }, out.state, briefly(kind, out));
    if (out.state === "pending") scheduleRecheck(s);
  }
  if (out.state === "done" || out.state === "approval") {
    // A fresh form after success: the same values are not one click from being sent again.
    form.reset();
    renderForms();
  }
  if (!marked) {
    // Said where the user is looking, and read out: the line under the form.
    line.tabIndex = -1;
    line.focus();
    line.scrollIntoView({ block: "center" });
  }
  if (out.state === "done") await load(scope);
  if (out.state === "approval") await refreshApprovals();
}

/** Runs the client's own check of a form's input before the review step; marks the field and says nothing was sent. */
function checked(form, check, rename) {
  try {
    check();
    fieldErrors(form, null);
    return true;
  } catch (e) {
    if (!fieldErrors(form, e, rename)) banner(e);
    return false;
  }
}

/** "1 point", "3,000 points". */
const points = (n) => `${fmt(n)} ${n === 1 ? "point" : "points"}`;
/** " It will then have 1,450 points." for a card whose balance is known, moved by `delta`. */
const after = (id, delta, who = "It") => (typeof balances.get(id) === "number" ? ` ${who} will then have ${points(balances.get(id) + delta)}.` : "");
const DEBITS = ["DR"];
const number = (v) => (v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v.trim() === "" ? undefined : v);
const label = (id) => masked(accounts.find((a) => a.accountId === id) ?? { accountLastFour: "????" });
/** A card as it is named in what is stored: its last four only. */
const lastFour = (id) => `•••• ${accounts.find((a) => a.accountId === id)?.accountLastFour ?? "????"}`;
const when = (iso) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "—" : new Date(t).toLocaleString(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
};

// Four eyes: agents' adjustments above the worker's threshold wait here for another agent.

async function refreshApprovals() {
  const s = session;
  if (!s || s.me.role !== "agent") return;
  let r;
  try {
    r = await s.api.listApprovals({ signal: s.controller.signal });
  } catch (e) {
    if (s === session && e.code !== "ERR_ABORTED") banner(e);
    return;
  }
  if (s === session) renderApprovals(s, Array.isArray(r.approvals) ? r.approvals : []);
}

function renderApprovals(s, list) {
  homeConfirm();
  const box = $("#approvals-list");
  box.textContent = "";
  for (const a of list) {
    const own = a.requestedBy === s.me.sub;
    const li = document.createElement("li");
    li.dataset.approvalId = a.approvalId;
    li.dataset.own = String(own);
    const head = document.createElement("p");
    head.className = "what";
    head.innerHTML = "<strong></strong> <span></span>";
    head.querySelector("strong").textContent = `${fmt(a.points)} points`;
    head.querySelector("span").textContent = `(${a.adjustmentTypeCode}) on card •••• ${a.accountLastFour}`;
    const why = document.createElement("p");
    why.className = "why";
    why.textContent = `“${a.adjustmentReason}”`;
    const meta = document.createElement("small");
    meta.textContent = `Request ${shortId(a.approvalId)} by ${a.requestedBy}, ${when(a.requestedAt)} · expires ${when(a.expiresAt)}`;
    const row = document.createElement("div");
    row.className = "row";
    const note = document.createElement("p");
    note.className = "note";
    note.id = `own-${a.approvalId}`;
    note.textContent = "Your own request: another agent must decide.";
    for (const [decision, text] of [["approve", "Approve"], ["reject", "Reject"]]) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.dataset.decision = decision;
      if (decision === "reject") b.className = "secondary";
      if (own) {
        b.disabled = true;
        b.dataset.locked = "true";
        b.setAttribute("aria-describedby", note.id);
      } else {
        b.addEventListener("click", () => decide(a, decision, li));
      }
      row.append(b);
    }
    li.append(head, why, meta, row);
    if (own) li.append(note);
    box.append(li);
  }
  $("#approvals-empty").hidden = list.length > 0;
  $("#approvals").dataset.count = String(list.length);
}

function decide(a, decision, li) {
  const verb = decision === "approve" ? "Approve" : "Reject";
  review(`${verb} ${fmt(a.points)} points (${a.adjustmentTypeCode}) on card •••• ${a.accountLastFour}, asked for by ${a.requestedBy}?`, async () => {
    const s = session;
    if (!s) return;
    const line = $("#approvals-result");
    const input = { approvalId: a.approvalId, decision };
    const what = `${decision === "approve" ? "Approval" : "Rejection"} of ${fmt(a.points)} points (${a.adjustmentTypeCode}) on •••• ${a.accountLastFour}`;
    tell(line, "checking", "Sending…");
    const out = await once(s, "decide", input, what, () => tell(line, "checking", "Checking whether it went through…"));
    if (s !== session || out.state === "stopped") return;
    s.resultKey = out.key;
    tell(line, out.state, sentence("decide", out, input));
    if (out.state === "pending" || out.state === "signin") {
      track(s, { kind: "decide", key: out.key, what }, out.state, briefly("decide", out));
      if (out.state === "pending") scheduleRecheck(s);
    }
    // Decided ones leave the list (whoever decided them).
    await refreshApprovals();
    if (out.state === "done" && decision === "approve" && scope) await load(scope);
  }, li);
}

async function main() {
  // Each sign-in makes its client (signIn): time limit 45 s, longer than the worker's own
  // upstream time limit (30 s), so the worker answers first.
  config = await (await fetch("./demo-config.json")).json();
  if (Array.isArray(config.cards) && config.cards.length > 0) {
    const cards = config.cards.map((c) => `${c.card} (${c.who})`).join(", ");
    $("#demo-cards").textContent = `Agents can look customers up by these demo card numbers: ${cards}.`;
    $("#lookup-hint").textContent = `Demo card numbers: ${cards}.`;
  }
  for (const u of config.users) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = `Sign in as ${u.label}`;
    b.dataset.user = u.id;
    b.addEventListener("click", () => signIn(u.id));
    $("#users").append(b);
  }
  $("#signout").addEventListener("click", signOut);
  $("#lookup").addEventListener("submit", (ev) => {
    ev.preventDefault();
    lookup(ev.target);
  });
  $("#transfer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const input = { fromAccountId: f.fromAccountId.value, toAccountId: f.toAccountId.value, points: number(f.points.value) };
    if (!checked(ev.target, () => session?.api.checkTransfer(input))) return;
    const what = `Transfer of ${fmt(input.points)} points from ${lastFour(input.fromAccountId)} to ${lastFour(input.toAccountId)}`;
    const then = [after(input.fromAccountId, -input.points, label(input.fromAccountId)), after(input.toAccountId, input.points, label(input.toAccountId))].join("");
    review(`Move ${points(input.points)} from ${label(input.fromAccountId)} to ${label(input.toAccountId)}?${then}`, () =>
      submit(ev.target, "transfer", input, what), undefined, ev.target);
  });
  $("#adjust").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const input = { accountId: f.accountId.value, points: number(f.adjustPoints.value), adjustmentTypeCode: f.adjustmentTypeCode.value, adjustmentReason: f.adjustmentReason.value || undefined };
    if (!checked(ev.target, () => session?.api.checkAdjustment(input), { points: "adjustPoints" })) return;
    const what = `Adjustment of ${fmt(input.points)} points (${input.adjustmentTypeCode}) on ${lastFour(input.accountId)}`;
    const delta = DEBITS.includes(input.adjustmentTypeCode) ? -input.points : input.points;
    const kind = f.adjustmentTypeCode.selectedOptions[0]?.textContent ?? input.adjustmentTypeCode;
    review(`${delta < 0 ? `Take ${points(input.points)} off` : `Add ${points(input.points)} to`} ${label(input.accountId)} (${kind})?${after(input.accountId, delta)}`, () =>
      submit(ev.target, "adjust", input, what, { points: "adjustPoints" }), undefined, ev.target);
  });
  $("#approvals-refresh").addEventListener("click", async () => {
    $("#approvals-result").textContent = "";
    busy(true);
    try {
      await refreshApprovals();
    } finally {
      busy(false);
    }
  });
  $("#confirm-yes").addEventListener("click", async () => {
    const run = pending;
    closeReview();
    if (run) {
      busy(true);
      try {
        await run();
      } finally {
        busy(false);
      }
    }
  });
  $("#confirm-no").addEventListener("click", () => closeReview(reviewed?.form));
  // Escape closes the confirmation, sending nothing.
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && !$("#confirm").hidden) closeReview(reviewed?.form);
  });
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  banner(e);
  document.body.dataset.ready = "error";
});
