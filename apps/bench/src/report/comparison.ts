import type { Scenario } from "../scenario.js";
import type { ScenarioResult } from "../stats.js";
import { int, ms } from "./table.js";

/** A raftkit row beside the row of its etcd yardstick at the same client count. */
export interface Comparison {
  scenario: string;
  yardstick: string;
  clients: number;
  /** raftkit's ops/s divided by etcd's. */
  opsRatio: number;
  /** [raftkit, etcd] */
  p50Ms: [number, number];
  p99Ms: [number, number];
  stallMs?: [number, number];
}

/** Every pair of rows where one scenario is the other's yardstick (`counterpart`). */
export function compareWithYardsticks(
  scenarios: readonly Scenario[],
  results: readonly ScenarioResult[],
): Comparison[] {
  const out: Comparison[] = [];
  for (const theirs of results) {
    const counterpart = scenarios.find((s) => s.name === theirs.scenario)?.counterpart;
    const ours = results.find((r) => r.scenario === counterpart && r.clients === theirs.clients);
    if (!ours) continue;
    out.push({
      scenario: ours.scenario,
      yardstick: theirs.scenario,
      clients: ours.clients,
      opsRatio: theirs.opsPerSec > 0 ? ours.opsPerSec / theirs.opsPerSec : Number.POSITIVE_INFINITY,
      p50Ms: [ours.latencyMs.p50, theirs.latencyMs.p50],
      p99Ms: [ours.latencyMs.p99, theirs.latencyMs.p99],
      ...(ours.stallMs !== undefined && theirs.stallMs !== undefined
        ? { stallMs: [ours.stallMs, theirs.stallMs] as [number, number] }
        : {}),
    });
  }
  return out;
}

/** One line per comparison, e.g. `kvraft-tcp-3 vs etcd-tcp-3, 1 client: 2.10× the ops/s; p50 ...`. */
export function formatComparisons(comparisons: readonly Comparison[]): string {
  return comparisons
    .map((c) => {
      const stall = c.stallMs ? `; write stall ${int(c.stallMs[0])} vs ${int(c.stallMs[1])} ms` : "";
      return (
        `${c.scenario} vs ${c.yardstick}, ${c.clients} client${c.clients === 1 ? "" : "s"}: ` +
        `${c.opsRatio.toFixed(2)}× the ops/s; p50 ${ms(c.p50Ms[0])} vs ${ms(c.p50Ms[1])} ms, ` +
        `p99 ${ms(c.p99Ms[0])} vs ${ms(c.p99Ms[1])} ms${stall}`
      );
    })
    .join("\n");
}
