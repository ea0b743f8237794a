#!/usr/bin/env node
// `npx points-activity keys …`: Mastercard credentials for deployers. `convert` turns a
// portal's PKCS#12 file into the PEM that `wrangler secret put` takes and prints the key's
// fingerprint (the `kid` Mastercard sends with responses encrypted to it); `check` tries a set
// of secrets the way the SDK will use them, before a deploy. Passwords are read from the
// terminal (or the first line of standard input when it is not one), never from arguments;
// no secret is ever printed to a terminal or in a message.
import { createRequire } from "node:module";
import { createHash, createPublicKey, verify, X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const sdk = require("../node/points_activity.js");

const USAGE = `usage:
  npx points-activity keys convert FILE.p12 [--alias NAME] [--out FILE]
      the private key as PKCS#8 PEM (to --out, mode 600, or to a pipe: never to a terminal),
      its fingerprint on standard error; the password is asked for
  npx points-activity keys check [--consumer-key KEY] [--signing-key FILE [--signing-alias NAME]
      [--signing-certificate FILE]] [--decryption-key FILE]... [--decryption-alias NAME]
      [--encryption-certificate FILE] [--at YYYY-MM-DD]
      each secret imported as the SDK imports it: the signing key signs and its certificate
      verifies; each decryption key opens what is encrypted to it; Mastercard's certificate is
      valid (at --at, default now) and its fingerprint is printed. Key files: PEM (several blocks
      for decryption keys) or PKCS#12; each PKCS#12 file takes the next password. Exit status 1
      when a check fails.`;

class UsageError extends Error {}

/** `--name value` pairs after the positional arguments; repeated names collect. */
function parse(args, known) {
  const out = { _: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) {
      out._.push(a);
      continue;
    }
    const name = a.slice(2);
    if (!known.includes(name)) throw new UsageError(`unknown option --${name.replace(/[^a-z-]/g, "?").slice(0, 40)}`);
    const value = args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    (out[name] ??= []).push(value);
  }
  return out;
}

// A piped standard input is read once; each password asked for takes its next line.
let piped;
async function nextPipedLine() {
  if (!piped) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    piped = text.split(/\r?\n/);
  }
  if (piped.length === 0) throw new UsageError("standard input has no line left for a password");
  return piped.shift();
}

/** A password from the terminal without echo, or the next line of a piped standard input. */
async function password(prompt) {
  const input = process.stdin;
  if (!input.isTTY) return nextPipedLine();
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const done = (fn) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener("data", onData);
      process.stderr.write("\n");
      fn();
    };
    const onData = (chunk) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done(() => resolve(typed));
        if (ch === "\u0003") return done(() => reject(new UsageError("cancelled")));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on("data", onData);
  });
}

/** A DER SEQUENCE whose first member is INTEGER 3: PKCS#12's PFX (a DER key starts otherwise). */
function isPkcs12(bytes) {
  if (bytes[0] !== 0x30 || bytes.length < 8) return false;
  const at = bytes[1] < 0x80 ? 2 : 2 + (bytes[1] & 0x7f);
  return bytes[at] === 0x02 && bytes[at + 1] === 0x01 && bytes[at + 2] === 0x03;
}
const fingerprintOfPublic = (key) => createHash("sha256").update(key.export({ type: "spki", format: "der" })).digest("hex");

/** The private keys of a file: each PEM block, or a PKCS#12 file's key as PEM. */
async function privateKeys(path, label, alias) {
  const bytes = readFileSync(path);
  if (isPkcs12(bytes)) {
    const options = { pkcs12: new Uint8Array(bytes), password: await password(`${label} password: `), ...(alias ? { alias } : {}) };
    const { pem } = await sdk.pkcs12ToPem(options);
    bytes.fill(0);
    return [pem];
  }
  const blocks = bytes.toString("utf8").match(/-----BEGIN ([A-Z0-9 ]+)-----[^-]*-----END \1-----/g) ?? [];
  const keys = blocks.filter((b) => /PRIVATE KEY-----/.test(b.split("\n")[0]));
  if (keys.length === 0) throw new Error(`${label}: no PEM private key in the file`);
  return keys;
}

async function convert(args) {
  const o = parse(args, ["alias", "out"]);
  if (o._.length !== 1) throw new UsageError("convert takes one PKCS#12 file");
  const out = o.out?.[0];
  if (!out && process.stdout.isTTY) throw new UsageError("a private key is not printed to a terminal: give --out FILE or pipe it (| npx wrangler secret put MC_DECRYPTION_KEY)");
  const file = new Uint8Array(readFileSync(o._[0]));
  const key = await sdk.pkcs12ToPem({ pkcs12: file, password: await password("PKCS#12 password: "), ...(o.alias ? { alias: o.alias[0] } : {}) });
  file.fill(0);
  if (out) writeFileSync(out, key.pem, { mode: 0o600, flag: "wx" });
  else process.stdout.write(key.pem);
  process.stderr.write(`RSA ${key.bits}-bit private key; fingerprint (kid): ${key.fingerprint}\n`);
  return 0;
}

/** Reports `what` as ok with `fn`'s answer, or as failed with its error; whether it passed. */
async function report(what, fn) {
  try {
    console.log(`ok    ${what}: ${await fn()}`);
    return true;
  } catch (e) {
    console.log(`FAIL  ${what}: ${e && e.message ? e.message : "failed"}`);
    return false;
  }
}

/** The signing key signs, and its certificate (when given) verifies the signature. */
async function checkSigning(o, at) {
  const [pem] = await privateKeys(o["signing-key"][0], "signing key", o["signing-alias"]?.[0]);
  const signer = await sdk.OAuth1Signer.create({ consumerKey: o["consumer-key"]?.[0] ?? "check", signingKey: pem });
  const fixed = { nonce: "check", timestamp: String(Math.floor(at.getTime() / 1000)) };
  const url = "https://api.mastercard.com/check";
  const header = await signer.authorizationHeader("GET", url, null, fixed);
  if (!o["signing-certificate"]) return "signs (no --signing-certificate to match it against)";
  const cert = new X509Certificate(readFileSync(o["signing-certificate"][0]));
  const signature = Buffer.from(decodeURIComponent(/oauth_signature="([^"]*)"/.exec(header)[1]), "base64");
  const base = Buffer.from(await signer.signatureBaseString("GET", url, null, fixed));
  if (!verify("sha256", base, cert.publicKey, signature)) throw new Error("does not match the signing certificate");
  return `signs, and matches the certificate ${fingerprintOfPublic(cert.publicKey)}`;
}

/** Each key of each decryption key file opens what is encrypted to it; whether all did. */
async function checkDecryption(o) {
  let passed = true;
  for (const path of o["decryption-key"] ?? []) {
    let keys = [];
    passed = (await report(`decryption key file ${path}`, async () => {
      keys = await privateKeys(path, "decryption key", o["decryption-alias"]?.[0]);
      return `${keys.length} key${keys.length > 1 ? "s" : ""}`;
    })) && passed;
    for (const [i, pem] of keys.entries()) {
      passed = (await report(`  key ${i + 1} of ${keys.length}`, async () => {
        const publicKey = createPublicKey(pem).export({ type: "spki", format: "pem" });
        const jwe = await sdk.encryptPayload({ check: true }, { publicKey });
        const back = await sdk.decryptPayload(jwe, { decryptionKey: pem });
        if (back?.check !== true) throw new Error("does not open what is encrypted to it");
        return `opens what is encrypted to it; fingerprint (kid) ${fingerprintOfPublic(createPublicKey(pem))}`;
      })) && passed;
    }
  }
  return passed;
}

/** Mastercard's certificate is valid at `at`; its fingerprint, the kid requests carry. */
async function checkEncryptionCertificate(path, at) {
  const text = readFileSync(path, "utf8");
  const cert = new X509Certificate(text);
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  if (at < from) throw new Error(`not valid before ${from.toISOString().slice(0, 10)}`);
  if (at > to) throw new Error(`expired on ${to.toISOString().slice(0, 10)}`);
  const days = Math.floor((to - at) / 86400000);
  const kid = await sdk.keyFingerprint(text);
  return `valid until ${to.toISOString().slice(0, 10)} (${days} days${days < 30 ? ": renew it now" : ""}); fingerprint (kid) ${kid}`;
}

async function check(args) {
  const o = parse(args, ["consumer-key", "signing-key", "signing-alias", "signing-certificate", "decryption-key", "decryption-alias", "encryption-certificate", "at"]);
  if (o._.length) throw new UsageError("check takes options only");
  if (!o["signing-key"] && !o["decryption-key"] && !o["encryption-certificate"]) throw new UsageError("nothing to check");
  const at = o.at ? new Date(`${o.at[0]}T00:00:00Z`) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError("--at must be a date, YYYY-MM-DD");
  let passed = true;
  if (o["signing-key"]) passed = (await report("signing key", () => checkSigning(o, at))) && passed;
  passed = (await checkDecryption(o)) && passed;
  if (o["encryption-certificate"]) {
    passed = (await report("Mastercard encryption certificate", () => checkEncryptionCertificate(o["encryption-certificate"][0], at))) && passed;
  }
  return passed ? 0 : 1;
}

async function main(argv) {
  const [group, command, ...rest] = argv;
  if (group !== "keys" || !["convert", "check"].includes(command)) throw new UsageError("");
  return command === "convert" ? convert(rest) : check(rest);
}

// `exitCode`, not `exit()`: a PEM written to a pipe must be flushed first.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError) {
      if (e.message) console.error(`points-activity: ${e.message}`);
      console.error(USAGE);
      process.exitCode = 2;
      return;
    }
    console.error(`points-activity: ${e && e.message ? e.message : "failed"}`);
    process.exitCode = 1;
  },
);
