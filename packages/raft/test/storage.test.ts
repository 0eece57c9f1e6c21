import { Encoder } from "cbor-x";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CorruptStateError, decodeRaftState, encodeRaftState, MemoryPersister } from "../src/index.js";
import type { EncodedStateFields } from "../src/storage/codec.js";
import { entries, throwsA } from "./core-helpers.js";

test("storage: MemoryPersister starts empty", () => {
  const p = new MemoryPersister();
  assert.is(p.load(), undefined);
  assert.is(p.raftStateSize(), 0);
  assert.is(p.snapshotSize(), 0);
});

test("storage: incremental writes survive copy() through the encoding", () => {
  const p = new MemoryPersister<string>();
  p.saveHardState({ term: 3, votedFor: 2 });
  p.appendEntries(1, entries(1, 1, 2, 3));
  p.appendEntries(3, [{ term: 3, command: "x" }]); // truncates 3..4, appends
  const copy = p.copy();
  p.saveHardState({ term: 9, votedFor: null }); // later writes to the original do not leak
  const loaded = copy.load()!;
  assert.equal(loaded.hardState, { term: 3, votedFor: 2 });
  assert.is(loaded.snapshot, undefined);
  assert.equal(loaded.entries, [
    { term: 1, command: "c1" },
    { term: 1, command: "c2" },
    { term: 3, command: "x" },
  ]);
  assert.ok(copy.raftStateSize() > 0);
});

test("storage: a snapshot drops the covered entries and travels with the state", () => {
  const p = new MemoryPersister<string>();
  p.saveHardState({ term: 2, votedFor: 0 });
  p.appendEntries(1, entries(1, 1, 2, 2));
  const sizeBefore = p.raftStateSize();
  p.saveSnapshot({ index: 3, term: 2 }, Uint8Array.from([7, 7]));
  assert.ok(p.raftStateSize() < sizeBefore);
  p.appendEntries(5, [{ term: 2, command: "e5" }]);
  const loaded = p.copy().load()!;
  assert.equal(loaded.snapshot, { meta: { index: 3, term: 2 }, data: Uint8Array.from([7, 7]) });
  assert.equal(
    loaded.entries.map((e) => e.command),
    ["c4", "e5"],
  );
  assert.equal(p.readSnapshot(), Uint8Array.from([7, 7]));
  // A snapshot that disagrees with the log there drops the whole log.
  p.saveSnapshot({ index: 4, term: 9 }, Uint8Array.from([1]));
  assert.equal(p.load()!.entries, []);
});

test("storage: the lab API saves raft state and snapshot together", () => {
  const p = new MemoryPersister();
  const state = encodeRaftState({
    hardState: { term: 4, votedFor: null },
    snapshotMeta: { index: 0, term: 0 },
    entries: entries(1, 4),
  });
  p.save(state, Uint8Array.from([1, 2, 3]));
  assert.equal([...p.readRaftState()], [...state]);
  assert.is(p.raftStateSize(), state.length);
  assert.is(p.snapshotSize(), 3);
  const copied = p.readRaftState();
  copied[0] = 0; // callers get copies
  assert.equal([...p.readRaftState()], [...state]);
  assert.equal(p.load()!.hardState, { term: 4, votedFor: null });
  p.save(state, undefined);
  assert.is(p.snapshotSize(), 0);
});

test("storage: corrupt state raises CorruptStateError", () => {
  const codec = new Encoder({ useRecords: false, mapsAsObjects: true });
  const bad = [
    Uint8Array.from([0xff, 0x00, 0x13]), // not cbor
    codec.encode({ term: 1 }), // not the record
    codec.encode([3, 1, -1, 0, 0]), // unknown version
    codec.encode([2, 1, -1, 0, 0]), // version 2 without its configuration
    codec.encode([2, 1, -1, 0, 0, { voters: [1], learners: [1], autoPromote: [], addresses: [] }]), // voter and learner
    codec.encode([1, -3, -1, 0, 0]), // negative term
    codec.encode([1, 3, -1, 0, 0, 1]), // entry cut short
    codec.encode([1, 3, -1, 0, 0, 2, "a", 1, "b"]), // terms going backwards
    codec.encode([1, 3, -1, 0, 0, 5, "a"]), // entry term past the current term
  ];
  for (const bytes of bad) {
    throwsA(() => decodeRaftState(bytes), CorruptStateError);
    const p = new MemoryPersister();
    p.save(bytes, undefined);
    throwsA(() => p.load(), CorruptStateError);
  }
});

test("storage: encoding round-trips structured commands", () => {
  const state: EncodedStateFields<unknown> = {
    hardState: { term: 7, votedFor: 1 },
    snapshotMeta: { index: 10, term: 5 },
    entries: [
      { term: 6, command: { op: "put", key: "k", value: Uint8Array.from([1, 2]) } },
      { term: 7, command: [1, "two", null] },
    ],
  };
  const decoded = decodeRaftState(encodeRaftState(state));
  assert.equal(decoded.hardState, state.hardState);
  assert.equal(decoded.snapshotMeta, state.snapshotMeta);
  assert.equal(JSON.stringify(decoded.entries[1]), JSON.stringify(state.entries[1]));
  const first = decoded.entries[0]!.command as { value: Uint8Array };
  assert.equal([...first.value], [1, 2]);
});

test("storage: a snapshot's configuration is kept in the state and survives a copy", () => {
  const config = {
    voters: [0, 1, 4],
    learners: [7],
    autoPromote: [7],
    addresses: [{ id: 7, address: "10.0.0.7:7000" }],
  };
  const p = new MemoryPersister<string>();
  p.saveHardState({ term: 2, votedFor: null });
  p.appendEntries(1, entries(1, 1, 2));
  p.saveSnapshot({ index: 2, term: 1, config }, Uint8Array.from([9]));
  const restored = p.copy().load()!;
  assert.equal(restored.snapshot!.meta, { index: 2, term: 1, config });
  assert.is(restored.entries.length, 1);
  assert.is(p.raftStateSize(), p.readRaftState().length, "the size is computed with the configuration");
});

test.run();
