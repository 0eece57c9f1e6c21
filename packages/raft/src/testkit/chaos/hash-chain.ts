import type { StateMachine } from "../../interfaces.js";

/**
 * A state machine for raft-alone chaos runs: each result is a running hash of every command
 * applied so far, so two members that applied anything different anywhere return different
 * results from then on (and the results check catches it).
 */
export class HashChain implements StateMachine<string, number> {
  #hash = 17;

  apply(command: string): number {
    for (const ch of command) this.#hash = (Math.imul(this.#hash, 31) + ch.charCodeAt(0)) >>> 0;
    return this.#hash;
  }

  snapshot(): Uint8Array {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, this.#hash);
    return bytes;
  }

  restore(snapshot: Uint8Array): void {
    this.#hash = new DataView(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength).getUint32(0);
  }
}
