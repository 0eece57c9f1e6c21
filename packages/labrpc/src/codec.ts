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

// cbor-x encodes into a scratch buffer it keeps for the whole process, sized to the largest
// message so far; the decoder keeps a view of the last bytes it read. After a large message we
// hand both something small again, so one 10 MiB RPC does not pin tens of MiB for good.
const LARGE_BYTES = 1 << 20;
const scratch = codec as unknown as { useBuffer(buffer: Uint8Array): void };
const TINY = codec.encode(0).slice();

function releaseLargeScratch(): void {
  scratch.useBuffer(Buffer.allocUnsafeSlow(8192));
  codec.decode(TINY);
}

/** Encodes with cbor-x; throws EncodeError naming `what` when the value cannot cross a wire. */
export function encode(value: unknown, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = codec.encode(value);
  } catch (error) {
    throw new EncodeError(what, error);
  }
  if (bytes.length < LARGE_BYTES) return bytes;
  const own = bytes.slice();
  releaseLargeScratch();
  return own;
}

export function decode(bytes: Uint8Array): unknown {
  const value = codec.decode(bytes);
  if (bytes.length >= LARGE_BYTES) codec.decode(TINY); // let go of the large source
  return value;
}
