import type { Random } from "../../interfaces.js";
import { DISK_FAULTS, FAULT_KINDS, type FaultKind } from "./faults.js";
import { MEMBERSHIP_FAULTS } from "./membership-faults.js";

/** One step of a fault schedule: wait, inject, hold, and maybe heal before the next. */
export interface ScheduleStep {
  readonly kind: FaultKind;
  /** Quiet time before the fault, in virtual ms. */
  readonly gapMs: number;
  /** How long the fault stays before the step ends, in virtual ms. */
  readonly holdMs: number;
  /** Heal it at the end of the step; if not, it overlaps the next faults until the final heal. */
  readonly healAfter: boolean;
}

export interface ScheduleOptions {
  /** Number of steps: drawn from [min, max] (default 3–7). */
  steps?: { min: number; max: number };
  /**
   * Fault kinds to draw from (default: all; disk faults only when the storage has them,
   * membership changes only when the run has spare ids).
   */
  kinds?: readonly FaultKind[];
  /** Longest hold of one fault, in ms (default 4000). */
  maxHoldMs?: number;
  /** Percent of faults kept on past their step, to overlap with the next ones (default 25). */
  overlapPercent?: number;
}

/** Draws a schedule from `random` (a stream of its own, so the seed alone decides it). */
export function makeSchedule(
  random: Random,
  options: ScheduleOptions & { diskFaults: boolean; membership?: boolean },
): ScheduleStep[] {
  const all = options.membership ? [...FAULT_KINDS, ...MEMBERSHIP_FAULTS] : FAULT_KINDS;
  const kinds = (options.kinds ?? all).filter(
    (k) =>
      (options.diskFaults || !DISK_FAULTS.includes(k)) &&
      (options.membership || !(MEMBERSHIP_FAULTS as readonly FaultKind[]).includes(k)),
  );
  if (kinds.length === 0) throw new RangeError("the schedule needs at least one fault kind");
  const { min, max } = options.steps ?? { min: 3, max: 7 };
  const maxHoldMs = options.maxHoldMs ?? 4000;
  const count = min + random.int(max - min + 1);
  const overlap = options.overlapPercent ?? 25;
  return Array.from({ length: count }, () => ({
    kind: kinds[random.int(kinds.length)]!,
    gapMs: random.int(1000),
    // Mostly short, sometimes long enough for several elections.
    holdMs: 200 + random.int(1 + random.int(Math.max(1, maxHoldMs - 200))),
    healAfter: random.int(100) >= overlap,
  }));
}

/** `crash-leader hold 1200 ms, then heal` per line. */
export function formatSchedule(steps: readonly ScheduleStep[]): string {
  return steps
    .map(
      (s, k) =>
        `  ${k + 1}. after ${s.gapMs} ms: ${s.kind} for ${s.holdMs} ms${s.healAfter ? ", then heal" : ", kept on"}`,
    )
    .join("\n");
}
