import type { RequestHandler } from "@raftkit/raft";

// Raft's leader-to-follower requests: hearing one means a leader is alive.
const FROM_LEADER = new Set(["AppendEntries", "InstallSnapshot"]);

/** When this member last heard from a leader, seen on its incoming requests. */
export class LeaderContact {
  #at: number | undefined;

  /** Wraps the member's request handler to note every request from a leader. */
  observe(handler: RequestHandler): RequestHandler {
    return (method, args) => {
      if (FROM_LEADER.has(method)) this.#at = performance.now();
      return handler(method, args);
    };
  }

  /** Milliseconds since then, or undefined if never. */
  get sinceMs(): number | undefined {
    return this.#at === undefined ? undefined : Math.round(performance.now() - this.#at);
  }
}
