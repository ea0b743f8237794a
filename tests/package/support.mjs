// What the package tests share: where the tarball and the test keys are, and a throwaway
// project that installs the tarball by name, the way users install it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const version = /^version = "([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
/** The packed package (node scripts/package.mjs). */
export const tarball = join(root, "pkg", `points-activity-${version}.tgz`);

const fixture = (name) => readFileSync(join(root, "tests/fixtures/keys", name), "utf8");
/** Public test keys (tests/fixtures/README.md): the encryption certificate, its private key, a signing key. */
export const keys = {
  certificate: fixture("jwe-certificate.pem"),
  decryptionKey: fixture("jwe-private-key.pkcs8.pem"),
  signingKey: fixture("oauth-signing-key.pkcs8.pem"),
};
/** The certificate's fingerprint, the `kid` Mastercard expects. */
export const KID = "761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79";

/** A fresh ES module project with the tarball (and `deps`) installed; its directory. */
export function project(deps = []) {
  const dir = mkdtempSync(join(tmpdir(), "pa-consumer-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", tarball, ...deps], { cwd: dir, stdio: "ignore" });
  return dir;
}
