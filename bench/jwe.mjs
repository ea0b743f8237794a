// The JWE benchmark: encrypt and decrypt of 1 KiB and 64 KiB, this module against jose and
// Mastercard's library in Node, and against jose in headless Chromium and Firefox. Medians of
// interleaved rounds, ratios against this module (above 1× means this module is faster).
// Run after scripts/build.sh: node bench/jwe.mjs
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { table } from "./measure.mjs";
import { serve } from "./serve.mjs";
import { runNode } from "./jwe-node.mjs";
import { browserPath, installed, pageResult } from "./browsers.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The browser half (bench/browser/page.html) in headless `name`; resolves to { userAgent, rows }. */
async function runBrowser(name) {
  const server = await serve(root);
  try {
    const result = await pageResult(name, `${server.url}/bench/browser/page.html`, "benchResult", 300_000, { fineTimers: true });
    if (result.error) throw new Error(`${name}: ${result.error}`);
    return result;
  } finally {
    await server.close();
  }
}

const node = await runNode();
console.log(`Node ${process.version}, 2048-bit RSA, median µs per operation (lower is better)\n`);
console.log(table("Node", node, ["jose", "mastercard-client-encryption"]));
for (const [name, product] of [["Chromium", /Chrome\/[\d.]+/], ["Firefox", /Firefox\/[\d.]+/]]) {
  if (!installed(name)) {
    console.log(`\n${name} is not installed at ${browserPath(name)} (scripts/setup.sh installs it): no ${name} table`);
    continue;
  }
  const web = await runBrowser(name);
  console.log(`\nHeadless ${(web.userAgent.match(product) || [name])[0]}, same keys and payloads\n`);
  console.log(table(name, web.rows, ["jose"]));
}
