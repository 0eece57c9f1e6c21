import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Counters, Deployment, KvClient } from "./scenario.js";

export interface Workload {
  /** Relative weights of Get, Put and Append. */
  mix: { get: number; put: number; append: number };
  keys: number;
  valueSize: number;
}

export interface RunOptions {
  warmupMs: number;
  durationMs: number;
  /** Kill the leader at this fraction of the measured window (failover scenarios). */
  killLeaderAt?: number;
  onTick?: (fraction: number) => void;
}

export interface RunResult {
  ops: number;
  durationS: number;
  /** Latency of every measured operation, in ms. */
  latencies: Float64Array;
  counters: Counters;
  /** Longest time no write completed after the leader was killed, in ms. */
  stallMs?: number;
}

/**
 * Runs every client in a closed loop (one operation at a time each) through a warm-up and a
 * measured window, on the real clock: this is a benchmark, not a test.
 */
export async function runWorkload(
  deployment: Deployment,
  clients: number,
  workload: Workload,
  options: RunOptions,
): Promise<RunResult> {
  const { mix, keys, valueSize } = workload;
  const total = mix.get + mix.put + mix.append;
  const value = "v".repeat(valueSize);
  const latencies: number[] = [];
  const writeTimes: number[] = [];
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  let before: Promise<Counters> | undefined;
  let killAt: number | undefined;

  const loop = async (client: KvClient) => {
    for (let n = 1; ; n++) {
      // An in-memory system can answer without ever returning to the event loop; let timers run.
      if (n % 16 === 0) await yieldToEventLoop();
      const t0 = performance.now();
      if (t0 >= end) return;
      if (!before && t0 >= measureFrom) before = Promise.resolve(deployment.counters());
      const key = `k${Math.floor(Math.random() * keys)}`;
      const pick = Math.random() * total;
      const isWrite = pick >= mix.get;
      if (!isWrite) await client.get(key);
      else if (pick < mix.get + mix.put) await client.put(key, value);
      else await client.append(key, value);
      const t1 = performance.now();
      if (t0 >= measureFrom && t1 <= end) latencies.push(t1 - t0);
      if (isWrite) writeTimes.push(t1);
    }
  };

  const ticker = setInterval(() => {
    const now = performance.now();
    options.onTick?.(Math.min(1, (now - start) / (end - start)));
  }, 20);
  const killer =
    options.killLeaderAt !== undefined && deployment.killLeader
      ? setTimeout(
          () => {
            killAt = performance.now();
            void deployment.killLeader!();
          },
          options.warmupMs + options.durationMs * options.killLeaderAt,
        )
      : undefined;
  try {
    await Promise.all(deployment.makeClients(clients).map(loop));
  } finally {
    clearInterval(ticker);
    clearTimeout(killer);
  }
  const after = await deployment.counters();
  const base = (await before) ?? after;
  return {
    ops: latencies.length,
    durationS: options.durationMs / 1000,
    latencies: Float64Array.from(latencies),
    counters: {
      rpcs: after.rpcs - base.rpcs,
      bytes: after.bytes - base.bytes,
      ...(after.cpuUs && base.cpuUs
        ? {
            cpuUs: {
              servers: after.cpuUs.servers.map((us, i) => us - (base.cpuUs?.servers[i] ?? 0)),
              client: after.cpuUs.client - base.cpuUs.client,
            },
          }
        : {}),
    },
    ...(killAt !== undefined ? { stallMs: longestGapAfter(writeTimes, killAt, end) } : {}),
  };
}

/** The longest stretch, from `from` to `until`, with no write completing. */
export function longestGapAfter(times: number[], from: number, until: number): number {
  let last = from;
  let longest = 0;
  for (const t of times.filter((t) => t >= from && t <= until).sort((a, b) => a - b)) {
    longest = Math.max(longest, t - last);
    last = t;
  }
  return Math.max(longest, until - last);
}
