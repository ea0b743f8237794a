export * from "./points_activity.js";
