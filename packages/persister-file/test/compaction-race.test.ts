import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CorruptFileError, FilePersister, nodeFileSystem, WAL_FILE } from "../src/index.js";
import { writeSnapshotFile } from "../src/snapshot-file.js";
import type { SimFileSystem } from "./helpers/sim-fs.js";
import { entry, tempDir } from "./helpers/temp-dir.js";
import { DATA_DIR, simFs, untilOp } from "./helpers/workload.js";

const command = (i: number) => `c${i}`;

/** Ten entries, a snapshot at 5, and while its compaction runs, a snapshot at 8. */
async function snapshotDuringCompaction(fs: SimFileSystem): Promise<void> {
  const p = await FilePersister.open<string>(DATA_DIR, { fs });
  await p.appendEntries(
    1,
    Array.from({ length: 10 }, (_, i) => entry(1, command(i + 1))),
  );
  const first = p.saveSnapshot({ index: 5, term: 1 }, new Uint8Array([5]));
  first.catch(() => {}); // awaited below; a crash may reject it first
  await untilOp(fs, "open-w snapshot.bin.tmp");
  const second = p.saveSnapshot({ index: 8, term: 1 }, new Uint8Array([8]));
  await Promise.all([first, second]);
  await p.close();
}

test("a snapshot saved while a compaction runs: a crash between them loads every entry at its index", async () => {
  const clean = await simFs();
  await snapshotDuringCompaction(clean);
  // Crash at each operation of the second compaction (it starts at the second snapshot write).
  const secondStarts = clean.ops.lastIndexOf("open-w snapshot.bin.tmp");
  assert.ok(secondStarts > clean.ops.indexOf("open-w snapshot.bin.tmp"), clean.ops.join(", "));
  for (let crashAt = secondStarts - 3; crashAt < clean.ops.length; crashAt++) {
    const fs = await simFs();
    fs.crashAt = crashAt;
    await snapshotDuringCompaction(fs).catch(() => {});
    const p = await FilePersister.open<string>(DATA_DIR, { fs: fs.afterCrash("lose-unsynced") });
    const state = p.load()!;
    const base = state.snapshot?.meta.index ?? 0;
    assert.ok(base === 5 || base === 8, `crash at ${crashAt}: snapshot ${base}`);
    assert.equal(state.snapshot?.data, new Uint8Array([base]));
    assert.equal(
      state.entries.map((e) => e.command),
      Array.from({ length: 10 - base }, (_, i) => command(base + i + 1)),
      `crash at ${crashAt} (${clean.ops[crashAt]})`,
    );
    await p.close();
  }
});

test("a log that starts after the snapshot is refused with CorruptFileError, and left as it was", async () => {
  const { dir, dispose } = tempDir();
  try {
    const p = await FilePersister.open<string>(dir);
    await p.appendEntries(
      1,
      Array.from({ length: 10 }, (_, i) => entry(1, command(i + 1))),
    );
    await p.saveSnapshot({ index: 8, term: 1 }, new Uint8Array([8]));
    await p.close();
    // The files the race left: the log's base is 8, the snapshot file still holds 5.
    await writeSnapshotFile(
      nodeFileSystem,
      dir,
      { meta: { index: 5, term: 1 }, data: new Uint8Array([5]) },
      true,
    );
    for (const meta of [
      { index: 5, term: 1 },
      { index: 8, term: 2 },
    ]) {
      await writeSnapshotFile(nodeFileSystem, dir, { meta, data: new Uint8Array([5]) }, true);
      try {
        await FilePersister.open(dir);
        assert.unreachable(`snapshot ${JSON.stringify(meta)} with a log based at 8 must not open`);
      } catch (error) {
        assert.instance(error, CorruptFileError);
        assert.is((error as CorruptFileError).file, join(dir, WAL_FILE));
        assert.match((error as Error).message, /starts after index 8 \(term 1\)/);
      }
    }
  } finally {
    dispose();
  }
});

test.run();
