import { ServiceConfigError } from "../errors.js";

/** When to snapshot: by the bytes raft keeps in storage, by entries applied since the last snapshot, or both. */
export interface SnapshotPolicyOptions {
  /**
   * Snapshot once the storage's raft state (its `raftStateSize()`) reaches 90% of this many bytes,
   * so it stays under the limit. Needs a storage that reports its size.
   */
  maxLogBytes?: number;
  /** Snapshot once this many entries have been applied since the last snapshot. */
  maxLogEntries?: number;
}

/** Snapshot at this fraction of maxLogBytes, so the state is compacted before it reaches the limit. */
const BYTES_THRESHOLD = 0.9;

/**
 * Decides, after each applied entry, whether to snapshot: once per threshold crossing.
 *
 * Bytes are measured (`measure()`: the storage's raft state size) only when the estimated growth
 * since the last look covers half the room left, a few times per snapshot. After a snapshot the
 * room is taken as the whole threshold, whatever the storage reports, and nothing is measured
 * until that much has grown (by the estimate, an upper bound): a file-backed storage shrinks only
 * once its compaction is durable, and measuring before that made every later entry of the same
 * batch snapshot again (issue 11 item 9: 128 encodings for 16 compactions).
 */
export class SnapshotPolicy {
  readonly #bytesThreshold: number | undefined;
  readonly #maxEntries: number | undefined;
  readonly #measure: (() => number) | undefined;
  #room = 0;
  #grown = 0;
  /** Since the last snapshot nothing was measured: measure only once the whole room has grown. */
  #justSnapshotted = false;
  #entries = 0;

  constructor(options: SnapshotPolicyOptions, measure: (() => number) | undefined) {
    const { maxLogBytes, maxLogEntries } = options;
    for (const [name, value] of [
      ["maxLogBytes", maxLogBytes],
      ["maxLogEntries", maxLogEntries],
    ] as const) {
      if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
        throw new ServiceConfigError(`snapshot.${name} must be a positive integer, got ${value}`);
      }
    }
    if (maxLogBytes !== undefined && !measure) {
      throw new ServiceConfigError("snapshot.maxLogBytes needs a storage with raftStateSize()");
    }
    this.#bytesThreshold = maxLogBytes === undefined ? undefined : maxLogBytes * BYTES_THRESHOLD;
    this.#maxEntries = maxLogEntries;
    this.#measure = measure;
    this.#room = this.#bytesThreshold === undefined ? 0 : this.#bytesThreshold - measure!();
  }

  /** Whether the policy can ever ask for a snapshot. */
  get enabled(): boolean {
    return this.#bytesThreshold !== undefined || this.#maxEntries !== undefined;
  }

  /** Called after each applied entry of about `sizeBytes`: whether to snapshot now. */
  afterApply(sizeBytes: number): boolean {
    this.#entries++;
    if (this.#maxEntries !== undefined && this.#entries >= this.#maxEntries) return true;
    if (this.#bytesThreshold === undefined) return false;
    this.#grown += sizeBytes;
    if ((this.#justSnapshotted ? this.#grown : this.#grown * 2) < this.#room) return false;
    this.#grown = 0;
    this.#justSnapshotted = false;
    this.#room = this.#bytesThreshold - this.#measure!();
    return this.#room <= 0;
  }

  /** A snapshot was taken (or installed): count afresh, assuming the log is gone. */
  snapshotted(entriesAfter = 0): void {
    this.#entries = entriesAfter;
    this.#grown = 0;
    if (this.#bytesThreshold !== undefined) this.#room = this.#bytesThreshold;
    this.#justSnapshotted = true;
  }
}
