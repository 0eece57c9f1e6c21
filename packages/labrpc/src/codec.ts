import { Encoder } from "cbor-x";

/** A value could not be encoded for the wire (a function, a symbol, a cycle, a huge BigInt, ...). */
export class EncodeError extends Error {
  override readonly name = "EncodeError";
  constructor(what: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot encode ${what}: ${reason}`, { cause });
  }
}

// Records (cbor-x's shared-structure extension) are off: they make an encoder stateful, so the
// size of a message would depend on what was sent before it.
const codec = new Encoder({ useRecords: false, mapsAsObjects: true });

/** Encodes with cbor-x; throws EncodeError naming `what` when the value cannot cross a wire. */
export function encode(value: unknown, what: string): Uint8Array {
  try {
    return codec.encode(value);
  } catch (error) {
    throw new EncodeError(what, error);
  }
}

export function decode(bytes: Uint8Array): unknown {
  return codec.decode(bytes);
}
