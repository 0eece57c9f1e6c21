import type { LogEntry } from "../../../types.js";
import { sameValue, show } from "../../applied-logs.js";
import type { Violation } from "./violation.js";

/**
 * Raft's State Machine Safety: once any member has committed an entry at an index, no member
 * ever commits a different one there. Fed with each member's entries up to its commit index,
 * after every step of the schedule and periodically in between.
 */
export class StateMachineSafety {
  readonly #committed = new Map<number, { entry: LogEntry<unknown>; member: number }>();
  /** Per member: the highest index already compared. */
  readonly #checked = new Map<number, number>();
  #highest = 0;

  get committedCount(): number {
    return this.#committed.size;
  }

  /** The highest index any member has been seen to commit. */
  get highestIndex(): number {
    return this.#highest;
  }

  /** The entry committed at `index`, if any member has been seen to commit one. */
  committed(index: number): LogEntry<unknown> | undefined {
    return this.#committed.get(index)?.entry;
  }

  /** A restarted member is compared again from its first index. */
  restarted(member: number): void {
    this.#checked.delete(member);
  }

  /** Compares `member`'s entries through `commitIndex` (`entry(i)` undefined: compacted, skipped). */
  observe(
    member: number,
    commitIndex: number,
    entry: (index: number) => LogEntry<unknown> | undefined,
    atMs: number,
  ): Violation | undefined {
    const from = (this.#checked.get(member) ?? 0) + 1;
    for (let index = from; index <= commitIndex; index++) {
      const mine = entry(index);
      if (!mine) continue;
      const known = this.#committed.get(index);
      if (!known) {
        this.#committed.set(index, { entry: mine, member });
        this.#highest = Math.max(this.#highest, index);
      } else if (known.entry.term !== mine.term || !sameValue(known.entry.command, mine.command)) {
        return {
          checker: "state-machine-safety",
          message:
            `members disagree on committed index ${index}: member ${known.member} has ` +
            `term ${known.entry.term} ${show(known.entry.command)}, member ${member} has ` +
            `term ${mine.term} ${show(mine.command)}`,
          atMs,
        };
      }
    }
    if (commitIndex >= from) this.#checked.set(member, commitIndex);
    return undefined;
  }
}
