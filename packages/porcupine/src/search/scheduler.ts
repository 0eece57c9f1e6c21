import type { CheckResult } from "../types.js";
import type { PartitionSearch } from "./search.js";

/** Steps a partition runs before the scheduler moves to the next one and looks at the clock. */
const SLICE = 2048;

export interface ScheduleOutcome {
  result: CheckResult;
  /** Per search: its own answer ("unknown" if it was stopped undecided). */
  results: CheckResult[];
}

/**
 * Runs the partition searches round-robin, a slice at a time, so that an illegal partition is found
 * quickly even when another partition is very hard. Stops everything at the first illegal partition or
 * when the deadline (a `performance.now()` value; 0 = none) passes.
 */
export function schedule<S, I, O>(
  searches: readonly PartitionSearch<S, I, O>[],
  deadline: number,
): ScheduleOutcome {
  let live = searches.filter((search) => search.status === "running");
  let illegal = searches.some((search) => search.status === "illegal");
  let timedOut = false;
  while (!illegal && live.length > 0) {
    for (const search of live) {
      if (search.run(SLICE) === "illegal") {
        illegal = true;
        break;
      }
      if (deadline > 0 && performance.now() >= deadline) break;
    }
    live = live.filter((search) => search.status === "running");
    if (!illegal && live.length > 0 && deadline > 0 && performance.now() >= deadline) {
      timedOut = true;
      break;
    }
  }
  const results = searches.map(
    (search): CheckResult => (search.status === "running" ? "unknown" : search.status),
  );
  return { result: illegal ? "illegal" : timedOut ? "unknown" : "ok", results };
}
