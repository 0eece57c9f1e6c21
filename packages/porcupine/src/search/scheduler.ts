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
 * deadline (a `performance.now()` value; 0 = none) passes, and at the first illegal partition (verbose
 * mode: `VERBOSE_GRACE_MS` later, unless the deadline comes first).
 */
export function schedule<S, I, O>(
  searches: readonly PartitionSearch<S, I, O>[],
  deadline: number,
  verbose: boolean,
): ScheduleOutcome {
  let live = searches.filter((search) => search.status === "running");
  let illegal = searches.some((search) => search.status === "illegal");
  let stopAt = deadline;
  let timedOut = false;
  const noteIllegal = (): boolean => {
    if (!illegal) {
      illegal = true;
      const grace = performance.now() + VERBOSE_GRACE_MS;
      stopAt = stopAt === 0 ? grace : Math.min(stopAt, grace);
    }
    return !verbose;
  };
  if (illegal && noteIllegal()) live = [];
  let slice = FIRST_SLICE;
  while (live.length > 0) {
    let stop = false;
    for (const search of live) {
      const started = performance.now();
      const status = search.run(slice);
      const now = performance.now();
      if (status === "running") slice = adapt(slice, now - started);
      if (status === "illegal" && noteIllegal()) {
        stop = true;
        break;
      }
      if (stopAt > 0 && now >= stopAt) break;
    }
    live = live.filter((search) => search.status === "running");
    if (stop) break;
    if (live.length > 0 && stopAt > 0 && performance.now() >= stopAt) {
      timedOut = true;
      break;
    }
  }
  const results = searches.map(
    (search): CheckResult => (search.status === "running" ? "unknown" : search.status),
  );
  return { result: illegal ? "illegal" : timedOut ? "unknown" : "ok", results };
}

function adapt(slice: number, elapsedMs: number): number {
  if (elapsedMs < SLICE_MS_LOW) return Math.min(slice * 2, MAX_SLICE);
  if (elapsedMs > SLICE_MS_HIGH) return Math.max(slice >> 1, MIN_SLICE);
  return slice;
}
