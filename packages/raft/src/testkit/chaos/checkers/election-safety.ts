import type { Violation } from "./violation.js";

/** Raft's Election Safety: at most one leader per term, over every observation made. */
export class ElectionSafety {
  readonly #leaders = new Map<number, number>();

  /** Records that `member` says it leads in `term`; a second leader of that term is a violation. */
  observe(member: number, term: number, atMs: number): Violation | undefined {
    const known = this.#leaders.get(term);
    if (known === undefined) {
      this.#leaders.set(term, member);
      return undefined;
    }
    if (known === member) return undefined;
    return {
      checker: "election-safety",
      message: `two leaders in term ${term}: member ${known} and member ${member}`,
      atMs,
    };
  }
}
