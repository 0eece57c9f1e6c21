import { type Socket, connect as tcpConnect } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import { type Address, formatAddress } from "./address.js";
import type { MethodCodec } from "./codecs.js";
import { type ByteCounters, Connection } from "./connection.js";
import {
  FrameSizeError,
  MalformedMessageError,
  type PeerFailureKind,
  PeerLinkError,
  RefusedError,
} from "./errors.js";
import { certificateRefusal, describeIdentities, memberUri, peerIdentities } from "./identity.js";
import type { ResolvedOptions } from "./options.js";
import { encodeRequest, type Message, PROTOCOL_VERSION, type RefuseCode } from "./wire.js";

export type CallResult = { ok: true; reply: unknown } | { ok: false };

interface PendingCall {
  resolve(result: CallResult): void;
  /** performance.now() after which the call fails. */
  deadline: number;
  /** The framed request, until it has been written. */
  unsent: Buffer | undefined;
  /** The codec the request was sent compact with: its reply comes back compact. */
  codec: MethodCodec | undefined;
}

/** Logged at most once per link and kind, so that a flood of failing calls stays one line. */
type Warning = "oversize" | "queue-full";

const FAILED: CallResult = Object.freeze({ ok: false });
/** How long a closing transport lets its last written requests flush before cutting the socket. */
const STOP_FLUSH_MS = 1000;

/**
 * Time a call gets on top of its timeout for the size of its request: 1 ms per KiB, so a request
 * moving at 1 MiB/s or faster is not cut off. A timeout tuned to notice a dead peer is too short
 * for a large message on a busy machine: a 4 MiB echo took up to 1.1 s on 2 cores under a load
 * average of 22, against the 300 ms the transport conformance fixture allows every call.
 */
export const transferAllowanceMs = (requestBytes: number): number => Math.ceil(requestBytes / 1024);

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
  /** Why the last attempt to connect failed; cleared by a successful handshake. */
  private failure: PeerLinkError | undefined;
  /** Why the attempt in progress is failing, when we know better than the socket error. */
  private attemptFailure: PeerLinkError | undefined;
  /** Ids of calls whose frames wait to be written, oldest first (settled ones are skipped). */
  private queue: number[] = [];
  private unsentBytes = 0;
  /** Calls in a row that timed out after being written, with no reply in between. */
  private timeoutsInARow = 0;
  private readonly warned = new Set<Warning>();
  /**
   * One timer per link fails the calls past their deadline, armed for the earliest: a timer per
   * call (a Timeout and a closure, set and cleared) was 0.9 KB of the leader's garbage per
   * one-client put (put-costs.mjs). Unreferenced while no call is pending.
   */
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweepAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly peer: number,
    private address: Address,
    private readonly options: ResolvedOptions,
    private readonly counters: ByteCounters & { failedCalls: number },
  ) {
    this.backoffMs = options.backoff.initialMs;
  }

  /** Points the link at a new address; the current connection is dropped. */
  setAddress(address: Address): void {
    this.address = address;
    this.reconnect();
  }

  /** Drops the current connection (calls in flight fail); the next call connects afresh. */
  reconnect(): void {
    this.connection?.close();
    this.retryAt = 0;
  }

  /** Request bytes not yet written plus those in the socket's buffer. */
  get queuedBytes(): number {
    return this.unsentBytes + (this.connection?.bufferedBytes ?? 0);
  }

  call(method: string, args: unknown, timeoutMs: number): Promise<CallResult> {
    const id = this.nextId++;
    // Encoding first: a value that cannot cross the wire fails at the call site, even when offline.
    const codec = this.options.codecs.forMethod(method);
    const request = encodeRequest(id, method, args, codec);
    const bytes = request.bytes;
    const { maxFrameBytes, maxQueuedBytes } = this.options;
    // Too large to send, or too much already waiting: for a member (raft) a failed call, never
    // a crash; a client is told why at the call site, so that it can tell its user.
    if (bytes.length - 4 > maxFrameBytes) {
      const error = new FrameSizeError(bytes.length - 4, maxFrameBytes);
      if (typeof this.options.self === "string") throw error;
      this.warnOnce("oversize", `${method} to peer ${this.peer}: ${error.message}; not sent`);
      return this.failedAtOnce();
    }
    const queued = this.queuedBytes;
    if (queued > 0 && queued + bytes.length > maxQueuedBytes) {
      this.warnOnce(
        "queue-full",
        `over ${maxQueuedBytes} bytes queued for peer ${this.peer} (it reads slowly or not at all); calls fail until it catches up`,
      );
      return this.failedAtOnce();
    }
    if (this.stopped || performance.now() < this.retryAt) return this.failedAtOnce();
    const deadline = performance.now() + timeoutMs + transferAllowanceMs(bytes.length);
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, deadline, unsent: bytes, codec: request.compact ? codec : undefined });
      this.armSweep(deadline);
      this.queue.push(id);
      this.unsentBytes += bytes.length;
      if (this.open) this.flush();
      else this.ensureConnecting();
    });
  }

  /** The last failed attempt to connect and shake hands, until one succeeds. */
  get lastFailure(): PeerLinkError | undefined {
    return this.failure;
  }

  /** Fails every call in flight and closes the connection for good, after flushing what was written. */
  stop(): void {
    this.stopped = true;
    // Requests still waiting for the socket to drain go into its buffer too (at most
    // maxQueuedBytes): a stopping member's last messages matter most.
    this.flush(true);
    this.connection?.end(STOP_FLUSH_MS);
    this.failAll();
    clearTimeout(this.sweepTimer);
  }

  private settle(id: number, result: CallResult): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.sweepTimer?.unref();
    // A request that timed out before it could be written is never sent.
    if (call.unsent) this.unsentBytes -= call.unsent.length;
    if (!result.ok) this.counters.failedCalls++;
    call.resolve(result);
  }

  private failedAtOnce(): Promise<CallResult> {
    this.counters.failedCalls++;
    return Promise.resolve(FAILED);
  }

  /** Makes sure the sweep runs by `deadline`. */
  private armSweep(deadline: number): void {
    if (this.sweepTimer) {
      this.sweepTimer.ref();
      if (this.sweepAt <= deadline) return;
      clearTimeout(this.sweepTimer);
    }
    this.sweepAt = deadline;
    this.sweepTimer = setTimeout(this.sweep, Math.max(0, deadline - performance.now()));
  }

  /** Fails the calls past their deadline, and arms the timer for the next one. */
  private readonly sweep = (): void => {
    this.sweepTimer = undefined;
    this.sweepAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    for (const [id, call] of this.pending) if (call.deadline <= now) this.timedOut(id);
    // A timeout may have dropped the connection, failing the rest: look again.
    let next = Number.POSITIVE_INFINITY;
    for (const call of this.pending.values()) next = Math.min(next, call.deadline);
    if (next < Number.POSITIVE_INFINITY) this.armSweep(next);
  };

  /**
   * A call got no reply in time. Several in a row on an open connection, none answered in
   * between, mean the link is dead though the socket looks open (a silent partition): drop it,
   * and the next call reconnects.
   */
  private timedOut(id: number): void {
    const written = this.pending.get(id)?.unsent === undefined;
    this.settle(id, FAILED);
    const limit = this.options.deadLinkTimeouts;
    if (!written || !this.open || limit === 0 || ++this.timeoutsInARow < limit) return;
    this.options.log(
      "warn",
      `peer ${this.peer} at ${formatAddress(this.address)}: no reply to ${limit} calls in a row; reconnecting`,
    );
    this.connection?.close(new Error(`no reply to ${limit} calls in a row`));
  }

  private warnOnce(kind: Warning, message: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    this.options.log("warn", message);
  }

  private failAll(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, FAILED);
    this.queue = [];
  }

  /**
   * Writes waiting requests in order until the socket says to wait (then "drain" resumes), or
   * all of them when stopping.
   */
  private flush(ignoreBackpressure = false): void {
    const connection = this.connection;
    if (!connection || !this.open) return;
    let next = 0;
    while (next < this.queue.length && (ignoreBackpressure || !connection.mustWait)) {
      const call = this.pending.get(this.queue[next++]!);
      if (!call?.unsent) continue;
      const bytes = call.unsent;
      call.unsent = undefined;
      this.unsentBytes -= bytes.length;
      connection.sendFrame(bytes);
    }
    if (next === this.queue.length) this.queue.length = 0;
    else this.queue = this.queue.slice(next);
  }

  private ensureConnecting(): void {
    if (this.connection || this.stopped) return;
    this.attemptFailure = undefined;
    const { host, port } = this.address;
    const { tls, connectTimeoutMs } = this.options;
    // secured() checks the certificate once the handshake is done, and tells the peer if it fails:
    // it must verify against our CA and name the member we meant to call (not a host name).
    const socket: Socket = tls
      ? tlsConnect({ host, port, ...tls, rejectUnauthorized: false, checkServerIdentity: () => undefined })
      : tcpConnect({ host, port });
    socket.setTimeout(connectTimeoutMs, () =>
      connection.close(this.failed("timeout", `no connection and handshake within ${connectTimeoutMs} ms`)),
    );
    const connection = new Connection(
      socket,
      this.options.maxFrameBytes,
      this.counters,
      this.options.codecs,
      {
        onMessage: (message) => this.receive(connection, message),
        onDrain: () => this.flush(),
        onClose: (error) => this.closed(connection, error),
      },
    );
    this.connection = connection;
    socket.once(tls ? "secureConnect" : "connect", () => {
      if (tls && !this.secured(connection, socket as TLSSocket)) return;
      const from = String(this.options.self);
      connection.send(
        { t: "hello", v: PROTOCOL_VERSION, cluster: this.options.cluster, from, to: this.peer },
        "hello",
      );
    });
  }

  /** Whether the peer's certificate names the member we called; if not, says so to both sides. */
  private secured(connection: Connection, socket: TLSSocket): boolean {
    const { cluster } = this.options;
    const identities = peerIdentities(socket, cluster);
    const refusal = certificateRefusal(socket, "member");
    if (!refusal && identities.some((i) => i.role === "member" && i.id === this.peer)) return true;
    const reason = `we called member ${this.peer} but ${refusal ?? `it presented ${describeIdentities(identities, cluster)} (expected ${memberUri(cluster, this.peer)})`}`;
    this.options.log("error", `refused peer ${this.peer} at ${formatAddress(this.address)}: ${reason}`);
    this.failed("refused", reason);
    connection.sendAndEnd({ t: "refuse", reason });
    return false;
  }

  private receive(connection: Connection, message: Message): void {
    if (message.t === "welcome" && !this.open) {
      this.open = true;
      connection.socket.setTimeout(0);
      this.backoffMs = this.options.backoff.initialMs;
      this.flush();
    } else if (message.t === "refuse") {
      const { reason, code, refusedBy } = message;
      this.failed(REFUSALS[code ?? ""] ?? "refused", `refused us: ${reason}`, refusedBy);
      connection.close(new RefusedError(this.peer, formatAddress(this.address), reason, refusedBy));
    } else if (message.t === "res" && this.open) {
      this.timeoutsInARow = 0;
      this.settle(message.id, this.resultOf(message));
    } else {
      connection.close(new Error(`unexpected "${message.t}" message from peer ${this.peer}`));
    }
  }

  /** A reply as the caller gets it: decoded from its compact form with the call's codec. */
  private resultOf(message: Extract<Message, { t: "res" }>): CallResult {
    if (!message.ok) return FAILED;
    if (!message.compact) return { ok: true, reply: message.reply };
    const codec = this.pending.get(message.id)?.codec;
    if (!codec) return FAILED; // a compact reply to a call we did not make compact: not ours to read
    try {
      return { ok: true, reply: codec.decodeReply(message.reply as unknown[]) };
    } catch {
      return FAILED;
    }
  }

  private closed(connection: Connection, error: Error | undefined): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    const wasOpen = this.open;
    this.open = false;
    this.timeoutsInARow = 0;
    if (wasOpen) this.warned.clear();
    if (error && !this.stopped) {
      // A peer that is down is ordinary in a cluster; a peer speaking garbage or refusing our
      // certificate is not.
      const text =
        error instanceof RefusedError
          ? error.message
          : `connection to peer ${this.peer} at ${formatAddress(this.address)}: ${error.message}`;
      this.options.log(isOrdinaryFailure(error) ? "info" : "error", text);
    }
    this.failAll();
    if (!wasOpen && !this.stopped) {
      this.failure =
        this.attemptFailure ??
        this.failed(kindOf(error), error?.message ?? "connection closed before the handshake");
    }
    if (!wasOpen && !this.stopped) {
      // Never got through: wait before trying again, longer each time.
      this.retryAt = performance.now() + this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.options.backoff.maxMs);
    }
  }
  /** Records why the attempt in progress failed. */
  private failed(kind: PeerFailureKind, detail: string, refusedBy?: number): PeerLinkError {
    const address = formatAddress(this.address);
    this.attemptFailure = new PeerLinkError(kind, this.peer, address, detail, refusedBy);
    return this.attemptFailure;
  }
}

const REFUSALS: Record<string, PeerFailureKind | undefined> = {
  version: "wrong-version",
  cluster: "wrong-cluster",
  id: "wrong-id",
} satisfies Record<RefuseCode, PeerFailureKind>;

function kindOf(error: Error | undefined): PeerFailureKind {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ECONNREFUSED") return "connection-refused";
  if (code === "ETIMEDOUT") return "timeout";
  return error instanceof MalformedMessageError || error instanceof RefusedError ? "refused" : "network";
}

/** Network faults (refused, reset, timed out) as opposed to bad bytes or a failed authentication. */
function isOrdinaryFailure(error: Error): boolean {
  if (
    error instanceof RefusedError ||
    error instanceof FrameSizeError ||
    error instanceof MalformedMessageError
  )
    return false;
  const code = (error as { code?: unknown }).code;
  return !(typeof code === "string" && /SSL|CERT|UNABLE_TO|VERIFY/.test(code));
}
