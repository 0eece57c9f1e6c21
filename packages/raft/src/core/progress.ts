/**
 * The leader's view of one follower.
 * - `probe`: where the follower's log matches is unknown; one AppendEntries at a time (the next
 *   waits until the previous call settled, and for a failed one until the next heartbeat) backs
 *   `next` up using the follower's conflict hints.
 * - `replicate`: the follower is known to match through `match`; new entries are sent as soon
 *   as they are proposed and `next` advances optimistically, without waiting for replies, as
 *   long as the in-flight window has room.
 * - `snapshot`: the entries the follower needs are compacted; the snapshot goes in chunks, one
 *   call at a time.
 */
export type ProgressMode = "probe" | "replicate" | "snapshot";

export interface Progress {
  /** Highest index known to be replicated on the follower. */
  match: number;
  /** Next index to send. */
  next: number;
  mode: ProgressMode;
  /**
   * Calls to this follower that have not settled (no reply, no failure yet), each with the bytes
   * it carries: entries or a snapshot chunk. Heartbeats sent while blocked are not counted.
   */
  inflight: Map<object, number>;
  /** The sum of `inflight`'s bytes. */
  inflightBytes: number;
  /**
   * Probe and snapshot mode: the one call of this mode that is unanswered (a probe carrying
   * entries, or a snapshot chunk); the next waits until it settles. A mode change forgets it
   * (it still counts in `inflight` until it settles).
   */
  awaiting: object | undefined;
  /** Snapshot mode: the snapshot being sent (its last index) and the next byte to send. */
  snapshotIndex: number;
  snapshotOffset: number;
}

export function freshProgress(lastIndex: number): Progress {
  return {
    match: 0,
    next: lastIndex + 1,
    mode: "probe",
    inflight: new Map(),
    inflightBytes: 0,
    awaiting: undefined,
    snapshotIndex: 0,
    snapshotOffset: 0,
  };
}

/** The follower has acknowledged everything through `index`: raise `match`, and `next` past it. */
export function acknowledge(pr: Progress, index: number): void {
  if (index > pr.match) pr.match = index;
  if (pr.next <= pr.match) pr.next = pr.match + 1;
}

export function enterProbe(pr: Progress, next: number): void {
  pr.mode = "probe";
  pr.next = next;
  pr.awaiting = undefined;
}

export function enterReplicate(pr: Progress): void {
  pr.mode = "replicate";
  pr.next = pr.match + 1;
  pr.awaiting = undefined;
}

/** Starts sending the snapshot through `index` from its first byte. */
export function enterSnapshot(pr: Progress, index: number): void {
  pr.mode = "snapshot";
  pr.snapshotIndex = index;
  pr.snapshotOffset = 0;
  pr.awaiting = undefined;
}

/** A call carrying `bytes` went out to the follower; outside replicate mode it is awaited. */
export function track(pr: Progress, args: object, bytes: number): void {
  pr.inflight.set(args, bytes);
  pr.inflightBytes += bytes;
  if (pr.mode !== "replicate") pr.awaiting = args;
}

/** The call with `args` settled (answered or failed). Returns whether it was being tracked. */
export function settle(pr: Progress, args: object): boolean {
  if (pr.awaiting === args) pr.awaiting = undefined;
  const bytes = pr.inflight.get(args);
  if (bytes === undefined) return false;
  pr.inflight.delete(args);
  pr.inflightBytes -= bytes;
  return true;
}

/**
 * Whether a call carrying entries or a chunk may go out now: while the window holds fewer than
 * `maxMessages` calls and `maxBytes` bytes (so it may exceed `maxBytes` by one message), and in
 * probe and snapshot mode only when nothing of the mode is awaited. Empty messages always may.
 */
export function canSend(pr: Progress, maxMessages: number, maxBytes: number): boolean {
  if (pr.inflight.size >= maxMessages || pr.inflightBytes >= maxBytes) return false;
  return pr.mode === "replicate" || pr.awaiting === undefined;
}
