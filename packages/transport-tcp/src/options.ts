import type { Address } from "./address.js";

/** Certificates for mutual TLS: every node presents `cert` and accepts only peers signed by `ca`. */
export interface TlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  ca: string | Buffer | Array<string | Buffer>;
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
  /** A call with no reply by then resolves `{ ok: false }` (default 2000 ms). */
  callTimeoutMs?: number;
  /** Giving up on a TCP connect or handshake (default 1000 ms). */
  connectTimeoutMs?: number;
  /** Largest frame accepted or sent (default 64 MiB); a larger one closes the connection. */
  maxFrameBytes?: number;
  /** Delay before reconnecting after a failure: doubles from `initialMs` up to `maxMs` (default 50..2000 ms). */
  backoff?: { initialMs: number; maxMs: number };
  /** Mutual TLS; when set, a peer without a certificate signed by `ca` cannot send a single request. */
  tls?: TlsOptions;
  /** Where connection errors are reported (default: console.error for warn/error, nothing for info). */
  log?: Logger;
}

export interface ResolvedOptions {
  cluster: string;
  self: number | string;
  callTimeoutMs: number;
  connectTimeoutMs: number;
  maxFrameBytes: number;
  backoff: { initialMs: number; maxMs: number };
  tls: TlsOptions | undefined;
  log: Logger;
}

export const defaultLogger: Logger = (level, message) => {
  if (level !== "info") console.error(`[raftkit/transport-tcp] ${level}: ${message}`);
};
