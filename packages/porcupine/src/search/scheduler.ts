import type { CheckResult } from "../types.js";
import type { PartitionSearch } from "./search.js";

/**
 * Steps a partition runs before the scheduler moves to the next one and looks at the clock. Adapted so
 * that a slice takes about 0.25–1 ms whatever the model costs per step: the timeout stays prompt with a slow
 * model, and a fast one is not slowed by clock reads.
 */
const FIRST_SLICE = 16;
const MIN_SLICE = 1;
const MAX_SLICE = 1 << 16;
const SLICE_MS_LOW = 0.25;
const SLICE_MS_HIGH = 1;

/**
 * Verbose mode keeps searching the other partitions after one is found illegal, to show them too, but for
 * at most this long when there is no earlier deadline (some partitions never finish).
 */
export const VERBOSE_GRACE_MS = 1000;

export interface ScheduleOutcome {
  result: CheckResult;
  /** Per search: its own answer ("unknown" if it was stopped undecided). */
  results: CheckResult[];
}

/**
 * Runs the partition searches round-robin, a slice at a time, so that an illegal partition is found
 * quickly even when another partition is very hard. Stops when every partition is decided, when the
 * deadline (a `performance.now()` value; 0 = none) passes or `stop()` is called, and at the first illegal
 * partition (verbose mode: `VERBOSE_GRACE_MS` later, unless the deadline comes first).
 */
export class Scheduler<S, I, O> {
  private live: PartitionSearch<S, I, O>[];
  /** Round-robin position in `live`, kept across `runUntil` calls. */
  private cursor = 0;
  private illegal = false;
  private stopAt: number;
  private stopped = false;
  private slice = FIRST_SLICE;

  constructor(
    private readonly searches: readonly PartitionSearch<S, I, O>[],
    deadline: number,
    private readonly verbose: boolean,
  ) {
    this.stopAt = deadline;
    this.live = searches.filter((search) => search.status === "running");
  }

  /** Whether the run is over (decided, stopped or past the deadline). */
  get done(): boolean {
    return this.live.length === 0 || this.stopped;
  }

  /** Runs slices until the run is over or the clock passes `until`; returns `done`. */
  runUntil(until: number): boolean {
    while (!this.done) {
      if (this.cursor >= this.live.length) {
        this.live = this.live.filter((search) => search.status === "running");
        this.cursor = 0;
        continue;
      }
      const search = this.live[this.cursor++]!;
      const started = performance.now();
      const status = search.run(this.slice);
      const now = performance.now();
      if (status === "running") this.slice = adapt(this.slice, now - started);
      if (status === "illegal") this.noteIllegal(now);
      if (!this.stopped && this.stopAt > 0 && now >= this.stopAt) this.stop();
      if (now >= until) break;
    }
    return this.done;
  }

  /** Stops the run: undecided partitions stay undecided. */
  stop(): void {
    this.stopped = true;
  }

  outcome(): ScheduleOutcome {
    const results = this.searches.map(
      (search): CheckResult => (search.status === "running" ? "unknown" : search.status),
    );
    const undecided = results.includes("unknown");
    return { result: this.illegal ? "illegal" : undecided ? "unknown" : "ok", results };
  }

  private noteIllegal(now: number): void {
    if (!this.verbose) {
      this.illegal = true;
      this.stop();
      return;
    }
    if (this.illegal) return;
    this.illegal = true;
    const grace = now + VERBOSE_GRACE_MS;
    this.stopAt = this.stopAt === 0 ? grace : Math.min(this.stopAt, grace);
  }
}

/** Runs a whole check synchronously. */
export function schedule<S, I, O>(
  searches: readonly PartitionSearch<S, I, O>[],
  deadline: number,
  verbose: boolean,
): ScheduleOutcome {
  const scheduler = new Scheduler(searches, deadline, verbose);
  scheduler.runUntil(Number.POSITIVE_INFINITY);
  return scheduler.outcome();
}

/**
 * Runs a whole check, yielding to the event loop every `chunkMs` so timers and I/O keep running.
 * An aborted `signal` stops it like a timeout.
 */
export async function scheduleAsync<S, I, O>(
  searches: readonly PartitionSearch<S, I, O>[],
  deadline: number,
  verbose: boolean,
  chunkMs: number,
  signal: AbortSignal | undefined,
): Promise<ScheduleOutcome> {
  const scheduler = new Scheduler(searches, deadline, verbose);
  while (!signal?.aborted && !scheduler.runUntil(performance.now() + chunkMs)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (signal?.aborted) scheduler.stop();
  return scheduler.outcome();
}

function adapt(slice: number, elapsedMs: number): number {
  if (elapsedMs < SLICE_MS_LOW) return Math.min(slice * 2, MAX_SLICE);
  if (elapsedMs > SLICE_MS_HIGH) return Math.max(slice >> 1, MIN_SLICE);
  return slice;
}
