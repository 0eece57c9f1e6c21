import { type Server, Service } from "@raftkit/labrpc";
import type { CallResult, Clock, PeerId, RequestHandler, Transport } from "../interfaces.js";
import { RAFT_METHODS } from "../messages.js";

/** What the adapter needs of a labrpc ClientEnd (structurally, so any look-alike works). */
export interface CallableEnd {
  call(method: string, args: unknown): Promise<CallResult<unknown>>;
}

/**
 * A labrpc call waits as long as its handler runs (the lab's semantics). With a timeout, a call
 * with no reply by then resolves `{ ok: false }`, as a real network transport's would.
 */
export interface LabrpcTimeout {
  clock: Clock;
  callTimeoutMs: number;
}

const TIMED_OUT: CallResult<never> = Object.freeze({ ok: false });

/**
 * Raft over labrpc: `ends[j]` reaches peer j (the entry for oneself is never used), and
 * incoming calls arrive as `"<service>.<method>"` on the `Service` from `service()`, which the
 * caller adds to this member's labrpc Server. `ends` may also be a function giving the end for
 * a member when first called (members added to the cluster later).
 */
export class LabrpcTransport implements Transport {
  private handler: RequestHandler | undefined;
  private readonly endTo: (to: PeerId) => CallableEnd | undefined;
  /**
   * "<service>.<method>" per method, made once: a name built per call is a new string that the
   * server's lookup must flatten and hash again (two AppendEntries per operation).
   */
  private readonly fullNames = new Map<string, string>();

  constructor(
    ends: readonly CallableEnd[] | ((to: PeerId) => CallableEnd | undefined),
    readonly serviceName = "Raft",
    private readonly timeout?: LabrpcTimeout,
  ) {
    this.endTo = typeof ends === "function" ? ends : (to) => ends[to];
  }

  call(to: PeerId, method: string, args: unknown): Promise<CallResult<unknown>> {
    const end = this.endTo(to);
    if (!end) return Promise.reject(new RangeError(`no client end for peer ${to}`));
    let name = this.fullNames.get(method);
    if (name === undefined) {
      name = `${this.serviceName}.${method}`;
      this.fullNames.set(method, name);
    }
    const call = end.call(name, args);
    const timeout = this.timeout;
    if (!timeout) return call;
    return new Promise((resolve, reject) => {
      const timer = timeout.clock.setTimer(timeout.callTimeoutMs, () => resolve(TIMED_OUT));
      call.then(
        (result) => {
          timer.cancel();
          resolve(result);
        },
        (error: unknown) => {
          timer.cancel();
          reject(error);
        },
      );
    });
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
