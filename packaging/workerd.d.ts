export * from "../web/points_activity.js";
