import type { Scenario } from "../scenario.js";
import { kvsrvLabrpc } from "./kvsrv-labrpc.js";

/** Every scenario, in the order the default suite runs them. */
export const SCENARIOS: readonly Scenario[] = [kvsrvLabrpc];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
