import type { OutgoingMessage } from "../messages.js";
import type { ApplyMsg, HardState, LogEntry, SnapshotMeta } from "../types.js";

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

  get isEmpty(): boolean {
    return (
      this.hardState === undefined &&
      this.writes.length === 0 &&
      this.messages.length === 0 &&
      this.applies.length === 0
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

  take(): Ready<Command> {
    const ready: Ready<Command> = {
      hardState: this.hardState,
      writes: this.writes,
      messages: this.messages,
      applies: this.applies,
    };
    this.hardState = undefined;
    this.writes = [];
    this.messages = [];
    this.applies = [];
    return ready;
  }
}
