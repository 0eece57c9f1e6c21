import type { ScenarioResult } from "../stats.js";

export const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
export const int = (v: number) => Math.round(v).toLocaleString("en-US");

/** The columns of a result row, as the text table and the HTML page both show them. */
export const COLUMNS = [
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
  "CPU µs/op",
  "stall ms",
];

/** One result as the cells of COLUMNS. */
export function rowCells(r: ScenarioResult): string[] {
  return [
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
    r.cpuUsPerOp ? int(r.cpuUsPerOp.servers.reduce((a, b) => a + b, 0)) : "",
    r.stallMs === undefined ? "" : int(r.stallMs),
  ];
}

/** The results as an aligned plain-text table, one row per scenario and client count. */
export function formatTable(results: ScenarioResult[]): string {
  return align(COLUMNS, results.map(rowCells));
}

/** Aligned columns under a header and a rule: the first column left, the rest right. */
export function align(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
