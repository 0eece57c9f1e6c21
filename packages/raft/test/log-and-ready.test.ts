import { test } from "uvu";
import * as assert from "uvu/assert";
import { RaftLog } from "../src/core/log.js";
import { ReadyBuilder } from "../src/core/ready.js";
import { entries } from "./core-helpers.js";

test("log: indexes, terms and the snapshot boundary", () => {
  const log = new RaftLog<string>({ index: 3, term: 2 }, entries(2, 3, 3));
  assert.is(log.lastIndex, 6);
  assert.is(log.lastTerm, 3);
  assert.is(log.termAt(3), 2); // the snapshot's last entry
  assert.is(log.termAt(2), undefined); // compacted
  assert.is(log.termAt(7), undefined); // beyond the end
  assert.is(log.entry(5).command, "c2");
  assert.throws(() => log.entry(3));
  assert.equal(
    log.slice(5).map((e) => e.command),
    ["c2", "c3"],
  );
  assert.equal(
    log.slice(4, 1).map((e) => e.command),
    ["c1"],
  );
  assert.is(log.firstIndexOfTermAt(6), 5);
  assert.is(log.firstIndexOfTermAt(4), 4); // never before the snapshot
  assert.is(log.lastIndexOfTerm(3), 6);
  assert.is(log.lastIndexOfTerm(2), 4);
  assert.is(log.lastIndexOfTerm(1), undefined);
});

test("log: truncation and compaction", () => {
  const log = new RaftLog<string>(undefined, entries(1, 1, 2, 2));
  log.truncateFrom(3);
  assert.is(log.lastIndex, 2);
  assert.throws(() => log.truncateFrom(0));
  log.append(entries(3));
  assert.is(log.compact({ index: 2, term: 1 }), true); // matches: keeps index 3
  assert.is(log.lastIndex, 3);
  assert.is(log.compact({ index: 5, term: 4 }), false); // beyond the log: drops everything
  assert.is(log.lastIndex, 5);
  assert.is(log.lastTerm, 4);
});

test("ready: adjacent log writes merge; a snapshot in between keeps them apart", () => {
  const ready = new ReadyBuilder<string>();
  assert.ok(ready.isEmpty);
  ready.writeEntries(1, entries(1));
  ready.writeEntries(2, [{ term: 1, command: "b" }]);
  ready.writeEntries(2, [{ term: 2, command: "B" }]); // overwrites the tail
  ready.writeSnapshot({ index: 2, term: 2 }, new Uint8Array(1));
  ready.writeEntries(3, [{ term: 2, command: "c" }]);
  ready.setHardState({ term: 1, votedFor: 0 });
  ready.setHardState({ term: 2, votedFor: null }); // the last one wins
  const out = ready.take();
  assert.equal(out.hardState, { term: 2, votedFor: null });
  assert.equal(
    out.writes.map((w) =>
      w.kind === "entries" ? `entries ${w.from}: ${w.entries.map((e) => e.command)}` : w.kind,
    ),
    ["entries 1: c1,B", "snapshot", "entries 3: c"],
  );
  assert.ok(ready.isEmpty);
});

test.run();
