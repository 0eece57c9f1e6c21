import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Counters, Deployment, KvClient } from "./scenario.js";

export interface Workload {
  /** Relative weights of Get, Put and Append. */
  mix: { get: number; put: number; append: number };
  keys: number;
  valueSize: number;
}

export interface RunOptions {
  /**
   * Unmeasured time before the window; the window also waits until every client has completed an
   * operation (its connection and session are set up), at most `maxWarmupMs` (default 30 000).
   */
  warmupMs: number;
  maxWarmupMs?: number;
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
 * measured window, on the real clock: this is a benchmark, not a test. The window opens once
 * `warmupMs` has passed and every client has completed an operation: on a loaded machine a fresh
 * deployment's first operations (connections, sessions, cold code) took longer than a fixed
 * warm-up, and a failover run whose window opened before they finished could have its leader
 * stopped with no operation measured at all.
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
  const warmUntil = start + options.warmupMs;
  const giveUpWarmingAt = start + Math.max(options.warmupMs, options.maxWarmupMs ?? 30_000);
  let warmClients = 0;
  let measureFrom = Number.POSITIVE_INFINITY;
  let end = Number.POSITIVE_INFINITY;
  let before: Promise<Counters> | undefined;
  let killAt: number | undefined;
  let killer: ReturnType<typeof setTimeout> | undefined;

  const openWindow = (now: number) => {
    if (measureFrom !== Number.POSITIVE_INFINITY) return;
    if (now < giveUpWarmingAt && (now < warmUntil || warmClients < clients)) return;
    measureFrom = now;
    end = now + options.durationMs;
    before = Promise.resolve(deployment.counters());
    if (options.killLeaderAt !== undefined && deployment.killLeader) {
      killer = setTimeout(() => {
        killAt = performance.now();
        void deployment.killLeader!();
      }, options.durationMs * options.killLeaderAt);
    }
  };

  const loop = async (client: KvClient) => {
    for (let n = 1; ; n++) {
      // An in-memory system can answer without ever returning to the event loop; let timers run.
      if (n % 16 === 0) await yieldToEventLoop();
      const t0 = performance.now();
      openWindow(t0);
      if (t0 >= end) return;
      const key = `k${Math.floor(Math.random() * keys)}`;
      const pick = Math.random() * total;
      const isWrite = pick >= mix.get;
      if (!isWrite) await client.get(key);
      else if (pick < mix.get + mix.put) await client.put(key, value);
      else await client.append(key, value);
      const t1 = performance.now();
      if (n === 1) warmClients++;
      if (t0 >= measureFrom && t1 <= end) latencies.push(t1 - t0);
      if (isWrite) writeTimes.push(t1);
    }
  };

  const ticker = setInterval(() => {
    const now = performance.now();
    openWindow(now);
    options.onTick?.(Number.isFinite(end) ? Math.min(1, (now - start) / (end - start)) : 0);
  }, 20);
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
