import type { HardState, LogEntry, SnapshotMeta } from "../types.js";
import {
  decodeRaftState,
  type EncodedStateFields,
  encodedEntrySize,
  encodedStateSize,
  encodeRaftState,
} from "./codec.js";
import type { Persister, RaftStorage, StoredRaftState } from "./storage.js";

const EMPTY = new Uint8Array(0);

/** A copy of the bytes (Buffer#slice would share them). */
const copyBytes = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

/**
 * Durable state kept in memory, with the lab's semantics: raft state and snapshot are saved
 * together, read back as bytes, and `copy()` hands a crashed server's successor what was saved.
 * Raft writes through the incremental `RaftStorage` methods; the bytes are encoded (cbor-x)
 * only when someone reads them, and a copy decodes them again, so every restart in the test
 * suites goes through the real encoding.
 */
export class MemoryPersister<Command = unknown> implements Persister, RaftStorage<Command> {
  /** The encoded raft state; stale while `fields` holds newer writes. */
  private raftState: Uint8Array = EMPTY;
  private snapshot: Uint8Array = EMPTY;
  /** Decoded state, present once raft has loaded or written. */
  private fields: EncodedStateFields<Command> | undefined;
  private encodedIsStale = false;
  /** Encoded size of each entry in `fields.entries`, and their sum: raftStateSize() without encoding. */
  private entrySizes: number[] = [];
  private entriesBytes = 0;

  // ---- the lab's API -----------------------------------------------------------------------

  save(raftState: Uint8Array, snapshot: Uint8Array | undefined): void {
    this.raftState = copyBytes(raftState);
    this.snapshot = snapshot ? copyBytes(snapshot) : EMPTY;
    this.fields = undefined;
    this.encodedIsStale = false;
  }

  readRaftState(): Uint8Array {
    return copyBytes(this.encoded());
  }

  readSnapshot(): Uint8Array {
    return copyBytes(this.snapshot);
  }

  raftStateSize(): number {
    if (!this.encodedIsStale || !this.fields) return this.raftState.length;
    return encodedStateSize(this.fields, this.fields.entries.length, this.entriesBytes);
  }

  snapshotSize(): number {
    return this.snapshot.length;
  }

  /** A new persister holding the same bytes; later writes to either do not affect the other. */
  copy(): MemoryPersister<Command> {
    const other = new MemoryPersister<Command>();
    other.raftState = this.encoded();
    other.snapshot = this.snapshot;
    return other;
  }

  // ---- RaftStorage -------------------------------------------------------------------------

  load(): StoredRaftState<Command> | undefined {
    if (!this.fields && this.raftState.length === 0) return undefined;
    const fields = this.decoded();
    const meta = fields.snapshotMeta;
    return {
      hardState: fields.hardState,
      snapshot: meta.index > 0 ? { meta, data: this.snapshot } : undefined,
      entries: [...fields.entries],
    };
  }

  saveHardState(state: HardState): void {
    this.decoded().hardState = { term: state.term, votedFor: state.votedFor };
    this.encodedIsStale = true;
  }

  appendEntries(from: number, entries: readonly LogEntry<Command>[]): void {
    const fields = this.decoded();
    const keep = from - fields.snapshotMeta.index - 1;
    if (keep < 0)
      throw new RangeError(
        `cannot write entries from ${from}: compacted through ${fields.snapshotMeta.index}`,
      );
    if (keep > fields.entries.length)
      throw new RangeError(`cannot write entries from ${from}: the log has a gap`);
    fields.entries.length = keep;
    for (const entry of entries) fields.entries.push(entry);
    this.resizeEntries(keep, entries);
    this.encodedIsStale = true;
  }

  saveSnapshot(meta: SnapshotMeta, data: Uint8Array): void {
    const fields = this.decoded();
    const old = fields.snapshotMeta;
    const offset = meta.index - old.index;
    const termThere = offset === 0 ? old.term : fields.entries[offset - 1]?.term;
    const keepsSuffix = offset >= 0 && termThere === meta.term;
    fields.entries = keepsSuffix ? fields.entries.slice(offset) : [];
    this.entrySizes = keepsSuffix ? this.entrySizes.slice(offset) : [];
    this.entriesBytes = this.entrySizes.reduce((sum, n) => sum + n, 0);
    fields.snapshotMeta = meta.config
      ? { index: meta.index, term: meta.term, config: meta.config }
      : { index: meta.index, term: meta.term };
    this.snapshot = data;
    this.encodedIsStale = true;
  }

  // ---- internals ---------------------------------------------------------------------------

  private decoded(): EncodedStateFields<Command> {
    if (!this.fields) {
      this.fields =
        this.raftState.length > 0
          ? decodeRaftState<Command>(this.raftState)
          : { hardState: { term: 0, votedFor: null }, snapshotMeta: { index: 0, term: 0 }, entries: [] };
      this.entrySizes = [];
      this.entriesBytes = 0;
      this.resizeEntries(0, this.fields.entries);
    }
    return this.fields;
  }

  /** Keeps the first `keep` entry sizes and adds those of `added`. */
  private resizeEntries(keep: number, added: readonly LogEntry<Command>[]): void {
    for (let i = keep; i < this.entrySizes.length; i++) this.entriesBytes -= this.entrySizes[i]!;
    this.entrySizes.length = keep;
    for (const entry of added) {
      const size = encodedEntrySize(entry);
      this.entrySizes.push(size);
      this.entriesBytes += size;
    }
  }

  private encoded(): Uint8Array {
    if (this.encodedIsStale && this.fields) {
      this.raftState = encodeRaftState(this.fields);
      this.encodedIsStale = false;
    }
    return this.raftState;
  }
}
