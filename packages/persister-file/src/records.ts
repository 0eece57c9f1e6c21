import { crc32 } from "node:zlib";
import { Encoder } from "cbor-x";
import { CorruptFileError, StorageEncodeError, UnsupportedFormatError } from "./errors.js";

/**
 * A record on disk: a 12-byte header, then the payload (one cbor-x value). The header holds the
 * payload length (u32 BE), the payload's CRC32 and a CRC32 of those first 8 bytes. The header's
 * own checksum is what tells a damaged length from a torn tail: with the length outside every
 * checksum (format 1) one flipped bit made a record look unfinished, and recovery cut off the
 * whole log after it. Files start with an 8-byte magic naming what they hold and the format.
 */
export const RECORD_HEADER = 12;
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
  out.set(payload, RECORD_HEADER);
  return sealRecord(out);
}

/** Fills in the header of `out`, a record whose payload is already written after RECORD_HEADER. */
export function sealRecord(out: Buffer): Buffer {
  const payload = out.subarray(RECORD_HEADER);
  out.writeUInt32BE(payload.length, 0);
  out.writeUInt32BE(crc32(payload), 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  return out;
}

export type ScanResult =
  | { kind: "record"; value: unknown; next: number }
  | { kind: "end" }
  /** The rest of the file is an unfinished write: everything from `offset` on can be cut. */
  | { kind: "torn"; offset: number };

/** True if every byte of `bytes` from `from` on is zero (space the filesystem extended but never wrote). */
function zerosFrom(bytes: Buffer, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Reads the record at `offset`. A torn tail (crash mid-write) is recognised only at the true end
 * of the file: the file ends inside the record, or nothing but zeros follows the damage. Damage
 * with anything after it is corruption.
 */
export function readRecord(bytes: Buffer, offset: number, file: string): ScanResult {
  const remaining = bytes.length - offset;
  if (remaining === 0) return { kind: "end" };
  if (remaining < RECORD_HEADER) return { kind: "torn", offset };
  if (crc32(bytes.subarray(offset, offset + 8)) !== bytes.readUInt32BE(offset + 8)) {
    if (zerosFrom(bytes, offset + RECORD_HEADER)) return { kind: "torn", offset };
    throw new CorruptFileError(file, offset, "record header checksum mismatch");
  }
  const end = offset + RECORD_HEADER + bytes.readUInt32BE(offset);
  // The header is sound, so the length is real: a file ending before it is an unfinished write.
  if (end > bytes.length) return { kind: "torn", offset };
  const payload = bytes.subarray(offset + RECORD_HEADER, end);
  if (crc32(payload) !== bytes.readUInt32BE(offset + 4)) {
    if (zerosFrom(bytes, end)) return { kind: "torn", offset };
    throw new CorruptFileError(file, offset, "record checksum mismatch");
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

/**
 * Checks a file's magic: a file of the same family in another format version is an
 * UnsupportedFormatError, anything else is a CorruptFileError.
 */
export function checkMagic(bytes: Buffer, expected: Buffer, family: string, file: string): void {
  const found = bytes.subarray(0, MAGIC_BYTES);
  if (found.equals(expected)) return;
  const text = found.toString("latin1");
  if (text.startsWith(family)) {
    throw new UnsupportedFormatError(file, text.trimEnd(), expected.toString("latin1").trimEnd());
  }
  throw new CorruptFileError(file, 0, `not a raftkit ${family === "RKWAL" ? "log" : "snapshot"} file`);
}
