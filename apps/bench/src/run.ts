import type { BenchOptions } from "./options.js";
import { Progress } from "./report/progress.js";
import type { Deployment, Scenario } from "./scenario.js";
import { type ScenarioResult, summarizeRuns } from "./stats.js";
import { type RunResult, runWorkload } from "./workload.js";

/** The measured window of each run of `scenario`: --duration, or longer if the scenario needs it. */
export function measuredMs(options: BenchOptions, scenario: Scenario): number {
  return options.durationExplicit
    ? options.durationMs
    : Math.max(options.durationMs, scenario.minDurationMs ?? 0);
}

/** Runs every selected scenario at every client count, `runs` times each, a fresh deployment per run. */
export async function runBench(options: BenchOptions, progress = new Progress()): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const clientsOf = (s: (typeof options.scenarios)[number]) => s.clients ?? options.clients;
  const total = options.scenarios.reduce((n, s) => n + clientsOf(s).length, 0) * options.runs;
  let done = 0;
  for (const scenario of options.scenarios) {
    const durationMs = measuredMs(options, scenario);
    let shared: Deployment | undefined;
    try {
      for (const clients of clientsOf(scenario)) {
        const runs: RunResult[] = [];
        for (let run = 0; run < options.runs; run++) {
          progress.start(`${scenario.name}, ${clients} clients, run ${run + 1}/${options.runs}`);
          // A failover kills a member: it needs a fresh deployment every run.
          const deployOptions = {
            reads: options.reads,
            timing: options.timing,
            profileDir: options.profileDir,
            nodeFlags: options.nodeFlags,
          };
          if (!scenario.failover && !shared) shared = await scenario.deploy(deployOptions);
          const deployment = shared ?? (await scenario.deploy(deployOptions));
          try {
            runs.push(
              await runWorkload(deployment, clients, options.workload, {
                warmupMs: options.warmupMs,
                durationMs,
                ...(scenario.failover ? { killLeaderAt: 1 / 3 } : {}),
                onTick: (f) => progress.update((done + f) / total),
              }),
            );
          } finally {
            if (deployment !== shared) await deployment.close();
          }
          done++;
        }
        const meta = {
          scenario: scenario.name,
          transport: scenario.transport,
          servers: scenario.servers,
          clients,
        };
        results.push(summarizeRuns(meta, runs));
      }
    } finally {
      await shared?.close();
    }
  }
  progress.done();
  return results;
}
