import { encode } from "cbor-x";
import { ValueTooLargeError } from "../errors.js";

/**
 * An upper bound, cheap to compute, on the bytes `value` takes in the raft log (CBOR): used to
 * decide when to measure the storage and whether a command may be too large, without encoding.
 * Strings count 3 bytes per UTF-16 unit (UTF-8's worst case), plus headers.
 */
export function approximateSize(value: unknown, depth = 0): number {
  if (typeof value === "string") return 9 + 3 * value.length;
  if (value instanceof Uint8Array) return 9 + value.byteLength;
  if (typeof value !== "object" || value === null) return 9;
  if (depth > 32) return Number.POSITIVE_INFINITY;
  let total = 9;
  if (Array.isArray(value)) {
    for (const item of value) total += approximateSize(item, depth + 1);
    return total;
  }
  for (const key in value) {
    total += 9 + 3 * key.length + approximateSize((value as Record<string, unknown>)[key], depth + 1);
  }
  return total;
}

/** Throws ValueTooLargeError when `command` encodes to more than `limitBytes` (encoding only when the estimate says it may). */
export function checkCommandSize(command: unknown, limitBytes: number): void {
  if (approximateSize(command) <= limitBytes) return;
  const size = encode(command).byteLength;
  if (size > limitBytes) throw new ValueTooLargeError(size, limitBytes);
}

/**
 * The most bytes the layer's log entry adds around a command (CBOR): a session entry's array
 * header and kind (2), session id and sequence number (up to 9 each) — 20 today, with room to
 * spare. raft measures the whole entry against its `maxProposalBytes`, so the service's
 * `maxCommandBytes` is at most that less this.
 */
export const ENTRY_ENVELOPE_BYTES = 64;
