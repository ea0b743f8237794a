// The demo's and the tests' edge worker: the package's worker with today's claims (`role` is
// "consumer" or "agent", `bcn` the customer number) and every setting from env bindings.
// examples/cloudflare-worker/ is the template to deploy.
import { createPointsWorker, UserWrites, Approvals } from "points-activity/worker";

export { UserWrites, Approvals };
export default createPointsWorker();
