import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CorruptFileError, FilePersister, UnsupportedFormatError, WAL_FILE } from "../src/index.js";
import { entry, loadOnce, tempDir } from "./helpers/temp-dir.js";

const MAGIC = 8;

/** Three records, each flushed on its own: hard state, then entry 1, then entry 2. */
async function threeRecords(dir: string): Promise<Buffer> {
  const p = await FilePersister.open<string>(dir);
  await p.saveHardState({ term: 3, votedFor: 1 });
  await p.appendEntries(1, [entry(3, "first")]);
  await p.appendEntries(2, [entry(3, "second")]);
  await p.close();
  return readFileSync(join(dir, WAL_FILE));
}

async function openFails(dir: string): Promise<unknown> {
  try {
    await FilePersister.open(dir);
  } catch (error) {
    return error;
  }
  return assert.unreachable("a damaged log must not open");
}

test("a flipped bit in a record's length is corruption naming file and offset; the file is left untouched", async () => {
  const { dir, dispose } = tempDir();
  try {
    const path = join(dir, WAL_FILE);
    const whole = await threeRecords(dir);
    // The high bit of the first record's length: read as "longer than the file", i.e. torn, the
    // whole log after it was cut off and the member came back with term 0 and no vote.
    for (const bit of [0x80, 0x01]) {
      const damaged = Buffer.from(whole);
      damaged[MAGIC] = damaged[MAGIC]! ^ bit;
      writeFileSync(path, damaged);
      const error = await openFails(dir);
      assert.instance(error, CorruptFileError, `bit ${bit}: ${String(error)}`);
      assert.is((error as CorruptFileError).file, path);
      assert.is((error as CorruptFileError).offset, MAGIC);
      assert.is((error as CorruptFileError).code, "ERR_RAFTKIT_CORRUPT_FILE");
      assert.ok(readFileSync(path).equals(damaged), "nothing was truncated or rewritten");
    }
  } finally {
    dispose();
  }
});

test("a damaged record with data after it is corruption even when it is the second to last", async () => {
  const { dir, dispose } = tempDir();
  try {
    const path = join(dir, WAL_FILE);
    const whole = await threeRecords(dir);
    const firstLength = whole.readUInt32BE(MAGIC);
    const second = MAGIC + 12 + firstLength;
    for (const at of [second + 1, second + 5, second + 9, second + 14]) {
      const damaged = Buffer.from(whole);
      damaged[at] = damaged[at]! ^ 0x10;
      writeFileSync(path, damaged);
      const error = await openFails(dir);
      assert.instance(error, CorruptFileError, `byte ${at}`);
      assert.is((error as CorruptFileError).offset, second, `byte ${at}`);
      assert.ok(readFileSync(path).equals(damaged));
    }
  } finally {
    dispose();
  }
});

test("a torn tail is recognised only at the true end: a cut record, or damage followed by zeros", async () => {
  const { dir, dispose } = tempDir();
  try {
    const path = join(dir, WAL_FILE);
    const whole = await threeRecords(dir);
    const second = MAGIC + 12 + whole.readUInt32BE(MAGIC);
    const last = second + 12 + whole.readUInt32BE(second);
    const cases: [string, Buffer][] = [
      ["cut inside the header", whole.subarray(0, last + 5)],
      ["cut inside the payload", whole.subarray(0, whole.length - 2)],
      ["header written, payload zeros", Buffer.concat([whole.subarray(0, last + 12), Buffer.alloc(40)])],
      ["payload damaged at the end", Buffer.concat([whole.subarray(0, whole.length - 1), Buffer.from([0])])],
      ["half a header then zeros", Buffer.concat([whole.subarray(0, last + 6), Buffer.alloc(200)])],
    ];
    for (const [name, bytes] of cases) {
      writeFileSync(path, bytes);
      const loaded = await loadOnce<string>(dir);
      assert.equal(loaded?.hardState, { term: 3, votedFor: 1 }, name);
      assert.equal(loaded?.entries, [entry(3, "first")], name);
      assert.is(readFileSync(path).length, last, `${name}: only the torn record was cut`);
    }
  } finally {
    dispose();
  }
});

test("files of the previous format are refused with UnsupportedFormatError, untouched", async () => {
  const { dir, dispose } = tempDir();
  try {
    const path = join(dir, WAL_FILE);
    const old = Buffer.concat([Buffer.from("RKWAL1\n "), Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0xf6])]);
    writeFileSync(path, old);
    const error = await openFails(dir);
    assert.instance(error, UnsupportedFormatError);
    assert.match((error as Error).message, /RKWAL1/);
    assert.ok(readFileSync(path).equals(old));
  } finally {
    dispose();
  }
});

test.run();
