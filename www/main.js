// The sample page: the package used by name, as a frontend would. It imports only the worker
// client (points-activity/worker-client: no WebAssembly, no key) and talks to the edge worker,
// which holds every key and decides what the signed-in user may see and do. The bearer token
// lives in this module's memory only: never in storage, a cookie or a URL. What localStorage
// holds is a write whose answer has not come yet (its route, input and Idempotency-Key, under
// the user's `sub`; never a card number or the token), so the page can ask again later.
import { PointsWorkerClient, PointsError, PointsValidationError, PointsApiError } from "points-activity/worker-client";
import { fmt, signed, day, masked, fromToday, points, shortId, parsePoints } from "./format.js";
import { figuresOf, terms, upcoming, activityRows } from "./figures.js";
import { balanceChart, expiryChart } from "./charts.js";
import { CALLS, KEEP_FOR_MS, storedIntents, keepIntent, dropIntent, stateOf } from "./intents.js";

const $ = (sel) => document.querySelector(sel);

let config;
let session = null; // the signed-in user: { sub, token (memory only), api, me, controller, intents, … }
let me = null;
let scope = null; // what is shown: {} (own customer), { accountId } or { customerId }
let accounts = []; // the accounts the forms offer (masked)
const balances = new Map(); // accountId → available points, as last shown (for the confirmation)

let focusedBeforeBusy = null;
/** Locks the page's buttons while a call runs; the button that had focus gets it back after (a disabled one loses it). */
function busy(on) {
  $("#loading").hidden = !on;
  if (on) focusedBeforeBusy = document.activeElement;
  // A button locked for good (an agent's own request) stays disabled.
  for (const b of document.querySelectorAll("main button")) b.disabled = on || b.dataset.locked === "true";
  const back = focusedBeforeBusy;
  if (!on && back && back !== document.body && back.isConnected && !back.disabled && !back.closest("[hidden]") && document.activeElement === document.body) back.focus({ preventScroll: true });
}

/** Puts a sentence in a status line, with its state (done, refused, pending, approval…) for styling. */
function tell(el, state, text) {
  el.textContent = text;
  el.dataset.state = state;
}

let beforeBanner = null; // what had focus when the banner took it: it gets it back when the banner goes
/**
 * Says what went wrong at the top of the page, with focus on it. `retry`, when retrying can
 * help, becomes a Retry button. A refused token (401) means the session ended: the user is
 * signed out, nothing of theirs stays on screen, and the banner offers to sign in again.
 * `banner(null)` takes it away.
 */
function banner(e, retry) {
  const el = $("#banner");
  const hadFocus = el.contains(document.activeElement);
  el.innerHTML = "";
  if (!e) {
    el.hidden = true;
    if (hadFocus && beforeBanner?.isConnected && !beforeBanner.closest("[hidden]")) beforeBanner.focus({ preventScroll: true });
    return;
  }
  if (!hadFocus) beforeBanner = document.activeElement;
  if (e instanceof PointsApiError && e.status === 401 && session) {
    sessionEnded(session, e.reasonCode);
    return;
  }
  const canRetry = e instanceof PointsApiError ? e.recoverable === true || [429, 502, 503, 504].includes(e.status)
    : ["ERR_NETWORK", "ERR_TIMEOUT"].includes(e.code);
  const buttons = canRetry && retry ? [["Retry", () => { banner(null); retry(); }]] : [];
  // In words for the user; the codes only as a reference to quote to support.
  const text = e.status === 429 ? " There were too many requests in a short time: wait a minute, then try again."
    : canRetry ? " The points service did not answer as it should. Trying again may help." : " Trying again will not help; if it goes on, contact support.";
  say(el, "Something went wrong.", text, buttons);
  const reference = [e instanceof PointsError ? e.code : "ERROR", e.reasonCode].filter(Boolean).join(" · ");
  put(el, "small", `Reference: ${reference}`, "reference");
  el.dataset.code = e.code || "";
  el.dataset.reasonCode = e.reasonCode || "";
  el.hidden = false;
  el.scrollIntoView({ block: "nearest" });
  el.querySelector("button")?.focus({ preventScroll: true });
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

function fieldErrors(form, e, rename = {}, words = undefined) {
  for (const s of form.querySelectorAll(".field-error")) s.textContent = "";
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  if (!(e instanceof PointsValidationError)) return false;
  const name = rename[e.field] ?? e.field;
  return markField(form, name, words ?? IN_WORDS[name] ?? e.message);
}

/** What to tell an agent about an identifier the client refused, by its type. */
const LOOKUP_WORDS = {
  BAN: "Enter a card number: 12 to 19 digits.",
  BCN: "Enter a customer number: letters and digits.",
  RANCU: "Enter the customer reference as given: letters and digits.",
  RANAC: "Enter the account reference as given: letters and digits.",
};

/** Marks one field of `form` with `text` and moves focus to it; false when the form has no such field. */
function markField(form, name, text) {
  const slot = document.getElementById(`${name}-error`);
  const input = form.elements[name];
  if (slot) slot.textContent = text;
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
  return Boolean(slot);
}

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
  $("#soonest").textContent = soon ? `${points(soon.points)} ${soon.points === 1 ? "expires" : "expire"} on ${day(soon.expirationDate)}, ${fromToday(soon.expirationDate)}.` : "No points are due to expire.";
  $("#on-hold").textContent = f.onHold > 0
    ? `${points(f.onHold)} on hold: earned on purchases that have not settled yet (they can still be returned). They become available once they settle and are not in the figures below.`
    : "No points on hold.";
  $("#on-hold").dataset.value = String(f.onHold);
  $("#period").textContent = `${d.level === "CUSTOMER" || d.level === "HOUSEHOLD" ? "All cards" : "This card"}, ${day(d.periodStartDate)} to ${day(d.periodEndDate)}`;
  balanceChart($("#balance-chart"), f);
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
  // Its heading and its scrolling box too (the box takes focus).
  t.parentElement.hidden = t.hidden;
  $("#bycard-title").hidden = t.hidden;
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
  expiryChart($("#expiry-chart"), soon);
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

function renderActivity(d, history) {
  const f = figuresOf(d);
  const rows = activityRows(d, history, typeof me?.transferTypeCode === "string" ? me.transferTypeCode : undefined);
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
  // What is shown changes: a confirmation opened on the earlier figures is closed, not sent.
  homeConfirm();
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
    scrollables();
    for (const b of document.querySelectorAll("#scopes button")) b.classList.toggle("active", b.dataset.scope === JSON.stringify(target));
  } catch (e) {
    if (s === session) banner(e, () => load(target));
  } finally {
    busy(false);
  }
}

/** A table's box that scrolls sideways (a phone's width) is a tab stop, so a keyboard can scroll it; one that does not, is not. */
function scrollables() {
  for (const box of document.querySelectorAll(".table-wrap")) {
    if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  }
}

/** Hides and empties what is shown of a customer (their points, cards and forms), and closes any confirmation. */
function clearCustomer() {
  homeConfirm();
  for (const id of ["scope", "summary", "expirations", "history", "move", "found"]) $(`#${id}`).hidden = true;
  for (const sel of ["#scopes", "#equation", "[data-testid=available]", "#soonest", "#on-hold", "#period", "#breakdown tbody", "#breakdown tfoot", "#balance-chart", "#expiry-chart", "#timeline", "#history-table tbody", "#history-table tfoot", "#found-customer", "#found-accounts", "#expired", "#result"]) {
    $(sel).textContent = "";
  }
  delete $("#result").dataset.state;
  for (const name of ["fromAccountId", "toAccountId", "accountId"]) document.querySelector(`select[name=${name}]`).innerHTML = "";
  for (const f of document.querySelectorAll("#move form")) f.reset();
  accounts = [];
  balances.clear();
  scope = null;
}

/** Hides every view and empties it: nothing of the previous user stays in the page. */
function clearViews() {
  clearCustomer();
  for (const id of ["agent", "approvals", "pending"]) $(`#${id}`).hidden = true;
  for (const sel of ["#approvals-list", "#approvals-result", "#pending-list"]) $(sel).textContent = "";
  delete $("#approvals-result").dataset.state;
  delete $("#approvals").dataset.count;
  for (const f of document.querySelectorAll("form")) f.reset();
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
  $("#whoami").textContent = me.role === "agent" ? `Signed in as ${me.sub}, customer service` : `Signed in as ${me.sub}`;
  $("#signin-title").textContent = "Signed in";
  document.body.dataset.role = me.role;
  $("#signout").hidden = false;
  if (me.role === "agent") {
    const { approvalThresholdPoints: over, adjustmentMaxPoints: most } = me.limits ?? {};
    if (typeof over === "number" && typeof most === "number") {
      $("#adjust-limits").textContent = `Adjustments of more than ${points(over)} on one card in a day wait for a second agent's approval; one adjustment may be at most ${points(most)}.`;
    }
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
  $("#signin-title").textContent = "Sign in";
  $("#session-notice").hidden = true;
  delete document.body.dataset.role;
}

async function lookup(form) {
  const s = session;
  if (!s) return;
  const f = form.elements;
  banner(null);
  clearCustomer();
  busy(true);
  let found;
  try {
    // Numbers as people write them: spaces or dots between groups (dashes too in a card or
    // customer number; a reference keeps its own), fullwidth digits.
    const written = f.userId.value.normalize("NFKC").trim();
    const userId = written.replace(["BAN", "BCN"].includes(f.userIdType.value) ? /[\s.-]+/gu : /[\s.]+/gu, "");
    found = await s.api.searchUsers({ userId, userIdType: f.userIdType.value }, { signal: s.controller.signal });
    fieldErrors(form, null);
  } catch (e) {
    if (s !== session || fieldErrors(form, e, {}, LOOKUP_WORDS[f.userIdType.value])) return;
    if (e instanceof PointsApiError && e.status === 404) markField(form, "userId", "No customer has this number. Check it and try again.");
    else banner(e, () => lookup(form));
    return;
  } finally {
    busy(false);
  }
  if (s !== session) return;
  // A card number is not left on screen once it has been looked up.
  f.userId.value = "";
  const ref = Array.isArray(found.userReferences) ? found.userReferences[0] : null;
  if (!ref) {
    markField(form, "userId", "No customer has this number. Check it and try again.");
    return;
  }
  $("#found").hidden = false;
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
let opener = null; // what had focus when the confirmation opened: focus goes back there on Cancel
/** Asks before a write: the dialog opens beside what it confirms (`place`: an element to hold it; by default above the result line). While it is open, editing `form` closes it: Confirm never sends values the user has since changed. */
function review(text, run, place, form) {
  closeReview();
  pending = run;
  opener = document.activeElement;
  // An earlier outcome is not left beside a new question.
  const line = place ? $("#approvals-result") : $("#result");
  line.textContent = "";
  delete line.dataset.state;
  const box = $("#confirm");
  if (place) place.append(box);
  else $("#result").before(box);
  $("#confirm-text").textContent = text;
  box.hidden = false;
  if (form) {
    // Focus stays where the user is typing.
    const changed = () => closeReview();
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
  const back = returnTo?.querySelector("button[type=submit]") ?? (returnTo === opener ? opener : null);
  if (back?.isConnected) back.focus({ preventScroll: true });
}

/** The confirmation closed and back in its place under the forms (before what holds it is emptied or changes). */
function homeConfirm() {
  const box = $("#confirm");
  if ($("#result").previousElementSibling !== box) $("#result").before(box);
  closeReview();
}

// While something is still being checked, the page asks again this often.
const RECHECK_MS = 15_000;
const STILL_CHECKING = "Still checking — you can leave this page; the result will show here.";

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
    balances.clear();
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
  // Every balance known before a write may have changed: none is used again until shown again.
  if (out.state === "done") balances.clear();
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

/** " It will then have 1,450 points." for a card whose balance is known, moved by `delta`. */
const after = (id, delta, who = "It") => (typeof balances.get(id) === "number" ? ` ${who} will then have ${points(balances.get(id) + delta)}.` : "");
const DEBITS = ["DR"];
/** The adjustment types the form offers, as the confirmation names them. */
const AS = { CR: "a credit", DR: "a debit", GOODWILL: "goodwill" };
const label = (id) => masked(accounts.find((a) => a.accountId === id) ?? { accountLastFour: "????" });
/** A card as it is named in what is stored: its last four only. */
const lastFour = (id) => `•••• ${accounts.find((a) => a.accountId === id)?.accountLastFour ?? "????"}`;
const when = (iso) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "—" : new Date(t).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
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
    const [verb, rest] = change(a);
    head.querySelector("strong").textContent = `${verb[0].toUpperCase()}${verb.slice(1)} ${points(a.points)}`;
    head.querySelector("span").textContent = rest;
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

/**
 * An adjustment request in words: ["add", "to card •••• 1111 (account ref. …0102) as a credit"]
 * or ["take", "off card …"]. The reference's end tells apart two customers' cards with the same last four.
 */
function change(a) {
  const account = typeof a.accountId === "string" ? ` (account ref. …${a.accountId.slice(-4)})` : "";
  const rest = `card •••• ${a.accountLastFour}${account} as ${AS[a.adjustmentTypeCode] ?? `type ${a.adjustmentTypeCode}`}`;
  return DEBITS.includes(a.adjustmentTypeCode) ? ["take", `off ${rest}`] : ["add", `to ${rest}`];
}

function decide(a, decision, li) {
  const [verb, rest] = change(a);
  review(`${decision === "approve" ? "Approve" : "Reject"}: ${verb} ${points(a.points)} ${rest}, asked for by ${a.requestedBy}?`, async () => {
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
    // Decided ones leave the list (whoever decided them); focus goes to what became of this one.
    await refreshApprovals();
    line.tabIndex = -1;
    if (s === session) line.focus();
    if (out.state === "done" && decision === "approve") balances.clear();
    if (out.state === "done" && decision === "approve" && scope) await load(scope);
  }, li);
}

/**
 * Whether the card holds `wanted` points, as last shown; if not, the field says how many it has
 * (nothing is reviewed that the service would refuse). Unknown balances are left to the service.
 */
function enough(form, field, accountId, wanted) {
  const has = balances.get(accountId);
  if (typeof has !== "number" || typeof wanted !== "number" || has >= wanted) return true;
  markField(form, field, has > 0 ? `That card has ${points(has)}: enter ${fmt(has)} or fewer.` : "That card has no points to move.");
  return false;
}

/** The transfer form's input checked, then the review: direction and the balances it leaves. */
function reviewTransfer(form) {
  const f = form.elements;
  const input = { fromAccountId: f.fromAccountId.value, toAccountId: f.toAccountId.value, points: parsePoints(f.points.value) };
  // More than the card holds is said first, also for numbers too large for the client's check.
  if (!enough(form, "points", input.fromAccountId, input.points) || !checked(form, () => session?.api.checkTransfer(input))) return;
  const what = `Transfer of ${fmt(input.points)} points from ${lastFour(input.fromAccountId)} to ${lastFour(input.toAccountId)}`;
  const then = [after(input.fromAccountId, -input.points, label(input.fromAccountId)), after(input.toAccountId, input.points, label(input.toAccountId))].join("");
  review(`Move ${points(input.points)} from ${label(input.fromAccountId)} to ${label(input.toAccountId)}?${then}`, () =>
    submit(form, "transfer", input, what), undefined, form);
}

/** The adjustment form's input checked, then the review: which way, and the balance it leaves. */
function reviewAdjustment(form) {
  const f = form.elements;
  const input = { accountId: f.accountId.value, points: parsePoints(f.adjustPoints.value), adjustmentTypeCode: f.adjustmentTypeCode.value, adjustmentReason: f.adjustmentReason.value || undefined };
  const most = me?.limits?.adjustmentMaxPoints;
  if (typeof input.points === "number" && typeof most === "number" && input.points > most) {
    markField(form, "adjustPoints", `One adjustment may be at most ${points(most)}.`);
    return;
  }
  if (DEBITS.includes(input.adjustmentTypeCode) && !enough(form, "adjustPoints", input.accountId, input.points)) return;
  if (!checked(form, () => session?.api.checkAdjustment(input), { points: "adjustPoints" })) return;
  const what = `Adjustment of ${fmt(input.points)} points (${input.adjustmentTypeCode}) on ${lastFour(input.accountId)}`;
  const delta = DEBITS.includes(input.adjustmentTypeCode) ? -input.points : input.points;
  const threshold = me?.limits?.approvalThresholdPoints;
  const waits = typeof threshold === "number" && input.points > threshold;
  const then = waits ? ` A second agent must approve it first (above ${points(threshold)}).${after(input.accountId, delta, "Once approved, it")}` : after(input.accountId, delta);
  review(`${delta < 0 ? `Take ${points(input.points)} off` : `Add ${points(input.points)} to`} ${label(input.accountId)} as ${AS[input.adjustmentTypeCode] ?? "an adjustment"}?${then}`, () =>
    submit(form, "adjust", input, what, { points: "adjustPoints" }), undefined, form);
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
  $("#signout").addEventListener("click", () => {
    signOut();
    $("#users button")?.focus();
  });
  for (const [id, run] of [["#lookup", lookup], ["#transfer", reviewTransfer], ["#adjust", reviewAdjustment]]) {
    $(id).addEventListener("submit", (ev) => {
      ev.preventDefault();
      run(ev.target);
    });
  }
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
  $("#confirm-no").addEventListener("click", () => closeReview(reviewed?.form ?? opener));
  // Escape closes the confirmation, sending nothing.
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && !$("#confirm").hidden) closeReview(reviewed?.form ?? opener);
  });
  window.addEventListener("resize", scrollables);
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  banner(e);
  document.body.dataset.ready = "error";
});
