import { test } from "uvu";
import * as assert from "uvu/assert";
import type { AppendEntriesArgs, OutgoingMessage, RaftCore } from "../src/index.js";
import { core } from "./core-helpers.js";

type Sent = OutgoingMessage<string>;
const OK = (term: number) => ({ term, success: true, conflictIndex: 0, conflictTerm: 0 });

/** Elects member 0 of 3 (term 1); returns the core and the heartbeats carrying its no-op. */
function leader(): { c: RaftCore<string>; heartbeats: Sent[] } {
  const c = core(0, 3);
  c.tick(c.nextWakeup());
  const votes = c.takeReady().messages;
  c.onRequestVoteReply(1, votes[0]!.args as never, { term: 1, voteGranted: true }, 400);
  assert.ok(c.isLeader);
  return { c, heartbeats: [...c.takeReady().messages] };
}

/** `from` answers `m` (an AppendEntries) with success. */
function ack(c: RaftCore<string>, m: Sent, now = 410): void {
  c.onAppendEntriesReply(m.to, m.args as AppendEntriesArgs<string>, OK(c.term), now);
}

test("read index: confirmed once a majority acknowledged a heartbeat sent after the read", () => {
  const { c, heartbeats } = leader();
  ack(c, heartbeats[0]!); // commits the no-op (index 1)
  assert.is(c.commitIndex, 1);
  c.takeReady();
  assert.ok(c.readIndex(7, 420));
  assert.ok(c.readIndex(8, 420));
  const round = c.takeReady().messages;
  // One heartbeat round for both reads, sent at once.
  assert.equal(
    round.map((m) => [m.to, m.method]),
    [
      [1, "AppendEntries"],
      [2, "AppendEntries"],
    ],
  );
  // Negative control: an acknowledgement of a message sent before the reads confirms nothing.
  ack(c, heartbeats[1]!);
  assert.equal(c.takeReady().reads, []);
  ack(c, round[0]!);
  assert.equal(c.takeReady().reads, [
    { id: 7, index: 1 },
    { id: 8, index: 1 },
  ]);
});

test("read index: a new leader answers only once its no-op is committed", () => {
  const { c, heartbeats } = leader();
  assert.ok(c.readIndex(1, 420));
  const round = c.takeReady().messages;
  // Member 1 answers the read's heartbeat in this term (so it acknowledges the leadership) but
  // rejects it, so the no-op is not yet committed.
  const reject = { term: 1, success: false, conflictIndex: 1, conflictTerm: 0 };
  c.onAppendEntriesReply(1, round[0]!.args as AppendEntriesArgs<string>, reject, 430);
  assert.is(c.commitIndex, 0);
  const first = c.takeReady();
  assert.equal(first.reads, []);
  ack(c, heartbeats[1]!); // member 2 holds the no-op: committed
  assert.equal(c.takeReady().reads, [{ id: 1, index: 1 }]);
});

test("read index: reads waiting when leadership is lost fail", () => {
  const { c, heartbeats } = leader();
  ack(c, heartbeats[0]!);
  c.readIndex(1, 420);
  c.takeReady();
  c.onAppendEntriesReply(1, heartbeats[0]!.args as AppendEntriesArgs<string>, OK(5), 430); // a higher term
  assert.is(c.role, "follower");
  assert.equal(c.takeReady().reads, [{ id: 1, lost: true }]);
});

test("read index: without check-quorum, reads fail at a check that finds no majority replied in an election timeout; the leader stays", () => {
  const { c, heartbeats } = leader(); // classic rules: elected at 400, checks every 400 ms
  ack(c, heartbeats[0]!); // member 1 replies at 410: the check at 800 finds a majority
  c.takeReady();
  assert.ok(c.readIndex(1, 420));
  c.takeReady(); // the read's round, never answered
  c.tick(800);
  assert.equal(c.takeReady().reads, [], "a majority replied during (400, 800]");
  c.tick(1200);
  assert.equal(c.takeReady().reads, [{ id: 1, lost: true, noQuorumMs: 400 }]);
  assert.ok(c.isLeader, "the Raft paper's leader does not step down");
});

test("read index: a follower refuses at once", () => {
  const c = core(0, 3);
  assert.is(c.readIndex(1, 0), false);
  assert.equal(c.takeReady().reads, []);
});

test("read index: a single member confirms its own reads", () => {
  const c = core(0, 1);
  c.tick(c.nextWakeup());
  assert.ok(c.readIndex(3, 500));
  assert.equal(c.takeReady().reads, [{ id: 3, index: 1 }]);
});

test.run();
