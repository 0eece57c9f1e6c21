import { SeededRandom, withSeed } from "@raftkit/labrpc";
import type { LogEntry } from "@raftkit/raft";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FilePersister, nodeFileSystem } from "../src/index.js";
import { writeSnapshotFile } from "../src/snapshot-file.js";
import { tempDir } from "./helpers/temp-dir.js";

/** The obvious in-memory model: a whole log as an array, index i at position i - 1. */
interface Model {
  term: number;
  votedFor: number | null;
  snapshot: { index: number; term: number; data: number[] } | undefined;
  log: Array<LogEntry<string> | undefined>;
}

test("random writes, snapshots and reopenings always load exactly what the model holds", () =>
  withSeed(async (seed) => {
    const random = new SeededRandom(seed);
    const { dir, dispose } = tempDir();
    let p = await FilePersister.open<string>(dir, { sync: false });
    const model: Model = { term: 0, votedFor: null, snapshot: undefined, log: [] };
    try {
      for (let step = 0; step < 600; step++) {
        const base = model.snapshot?.index ?? 0;
        const last = model.log.length;
        const roll = random.int(100);
        if (roll < 15) {
          model.term += random.int(2);
          model.votedFor = random.int(3) === 0 ? null : random.int(5);
          void p.saveHardState({ term: model.term, votedFor: model.votedFor });
        } else if (roll < 75) {
          const from = base + 1 + random.int(last - base + 1);
          const entries = Array.from({ length: 1 + random.int(4) }, (_, i) => ({
            term: model.term,
            command: `s${step}-${i}`,
          }));
          model.log.length = from - 1;
          model.log.push(...entries);
          void p.appendEntries(from, entries);
        } else if (roll < 85 && last > base) {
          const index = base + 1 + random.int(last - base);
          const agrees = random.int(4) > 0;
          const term = agrees ? model.log[index - 1]!.term : model.term + 1;
          const data = [step % 256, index % 256];
          model.snapshot = { index, term, data };
          if (!agrees) model.log.length = index;
          for (let i = 0; i < index; i++) model.log[i] = undefined;
          if (!agrees) model.term = Math.max(model.term, term);
          void p.saveSnapshot({ index, term }, new Uint8Array(data));
          if (!agrees) void p.saveHardState({ term: model.term, votedFor: model.votedFor });
        } else {
          await p.close();
          p = await FilePersister.open<string>(dir, { sync: false });
          const loaded = p.load()!;
          assert.equal(loaded.hardState, { term: model.term, votedFor: model.votedFor }, `step ${step}`);
          assert.equal(
            loaded.snapshot?.meta,
            model.snapshot && { index: model.snapshot.index, term: model.snapshot.term },
          );
          assert.equal(loaded.snapshot && [...loaded.snapshot.data], model.snapshot?.data);
          assert.equal(loaded.entries, model.log.slice(model.snapshot?.index ?? 0), `step ${step}`);
        }
      }
    } finally {
      await p.close();
      dispose();
    }
  }));

test("a crash after the snapshot was written but before the log was rewritten recovers the snapshot's view", async () => {
  const { dir, dispose } = tempDir();
  try {
    const p = await FilePersister.open<string>(dir);
    await p.appendEntries(
      1,
      Array.from({ length: 8 }, (_, i) => ({ term: 1, command: `c${i + 1}` })),
    );
    await p.close();
    // What compaction writes first, alone: as if the process died right after it.
    await writeSnapshotFile(
      nodeFileSystem,
      dir,
      { meta: { index: 5, term: 1 }, data: new Uint8Array([5]) },
      true,
    );
    const again = await FilePersister.open<string>(dir);
    const loaded = again.load()!;
    assert.equal(loaded.snapshot?.meta, { index: 5, term: 1 });
    assert.equal(
      loaded.entries.map((e) => e.command),
      ["c6", "c7", "c8"],
    );
    await again.close();
  } finally {
    dispose();
  }
});

test.run();
