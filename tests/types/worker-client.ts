// The worker client's declarations (pkg/npm/web/worker-client.d.ts) and the client's `signer`:
// real use compiles, wrong use does not.
import { PointsWorkerClient, PointsApiError, type WorkerIdentity } from "../../pkg/npm/web/worker-client.js";
import { PointsClient, OAuth1Signer } from "../../pkg/web/points_activity";

declare const pem: string;

async function use(): Promise<void> {
  const api = new PointsWorkerClient({ baseUrl: "https://worker.example", token: async () => "t", timeoutMs: 5000 });
  const me: WorkerIdentity = await api.me();
  const role: "consumer" | "agent" = me.role;
  const last: string | undefined = me.accounts[0]?.accountLastFour;
  await api.getPointsDetails({ accountId: "1" });
  await api.getPointsDetails();
  await api.transferPoints({ fromAccountId: "1", toAccountId: "2", points: 5 }, { signal: AbortSignal.timeout(100) });
  await api.searchUsers({ userId: "5555444433332222", userIdType: "BAN" });
  // @ts-expect-error: points is a number
  await api.transferPoints({ fromAccountId: "1", toAccountId: "2", points: "5" });
  // @ts-expect-error: no such identifier type
  await api.searchUsers({ userId: "1", userIdType: "PAN" });
  const { approvals } = await api.listApprovals();
  const first: string | undefined = approvals[0]?.approvalId;
  const waiting: number | undefined = approvals[0]?.points;
  await api.decideApproval("0f8fad5b-d9cb-469f-a165-70867728950e", { decision: "approve" }, { idempotencyKey: "decide-0001" });
  // @ts-expect-error: a decision is approve or reject
  await api.decideApproval("0f8fad5b-d9cb-469f-a165-70867728950e", { decision: "maybe" });
  void first;
  void waiting;
  // @ts-expect-error: a token is required
  new PointsWorkerClient({ baseUrl: "/" });
  try {
    await api.me();
  } catch (e) {
    if (e instanceof PointsApiError) console.log(e.status, e.reasonCode, role, last);
  }
  const signer = await OAuth1Signer.create({ consumerKey: "ck", signingKey: pem });
  const base: string = await signer.signatureBaseString("GET", "https://api.example/x", null, { nonce: "n", timestamp: "1" });
  void base;
  await PointsClient.create({ baseUrl: "https://api.example/loyalty", signer });
  await PointsClient.create({ baseUrl: "https://api.example/loyalty", signer: { consumerKey: "ck", signingKey: pem } });
  await PointsClient.create({ baseUrl: "https://api.example/loyalty", signer: { consumerKey: "ck", signingKey: pem, signatureMethod: "RSA-PSS" } });
  await OAuth1Signer.create({ consumerKey: "ck", signingKey: pem, signatureMethod: "RSA-PSS" });
  // @ts-expect-error: the two methods Mastercard's gateway accepts, no other
  await OAuth1Signer.create({ consumerKey: "ck", signingKey: pem, signatureMethod: "HMAC-SHA1" });
  // @ts-expect-error: a signer is a signer or its options
  await PointsClient.create({ baseUrl: "https://api.example/loyalty", signer: "key" });
}
void use;
