import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket, type Server as TlsServer } from "node:tls";
import { type Address, parseAddress } from "./address.js";
import { CodecTable } from "./codecs.js";
import type { ByteCounters } from "./connection.js";
import { type PeerLinkError, TransportConfigError } from "./errors.js";
import { InboundConnection, type RequestHandler } from "./inbound.js";
import {
  defaultLogger,
  isMember,
  type ResolvedOptions,
  type TcpTransportOptions,
  type TlsOptions,
} from "./options.js";
import { type CallResult, PeerLink } from "./peer-link.js";

/** What a transport has done since it started. */
export interface TransportStats {
  /** Calls made (including those that failed). */
  calls: number;
  /** Calls that resolved `{ ok: false }`. */
  failedCalls: number;
  /** Requests this node answered. */
  served: number;
  /** Bytes written to and read from sockets, frame headers included. */
  bytesSent: number;
  bytesReceived: number;
  /** Request bytes waiting to be written or in the sockets' buffers now, all peers together. */
  queuedBytes: number;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0)
    throw new TransportConfigError(`${name} must be a positive number, got ${v}`);
  return v;
}

function count(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0)
    throw new TransportConfigError(`${name} must be an integer >= 0, got ${v}`);
  return v;
}

/**
 * A raftkit Transport over TCP (or mutual TLS): length-prefixed cbor-x frames, one connection per
 * peer carrying many calls at once, connect on demand, reconnect with backoff, per-call timeouts.
 * `call` never rejects for a network fault; it resolves `{ ok: false }`.
 *
 *     const t = new TcpTransport({ cluster: "demo", self: 0, peers: ["127.0.0.1:7000", ...] });
 *     t.listen((method, args) => ...);
 *     await t.start();
 */
export class TcpTransport {
  private readonly options: ResolvedOptions;
  private readonly links = new Map<number, PeerLink>();
  private readonly addresses = new Map<number, Address>();
  private readonly inbound = new Set<InboundConnection>();
  private readonly listenAt: Address | undefined;
  private readonly counters: ByteCounters & { calls: number; failedCalls: number; served: number } = {
    calls: 0,
    failedCalls: 0,
    served: 0,
    bytesSent: 0,
    bytesReceived: 0,
  };
  private handler: RequestHandler | undefined;
  private server: Server | undefined;
  private closed = false;

  constructor(options: TcpTransportOptions) {
    if (!options.cluster) throw new TransportConfigError("cluster must be a non-empty name");
    const backoff = options.backoff ?? { initialMs: 50, maxMs: 2000 };
    this.options = {
      cluster: options.cluster,
      self: options.self,
      callTimeoutMs: positive("callTimeoutMs", options.callTimeoutMs, 2000),
      connectTimeoutMs: positive("connectTimeoutMs", options.connectTimeoutMs, 1000),
      maxFrameBytes: positive("maxFrameBytes", options.maxFrameBytes, 64 * 1024 * 1024),
      maxQueuedBytes: positive("maxQueuedBytes", options.maxQueuedBytes, 64 * 1024 * 1024),
      deadLinkTimeouts: count("deadLinkTimeouts", options.deadLinkTimeouts, 5),
      backoff: {
        initialMs: positive("backoff.initialMs", backoff.initialMs, 50),
        maxMs: positive("backoff.maxMs", backoff.maxMs, 2000),
      },
      tls: options.tls,
      clientMethods: new Set(options.clientMethods ?? []),
      members: options.members === undefined ? undefined : new Set(options.members),
      log: options.log ?? defaultLogger,
      codecs: new CodecTable(options.codecs),
    };
    for (const [id, address] of (options.peers ?? []).entries())
      this.addresses.set(id, parseAddress(address));
    if (options.listen !== undefined) this.listenAt = parseAddress(options.listen);
    else if (typeof options.self === "number") this.listenAt = this.addresses.get(options.self);
  }

  /** Starts listening (members only) and resolves with the bound address; port 0 picks a free one. */
  async start(): Promise<Address | undefined> {
    if (!this.listenAt || this.server) return this.address;
    const onSocket = (socket: Socket) => {
      const inbound = new InboundConnection(
        socket,
        this.options,
        this.counters,
        () => this.handler,
        (gone) => this.inbound.delete(gone),
        () => this.counters.served++,
      );
      this.inbound.add(inbound);
    };
    const { tls } = this.options;
    const server = tls
      ? // Unauthorized certificates are refused by InboundConnection, which tells the peer why.
        createTlsServer({ ...tls, requestCert: true, rejectUnauthorized: false }, onSocket)
      : createTcpServer(onSocket);
    server.on("tlsClientError", (error: Error, socket: TLSSocket) =>
      this.options.log(
        "warn",
        `TLS handshake failed${socket.remoteAddress ? ` from ${socket.remoteAddress}:${socket.remotePort}` : ""}: ${error.message}`,
      ),
    );
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.listenAt!.port, this.listenAt!.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", (error) => this.options.log("error", `listener: ${error.message}`));
    this.server = server;
    return this.address;
  }

  /** The address the listener is bound to, once started. */
  get address(): Address | undefined {
    const bound = this.server?.address();
    return bound && typeof bound === "object" ? { host: bound.address, port: bound.port } : undefined;
  }

  /** Sets or changes where peer `id` listens. */
  setPeer(id: number, address: string | Address): void {
    const parsed = parseAddress(address);
    this.addresses.set(id, parsed);
    this.links.get(id)?.setAddress(parsed);
  }

  /**
   * Replaces the member allow-list (`undefined`: any id). Connections of members no longer in it
   * are refused and closed now, and every later handshake is checked against the new list.
   */
  setMembers(ids: Iterable<number> | undefined): void {
    this.options.members = ids === undefined ? undefined : new Set(ids);
    for (const inbound of this.inbound) {
      const id = inbound.member;
      if (id !== undefined && !isMember(this.options, id))
        inbound.refuse(`member ${id} is not in the configuration`);
    }
    for (const [id, link] of this.links) if (!isMember(this.options, id)) link.reconnect();
  }

  /**
   * Rotates the certificate, key, CA or revocation list without a restart: the listener presents
   * the new certificate and checks against the new CA from the next handshake, and every open
   * connection is closed so that each peer authenticates again (calls in flight fail).
   * Throws TransportConfigError on a transport created without TLS.
   */
  updateTls(tls: TlsOptions): void {
    if (!this.options.tls) throw new TransportConfigError("updateTls needs a transport created with `tls`");
    (this.server as TlsServer | undefined)?.setSecureContext({ ...tls });
    this.options.tls = tls;
    for (const link of this.links.values()) link.reconnect();
    for (const inbound of this.inbound) inbound.close();
  }

  listen(handler: RequestHandler): void {
    this.handler = handler;
  }

  /**
   * Calls `method` on peer `to`. Resolves the reply, or `{ ok: false }` when the peer is unknown,
   * unreachable, refused us, answered with an error, or did not answer within `timeoutMs` plus
   * 1 ms per KiB of request (so a large message is not cut off on a slow or busy link); when
   * `maxQueuedBytes` wait for that peer already; and on a member, when the request is over
   * `maxFrameBytes`. Rejects for arguments that cannot be encoded (EncodeError) and, on a client
   * (a string `self`), for a request over `maxFrameBytes` (FrameSizeError, to tell its user).
   */
  call(
    to: number,
    method: string,
    args: unknown,
    timeoutMs = this.options.callTimeoutMs,
  ): Promise<CallResult> {
    this.counters.calls++;
    const link = this.link(to);
    if (!link) {
      this.counters.failedCalls++;
      return Promise.resolve({ ok: false });
    }
    // Not async: the link's own promise is the call's (the link counts its failed calls).
    try {
      return link.call(method, args, timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Why calls to peer `id` fail at the moment: the last failed attempt to connect and shake
   * hands (connection refused, timeout, another cluster, another member at that address, ...),
   * or `undefined` once a handshake has succeeded (or before any attempt).
   */
  peerFailure(id: number): PeerLinkError | undefined {
    return this.links.get(id)?.lastFailure;
  }

  stats(): TransportStats {
    const { calls, failedCalls, served, bytesSent, bytesReceived } = this.counters;
    let queuedBytes = 0;
    for (const link of this.links.values()) queuedBytes += link.queuedBytes;
    return { calls, failedCalls, served, bytesSent, bytesReceived, queuedBytes };
  }

  /** Stops listening, closes every connection and fails calls in flight; the port is released. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const link of this.links.values()) link.stop();
    for (const inbound of this.inbound) inbound.close();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private link(to: number): PeerLink | undefined {
    if (this.closed || !isMember(this.options, to)) return undefined;
    let link = this.links.get(to);
    if (!link) {
      const address = this.addresses.get(to);
      if (!address) return undefined;
      link = new PeerLink(to, address, this.options, this.counters);
      this.links.set(to, link);
    }
    return link;
  }
}
