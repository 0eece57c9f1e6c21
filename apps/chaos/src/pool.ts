import { fork } from "node:child_process";
import type { SeedResult } from "./run-seed.js";

export interface Job {
  config: string;
  seed: number;
}

/**
 * Runs jobs in `workers` child processes (this same program with `--worker`), handing each
 * worker its next job as soon as it reports the last one. A worker that dies (an uncaught
 * error in the code under test) is a failed result for the seed it held, with the end of its
 * stderr, and a new worker takes its place.
 */
export function runPool(
  script: string,
  jobs: readonly Job[],
  options: { workers: number; out: string; onResult: (result: SeedResult) => void },
): Promise<void> {
  let next = 0;
  const one = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const child = fork(script, ["--worker", options.out], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
      let held: Job | undefined;
      let stderr = "";
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      const give = () => {
        held = next < jobs.length ? jobs[next++] : undefined;
        if (held) child.send(held);
        else child.disconnect();
      };
      child.on("message", (result: SeedResult) => {
        options.onResult(result);
        give();
      });
      child.on("exit", (code, signal) => {
        if (!held) return resolve();
        options.onResult(
          crashed(held, `worker died (${signal ?? `exit code ${code}`}): ${firstLines(stderr)}`),
        );
        resolve(one());
      });
      give();
    });
  return Promise.all(Array.from({ length: Math.min(options.workers, jobs.length) }, one)).then(
    () => undefined,
  );
}

/** The result of a seed whose worker died running it. */
function crashed(job: Job, why: string): SeedResult {
  return {
    config: job.config,
    seed: job.seed,
    members: 0,
    verdict: "fail",
    expected: false,
    violations: [`member-error: ${why}`],
    operations: 0,
    committed: 0,
    virtualMs: 0,
    realMs: 0,
    files: [],
  };
}

const firstLines = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .slice(0, 4)
    .join(" | ");

/** The worker side: runs each job it is sent, replies with the result, ends when disconnected. */
export function serveWorker(out: string, run: (job: Job, out: string) => Promise<SeedResult>): void {
  process.on("message", (job: Job) => {
    run(job, out).then(
      (result) => process.send?.(result),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
