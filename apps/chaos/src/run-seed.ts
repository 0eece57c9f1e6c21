import { join } from "node:path";
import { runChaos, writeChaosArtifacts } from "@raftkit/raft/testkit";
import { findConfig } from "./configs.js";

/** What one seed of one configuration came to. */
export interface SeedResult {
  config: string;
  seed: number;
  members: number;
  verdict: "pass" | "fail" | "unknown";
  /** As expected: a pass for a healthy configuration, a fail for a negative control. */
  expected: boolean;
  violations: string[];
  operations: number;
  committed: number;
  virtualMs: number;
  realMs: number;
  files: string[];
  timeline?: string;
}

/** The one-line command that replays a seed. */
export const replayCommand = (config: string, seed: number): string =>
  `npm run chaos -- --config ${config} --seed ${seed}`;

/** Runs one seed; a failure (or a negative control that passed) writes its artifacts under `out`. */
export async function runSeed(
  config: string,
  seed: number,
  out: string,
  withTimeline = false,
): Promise<SeedResult> {
  const chosen = findConfig(config);
  if (!chosen) throw new Error(`unknown configuration ${config}`);
  const started = performance.now();
  const report = await runChaos(chosen.options(seed));
  const expected = (report.verdict === "fail") === (chosen.expect === "fail");
  const files =
    report.verdict === "pass" ? [] : writeChaosArtifacts(report, join(out, config, `seed-${seed}`));
  return {
    config,
    seed,
    members: report.members,
    verdict: report.verdict,
    expected,
    violations: report.violations.map((v) => `${v.checker}: ${v.message}`),
    operations: report.history.length,
    committed: report.committed,
    virtualMs: Math.round(report.virtualMs),
    realMs: Math.round(performance.now() - started),
    files,
    ...(withTimeline ? { timeline: report.timeline } : {}),
  };
}
