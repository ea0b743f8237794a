export * from "./points_activity.js";
export { default } from "./points_activity.js";
