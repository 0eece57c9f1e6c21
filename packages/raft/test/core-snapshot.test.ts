import { test } from "uvu";
import * as assert from "uvu/assert";
import { type InstallSnapshotArgs, RaftUsageError, votersOnly } from "../src/index.js";
import { appendTo, core, coreWithLog, elect, entries, throwsA } from "./core-helpers.js";

const bytes = (...values: number[]) => Uint8Array.from(values);
const THREE = votersOnly([0, 1, 2]);

/** A follower that has applied (committed) its whole log of the given terms. */
function committedFollower(...terms: number[]) {
  const c = coreWithLog(0, 3, 5, ...terms);
  c.handleAppendEntries(
    {
      term: 5,
      leaderId: 1,
      prevLogIndex: terms.length,
      prevLogTerm: terms.at(-1) ?? 0,
      entries: [],
      leaderCommit: terms.length,
    },
    0,
  );
  c.takeReady();
  return c;
}

const install = (index: number, term: number, data = bytes(index)): InstallSnapshotArgs => ({
  term: 5,
  leaderId: 1,
  lastIncludedIndex: index,
  lastIncludedTerm: term,
  offset: 0,
  data,
  done: true,
});

test("core: the service's snapshot discards the log through its index and keeps the rest", () => {
  const c = committedFollower(1, 1, 2, 2, 3);
  c.compact(3, bytes(9));
  assert.is(c.snapshotIndex, 3);
  assert.is(c.lastIndex, 5);
  assert.is(c.termAt(3), 2);
  assert.is(c.termAt(2), undefined);
  assert.is(c.entryAt(4).command, "c4");
  assert.equal(c.takeReady().writes, [
    { kind: "snapshot", meta: { index: 3, term: 2, config: THREE }, data: bytes(9) },
  ]);
  // An older snapshot is ignored; one past what was applied is a usage error.
  c.compact(2, bytes(1));
  assert.is(c.snapshotIndex, 3);
  throwsA(() => c.compact(6, bytes()), RaftUsageError);
});

test("core: InstallSnapshot that matches the log keeps the entries after it", () => {
  const c = coreWithLog(0, 3, 5, 1, 1, 2, 2, 3);
  const r = c.handleInstallSnapshot(install(3, 2), 0);
  assert.equal(r, { term: 5, installed: true, nextOffset: 0 });
  assert.is(c.snapshotIndex, 3);
  assert.is(c.lastIndex, 5);
  assert.is(c.commitIndex, 3);
  const ready = c.takeReady();
  assert.equal(ready.writes, [
    { kind: "snapshot", meta: { index: 3, term: 2, config: THREE }, data: bytes(3) },
  ]);
  assert.equal(ready.applies, [{ kind: "snapshot", index: 3, term: 2, snapshot: bytes(3) }]);
});

test("core: InstallSnapshot that conflicts with the log discards all of it", () => {
  const c = coreWithLog(0, 3, 5, 1, 1, 1, 1);
  c.handleInstallSnapshot(install(3, 2), 0);
  assert.is(c.lastIndex, 3);
  assert.equal(
    c
      .takeReady()
      .writes.map((w) => (w.kind === "entries" ? ["entries", w.from, w.entries.length] : [w.kind])),
    [["snapshot"], ["entries", 4, 0]],
  );
});

test("core: InstallSnapshot that covers nothing new is ignored", () => {
  const c = committedFollower(1, 1, 2, 2);
  c.handleInstallSnapshot(install(3, 2), 0);
  assert.is(c.snapshotIndex, 0);
  assert.equal(c.takeReady().applies, []);
});

test("core: a snapshot arrives in apply order, after the commands committed before it", () => {
  const c = coreWithLog(0, 3, 5, 1, 1, 1);
  c.handleAppendEntries(
    { term: 5, leaderId: 1, prevLogIndex: 3, prevLogTerm: 1, entries: [], leaderCommit: 2 },
    0,
  );
  c.handleInstallSnapshot(install(6, 4), 0);
  c.handleAppendEntries(
    { term: 5, leaderId: 1, prevLogIndex: 6, prevLogTerm: 4, entries: entries(5), leaderCommit: 7 },
    0,
  );
  assert.equal(
    c.takeReady().applies.map((a) => [a.kind, a.index]),
    [
      ["command", 1],
      ["command", 2],
      ["snapshot", 6],
      ["command", 7],
    ],
  );
});

test("core: AppendEntries overlapping the snapshot skips what the snapshot covers", () => {
  const c = coreWithLog(0, 3, 5);
  c.handleInstallSnapshot(install(4, 3), 0);
  const r = c.handleAppendEntries(
    { term: 5, leaderId: 1, prevLogIndex: 2, prevLogTerm: 3, entries: entries(3, 3, 5), leaderCommit: 0 },
    0,
  );
  assert.is(r.success, true);
  assert.is(c.lastIndex, 5);
  assert.is(c.termAt(5), 5);
});

test("core: the leader sends InstallSnapshot to a follower that needs compacted entries", () => {
  const c = coreWithLog(0, 3, 1, 1, 1, 1, 1); // four entries of term 1
  const probes = elect(c); // term 2: probes both followers at prevLogIndex 4
  c.propose("e");
  c.takeReady();
  // Follower 2 holds everything: entry 5 (term 2) commits, and with it 1..4.
  c.onAppendEntriesReply(
    2,
    {
      term: 2,
      leaderId: 0,
      prevLogIndex: 4,
      prevLogTerm: 1,
      entries: [{ term: 2, command: "e" }],
      leaderCommit: 0,
    },
    { term: 2, success: true, conflictIndex: 0, conflictTerm: 0 },
    0,
  );
  assert.is(c.commitIndex, 5);
  c.takeReady();
  c.compact(3, bytes(7));
  c.takeReady();
  // Follower 1 rejects the probe: its log is empty, and entries 1..3 are gone.
  c.onAppendEntriesReply(
    1,
    appendTo(probes, 1),
    { term: 2, success: false, conflictIndex: 1, conflictTerm: 0 },
    0,
  );
  const sent = c.takeReady().messages;
  assert.is(sent.length, 1);
  assert.is(sent[0]!.method, "InstallSnapshot");
  assert.equal(sent[0]!.args, {
    term: 2,
    leaderId: 0,
    lastIncludedIndex: 3,
    lastIncludedTerm: 1,
    config: THREE, // the configuration travels with the snapshot
    offset: 0,
    data: bytes(7),
    done: true,
  });
});

test("core: a restarted member delivers its snapshot first", () => {
  const c = core(0, 3, {
    hardState: { term: 3, votedFor: 1 },
    snapshot: { meta: { index: 5, term: 2 }, data: bytes(5) },
    entries: entries(3),
  });
  assert.is(c.lastIndex, 6);
  assert.is(c.commitIndex, 5);
  assert.equal(c.takeReady().applies, [{ kind: "snapshot", index: 5, term: 2, snapshot: bytes(5) }]);
});

test.run();
