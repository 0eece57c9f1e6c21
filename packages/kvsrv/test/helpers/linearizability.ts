import type { Simulation } from "@raftkit/labrpc";
import type { KvOperation, PorcupineApi } from "./porcupine-contract.js";

const PORCUPINE = "@raftkit/porcupine";

// Loading starts with this module; it is real I/O, so it is awaited outside virtual time.
const porcupine: Promise<PorcupineApi | Error> = (import(PORCUPINE) as Promise<PorcupineApi>).then(
  (api) =>
    typeof api.checkOperationsVerbose === "function"
      ? api
      : new Error(`${PORCUPINE} lacks checkOperationsVerbose`),
  (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
);

/**
 * Waits for real asynchronous work (which may take event-loop turns) from inside a simulation
 * without advancing virtual time: zero-delay timers keep the simulation from reporting a stall.
 */
async function outsideVirtualTime<T>(sim: Simulation, work: () => T | Promise<T>): Promise<T> {
  let settled = false;
  const promise = Promise.resolve().then(work);
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  while (!settled) await sim.sleep(0);
  return promise;
}

/**
 * Checks a key/value history with porcupine's kvModel (1 s budget, as the lab). An illegal
 * history throws, naming the visualisation file; a timeout passes with an info line.
 */
export async function checkLinearizable(sim: Simulation, history: KvOperation[]): Promise<void> {
  const api = await outsideVirtualTime(sim, () => porcupine);
  if (api instanceof Error) {
    if (process.env.RAFTKIT_REQUIRE_PORCUPINE) throw api;
    console.log(`  info: ${PORCUPINE} not available (${api.message.split("\n")[0]}); history not checked`);
    return;
  }
  const { result, info } = await outsideVirtualTime(sim, () =>
    api.checkOperationsVerbose(api.kvModel, history, { timeout: 1000 }),
  );
  if (result === "illegal") {
    const file = await outsideVirtualTime(sim, () => api.writeVisualization(api.kvModel, info));
    throw new Error(`history is not linearizable; visualisation written to ${file}`);
  }
  if (result === "unknown") console.log("  info: linearizability check timed out, assuming history is ok");
}
