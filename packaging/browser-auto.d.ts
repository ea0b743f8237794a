export * from "./points_activity.js";
/** In the browser build, `OAuth1Signer.create` rejects with `PointsConfigError`: sign in the proxy. */
export { OAuth1Signer, type OAuth1SignerOptions, type OAuth1Fixed } from "../web/points_activity.js";
