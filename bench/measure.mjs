// Timing shared by the Node and browser benchmarks (plain JS, runs in both).
// Each contender runs in turn within every round, so drift and GC hit all of them alike; the
// result is the median over rounds of the mean time per operation within a round.

const now = () => performance.now();

async function timeBatch(fn, n) {
  const t0 = now();
  for (let i = 0; i < n; i++) await fn();
  return (now() - t0) / n;
}

/** Picks a batch size so one batch takes about `targetMs`. */
async function calibrate(fn, targetMs) {
  let n = 1;
  for (;;) {
    const per = await timeBatch(fn, n);
    if (per * n >= targetMs / 4 || n >= 1 << 16) return Math.max(1, Math.round(targetMs / Math.max(per, 1e-6)));
    n *= 4;
  }
}

/**
 * contenders: { name: async () => void }. Returns { name: medianMicroseconds }.
 */
export async function compare(contenders, { rounds = 15, batchMs = 40, warmup = 2 } = {}) {
  const names = Object.keys(contenders);
  const sizes = {};
  for (const name of names) sizes[name] = await calibrate(contenders[name], batchMs);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds + warmup; r++) {
    for (const name of names) {
      const per = await timeBatch(contenders[name], sizes[name]);
      if (r >= warmup) samples[name].push(per * 1000);
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

/** A JSON payload of about `bytes` bytes once serialized. */
export function payloadOf(bytes) {
  const items = [];
  let length = 12;
  for (let i = 0; length < bytes; i++) {
    const item = { id: i, points: 1000 + i, type: "EARN", note: "Zoë ✓" };
    items.push(item);
    length += JSON.stringify(item).length + 1;
  }
  return { items };
}

/** Formats result rows as a Markdown table: medians in µs and ratios against the module. */
export function table(runtime, rows, peers) {
  const head = `| ${runtime} | points-activity | ${peers.join(" | ")} | ${peers.map((p) => `${p} ÷ ours`).join(" | ")} |`;
  const rule = `|${"---|".repeat(2 + peers.length * 2)}`;
  const body = rows.map(({ label, result }) => {
    const ours = result["points-activity"];
    const cells = peers.map((p) => `${result[p].toFixed(1)} µs`);
    const ratios = peers.map((p) => `${(result[p] / ours).toFixed(2)}×`);
    return `| ${label} | ${ours.toFixed(1)} µs | ${cells.join(" | ")} | ${ratios.join(" | ")} |`;
  });
  return [head, rule, ...body].join("\n");
}
