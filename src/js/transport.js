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

// `value` adopted as `await` would (a thenable that settles synchronously, twice or by throwing
// is tamed by Promise.resolve), but rejected with the signal's reason as soon as it aborts: an
// injected fetch that ignores its signal, or never settles, still ends with the attempt.
export function settleWithin(value, signal) {
  const adopted = Promise.resolve(value);
  if (!signal) return adopted;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    adopted.then(
      (v) => { signal.removeEventListener("abort", onAbort); resolve(v); },
      (e) => { signal.removeEventListener("abort", onAbort); reject(e); },
    );
  });
}
