// Compiled by `tsc -p tests/types` (no emit): the generated declarations must type real use,
// and refuse what is wrong (each @ts-expect-error fails the build if its line compiles).
import {
  PointsClient, PointsError, PointsApiError, PointsValidationError, JweError,
  encryptPayload, decryptPayload, keyFingerprint,
  type PointsDetails, type PointsExpirations, type PointsAdjustmentHistory, type PointsAdjustmentResult,
  type PointsTransferResult, type UserReferences, type UserIdType, type PointsErrorCode,
} from "../../pkg/web/points_activity";

declare const pem: string;

async function use(): Promise<void> {
  const client: PointsClient = await PointsClient.create({
    baseUrl: "https://proxy.example/loyalty",
    encryption: { certificate: pem, decryptionKey: [pem, pem], requestFieldName: "encryptedData", responseFieldName: "encryptedResponse" },
    timeoutMs: 10_000,
    retry: { maxAttempts: 2 },
    headers: { "x-correlation-id": "1" },
  });
  const kind: UserIdType = "BAN";
  const details: PointsDetails = await client.getPointsDetails({ userId: "5555444433332222", userIdType: kind });
  const available: number | undefined = details.availablePoints;
  const perAccount: string | undefined = details.accounts?.[0]?.accountLastFour;
  const exp: PointsExpirations = await client.getPointsExpirations(
    { userId: "1", userIdType: "RANAC" },
    { signal: AbortSignal.timeout(1000), query: { from: "2026-01-01", limit: 10, all: true } },
  );
  const soon: string | undefined = exp.pointsExpiringSoon?.[0]?.expirationDate;
  const history: PointsAdjustmentHistory = await client.getPointsAdjustments({ userId: "1", userIdType: "RANCU" });
  const adj: PointsAdjustmentResult = await client.adjustPoints({
    bankAccountNumber: "5555444433332222", pointsToAdjust: 10, adjustmentTypeCode: "CR", adjustmentReason: "r", adjustedBy: "me",
  });
  const tr: PointsTransferResult = await client.transferPoints({
    fromBankAccountNumber: "5555444433332222", toBankAccountNumber: "5555444433331111", pointsToTransfer: 1,
    transferTypeCode: "TR", transferReason: "r", adjustedBy: "me",
  });
  const refs: UserReferences = await client.searchUserReferences({ userId: "1", userIdType: "BCN", includeOnlyPrimary: true });
  const ranac: string | undefined = refs.userReferences?.[0]?.accountDetails?.[0]?.accountId;
  const jwe: string = await encryptPayload({ a: 1 }, { certificate: pem });
  const back: unknown = await decryptPayload(jwe, { decryptionKey: pem });
  const rotated: unknown = await decryptPayload(jwe, { decryptionKey: [pem, pem] });
  const fromP12: unknown = await decryptPayload(jwe, { decryptionKey: { pkcs12: new Uint8Array(0), password: "p", alias: "k" } });
  // @ts-expect-error: a PKCS#12 file needs its password
  await decryptPayload(jwe, { decryptionKey: { pkcs12: new Uint8Array(0) } });
  const kid: string = await keyFingerprint(pem);
  void [available, perAccount, soon, history, adj, tr, ranac, back, rotated, fromP12, kid];

  try {
    await client.getPointsDetails({ userId: "1", userIdType: "RANAC" });
  } catch (e) {
    if (e instanceof PointsApiError) {
      const status: number = e.status;
      const recoverable: boolean | undefined = e.recoverable;
      const reason: string | undefined = e.errors[0]?.reasonCode;
      void [status, recoverable, reason];
    } else if (e instanceof PointsValidationError) {
      const field: string = e.field;
      void field;
    } else if (e instanceof JweError || e instanceof PointsError) {
      const code: PointsErrorCode = e.code;
      void code;
    }
  }

  // @ts-expect-error: an unknown identifier type
  await client.getPointsDetails({ userId: "1", userIdType: "IBAN" });
  // @ts-expect-error: points are a number
  await client.adjustPoints({ bankAccountNumber: "1", pointsToAdjust: "10", adjustmentTypeCode: "", adjustmentReason: "", adjustedBy: "" });
  // @ts-expect-error: a transfer needs both accounts
  await client.transferPoints({ fromBankAccountNumber: "1", pointsToTransfer: 1, transferTypeCode: "", transferReason: "", adjustedBy: "" });
  // @ts-expect-error: baseUrl is required
  await PointsClient.create({});
  // @ts-expect-error: the result is a model, not a string
  const wrong: string = await client.getPointsExpirations({ userId: "1", userIdType: "RANAC" });
  // @ts-expect-error: query values are strings, numbers or booleans
  await client.getPointsDetails({ userId: "1", userIdType: "RANAC" }, { query: { a: {} } });
  void wrong;
}
void use;
