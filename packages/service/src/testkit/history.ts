import type { Simulation } from "@raftkit/labrpc";
import type { Operation } from "@raftkit/porcupine";
import { ServiceError } from "../errors.js";

/** What a recorded operation asked: a submit of a command, or a read of a query. */
export type HistoryInput<C, Q> =
  | { readonly kind: "submit"; readonly command: C }
  | { readonly kind: "read"; readonly query: Q };

/**
 * What it got: a value, or an error. `unknown: true` means the operation may or may not have taken
 * effect (a timeout, a lost leadership, an abort); a model must then accept any output, and the
 * operation's return time is the end of the history (it may take effect until then).
 */
export type HistoryOutput<V> =
  | { readonly ok: true; readonly value: V }
  | { readonly ok: false; readonly error: string; readonly unknown: boolean };

/** Codes that prove the operation had no effect: it was refused before being proposed or executed. */
const REFUSED = new Set([
  "TOO_LARGE",
  "OVERLOADED",
  "WRONG_SERVER",
  "UNKNOWN_METHOD",
  "MALFORMED",
  "SUPERSEDED",
  "CONFIG",
]);

/**
 * Records the operations clients make, with virtual call and return times strictly increasing in
 * the order they are taken (the simulation is single-threaded, so that is real-time order), for
 * porcupine.
 */
export class History<C, R, Q, A> {
  readonly #ops: Operation<HistoryInput<C, Q>, HistoryOutput<R | A>>[] = [];
  #last = Number.NEGATIVE_INFINITY;

  constructor(private readonly sim: Simulation) {}

  /** Runs `operation` as client `clientId`'s call with `input`, recording what it returned or threw. */
  async record<V extends R | A>(
    clientId: number,
    input: HistoryInput<C, Q>,
    operation: () => Promise<V>,
  ): Promise<V> {
    const call = this.#stamp();
    try {
      const value = await operation();
      this.#ops.push({ clientId, input, call, output: { ok: true, value }, return: this.#stamp() });
      return value;
    } catch (error) {
      const code = error instanceof ServiceError ? error.code : undefined;
      const unknown = input.kind === "submit" && !(code !== undefined && REFUSED.has(code));
      const message = error instanceof Error ? error.message : String(error);
      this.#ops.push({
        clientId,
        input,
        call,
        output: { ok: false, error: message, unknown },
        return: this.#stamp(),
      });
      throw error;
    }
  }

  /**
   * The history for porcupine: operations that surely had no effect (a refusal, a failed read) are
   * left out; those with an unknown outcome return at the end of the history.
   */
  operations(): Operation<HistoryInput<C, Q>, HistoryOutput<R | A>>[] {
    const end = this.#stamp();
    return this.#ops
      .filter((op) => op.output.ok || op.output.unknown)
      .map((op) => (op.output.ok ? op : { ...op, return: end }));
  }

  get size(): number {
    return this.#ops.length;
  }

  #stamp(): number {
    this.#last = Math.max(this.sim.now(), this.#last + 1e-6);
    return this.#last;
  }
}
