import { test } from "uvu";
import * as assert from "uvu/assert";
import { FilePersister } from "../src/index.js";
import { entry } from "./helpers/temp-dir.js";
import { DATA_DIR, simFs } from "./helpers/workload.js";

const command = (i: number) => `command-${i}`.padEnd(100, ".");

/** Appends one entry at a time until a write fails; returns the last acknowledged index. */
async function appendUntilFull(p: FilePersister<string>): Promise<number> {
  let acked = 0;
  for (let i = 1; i <= 1000; i++) {
    try {
      await p.appendEntries(i, [entry(1, command(i))]);
      acked = i;
    } catch {
      return acked;
    }
  }
  throw new Error("the disk never filled");
}

test("a short write (disk full in the middle of a record) is a failure, never acknowledged", async () => {
  for (const space of [4000, 4007, 4100]) {
    const fs = await simFs();
    fs.spaceBytes = space;
    const p = await FilePersister.open<string>(DATA_DIR, { fs });
    const acked = await appendUntilFull(p);
    await p.close();
    const loaded = (
      await FilePersister.open<string>(DATA_DIR, { fs: fs.afterCrash("lose-unsynced") })
    ).load();
    assert.is(loaded?.entries.length, acked, `${space} bytes of space: acknowledged ${acked}`);
    assert.equal(
      loaded?.entries.map((e) => e.command),
      Array.from({ length: acked }, (_, i) => command(i + 1)),
    );
  }
});

test("a short write of the new log during compaction fails the snapshot and keeps the old log", async () => {
  const fs = await simFs();
  const p = await FilePersister.open<string>(DATA_DIR, { fs });
  await p.appendEntries(
    1,
    Array.from({ length: 30 }, (_, i) => entry(1, command(i + 1))),
  );
  // Room for the snapshot file but not for the whole rewritten log beside the old one.
  fs.spaceBytes = fs.bytes(`${DATA_DIR}/wal.log`).length + 300;
  let failed = false;
  await p.saveSnapshot({ index: 10, term: 1 }, new Uint8Array(50)).catch(() => {
    failed = true;
  });
  assert.ok(failed, "the snapshot whose log rewrite was short must not be acknowledged");
  await p.close();
  const fresh = fs.afterCrash("keep-all");
  fresh.spaceBytes = Number.POSITIVE_INFINITY;
  const reopened = await FilePersister.open<string>(DATA_DIR, { fs: fresh });
  const state = reopened.load()!;
  const base = state.snapshot?.meta.index ?? 0;
  assert.equal(
    state.entries.map((e) => e.command),
    Array.from({ length: 30 - base }, (_, i) => command(base + i + 1)),
    `after snapshot ${base}`,
  );
  await reopened.close();
});

test.run();
