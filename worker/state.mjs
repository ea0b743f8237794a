// The isolate's one set of settings, token verifier, PointsClient and entitlement cache, made
// on first use and shared by the routes and the Durable Objects' alarms. A failure is not kept
// (the next request tries again) and never echoed: it could only be about the secrets.
import { initSync, PointsClient } from "./pkg/points_activity.js";
import wasm from "./pkg/points_activity_bg.wasm";
import { verifier } from "./auth.mjs";
import { Entitlements } from "./entitlements.mjs";
import { readSettings } from "./settings.mjs";
import { observingFetch } from "./upstream-hints.mjs";

initSync({ module: wasm });

let state;

/** `{ settings, identify, client, ents }` for `env`; throws SettingsError or the client's error. */
export function stateFor(env) {
  if (state) return state;
  const settings = readSettings(env);
  const client = PointsClient.create({
    baseUrl: settings.upstream,
    userManagementBaseUrl: settings.userManagement,
    encryption: { certificate: settings.certificate, decryptionKey: settings.decryptionKey },
    signer: { consumerKey: settings.consumerKey, signingKey: settings.signingKey },
    timeoutMs: settings.timeoutMs,
    limits: settings.limits,
    fetch: observingFetch,
  });
  const ready = client.then((c) => ({ settings, identify: verifier(settings), client: c, ents: new Entitlements(c) }));
  state = ready;
  ready.catch(() => {
    if (state === ready) state = undefined;
  });
  return ready;
}
