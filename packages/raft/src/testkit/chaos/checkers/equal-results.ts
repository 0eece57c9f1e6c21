import { sameValue, show } from "../../applied-logs.js";
import type { Violation } from "./violation.js";

/** Deterministic state machines: every member that applies index i returns the same result there. */
export class EqualResults {
  readonly #results = new Map<number, unknown>();

  /** Records what `member`'s state machine returned at `index`; a different earlier result is a violation. */
  observe(member: number, index: number, result: unknown, atMs: number): Violation | undefined {
    if (!this.#results.has(index)) {
      this.#results.set(index, result);
      return undefined;
    }
    const known = this.#results.get(index);
    if (sameValue(known, result)) return undefined;
    return {
      checker: "state-machine-safety",
      message: `state machines diverge at index ${index}: member ${member} returned ${show(result)}, another returned ${show(known)}`,
      atMs,
    };
  }
}
