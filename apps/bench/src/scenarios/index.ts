import type { Scenario } from "../scenario.js";
import { failoverLabrpc3, kvraftLabrpc3, kvraftLabrpc5 } from "./kvraft-labrpc.js";
import { failoverTcp3, kvraftTcp3, plannedStopTcp3 } from "./kvraft-tcp.js";
import { kvsrvLabrpc } from "./kvsrv-labrpc.js";

/** Every scenario, in the order the default suite runs them. */
export const SCENARIOS: readonly Scenario[] = [
  kvsrvLabrpc,
  kvraftLabrpc3,
  kvraftLabrpc5,
  kvraftTcp3,
  failoverLabrpc3,
  failoverTcp3,
  plannedStopTcp3,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
