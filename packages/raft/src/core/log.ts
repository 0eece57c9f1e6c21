import type { LogEntry, SnapshotMeta } from "../types.js";

/**
 * The in-memory raft log: a snapshot boundary (everything through `snapshotIndex` is compacted
 * away) followed by the live entries. Indexes are 1-based; index 0 is the empty prefix (term 0).
 */
export class RaftLog<Command> {
  private snapIndex: number;
  private snapTerm: number;
  private entries: LogEntry<Command>[];
  /** Encoded size of each entry, parallel to `entries`; -1 until first asked (then cached). */
  private sizes: number[];

  constructor(
    snapshot: SnapshotMeta = { index: 0, term: 0 },
    entries: LogEntry<Command>[] = [],
    private readonly measure: (entry: LogEntry<Command>) => number = () => 1,
  ) {
    this.snapIndex = snapshot.index;
    this.snapTerm = snapshot.term;
    this.entries = entries;
    this.sizes = entries.map(() => -1);
  }

  get snapshotIndex(): number {
    return this.snapIndex;
  }

  get snapshotTerm(): number {
    return this.snapTerm;
  }

  get lastIndex(): number {
    return this.snapIndex + this.entries.length;
  }

  get lastTerm(): number {
    return this.entries.length > 0 ? this.entries[this.entries.length - 1]!.term : this.snapTerm;
  }

  /** The term at `index`, or undefined when it is compacted away or beyond the end. */
  termAt(index: number): number | undefined {
    if (index === this.snapIndex) return this.snapTerm;
    if (index < this.snapIndex || index > this.lastIndex) return undefined;
    return this.entries[index - this.snapIndex - 1]!.term;
  }

  /** The entry at `index` (not compacted, not beyond the end). */
  entry(index: number): LogEntry<Command> {
    const entry = this.entries[index - this.snapIndex - 1];
    if (index <= this.snapIndex || entry === undefined) throw new RangeError(`no log entry at ${index}`);
    return entry;
  }

  /** Entries `from` .. `from + max - 1` (clamped to the end); `from` must be past the snapshot. */
  slice(from: number, max = Number.POSITIVE_INFINITY): LogEntry<Command>[] {
    if (from <= this.snapIndex) throw new RangeError(`entries from ${from} are compacted`);
    const start = from - this.snapIndex - 1;
    return this.entries.slice(start, Math.min(this.entries.length, start + max));
  }

  /**
   * The longest run from `from` (past the snapshot) of at most `maxCount` entries whose sizes add
   * up to at most `maxBytes`, but at least one entry when there is one; and its size.
   */
  batch(from: number, maxCount: number, maxBytes: number): { entries: LogEntry<Command>[]; bytes: number } {
    let count = 0;
    let bytes = 0;
    for (let index = from; index <= this.lastIndex && count < maxCount; index++) {
      const size = this.bytesAt(index);
      if (count > 0 && bytes + size > maxBytes) break;
      bytes += size;
      count++;
    }
    return { entries: this.slice(from, count), bytes };
  }

  /** The encoded size of the entry at `index` (not compacted, not beyond the end). */
  bytesAt(index: number): number {
    const i = index - this.snapIndex - 1;
    let size = this.sizes[i];
    if (size === undefined) throw new RangeError(`no log entry at ${index}`);
    if (size < 0) {
      size = this.measure(this.entries[i]!);
      this.sizes[i] = size;
    }
    return size;
  }

  /** Appends entries; `bytes` gives the first one's size when the caller already knows it. */
  append(entries: readonly LogEntry<Command>[], bytes = -1): void {
    for (const entry of entries) {
      this.entries.push(entry);
      this.sizes.push(-1);
    }
    if (entries.length > 0) this.sizes[this.sizes.length - entries.length] = bytes;
  }

  /** Removes every entry from `index` on. */
  truncateFrom(index: number): void {
    if (index <= this.snapIndex) throw new RangeError(`cannot truncate into the snapshot at ${index}`);
    this.entries.length = Math.max(0, index - this.snapIndex - 1);
    this.sizes.length = this.entries.length;
  }

  /**
   * Moves the snapshot boundary to `meta`. Entries after it survive only if the log holds
   * `meta.index` with `meta.term` (then they are consistent with the snapshot); otherwise the
   * whole log is discarded. Returns whether the suffix was kept.
   */
  compact(meta: SnapshotMeta): boolean {
    const keep = this.termAt(meta.index) === meta.term && meta.index >= this.snapIndex;
    this.entries = keep ? this.entries.slice(meta.index - this.snapIndex) : [];
    this.sizes = keep ? this.sizes.slice(meta.index - this.snapIndex) : [];
    this.snapIndex = meta.index;
    this.snapTerm = meta.term;
    return keep;
  }

  /** The first index of the run of `term` that contains `index` (not before the snapshot). */
  firstIndexOfTermAt(index: number): number {
    const term = this.termAt(index);
    let first = index;
    while (first - 1 > this.snapIndex && this.termAt(first - 1) === term) first--;
    return first;
  }

  /** The last index holding `term`, or undefined if the live log has no entry of that term. */
  lastIndexOfTerm(term: number): number | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const t = this.entries[i]!.term;
      if (t === term) return this.snapIndex + i + 1;
      if (t < term) return undefined;
    }
    return undefined;
  }
}
