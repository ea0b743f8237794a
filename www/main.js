// The sample page: the package used by name, as a frontend would. It imports only the worker
// client (points-activity/worker-client: no WebAssembly, no key) and talks to the edge worker,
// which holds every key and decides what the signed-in user may see and do. The bearer token
// lives in this module's memory only: never in storage, a cookie or a URL.
import { PointsWorkerClient, PointsError, PointsValidationError, PointsApiError } from "points-activity/worker-client";

const $ = (sel) => document.querySelector(sel);
const fmt = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : "—");
const masked = (a) => `${a.accountFirstFour ?? "••••"} •••• ${a.accountLastFour}`;
const SVG = "http://www.w3.org/2000/svg";

let config;
let api;
let token = null; // memory only
let me = null;
let scope = null; // what is shown: {} (own customer), { accountId } or { customerId }
let accounts = []; // the accounts the forms offer (masked)

function busy(on) {
  $("#loading").hidden = !on;
  for (const b of document.querySelectorAll("main button")) b.disabled = on;
}

function banner(e) {
  const el = $("#banner");
  if (!e) {
    el.hidden = true;
    el.textContent = "";
    return;
  }
  const retry = e instanceof PointsApiError ? e.recoverable === true || [429, 502, 503, 504].includes(e.status)
    : ["ERR_NETWORK", "ERR_TIMEOUT"].includes(e.code);
  el.innerHTML = "";
  const strong = document.createElement("strong");
  strong.textContent = [e instanceof PointsError ? e.code : "ERROR", e.reasonCode].filter(Boolean).join(" · ");
  const text = document.createElement("span");
  text.textContent = ` ${e.message}. ${retry ? "Retrying can help." : "Retrying will not help."}`;
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Dismiss";
  close.addEventListener("click", () => banner(null));
  el.append(strong, text, close);
  el.dataset.code = e.code || "";
  el.dataset.reasonCode = e.reasonCode || "";
  el.hidden = false;
}

function fieldErrors(form, e, rename = {}) {
  for (const s of form.querySelectorAll(".field-error")) s.textContent = "";
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  if (!(e instanceof PointsValidationError)) return false;
  const name = rename[e.field] ?? e.field;
  const slot = document.getElementById(`${name}-error`);
  const input = form.elements[name];
  if (slot) slot.textContent = e.message;
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
  banner(null);
  busy(true);
  try {
    const [details, expirations, adjustments] = await Promise.all([
      api.getPointsDetails(target),
      api.getPointsExpirations(target),
      api.getPointsAdjustments(target),
    ]);
    scope = target;
    renderSummary(details);
    renderExpirations(expirations);
    history = Array.isArray(adjustments.adjustments) ? adjustments.adjustments : [];
    renderHistory();
    for (const b of document.querySelectorAll("#scopes button")) b.classList.toggle("active", b.dataset.scope === JSON.stringify(target));
  } catch (e) {
    banner(e);
  } finally {
    busy(false);
  }
}

/** Hides every view and empties it: nothing of the previous user stays in the page. */
function clearViews() {
  for (const id of ["agent", "scope", "summary", "expirations", "history", "move", "found", "confirm"]) $(`#${id}`).hidden = true;
  for (const sel of ["#scopes", "#equation", "#figures", "#breakdown tbody", "#balance-chart", "#expiry-chart", "#timeline", "#history-table tbody", "#found-customer", "#found-accounts", "#expired", "#result"]) {
    $(sel).textContent = "";
  }
  for (const name of ["fromAccountId", "toAccountId", "accountId"]) document.querySelector(`select[name=${name}]`).innerHTML = "";
  for (const f of document.querySelectorAll("form")) f.reset();
  history = [];
  accounts = [];
  scope = null;
  pending = null;
}

async function signIn(user) {
  banner(null);
  busy(true);
  try {
    const res = await fetch(config.signIn, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user }) });
    if (!res.ok) throw new Error("the demo sign-in refused");
    token = (await res.json()).access_token;
    me = await api.me();
  } catch (e) {
    token = null;
    me = null;
    banner(e);
    return;
  } finally {
    busy(false);
  }
  clearViews();
  $("#whoami").hidden = false;
  $("#whoami").textContent = `Signed in as ${me.sub} (${me.role})`;
  document.body.dataset.role = me.role;
  $("#signout").hidden = false;
  if (me.role === "agent") {
    $("#agent").hidden = false;
    return;
  }
  accounts = me.accounts;
  renderForms();
  renderScopes({ label: "All my cards", scope: {} }, accounts);
  await load({});
}

function signOut() {
  token = null;
  me = null;
  clearViews();
  $("#whoami").hidden = true;
  $("#signout").hidden = true;
  delete document.body.dataset.role;
}

async function lookup(form) {
  const f = form.elements;
  banner(null);
  busy(true);
  let found;
  try {
    found = await api.searchUsers({ userId: f.userId.value.trim(), userIdType: f.userIdType.value });
    fieldErrors(form, null);
  } catch (e) {
    if (!fieldErrors(form, e)) banner(e);
    return;
  } finally {
    busy(false);
  }
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
function review(text, run) {
  pending = run;
  $("#confirm-text").textContent = text;
  $("#confirm").hidden = false;
  $("#confirm-yes").focus();
}

async function submit(form, run, describe, rename) {
  const e = await run().then(() => null, (err) => err);
  if (e && !fieldErrors(form, e, rename)) banner(e);
  if (!e) {
    fieldErrors(form, null);
    $("#result").textContent = describe;
    await load(scope);
  }
}

// One Idempotency-Key per user intent: the same values sent again after any failure whose
// outcome the page never learned reuse it (the worker then applies them at most once); only
// a success or a definite answer (a refusal, NOT_APPLIED) ends the intent.
const intents = new Map();
function writeOptions(kind, input) {
  const id = JSON.stringify([kind, input]);
  if (!intents.has(id)) intents.set(id, crypto.randomUUID());
  return {
    idempotencyKey: intents.get(id),
    onChecking: () => { $("#result").textContent = "Checking whether it went through…"; },
  };
}
async function once(kind, input, call) {
  const id = JSON.stringify([kind, input]);
  try {
    const r = await call(writeOptions(kind, input));
    intents.delete(id);
    return r;
  } catch (e) {
    const definite = e && (e.code === "ERR_VALIDATION"
      || (e.code === "ERR_API" && e.status >= 400 && e.status < 500 && ![409, 429].includes(e.status))
      || ["NOT_APPLIED", "OUTCOME_UNKNOWN"].includes(e.reasonCode));
    if (definite) intents.delete(id);
    throw e;
  }
}

const number = (v) => (v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v.trim() === "" ? undefined : v);
const label = (id) => masked(accounts.find((a) => a.accountId === id) ?? { accountLastFour: "????" });

async function main() {
  config = await (await fetch("./demo-config.json")).json();
  // Longer than the worker's own upstream time limit (30 s), so the worker answers first.
  api = new PointsWorkerClient({ baseUrl: config.workerUrl, token: () => token ?? "", timeoutMs: 45_000 });
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
    review(`Move ${f.points.value || "?"} points from ${label(input.fromAccountId)} to ${label(input.toAccountId)}?`, () =>
      submit(ev.target, async () => {
        const r = await once("transfer", input, (o) => api.transferPoints(input, o));
        // An outcome resolved from the history carries no balances: they are reloaded below.
        $("#result").dataset.from = r.fromAvailablePoints ?? "";
        $("#result").dataset.to = r.toAvailablePoints ?? "";
      }, "Transfer done: the new balances are shown above."));
  });
  $("#adjust").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const input = { accountId: f.accountId.value, points: number(f.adjustPoints.value), adjustmentTypeCode: f.adjustmentTypeCode.value, adjustmentReason: f.adjustmentReason.value || undefined };
    review(`Adjust ${label(input.accountId)} by ${f.adjustPoints.value || "?"} points (${input.adjustmentTypeCode})?`, () =>
      submit(ev.target, () => once("adjust", input, (o) => api.adjustPoints(input, o)), "Adjustment recorded.", { points: "adjustPoints" }));
  });
  $("#confirm-yes").addEventListener("click", async () => {
    $("#confirm").hidden = true;
    const run = pending;
    pending = null;
    if (run) {
      busy(true);
      try {
        await run();
      } finally {
        busy(false);
      }
    }
  });
  $("#confirm-no").addEventListener("click", () => {
    $("#confirm").hidden = true;
    pending = null;
  });
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  banner(e);
  document.body.dataset.ready = "error";
});
