import { type Socket, connect as tcpConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { type Address, formatAddress } from "./address.js";
import { type ByteCounters, Connection } from "./connection.js";
import { FrameSizeError, MalformedMessageError } from "./errors.js";
import { frame } from "./frame-decoder.js";
import type { ResolvedOptions } from "./options.js";
import { encodeMessage, type Message, PROTOCOL_VERSION } from "./wire.js";

export type CallResult = { ok: true; reply: unknown } | { ok: false };

interface PendingCall {
  resolve(result: CallResult): void;
  timer: NodeJS.Timeout;
  /** The framed request, until it has been written. */
  unsent: Buffer | undefined;
}

const FAILED: CallResult = Object.freeze({ ok: false });

/**
 * Our side of the calls to one peer: a single connection, opened on demand and shared by every
 * call in flight (matched by request id), reopened after a failure with exponential backoff.
 */
export class PeerLink {
  private connection: Connection | undefined;
  private open = false;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private retryAt = 0;
  private backoffMs: number;
  private stopped = false;

  constructor(
    private readonly peer: number,
    private address: Address,
    private readonly options: ResolvedOptions,
    private readonly counters: ByteCounters,
  ) {
    this.backoffMs = options.backoff.initialMs;
  }

  /** Points the link at a new address; the current connection is dropped. */
  setAddress(address: Address): void {
    this.address = address;
    this.connection?.close();
    this.retryAt = 0;
  }

  call(method: string, args: unknown, timeoutMs: number): Promise<CallResult> {
    const id = this.nextId++;
    // Encoding first: a value that cannot cross the wire fails at the call site, even when offline.
    const bytes = frame(encodeMessage({ t: "req", id, method, args }, `arguments of ${method}`));
    if (bytes.length - 4 > this.options.maxFrameBytes) {
      throw new FrameSizeError(bytes.length - 4, this.options.maxFrameBytes);
    }
    if (this.stopped || performance.now() < this.retryAt) return Promise.resolve(FAILED);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, FAILED), timeoutMs);
      this.pending.set(id, { resolve, timer, unsent: bytes });
      if (this.open) this.flush();
      else this.ensureConnecting();
    });
  }

  /** Fails every call in flight and closes the connection for good. */
  stop(): void {
    this.stopped = true;
    this.connection?.close();
    this.failAll();
  }

  private settle(id: number, result: CallResult): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    clearTimeout(call.timer);
    call.resolve(result);
  }

  private failAll(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, FAILED);
  }

  private flush(): void {
    const connection = this.connection;
    if (!connection) return;
    for (const call of this.pending.values()) {
      if (call.unsent) {
        connection.sendFrame(call.unsent);
        call.unsent = undefined;
      }
    }
  }

  private ensureConnecting(): void {
    if (this.connection || this.stopped) return;
    const { host, port } = this.address;
    const { tls, connectTimeoutMs } = this.options;
    const socket: Socket = tls
      ? tlsConnect({
          host,
          port,
          key: tls.key,
          cert: tls.cert,
          ca: tls.ca,
          checkServerIdentity: () => undefined,
        })
      : tcpConnect({ host, port });
    socket.setTimeout(connectTimeoutMs, () =>
      connection.close(new Error(`no handshake within ${connectTimeoutMs} ms`)),
    );
    const connection = new Connection(socket, this.options.maxFrameBytes, this.counters, {
      onMessage: (message) => this.receive(connection, message),
      onClose: (error) => this.closed(connection, error),
    });
    this.connection = connection;
    socket.once(tls ? "secureConnect" : "connect", () => {
      const from = String(this.options.self);
      connection.send(
        { t: "hello", v: PROTOCOL_VERSION, cluster: this.options.cluster, from, to: this.peer },
        "hello",
      );
    });
  }

  private receive(connection: Connection, message: Message): void {
    if (message.t === "welcome" && !this.open) {
      this.open = true;
      connection.socket.setTimeout(0);
      this.backoffMs = this.options.backoff.initialMs;
      this.flush();
    } else if (message.t === "refuse") {
      const reason = `peer ${this.peer} at ${formatAddress(this.address)} refused us: ${message.reason}`;
      connection.close(new MalformedMessageError(reason));
    } else if (message.t === "res" && this.open) {
      this.settle(message.id, message.ok ? { ok: true, reply: message.reply } : FAILED);
    } else {
      connection.close(new Error(`unexpected "${message.t}" message from peer ${this.peer}`));
    }
  }

  private closed(connection: Connection, error: Error | undefined): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    const wasOpen = this.open;
    this.open = false;
    if (error && !this.stopped) {
      // A peer that is down is ordinary in a cluster; a peer speaking garbage is not.
      const level =
        error instanceof MalformedMessageError || error instanceof FrameSizeError ? "error" : "info";
      this.options.log(
        level,
        `connection to peer ${this.peer} at ${formatAddress(this.address)}: ${error.message}`,
      );
    }
    this.failAll();
    if (!wasOpen && !this.stopped) {
      // Never got through: wait before trying again, longer each time.
      this.retryAt = performance.now() + this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.options.backoff.maxMs);
    }
  }
}
