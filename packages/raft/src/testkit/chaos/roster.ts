import { configOf } from "../../core/config-entry.js";
import { type Membership, membersOf, votersOnly } from "../../core/membership.js";
import type { LogEntry } from "../../types.js";

/**
 * Who is in a chaos cluster, as the nemesis sees it: the founders 0..n-1, spare ids n.. that
 * membership faults may start and add during the run, and the latest configuration the safety
 * checker has seen committed. The members are that configuration's voters and learners plus the
 * spares started and not yet in it; a member a committed configuration dropped (or a spare whose
 * addition was given up) is retired: faults no longer pick it and heals never restart it.
 */
export class Roster {
  /** Every id this cluster may ever use: founders, then spares. */
  readonly slots: number;
  #committed: Membership;
  #committedIndex = 0;
  /** Started spares not yet seen in a committed configuration. */
  readonly #joining = new Set<number>();
  #nextSpare: number;

  constructor(
    readonly founders: number,
    spares: number,
  ) {
    this.slots = founders + spares;
    this.#nextSpare = founders;
    this.#committed = votersOnly(Array.from({ length: founders }, (_, i) => i));
  }

  /** The latest configuration seen committed (the founders' until a change commits). */
  get committed(): Membership {
    return this.#committed;
  }

  /** Current members, sorted: the committed configuration's, and spares on their way in. */
  current(): number[] {
    return [...new Set([...membersOf(this.#committed), ...this.#joining])].sort((a, b) => a - b);
  }

  /** Ids started at least once (founders and the spares taken so far). */
  everStarted(): number[] {
    return Array.from({ length: this.#nextSpare }, (_, i) => i);
  }

  /** Started once, and no longer a member: it must stay down. */
  isRetired(i: number): boolean {
    return i < this.#nextSpare && !this.current().includes(i);
  }

  /** Spare ids never started yet. */
  sparesLeft(): number {
    return this.slots - this.#nextSpare;
  }

  /** Takes the next unused spare id (it joins `current()`), or undefined when none is left. */
  takeSpare(): number | undefined {
    if (this.#nextSpare >= this.slots) return undefined;
    const id = this.#nextSpare++;
    this.#joining.add(id);
    return id;
  }

  /** A spare whose addition was given up: retired unless a committed configuration names it. */
  giveUp(id: number): void {
    this.#joining.delete(id);
  }

  /** Feeds an entry seen committed at `index` (in index order); a configuration entry takes effect. */
  observe(index: number, entry: LogEntry<unknown>): Membership | undefined {
    const membership = configOf(entry);
    if (!membership || index <= this.#committedIndex) return undefined;
    this.#committed = membership;
    this.#committedIndex = index;
    for (const id of membersOf(membership)) this.#joining.delete(id);
    return membership;
  }
}
