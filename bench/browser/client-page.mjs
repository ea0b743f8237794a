// Runs in headless Chromium: the client-overhead cases on the `browser` build (what pages load).
import init, * as mod from "/pkg/browser/points_activity.js";
import { clientCases } from "/bench/client-cases.mjs";

async function run() {
  await init();
  const cert = await fetch("/tests/fixtures/keys/jwe-certificate.pem").then((r) => r.text());
  return { userAgent: navigator.userAgent, rows: await clientCases(mod, cert, { rounds: 25, batchMs: 50 }) };
}

run().then((r) => { window.benchResult = r; }, (e) => { window.benchResult = { error: String(e && e.stack || e) }; });
