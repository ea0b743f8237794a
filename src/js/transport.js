// Timing helpers for src/transport/fetch.rs: the caller's signal read safely, the signal of one
// attempt, bounded waits, and the wait between attempts. Kept in JS because each is a few lines
// here and many in bindings.
//
// A caller's `signal` is only ever touched through the platform's own getters and EventTarget
// methods: a look-alike, a Proxy or a real signal with throwing own properties cannot throw
// through the module or lie about being aborted.

const signalProto = globalThis.AbortSignal && AbortSignal.prototype;
const getter = (proto, name) => proto && Object.getOwnPropertyDescriptor(proto, name)?.get;
const abortedOf = getter(signalProto, "aborted");
const reasonOf = getter(signalProto, "reason");
const { addEventListener: listen, removeEventListener: unlisten } = EventTarget.prototype;

// Whether `s` is a genuine AbortSignal (the platform getter accepts only those).
export function isAbortSignal(s) {
  try {
    abortedOf.call(s);
    return true;
  } catch {
    return false;
  }
}

// `aborted` and `reason` of a signal that passed isAbortSignal.
export const signalAborted = (s) => abortedOf.call(s);
export const signalReason = (s) => reasonOf.call(s);

const onAbort = (s, fn) => listen.call(s, "abort", fn, { once: true });
const offAbort = (s, fn) => unlisten.call(s, "abort", fn);

// The signal for one attempt: the caller's, the time limit's, or one that fires with either.
// `timer` is returned apart so that a failure can be told apart as a timeout.
export function attemptSignal(caller, timeoutMs) {
  const timer = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  if (!caller || !timer) return { signal: caller || timer, timer };
  if (typeof AbortSignal.any === "function") {
    try {
      return { signal: AbortSignal.any([caller, timer]), timer };
    } catch {
      // Node's `any` reads the caller's own `aborted` (which may throw): link them by hand.
    }
  }
  const both = new AbortController();
  for (const s of [caller, timer]) onAbort(s, () => both.abort(reasonOf.call(s)));
  return { signal: both.signal, timer };
}

// Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && abortedOf.call(signal)) return reject(reasonOf.call(signal));
    const stop = () => {
      clearTimeout(id);
      reject(reasonOf.call(signal));
    };
    const id = setTimeout(() => {
      if (signal) offAbort(signal, stop);
      resolve();
    }, ms);
    if (signal) onAbort(signal, stop);
  });
}

// `value` adopted as `await` would (a thenable that settles synchronously, twice or by throwing
// is tamed by Promise.resolve, run inside the executor so that even a throwing `constructor`
// getter becomes a rejection), but rejected with the signal's reason as soon as it aborts: an
// injected fetch that ignores its signal, or never settles, still ends with the attempt.
export function settleWithin(value, signal) {
  return new Promise((resolve, reject) => {
    const adopted = Promise.resolve(value);
    if (!signal) return adopted.then(resolve, reject);
    if (abortedOf.call(signal)) return reject(reasonOf.call(signal));
    const stop = () => reject(reasonOf.call(signal));
    onAbort(signal, stop);
    adopted.then(
      (v) => {
        offAbort(signal, stop);
        resolve(v);
      },
      (e) => {
        offAbort(signal, stop);
        reject(e);
      },
    );
  });
}
