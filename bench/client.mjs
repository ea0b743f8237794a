// The client-overhead benchmark: what a PointsClient call costs beyond the network, with an
// instant fetch stub, next to doing the same fetch by hand; in Node and headless Chromium.
// Run after scripts/build.sh: node bench/client.mjs
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { pkg, fixture } from "../tests/js/helpers.mjs";
import { clientCases, overheadTable } from "./client-cases.mjs";
import { serve } from "./serve.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cert = fixture("keys/jwe-certificate.pem");

const node = await clientCases(pkg, cert, { rounds: 15, batchMs: 40 });
console.log(`Node ${process.version}, median µs per call (lower is better)\n`);
console.log(overheadTable("Node", node));

const server = await serve(root);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/bench/browser/client.html`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 300_000, polling: 500 });
  const web = await page.evaluate(() => window.benchResult);
  if (web.error) throw new Error(web.error);
  const version = (web.userAgent.match(/Chrome\/[\d.]+/) || ["Chromium"])[0];
  console.log(`\nHeadless ${version}\n`);
  console.log(overheadTable("Chromium", web.rows));
} finally {
  await browser.close();
  await server.close();
}
