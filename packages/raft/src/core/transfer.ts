import type { PeerId } from "../interfaces.js";

/**
 * A leadership transfer in progress (Raft thesis §3.10): the leader stops taking proposals,
 * brings `target` up to date, then sends it TimeoutNow, on which the target campaigns at once
 * (its vote requests pass leader stickiness). It completes when this leader sees the higher
 * term; if that has not happened by `deadline` (one election timeout after it began) the
 * transfer is aborted and the leader goes on.
 */
export class LeadershipTransfer {
  /** TimeoutNow went out: from then on the target may win without the members' stickiness. */
  timeoutNowSent = false;

  constructor(
    readonly target: PeerId,
    readonly deadline: number,
  ) {}
}

/** How a transfer ended, for the node to settle its caller. */
export interface TransferOutcome {
  readonly target: PeerId;
  /** `done`: this member stepped down for a newer term; `timeout`: aborted, still leader. */
  readonly outcome: "done" | "timeout";
}

/** The member with the most of the leader's log (lowest id on a tie), or undefined. */
export function mostUpToDate(matches: ReadonlyMap<PeerId, number>): PeerId | undefined {
  let best: PeerId | undefined;
  let bestMatch = -1;
  for (const [peer, match] of matches) {
    if (match > bestMatch || (match === bestMatch && best !== undefined && peer < best)) {
      best = peer;
      bestMatch = match;
    }
  }
  return best;
}
