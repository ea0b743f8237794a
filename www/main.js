// The sample page: the package used by name, as a frontend would. It imports only the worker
// client (points-activity/worker-client: no WebAssembly, no key) and talks to the edge worker,
// which holds every key and decides what the signed-in user may see and do. The bearer token
// lives in this module's memory only: never in storage, a cookie or a URL. What localStorage
// holds is a write whose answer has not come yet (its route, input and Idempotency-Key, under
// the user's `sub`; never a card number or the token), so the page can ask again later.
import { PointsWorkerClient, PointsError, PointsValidationError, PointsApiError } from "points-activity/worker-client";

const $ = (sel) => document.querySelector(sel);
const fmt = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : "—");
const masked = (a) => `${a.accountFirstFour ?? "••••"} •••• ${a.accountLastFour}`;
const SVG = "http://www.w3.org/2000/svg";

let config;
let session = null; // the signed-in user: { sub, token (memory only), api, me, controller, intents, … }
let me = null;
let scope = null; // what is shown: {} (own customer), { accountId } or { customerId }
let accounts = []; // the accounts the forms offer (masked)

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
    const user = session.user;
    signOut();
    say(el, "Your session has ended.", " Sign in again to go on; nothing was sent.", [["Sign in again", () => signIn(user)]]);
    el.dataset.code = "SESSION_ENDED";
    el.dataset.reasonCode = e.reasonCode || "";
    el.hidden = false;
    el.querySelector("button")?.focus();
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

/** previous + earned − redeemed ± adjusted = available, as a waterfall. */
function balanceChart(d) {
  const chart = $("#balance-chart");
  chart.innerHTML = "";
  const n = (v) => (typeof v === "number" ? v : 0);
  const steps = [
    ["previous", 0, n(d.previousBalance), "bar-base"],
    ["+ earned", n(d.previousBalance), n(d.previousBalance) + n(d.pointsEarned), "bar-up"],
  ];
  let at = steps[1][2];
  steps.push(["− redeemed", at, at - n(d.pointsRedeemed), "bar-down"]);
  at -= n(d.pointsRedeemed);
  steps.push([`${n(d.pointsAdjusted) < 0 ? "−" : "+"} adjusted`, at, at + n(d.pointsAdjusted), n(d.pointsAdjusted) < 0 ? "bar-down" : "bar-up"]);
  steps.push(["= available", 0, n(d.availablePoints), "bar-total"]);
  const top = Math.max(1, ...steps.flatMap((s) => [s[1], s[2]]));
  const [w, h, pad, base] = [640, 240, 30, 200];
  const y = (v) => base - (Math.max(0, v) / top) * (base - pad);
  const bw = (w - 2 * pad) / steps.length;
  chart.append(svg("line", { class: "axis", x1: pad, x2: w - pad, y1: base, y2: base }));
  steps.forEach(([label, from, to, cls], i) => {
    const x = pad + i * bw + bw * 0.15;
    const [hi, lo] = [Math.max(from, to), Math.min(from, to)];
    const bar = svg("rect", { class: cls, x, width: bw * 0.7, y: y(hi), height: Math.max(1, y(lo) - y(hi)) });
    bar.append(svg("title", {}, `${label}: ${fmt(Math.abs(to - from))}`));
    chart.append(bar);
    chart.append(svg("text", { class: "bar-label", x: x + bw * 0.35, y: y(hi) - 6 }, fmt(i === 0 || i === steps.length - 1 ? to : Math.abs(to - from))));
    chart.append(svg("text", { class: "tick", x: x + bw * 0.35, y: base + 18 }, label));
  });
  chart.dataset.available = String(n(d.availablePoints));
}

/** Expiring points as dots on a time axis from today to the last expiry. */
function expiryChart(items) {
  const chart = $("#expiry-chart");
  chart.innerHTML = "";
  const [w, pad, axis] = [640, 40, 80];
  const today = Date.now();
  const dated = items.map((p) => ({ ...p, t: Date.parse(p.expirationDate) })).filter((p) => !Number.isNaN(p.t));
  const end = Math.max(today + 86400000, ...dated.map((p) => p.t));
  const x = (t) => pad + ((t - today) / (end - today)) * (w - 2 * pad);
  chart.append(svg("line", { class: "axis", x1: pad, x2: w - pad, y1: axis, y2: axis }));
  chart.append(svg("line", { class: "today", x1: pad, x2: pad, y1: axis - 50, y2: axis + 8 }));
  chart.append(svg("text", { class: "tick", x: pad, y: axis + 24 }, "today"));
  const most = Math.max(1, ...dated.map((p) => p.points || 0));
  for (const p of dated) {
    const cx = x(p.t);
    const dot = svg("circle", { class: "dot", cx, cy: axis, r: 4 + 14 * Math.sqrt((p.points || 0) / most) });
    dot.append(svg("title", {}, `${fmt(p.points)} points on ${p.expirationDate}`));
    chart.append(dot);
    chart.append(svg("text", { class: "bar-label", x: cx, y: axis - 26 }, fmt(p.points)));
    chart.append(svg("text", { class: "tick", x: cx, y: axis + 24 }, p.expirationDate));
  }
  chart.dataset.count = String(dated.length);
}

function renderSummary(d) {
  $("#summary").hidden = false;
  balanceChart(d);
  $("#equation").innerHTML = "";
  const terms = [["previous balance", d.previousBalance, ""], ["earned", d.pointsEarned, "+"], ["redeemed", d.pointsRedeemed, "−"], ["adjustments", d.pointsAdjusted, "±"]];
  for (const [label, value, op] of terms) {
    const span = document.createElement("span");
    span.className = "term";
    span.innerHTML = `${op ? `<b class="op">${op}</b>` : ""}<span class="n"></span><small></small>`;
    span.querySelector(".n").textContent = fmt(value);
    span.querySelector("small").textContent = label;
    $("#equation").append(span);
  }
  const total = document.createElement("span");
  total.className = "term total";
  total.innerHTML = `<b class="op">=</b><span class="n" data-testid="available"></span><small>available</small>`;
  total.querySelector(".n").textContent = fmt(d.availablePoints);
  $("#equation").append(total);
  const rows = [["Available", "availablePoints"], ["On hold", "pointsOnHold"], ["Earned", "pointsEarned"], ["Redeemed", "pointsRedeemed"], ["Adjusted", "pointsAdjusted"], ["Expired", "pointsExpired"], ["Previous balance", "previousBalance"]];
  $("#figures").innerHTML = "";
  for (const [label, key] of rows) {
    const group = document.createElement("div");
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.dataset.key = key;
    dd.textContent = fmt(d[key]);
    group.append(dt, dd);
    $("#figures").append(group);
  }
  const t = $("#breakdown");
  t.hidden = !Array.isArray(d.accounts);
  t.tBodies[0].innerHTML = "";
  for (const a of d.accounts || []) {
    const tr = t.tBodies[0].insertRow();
    for (const v of [`•••• ${a.accountLastFour}`, fmt(a.availablePoints), fmt(a.pointsEarned), fmt(a.pointsRedeemed), fmt(a.pointsOnHold)]) tr.insertCell().textContent = v;
  }
  $("#summary-title").textContent = `Points (${d.level ? d.level.toLowerCase() : "account"} level, ${d.periodStartDate ?? ""} to ${d.periodEndDate ?? ""})`;
}

function renderExpirations(x) {
  $("#expirations").hidden = false;
  const soon = Array.isArray(x.pointsExpiringSoon) ? x.pointsExpiringSoon : [];
  expiryChart(soon);
  const ol = $("#timeline");
  ol.innerHTML = "";
  for (const p of soon) {
    const li = document.createElement("li");
    li.innerHTML = `<time></time> <strong></strong> points`;
    li.querySelector("time").textContent = p.expirationDate;
    li.querySelector("strong").textContent = fmt(p.points);
    ol.append(li);
  }
  $("#expired").textContent = `Expired this year: ${fmt(x.pointsExpiredYearToDate)} · lifetime: ${fmt(x.lifetimePointsExpired)}`;
}

let history = [];
let sort = { key: "adjustmentDate", dir: -1 };
function renderHistory() {
  $("#history").hidden = false;
  const rows = [...history].sort((a, b) => (a[sort.key] > b[sort.key] ? 1 : a[sort.key] < b[sort.key] ? -1 : 0) * sort.dir);
  const body = $("#history-table").tBodies[0];
  body.innerHTML = "";
  for (const h of rows) {
    const tr = body.insertRow();
    for (const v of [h.adjustmentDate, fmt(h.points), h.adjustmentTypeCode, h.adjustmentReason, h.adjustedBy, `•••• ${h.accountLastFour}`]) tr.insertCell().textContent = v ?? "";
  }
  for (const b of document.querySelectorAll("[data-sort]")) {
    b.closest("th").setAttribute("aria-sort", b.dataset.sort === sort.key ? (sort.dir > 0 ? "ascending" : "descending") : "none");
  }
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
    renderSummary(details);
    renderExpirations(expirations);
    history = Array.isArray(adjustments.adjustments) ? adjustments.adjustments : [];
    renderHistory();
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
  for (const sel of ["#scopes", "#equation", "#figures", "#breakdown tbody", "#balance-chart", "#expiry-chart", "#timeline", "#history-table tbody", "#found-customer", "#found-accounts", "#expired", "#result", "#approvals-list", "#approvals-result", "#pending-list"]) {
    $(sel).textContent = "";
  }
  for (const sel of ["#result", "#approvals-result"]) delete $(sel).dataset.state;
  delete $("#approvals").dataset.count;
  for (const name of ["fromAccountId", "toAccountId", "accountId"]) document.querySelector(`select[name=${name}]`).innerHTML = "";
  for (const f of document.querySelectorAll("form")) f.reset();
  history = [];
  accounts = [];
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
    const res = await fetch(config.signIn, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user }) });
    if (!res.ok) throw new Error("the demo sign-in refused");
    s.token = (await res.json()).access_token;
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
  s.sub = me.sub;
  $("#whoami").hidden = false;
  $("#whoami").textContent = `Signed in as ${me.sub} (${me.role})`;
  document.body.dataset.role = me.role;
  $("#signout").hidden = false;
  if (me.role === "agent") {
    $("#agent").hidden = false;
    $("#approvals").hidden = false;
    await refreshApprovals();
  } else {
    accounts = me.accounts;
    renderForms();
    renderScopes({ label: "All my cards", scope: {} }, accounts);
    await load({});
  }
  // Writes of this user whose answer never came: asked again now, with their keys.
  await resume(s);
}

function signOut() {
  if (session) {
    session.controller.abort();
    session.token = null;
    clearTimeout(session.timer);
  }
  session = null;
  me = null;
  clearViews();
  $("#whoami").hidden = true;
  $("#signout").hidden = true;
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
    found = await s.api.searchUsers({ userId: f.userId.value.trim(), userIdType: f.userIdType.value }, { signal: s.controller.signal });
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
  $("#found-customer").textContent = `Customer ${ref.customerId}: ${ref.accountDetails?.length ?? 0} card(s)`;
  accounts = (ref.accountDetails || []).filter((a) => typeof a.accountId === "string");
  renderForms();
  renderScopes({ label: "Whole customer", scope: { customerId: ref.customerId } }, accounts);
  await load({ customerId: ref.customerId });
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
  } else if (!marked) {
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

const number = (v) => (v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v.trim() === "" ? undefined : v);
const label = (id) => masked(accounts.find((a) => a.accountId === id) ?? { accountLastFour: "????" });
/** A card as it is named in what is stored: its last four only. */
const lastFour = (id) => `•••• ${accounts.find((a) => a.accountId === id)?.accountLastFour ?? "????"}`;
const when = (iso) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "—" : new Date(t).toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
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
  for (const b of document.querySelectorAll("[data-sort]")) {
    b.addEventListener("click", () => {
      sort = { key: b.dataset.sort, dir: sort.key === b.dataset.sort ? -sort.dir : 1 };
      renderHistory();
    });
  }
  $("#transfer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const input = { fromAccountId: f.fromAccountId.value, toAccountId: f.toAccountId.value, points: number(f.points.value) };
    if (!checked(ev.target, () => session?.api.checkTransfer(input))) return;
    const what = `Transfer of ${fmt(input.points)} points from ${lastFour(input.fromAccountId)} to ${lastFour(input.toAccountId)}`;
    review(`Move ${fmt(input.points)} points from ${label(input.fromAccountId)} to ${label(input.toAccountId)}?`, () =>
      submit(ev.target, "transfer", input, what), undefined, ev.target);
  });
  $("#adjust").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const input = { accountId: f.accountId.value, points: number(f.adjustPoints.value), adjustmentTypeCode: f.adjustmentTypeCode.value, adjustmentReason: f.adjustmentReason.value || undefined };
    if (!checked(ev.target, () => session?.api.checkAdjustment(input), { points: "adjustPoints" })) return;
    const what = `Adjustment of ${fmt(input.points)} points (${input.adjustmentTypeCode}) on ${lastFour(input.accountId)}`;
    review(`Adjust ${label(input.accountId)} by ${fmt(input.points)} points (${input.adjustmentTypeCode})?`, () =>
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
