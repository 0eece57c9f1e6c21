/** A frame's declared length is zero or over the configured limit. */
export class FrameSizeError extends Error {
  override readonly name = "FrameSizeError";
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super(length === 0 ? "empty frame" : `frame of ${length} bytes is over the limit of ${limit} bytes`);
  }
}

/** A frame's bytes are not a message of the protocol: not CBOR, wrong shape, or a forbidden key. */
export class MalformedMessageError extends Error {
  override readonly name = "MalformedMessageError";
}

/** A value could not be encoded for the wire (a function, a symbol, a cycle, ...). */
export class EncodeError extends Error {
  override readonly name = "EncodeError";
  constructor(what: string, cause: unknown) {
    super(`cannot encode ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Why a peer could not be reached; `PeerLinkError.kind` says which. */
export type PeerFailureKind =
  /** Nothing listens at the address (ECONNREFUSED). */
  | "connection-refused"
  /** No TCP connection or no handshake reply within `connectTimeoutMs`. */
  | "timeout"
  /** Another network error (host unreachable, reset, name not found, TLS failure, ...). */
  | "network"
  /** The peer belongs to another cluster (its `cluster` name differs). */
  | "wrong-cluster"
  /** The member at the address has another id: our peers list and the cluster disagree. */
  | "wrong-id"
  /** The peer speaks another protocol version. */
  | "wrong-version"
  /** The peer refused the handshake for another reason, or sent what is not our protocol. */
  | "refused";

/**
 * The last failed attempt to reach a peer (see `TcpTransport.peerFailure`): calls to it resolve
 * `{ ok: false }` meanwhile. Its message names the peer, its address and what went wrong.
 */
export class PeerLinkError extends Error {
  override readonly name = "PeerLinkError";
  readonly code = "ERR_RAFTKIT_PEER_LINK";
  constructor(
    readonly kind: PeerFailureKind,
    readonly peer: number,
    readonly address: string,
    /** What went wrong, without the peer and address: for people, not to be parsed. */
    readonly detail: string,
    /**
     * The member that answered at the address and refused the handshake, when its refusal said
     * (peers before this field was added do not): with `wrong-id`, the member found there.
     */
    readonly refusedBy?: number,
  ) {
    super(`peer ${peer} at ${address}: ${detail}`);
  }
}

/** A bad option passed to the transport. */
export class TransportConfigError extends Error {
  override readonly name = "TransportConfigError";
}

/**
 * The peer we called refused our handshake or a request; `reason` is what it said (for people),
 * `refusedBy` the id of the member that refused, when it said.
 */
export class RefusedError extends Error {
  override readonly name = "RefusedError";
  readonly code = "ERR_RAFTKIT_REFUSED";
  constructor(
    readonly peer: number,
    readonly address: string,
    readonly reason: string,
    readonly refusedBy?: number,
  ) {
    super(`peer ${peer} at ${address} refused us: ${reason}`);
  }
}
