import type { RunResult } from "./workload.js";

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One scenario at one client count: the median run's figures, with the spread across runs. */
export interface ScenarioResult {
  scenario: string;
  transport: string;
  servers: number;
  clients: number;
  durationS: number;
  ops: number;
  opsPerSec: number;
  latencyMs: LatencySummary;
  rpcs: number;
  rpcsPerOp: number;
  bytesPerOp: number;
  /**
   * CPU time per operation in µs (TCP scenarios on Linux): each server process's, by member, and
   * the clients' process's (the bench itself).
   */
  cpuUsPerOp?: { servers: number[]; client: number };
  runs: number;
  /** Lowest and highest ops/s over the runs. */
  spread: { opsPerSecMin: number; opsPerSecMax: number };
  stallMs?: number;
}

/** The value below which `q` of the sorted samples fall (nearest rank). */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarizeLatency(latencies: Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/** Reports the run with the median throughput, so every figure in a row comes from one real run. */
export function summarizeRuns(
  meta: { scenario: string; transport: string; servers: number; clients: number },
  runs: RunResult[],
): ScenarioResult {
  const rates = runs.map((r) => r.ops / r.durationS);
  const target = median(rates);
  const run = runs[rates.indexOf(target)]!;
  const ops = run.ops;
  const stalls = runs.flatMap((r) => (r.stallMs === undefined ? [] : [r.stallMs]));
  return {
    ...meta,
    durationS: run.durationS,
    ops,
    opsPerSec: target,
    latencyMs: summarizeLatency(run.latencies),
    rpcs: run.counters.rpcs,
    rpcsPerOp: ops > 0 ? run.counters.rpcs / ops : 0,
    bytesPerOp: ops > 0 ? run.counters.bytes / ops : 0,
    ...(run.counters.cpuUs && ops > 0
      ? {
          cpuUsPerOp: {
            servers: run.counters.cpuUs.servers.map((us) => us / ops),
            client: run.counters.cpuUs.client / ops,
          },
        }
      : {}),
    runs: runs.length,
    spread: { opsPerSecMin: Math.min(...rates), opsPerSecMax: Math.max(...rates) },
    ...(stalls.length > 0 ? { stallMs: median(stalls) } : {}),
  };
}
