import type { Scenario } from "../scenario.js";
import { etcdFailoverTcp3, etcdPlannedStopTcp3, etcdTcp3 } from "./etcd-tcp.js";
import { failoverLabrpc3, kvraftLabrpc3, kvraftLabrpc5 } from "./kvraft-labrpc.js";
import { failoverTcp3, kvraftTcp3, plannedStopTcp3 } from "./kvraft-tcp.js";
import { kvsrvLabrpc } from "./kvsrv-labrpc.js";

/** Every scenario, in the order the default suite runs them (those needing etcd only on request). */
export const SCENARIOS: readonly Scenario[] = [
  kvsrvLabrpc,
  kvraftLabrpc3,
  kvraftLabrpc5,
  kvraftTcp3,
  failoverLabrpc3,
  failoverTcp3,
  plannedStopTcp3,
  etcdTcp3,
  etcdFailoverTcp3,
  etcdPlannedStopTcp3,
];

/** What runs without --scenario: every scenario that needs no outside program. */
export const DEFAULT_SCENARIOS: readonly Scenario[] = SCENARIOS.filter((s) => !s.requires);

/**
 * `selected`, each followed by the etcd scenario that is its yardstick (if any); etcd-tcp-3 at
 * the end when none of them has one.
 */
export function withEtcdCounterparts(selected: readonly Scenario[]): Scenario[] {
  const out: Scenario[] = [];
  for (const s of selected) {
    if (!out.includes(s)) out.push(s);
    const yardstick = SCENARIOS.find((e) => e.counterpart === s.name);
    if (yardstick && !out.includes(yardstick)) out.push(yardstick);
  }
  if (!out.some((s) => s.requires === "etcd")) out.push(etcdTcp3);
  return out;
}

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
