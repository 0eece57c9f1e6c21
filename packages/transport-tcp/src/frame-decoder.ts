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
 * Splits a byte stream into length-prefixed frames. Frames that lie whole in a chunk are handed
 * out as views of it, with nothing else allocated: a one-client put receives three small frames
 * on the leader, and a list per chunk plus two views per frame were 2.4 KB of its garbage per put
 * (put-costs.mjs). A frame split across chunks waits in a list and is joined once it is whole, so
 * a large frame costs one copy, not one per chunk. A declared length of zero or over
 * `maxFrameBytes` is refused before any of that frame is buffered.
 */
export class FrameDecoder {
  /** The start of a frame split across chunks (its header included), in arrival order. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The length of the split frame, once its header has arrived. */
  private expected: number | undefined;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received that do not yet make a whole frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /**
   * Feeds a chunk: `onFrame` gets each frame it completes, in order, as a view of the received
   * bytes (never written to afterwards). Returns FrameSizeError, after the frames before it, if a
   * header declares an impossible length; the stream is then unusable.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): FrameSizeError | undefined {
    let data = chunk;
    if (this.buffered > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.expected === undefined) {
        if (this.buffered < HEADER_BYTES) return undefined;
        this.expected = this.splitHeader();
        if (this.tooLarge(this.expected)) return new FrameSizeError(this.expected, this.maxFrameBytes);
      }
      if (this.buffered < HEADER_BYTES + this.expected) return undefined;
      data = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [];
      this.buffered = 0;
      this.expected = undefined;
    }
    let offset = 0;
    while (data.length - offset >= HEADER_BYTES) {
      const length = data.readUInt32BE(offset);
      if (this.tooLarge(length)) return new FrameSizeError(length, this.maxFrameBytes);
      if (data.length - offset - HEADER_BYTES < length) {
        this.expected = length;
        break;
      }
      offset += HEADER_BYTES;
      onFrame(data.subarray(offset, offset + length));
      offset += length;
    }
    if (offset < data.length) {
      this.chunks.push(offset === 0 ? data : data.subarray(offset));
      this.buffered = data.length - offset;
    }
    return undefined;
  }

  private tooLarge(length: number): boolean {
    return length === 0 || length > this.maxFrameBytes;
  }

  /** The length in a header that arrived in pieces. */
  private splitHeader(): number {
    let length = 0;
    let got = 0;
    for (const chunk of this.chunks) {
      for (let i = 0; i < chunk.length && got < HEADER_BYTES; i++, got++) length = length * 256 + chunk[i]!;
    }
    return length;
  }
}
