import type { ScenarioResult } from "../stats.js";
import type { RunInfo } from "./run-info.js";
import { int, ms } from "./table.js";

/** One sentence per scenario: what ran, and its best throughput with the latency there. */
export function scenarioSentences(
  info: RunInfo,
  results: ScenarioResult[],
): Array<{ name: string; text: string }> {
  return info.scenarios.flatMap(({ name, description }) => {
    const rows = results.filter((r) => r.scenario === name);
    if (rows.length === 0) return [];
    const best = rows.reduce((a, b) => (b.opsPerSec > a.opsPerSec ? b : a));
    if (best.ops === 0) {
      return [
        { name, text: `${description}: no operation completed inside the measured window in any row.` },
      ];
    }
    const stalls = rows.flatMap((r) => (r.stallMs === undefined ? [] : [r.stallMs]));
    const stall =
      stalls.length > 0
        ? `; after the leader was killed, writes stalled for up to ${int(Math.max(...stalls))} ms`
        : "";
    const text =
      `${description}: best ${int(best.opsPerSec)} ops/s (runs ${int(best.spread.opsPerSecMin)}–${int(best.spread.opsPerSecMax)}) ` +
      `with ${best.clients} client${best.clients === 1 ? "" : "s"}, p50 ${ms(best.latencyMs.p50)} ms and p99 ` +
      `${ms(best.latencyMs.p99)} ms there, ${best.rpcsPerOp.toFixed(2)} RPCs and ${int(best.bytesPerOp)} bytes per op${stall}.`;
    return [{ name, text }];
  });
}
