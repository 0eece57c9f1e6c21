import { checkOperationsVerbose, type Model, type Operation, writeVisualization } from "@raftkit/porcupine";
import type { Violation } from "./violation.js";

export interface LinearizabilityOutcome {
  /** `unknown`: porcupine ran out of time (the history is neither passed nor failed). */
  readonly verdict: "ok" | "illegal" | "unknown";
  readonly violation?: Violation;
  /** Writes porcupine's visualisation of this history (the partial linearizations) to `path`. */
  readonly visualize: (path: string) => string;
}

/** Checks a client history against the user's porcupine model. */
export function checkLinearizability<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  options: { timeoutMs: number; atMs: number },
): LinearizabilityOutcome {
  const { result, info } = checkOperationsVerbose(model, [...history], { timeout: options.timeoutMs });
  const visualize = (path: string) => writeVisualization(model, info, path);
  if (result !== "illegal") return { verdict: result, visualize };
  return {
    verdict: "illegal",
    violation: {
      checker: "linearizability",
      message: `the history of ${history.length} client operations is not linearizable (${model.name ?? "model"})`,
      atMs: options.atMs,
    },
    visualize,
  };
}
