import type { TransferOutcome } from "../core/transfer.js";
import { AbortedError, LeadershipTransferError } from "../errors.js";
import type { PeerId } from "../interfaces.js";

interface Waiter {
  readonly target: PeerId;
  resolve(target: PeerId): void;
  reject(error: unknown): void;
  release(): void;
}

/** The node's `transferLeadership()` calls waiting for the transfer to end. */
export class PendingTransfers {
  #waiting: Waiter[] = [];

  wait(target: PeerId, signal: AbortSignal | undefined): Promise<PeerId> {
    return new Promise<PeerId>((resolve, reject) => {
      const waiter: Waiter = {
        target,
        resolve,
        reject,
        release: () => signal?.removeEventListener("abort", onAbort),
      };
      const onAbort = () => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        reject(new AbortedError("transferLeadership()", signal?.reason));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  settle(ended: TransferOutcome): void {
    const done = this.#waiting.filter((w) => w.target === ended.target);
    this.#waiting = this.#waiting.filter((w) => w.target !== ended.target);
    for (const waiter of done) {
      waiter.release();
      if (ended.outcome === "done") waiter.resolve(ended.target);
      else waiter.reject(new LeadershipTransferError(ended.target));
    }
  }

  failAll(error: Error): void {
    for (const waiter of this.#waiting) {
      waiter.release();
      waiter.reject(error);
    }
    this.#waiting = [];
  }
}
