import { simTest } from "@raftkit/labrpc";
import type { Clock, HardState, LogEntry, MemoryPersister, SnapshotMeta } from "@raftkit/raft";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { KvRaftEntry } from "../src/index.js";
import { KvRaftConfig } from "./helpers/config.js";

/**
 * A storage whose compaction becomes visible only once durable, as FilePersister's: after
 * `saveSnapshot`, `raftStateSize()` still reports the log it replaces until the write is done
 * (20 ms later). Each saveSnapshot is one encoding of the whole state; their indexes are kept.
 */
class SlowCompaction<C> {
  readonly snapshotIndexes: number[] = [];
  #hidden = 0;

  constructor(
    private readonly inner: MemoryPersister<C>,
    private readonly clock: Clock,
  ) {}

  load() {
    return this.inner.load();
  }
  saveHardState(state: HardState) {
    return this.inner.saveHardState(state);
  }
  appendEntries(from: number, entries: readonly LogEntry<C>[]) {
    return this.inner.appendEntries(from, entries);
  }
  saveSnapshot(meta: SnapshotMeta, data: Uint8Array) {
    this.snapshotIndexes.push(meta.index);
    const before = this.inner.raftStateSize();
    this.inner.saveSnapshot(meta, data);
    const dropped = Math.max(0, before - this.inner.raftStateSize());
    this.#hidden += dropped;
    return this.clock.sleep(20).then(() => {
      this.#hidden -= dropped;
    });
  }
  raftStateSize(): number {
    return this.inner.raftStateSize() + this.#hidden;
  }
  snapshotSize(): number {
    return this.inner.snapshotSize();
  }
}

test(
  "one snapshot per threshold crossing when the storage shrinks only once the snapshot is durable (issue 11 item 9)",
  simTest(async (sim) => {
    const storages: SlowCompaction<KvRaftEntry>[] = [];
    const cfg = new KvRaftConfig(sim, {
      servers: 3,
      unreliable: false,
      maxRaftState: 2000,
      wrapStorage: (inner) => {
        const storage = new SlowCompaction(inner, sim);
        storages.push(storage);
        return storage;
      },
    });
    // 16 clients writing at once: entries commit and apply in batches.
    const clerks = Array.from({ length: 16 }, () => cfg.makeClient(cfg.all()));
    await Promise.all(
      clerks.map(async (ck, c) => {
        for (let i = 0; i < 20; i++) await ck.put(`k${c}`, "v".repeat(40));
      }),
    );
    let snapshots = 0;
    for (const storage of storages) {
      snapshots += storage.snapshotIndexes.length;
      const gaps = storage.snapshotIndexes.slice(1).map((index, k) => index - storage.snapshotIndexes[k]!);
      assert.ok(
        gaps.every((gap) => gap >= 4),
        `snapshots too close together: at ${storage.snapshotIndexes.join(", ")}`,
      );
    }
    assert.ok(snapshots > 0, "the workload crosses the threshold");
    cfg.cleanup();
  }),
);

test.run();
