import type { ScenarioResult } from "../stats.js";

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const int = (v: number) => Math.round(v).toLocaleString("en-US");

/** The results as an aligned plain-text table, one row per scenario and client count. */
export function formatTable(results: ScenarioResult[]): string {
  const header = [
    "scenario",
    "servers",
    "clients",
    "ops/s",
    "(min–max)",
    "p50 ms",
    "p90 ms",
    "p99 ms",
    "max ms",
    "RPCs/op",
    "bytes/op",
    "stall ms",
  ];
  const rows = results.map((r) => [
    r.scenario,
    String(r.servers),
    String(r.clients),
    int(r.opsPerSec),
    `${int(r.spread.opsPerSecMin)}–${int(r.spread.opsPerSecMax)}`,
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p90),
    ms(r.latencyMs.p99),
    ms(r.latencyMs.max),
    r.rpcsPerOp.toFixed(2),
    int(r.bytesPerOp),
    r.stallMs === undefined ? "" : int(r.stallMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
