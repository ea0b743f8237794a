// `points-activity/jwe`: initialized on import, so only the operations and error classes.
export * from "./points_activity.js";
