// The Approvals Durable Object: one per worker (named "approvals"), holding the agents'
// adjustments that wait for a second agent (approval-book.mjs). Reached only by this worker, by
// RPC, one transition per call, each run alone (the input gate: it awaits only storage).
import { DurableObject } from "cloudflare:workers";
import { ApprovalBook } from "./approval-book.mjs";

const OPS = new Set(["create", "list", "find", "decide", "reopen", "settle"]);

/**
 * The Durable Object class of the `APPROVALS` binding: the agents' adjustments waiting for a
 * second agent, one object per worker. Export it from the worker's script.
 */
export class Approvals extends DurableObject {
  constructor(state, env) {
    super(state, env);
    this.state = state;
  }

  /** One transition of the approvals (`op`, its `args`), by RPC; it awaits only storage, so it runs alone. */
  async run(op, args, options) {
    if (!OPS.has(op) || !args || typeof args !== "object" || !options || !Number.isInteger(options.ttlMs) || !Number.isInteger(options.staleMs)) throw new TypeError("not an operation");
    const book = new ApprovalBook(this.state.storage, options);
    return (await book[op]({ ...args, now: Date.now() })) ?? null;
  }
}
