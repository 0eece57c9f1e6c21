import type { ReadState } from "../core/read-only.js";
import { AbortedError, LeadershipLostError, NotLeaderError } from "../errors.js";
import type { PeerId } from "../interfaces.js";

interface Waiter {
  resolve(index: number): void;
  reject(error: unknown): void;
  release(): void;
}

/** The node's `readIndex()` calls waiting for the core's answer, by read id. */
export class PendingReads {
  #nextId = 0;
  readonly #waiting = new Map<number, Waiter>();

  get size(): number {
    return this.#waiting.size;
  }

  /** A fresh read id. */
  nextId(): number {
    return ++this.#nextId;
  }

  /** Waits for read `id`; an abort of `signal` rejects at once (the core's answer is then ignored). */
  wait(id: number, signal: AbortSignal | undefined): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(id);
        reject(new AbortedError("readIndex()", signal?.reason));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const release = () => signal?.removeEventListener("abort", onAbort);
      this.#waiting.set(id, { resolve, reject, release });
    });
  }

  settle(state: ReadState): void {
    const waiter = this.#waiting.get(state.id);
    if (!waiter) return; // aborted meanwhile
    this.#waiting.delete(state.id);
    waiter.release();
    if ("index" in state) waiter.resolve(state.index);
    else if (state.noQuorumMs === undefined) waiter.reject(new LeadershipLostError("readIndex()"));
    else waiter.reject(new LeadershipLostError("readIndex()", unconfirmed(state.noQuorumMs)));
  }

  /** Read `id` was refused: this member is not the leader. */
  settleNotLeader(id: number, leaderHint: PeerId | undefined): void {
    const waiter = this.#waiting.get(id);
    if (!waiter) return;
    this.#waiting.delete(id);
    waiter.release();
    waiter.reject(new NotLeaderError(leaderHint));
  }

  /** Rejects every waiting read with `error` (the node stopped). */
  failAll(error: Error): void {
    for (const waiter of this.#waiting.values()) {
      waiter.release();
      waiter.reject(error);
    }
    this.#waiting.clear();
  }
}

/** Why a leader without check-quorum failed a read it could not confirm. */
const unconfirmed = (ms: number): string =>
  `no majority replied within ${ms} ms, so this leader cannot confirm that it still leads (without check-quorum it goes on leading, and may be cut off)`;
