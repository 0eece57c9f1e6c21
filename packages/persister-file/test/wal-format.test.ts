import { encodedCommand } from "@raftkit/raft";
import { Encoder } from "cbor-x";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { RECORD_HEADER, readRecord } from "../src/records.js";
import { entriesRecord } from "../src/wal-format.js";

const codec = new Encoder({ useRecords: false, mapsAsObjects: true });

test("a record of entries holds exactly the bytes cbor-x gives the same array, commands spliced in", () => {
  const commands: unknown[] = [
    undefined,
    "x",
    0,
    { op: "put", key: "k1", value: "v".repeat(100), clientId: "c".repeat(21), seq: 70_000 },
    { nested: [1, { a: Buffer.from([1, 2, 3]) }] },
  ];
  for (const term of [0, 23, 24, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
    for (const from of [1, 23, 24, 70_000, 2 ** 40]) {
      const entries = commands.map((command) => ({ term, command }));
      const record = entriesRecord(from, entries);
      const expected = codec.encode([2, from, ...entries.flatMap((e) => [e.term, e.command])]);
      assert.equal(
        Buffer.from(record.subarray(RECORD_HEADER)),
        Buffer.from(expected),
        `term ${term}, from ${from}`,
      );
      const read = readRecord(record, 0, "wal.log");
      assert.is(read.kind, "record");
    }
  }
});

test("a command's bytes are encoded once and reused by every record that holds it", () => {
  const command = { op: "put", key: "k", value: "v" };
  const bytes = encodedCommand(command);
  assert.is(encodedCommand(command), bytes, "the same bytes, not a second encoding");
  const record = entriesRecord(5, [{ term: 1, command }]);
  assert.ok(record.includes(Buffer.from(bytes)));
});

test.run();
