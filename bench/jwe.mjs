// The JWE benchmark: encrypt and decrypt of 1 KiB and 64 KiB, this module against jose and
// Mastercard's library in Node, and against jose in headless Chromium. Medians of interleaved
// rounds, ratios against this module (above 1× means this module is faster).
// Run after scripts/build.sh: node bench/jwe.mjs
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";
import { table } from "./measure.mjs";
import { serve } from "./serve.mjs";
import { runNode } from "./jwe-node.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

async function runChromium() {
  const server = await serve(root);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--no-first-run"], // Playwright gives it a fresh profile
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bench/browser/page.html`);
    await page.waitForFunction(() => window.benchResult, null, { timeout: 300_000, polling: 500 });
    const result = await page.evaluate(() => window.benchResult);
    if (result.error) throw new Error(result.error);
    return result;
  } finally {
    await browser.close();
    await server.close();
  }
}

const node = await runNode();
console.log(`Node ${process.version}, 2048-bit RSA, median µs per operation (lower is better)\n`);
console.log(table("Node", node, ["jose", "mastercard-client-encryption"]));
const web = await runChromium();
const version = (web.userAgent.match(/Chrome\/[\d.]+/) || ["Chromium"])[0];
console.log(`\nHeadless ${version}, same keys and payloads\n`);
console.log(table("Chromium", web.rows, ["jose"]));
