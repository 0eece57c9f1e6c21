import { checkOperationsVerbose } from "./check.js";
import type { Model } from "./model.js";
import type { CheckOptions, Operation } from "./types.js";
import { writeVisualization } from "./visualize/write.js";

/** A history that is not linearizable; `file` is the visualisation written for it. */
export class NotLinearizableError extends Error {
  override readonly name = "NotLinearizableError";
  constructor(readonly file: string) {
    super(`history is not linearizable; visualisation written to ${file}`);
  }
}

/**
 * For tests of a service: checks the history and, if it is illegal, writes the visualisation and
 * throws NotLinearizableError naming the file. Returns `"unknown"` when the timeout fired first
 * (the MIT labs let such a history pass), else `"ok"`.
 */
export function assertLinearizable<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: CheckOptions & { visualizationPath?: string } = {},
): "ok" | "unknown" {
  const { result, info } = checkOperationsVerbose(model, history, options);
  if (result === "illegal")
    throw new NotLinearizableError(writeVisualization(model, info, options.visualizationPath));
  return result;
}
