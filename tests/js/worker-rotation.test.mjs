// A decryption-key rotation under load through the worker: MC_DECRYPTION_KEY holds the old key
// and the new one; midway through a run of reads the sandbox starts encrypting every answer to
// the new key (as Mastercard does once the portal is switched). No call may fail.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { workerChain, token } from "./worker-support.mjs";
import { IDS } from "./sandbox-support.mjs";
import { keySet, pkg } from "./helpers.mjs";

const next = keySet(2048);
let c;
after(async () => c && c.stop());

test("reads keep answering while the portal switches to the new decryption key", async () => {
  c = await workerChain({ sandboxArgs: ["--encrypt-responses", "all"], env: (sb) => ({ MC_DECRYPTION_KEY: `${sb.keys.clientKey}\n${next.key}` }) });
  const alex = await token(c.key, { sub: "alex", role: "consumer", bcn: IDS.customerA.bcn });
  const read = async (i) => {
    const accountId = i % 2 ? IDS.a1.ranac : IDS.a2.ranac;
    const res = await c.call("GET", `/api/points-details?accountId=${accountId}`, { bearer: alex });
    return { status: res.status, body: await res.text(), at: Date.now() };
  };
  const results = [];
  let switchedAt = 0;
  // Six waves of eight concurrent reads; the switch lands between the third and the fourth,
  // while the fourth wave's first reads are already in flight.
  for (let wave = 0; wave < 6; wave++) {
    const calls = Array.from({ length: 8 }, (_, i) => read(wave * 8 + i));
    if (wave === 3) {
      const res = await fetch(new URL("/_sandbox/client-certificate", c.sb.base), { method: "POST", body: next.cert });
      assert.equal(res.status, 204);
      switchedAt = Date.now();
    }
    results.push(...(await Promise.all(calls)));
  }
  const failed = results.filter((r) => r.status !== 200);
  assert.deepEqual(failed, [], `${failed.length} of ${results.length} reads failed`);
  assert.ok(results.filter((r) => r.at > switchedAt).length >= 16, "reads answered after the switch");
  for (const r of results) assert.equal(typeof JSON.parse(r.body).availablePoints, "number");

  // The switch was real: the sandbox now answers to the new key only.
  const direct = (decryptionKey) => pkg.PointsClient.create({
    baseUrl: c.sb.base,
    encryption: { certificate: c.sb.keys.mastercardCertificate, decryptionKey },
    signer: { consumerKey: c.sb.keys.consumerKey, signingKey: c.sb.keys.signingKey },
  });
  const query = { userId: IDS.a1.ranac, userIdType: "RANAC" };
  assert.equal((await (await direct(next.key)).getPointsDetails(query)).level, "ACCOUNT");
  const old = await (await direct(c.sb.keys.clientKey)).getPointsDetails(query).then(() => null, (e) => e);
  assert.equal(old?.code, "ERR_JWE_DECRYPTION_FAILED");
});
