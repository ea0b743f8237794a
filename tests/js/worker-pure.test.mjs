// The worker's pure pieces, without workerd: masking (card numbers in any spelling) and the query selector.
import { test } from "node:test";
import assert from "node:assert/strict";
import { masked, maskNumber } from "../../pkg/npm/worker/mask.mjs";
import { readSelector } from "../../pkg/npm/worker/authorize.mjs";
import { cardNumberSpans, holdsCardNumber, maskCardNumbers } from "../../pkg/npm/worker/card-numbers.mjs";
import { readFileSync } from "node:fs";

// The shared table of card-number spellings (tests/fixtures/card-numbers.json).
const CARD_VECTORS = JSON.parse(readFileSync(new URL("../fixtures/card-numbers.json", import.meta.url), "utf8")).vectors;

test("card numbers are masked by field, by value, and in free text; identifiers and unknown fields are kept", () => {
  const upstream = JSON.parse('{"customerId":"100000000000000101","accountId":"300000000000000000000000000101","accountNumber":"5555444433332222","adjustmentReason":"dispute on 5555444433332222, ref 4111111111111111","items":[{"description":"card 4000000000000002 x","transferId":"TRF-1"}],"__proto__":{"kept":true},"note":"12345678901"}');
  const out = masked(upstream, ["5555444433332222"]);
  assert.equal(out.customerId, "100000000000000101");
  assert.equal(out.accountId, "300000000000000000000000000101");
  assert.equal(out.accountNumber, "5555********2222");
  assert.equal(out.adjustmentReason, "dispute on 5555********2222, ref 4111********1111");
  assert.equal(out.items[0].description, "card 4000********0002 x");
  assert.deepEqual(Object.getOwnPropertyDescriptor(out, "__proto__").value, { kept: true }, "a member named __proto__ stays a member");
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.equal(out.note, "12345678901", "11 digits are not a card number");
  assert.equal(maskNumber("1234"), "****");
});

test("the selector is checked without any lookup", () => {
  const q = (s) => readSelector(new URLSearchParams(s));
  assert.deepEqual(q("accountId=300"), { accountId: "300", customerId: null });
  assert.deepEqual(q(""), { accountId: null, customerId: null });
  for (const bad of ["foo=1", "accountId=1&accountId=2", "accountId=", "accountId=1&customerId=2", "customerId=a%2Fb", `accountId=${"9".repeat(65)}`]) {
    assert.throws(() => q(bad), (e) => e.status === 400 && e.reasonCode === "INVALID_REQUEST", bad);
  }
});



test("card numbers in any spelling: the shared table against holdsCardNumber, maskCardNumbers and cardNumberSpans", () => {
  assert.ok(CARD_VECTORS.length >= 100);
  for (const v of CARD_VECTORS) {
    assert.equal(holdsCardNumber(v.input), v.holds, `holds: ${v.name}`);
    assert.equal(maskCardNumbers(v.input), v.masked, `masked: ${v.name}`);
    const spans = cardNumberSpans(v.input);
    assert.equal(spans.length > 0, v.holds, `spans: ${v.name}`);
    // Outside the spans nothing changes: the text before the first and after the last is kept.
    if (spans.length > 0) {
      assert.ok(v.masked.startsWith(v.input.slice(0, spans[0][0])), `before: ${v.name}`);
      assert.ok(v.masked.endsWith(v.input.slice(spans.at(-1)[1])), `after: ${v.name}`);
    }
    assert.equal(holdsCardNumber(v.masked), false, `masked twice is masked: ${v.name}`);
  }
});

test("card numbers in any spelling: the shared table through masked() on a PAS-like answer", () => {
  const answer = (reason) => ({
    level: "ACCOUNT",
    periodStartDate: "2025-12-07",
    periodEndDate: "2026-12-06",
    pointsExpiringSoon: [{ points: 50, expirationDate: "2026-12-31" }],
    adjustments: [{ adjustmentDate: "2026-12-06", points: 100, adjustmentTypeCode: "GOODWILL", adjustmentReason: reason, adjustedBy: "agent-7", accountLastFour: "5556" }],
    transfer: { transferId: "TRF-00000001", description: [reason] },
  });
  for (const v of CARD_VECTORS) {
    const out = masked(answer(v.input), []);
    const want = answer(v.masked);
    assert.deepEqual(out, want, v.name);
    // An identifier field is exempt unless it holds a number the caller is known to own.
    assert.equal(masked({ customerId: v.input }).customerId, v.input, `identifier: ${v.name}`);
  }
});

test("a caller's known number is masked however spelled, in identifiers too; others' numbers in identifiers are kept", () => {
  const known = ["4000056655665556"];
  const out = masked({ transferId: "TRF-4000-0566-5566-5556", customerId: "４０００ ０５６６ ５５６６ ５５５６", accountId: "5454-5454-5454-5454", note: "4000\u00a00566\u00a05566\u00a05556" }, known);
  assert.equal(out.transferId, "TRF-4000-****-****-5556");
  assert.equal(out.customerId, "４０００ **** **** ５５５６");
  assert.equal(out.accountId, "5454-5454-5454-5454", "identifiers are opaque references");
  assert.equal(out.note, "4000\u00a0****\u00a0****\u00a05556");
  assert.equal(masked({ accountNumber: "5454-5454-5454-5454" }).accountNumber, "5454***********5454", "a card field is masked whatever it holds");
});

// A seeded generator: the property test is the same on every run (the seed is in a failure's message).
function random(seed) {
  let s = seed >>> 0;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  return { below: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

// Digit forms: the value of each glyph, kept here apart from the module's own reading of them.
const DIGIT_FORMS = (() => {
  const forms = [];
  const block = (zero) => Array.from({ length: 10 }, (_, d) => String.fromCodePoint(zero + d));
  for (const zero of [0x30, 0xff10, 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0x1d7ce, 0x1d7f6]) forms.push(block(zero));
  forms.push(["\u24ea", ..."\u2460\u2461\u2462\u2463\u2464\u2465\u2466\u2467\u2468"]); // circled
  forms.push([..."\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"]); // superscript
  return forms;
})();
const GLYPH_VALUE = new Map(DIGIT_FORMS.flatMap((f) => f.map((g, d) => [g, d])));
const SEPARATOR_POOL = [..." \u00a0\u2007\u2009\u202f\u3000\t\n-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d.\uff0e\u2024/\u2044\\_\u00b7\u2027\u30fb\u2022:,;|+*\u200b\u00ad\u2060()[]'"];

/** Any digit a reader could see, counted without the module: NFKC digits and decimal digits. */
function digitCount(text) {
  let n = 0;
  for (const ch of text) {
    const ascii = ch.normalize("NFKC").replace(/[^0-9]/g, "").length;
    n += ascii > 0 ? ascii : /\p{Nd}/u.test(ch) ? 1 : 0;
  }
  return n;
}

/** A card number's digits spelled at random: groups of 3 to 8, one digit at a time, or unbroken. */
function spell(r, digits) {
  const form = r.below(3) === 0 ? null : r.pick(DIGIT_FORMS); // null: a form per digit
  const glyph = (d) => (form ?? r.pick(DIGIT_FORMS))[d];
  const gap = (min, max) => Array.from({ length: min + r.below(max - min + 1) }, () => r.pick(SEPARATOR_POOL)).join("");
  const mode = r.below(3);
  if (mode === 2) return digits.map(glyph).join("");
  // One digit at a time with gaps of 2 or more: a date or time separator is one character.
  if (mode === 1) return digits.map((d, i) => (i > 0 ? gap(2, 3) : "") + glyph(d)).join("");
  // Groups of 3 or more: a date or a time needs groups of 1 or 2 digits, which no card spelling has.
  let out = "";
  let i = 0;
  while (i < digits.length) {
    const rest = digits.length - i;
    const size = rest <= 8 && (rest <= 5 || r.below(2) === 0) ? rest : 3 + r.below(Math.min(8, rest - 3) - 2);
    out += (i > 0 ? gap(1, 3) : "") + digits.slice(i, i + size).map(glyph).join("");
    i += size;
  }
  return out;
}

test("property: 2,000 random card numbers in random spellings are found, and masked to at most 8 of their digits", () => {
  const seed = 20261206;
  const r = random(seed);
  for (let k = 0; k < 2000; k++) {
    const digits = Array.from({ length: 12 + r.below(8) }, () => r.below(10));
    const spelled = spell(r, digits);
    const [before, after] = [r.pick(["", "card ", "ref: ", "Dispute on ", "("]), r.pick(["", " ok", ".", ")", " refunded"])];
    const text = before + spelled + after;
    const why = `seed ${seed}, case ${k}: ${JSON.stringify(text)}`;
    assert.equal(holdsCardNumber(text), true, why);
    assert.equal(cardNumberSpans(text).length, 1, why);
    const out = maskCardNumbers(text);
    assert.ok(out.startsWith(before) && out.endsWith(after), why);
    assert.ok(digitCount(out) <= 8, `${why} → ${JSON.stringify(out)}`);
    // The digits left are the first four and the last four, as written.
    const kept = [...out].filter((ch) => GLYPH_VALUE.has(ch)).map((ch) => GLYPH_VALUE.get(ch));
    assert.deepEqual(kept, [...digits.slice(0, 4), ...digits.slice(-4)], `${why} → ${JSON.stringify(out)}`);
  }
});

test("card numbers: hostile input never throws, and the work stays linear", () => {
  for (const x of [undefined, null, 0, 4000056655665556, {}, [], new String("4000056655665556"), Symbol("s"), () => 1]) {
    assert.equal(holdsCardNumber(x), false);
    assert.deepEqual(cardNumberSpans(x), []);
    assert.equal(maskCardNumbers(x), x);
  }
  // Lone surrogates end a run and stay as they were.
  assert.equal(maskCardNumbers("\ud800 4000 0566 5566 5556 \udc00"), "\ud800 4000 **** **** 5556 \udc00");
  assert.equal(maskCardNumbers("4000 0566\udbff5566 5556"), "4000 0566\udbff5566 5556");
  // Every code point, alone and between digits: classified without a throw.
  let all = "";
  for (let cp = 0; cp <= 0x10ffff; cp += 97) all += `12${String.fromCodePoint(cp)}`;
  assert.doesNotThrow(() => maskCardNumbers(all));
  // Big inputs: one long run, a run of a million groups, a million separators, many scripts.
  const t0 = performance.now();
  const long = "4".repeat(1_000_000);
  assert.equal(maskCardNumbers(long), `4444${"*".repeat(999_992)}4444`);
  assert.equal(holdsCardNumber("1 ".repeat(1_000_000)), true);
  assert.equal(holdsCardNumber("2026-12-06 10:20:30, ".repeat(50_000)), false, "dates stay dates however many");
  assert.equal(holdsCardNumber(`1${"-".repeat(2_000_000)}1`), false);
  assert.equal(maskCardNumbers("٤".repeat(200_000)).length, 200_000);
  assert.ok(performance.now() - t0 < 10_000, "linear: a few seconds at most");
});

test("digits counted in any script, however split: what an agent's stored text may hold (fewer than 12)", async () => {
  const { countDigits } = await import("../../pkg/npm/worker/card-numbers.mjs");
  for (const v of CARD_VECTORS.filter((x) => x.digits !== undefined)) assert.equal(countDigits(v.input), v.digits, v.name);
  assert.equal(countDigits("card 5555 4444 33:33 22:22"), 16, "times and dates hide nothing");
  assert.equal(countDigits("card 5555x4444y3333z2222"), 16, "letters between the groups");
  assert.equal(countDigits("５５５５ and ٤٤٤٤ and 3333"), 12, "any script");
  for (const v of CARD_VECTORS.filter((x) => x.holds)) assert.ok(countDigits(v.input) >= 12, v.name);
  assert.equal(countDigits(42), 0);
});


test("the worker's reference in a reason is never taken for a card number by the masking", async () => {
  const { reference, tag } = await import("../../pkg/npm/worker/writes.mjs");
  // ("alex", "key-198") is one whose SHA-256 begins with 13 decimal digits ("7703142086044bea").
  for (let i = 0; i < 500; i++) {
    const ref = await reference("alex", `key-${i}`);
    assert.match(ref, /^[a-p]{16}$/);
    const reason = `Transfer by consumer ${tag(ref)}`;
    assert.equal(masked({ adjustmentReason: reason }).adjustmentReason, reason, `key-${i}`);
  }
  assert.notEqual(await reference("alex", "key-1"), await reference("sam", "key-1"), "the user is part of it");
});
