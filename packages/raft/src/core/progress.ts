/**
 * The leader's view of one follower.
 * - `probe`: where the follower's log matches is unknown; one AppendEntries at a time (paused
 *   until its reply or the next heartbeat) backs `next` up using the follower's conflict hints.
 * - `replicate`: the follower is known to match through `match`; new entries are sent as soon
 *   as they are proposed and `next` advances optimistically, without waiting for replies.
 * - `snapshot`: the entries the follower needs are compacted; an InstallSnapshot is on its way.
 */
export type ProgressMode = "probe" | "replicate" | "snapshot";

export interface Progress {
  /** Highest index known to be replicated on the follower. */
  match: number;
  /** Next index to send. */
  next: number;
  mode: ProgressMode;
  /** Probe/snapshot: a message is outstanding, so wait before sending another. */
  paused: boolean;
  /** When the last InstallSnapshot was sent (to resend it at a slower pace than heartbeats). */
  snapshotSentAt: number;
}

export function freshProgress(lastIndex: number): Progress {
  return {
    match: 0,
    next: lastIndex + 1,
    mode: "probe",
    paused: false,
    snapshotSentAt: Number.NEGATIVE_INFINITY,
  };
}

/** The follower has acknowledged everything through `index`: raise `match`, and `next` past it. */
export function acknowledge(pr: Progress, index: number): void {
  if (index > pr.match) pr.match = index;
  if (pr.next <= pr.match) pr.next = pr.match + 1;
}
