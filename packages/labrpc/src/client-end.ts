import type { EndName } from "./network.js";

/** The outcome of a call: the reply, or a failure (request lost, reply lost, server dead or unreachable). */
export type CallResult<Reply> = { ok: true; reply: Reply } | { ok: false };

type Send = (method: string, args: unknown) => Promise<CallResult<unknown>>;

/** A named client endpoint on a Network. Make one with `network.makeEnd(name)`. */
export class ClientEnd {
  readonly name: EndName;
  private readonly send: Send;

  /** @internal use Network.makeEnd */
  constructor(name: EndName, send: Send) {
    this.name = name;
    this.send = send;
  }

  /**
   * Calls `"Service.Method"` with `args` and resolves with the reply or `{ ok: false }`. Never
   * rejects for a network fault. Rejects with EncodeError when `args` or the reply cannot be
   * encoded, UnknownMethodError for a name the server does not have, and RemoteHandlerError when
   * the handler throws. `Reply` is what the caller expects; nothing checks it at run time.
   */
  call<Reply = unknown>(method: string, args: unknown): Promise<CallResult<Reply>> {
    return this.send(method, args) as Promise<CallResult<Reply>>;
  }
}
