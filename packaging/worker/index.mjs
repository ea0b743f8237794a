// `points-activity/worker`: the page's backend as a Workers module. A whole worker is
//   import { createPointsWorker, UserWrites, Approvals } from "points-activity/worker";
//   export { UserWrites, Approvals };
//   export default createPointsWorker({ /* options */ });
// with the bindings of its wrangler.toml (docs/worker.md).
import { serve } from "./handler.mjs";
import { checkOptions, configure } from "./options.mjs";

export { UserWrites } from "./user-writes.mjs";
export { Approvals } from "./approvals.mjs";
export { auditLine } from "./audit.mjs";

/**
 * The worker's module handler (`{ fetch(request, env, ctx) }`) for `options`, checked now:
 * a PointsConfigError names the option at fault. One per script.
 */
export function createPointsWorker(options) {
  const checked = checkOptions(options);
  configure(checked);
  return Object.freeze({ fetch: (request, env, ctx) => serve(request, env, ctx) });
}
