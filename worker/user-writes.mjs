// The UserWrites Durable Object: one per user (named by the token's `sub`), holding that user's
// idempotency keys and write rate (key-book.mjs). Reached only by this worker, with one JSON
// operation per request; each runs alone (blockConcurrencyWhile) and its writes are stored
// before its answer leaves.
import { KeyBook } from "./key-book.mjs";

const OPS = new Set(["admit", "begin", "done", "unknown", "forget", "resend"]);

export class UserWrites {
  constructor(state) {
    this.state = state;
  }

  async fetch(request) {
    let op;
    let args;
    let options;
    try {
      ({ op, args, options } = await request.json());
    } catch {
      return new Response("not an operation", { status: 400 });
    }
    if (!OPS.has(op) || !args || typeof args !== "object" || !options || typeof options !== "object") {
      return new Response("not an operation", { status: 400 });
    }
    const book = new KeyBook(this.state.storage, options);
    // The object's own clock: every transition of one user is timed by one clock.
    const now = Date.now();
    const out = await this.state.blockConcurrencyWhile(() => book[op]({ ...args, now }));
    return Response.json(out ?? null);
  }
}
