/**
 * The shape of a compact wire form for one RPC method, as a byte-stream transport takes it
 * (transport-tcp's `MethodCodec`, which lives there, in the package that uses it; its tests check
 * raft's codecs against it). A value whose shape a codec does not know (`encode*` returns
 * undefined) travels in the transport's generic form, so a codec never drops a field that was
 * added after it was written.
 */
export interface WireCodec {
  readonly id: number;
  encodeArgs(args: unknown): unknown[] | undefined;
  decodeArgs(compact: unknown[]): unknown;
  encodeReply(reply: unknown): unknown[] | undefined;
  decodeReply(compact: unknown[]): unknown;
}

/** Whether `value` is a plain object with exactly the `fields` given (no others). */
export function hasExactly(value: unknown, fields: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    count++;
  }
  if (count !== fields.length) return false;
  for (const field of fields) if (!Object.hasOwn(value, field)) return false;
  return true;
}
