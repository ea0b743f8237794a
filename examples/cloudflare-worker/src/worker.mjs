// A card issuer's whole edge worker: the page's backend from points-activity, with this
// issuer's own claim names and an audit sink. Settings and secrets: wrangler.toml and README.md.
import { createPointsWorker, UserWrites, Approvals } from "points-activity/worker";

// The worker's Durable Objects, named by wrangler.toml's bindings.
export { UserWrites, Approvals };

export default createPointsWorker({
  // Your identity provider's claims: a custom role claim ("customer" or "csr") and customer number.
  user: { role: "https://bank.example/role", roles: { consumer: "customer", agent: "csr" }, customerNumber: "customer_no" },
  // Where audit lines go (here the console: Workers Logs, `wrangler tail`, Logpush).
  audit: (line) => console.log(JSON.stringify(line)),
});
