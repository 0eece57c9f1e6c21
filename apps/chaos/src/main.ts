#!/usr/bin/env node
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeChaosArtifacts } from "@raftkit/raft/testkit";
import { findConfig } from "./configs.js";
import { parseOptions, type RunnerOptions, USAGE, UsageError } from "./options.js";
import { type Job, runPool, serveWorker } from "./pool.js";
import { runProcessChaos } from "./processes/run-processes.js";
import { replayCommand, runSeed, type SeedResult } from "./run-seed.js";
import { summaryTable } from "./summary.js";

/** argv to exit code: 0 when every seed came out as its configuration expects. */
async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "--worker") {
    serveWorker(argv[1] ?? "chaos-failures", (job, out) => runSeed(job.config, job.seed, out));
    return -1;
  }
  if (argv.includes("--help")) {
    console.log(USAGE);
    return 0;
  }
  const options = parseOptions(argv);
  if (options.processes) return processSoak(options);
  if (options.seed !== undefined) return replay(options.configs, options.seed, options.out);
  const jobs: Job[] = [];
  for (let seed = options.from; seed < options.from + options.seeds; seed++) {
    jobs.push({ config: options.configs[seed % options.configs.length]!, seed });
  }
  const results: SeedResult[] = [];
  const started = performance.now();
  console.log(`chaos: ${options.seeds} seeds over ${options.configs.join(", ")} on ${options.jobs} workers`);
  await runPool(fileURLToPath(import.meta.url), jobs, {
    workers: options.jobs,
    out: options.out,
    onResult: (result) => {
      results.push(result);
      if (!result.expected) report(result);
      if (options.json) appendFileSync(options.json, `${JSON.stringify(result)}\n`);
      if (results.length % 500 === 0)
        console.log(
          `  ${results.length} seeds done, ${results.filter((r) => !r.expected).length} unexpected`,
        );
    },
  });
  console.log(summaryTable(results, performance.now() - started));
  return results.every((r) => r.expected) ? 0 : 1;
}

function report(result: SeedResult): void {
  const control = findConfig(result.config)?.expect === "fail";
  console.log(
    `\n${result.members === 0 ? "CRASH" : control ? "NOT CAUGHT" : "FAIL"} ${result.config} seed=${result.seed} (${result.members} members): ${result.verdict}`,
  );
  for (const v of result.violations) console.log(`  ${v}`);
  console.log(`  replay: ${replayCommand(result.config, result.seed)}`);
  for (const f of result.files) console.log(`  wrote ${f}`);
}

async function replay(configs: readonly string[], seed: number, out: string): Promise<number> {
  let ok = true;
  for (const config of configs) {
    const result = await runSeed(config, seed, out, true);
    console.log(`== ${config} seed=${seed}: ${result.verdict}\n${result.timeline}`);
    if (!result.expected) report(result);
    ok &&= result.expected;
  }
  return ok ? 0 : 1;
}

/** Real-process chaos, one seed after another (a soak): a summary line per seed. */
async function processSoak(options: RunnerOptions): Promise<number> {
  const seeds =
    options.seed !== undefined
      ? [options.seed]
      : Array.from({ length: options.seeds }, (_, k) => options.from + k);
  let failed = 0;
  for (const seed of seeds) {
    const report = await runProcessChaos({ seed, faults: options.faults });
    const line = `processes seed=${seed}: ${report.verdict}, ${report.history.length} operations, ${report.acknowledgedWrites} acknowledged writes`;
    console.log(options.seed !== undefined ? `${report.timeline}\n${line}` : line);
    if (report.verdict !== "pass") {
      failed++;
      const dir = join(options.out, "processes", `seed-${seed}`);
      const files = writeChaosArtifacts(
        { ...report, members: 3, schedule: [], committed: 0, virtualMs: 0 },
        dir,
      );
      for (const v of report.violations) console.log(`  ${v.checker}: ${v.message}`);
      console.log(
        `  replay the schedule: npm run chaos -- --processes --seed ${seed}\n  wrote ${files.join(", ")}`,
      );
    }
  }
  console.log(`processes: ${seeds.length - failed} of ${seeds.length} seeds passed`);
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
    process.exitCode = 2;
  },
);
