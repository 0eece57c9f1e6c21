import { assertLinearizable, type KvInput, type KvOutput, kvModel, type Operation } from "@raftkit/porcupine";

/** One completed operation, in porcupine's kvModel terms (Appends have no output value). */
export type KvOperation = Operation<KvInput, KvOutput>;

/**
 * The lab's linearizabilityCheckTimeout (1 s of real time; a timeout passes). Soak runs may
 * raise it with RAFTKIT_CHECK_TIMEOUT_MS (0: no limit) so that every history is decided.
 */
const CHECK_TIMEOUT_MS = Number(process.env.RAFTKIT_CHECK_TIMEOUT_MS ?? 5000);

/** What the check concluded, for tests that report it. */
export type CheckOutcome = "ok" | "unknown";

/**
 * Checks a history with porcupine's kvModel. Illegal: writes the visualisation and throws,
 * naming the file. Timed out: passes with the lab's info line.
 */
export async function checkLinearizable(history: readonly KvOperation[]): Promise<CheckOutcome> {
  const started = performance.now();
  // Throws NotLinearizableError, naming the visualisation it wrote, for an illegal history.
  const result = assertLinearizable(kvModel, [...history], { timeout: CHECK_TIMEOUT_MS });
  if (process.env.RAFTKIT_CHECK_TIMES) {
    console.log(
      `  porcupine: ${result} in ${(performance.now() - started).toFixed(0)} ms (${history.length} ops)`,
    );
  }
  if (result === "unknown") {
    console.log("  info: linearizability check timed out, assuming history is ok");
    return "unknown";
  }
  return "ok";
}
