import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ChaosReport } from "./run-chaos.js";

/** A chaos run that found a violation (or could not be decided): seed, replay command, artifacts. */
export class ChaosFailure extends Error {
  override readonly name = "ChaosFailure";
  readonly code = "ERR_CHAOS_FAILURE";
  constructor(
    readonly report: ChaosReport,
    readonly replay: string,
    readonly files: readonly string[],
  ) {
    super(describeFailure(report, replay, files));
  }
}

function describeFailure(report: ChaosReport, replay: string, files: readonly string[]): string {
  const found = report.violations.map((v) => `  ${v.checker} at ${Math.round(v.atMs)} ms: ${v.message}`);
  if (found.length === 0) found.push("  porcupine could not decide the history in time (verdict unknown)");
  return [
    `chaos run failed: seed=${report.seed}, ${report.members} members`,
    ...found,
    `replay: ${replay}`,
    ...files.map((f) => `wrote ${f}`),
  ].join("\n");
}

/**
 * Writes the run's timeline (`timeline.txt`) and, for a service, porcupine's visualisation of
 * its history (`history.html`) into `dir`; returns the paths.
 */
export function writeChaosArtifacts(report: ChaosReport, dir: string): string[] {
  const target = resolve(dir);
  mkdirSync(target, { recursive: true });
  const timeline = join(target, "timeline.txt");
  const violations = report.violations
    .map((v) => `${v.checker} at ${Math.round(v.atMs)} ms: ${v.message}`)
    .join("\n");
  writeFileSync(timeline, `${report.timeline}\n\n${violations || `verdict: ${report.verdict}`}\n`, "utf8");
  const files = [timeline];
  if (report.visualize) files.push(report.visualize(join(target, "history.html")));
  return files;
}

/**
 * For tests: throws ChaosFailure unless the run passed, after printing the seed and the replay
 * command and writing the artifacts under `artifactsDir/seed-<n>` (default: `chaos-failures`).
 */
export function assertChaosPassed(
  report: ChaosReport,
  options: { replay: string; artifactsDir?: string; allowUnknown?: boolean },
): void {
  if (report.verdict === "pass" || (report.verdict === "unknown" && options.allowUnknown)) return;
  const files = writeChaosArtifacts(
    report,
    join(options.artifactsDir ?? "chaos-failures", `seed-${report.seed}`),
  );
  const failure = new ChaosFailure(report, options.replay, files);
  console.error(failure.message);
  throw failure;
}
