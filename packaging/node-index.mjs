// The Node `import` entry: the same instance as `require("points-activity")`, with named exports.
export {
  encryptPayload, decryptPayload, importDecryptionKey, keyFingerprint, PointsClient, OAuth1Signer,
  PointsError, PointsValidationError, PointsConfigError, PointsKeyError, PointsApiError,
  PointsNetworkError, PointsTimeoutError, PointsAbortError, PointsResponseError, JweError,
} from "./points_activity.js";
