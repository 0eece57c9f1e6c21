import { CorruptStateError } from "../errors.js";
import type { Clock, Random, Timer } from "../interfaces.js";
import type { Persister, RaftStorage, StoredRaftState } from "../storage/storage.js";
import type { HardState, LogEntry, SnapshotMeta } from "../types.js";
import { type StorageFaultCode, StorageFaultError } from "./errors.js";

export interface FaultyStorageOptions {
  /** Times the stalls (labrpc's Simulation in tests). */
  clock: Clock;
  /** Every fault choice (which write fails, how long a stall lasts, which bit flips). */
  random: Random;
}

/** Counts of what a FaultyStorage did. */
export interface FaultyStorageStats {
  /** Writes made through it. */
  writes: number;
  /** Writes that failed with an injected error (the first, and every later one). */
  failed: number;
  /** Writes accepted but not yet passed to the wrapped storage (lost if it crashes now). */
  pending: number;
  /** Writes dropped by crash(). */
  lost: number;
}

interface PendingWrite {
  /** Clock time before which this write (and every later one) cannot become durable. */
  dueAt: number;
  apply(): void | Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Wraps any RaftStorage with the faults real disks have, each deterministic (seeded by the
 * injected Random, timed by the injected Clock): a write that fails with EIO or ENOSPC, writes
 * whose durability stalls, a crash that loses every write not yet durable, a flipped bit. With
 * no fault set it behaves as the wrapped storage (and passes the storage conformance suite).
 *
 * A write is passed to the wrapped storage only when it becomes durable: writes wait in call
 * order while a stall holds them, so `crash()` can drop exactly the writes never acknowledged
 * (wrap a storage whose writes are durable at once, like MemoryPersister, for exact loss). A
 * write the wrapped storage refuses throws at once, as it would unwrapped, unless a stall holds
 * it: then its promise rejects when it comes due.
 * Once a write fails, it and every later write reject (the state on disk is unknown).
 */
/** The command type a storage holds. */
export type CommandOf<S> = S extends RaftStorage<infer Command> ? Command : never;

export class FaultyStorage<Inner extends RaftStorage<unknown>, Command = CommandOf<Inner>>
  implements RaftStorage<Command>
{
  private readonly queue: PendingWrite[] = [];
  private timer: Timer | undefined;
  private failure: StorageFaultError | undefined;
  private crashed = false;
  private failProbability = 0;
  private failCode: StorageFaultCode = "EIO";
  private stallMaxMs = 0;
  private heldUntil = 0;
  private loadFault: "detected" | "silent" | undefined;
  private readonly counts = { writes: 0, failed: 0, lost: 0 };

  /** `inner`, seen with this wrapper's command type (which is `inner`'s, by construction). */
  private readonly target: RaftStorage<Command>;

  constructor(
    /** The storage wrapped: it holds exactly the writes that became durable. */
    readonly inner: Inner,
    private readonly options: FaultyStorageOptions,
  ) {
    this.target = inner as RaftStorage<unknown> as RaftStorage<Command>;
  }

  // ---- faults ------------------------------------------------------------------------------

  /** From now on each write fails with `code` with this probability (default 1: the next write). */
  failWrites(code: StorageFaultCode, options: { probability?: number } = {}): void {
    this.failCode = code;
    this.failProbability = options.probability ?? 1;
  }

  /** Each later write becomes durable after a random delay of 0..maxMs (in order, like a slow fsync). */
  stallWrites(maxMs: number): void {
    this.stallMaxMs = maxMs;
  }

  /** Holds every write, made or to be made, for `ms` from now: one long fsync stall. */
  stallFor(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.options.clock.now() + ms);
    this.pump();
  }

  /** Ends every fault that affects later writes and lets held writes through. */
  heal(): void {
    this.failProbability = 0;
    this.stallMaxMs = 0;
    this.heldUntil = 0;
    this.pump();
  }

  /**
   * The process died: every write not yet durable is lost (its promise never settles) and later
   * writes never settle either. Returns the number lost. Restart from `inner` (or a copy of it).
   */
  crash(): number {
    this.crashed = true;
    this.timer?.cancel();
    const lost = this.queue.length;
    this.counts.lost += lost;
    this.queue.length = 0;
    return lost;
  }

  /**
   * Flips one bit of the stored state, seen by the next `load()`. "detected" (default): what a
   * checksummed storage reports, `load()` throws CorruptStateError. "silent": one seeded bit of
   * the snapshot's bytes is flipped and loaded as if sound (for testing a service's own checks).
   */
  flipBit(mode: "detected" | "silent" = "detected"): void {
    this.loadFault = mode;
  }

  /** The wrapped storage's `raftStateSize()` (the lab accessor a service reads), or 0 without one. */
  raftStateSize(): number {
    return (this.inner as Partial<Persister>).raftStateSize?.() ?? 0;
  }

  stats(): FaultyStorageStats {
    return { ...this.counts, pending: this.queue.length };
  }

  // ---- RaftStorage -------------------------------------------------------------------------

  load(): StoredRaftState<Command> | undefined {
    const state = this.target.load();
    const fault = this.loadFault;
    this.loadFault = undefined;
    if (!fault || !state) return state;
    if (fault === "detected") {
      throw new CorruptStateError(`bit ${this.options.random.int(8)} flipped in a stored record (injected)`);
    }
    if (!state.snapshot || state.snapshot.data.length === 0) return state;
    const data = new Uint8Array(state.snapshot.data);
    const byte = this.options.random.int(data.length);
    data[byte] = data[byte]! ^ (1 << this.options.random.int(8));
    return { ...state, snapshot: { meta: state.snapshot.meta, data } };
  }

  saveHardState(state: HardState): Promise<void> {
    const copy = { term: state.term, votedFor: state.votedFor };
    return this.write("saveHardState", () => this.target.saveHardState(copy));
  }

  appendEntries(from: number, entries: readonly LogEntry<Command>[]): Promise<void> {
    const copy = [...entries];
    return this.write("appendEntries", () => this.target.appendEntries(from, copy));
  }

  saveSnapshot(meta: SnapshotMeta, data: Uint8Array): Promise<void> {
    const copy = { index: meta.index, term: meta.term, ...(meta.config ? { config: meta.config } : {}) };
    return this.write("saveSnapshot", () => this.target.saveSnapshot(copy, data));
  }

  // ---- the write path ----------------------------------------------------------------------

  private write(what: string, apply: () => void | Promise<void>): Promise<void> {
    this.counts.writes++;
    if (this.crashed) return new Promise<void>(() => {});
    if (!this.failure && this.failProbability > 0 && this.options.random.float() < this.failProbability) {
      this.failure = new StorageFaultError(this.failCode, what);
    }
    if (this.failure) {
      this.counts.failed++;
      return Promise.reject(this.failure);
    }
    const delay = this.stallMaxMs > 0 ? this.options.random.int(this.stallMaxMs + 1) : 0;
    const last = this.queue.at(-1)?.dueAt ?? 0;
    const now = this.options.clock.now();
    const dueAt = Math.max(last, now + delay);
    if (this.queue.length === 0 && Math.max(dueAt, this.heldUntil) <= now) {
      // Durable at once: applied now, so the wrapped storage's refusals (RangeError) still throw.
      return Promise.resolve(apply());
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ dueAt, apply, resolve, reject });
      this.pump();
    });
  }

  /** Passes every due write, in order, to the wrapped storage; re-arms the timer for the rest. */
  private pump(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.crashed) return;
    const now = this.options.clock.now();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const dueAt = Math.max(head.dueAt, this.heldUntil);
      if (dueAt > now) {
        this.timer = this.options.clock.setTimer(dueAt - now, () => this.pump());
        return;
      }
      this.queue.shift();
      try {
        Promise.resolve(head.apply()).then(head.resolve, head.reject);
      } catch (error) {
        head.reject(error);
      }
    }
  }
}
