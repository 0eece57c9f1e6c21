import { Encoder } from "cbor-x";

const codec = new Encoder({ useRecords: false, mapsAsObjects: true });

/** Encodings of command objects, kept from the proposal (or the message that brought them) on. */
const known = new WeakMap<object, Uint8Array>();

/**
 * The cbor encoding of a log entry's command: the bytes its proposal produced (or the message it
 * arrived in), so that the log write and every follower's AppendEntries reuse one encoding
 * instead of encoding the command again per destination (measured: 5 encodes per put on a
 * leader before). A command object is never changed after it is proposed. Throws what cbor-x
 * throws for a value it cannot encode.
 */
export function encodedCommand(command: unknown): Uint8Array {
  if (typeof command !== "object" || command === null) return codec.encode(command).slice();
  let bytes = known.get(command);
  if (bytes === undefined) {
    // A copy: the encoder's buffer is reused.
    bytes = codec.encode(command).slice();
    known.set(command, bytes);
  }
  return bytes;
}

/** Records that `command` was decoded from `bytes` (which must stay unchanged). */
export function rememberEncoding(command: unknown, bytes: Uint8Array): void {
  if (typeof command === "object" && command !== null) known.set(command, bytes);
}

/** Decodes a command from its bytes and remembers them as its encoding. */
export function decodeCommand(bytes: Uint8Array): unknown {
  const command = codec.decode(bytes);
  rememberEncoding(command, bytes);
  return command;
}
