// The JS half of src/task.rs: the module's futures wait on promises through these, so the
// wasm needs one callback into Rust instead of a closure per await.

// Calls `settled(slot, value, true)` when `promise` fulfils, `settled(slot, reason, false)`
// when it rejects.
export function whenSettled(promise, settled, slot) {
  promise.then(
    (value) => settled(slot, value, true),
    (reason) => settled(slot, reason, false),
  );
}

// A pending promise with the functions that settle it.
export function deferred() {
  const d = {};
  d.promise = new Promise((resolve, reject) => {
    d.resolve = resolve;
    d.reject = reject;
  });
  return d;
}
