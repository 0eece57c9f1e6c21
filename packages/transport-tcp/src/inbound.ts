import type { Socket } from "node:net";
import { type ByteCounters, Connection } from "./connection.js";
import type { ResolvedOptions } from "./options.js";
import { type Hello, PROTOCOL_VERSION, type Request } from "./wire.js";

export type RequestHandler = (method: string, args: unknown) => unknown;

/**
 * The serving side of one accepted connection: expects a hello naming our cluster and our id
 * within the handshake timeout, then answers requests, possibly out of order.
 */
export class InboundConnection {
  private readonly connection: Connection;
  private greeted = false;
  private peerName = "unknown peer";

  constructor(
    socket: Socket,
    private readonly options: ResolvedOptions,
    counters: ByteCounters,
    private readonly handler: () => RequestHandler | undefined,
    onClose: (inbound: InboundConnection) => void,
    private readonly onServed: () => void,
  ) {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setTimeout(options.connectTimeoutMs, () =>
      this.connection.close(new Error(`no hello within ${options.connectTimeoutMs} ms`)),
    );
    this.connection = new Connection(socket, options.maxFrameBytes, counters, {
      onMessage: (message) => {
        if (message.t === "hello" && !this.greeted) this.greet(message);
        else if (message.t === "req" && this.greeted) this.serve(message);
        else this.connection.close(new Error(`unexpected "${message.t}" message`));
      },
      onClose: (error) => {
        if (error)
          options.log("error", `closed connection from ${this.peerName} (${remote}): ${error.message}`);
        onClose(this);
      },
    });
  }

  close(): void {
    this.connection.close();
  }

  private greet(hello: Hello): void {
    this.peerName = `"${hello.from.slice(0, 64)}"`;
    const refusal =
      hello.v !== PROTOCOL_VERSION
        ? `protocol version ${hello.v}, we speak ${PROTOCOL_VERSION}`
        : hello.cluster !== this.options.cluster
          ? `cluster "${hello.cluster.slice(0, 64)}" is not "${this.options.cluster}"`
          : hello.to !== this.options.self
            ? `this is node ${String(this.options.self)}, not node ${hello.to}`
            : undefined;
    if (refusal) {
      this.options.log("warn", `refused ${this.peerName}: ${refusal}`);
      this.connection.sendAndEnd({ t: "refuse", reason: refusal });
      return;
    }
    this.greeted = true;
    this.connection.socket.setTimeout(0);
    this.connection.send({ t: "welcome" }, "welcome");
  }

  private serve(request: Request): void {
    const { id, method } = request;
    const handler = this.handler();
    const answer = (run: () => unknown) =>
      Promise.resolve()
        .then(run)
        .then(
          (reply) => this.reply(id, method, reply),
          (error: unknown) => this.fail(id, method, error),
        );
    if (!handler) answer(() => Promise.reject(new Error("no handler is listening")));
    else answer(() => handler(method, request.args));
  }

  private reply(id: number, method: string, reply: unknown): void {
    try {
      this.connection.send({ t: "res", id, ok: true, reply }, `reply of ${method}`);
      this.onServed();
    } catch (error) {
      this.fail(id, method, error);
    }
  }

  private fail(id: number, method: string, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.options.log("error", `request ${method} from ${this.peerName} failed: ${text}`);
    this.connection.send({ t: "res", id, ok: false, error: text.slice(0, 1000) }, "an error reply");
  }
}
