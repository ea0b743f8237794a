// The isolate's one set of settings, token verifier, PointsClient and entitlement cache, made
// on first use and shared by the routes and the Durable Objects' alarms. A failure is not kept
// (the next request tries again) and never echoed: it could only be about the secrets.
import { PointsClient } from "../workerd/index.js";
import { verifier } from "./auth.mjs";
import { Entitlements } from "./entitlements.mjs";
import { configuration, withOverrides } from "./options.mjs";
import { readSettings } from "./settings.mjs";
import { observingFetch } from "./upstream-hints.mjs";

let state;

/** `{ settings, identify, client, ents }` for `env`; throws SettingsError or the client's error. */
export function stateFor(env) {
  if (state) return state;
  const { overrides, user } = configuration();
  const settings = readSettings(withOverrides(env, overrides));
  const client = PointsClient.create({
    baseUrl: settings.upstream,
    userManagementBaseUrl: settings.userManagement,
    encryption: { certificate: settings.certificate, decryptionKey: settings.decryptionKey },
    signer: { consumerKey: settings.consumerKey, signingKey: settings.signingKey, signatureMethod: settings.signatureMethod },
    timeoutMs: settings.timeoutMs,
    limits: settings.limits,
    fetch: observingFetch,
  });
  const ready = client.then((c) => ({ settings, identify: verifier(settings, user), client: c, ents: new Entitlements(c) }));
  state = ready;
  ready.catch(() => {
    if (state === ready) state = undefined;
  });
  return ready;
}
