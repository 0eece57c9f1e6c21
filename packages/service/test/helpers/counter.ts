import type { SnapshotMeta, StateMachine } from "@raftkit/raft";

export type CounterCommand = { add: number };

/** A counter: `apply({ add })` returns the new total; `query("total")` reads it. */
export class Counter implements StateMachine<CounterCommand, number, "total", number> {
  total = 0;
  snapshots = 0;
  restoredAt: SnapshotMeta | undefined;

  apply(command: CounterCommand): number {
    this.total += command.add;
    return this.total;
  }
  query(_query: "total"): number {
    return this.total;
  }
  snapshot(): Uint8Array {
    this.snapshots++;
    return new TextEncoder().encode(String(this.total));
  }
  restore(snapshot: Uint8Array, meta: SnapshotMeta): void {
    this.total = Number(new TextDecoder().decode(snapshot));
    this.restoredAt = meta;
  }
}
