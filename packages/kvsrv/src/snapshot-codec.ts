import { Encoder } from "cbor-x";
import { SnapshotFormatError } from "./errors.js";

/** Everything a KvStateMachine snapshot holds, as flat parallel arrays (compact in CBOR). */
export interface SnapshotContents {
  lastIndex: number;
  keys: string[];
  values: string[];
}

/**
 * Version 2: the data only. Version 1 also held client sessions, which the service layer keeps
 * now (in its own snapshot envelope); a version-1 snapshot is refused, never misread.
 */
const FORMAT = "raftkit-kvsrv/2";
const LENGTH = 4;

// Records off: a record-enabled encoder is stateful, and snapshots must decode anywhere.
const codec = new Encoder({ useRecords: false, mapsAsObjects: true });
// Present at run time on every cbor-x Encoder, missing from its type declarations.
const scratch = codec as unknown as { useBuffer(buffer: Uint8Array): void };

// cbor-x encodes into one scratch buffer shared by the whole process and returns a view of it;
// after a large encoding the scratch stays large. Snapshots get their own copy, and a large one
// hands cbor-x a small scratch buffer back so a big snapshot does not pin memory.
const LARGE_BYTES = 1 << 20;

// cbor-x writes strings with Buffer#utf8Write when Node's Buffer exists, so the scratch must be one.
function smallScratch(): Uint8Array {
  return typeof Buffer === "function" ? Buffer.allocUnsafeSlow(8192) : new Uint8Array(8192);
}

export function encodeSnapshot(contents: SnapshotContents): Uint8Array {
  const view = codec.encode([FORMAT, contents.lastIndex, contents.keys, contents.values]);
  const bytes = new Uint8Array(view);
  if (bytes.byteLength >= LARGE_BYTES) {
    scratch.useBuffer(smallScratch());
    forgetLastSource();
  }
  return bytes;
}

// The decoder keeps a view of the last buffer it read until the next decode; decoding a tiny
// message makes it let go of a large one.
const TINY = codec.encode(0).slice();
function forgetLastSource(): void {
  codec.decode(TINY);
}

function strings(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new SnapshotFormatError(`snapshot ${what} must be an array of strings`);
  }
  return value;
}

export function decodeSnapshot(bytes: Uint8Array): SnapshotContents {
  let decoded: unknown;
  try {
    decoded = codec.decode(bytes);
    if (bytes.byteLength >= LARGE_BYTES) forgetLastSource();
  } catch (error) {
    throw new SnapshotFormatError(`snapshot is not valid CBOR: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!Array.isArray(decoded) || decoded[0] !== FORMAT || decoded.length !== LENGTH) {
    const found =
      Array.isArray(decoded) && typeof decoded[0] === "string" ? ` (found ${decoded[0].slice(0, 40)})` : "";
    throw new SnapshotFormatError(`not a ${FORMAT} snapshot${found}`);
  }
  const [, lastIndex, keys, values] = decoded as unknown[];
  if (typeof lastIndex !== "number" || !Number.isSafeInteger(lastIndex)) {
    throw new SnapshotFormatError("snapshot index must be an integer");
  }
  const contents: SnapshotContents = {
    lastIndex,
    keys: strings(keys, "keys"),
    values: strings(values, "values"),
  };
  if (contents.keys.length !== contents.values.length) {
    throw new SnapshotFormatError("snapshot arrays have mismatched lengths");
  }
  return contents;
}
