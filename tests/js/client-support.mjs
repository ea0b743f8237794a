// Shared by the client suites: a scripted, recording fetch and a client on it.
import { pkg, fixture } from "./helpers.mjs";

export const CERT = fixture("keys/jwe-certificate.pem");
export const PRIVATE = fixture("keys/jwe-private-key.pkcs8.pem");
export const BAN = "5555444433332222";

/**
 * A fetch that plays `script` (one entry per attempt, the last one repeating): a `Response`
 * init `{ status, body, headers }`, `{ reject }` to fail like a network error, or `{ hang: true }`
 * to never answer until the request's signal aborts.
 */
export function scriptedFetch(script) {
  const calls = [];
  const fetch = (url, init) => {
    const headers = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    calls.push({ url, method: init.method, headers, body: init.body ?? null, signal: init.signal });
    const step = script[Math.min(calls.length - 1, script.length - 1)];
    if (step.reject) return Promise.reject(new TypeError(step.reject));
    if (step.hang) {
      return new Promise((_, reject) => {
        // Node's AbortSignal.timeout does not keep the process alive (a real socket would).
        const alive = setInterval(() => {}, 1000);
        const stop = () => {
          clearInterval(alive);
          reject(init.signal.reason);
        };
        if (init.signal.aborted) stop();
        init.signal.addEventListener("abort", stop, { once: true });
      });
    }
    return Promise.resolve(new Response(step.body ?? "", { status: step.status ?? 200, headers: step.headers ?? {} }));
  };
  return { fetch, calls };
}

/** A client on a scripted fetch, keys configured, fast retries. */
export async function clientOn(script, extra = {}) {
  const stub = scriptedFetch(script);
  const client = await pkg.PointsClient.create({
    baseUrl: "https://proxy.example/loyalty",
    fetch: stub.fetch,
    encryption: { certificate: CERT, decryptionKey: PRIVATE },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2000 },
    ...extra,
  });
  return { client, calls: stub.calls };
}

/** A valid input for every operation. */
export const valid = {
  getPointsDetails: () => ({ userId: "301234567890123456789012345678", userIdType: "RANAC" }),
  getPointsExpirations: () => ({ userId: "301234567890123456789012345678", userIdType: "RANAC" }),
  getPointsAdjustments: () => ({ userId: "123456789012345678", userIdType: "RANCU" }),
  adjustPoints: () => ({
    bankAccountNumber: BAN, pointsToAdjust: 1500, adjustmentTypeCode: "CR", adjustmentReason: "Goodwill", adjustedBy: "agent-7",
  }),
  transferPoints: () => ({
    fromBankAccountNumber: BAN, toBankAccountNumber: "5555444433331111", pointsToTransfer: 10,
    transferTypeCode: "TR", transferReason: "New card", adjustedBy: "self-service",
  }),
  searchUserReferences: () => ({ userId: BAN, userIdType: "BAN" }),
};
export const READS = ["getPointsDetails", "getPointsExpirations", "getPointsAdjustments"];
export const WRITES = ["adjustPoints", "transferPoints"];
