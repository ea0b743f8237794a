// The README's client examples stay runnable: run the file and check what it printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

test("examples/client.mjs runs every operation", () => {
  const out = execFileSync(process.execPath, [fileURLToPath(new URL("../../examples/client.mjs", import.meta.url))], { encoding: "utf8" });
  for (const line of ["details", "expirations", "history", "adjusted", "transferred", "references", "refused: bankAccountNumber"]) {
    assert.match(out, new RegExp(`^${line}`, "m"), line);
  }
  assert.match(out, /availablePoints: 1200/);
  assert.match(out, /RANAC-000000000000000000000000007/);
});
