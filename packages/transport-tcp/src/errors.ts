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

/** A bad option passed to the transport. */
export class TransportConfigError extends Error {
  override readonly name = "TransportConfigError";
}

/** The peer we called refused our handshake or a request; `reason` is what it said. */
export class RefusedError extends Error {
  override readonly name = "RefusedError";
  readonly code = "ERR_RAFTKIT_REFUSED";
  constructor(
    readonly peer: number,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`peer ${peer} at ${address} refused us: ${reason}`);
  }
}
