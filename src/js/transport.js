// Timing helpers for src/transport/fetch.rs: the signal of one attempt and the wait between
// attempts. Kept in JS because both are a few lines here and many in bindings.

// The signal for one attempt: the caller's, the time limit's, or one that fires with either.
// `timer` is returned apart so that a failure can be told apart as a timeout.
export function attemptSignal(caller, timeoutMs) {
  const timer = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  if (!caller || !timer) return { signal: caller || timer, timer };
  if (typeof AbortSignal.any === "function") return { signal: AbortSignal.any([caller, timer]), timer };
  const both = new AbortController();
  for (const s of [caller, timer]) s.addEventListener("abort", () => both.abort(s.reason), { once: true });
  return { signal: both.signal, timer };
}

// Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(id);
      reject(signal.reason);
    };
    const id = setTimeout(() => {
      if (signal) signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal) signal.addEventListener("abort", onAbort, { once: true });
  });
}
