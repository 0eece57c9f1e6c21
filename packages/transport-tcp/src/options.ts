import type { Address } from "./address.js";
import type { CodecTable, MethodCodec } from "./codecs.js";

/**
 * Certificates for mutual TLS: every node presents `cert` and accepts only peers signed by `ca`.
 * A member's certificate must carry the SAN URI `raftkit://<cluster>/member/<id>`, a client's
 * `raftkit://<cluster>/client/<name>` (see `memberUri`, `clientUri`).
 */
export interface TlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  ca: string | Buffer | Array<string | Buffer>;
  /** Certificate revocation lists (PEM): a revoked certificate is refused at the handshake. */
  crl?: string | Buffer | Array<string | Buffer>;
}

export type LogLevel = "info" | "warn" | "error";
export type Logger = (level: LogLevel, message: string) => void;

export interface TcpTransportOptions {
  /** Name of the cluster; connections from another cluster are refused. */
  cluster: string;
  /**
   * This node's id among `peers`, or a string naming a client that only makes calls (a clerk):
   * a client does not listen.
   */
  self: number | string;
  /** Address of every member by id ("host:port" or {host, port}); `setPeer` can change them later. */
  peers?: ReadonlyArray<string | Address>;
  /** Where a member listens; defaults to its own entry in `peers`. Port 0 picks a free port. */
  listen?: string | Address;
  /**
   * A call with no reply by then resolves `{ ok: false }` (default 2000 ms); a call gets 1 ms more
   * per KiB of its request, so that a large message is not cut off on a slow or busy link.
   */
  callTimeoutMs?: number;
  /** Giving up on a TCP connect or handshake (default 1000 ms). */
  connectTimeoutMs?: number;
  /**
   * Largest frame accepted or sent (default 64 MiB): a larger incoming one closes the
   * connection; a call whose request is larger fails (`{ ok: false }`) without being sent.
   */
  maxFrameBytes?: number;
  /**
   * Per peer: the most request bytes waiting to be written (held back while the socket says to
   * wait, or while connecting) plus those in the socket's buffer (default 64 MiB). A call that
   * would go over it fails at once (`{ ok: false }`); one call always fits. On the serving side, a
   * connection whose unread replies exceed it is closed: that peer stopped reading.
   */
  maxQueuedBytes?: number;
  /**
   * After this many calls in a row time out on an open connection with no reply in between, the
   * connection is presumed dead (a silent partition, a lost NAT entry): it is closed and the
   * next call reconnects (default 5: with raft's 150 ms heartbeats, a peer silent for about
   * callTimeoutMs + 0.6 s; 0 never).
   */
  deadLinkTimeouts?: number;
  /** Delay before reconnecting after a failure: doubles from `initialMs` up to `maxMs` (default 50..2000 ms). */
  backoff?: { initialMs: number; maxMs: number };
  /** Mutual TLS; when set, a peer without a certificate signed by `ca` cannot send a single request. */
  tls?: TlsOptions;
  /**
   * With TLS: the methods a client certificate may call (default none). Everything else — raft's
   * AppendEntries, RequestVote, InstallSnapshot — needs a member certificate.
   */
  clientMethods?: ReadonlyArray<string>;
  /**
   * The member ids allowed in (default: any). A connection claiming a member id outside it is
   * refused at the handshake, whatever its certificate; `setMembers` changes it at run time.
   */
  members?: Iterable<number>;
  /** Where connection errors are reported (default: console.error for warn/error, nothing for info). */
  log?: Logger;
  /**
   * Compact wire forms by method name (e.g. raft's `RAFT_WIRE_CODECS` and the service layer's
   * `SERVICE_WIRE_CODECS`): what every member and client of the cluster must register alike.
   * Methods without one travel in the generic form.
   */
  codecs?: Readonly<Record<string, MethodCodec | undefined>>;
}

export interface ResolvedOptions {
  cluster: string;
  self: number | string;
  callTimeoutMs: number;
  connectTimeoutMs: number;
  maxFrameBytes: number;
  maxQueuedBytes: number;
  deadLinkTimeouts: number;
  backoff: { initialMs: number; maxMs: number };
  /** Replaced by `updateTls`; read at every new connection. */
  tls: TlsOptions | undefined;
  clientMethods: ReadonlySet<string>;
  /** Replaced by `setMembers`; read at every handshake. */
  members: ReadonlySet<number> | undefined;
  log: Logger;
  codecs: CodecTable;
}

/** Whether `id` may take part as a member under the current allow-list. */
export const isMember = (options: ResolvedOptions, id: number): boolean =>
  options.members === undefined || options.members.has(id);

export const defaultLogger: Logger = (level, message) => {
  if (level !== "info") console.error(`[raftkit/transport-tcp] ${level}: ${message}`);
};
