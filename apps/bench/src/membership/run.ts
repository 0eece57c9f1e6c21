import { Progress } from "../report/progress.js";
import { type CatchUpRun, measureCatchUp } from "./catch-up.js";
import type { MembershipOptions } from "./options.js";
import { measureStall, type StallRun } from "./stall.js";

/** A row: the median run (by `by`) of several, with the spread of that figure over the runs. */
export type Summary<Run> = Run & { runs: number; spread: { min: number; max: number } };

export function medianRun<Run>(runs: Run[], by: (run: Run) => number): Summary<Run> {
  const sorted = [...runs].sort((a, b) => by(a) - by(b));
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...median, runs: runs.length, spread: { min: by(sorted[0]!), max: by(sorted.at(-1)!) } };
}

export interface MembershipResults {
  catchUp: Summary<CatchUpRun>[];
  changes: Summary<StallRun>[];
}

/** Every selected size and change, `runs` times each, a fresh cluster per run. */
export async function runMembershipBench(
  options: MembershipOptions,
  progress = new Progress(),
): Promise<MembershipResults> {
  const total = (options.sizes.length + options.changes.length) * options.runs;
  let done = 0;
  const step = (label: string) => {
    progress.start(label);
    progress.update(done++ / total);
  };
  const deploy = { reads: options.reads, timing: options.timing, profileDir: undefined };
  const catchUp: Summary<CatchUpRun>[] = [];
  for (const keys of options.sizes) {
    const runs: CatchUpRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      step(`catch-up with ${keys} keys, run ${run + 1}/${options.runs}`);
      runs.push(
        await measureCatchUp({
          ...deploy,
          keys,
          valueBytes: options.valueBytes,
          maxRaftStateBytes: options.maxRaftStateBytes,
          limitMs: options.limitMs,
        }),
      );
    }
    catchUp.push(medianRun(runs, (r) => r.voterMs));
  }
  const changes: Summary<StallRun>[] = [];
  for (const kind of options.changes) {
    const runs: StallRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      step(`${kind} under ${options.clients} writing clients, run ${run + 1}/${options.runs}`);
      runs.push(
        await measureStall(kind, {
          ...deploy,
          clients: options.clients,
          keys: options.keys,
          valueBytes: options.valueBytes,
          warmupMs: options.warmupMs,
          windowMs: options.windowMs,
          limitMs: options.limitMs,
        }),
      );
    }
    changes.push(medianRun(runs, (r) => r.gapMsDuring));
  }
  progress.done();
  return { catchUp, changes };
}
