/**
 * The few cbor heads the log writer writes by hand (RFC 8949 §3): an array's length and unsigned
 * integers. A record of log entries is an array whose commands are spliced in as the bytes raft
 * already holds for them (cbor items concatenate), instead of being encoded once more.
 */

const UINT = 0;
const ARRAY = 4;

/** Bytes of the head with argument `n` (a safe integer >= 0), as `writeUint` and `writeArrayHead` write it. */
export function headBytes(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9;
}

function writeHead(out: Buffer, at: number, major: number, n: number): number {
  const type = major << 5;
  if (n < 24) {
    out[at] = type | n;
    return at + 1;
  }
  if (n < 0x100) {
    out[at] = type | 24;
    out[at + 1] = n;
    return at + 2;
  }
  if (n < 0x10000) {
    out[at] = type | 25;
    out.writeUInt16BE(n, at + 1);
    return at + 3;
  }
  if (n < 0x100000000) {
    out[at] = type | 26;
    out.writeUInt32BE(n, at + 1);
    return at + 5;
  }
  // From 2^32 on, cbor-x (which reads these records back) writes integers as doubles: so do we,
  // so that a record is byte for byte what encoding the whole array would give.
  out[at] = 0xfb;
  out.writeDoubleBE(n, at + 1);
  return at + 9;
}

/** Writes an unsigned integer at `at`; returns the offset after it. */
export const writeUint = (out: Buffer, at: number, n: number): number => writeHead(out, at, UINT, n);

/** Writes the head of an array of `length` items at `at`; returns the offset after it. */
export const writeArrayHead = (out: Buffer, at: number, length: number): number =>
  writeHead(out, at, ARRAY, length);
