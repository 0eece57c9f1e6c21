import type { InstallSnapshotArgs } from "../messages.js";

/**
 * A follower's snapshot arriving in chunks. Chunks are accepted only in order and from one
 * sender's snapshot at a time (leader term, last index and term): two leaders may encode the same
 * state differently, so their bytes must never be mixed.
 */
export class SnapshotReceiver {
  private key = "";
  private chunks: Uint8Array[] = [];
  private received = 0;

  /**
   * Takes one chunk. Returns the whole snapshot once its last chunk is in, or else the offset
   * expected next (which tells the leader where to go on, or to start again from 0).
   */
  accept(args: InstallSnapshotArgs): { data: Uint8Array } | { nextOffset: number } {
    const key = `${args.term}/${args.lastIncludedIndex}/${args.lastIncludedTerm}`;
    if (args.offset === 0) {
      this.key = key;
      this.chunks = [];
      this.received = 0;
    }
    if (key !== this.key) return { nextOffset: 0 };
    if (args.offset !== this.received) return { nextOffset: this.received };
    this.chunks.push(args.data);
    this.received += args.data.length;
    if (!args.done) return { nextOffset: this.received };
    const data = this.chunks.length === 1 ? this.chunks[0]! : concat(this.chunks, this.received);
    this.clear();
    return { data };
  }

  /** Forgets a partial snapshot (its memory goes with it). */
  clear(): void {
    this.key = "";
    this.chunks = [];
    this.received = 0;
  }
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const data = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.length;
  }
  return data;
}
