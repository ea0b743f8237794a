// Reading and writing the parts of the wasm binary format that the build's rewrites touch
// (scripts/snip-wasm.mjs, scripts/minify-web.mjs): LEB128 integers, names, sections, imports.

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** An unsigned LEB128 at `pos`: `[value, position after it]`. */
export function readU32(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, pos];
  }
}

/** `n` as an unsigned LEB128. */
export function u32(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}

/** A name (length, then UTF-8) at `pos`: `[text, position after it]`. */
export function readName(buf, pos) {
  const [len, at] = readU32(buf, pos);
  return [utf8.decode(buf.subarray(at, at + len)), at + len];
}

/** `text` encoded as a name. */
export function name(text) {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([u32(bytes.length), bytes]);
}

// Skips a `limits` (tables and memories): a flag byte, the minimum, and the maximum if flagged.
function skipLimits(buf, pos) {
  const flags = buf[pos++];
  [, pos] = readU32(buf, pos);
  if (flags & 1) [, pos] = readU32(buf, pos);
  return pos;
}

/** The end of an import's description of `kind` (function, table, memory, global, tag). */
export function skipImportDesc(buf, kind, pos) {
  switch (kind) {
    case 0: return readU32(buf, pos)[1];
    case 1: return skipLimits(buf, pos + 1);
    case 2: return skipLimits(buf, pos);
    case 3: return pos + 2;
    case 4: return readU32(buf, pos + 1)[1];
    default: throw new Error(`unknown import kind ${kind}`);
  }
}

/** The module's sections in order, each `{ id, start, body, end }` (offsets into `wasm`). */
export function sections(wasm, path) {
  if (wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1) {
    throw new Error(`${path} is not a wasm module`);
  }
  const out = [];
  for (let pos = 8; pos < wasm.length; ) {
    const id = wasm[pos];
    const [size, body] = readU32(wasm, pos + 1);
    out.push({ id, start: pos, body, end: body + size });
    pos = body + size;
  }
  return out;
}

/** The module rebuilt from its sections, with `replace(section)` giving a new body or nothing. */
export function assemble(wasm, list, replace) {
  const out = [wasm.subarray(0, 8)];
  for (const s of list) {
    const body = replace(s);
    if (body) out.push(Buffer.from([s.id]), u32(body.length), body);
    else out.push(wasm.subarray(s.start, s.end));
  }
  return Buffer.concat(out);
}
