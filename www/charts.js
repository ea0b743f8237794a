// The page's two charts, drawn as SVG elements (no markup from strings).
import { fmt, signed, day, dayOf, monthDay } from "./format.js";
import { terms } from "./figures.js";

const SVG = "http://www.w3.org/2000/svg";

const svg = (name, attrs, text) => {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
};

/**
 * The drawing's width: the chart's own on screen (so its text is drawn at the page's size, a
 * phone's included), between 300 and 640; 640 while it is not laid out. Sets the viewBox.
 */
function fit(chart, height) {
  const shown = chart.getBoundingClientRect().width;
  const w = shown > 0 ? Math.round(Math.min(640, Math.max(300, shown))) : 640;
  chart.setAttribute("viewBox", `0 0 ${w} ${height}`);
  return w;
}

/** Each term's name under its bar, short enough for a phone's width. */
const TICKS = { previousBalance: "start", pointsEarned: "earned", pointsRedeemed: "redeemed", adjustments: "adjusted", pointsExpired: "expired" };

/** at start + earned − redeemed ± adjustments − expired = available, as a waterfall in `chart` (an `<svg>`). */
export function balanceChart(chart, f) {
  chart.innerHTML = "";
  const steps = [];
  let at = 0;
  for (const [key, , v] of terms(f)) {
    steps.push([TICKS[key], at, at + v, steps.length === 0 ? "bar-base" : v < 0 ? "bar-down" : "bar-up"]);
    at += v;
  }
  steps.push(["available", 0, f.available, "bar-total"]);
  const top = Math.max(1, ...steps.flatMap((s) => [s[1], s[2]]));
  // Sides: 10; above the tallest bar, room for its label (30).
  const [w, pad, roof, base] = [fit(chart, 240), 10, 30, 200];
  const y = (v) => base - (Math.max(0, v) / top) * (base - roof);
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

/** Expiring points as dots on a time axis from today to the last expiry, in `chart` (an `<svg>`). */
export function expiryChart(chart, items) {
  chart.innerHTML = "";
  // Room at both ends for a date written under its dot; dates below the largest dot (r ≤ 18).
  const [w, pad, axis, below] = [fit(chart, 140), 40, 80, 40];
  const today = Date.now();
  const dated = items.map((p) => ({ ...p, t: dayOf(p.expirationDate) })).filter((p) => !Number.isNaN(p.t));
  const end = Math.max(today + 86400000, ...dated.map((p) => p.t));
  const x = (t) => pad + ((t - today) / (end - today)) * (w - 2 * pad);
  chart.append(svg("line", { class: "axis", x1: pad, x2: w - pad, y1: axis, y2: axis }));
  chart.append(svg("line", { class: "today", x1: pad, x2: pad, y1: axis - 50, y2: axis + 8 }));
  chart.append(svg("text", { class: "tick", x: pad, y: axis + below }, "today"));
  const most = Math.max(1, ...dated.map((p) => p.points || 0));
  for (const p of dated) {
    const cx = x(p.t);
    const dot = svg("circle", { class: "dot", cx, cy: axis, r: 4 + 14 * Math.sqrt((p.points || 0) / most) });
    dot.append(svg("title", {}, `${fmt(p.points)} points on ${day(p.expirationDate)}`));
    chart.append(dot);
    chart.append(svg("text", { class: "bar-label", x: cx, y: axis - 26 }, fmt(p.points)));
    chart.append(svg("text", { class: "tick", x: cx, y: axis + below }, monthDay(p.expirationDate)));
  }
  chart.dataset.count = String(dated.length);
}
