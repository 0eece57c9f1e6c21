import { test } from "uvu";
import * as assert from "uvu/assert";
import { RaftConfigError } from "../src/index.js";
import { core, coreWithLog, elect, throwsA } from "./core-helpers.js";

test("core: a follower starts an election after its timeout, voting for itself durably", () => {
  const c = core(0, 3);
  assert.is(c.nextWakeup(), 400);
  c.tick(399);
  assert.is(c.role, "follower");
  c.tick(400);
  assert.is(c.role, "candidate");
  assert.is(c.term, 1);
  const ready = c.takeReady();
  assert.equal(ready.hardState, { term: 1, votedFor: 0 });
  assert.equal(
    ready.messages.map((m) => [m.to, m.method]),
    [
      [1, "RequestVote"],
      [2, "RequestVote"],
    ],
  );
});

test("core: a majority of votes makes a leader, which sends heartbeats at once", () => {
  const c = core(0, 5);
  c.tick(400);
  const { messages } = c.takeReady();
  const args = messages[0]!.args as {
    term: number;
    candidateId: number;
    lastLogIndex: number;
    lastLogTerm: number;
  };
  c.onRequestVoteReply(1, args, { term: 1, voteGranted: true }, 401);
  assert.is(c.role, "candidate");
  c.onRequestVoteReply(1, args, { term: 1, voteGranted: true }, 401); // a duplicate does not count twice
  assert.is(c.role, "candidate");
  c.onRequestVoteReply(2, args, { term: 1, voteGranted: true }, 402);
  assert.is(c.role, "leader");
  const heartbeats = c.takeReady().messages;
  assert.equal(
    heartbeats.map((m) => m.method),
    ["AppendEntries", "AppendEntries", "AppendEntries", "AppendEntries"],
  );
  assert.is(c.nextWakeup(), 502);
});

test("core: a single-member cluster elects itself", () => {
  const c = core(0, 1);
  c.tick(400);
  assert.ok(c.isLeader);
  const r = c.propose("x");
  assert.equal(r, { index: 2, term: 1, isLeader: true }); // after its no-op
  assert.is(c.commitIndex, 2);
});

test("core: one vote per term, granted only to an up-to-date log", () => {
  const c = coreWithLog(0, 3, 3, 1, 2, 3); // last entry: index 3, term 3
  // A candidate whose last term is older is refused, even with a longer log.
  let r = c.handleRequestVote({ term: 4, candidateId: 1, lastLogIndex: 10, lastLogTerm: 2 }, 0);
  assert.equal(r, { term: 4, voteGranted: false });
  // Same last term but shorter log: refused.
  r = c.handleRequestVote({ term: 4, candidateId: 1, lastLogIndex: 2, lastLogTerm: 3 }, 0);
  assert.is(r.voteGranted, false);
  // Same last term, as long: granted.
  r = c.handleRequestVote({ term: 4, candidateId: 1, lastLogIndex: 3, lastLogTerm: 3 }, 0);
  assert.is(r.voteGranted, true);
  // Asking again is fine; another candidate in the same term is refused.
  assert.is(
    c.handleRequestVote({ term: 4, candidateId: 1, lastLogIndex: 3, lastLogTerm: 3 }, 0).voteGranted,
    true,
  );
  assert.is(
    c.handleRequestVote({ term: 4, candidateId: 2, lastLogIndex: 9, lastLogTerm: 4 }, 0).voteGranted,
    false,
  );
  assert.equal(c.takeReady().hardState, { term: 4, votedFor: 1 });
});

test("core: a stale-term vote request is refused and does not reset the election timer", () => {
  const c = coreWithLog(0, 3, 5);
  const deadline = c.nextWakeup();
  const r = c.handleRequestVote({ term: 4, candidateId: 1, lastLogIndex: 0, lastLogTerm: 0 }, 100);
  assert.equal(r, { term: 5, voteGranted: false });
  assert.is(c.nextWakeup(), deadline);
});

test("core: a leader steps down when a reply carries a higher term", () => {
  const c = core(0, 3);
  elect(c);
  c.onAppendEntriesReply(
    1,
    { term: 1, leaderId: 0, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 },
    { term: 7, success: false, conflictIndex: 0, conflictTerm: 0 },
    500,
  );
  assert.is(c.role, "follower");
  assert.is(c.term, 7);
  assert.equal(c.takeReady().hardState, { term: 7, votedFor: null });
});

test("core: a candidate that hears from a leader of its term becomes a follower", () => {
  const c = core(0, 3);
  c.tick(400);
  c.handleAppendEntries(
    { term: 1, leaderId: 2, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 },
    410,
  );
  assert.is(c.role, "follower");
  assert.is(c.leaderId, 2);
  assert.is(c.nextWakeup(), 810);
});

test("core: configuration is checked", () => {
  throwsA(() => core(3, 3), RaftConfigError);
  throwsA(() => core(0, 0), RaftConfigError);
});

test("core: without check-quorum a leader wakes only for its heartbeats", () => {
  const c = core(0, 3); // the classic rules
  elect(c);
  assert.is(c.nextWakeup(), 100); // elected at 0, heartbeats every 100 ms
  c.tick(100);
  assert.is(c.nextWakeup(), 200);
});

test.run();
