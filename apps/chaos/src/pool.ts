import { fork } from "node:child_process";
import type { SeedResult } from "./run-seed.js";

export interface Job {
  config: string;
  seed: number;
}

/**
 * Runs jobs in `workers` child processes (this same program with `--worker`), handing each
 * worker its next job as soon as it reports the last one.
 */
export function runPool(
  script: string,
  jobs: readonly Job[],
  options: { workers: number; out: string; onResult: (result: SeedResult) => void },
): Promise<void> {
  let next = 0;
  const workers = Math.min(options.workers, jobs.length);
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const child = fork(script, ["--worker", options.out], {
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      const give = () => {
        if (next < jobs.length) child.send(jobs[next++]!);
        else child.disconnect();
      };
      child.on("message", (result: SeedResult) => {
        options.onResult(result);
        give();
      });
      child.on("error", reject);
      child.on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`chaos worker exited with code ${code}`)),
      );
      give();
    });
  return Promise.all(Array.from({ length: workers }, one)).then(() => undefined);
}

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
