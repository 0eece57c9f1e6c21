import type { SeedResult } from "./run-seed.js";

/** The summary table: one row per (configuration, members), seeds by verdict, speed. */
export function summaryTable(results: readonly SeedResult[], wallMs: number): string {
  const rows = new Map<string, SeedResult[]>();
  for (const r of results) {
    const key = `${r.config}\t${r.members || "?"}`;
    rows.set(key, [...(rows.get(key) ?? []), r]);
  }
  const header = [
    "configuration",
    "members",
    "seeds",
    "pass",
    "fail",
    "unknown",
    "unexpected",
    "ops/seed",
    "wall s/seed",
  ];
  const lines = [...rows].sort().map(([key, rs]) => {
    const [config, members] = key.split("\t");
    const count = (v: SeedResult["verdict"]) => rs.filter((r) => r.verdict === v).length;
    const avg = (f: (r: SeedResult) => number) => rs.reduce((s, r) => s + f(r), 0) / rs.length;
    return [
      config!,
      members!,
      rs.length,
      count("pass"),
      count("fail"),
      count("unknown"),
      rs.filter((r) => !r.expected).length,
      avg((r) => r.operations).toFixed(0),
      (avg((r) => r.realMs) / 1000).toFixed(2),
    ].map(String);
  });
  const table = [header, ...lines];
  const widths = header.map((_, k) => Math.max(...table.map((row) => row[k]!.length)));
  const format = (row: string[]) =>
    row.map((cell, k) => (k < 1 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join("  ");
  const perMinute = (results.length / (wallMs / 60_000)).toFixed(0);
  return [
    ...table.map(format),
    "",
    `${results.length} seeds in ${(wallMs / 1000).toFixed(0)} s: ${perMinute} seeds/minute`,
  ].join("\n");
}
