// Replaces the bodies of Rust's panic and formatting functions with `unreachable` in a built
// .wasm, so that the wasm-opt pass after it (scripts/build.sh) drops them and everything only
// they reach. Measured: −1.9 KB (gzip) on the jwe build.
//
// Why it is safe: the release profile has `panic = "abort"`, so a panic ends the instance
// whatever runs first; the module never formats text (messages are concatenated, see
// Error::message), so core's formatting runs only inside a panic. A trap here is the same
// trap, a few instructions earlier, and without a message nobody could read in wasm32.
//
// Needs the name section (wasm-opt -g in Cargo.toml); fails if it finds no panic entry point,
// so a build that stops matching the names is noticed rather than silently left large.
//   node scripts/snip-wasm.mjs path/to/module.wasm   (SNIP_LIST=1 prints what it snips)
import { readFileSync, writeFileSync } from "node:fs";
import { assemble, readName, readU32, sections as readSections, skipImportDesc, u32 } from "./wasm-binary.mjs";

const path = process.argv[2];
const wasm = readFileSync(path);
const ENTRY = /^core\[[0-9a-f]+\]::panicking::panic_fmt$/;
const SNIP = new RegExp(
  [
    // The panic entry points of core, and the functions that only panic.
    String.raw`^core\[[0-9a-f]+\]::panicking::`,
    String.raw`^core\[[0-9a-f]+\]::slice::index::slice_index_fail$`,
    String.raw`^core\[[0-9a-f]+\]::cell::panic_already_`,
    String.raw`^core\[[0-9a-f]+\]::cell::lazy::panic_poisoned$`,
    String.raw`^core\[[0-9a-f]+\]::option::(unwrap|expect)_failed$`,
    String.raw`^core\[[0-9a-f]+\]::result::unwrap_failed$`,
    String.raw`^alloc\[[0-9a-f]+\]::alloc::handle_alloc_error$`,
    // core's formatting: its free functions, the Formatter's methods, and the `fmt` methods of
    // the formatting traits (`<u32 as core::fmt::Display>::fmt`): none runs without a Formatter,
    // and only formatting makes one. Not everything named `core::fmt` (String's `fmt::Write`
    // impl is plain pushing), and not `core::str::count`, which `chars().count()` uses.
    String.raw`^core\[[0-9a-f]+\]::fmt::`,
    String.raw`^<core\[[0-9a-f]+\]::fmt::Formatter>::`,
    String.raw`^<[^>]* as core\[[0-9a-f]+\]::fmt::(Display|Debug|LowerHex|UpperHex)>::fmt$`,
  ].join("|"),
);

const sections = readSections(wasm, path);

// Function indices count imported functions first.
let importedFunctions = 0;
for (const s of sections.filter((s) => s.id === 2)) {
  let [n, pos] = readU32(wasm, s.body);
  for (let i = 0; i < n; i++) {
    [, pos] = readName(wasm, pos);
    [, pos] = readName(wasm, pos);
    const kind = wasm[pos];
    if (kind === 0) importedFunctions++;
    pos = skipImportDesc(wasm, kind, pos + 1);
  }
}

// Function names, from the `name` custom section.
const names = new Map();
for (const s of sections.filter((s) => s.id === 0)) {
  let [section, pos] = readName(wasm, s.body);
  if (section !== "name") continue;
  while (pos < s.end) {
    const sub = wasm[pos++];
    let size;
    [size, pos] = readU32(wasm, pos);
    const end = pos + size;
    if (sub === 1) {
      let n;
      [n, pos] = readU32(wasm, pos);
      for (let i = 0; i < n; i++) {
        let index, name;
        [index, pos] = readU32(wasm, pos);
        [name, pos] = readName(wasm, pos);
        names.set(index, name);
      }
    }
    pos = end;
  }
}
if (![...names.values()].some((n) => ENTRY.test(n))) {
  console.error(`snip-wasm: no ${ENTRY} in ${path} (names missing or changed)`);
  process.exit(1);
}

// The code section, each snipped body replaced by: no locals, `unreachable`, `end`.
const UNREACHABLE = Buffer.from([3, 0, 0x00, 0x0b]);
const code = sections.find((s) => s.id === 10);
let [count, pos] = readU32(wasm, code.body);
const bodies = [u32(count)];
let snipped = 0;
for (let i = 0; i < count; i++) {
  const [len, at] = readU32(wasm, pos);
  if (SNIP.test(names.get(importedFunctions + i) || "")) {
    bodies.push(UNREACHABLE);
    snipped++;
    if (process.env.SNIP_LIST) console.log(names.get(importedFunctions + i));
  } else {
    bodies.push(wasm.subarray(pos, at + len));
  }
  pos = at + len;
}
const newCode = Buffer.concat(bodies);
writeFileSync(path, assemble(wasm, sections, (s) => (s === code ? newCode : undefined)));
console.log(`[snip] ${path}: ${snipped} functions`);
