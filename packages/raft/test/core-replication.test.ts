import { test } from "uvu";
import * as assert from "uvu/assert";
import type { AppendEntriesArgs } from "../src/index.js";
import { appendTo, coreWithLog, elect } from "./core-helpers.js";

const append = (
  prevLogIndex: number,
  prevLogTerm: number,
  terms: number[],
  leaderCommit = 0,
  term = 9,
): AppendEntriesArgs<string> => ({
  term,
  leaderId: 1,
  prevLogIndex,
  prevLogTerm,
  entries: terms.map((t, i) => ({ term: t, command: `n${prevLogIndex + i + 1}` })),
  leaderCommit,
});

test("core: AppendEntries from an older term is refused", () => {
  const c = coreWithLog(0, 3, 5, 1, 1);
  const r = c.handleAppendEntries(append(2, 1, [], 0, 4), 0);
  assert.equal(r, { term: 5, success: false, conflictIndex: 0, conflictTerm: 0 });
});

test("core: a follower whose log is too short says where it ends", () => {
  const c = coreWithLog(0, 3, 5, 1, 1);
  const r = c.handleAppendEntries(append(6, 3, [3]), 0);
  assert.equal(r, { term: 9, success: false, conflictIndex: 3, conflictTerm: 0 });
});

test("core: on a term mismatch the follower names its term there and where that term starts", () => {
  const c = coreWithLog(0, 3, 5, 1, 2, 2, 2, 3);
  const r = c.handleAppendEntries(append(4, 4, [4]), 0);
  assert.equal(r, { term: 9, success: false, conflictIndex: 2, conflictTerm: 2 });
  assert.is(c.lastIndex, 5); // nothing truncated on a rejection
});

test("core: a conflicting suffix is truncated and replaced, and the write says so", () => {
  const c = coreWithLog(0, 3, 5, 1, 2, 2, 2);
  const r = c.handleAppendEntries(append(2, 2, [3, 3]), 0);
  assert.is(r.success, true);
  assert.is(c.lastIndex, 4);
  assert.is(c.termAt(3), 3);
  assert.is(c.entryAt(3).command, "n3");
  const ready = c.takeReady();
  assert.equal(ready.writes, [
    {
      kind: "entries",
      from: 3,
      entries: [
        { term: 3, command: "n3" },
        { term: 3, command: "n4" },
      ],
    },
  ]);
});

test("core: a stale AppendEntries whose entries match does not truncate later entries", () => {
  const c = coreWithLog(0, 3, 5, 1, 2, 2, 2);
  const r = c.handleAppendEntries(append(1, 1, [2]), 0);
  assert.is(r.success, true);
  assert.is(c.lastIndex, 4);
  assert.equal(c.takeReady().writes, []);
});

test("core: a follower commits up to leaderCommit, but not past what this message proves matches", () => {
  const c = coreWithLog(0, 3, 5, 1, 1, 1, 1, 1);
  c.handleAppendEntries(append(2, 1, [], 5), 0);
  assert.is(c.commitIndex, 2);
  const applies = c.takeReady().applies;
  assert.equal(
    applies.map((a) => [a.kind, a.index]),
    [
      ["command", 1],
      ["command", 2],
    ],
  );
  c.handleAppendEntries(append(5, 1, [], 4), 0);
  assert.is(c.commitIndex, 4);
});

test("core: proposals made together travel in one AppendEntries and one write per follower", () => {
  const c = coreWithLog(0, 3, 1);
  elect(c);
  // Both followers acknowledge the first heartbeat, so they are in replicate mode.
  for (const peer of [1, 2]) {
    c.onAppendEntriesReply(
      peer,
      append(0, 0, [], 0, 2),
      { term: 2, success: true, conflictIndex: 0, conflictTerm: 0 },
      0,
    );
  }
  c.takeReady();
  // Index 1 holds the leader's no-op.
  assert.equal(c.propose("a"), { index: 2, term: 2, isLeader: true });
  assert.equal(c.propose("b"), { index: 3, term: 2, isLeader: true });
  assert.equal(c.propose("c"), { index: 4, term: 2, isLeader: true });
  const ready = c.takeReady();
  assert.is(ready.writes.length, 1);
  assert.equal(ready.writes[0], {
    kind: "entries",
    from: 2,
    entries: [
      { term: 2, command: "a" },
      { term: 2, command: "b" },
      { term: 2, command: "c" },
    ],
  });
  assert.is(ready.messages.length, 2);
  for (const m of ready.messages) {
    assert.is(m.method, "AppendEntries");
    assert.is((m.args as AppendEntriesArgs<string>).entries.length, 3);
  }
});

test("core: the leader commits by counting only entries of its own term (Figure 8)", () => {
  // Leader with entries from an older term (2), now in term 4.
  const c = coreWithLog(0, 3, 3, 1, 2);
  elect(c);
  assert.is(c.term, 4);
  const heartbeat = append(2, 2, [], 0, 4);
  // A follower has replicated index 2 (term 2): a majority holds it, but it is not committed.
  c.onAppendEntriesReply(1, heartbeat, { term: 4, success: true, conflictIndex: 0, conflictTerm: 0 }, 0);
  assert.is(c.commitIndex, 0);
  // Once an entry of term 4 is replicated on a majority, it and everything before commit.
  c.propose("x");
  c.takeReady();
  c.onAppendEntriesReply(
    1,
    { ...heartbeat, entries: [{ term: 4, command: "x" }] },
    { term: 4, success: true, conflictIndex: 0, conflictTerm: 0 },
    0,
  );
  assert.is(c.commitIndex, 3);
  assert.equal(
    c.takeReady().applies.map((a) => a.index),
    [1, 2, 3],
  );
});

test("core: fast backup skips a whole conflicting term in one step", () => {
  const c = coreWithLog(0, 3, 6, 1, 1, 4, 4, 4, 6, 6); // leader's log
  let probe = appendTo(elect(c), 1);
  assert.is(probe.prevLogIndex, 7);
  // Follower has term 5 at index 7 (a term the leader lacks), starting at 6: back up to 6.
  c.onAppendEntriesReply(1, probe, { term: 7, success: false, conflictIndex: 6, conflictTerm: 5 }, 0);
  probe = appendTo(c.takeReady().messages, 1);
  assert.is(probe.prevLogIndex, 5);
  // Follower has term 4 at 5, starting at 3: the leader has term 4 through 5, so resume after 5.
  c.onAppendEntriesReply(1, probe, { term: 7, success: false, conflictIndex: 3, conflictTerm: 4 }, 0);
  // Never backs up past the rejected probe: next is min(hint, prevLogIndex).
  assert.ok(appendTo(c.takeReady().messages, 1).prevLogIndex <= 5);
  // Follower's log too short: jump to its end.
  const c2 = coreWithLog(0, 3, 6, 1, 1, 4, 4, 4, 6, 6);
  const probe2 = appendTo(elect(c2), 1);
  c2.onAppendEntriesReply(1, probe2, { term: 7, success: false, conflictIndex: 2, conflictTerm: 0 }, 0);
  const sent = appendTo(c2.takeReady().messages, 1);
  assert.is(sent.prevLogIndex, 1);
  assert.equal(
    sent.entries.map((e) => e.term),
    [1, 4, 4, 4, 6, 6, 7], // the last is the leader's no-op
  );
});

test("core: a stale rejection for an old probe is ignored", () => {
  const c = coreWithLog(0, 3, 1, 1, 1, 1);
  const probe = appendTo(elect(c), 1);
  assert.is(probe.prevLogIndex, 3);
  c.onAppendEntriesReply(1, probe, { term: 2, success: false, conflictIndex: 2, conflictTerm: 0 }, 0);
  assert.is(appendTo(c.takeReady().messages, 1).prevLogIndex, 1);
  // A duplicate of the same rejection arrives late: the probe at prev=1 is what counts now.
  c.onAppendEntriesReply(1, probe, { term: 2, success: false, conflictIndex: 2, conflictTerm: 0 }, 0);
  assert.is(c.takeReady().messages.length, 0);
});

test("core: a rejection at or below what the follower acknowledged is stale and ignored", () => {
  const c = coreWithLog(0, 3, 1, 1, 1, 1);
  const probe = appendTo(elect(c), 1);
  c.onAppendEntriesReply(1, probe, { term: 2, success: true, conflictIndex: 0, conflictTerm: 0 }, 0);
  c.takeReady();
  // A late duplicate rejection of the same probe (or a follower that forgot what it stored):
  // resending would only bring the same answer, so the leader waits for the next heartbeat.
  c.onAppendEntriesReply(1, probe, { term: 2, success: false, conflictIndex: 1, conflictTerm: 0 }, 0);
  assert.is(c.takeReady().messages.length, 0);
});

test.run();
