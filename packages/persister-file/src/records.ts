import { crc32 } from "node:zlib";
import { Encoder } from "cbor-x";
import { CorruptFileError, StorageEncodeError } from "./errors.js";

/**
 * A record on disk: 4-byte big-endian payload length, 4-byte CRC32 of the payload, the payload
 * (one cbor-x value). Files start with an 8-byte magic naming what they hold.
 */
export const RECORD_HEADER = 8;
export const MAGIC_BYTES = 8;

const codec = new Encoder({ useRecords: false, mapsAsObjects: true });

export function encodeRecord(value: unknown, what: string): Buffer {
  let payload: Uint8Array;
  try {
    payload = codec.encode(value);
  } catch (error) {
    throw new StorageEncodeError(what, error);
  }
  const out = Buffer.allocUnsafe(RECORD_HEADER + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.writeUInt32BE(crc32(payload), 4);
  out.set(payload, RECORD_HEADER);
  return out;
}

export type ScanResult =
  | { kind: "record"; value: unknown; next: number }
  | { kind: "end" }
  /** The rest of the file is an unfinished write: everything from `offset` on can be cut. */
  | { kind: "torn"; offset: number };

/** Reads the record at `offset`, telling a torn tail (crash mid-write) from corruption. */
export function readRecord(bytes: Buffer, offset: number, file: string): ScanResult {
  const remaining = bytes.length - offset;
  if (remaining === 0) return { kind: "end" };
  if (remaining < RECORD_HEADER) return { kind: "torn", offset };
  const length = bytes.readUInt32BE(offset);
  const end = offset + RECORD_HEADER + length;
  if (length === 0) {
    // Zeros where a record should start: space the filesystem extended but we never wrote.
    if (bytes.subarray(offset).every((b) => b === 0)) return { kind: "torn", offset };
    throw new CorruptFileError(file, offset, "record of length 0");
  }
  if (end > bytes.length) return { kind: "torn", offset };
  const payload = bytes.subarray(offset + RECORD_HEADER, end);
  if (crc32(payload) !== bytes.readUInt32BE(offset + 4)) {
    // The last record may have been half written; anything before the last is real damage.
    if (end === bytes.length) return { kind: "torn", offset };
    throw new CorruptFileError(file, offset, "checksum mismatch");
  }
  try {
    return { kind: "record", value: codec.decode(payload), next: end };
  } catch (error) {
    throw new CorruptFileError(file, offset, `undecodable record (${(error as Error).message})`);
  }
}

export function magic(text: string): Buffer {
  const out = Buffer.alloc(MAGIC_BYTES, " ");
  out.write(text.slice(0, MAGIC_BYTES), "latin1");
  return out;
}
