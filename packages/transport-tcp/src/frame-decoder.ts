import { FrameSizeError } from "./errors.js";

/** Bytes of the big-endian length prefix in front of every frame. */
export const HEADER_BYTES = 4;

/** Prefixes a payload with its 4-byte big-endian length. */
export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.set(payload, HEADER_BYTES);
  return out;
}

/**
 * Splits a byte stream into length-prefixed frames. Chunks are kept in a list and joined once a
 * whole frame has arrived, so a large frame costs one copy, not one per chunk. A declared length
 * of zero or over `maxFrameBytes` throws FrameSizeError before any of that frame is buffered.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected: number | undefined;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received that do not yet make a whole frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Feeds a chunk and returns every frame it completes. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected === undefined) {
        if (this.buffered < HEADER_BYTES) return frames;
        const length = this.take(HEADER_BYTES).readUInt32BE(0);
        if (length === 0 || length > this.maxFrameBytes) throw new FrameSizeError(length, this.maxFrameBytes);
        this.expected = length;
      }
      if (this.buffered < this.expected) return frames;
      frames.push(this.take(this.expected));
      this.expected = undefined;
    }
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}
