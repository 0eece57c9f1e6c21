import type { Operation } from "@raftkit/porcupine";
import { show } from "../../applied-logs.js";
import type { Violation } from "./violation.js";

/**
 * No acknowledged write is lost: after healing, the final reads must show every write a client
 * saw acknowledged. `shows(write, reads)` says whether the reads show that write (undefined:
 * the operation is not a write, or the reads cannot tell).
 */
export function checkAcknowledgedWrites<I, O>(
  history: readonly Operation<I, O>[],
  finalReads: readonly { input: I; output: O }[],
  shows: (write: I, reads: readonly { input: I; output: O }[]) => boolean | undefined,
  atMs: number,
): Violation | undefined {
  const lost = history.filter((op) => shows(op.input, finalReads) === false);
  if (lost.length === 0) return undefined;
  const first = lost
    .slice(0, 3)
    .map((op) => `${show(op.input)} (client ${op.clientId ?? "?"}, acknowledged at ${op.return} ms)`);
  return {
    checker: "acknowledged-writes",
    message: `${lost.length} acknowledged write(s) missing after healing: ${first.join("; ")}`,
    atMs,
  };
}
