// The error classes' one set per realm (src/js/errors.js): two copies of the module share their
// classes through the registry on globalThis, and whatever else a program left under its key (a
// stray value, a getter, a polluted Object.prototype, a frozen global) leaves each copy with
// working classes of its own. Each case runs in a fresh Node process, since the registry, once
// set, stays for the process's life.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const errors = fileURLToPath(new URL("../../src/js/errors.js", import.meta.url));

/** Runs `before` in a fresh process, then imports two copies of errors.js and reports on them. */
function copies(before) {
  const script = `${before}
const key = Symbol.for("points-activity.errors/1");
const a = await import(${JSON.stringify(errors)} + "?a");
const b = await import(${JSON.stringify(errors)} + "?b");
const e = a.createPointsError("JweError", "bad", { code: "ERR_JWE_NO_KEY" });
const d = Object.getOwnPropertyDescriptor(globalThis, key);
console.log(JSON.stringify({
  shared: a.PointsError === b.PointsError && e instanceof b.JweError && e instanceof b.PointsError,
  works: e instanceof a.JweError && e instanceof Error && e.name === "JweError" && e.code === "ERR_JWE_NO_KEY"
    && new b.PointsApiError("m", { status: 502, errors: [{ reasonCode: "R" }] }).reasonCode === "R",
  registry: d ? { writable: d.writable, configurable: d.configurable, frozen: Object.isFrozen(d.value) } : String(d),
}));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
}

test("two copies share one set of classes, registered read-only", () => {
  assert.deepEqual(copies(""), { shared: true, works: true, registry: { writable: false, configurable: false, frozen: true } });
});

test("the registry cannot be swapped once set", () => {
  const r = copies(`await import(${JSON.stringify(errors)});
try { globalThis[Symbol.for("points-activity.errors/1")] = {}; } catch {}
try { Object.defineProperty(globalThis, Symbol.for("points-activity.errors/1"), { value: {} }); } catch {}`);
  assert.equal(r.shared, true);
});

for (const [what, before] of [
  ["a stray value under the key", `globalThis[Symbol.for("points-activity.errors/1")] = 42;`],
  ["an object without the classes", `globalThis[Symbol.for("points-activity.errors/1")] = { PointsError: 1 };`],
  ["a getter that throws", `Object.defineProperty(globalThis, Symbol.for("points-activity.errors/1"), { get() { throw new Error("no"); } });`],
  ["a Proxy whose reads throw", `globalThis[Symbol.for("points-activity.errors/1")] = new Proxy({}, { get() { throw new Error("no"); }, ownKeys() { throw new Error("no"); } });`],
  ["a frozen global object", `Object.freeze(globalThis);`],
]) {
  test(`${what}: each copy keeps working classes of its own`, () => {
    const r = copies(before);
    assert.equal(r.works, true);
    assert.equal(r.shared, false);
  });
}

test("a registry inherited from a polluted Object.prototype is ignored", () => {
  const r = copies(`Object.prototype[Symbol.for("points-activity.errors/1")] = { PointsError: class {} };`);
  assert.deepEqual(r, { shared: true, works: true, registry: { writable: false, configurable: false, frozen: true } });
});
