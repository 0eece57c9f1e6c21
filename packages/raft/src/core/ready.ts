import type { OutgoingMessage } from "../messages.js";
import type { ApplyMsg, HardState, LogEntry, SnapshotMeta } from "../types.js";
import type { ReadState } from "./read-only.js";
import type { TransferOutcome } from "./transfer.js";

/** One write to durable storage, in the order the core made it. */
export type StorageOp<Command = unknown> =
  /** Replace the log from `from` on with `entries` (an empty list just truncates). */
  | { readonly kind: "entries"; readonly from: number; readonly entries: readonly LogEntry<Command>[] }
  /** A snapshot through `meta.index`; the log keeps only entries after it that agree with it. */
  | { readonly kind: "snapshot"; readonly meta: SnapshotMeta; readonly data: Uint8Array };

/**
 * What the core produced since the last `takeReady()`. The driver must make `hardState` and
 * `writes` durable before it sends `messages`, answers the request that caused them, or hands
 * `applies` to the service.
 */
export interface Ready<Command = unknown> {
  readonly hardState: HardState | undefined;
  readonly writes: readonly StorageOp<Command>[];
  readonly messages: readonly OutgoingMessage<Command>[];
  readonly applies: readonly ApplyMsg<Command>[];
  /** Read requests that are now confirmed (serve at `index` once applied) or failed. */
  readonly reads: readonly ReadState[];
  /** Leadership transfers that ended. */
  readonly transfers: readonly TransferOutcome[];
}

type MutableOp<Command> =
  | { readonly kind: "entries"; readonly from: number; readonly entries: LogEntry<Command>[] }
  | { readonly kind: "snapshot"; readonly meta: SnapshotMeta; readonly data: Uint8Array };

/** Collects the core's outputs between two `takeReady()` calls, merging adjacent log writes. */
export class ReadyBuilder<Command> {
  private hardState: HardState | undefined;
  private writes: MutableOp<Command>[] = [];
  private messages: OutgoingMessage<Command>[] = [];
  private applies: ApplyMsg<Command>[] = [];
  private reads: ReadState[] = [];
  private transfers: TransferOutcome[] = [];

  get isEmpty(): boolean {
    return (
      this.hardState === undefined &&
      this.writes.length === 0 &&
      this.messages.length === 0 &&
      this.applies.length === 0 &&
      this.reads.length === 0 &&
      this.transfers.length === 0
    );
  }

  setHardState(state: HardState): void {
    this.hardState = state;
  }

  writeEntries(from: number, entries: readonly LogEntry<Command>[]): void {
    const last = this.writes[this.writes.length - 1];
    if (last?.kind === "entries" && from >= last.from && from <= last.from + last.entries.length) {
      // Extends or overwrites the tail of the previous write: one write does for both.
      last.entries.length = from - last.from;
      for (const entry of entries) last.entries.push(entry);
      return;
    }
    this.writes.push({ kind: "entries", from, entries: [...entries] });
  }

  writeSnapshot(meta: SnapshotMeta, data: Uint8Array): void {
    this.writes.push({ kind: "snapshot", meta, data });
  }

  send(message: OutgoingMessage<Command>): void {
    this.messages.push(message);
  }

  apply(message: ApplyMsg<Command>): void {
    this.applies.push(message);
  }

  read(state: ReadState): void {
    this.reads.push(state);
  }

  transferEnded(outcome: TransferOutcome): void {
    this.transfers.push(outcome);
  }

  take(): Ready<Command> {
    const ready: Ready<Command> = {
      hardState: this.hardState,
      writes: this.writes,
      messages: this.messages,
      applies: this.applies,
      reads: this.reads,
      transfers: this.transfers,
    };
    this.hardState = undefined;
    this.writes = [];
    this.messages = [];
    this.applies = [];
    this.reads = [];
    this.transfers = [];
    return ready;
  }
}
