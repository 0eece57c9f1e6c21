import type { Membership } from "../core/membership.js";
import { AbortedError, LeadershipLostError } from "../errors.js";

/** What the node's view of the core tells a waiting change. */
export interface ChangeView {
  readonly commitIndex: number;
  readonly isLeader: boolean;
  termAt(index: number): number | undefined;
}

/** A committed membership change: the entry that made it and the configuration it set. */
export interface ChangeCommitted {
  readonly index: number;
  readonly membership: Membership;
}

interface Waiter {
  readonly index: number;
  readonly term: number;
  readonly membership: Membership;
  resolve(done: ChangeCommitted): void;
  reject(error: unknown): void;
  release(): void;
}

/**
 * The node's membership-change calls waiting for their configuration entry to commit. A change
 * settles once the commit index covers its entry (resolved if the entry is still of its term,
 * rejected if another leader overwrote it), or is rejected with LeadershipLostError when this
 * member stops leading first: the change may still commit (the outcome is unknown; look at
 * `membership` on the new leader before retrying).
 */
export class PendingChanges {
  #waiting: Waiter[] = [];

  wait(
    entry: { index: number; term: number; membership: Membership },
    signal: AbortSignal | undefined,
  ): Promise<ChangeCommitted> {
    return new Promise<ChangeCommitted>((resolve, reject) => {
      const waiter: Waiter = {
        ...entry,
        resolve,
        reject,
        release: () => signal?.removeEventListener("abort", onAbort),
      };
      const onAbort = () => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        reject(new AbortedError("membership change", signal?.reason));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  /** Settles every change the view decides. */
  settle(view: ChangeView): void {
    if (this.#waiting.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.#waiting) {
      if (view.commitIndex >= w.index) {
        w.release();
        const term = view.termAt(w.index);
        // Compacted (undefined): it was applied, so committed as checked at every earlier step.
        if (term === undefined || term === w.term) w.resolve({ index: w.index, membership: w.membership });
        else w.reject(new LeadershipLostError("membership change"));
      } else if (!view.isLeader) {
        w.release();
        w.reject(new LeadershipLostError("membership change"));
      } else still.push(w);
    }
    this.#waiting = still;
  }

  failAll(error: Error): void {
    for (const waiter of this.#waiting) {
      waiter.release();
      waiter.reject(error);
    }
    this.#waiting = [];
  }
}
