import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { APPEND_CHUNK_BYTES } from "../src/fs/node-file.js";
import {
  CorruptFileError,
  FilePersister,
  PersisterClosedError,
  StorageEncodeError,
  WAL_FILE,
} from "../src/index.js";
import { entry, loadOnce, tempDir } from "./helpers/temp-dir.js";

/** Raft's configuration at a snapshot: stored with it, read back as it was. */
const CONFIG = {
  voters: [0, 1, 2],
  learners: [5],
  autoPromote: [],
  addresses: [{ id: 5, address: "127.0.0.1:7005" }],
};

test("a fresh directory has nothing to load; what is written is there after reopening", async () => {
  const { dir, dispose } = tempDir();
  try {
    const p = await FilePersister.open<string>(dir);
    assert.is(p.load(), undefined);
    await Promise.all([
      p.saveHardState({ term: 3, votedFor: 1 }),
      p.appendEntries(1, [entry(1, "a"), entry(2, "b"), entry(3, "c")]),
    ]);
    await p.appendEntries(3, [entry(3, "c2"), entry(3, "d")]); // overwrite from index 3
    await p.close();
    const again = await FilePersister.open<string>(dir);
    assert.equal(again.load(), {
      hardState: { term: 3, votedFor: 1 },
      snapshot: undefined,
      entries: [entry(1, "a"), entry(2, "b"), entry(3, "c2"), entry(3, "d")],
    });
    await again.close();
  } finally {
    dispose();
  }
});

test("many writes in one turn share one fsync (group commit), and appending never rewrites the file", async () => {
  const { dir, dispose } = tempDir();
  try {
    const p = await FilePersister.open<string>(dir);
    const inode = statSync(join(dir, WAL_FILE)).ino;
    const writes: Promise<void>[] = [];
    for (let i = 1; i <= 1000; i++) writes.push(p.appendEntries(i, [entry(1, `command-${i}`)]));
    await Promise.all(writes);
    assert.ok(p.stats().flushes <= 2, `1000 writes took ${p.stats().flushes} flushes`);
    const size = p.raftStateSize();
    await p.appendEntries(1001, [entry(1, "x".repeat(100))]);
    const grown = p.raftStateSize() - size;
    assert.ok(grown > 100 && grown < 140, `one 100-byte entry grew the log by ${grown} bytes`);
    assert.is(statSync(join(dir, WAL_FILE)).ino, inode, "the log file was never replaced");
    await p.close();
    // Closing gives back the space allocated ahead: the file is the log, byte for byte.
    assert.is(statSync(join(dir, WAL_FILE)).size, size + grown);
    assert.is((await loadOnce<string>(dir))?.entries.length, 1001);
  } finally {
    dispose();
  }
});

test("a snapshot is stored atomically and compacts the log; a disagreeing log is dropped", async () => {
  const { dir, dispose } = tempDir();
  try {
    const p = await FilePersister.open<string>(dir);
    await p.saveHardState({ term: 2, votedFor: null });
    const command = (i: number) => `c${i}`.padEnd(40, ".");
    await p.appendEntries(
      1,
      Array.from({ length: 50 }, (_, i) => entry(i < 30 ? 1 : 2, command(i + 1))),
    );
    const before = p.raftStateSize();
    await p.saveSnapshot({ index: 40, term: 2, config: CONFIG }, new Uint8Array([4, 0]));
    assert.ok(p.raftStateSize() < before / 3, "the log shrank");
    assert.equal([...p.readSnapshot()], [4, 0]);
    await p.close();
    const again = await FilePersister.open<string>(dir);
    const loaded = again.load()!;
    assert.equal(loaded.snapshot?.meta, { index: 40, term: 2, config: CONFIG }, "with raft's configuration");
    assert.equal(
      loaded.entries.map((e) => e.command),
      Array.from({ length: 10 }, (_, i) => command(41 + i)),
    );
    // A snapshot from another history (term 5 at index 45): the rest of the log is dropped.
    await again.saveSnapshot({ index: 45, term: 5 }, new Uint8Array([9]));
    await again.appendEntries(46, [entry(5, "new")]);
    await again.close();
    const third = (await loadOnce<string>(dir))!;
    assert.equal(third.snapshot?.meta, { index: 45, term: 5 });
    assert.equal(third.entries, [entry(5, "new")]);
  } finally {
    dispose();
  }
});

test("a torn tail (crash mid-write) is cut off cleanly and writing goes on", async () => {
  const { dir, dispose } = tempDir();
  try {
    const p = await FilePersister.open<string>(dir);
    await p.appendEntries(1, [entry(1, "a"), entry(1, "b")]);
    await p.appendEntries(3, [entry(1, "c")]);
    await p.close();
    const path = join(dir, WAL_FILE);
    const whole = readFileSync(path);
    for (const cut of [whole.length - 1, whole.length - 9, whole.length - 12]) {
      writeFileSync(path, whole.subarray(0, cut));
      const q = await FilePersister.open<string>(dir);
      assert.equal(
        q.load()?.entries.map((e) => e.command),
        ["a", "b"],
        `cut at ${cut}`,
      );
      assert.ok(q.stats().tornBytesDropped > 0);
      await q.close();
    }
    // Zeros past the end (a file extended but never written) count as a torn tail too.
    writeFileSync(path, Buffer.concat([whole, Buffer.alloc(64)]));
    const z = await FilePersister.open<string>(dir);
    assert.equal(
      z.load()?.entries.map((e) => e.command),
      ["a", "b", "c"],
    );
    await z.appendEntries(4, [entry(2, "d")]);
    await z.close();
    assert.equal(
      (await loadOnce<string>(dir))?.entries.map((e) => e.command),
      ["a", "b", "c", "d"],
    );
  } finally {
    dispose();
  }
});

test("after a crash, the log's space allocated ahead is not a torn tail, and writing goes on after the last record", async () => {
  const { dir, dispose } = tempDir();
  const copy = tempDir();
  try {
    const p = await FilePersister.open<string>(dir);
    await p.appendEntries(1, [entry(1, "a"), entry(1, "b")]);
    await p.appendEntries(3, [entry(1, "c")]);
    // The files as a process killed now leaves them (the page cache survives a process crash).
    const crashed = readFileSync(join(dir, WAL_FILE));
    await p.close();
    assert.is(crashed.length, APPEND_CHUNK_BYTES, "the log was allocated ahead, zero-filled");
    assert.ok(crashed.subarray(p.raftStateSize()).every((byte) => byte === 0));
    writeFileSync(join(copy.dir, WAL_FILE), crashed);
    const q = await FilePersister.open<string>(copy.dir);
    assert.equal(
      q.load()?.entries.map((e) => e.command),
      ["a", "b", "c"],
    );
    assert.is(q.stats().tornBytesDropped, 0, "zeros allocated ahead are not torn data");
    await q.appendEntries(4, [entry(2, "d")]);
    await q.close();
    assert.equal(
      (await loadOnce<string>(copy.dir))?.entries.map((e) => e.command),
      ["a", "b", "c", "d"],
    );
  } finally {
    dispose();
    copy.dispose();
  }
});

test("a corrupt record before the tail is an error naming the file and offset, never skipped", async () => {
  const { dir, dispose } = tempDir();
  try {
    const p = await FilePersister.open<string>(dir);
    await p.appendEntries(1, [entry(1, "first")]);
    await p.appendEntries(2, [entry(1, "second")]);
    await p.close();
    const path = join(dir, WAL_FILE);
    const bytes = readFileSync(path);
    const at = 8 + 12 + 3; // inside the first record's payload
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    writeFileSync(path, bytes);
    try {
      await FilePersister.open(dir);
      assert.unreachable("a damaged record must not load");
    } catch (error) {
      assert.instance(error, CorruptFileError);
      const e = error as CorruptFileError;
      assert.is(e.file, path);
      assert.is(e.offset, 8);
      assert.match(e.message, /checksum mismatch/);
    }
    writeFileSync(path, Buffer.from("definitely not a log"));
    try {
      await FilePersister.open(dir);
      assert.unreachable();
    } catch (error) {
      assert.match((error as Error).message, /not a raftkit log/);
    }
  } finally {
    dispose();
  }
});

test("a damaged snapshot file is an error, not an empty state", async () => {
  const { dir, dispose } = tempDir();
  try {
    const p = await FilePersister.open<string>(dir);
    await p.appendEntries(1, [entry(1, "a")]);
    await p.saveSnapshot({ index: 1, term: 1 }, new Uint8Array(100).fill(7));
    await p.close();
    const path = join(dir, "snapshot.bin");
    const bytes = readFileSync(path);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 1, bytes.length - 5);
    writeFileSync(path, bytes);
    try {
      await FilePersister.open(dir);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CorruptFileError);
      assert.is((error as CorruptFileError).file, path);
    }
  } finally {
    dispose();
  }
});

test("bad writes: an unencodable command throws before anything changes; a closed persister rejects", async () => {
  const { dir, dispose } = tempDir();
  try {
    const p = await FilePersister.open<unknown>(dir);
    await p.appendEntries(1, [entry(1, "ok")]);
    assert.throws(
      () => p.appendEntries(2, [entry(1, () => 0)]),
      (e: unknown) => e instanceof StorageEncodeError,
    );
    assert.throws(() => p.appendEntries(5, [entry(1, "gap")]), /the log ends at 1/);
    assert.equal(p.load()?.entries, [entry(1, "ok")]);
    await p.close();
    try {
      await p.saveHardState({ term: 1, votedFor: 0 });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, PersisterClosedError);
    }
  } finally {
    dispose();
  }
});

test.run();
