// `npx points-activity keys` (packaging/bin/points-activity.mjs, run from the assembled
// package): PKCS#12 to the PEM `wrangler secret put` takes, with the key's fingerprint; a set
// of secrets checked before a deploy. Passwords come on standard input, never as arguments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pkg, fixture, fixturePath, root } from "./helpers.mjs";

const TOOL = join(root, "pkg", "npm", "bin", "points-activity.mjs");
const PASSWORD = "portal-pass";
const run = (args, input = "") => spawnSync(process.execPath, [TOOL, ...args], { input, encoding: "utf8", timeout: 60_000 });
const samePrivate = (a, b) => createPrivateKey(a).export({ type: "pkcs8", format: "der" }).equals(createPrivateKey(b).export({ type: "pkcs8", format: "der" }));

test("convert writes the key as PEM and names its fingerprint, the kid Mastercard sends", async () => {
  const kid = await pkg.keyFingerprint(fixture("keys/jwe-certificate.pem"));
  for (const file of ["jwe-modern", "jwe-legacy", "jwe-keytool"]) {
    const r = run(["keys", "convert", fixturePath(`keys/${file}.p12`)], `${PASSWORD}\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(samePrivate(r.stdout, fixture("keys/jwe-private-key.pkcs8.pem")), file);
    assert.match(r.stderr, new RegExp(`fingerprint \\(kid\\): ${kid}`));
    assert.ok(!r.stderr.includes(PASSWORD));
  }
  const dir = mkdtempSync(join(tmpdir(), "pa-tool-"));
  const out = join(dir, "signing.pem");
  const r = run(["keys", "convert", fixturePath("keys/two-keys.p12"), "--alias", "mc-signing", "--out", out], `${PASSWORD}\n`);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(samePrivate(readFileSync(out, "utf8"), fixture("keys/oauth-signing-key.pkcs8.pem")));
  assert.equal(statSync(out).mode & 0o777, 0o600);
  // Never over an existing file.
  assert.equal(run(["keys", "convert", fixturePath("keys/two-keys.p12"), "--alias", "mc-signing", "--out", out], `${PASSWORD}\n`).status, 1);
});

test("convert refuses a wrong password, several keys without an alias, and a password given as an argument", () => {
  const wrong = run(["keys", "convert", fixturePath("keys/jwe-modern.p12")], "not-the-password\n");
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /password is wrong/);
  assert.ok(!wrong.stderr.includes("not-the-password") && wrong.stdout === "");
  const several = run(["keys", "convert", fixturePath("keys/two-keys.p12")], `${PASSWORD}\n`);
  assert.equal(several.status, 1);
  assert.match(several.stderr, /alias/);
  const argument = run(["keys", "convert", fixturePath("keys/jwe-modern.p12"), "--password", PASSWORD]);
  assert.equal(argument.status, 2);
  assert.ok(!argument.stderr.includes(PASSWORD));
});

test("check passes a good set, and names what is wrong in a bad one", () => {
  const dir = mkdtempSync(join(tmpdir(), "pa-check-"));
  const signingCert = join(dir, "signing-cert.pem");
  spawnSync("openssl", ["req", "-x509", "-key", fixturePath("keys/oauth-signing-key.pkcs8.pem"), "-subj", "/CN=check", "-days", "2", "-out", signingCert]);
  const both = join(dir, "decryption.pem");
  writeFileSync(both, `${fixture("keys/jwe-private-key.pkcs1.pem")}\n${fixture("keys/oauth-signing-key.pkcs8.pem")}`);
  const good = run(["keys", "check", "--consumer-key", "ck!1", "--signing-key", fixturePath("keys/oauth-signing-key.pkcs8.pem"),
    "--signing-certificate", signingCert, "--decryption-key", both, "--decryption-key", fixturePath("keys/jwe-legacy.p12"),
    "--encryption-certificate", fixturePath("keys/jwe-certificate.pem")], `${PASSWORD}\n`);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /ok {4}signing key: signs, and matches the certificate/);
  assert.equal(good.stdout.match(/opens what is encrypted to it/g).length, 3);
  assert.match(good.stdout, /ok {4}Mastercard encryption certificate: valid until 2029-02-18 .*fingerprint \(kid\) 761b003c/);
  const bad = run(["keys", "check", "--signing-key", fixturePath("keys/jwe-private-key.pkcs8.pem"), "--signing-certificate", signingCert,
    "--decryption-key", fixturePath("keys/jwe-certificate.pem"), "--encryption-certificate", fixturePath("keys/jwe-certificate.pem"), "--at", "2030-01-01"]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /FAIL {2}signing key: does not match the signing certificate/);
  assert.match(bad.stdout, /FAIL {2}decryption key file .*no PEM private key/);
  assert.match(bad.stdout, /FAIL {2}Mastercard encryption certificate: expired on 2029-02-18/);
  assert.match(run(["keys", "check", "--encryption-certificate", fixturePath("keys/jwe-certificate.pem"), "--at", "2029-02-01"]).stdout, /renew it now/);
  for (const secret of ["PRIVATE KEY", PASSWORD]) assert.ok(!(good.stdout + good.stderr + bad.stdout + bad.stderr).includes(secret));
});

test("check reads one password line per PKCS#12 file, and takes an alias for a file of several keys", () => {
  const r = run(["keys", "check", "--signing-key", fixturePath("keys/two-keys.p12"), "--signing-alias", "mc-signing",
    "--decryption-key", fixturePath("keys/jwe-legacy.p12"), "--decryption-key", fixturePath("keys/jwe-keytool.p12")], `${PASSWORD}\n${PASSWORD}\n${PASSWORD}\n`);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout.match(/opens what is encrypted to it/g).length, 2);
  const short = run(["keys", "check", "--decryption-key", fixturePath("keys/jwe-legacy.p12"), "--decryption-key", fixturePath("keys/jwe-modern.p12")], `${PASSWORD}\n`);
  assert.equal(short.status, 1);
  assert.match(short.stdout, /FAIL {2}decryption key file .*jwe-modern.*password is wrong|no line left/);
});
