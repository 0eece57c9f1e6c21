import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { APPEND_CHUNK_BYTES, NodeFile, SYNC_WRITE_MAX_BYTES } from "../src/fs/node-file.js";
import { tempDir } from "./helpers/temp-dir.js";

test("small writes, large writes and syncs append in call order to the real file", async () => {
  const { dir, dispose } = tempDir();
  try {
    const path = join(dir, "f");
    const file = await NodeFile.open(path, "a");
    const small = Buffer.from("abc");
    const large = Buffer.alloc(SYNC_WRITE_MAX_BYTES + 1, 7);
    assert.equal(await file.writev([small, small]), { bytesWritten: 6 });
    assert.equal(await file.writev([large]), { bytesWritten: large.length });
    await file.datasync();
    assert.equal(await file.writev([Buffer.from("z")]), { bytesWritten: 1 });
    await file.sync();
    await file.close();
    const bytes = readFileSync(path);
    assert.is(bytes.length, 6 + large.length + 1);
    assert.is(bytes.subarray(0, 6).toString(), "abcabc");
    assert.is(bytes.at(-1), "z".charCodeAt(0));
  } finally {
    dispose();
  }
});

test("appending writes into zero-filled space allocated a chunk ahead; close gives the rest back", async () => {
  const { dir, dispose } = tempDir();
  try {
    const path = join(dir, "f");
    writeFileSync(path, "head");
    const file = await NodeFile.open(path, "a");
    await file.writev([Buffer.from("abc")]);
    let bytes = readFileSync(path);
    assert.is(bytes.length, APPEND_CHUNK_BYTES, "one chunk allocated");
    assert.is(bytes.subarray(0, 7).toString(), "headabc", "written after what the file held");
    assert.ok(
      bytes.subarray(7).every((byte) => byte === 0),
      "the space ahead is zeros",
    );
    // A write crossing the chunk's end allocates the next one first.
    const fill = Buffer.alloc(APPEND_CHUNK_BYTES - 7, 1);
    await file.writev([fill, Buffer.from("xyz")]);
    assert.is(statSync(path).size, 2 * APPEND_CHUNK_BYTES);
    await file.close();
    bytes = readFileSync(path);
    assert.is(bytes.length, APPEND_CHUNK_BYTES + 3, "close cut the space not written");
    assert.is(bytes.subarray(-3).toString(), "xyz");
  } finally {
    dispose();
  }
});

test("a write larger than a chunk is appended as it is, without zero-filling ahead of it", async () => {
  const { dir, dispose } = tempDir();
  try {
    const path = join(dir, "f");
    const file = await NodeFile.open(path, "a");
    const large = Buffer.alloc(APPEND_CHUNK_BYTES + 5, 3);
    assert.equal(await file.writev([large]), { bytesWritten: large.length });
    assert.is(statSync(path).size, large.length);
    await file.close();
  } finally {
    dispose();
  }
});

test("a failed write, sync or open rejects (never throws) with the system's error", async () => {
  const { dir, dispose } = tempDir();
  try {
    const file = await NodeFile.open(join(dir, "f"), "a");
    await file.close();
    // The descriptor is closed: the small (synchronous) write path must still reject.
    const write = file.writev([Buffer.from("x")]);
    assert.instance(write, Promise);
    await write.then(
      () => assert.unreachable("a write on a closed file succeeded"),
      (error: NodeJS.ErrnoException) => assert.is(error.code, "EBADF"),
    );
    await file.datasync().then(
      () => assert.unreachable("a sync on a closed file succeeded"),
      (error: NodeJS.ErrnoException) => assert.is(error.code, "EBADF"),
    );
    await NodeFile.open(join(dir, "missing", "f"), "r").then(
      () => assert.unreachable("opened a missing file"),
      (error: NodeJS.ErrnoException) => assert.is(error.code, "ENOENT"),
    );
    await NodeFile.open(join(dir, "f"), "wx").then(
      () => assert.unreachable("wx opened an existing file"),
      (error: NodeJS.ErrnoException) => assert.is(error.code, "EEXIST"),
    );
  } finally {
    dispose();
  }
});

test.run();
