/**
 * The outcome of a read request (`RaftCore.readIndex`): the index a linearizable read may be
 * served at once the state machine has applied through it, or the leadership was lost first —
 * or, without check-quorum, could not be confirmed: no majority replied for `noQuorumMs` (an
 * election timeout), and the leader, which goes on leading, fails its waiting reads.
 */
export type ReadState =
  | { readonly id: number; readonly index: number }
  | { readonly id: number; readonly lost: true; readonly noQuorumMs?: number };

interface PendingRead {
  readonly id: number;
  /** Confirmed once a majority acknowledged a message numbered above this (sent after the read). */
  readonly afterSeq: number;
}

/**
 * Reads waiting for the leader to confirm it still leads (Raft §8, etcd's ReadIndex): a read is
 * safe once a majority acknowledged a message the leader sent after the read arrived, and the
 * leader has committed an entry of its own term (its no-op), so its commit index covers every
 * write that completed before the read. Reads are queued in arrival order, so they are also
 * confirmed in that order and many share one round of heartbeats.
 */
export class ReadOnly {
  #pending: PendingRead[] = [];

  get size(): number {
    return this.#pending.length;
  }

  add(id: number, afterSeq: number): void {
    this.#pending.push({ id, afterSeq });
  }

  /** Resolves, at `index`, every read a majority's acknowledgement of message `confirmedSeq` covers. */
  confirm(confirmedSeq: number, index: number): ReadState[] {
    let n = 0;
    while (n < this.#pending.length && this.#pending[n]!.afterSeq < confirmedSeq) n++;
    if (n === 0) return [];
    const done = this.#pending.slice(0, n);
    this.#pending = this.#pending.slice(n);
    return done.map(({ id }) => ({ id, index }));
  }

  /** Leadership is lost (or, with `noQuorumMs`, could not be confirmed): every waiting read fails. */
  failAll(noQuorumMs?: number): ReadState[] {
    const why = noQuorumMs === undefined ? {} : { noQuorumMs };
    const lost = this.#pending.map(({ id }): ReadState => ({ id, lost: true, ...why }));
    this.#pending = [];
    return lost;
  }
}
