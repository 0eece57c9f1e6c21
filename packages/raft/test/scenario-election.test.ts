// Pre-vote, check-quorum and leader stickiness as scenarios on RaftCores (test/helpers/scenario.ts);
// transcripts in test/scenarios/, rewritten with RAFTKIT_REWRITE_SCENARIOS=1. Each safety or
// liveness property has a negative control: the same scenario with the rule off, which must break it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RaftConfig } from "../src/config.js";
import { expectTranscript, Scenario } from "./helpers/scenario.js";

const CLASSIC: Partial<RaftConfig> = { preVote: false, checkQuorum: false };

/** Member 0 elected in a cluster of `members`, a first write committed everywhere. */
function started(members: number, config: Partial<RaftConfig> = {}): Scenario {
  const s = new Scenario({ members, config });
  s.runUntil(() => s.leader() !== undefined, 2000);
  assert.is(s.leader(), 0);
  s.cores[0]!.propose("x");
  s.run(200);
  return s;
}

/** A follower cut off for `ms` rejoins; returns [term before, term after, leader after]. */
function partitionedFollower(config: Partial<RaftConfig>): { s: Scenario; before: number; after: number } {
  const s = started(3, config);
  const before = s.cores[0]!.term;
  s.note("member 2 cut off from everyone for 5 s");
  s.partition([0, 1], [2]);
  s.run(5000);
  s.note("healed");
  s.heal();
  s.run(2000);
  return { s, before, after: s.cores[0]!.term };
}

test("pre-vote: a follower cut off for many election timeouts rejoins without raising the term or deposing the leader", () => {
  const { s, before, after } = partitionedFollower({});
  expectTranscript("prevote-rejoin", s.lines);
  assert.is(after, before);
  assert.is(s.leader(), 0);
  assert.is(s.cores[2]!.term, before);
  assert.is(s.cores[2]!.leaderId, 0);
});

test("pre-vote (negative control): without it the rejoining member raises the term and deposes the leader", () => {
  const { s, before, after } = partitionedFollower(CLASSIC);
  expectTranscript("prevote-rejoin-control", s.lines);
  assert.ok(after > before, `term ${before} -> ${after}`);
});

function cutOffLeader(config: Partial<RaftConfig>): { s: Scenario; steppedDownAfter: number | undefined } {
  const s = started(3, config);
  s.note("the leader (0) cut off from all followers");
  s.partition([0], [1, 2]);
  const t0 = s.now;
  const stepped = s.runUntil(() => !s.cores[0]!.isLeader, 3000);
  return { s, steppedDownAfter: stepped ? s.now - t0 : undefined };
}

test("check-quorum: a leader cut off from all followers steps down within two election timeouts", () => {
  const { s, steppedDownAfter } = cutOffLeader({});
  expectTranscript("check-quorum", s.lines);
  assert.ok(steppedDownAfter !== undefined && steppedDownAfter <= 2 * 400, `after ${steppedDownAfter} ms`);
  assert.is(s.cores[0]!.role, "follower");
});

test("check-quorum (negative control): without it the cut-off leader stays leader", () => {
  const { steppedDownAfter } = cutOffLeader(CLASSIC);
  assert.is(steppedDownAfter, undefined);
});

test("stickiness: a member that heard from the leader within an election timeout refuses a higher-term vote", () => {
  const s = started(3);
  const term = s.cores[1]!.term;
  const reply = s.cores[1]!.handleRequestVote(
    { term: term + 5, candidateId: 2, lastLogIndex: 99, lastLogTerm: 99 },
    s.clock(1),
  );
  assert.equal(reply, { term, voteGranted: false });
  assert.is(s.cores[1]!.term, term, "its term did not move");
  // The same request as a leadership transfer's campaign is granted.
  const invited = s.cores[1]!.handleRequestVote(
    { term: term + 5, candidateId: 2, lastLogIndex: 99, lastLogTerm: 99, transfer: true },
    s.clock(1),
  );
  assert.equal(invited, { term: term + 5, voteGranted: true });
});

/** 5 members, {0,1} and {3,4} cannot reach each other; 2 reaches everyone. */
function bridge(config: Partial<RaftConfig>): { s: Scenario; termBefore: number; elections: number } {
  const s = started(5, config);
  const termBefore = s.cores[2]!.term;
  s.note("bridge: {0,1} and {3,4} cut from each other, 2 reaches both sides");
  for (const a of [0, 1]) for (const b of [3, 4]) s.link(a, b, false);
  s.run(10_000);
  return { s, termBefore, elections: s.cores[2]!.term - termBefore };
}

test("bridge partition: with pre-vote and check-quorum the leader keeps its term and commits", () => {
  const { s, elections } = bridge({});
  expectTranscript("bridge", s.lines);
  assert.is(elections, 0);
  const leader = s.leader()!;
  const index = s.cores[leader]!.propose("y").index;
  s.run(200);
  assert.ok(s.cores[leader]!.commitIndex >= index, "the leader commits through the bridge");
});

test("bridge partition (negative control): without them the far side keeps deposing the leader", () => {
  const { elections } = bridge(CLASSIC);
  assert.ok(elections >= 2, `${elections} elections`);
});

test.run();
