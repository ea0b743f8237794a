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

function readU32(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, pos];
  }
}

function u32(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}

function skipLimits(buf, pos) {
  const flags = buf[pos++];
  [, pos] = readU32(buf, pos);
  if (flags & 1) [, pos] = readU32(buf, pos);
  return pos;
}

// The sections, in order.
const sections = [];
for (let pos = 8; pos < wasm.length; ) {
  const id = wasm[pos];
  const [len, body] = readU32(wasm, pos + 1);
  sections.push({ id, start: pos, body, end: body + len });
  pos = body + len;
}

// Function indices count imported functions first.
let importedFunctions = 0;
for (const s of sections.filter((s) => s.id === 2)) {
  let [n, pos] = readU32(wasm, s.body);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      const [len, at] = readU32(wasm, pos);
      pos = at + len;
    }
    const kind = wasm[pos++];
    if (kind === 0) {
      importedFunctions++;
      [, pos] = readU32(wasm, pos);
    } else if (kind === 1) pos = skipLimits(wasm, pos + 1);
    else if (kind === 2) pos = skipLimits(wasm, pos);
    else if (kind === 3) pos += 2;
    else if (kind === 4) [, pos] = readU32(wasm, pos + 1);
    else throw new Error(`unknown import kind ${kind}`);
  }
}

// Function names, from the `name` custom section.
const names = new Map();
for (const s of sections.filter((s) => s.id === 0)) {
  let [len, pos] = readU32(wasm, s.body);
  if (wasm.subarray(pos, pos + len).toString() !== "name") continue;
  pos += len;
  while (pos < s.end) {
    const sub = wasm[pos++];
    let size;
    [size, pos] = readU32(wasm, pos);
    const end = pos + size;
    if (sub === 1) {
      let n;
      [n, pos] = readU32(wasm, pos);
      for (let i = 0; i < n; i++) {
        let index, nameLen;
        [index, pos] = readU32(wasm, pos);
        [nameLen, pos] = readU32(wasm, pos);
        names.set(index, wasm.subarray(pos, pos + nameLen).toString());
        pos += nameLen;
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
const out = [wasm.subarray(0, 8)];
for (const s of sections) {
  if (s === code) out.push(Buffer.from([10]), u32(newCode.length), newCode);
  else out.push(wasm.subarray(s.start, s.end));
}
writeFileSync(path, Buffer.concat(out));
console.log(`[snip] ${path}: ${snipped} functions`);
