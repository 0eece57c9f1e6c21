import { LeadershipLostError } from "../errors.js";

/** What applying an entry produced for the one who proposed it. */
export type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: Error };

interface Waiter {
  readonly index: number;
  /** The term `start()` returned: the entry at `index` with this term is the waiter's own. */
  readonly term: number;
  readonly settle: (outcome: Outcome) => void;
}

/**
 * Proposals this replica made and has not answered, keyed by (index, term). The entry applied at
 * `index` answers the waiter only if it has the waiter's term; otherwise the waiter's entry was
 * overwritten and it gets LeadershipLostError — never another entry's result.
 */
export class Waiters {
  readonly #byIndex = new Map<number, Waiter[]>();
  #count = 0;

  get size(): number {
    return this.#count;
  }

  /** Waits for the entry proposed at `index` in `term`. */
  wait(index: number, term: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const settle = (outcome: Outcome) => (outcome.ok ? resolve(outcome.value) : reject(outcome.error));
      const waiter: Waiter = { index, term, settle };
      const list = this.#byIndex.get(index);
      if (list) list.push(waiter);
      else this.#byIndex.set(index, [waiter]);
      this.#count++;
    });
  }

  /** The entry at `index` from `term` applied with `outcome`. */
  applied(index: number, term: number, outcome: Outcome): void {
    const list = this.#byIndex.get(index);
    if (!list) return;
    this.#byIndex.delete(index);
    this.#count -= list.length;
    for (const w of list) w.settle(w.term === term ? outcome : lost(w));
  }

  /** A snapshot replaced everything through `index`: those waiters cannot learn their outcome. */
  supersededThrough(index: number): void {
    this.#settleWhere((w) => (w.index <= index ? lost(w) : undefined));
  }

  /** This replica leads `leaderTerm` (undefined: it does not lead): waiters of other terms lost their entry's fate. */
  leading(leaderTerm: number | undefined): void {
    this.#settleWhere((w) => (w.term !== leaderTerm ? lost(w) : undefined));
  }

  /** Answers every waiter with `error`. */
  failAll(error: Error): void {
    this.#settleWhere(() => ({ ok: false, error }));
  }

  #settleWhere(verdict: (w: Waiter) => Outcome | undefined): void {
    if (this.#count === 0) return;
    for (const [index, list] of [...this.#byIndex]) {
      const keep: Waiter[] = [];
      for (const w of list) {
        const outcome = verdict(w);
        if (outcome) w.settle(outcome);
        else keep.push(w);
      }
      this.#count -= list.length - keep.length;
      if (keep.length > 0) this.#byIndex.set(index, keep);
      else this.#byIndex.delete(index);
    }
  }
}

function lost(w: Waiter): Outcome {
  return { ok: false, error: new LeadershipLostError(w.index) };
}
