// `points-activity/jwe` in Node: the `jwe` build instantiated from the `.wasm` next to it
// (Node's fetch cannot read files, which the web glue's own loader would need).
import { readFileSync } from "node:fs";
import { initSync } from "./points_activity.js";

initSync({ module: readFileSync(new URL("points_activity_bg.wasm", import.meta.url)) });

export * from "./points_activity.js";
