// A recording fetch for the client's tests: answers from a script of replies and keeps every
// request it was given (method, URL, headers as a plain object, body text).
export function recordingFetch(replies) {
  const calls = [];
  const fetch = async (url, init) => {
    const headers = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    calls.push({ url, method: init.method, headers, body: init.body === undefined ? null : init.body });
    const r = replies[Math.min(calls.length - 1, replies.length - 1)];
    if (r.reject) throw new TypeError(r.reject);
    return new Response(r.body === undefined ? "" : r.body, { status: r.status || 200, headers: r.headers || {} });
  };
  return { fetch, calls };
}
