// Card numbers in any spelling. A card number is found however it is written: with spaces,
// dashes, dots, slashes, middle dots or invisible characters between its digits, in fullwidth,
// Arabic-Indic or any other script's digits. Pure: nothing but the standard library.
//
// What counts as a card-number-like run (decisions, and why):
// - Digits: each character is looked at alone after NFKC normalization. A digit is a character
//   whose NFKC form is one ASCII digit (fullwidth `４`, mathematical `𝟒`, superscript `⁴`,
//   circled `④`) or any Unicode decimal digit (Nd: Arabic-Indic `٤`, Devanagari `४`…, which
//   NFKC leaves as they are). A character whose form is several digits (`⑩` → "10") counts as
//   all of them.
// - Separators, ignored between digits: Unicode punctuation (P*: dashes incl. U+2010–U+2015,
//   dots, slashes, backslash, underscore, middle dots, colons, commas, brackets, `*`, `#`…),
//   separators (Z*: every space incl. NBSP, thin and ideographic spaces, line and paragraph
//   separators), control characters (tab, newline…), invisible format characters (Cf: zero
//   width space, soft hyphen, bidi marks), combining marks, and the symbols used as dashes or
//   slashes: `+ | ~`, U+2212 minus, U+2044 fraction slash, U+2215 division slash, U+2219 and
//   U+22C5 dot operators. Everything else, letters first, ends a run.
// - Any number of separators in a row is still one run (`4000 - 0566`, `4000..0566`): a bound
//   would be beaten by one more space, and joining too much only masks more, never less.
// - 12 or more digits is a run to mask, with no upper bound: with separators ignored, two card
//   numbers in a list ("4000 0566 5566 5556, 5454 5454 5454 5454") are one run of 32 digits,
//   and a card number can sit inside a longer string of digits. Long identifiers in free text
//   are masked too (identifier fields are exempt in mask.mjs).
// - Dates and times are not card numbers: PAS answers carry `YYYY-MM-DD` dates, and free text
//   may carry "2026-12-06 10:20:30" (14 digits once separators are ignored). Within a run, a
//   group of digits is left out (and splits the run) when it belongs to
//     * a date: exactly three groups joined by the same single `-`, `/` or `.`, either
//       year-month-day (a 4-digit year 1900–2099, month 1–12, day 1–31) or day-month-year /
//       month-day-year (1–2 digits, 1–2 digits, a 2- or 4-digit year; both 1–31, one ≤ 12);
//     * a time: exactly two or three groups joined by single `:`s (hour ≤ 24 in 1–2 digits,
//       minutes and seconds ≤ 59/60 in 2 digits), with a fraction of seconds (`.123`) and a
//       zone offset (`+01:00`, itself such a time) left out too.
//   A card number is not written that way: its groups have 3 or more digits (4-4-4-4, 4-6-5…)
//   and a year of 19xx or 20xx starts no major card brand; a date chain must be exactly three
//   groups, so `20-26-12-06-…` in pairs is no date. The digits left after dates and times are
//   counted again: "2026-12-06 4000 0566 5566 5556" still masks the card number.
//   Known false positives, which only mask: phone numbers of 12+ digits, lists of numbers
//   joined by commas, compact timestamps such as "20261206 102030".
//
// Work is linear in the length of the text (one pass to find, one over each run to mask), with
// no regular expression run on the text itself and a bounded cache of character classes.

const MIN_DIGITS = 12;
const KEEP = 4;

// One object per digit value and per separator mark, shared: classification allocates nothing.
const DIGITS = Array.from({ length: 10 }, (_, d) => Object.freeze({ digits: String(d) }));
const SEPARATORS = new Map(["-", "/", ".", ":", ",", ""].map((m) => [m, Object.freeze({ sep: m })]));

const ND = /^\p{Nd}$/u;
const ASCII_DIGIT = /^[0-9]$/;
// Symbols (S*: `+ | ~`, minus, braille blank…), modifier letters (Lm: tatweel, prolonged sound
// mark `ー`) and the fillers drawn as blanks (Hangul fillers, the sinological dot) join digits
// as readily as punctuation does.
const SEPARATOR = /^[\p{P}\p{Z}\p{S}\p{Cc}\p{Cf}\p{M}\p{Lm}\u115F\u1160\u3164\uFFA0\uA78F]$/u;
const DASH = /^[\p{Pd}\u2212]$/u;

/** What a separator means to the date and time shapes: `-`, `/`, `.`, `:`, `,`, or "" (none). */
function markOf(form) {
  if (DASH.test(form)) return "-";
  if (form === "/" || form === "\u2044" || form === "\u2215") return "/";
  return form === "." || form === ":" || form === "," ? form : "";
}

/** The value of a decimal digit NFKC leaves alone: Unicode encodes each script's 0–9 in order. */
function ndValue(cp) {
  // Back to the start of the block of digits (at most 50 long: the mathematical digits).
  let start = cp;
  for (let steps = 0; steps < 64 && start > 0 && ND.test(String.fromCodePoint(start - 1)); steps++) start--;
  return (cp - start) % 10;
}

/** A code point as a digit atom `{ digits }`, a separator `{ sep }`, or null (ends a run). */
function classify(cp) {
  const ch = String.fromCodePoint(cp);
  const form = ch.normalize("NFKC");
  if (ASCII_DIGIT.test(form)) return DIGITS[form.charCodeAt(0) - 48];
  if (ND.test(ch)) return DIGITS[ndValue(cp)];
  // A form of several characters (`⑩` → "10", `⒈` → "1.", `…` → "..."): digits and separators only.
  let digits = "";
  for (const c of form) {
    if (ASCII_DIGIT.test(c)) digits += c;
    else if (!SEPARATOR.test(c)) return null;
  }
  if (digits.length === 1) return DIGITS[digits.charCodeAt(0) - 48];
  if (digits !== "") return Object.freeze({ digits });
  return SEPARATORS.get([...form].length === 1 ? markOf(form) : "");
}

const ASCII = Array.from({ length: 128 }, (_, cp) => classify(cp));
// Bounded: a text of many distinct characters costs one classification each, not memory.
const CACHE = new Map();
const CACHE_SIZE = 4096;

/** `classify`, with ASCII from a table and other characters cached; a lone surrogate ends a run. */
function atomOf(cp) {
  if (cp < 128) return ASCII[cp];
  if (cp >= 0xd800 && cp <= 0xdfff) return null;
  let atom = CACHE.get(cp);
  if (atom === undefined) {
    atom = classify(cp);
    if (CACHE.size >= CACHE_SIZE) CACHE.clear();
    CACHE.set(cp, atom);
  }
  return atom;
}

/** Year-month-day or day-month-year / month-day-year, as the three groups of one chain. */
function isDate(a, b, c) {
  const year = (g) => g.n === 4 && g.value >= 1900 && g.value <= 2099;
  const upTo = (g, max) => g.n <= 2 && g.value >= 1 && g.value <= max;
  if (year(a)) return upTo(b, 12) && upTo(c, 31);
  return upTo(a, 31) && upTo(b, 31) && (a.value <= 12 || b.value <= 12) && (year(c) || c.n === 2);
}

/** `H:MM` or `HH:MM:SS` as the two or three groups of one chain starting at `i`. */
function isTime(g, i, len) {
  const two = (x, max) => x.n === 2 && x.value <= max;
  return g[i].n <= 2 && g[i].value <= 24 && two(g[i + 1], 59) && (len === 2 || two(g[i + 2], 60));
}

/** Flags (1) the groups of a run that belong to a date or a time; see the head of the file. */
function datesAndTimes(g) {
  const skip = new Uint8Array(g.length);
  let i = 0;
  while (i < g.length - 1) {
    const sep = g[i + 1].gap;
    if (sep !== "-" && sep !== "/" && sep !== "." && sep !== ":") {
      i++;
      continue;
    }
    // The whole chain of groups joined by this one separator: a date or time is all of it.
    let j = i + 1;
    while (j + 1 < g.length && g[j + 1].gap === sep) j++;
    const len = j - i + 1;
    const time = sep === ":" && (len === 2 || len === 3) && isTime(g, i, len);
    if (time || (sep !== ":" && len === 3 && isDate(g[i], g[i + 1], g[i + 2]))) {
      skip.fill(1, i, j + 1);
      // Fractions of a second: `10:20:30.123`.
      const f = g[j + 1];
      if (time && len === 3 && f && (f.gap === "." || f.gap === ",") && f.n <= 9 && !(g[j + 2] && g[j + 2].gap === f.gap)) skip[j + 1] = 1;
    }
    // The chain's last group may start the next chain (seconds, then their fraction).
    i = j;
  }
  return skip;
}

/** Reports each stretch of a run, between dates and times, of 12 or more digits; true: stop. */
function emitRun(groups, onSpan) {
  let total = 0;
  for (const x of groups) total += x.n;
  if (total < MIN_DIGITS) return false;
  const skip = datesAndTimes(groups);
  let first = -1;
  let n = 0;
  for (let k = 0; k <= groups.length; k++) {
    if (k < groups.length && !skip[k]) {
      if (first < 0) first = k;
      n += groups[k].n;
      continue;
    }
    if (first >= 0 && n >= MIN_DIGITS && onSpan(groups[first].start, groups[k - 1].end, n)) return true;
    first = -1;
    n = 0;
  }
  return false;
}

/**
 * One pass over the text: runs of digit groups joined by separators, each handed to `onRun`
 * (true: stop).
 * A group is digits with nothing between them; `gap` is the single separator's mark before it,
 * "" when the gap was several characters (no date or time separator), null for a run's first.
 */
function scan(text, onRun) {
  let groups = [];
  let group = null;
  let gapLength = 0;
  let gapMark = "";
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i);
    const width = cp > 0xffff ? 2 : 1;
    const atom = atomOf(cp);
    if (atom === null) {
      if (groups.length > 0 && onRun(groups)) return;
      groups = [];
      group = null;
      gapLength = 0;
    } else if (atom.digits !== undefined) {
      if (group === null || gapLength > 0) {
        group = { start: i, end: i, n: 0, value: 0, gap: group === null ? null : gapLength === 1 ? gapMark : "" };
        groups.push(group);
        gapLength = 0;
      }
      for (let k = 0; k < atom.digits.length; k++) {
        // Values matter for dates and times only, groups of at most 4 digits.
        if (group.n < 4) group.value = group.value * 10 + (atom.digits.charCodeAt(k) - 48);
        group.n++;
      }
      group.end = i + width;
    } else if (group !== null) {
      gapLength++;
      gapMark = atom.sep;
    }
    i += width;
  }
  if (groups.length > 0) onRun(groups);
}

/** The ASCII digits of `text[start, end)`. */
function digitsIn(text, start, end) {
  let out = "";
  for (let i = start; i < end; ) {
    const cp = text.codePointAt(i);
    const atom = atomOf(cp);
    if (atom !== null && atom.digits !== undefined) out += atom.digits;
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

/** `text[start, end)`, a run of `n` digits, with all but its first and last four digits `*`. */
function maskSpan(text, start, end, n) {
  const kept = (j) => j < KEEP || j >= n - KEEP;
  const out = [];
  let index = 0;
  for (let i = start; i < end; ) {
    const cp = text.codePointAt(i);
    const width = cp > 0xffff ? 2 : 1;
    const atom = atomOf(cp);
    if (atom !== null && atom.digits !== undefined) {
      const k = atom.digits.length;
      let all = true;
      for (let t = 0; t < k; t++) all &&= kept(index + t);
      // A kept digit stays as written; a character of several digits shows only its kept ones.
      if (all) out.push(text.slice(i, i + width));
      else if (k === 1) out.push("*");
      else for (let t = 0; t < k; t++) out.push(kept(index + t) ? atom.digits[t] : "*");
      index += k;
    } else {
      out.push(text.slice(i, i + width));
    }
    i += width;
  }
  return out.join("");
}

/**
 * The card-number-like runs of `text`: `[start, end)` pairs of UTF-16 indices in the original
 * string, from a run's first digit to its last, in order. A run is 12 or more digits in any
 * script, separators between them ignored, dates and times left out (see the head of this
 * file). Anything but a string has none.
 * @param {string} text
 * @returns {Array<[number, number]>}
 */
export function cardNumberSpans(text) {
  const spans = [];
  if (typeof text === "string") scan(text, (g) => emitRun(g, (start, end) => void spans.push([start, end])));
  return spans;
}

/**
 * Whether `text` holds a card-number-like run (see `cardNumberSpans`); stops at the first.
 * @param {string} text
 * @returns {boolean}
 */
export function holdsCardNumber(text) {
  let found = false;
  if (typeof text === "string") scan(text, (g) => emitRun(g, () => (found = true)));
  return found;
}

/**
 * `text` with each card-number-like run masked: its first four and last four digits kept as
 * written, every other digit `*`, separators and everything outside the runs unchanged
 * ("5454-5454-5454-5454" → "5454-****-****-5454"). The same string back when there is
 * nothing to mask; anything but a string is returned as it is.
 * @param {string} text
 * @param {(digits: string) => boolean} [select] masks only the runs whose ASCII digits it
 *   accepts (mask.mjs: a caller's known numbers inside identifiers); a throw masks the run.
 * @returns {string}
 */
export function maskCardNumbers(text, select) {
  if (typeof text !== "string") return text;
  const out = [];
  let last = 0;
  scan(text, (g) => emitRun(g, (start, end, n) => {
    if (typeof select === "function") {
      let wanted = true;
      try {
        wanted = Boolean(select(digitsIn(text, start, end)));
      } catch {
        // Fail closed: a selector that cannot answer leaves the run masked.
      }
      if (!wanted) return false;
    }
    out.push(text.slice(last, start), maskSpan(text, start, end, n));
    last = end;
    return false;
  }));
  if (out.length === 0) return text;
  out.push(text.slice(last));
  return out.join("");
}

/**
 * How many digits `text` holds, in any script, wherever they are: text the worker lets an agent
 * store (a reason, a type code) must hold fewer than 12, however it is split — by letters,
 * punctuation, or shapes that look like dates or times ("5555 4444 33:33 22:22").
 * @param {string} text
 * @returns {number}
 */
export function countDigits(text) {
  return typeof text === "string" ? digitsIn(text, 0, text.length).length : 0;
}
