import type { LogEntry } from "../../types.js";
import { ElectionSafety } from "./checkers/election-safety.js";
import { EqualResults } from "./checkers/equal-results.js";
import { StateMachineSafety } from "./checkers/state-machine-safety.js";
import type { Violation } from "./checkers/violation.js";
import type { MemberRaft } from "./member.js";
import type { Roster } from "./roster.js";

/**
 * The raft-level checkers of a chaos cluster and what they found: election safety (leaders
 * seen, and every AppendEntries as a claim to lead its term), state machine safety over each
 * member's committed entries, equal results at equal indexes, and errors members reported.
 * Each violation is recorded once. Committed configuration entries move the roster.
 */
export class ClusterChecks {
  readonly #elections = new ElectionSafety();
  readonly #log = new StateMachineSafety();
  readonly #results = new EqualResults();
  readonly #violations: Violation[] = [];
  /** The highest committed index fed to the roster. */
  #rostered = 0;

  get violations(): readonly Violation[] {
    return this.#violations;
  }

  /** Entries seen committed. */
  get committedCount(): number {
    return this.#log.committedCount;
  }

  committed(index: number): LogEntry<unknown> | undefined {
    return this.#log.committed(index);
  }

  /** A member's new incarnation: its log is compared again from the start. */
  restarted(member: number): void {
    this.#log.restarted(member);
  }

  /** Checks what member `i` says now: leadership, and its entries through its commit index. */
  observe(
    i: number,
    raft: MemberRaft,
    entry: (index: number) => LogEntry<unknown> | undefined,
    now: number,
  ): void {
    const { term, isLeader } = raft.getState();
    if (isLeader && !raft.killed) this.record(this.#elections.observe(i, term, now));
    this.record(this.#log.observe(i, raft.commitIndex, entry, now));
  }

  /** Feeds the entries committed since the last call to the roster, in index order. */
  moveRoster(roster: Roster): void {
    for (; this.#rostered < this.#log.highestIndex; this.#rostered++) {
      const entry = this.#log.committed(this.#rostered + 1);
      if (entry) roster.observe(this.#rostered + 1, entry);
    }
  }

  claimsLeadership(i: number, args: unknown, now: number): void {
    const term = (args as { term?: unknown } | null)?.term;
    if (typeof term === "number") this.record(this.#elections.observe(i, term, now));
  }

  result(i: number, index: number, result: unknown, now: number): void {
    this.record(this.#results.observe(i, index, result, now));
  }

  memberError(i: number, error: unknown, now: number): void {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.record({ checker: "member-error", message: `member ${i}: ${text}`, atMs: now });
  }

  private record(violation: Violation | undefined): void {
    // A disagreement stays visible on every later check: report each one once.
    if (violation && !this.#violations.some((v) => v.message === violation.message)) {
      this.#violations.push(violation);
    }
  }
}
