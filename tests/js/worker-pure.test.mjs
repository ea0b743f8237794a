// The worker's pure pieces, without workerd: masking and the query selector.
import { test } from "node:test";
import assert from "node:assert/strict";
import { masked, maskNumber } from "../../worker/mask.mjs";
import { readSelector } from "../../worker/authorize.mjs";

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
