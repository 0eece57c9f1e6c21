import type { KvCommand } from "@raftkit/kvsrv";

/** Snapshot once the persisted raft state reaches this fraction of maxRaftState. */
const THRESHOLD = 0.9;

/**
 * Decides when the persisted raft state is near `maxRaftState` bytes, without measuring it
 * after every entry (measuring may mean encoding the whole state). Each applied command adds
 * an over-estimate of its encoded size; the real size is measured only once the estimated
 * growth since the last measurement covers half the distance left to the threshold, so it is
 * measured a few times per snapshot and never found far past the threshold.
 */
export class SnapshotPolicy {
  private readonly threshold: number;
  private room = 0;
  private grown = 0;

  constructor(
    maxRaftState: number,
    private readonly measure: () => number,
  ) {
    this.threshold = maxRaftState * THRESHOLD;
    this.remeasure();
  }

  /** Called after each applied command: whether it is time to snapshot. */
  afterApply(command: KvCommand): boolean {
    this.grown += estimateSize(command);
    if (this.grown * 2 < this.room) return false;
    return this.remeasure();
  }

  /**
   * A snapshot was taken or installed: the next one needs half the threshold of new growth
   * before the size is even measured. Measuring at once would see a file-backed storage's old
   * size (it shrinks only once the compaction is durable) and snapshot again on every apply of
   * the same batch (issue 11 item 9).
   */
  snapshotted(): void {
    this.grown = 0;
    this.room = this.threshold;
  }

  /** Measures the storage: whether the state is over the threshold. */
  remeasure(): boolean {
    this.grown = 0;
    this.room = this.threshold - this.measure();
    return this.room <= 0;
  }
}

/** An upper bound (for ordinary commands) on the bytes a command adds to the encoded raft log. */
function estimateSize(command: KvCommand): number {
  const length = (value: unknown): number => (typeof value === "string" ? value.length : 64);
  let chars = length(command.key);
  if (command.op !== "get") chars += length(command.clientId);
  if (command.op === "put" || command.op === "append") chars += length(command.value);
  return 48 + 3 * chars;
}
