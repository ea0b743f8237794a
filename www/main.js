// The sample page: the package used by name, as a frontend would. The demo server hands it the
// proxy's URL, Mastercard's encryption certificate and, for the demo only, the sandbox client's
// decryption key (in production the page gets the certificate only; see the README).
import { PointsClient, PointsError, PointsValidationError, PointsApiError } from "points-activity";

const $ = (sel) => document.querySelector(sel);
const fmt = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : "—");
const mask = (ban) => `${ban.slice(0, 4)} •••• ${ban.slice(-4)}`;

// `?fault=500|429|garbage|hang` asks the sandbox to fail the first load (demo and tests only).
let fault = new URLSearchParams(location.search).get("fault");
const callOptions = () => (fault ? { headers: { "x-sandbox-fault": fault } } : undefined);

let client;
let current; // { userId, userIdType }
let cards = []; // the consumer's card numbers

function busy(on) {
  $("#loading").hidden = !on;
  for (const b of document.querySelectorAll("button")) b.disabled = on;
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
  const parts = [e instanceof PointsError ? e.code : "ERROR", e.reasonCode, e.message].filter(Boolean);
  el.innerHTML = "";
  const strong = document.createElement("strong");
  strong.textContent = parts.slice(0, 2).join(" · ");
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

function fieldErrors(form, e) {
  for (const s of form.querySelectorAll(".field-error")) s.textContent = "";
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  if (!(e instanceof PointsValidationError)) return false;
  const slot = document.getElementById(`${e.field}-error`);
  const input = form.elements[e.field];
  if (slot) slot.textContent = e.message;
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
  return true;
}

function renderSummary(d) {
  $("#summary").hidden = false;
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
  t.hidden = !d.accounts;
  t.tBodies[0].innerHTML = "";
  for (const a of d.accounts || []) {
    const tr = t.tBodies[0].insertRow();
    for (const v of [`•••• ${a.accountLastFour}`, fmt(a.availablePoints), fmt(a.pointsEarned), fmt(a.pointsRedeemed), fmt(a.pointsOnHold)]) tr.insertCell().textContent = v;
  }
  $("#summary-title").textContent = `Points (${d.level ? d.level.toLowerCase() : "account"} level, ${d.periodStartDate ?? ""} to ${d.periodEndDate ?? ""})`;
}

function renderExpirations(x) {
  $("#expirations").hidden = false;
  const ol = $("#timeline");
  ol.innerHTML = "";
  for (const p of x.pointsExpiringSoon || []) {
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

function renderCards() {
  $("#move").hidden = cards.length === 0;
  for (const name of ["fromBankAccountNumber", "toBankAccountNumber", "bankAccountNumber"]) {
    const sel = document.querySelector(`select[name=${name}]`);
    sel.innerHTML = "";
    for (const c of cards) sel.add(new Option(mask(c), c));
  }
  if (cards.length > 1) document.querySelector("select[name=toBankAccountNumber]").selectedIndex = 1;
}

async function load(query) {
  banner(null);
  busy(true);
  try {
    const [details, expirations, adjustments, refs] = await Promise.all([
      client.getPointsDetails(query, callOptions()),
      client.getPointsExpirations(query, callOptions()),
      client.getPointsAdjustments(query, callOptions()),
      client.searchUserReferences({ ...query, includeSensitiveIdentifiers: true }, callOptions()),
    ]);
    current = query;
    renderSummary(details);
    renderExpirations(expirations);
    history = adjustments.adjustments || [];
    renderHistory();
    const ref = refs.userReferences?.[0];
    const accounts = ref?.accountDetails || [];
    // A RANAC or card picks one account; its customer's other cards are the transfer targets.
    cards = accounts.map((a) => a.accountNumber).filter(Boolean);
    renderCards();
  } catch (e) {
    if (!fieldErrors($("#pick"), e)) banner(e);
  } finally {
    fault = null;
    busy(false);
  }
}

let pending;
function review(text, run) {
  pending = run;
  $("#confirm-text").textContent = text;
  $("#confirm").hidden = false;
  $("#confirm-yes").focus();
}

async function submit(form, run, describe) {
  const e = await run().then(() => null, (err) => err);
  if (e && !fieldErrors(form, e)) banner(e);
  if (!e) {
    fieldErrors(form, null);
    $("#result").textContent = describe;
    await load(current);
  }
}

function number(v) {
  return v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v.trim() === "" ? undefined : v;
}

async function main() {
  const config = await (await fetch("./demo-config.json")).json();
  client = await PointsClient.create({
    baseUrl: config.baseUrl,
    encryption: { certificate: config.certificate, decryptionKey: config.decryptionKey },
    timeoutMs: 10_000,
  });
  const list = $("#demo-list");
  for (const c of config.consumers) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.textContent = c.label;
    b.addEventListener("click", () => {
      $("#userIdType").value = c.userIdType;
      $("#userId").value = c.userId;
      load({ userId: c.userId, userIdType: c.userIdType });
    });
    list.append(b, " ");
  }
  $("#pick").addEventListener("submit", (ev) => {
    ev.preventDefault();
    load({ userId: $("#userId").value.trim(), userIdType: $("#userIdType").value });
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
    const input = {
      fromBankAccountNumber: f.fromBankAccountNumber.value, toBankAccountNumber: f.toBankAccountNumber.value,
      pointsToTransfer: number(f.pointsToTransfer.value), transferTypeCode: "TR", transferReason: "Moved on the demo page", adjustedBy: "demo-page",
    };
    review(`Move ${f.pointsToTransfer.value || "?"} points from ${mask(input.fromBankAccountNumber)} to ${mask(input.toBankAccountNumber)}?`, () =>
      submit(ev.target, async () => {
        const r = await client.transferPoints(input, callOptions());
        $("#result").dataset.from = r.fromAvailablePoints;
        $("#result").dataset.to = r.toAvailablePoints;
      }, "Transfer done: the new balances are shown above."));
  });
  $("#adjust").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const input = {
      bankAccountNumber: f.bankAccountNumber.value, pointsToAdjust: number(f.pointsToAdjust.value),
      adjustmentTypeCode: f.adjustmentTypeCode.value, adjustmentReason: f.adjustmentReason.value || undefined, adjustedBy: "demo-page",
    };
    review(`Adjust ${mask(input.bankAccountNumber)} by ${f.pointsToAdjust.value || "?"} points (${input.adjustmentTypeCode})?`, () =>
      submit(ev.target, () => client.adjustPoints(input, callOptions()), "Adjustment recorded."));
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
