// OAuth1Signer in the browser build: the signing key belongs to a server or an edge worker,
// never to a page, so the signer's code is not shipped to browsers (about 7 KB gzipped). The
// name stays, and says what to do instead of failing as an undefined import.
import { PointsConfigError } from "./points_activity.js";

const message =
  "OAuth1Signer is not in the browser build of points-activity: a signing key must never reach a page. Sign in the signing proxy (an edge worker or a server, where the package's `workerd`, `node` and `deno` entries include it).";

export class OAuth1Signer {
  constructor() {
    throw new PointsConfigError(message);
  }

  static create() {
    return Promise.reject(new PointsConfigError(message));
  }
}
