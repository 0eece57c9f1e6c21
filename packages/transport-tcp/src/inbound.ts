import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { type ByteCounters, Connection } from "./connection.js";
import {
  certificateRefusal,
  claimedMember,
  claimRefusal,
  type Identity,
  peerIdentities,
} from "./identity.js";
import { isMember, type ResolvedOptions } from "./options.js";
import {
  encodeError,
  encodeReply,
  type Hello,
  PROTOCOL_VERSION,
  type RefuseCode,
  type Request,
} from "./wire.js";

/**
 * Serves one request. `caller` is who sent it: a member id (proven by its certificate with TLS,
 * only claimed without), or the name a client gave in its handshake.
 */
export type RequestHandler = (method: string, args: unknown, caller: Identity) => unknown;

/**
 * The serving side of one accepted connection: expects a hello naming our cluster and our id
 * within the handshake timeout, then answers requests, possibly out of order.
 */
export class InboundConnection {
  private readonly connection: Connection;
  private greeted = false;
  private peerName = "an unidentified caller";
  private readonly remote: string;
  /** The member id this connection proved (by its certificate, with TLS); undefined for a client. */
  #member: number | undefined;
  #caller: Identity = { role: "client", name: "" };

  constructor(
    socket: Socket,
    private readonly options: ResolvedOptions,
    counters: ByteCounters,
    private readonly handler: () => RequestHandler | undefined,
    onClose: (inbound: InboundConnection) => void,
    private readonly onServed: () => void,
  ) {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.remote = remote;
    socket.setTimeout(options.connectTimeoutMs, () =>
      this.connection.close(new Error(`no hello within ${options.connectTimeoutMs} ms`)),
    );
    this.connection = new Connection(socket, options.maxFrameBytes, counters, options.codecs, {
      onMessage: (message) => {
        if (message.t === "hello" && !this.greeted) this.greet(message);
        else if (message.t === "req" && this.greeted) this.serve(message);
        else if (message.t === "refuse" && !this.greeted) {
          options.log("warn", `${remote} refused us: ${message.reason.slice(0, 500)}`);
          this.connection.close();
        } else this.connection.close(new Error(`unexpected "${message.t}" message`));
      },
      onClose: (error) => {
        if (error)
          options.log("error", `closed connection from ${this.peerName} (${remote}): ${error.message}`);
        onClose(this);
      },
    });
    const refusal = this.tls && certificateRefusal(this.tls, "caller");
    if (refusal) this.refuse(refusal);
  }

  close(): void {
    this.connection.close();
  }

  /** The member at the other end, once its hello is accepted; undefined for a client. */
  get member(): number | undefined {
    return this.#member;
  }

  private greet(hello: Hello): void {
    this.peerName = `"${hello.from.slice(0, 64)}"`;
    const refusal = this.refusalOf(hello);
    if (refusal) {
      const [code, reason] = refusal;
      // A member calling us by another id has a peers list that disagrees with ours: say so loudly.
      this.refuse(reason, code, code === "id" && claimedMember(hello.from) !== undefined ? "error" : "warn");
      return;
    }
    this.#member = claimedMember(hello.from);
    this.#caller =
      this.#member === undefined
        ? { role: "client", name: hello.from }
        : { role: "member", id: this.#member };
    this.greeted = true;
    this.connection.socket.setTimeout(0);
    this.connection.send({ t: "welcome" }, "welcome");
  }

  private refusalOf(hello: Hello): [RefuseCode | undefined, string] | undefined {
    const { cluster, self } = this.options;
    if (hello.v !== PROTOCOL_VERSION)
      return ["version", `protocol version ${hello.v}, we speak ${PROTOCOL_VERSION}`];
    if (hello.cluster !== cluster)
      return ["cluster", `cluster "${hello.cluster.slice(0, 64)}" is not "${cluster}"`];
    if (hello.to !== self) return ["id", `this is node ${String(self)}, not node ${hello.to}`];
    const member = claimedMember(hello.from);
    if (member !== undefined && !isMember(this.options, member))
      return [undefined, `member ${member} is not in the configuration`];
    if (!this.tls) return undefined;
    const refusal = claimRefusal(hello.from, peerIdentities(this.tls, cluster), cluster);
    return refusal === undefined ? undefined : [undefined, refusal];
  }

  /** The TLS socket, when this connection came through TLS. */
  private get tls(): TLSSocket | undefined {
    const socket = this.connection.socket as Partial<TLSSocket>;
    return typeof socket.getPeerCertificate === "function" ? (socket as TLSSocket) : undefined;
  }

  /**
   * Tells the other end why (with a code the caller can act on, if any, and our member id: a
   * caller that meant another member learns who is here), logs it, and closes.
   */
  refuse(reason: string, code?: RefuseCode, level: "warn" | "error" = "warn"): void {
    this.options.log(level, `refused ${this.peerName} (${this.remote}): ${reason}`);
    const { self } = this.options;
    this.connection.sendAndEnd({
      t: "refuse",
      reason,
      ...(code ? { code } : {}),
      ...(typeof self === "number" ? { refusedBy: self } : {}),
    });
  }

  private serve(request: Request): void {
    const { id, method, compact } = request;
    if (this.#member === undefined && this.tls && !this.options.clientMethods.has(method)) {
      this.refuse(`a client certificate may not call ${JSON.stringify(method.slice(0, 64))}`);
      return;
    }
    const handler = this.handler();
    const answer = (run: () => unknown) =>
      Promise.resolve()
        .then(run)
        .then(
          (reply) => this.reply(id, method, reply, compact),
          (error: unknown) => this.fail(id, method, error),
        );
    if (!handler) answer(() => Promise.reject(new Error("no handler is listening")));
    else answer(() => handler(method, request.args, this.#caller));
  }

  private reply(id: number, method: string, reply: unknown, compact: boolean): void {
    if (this.connection.bufferedBytes > this.options.maxQueuedBytes) {
      // The peer stopped reading: its replies would pile up here without bound.
      this.connection.close(new Error(`over ${this.options.maxQueuedBytes} bytes of replies unread`));
      return;
    }
    try {
      // A compact call gets a compact reply: its caller has the codec.
      const codec = compact ? this.options.codecs.forMethod(method) : undefined;
      this.connection.sendFrame(encodeReply(id, reply, codec, `reply of ${method}`));
      this.onServed();
    } catch (error) {
      this.fail(id, method, error);
    }
  }

  private fail(id: number, method: string, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.options.log("error", `request ${method} from ${this.peerName} failed: ${text}`);
    this.connection.sendFrame(encodeError(id, text.slice(0, 1000)));
  }
}
