import { type Server, Service } from "@raftkit/labrpc";
import type { CallResult, PeerId, RequestHandler, Transport } from "../interfaces.js";
import { RAFT_METHODS } from "../messages.js";

/** What the adapter needs of a labrpc ClientEnd (structurally, so any look-alike works). */
export interface CallableEnd {
  call(method: string, args: unknown): Promise<CallResult<unknown>>;
}

/**
 * Raft over labrpc: `ends[j]` reaches peer j (the entry for oneself is never used), and
 * incoming calls arrive as `"<service>.<method>"` on the `Service` from `service()`, which the
 * caller adds to this member's labrpc Server.
 */
export class LabrpcTransport implements Transport {
  private handler: RequestHandler | undefined;

  constructor(
    private readonly ends: readonly CallableEnd[],
    readonly serviceName = "Raft",
  ) {}

  call(to: PeerId, method: string, args: unknown): Promise<CallResult<unknown>> {
    const end = this.ends[to];
    if (!end) return Promise.reject(new RangeError(`no client end for peer ${to}`));
    return end.call(`${this.serviceName}.${method}`, args);
  }

  listen(handler: RequestHandler): void {
    this.handler = handler;
  }

  /** The labrpc Service answering raft's RPCs with the handler given to `listen`. */
  service(): Service {
    const handlers: Record<string, (args: never) => unknown> = {};
    for (const method of RAFT_METHODS) {
      handlers[method] = (args: unknown) => {
        if (!this.handler) throw new Error("raft has not started listening on this transport yet");
        return this.handler(method, args);
      };
    }
    return new Service(this.serviceName, handlers);
  }

  /** Adds `service()` to a labrpc server. */
  register(server: Server): void {
    server.addService(this.service());
  }
}
