// The Approvals Durable Object: one per worker (named "approvals"), holding the agents'
// adjustments that wait for a second agent (approval-book.mjs). Reached only by this worker,
// with one JSON operation per request, each run alone.
import { ApprovalBook } from "./approval-book.mjs";

const OPS = new Set(["create", "list", "decide", "reopen"]);

export class Approvals {
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
    if (!OPS.has(op) || !args || typeof args !== "object" || !options || !Number.isInteger(options.ttlMs)) {
      return new Response("not an operation", { status: 400 });
    }
    const book = new ApprovalBook(this.state.storage, options);
    const out = await this.state.blockConcurrencyWhile(() => book[op]({ ...args, now: Date.now() }));
    return Response.json(out ?? null);
  }
}
