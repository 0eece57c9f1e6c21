import type { Membership } from "./membership.js";

interface Adopted {
  readonly index: number;
  readonly membership: Membership;
}

/**
 * The configurations this member's log holds: the one in force at the snapshot boundary (from
 * the snapshot, or the initial member list), then one per configuration entry in the live log.
 * A member always uses the latest, committed or not (Raft thesis §4.1); a truncation of the log
 * takes back the configurations it removes, and compaction folds them into the boundary.
 */
export class ConfigHistory {
  /** Oldest first; the first is the boundary's (its index: the snapshot's, or 0). */
  #entries: Adopted[];

  constructor(base: Membership, baseIndex: number) {
    this.#entries = [{ index: baseIndex, membership: base }];
  }

  get latest(): Membership {
    return this.#entries[this.#entries.length - 1]!.membership;
  }

  /** The index of the entry that set the latest configuration (the boundary's index if none). */
  get latestIndex(): number {
    return this.#entries[this.#entries.length - 1]!.index;
  }

  /** The configuration in force at `index` (the latest at or before it). */
  at(index: number): Membership {
    for (let i = this.#entries.length - 1; i > 0; i--) {
      if (this.#entries[i]!.index <= index) return this.#entries[i]!.membership;
    }
    return this.#entries[0]!.membership;
  }

  /** Configuration entries (index, configuration) in (after, through], oldest first. */
  between(after: number, through: number): Adopted[] {
    return this.#entries.slice(1).filter((e) => e.index > after && e.index <= through);
  }

  append(index: number, membership: Membership): void {
    this.#entries.push({ index, membership });
  }

  /** The log lost every entry from `index` on: so did their configurations. */
  truncateFrom(index: number): void {
    while (this.#entries.length > 1 && this.#entries[this.#entries.length - 1]!.index >= index)
      this.#entries.pop();
  }

  /** The log now starts after `index`, where `membership` was in force (and later entries stay). */
  compact(index: number, membership: Membership): void {
    this.#entries = [{ index, membership }, ...this.#entries.slice(1).filter((e) => e.index > index)];
  }

  /** The whole log was replaced by a snapshot through `index` whose configuration is `membership`. */
  reset(index: number, membership: Membership): void {
    this.#entries = [{ index, membership }];
  }
}
