// The operations list (src/ops/list.rs, shipped as points-activity/operations.json): every
// entry is a method of PointsClient, and every method of PointsClient that calls the service is
// in it, so the list the proxy's route table reads cannot drift from the client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pkg, root } from "./helpers.mjs";

const operations = JSON.parse(readFileSync(join(root, "pkg", "npm", "web", "operations.json"), "utf8"));

test("the operations list and PointsClient name the same operations", () => {
  const methods = Object.getOwnPropertyNames(pkg.PointsClient.prototype).filter((n) => n !== "constructor" && typeof pkg.PointsClient.prototype[n] === "function");
  // What the client has beside the operations: its lifecycle.
  const own = methods.filter((m) => !["free", "signatureBaseString"].includes(m) && !m.startsWith("__"));
  assert.deepEqual(operations.map((o) => o.name).sort(), own.sort());
  for (const o of operations) {
    assert.match(o.path, /^\/[a-z/-]+$/);
    assert.ok(["GET", "POST"].includes(o.method) && ["PAS", "UAM"].includes(o.service) && ["safe", "never"].includes(o.retry), JSON.stringify(o));
  }
  assert.equal(new Set(operations.map((o) => `${o.service} ${o.method} ${o.path}`)).size, operations.length);
});
