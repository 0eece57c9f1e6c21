import {
  checkOperationsVerbose,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
  writeVisualization,
} from "@raftkit/porcupine";

/** One completed key/value operation, as porcupine's kvModel reads it. */
export type KvOperation = Operation<KvInput, KvOutput>;

/**
 * Checks a key/value history with porcupine's kvModel (1 s budget, as the lab). An illegal
 * history throws, naming the visualisation file; a timeout passes with an info line.
 */
export async function checkLinearizable(history: KvOperation[]): Promise<void> {
  const { result, info } = await checkOperationsVerbose(kvModel, history, { timeout: 1000 });
  if (result === "illegal") {
    const file = await writeVisualization(kvModel, info);
    throw new Error(`history is not linearizable; visualisation written to ${file}`);
  }
  if (result === "unknown") console.log("  info: linearizability check timed out, assuming history is ok");
}
