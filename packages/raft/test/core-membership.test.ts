import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyChange } from "../src/core/membership.js";
import {
  decodeRaftState,
  encodeRaftState,
  isMembership,
  MemberIdRemovedError,
  RaftConfigError,
  RaftCore,
  RaftUsageError,
  votersOnly,
} from "../src/index.js";
import { core, elect, lowRandom, TEST_CONFIG, throwsA } from "./core-helpers.js";

const joiner = (id: number) =>
  new RaftCore<string>({ id, members: [], random: lowRandom, now: 0, config: TEST_CONFIG });

test("core: a vote request from a candidate outside the configuration is refused, and moves no term", () => {
  const c = core(0, 3);
  const reply = c.handleRequestVote({ term: 9, candidateId: 5, lastLogIndex: 10, lastLogTerm: 8 }, 0);
  assert.equal(reply, { term: 0, voteGranted: false });
  assert.is(c.term, 0);
  const preVote = c.handleRequestVote(
    { term: 9, candidateId: 5, lastLogIndex: 10, lastLogTerm: 8, preVote: true },
    0,
  );
  assert.is(preVote.voteGranted, false);
});

test("core: a member started to join knows no configuration and never campaigns", () => {
  const c = joiner(7);
  assert.equal(c.membership, votersOnly([]));
  c.tick(10_000);
  assert.is(c.role, "follower");
  assert.equal(c.takeReady().messages, []);
});

test("core: initial members must include this member; ids are non-negative integers", () => {
  const make = (id: number, members: number[]) => () =>
    new RaftCore<string>({ id, members, random: lowRandom, now: 0, config: TEST_CONFIG });
  throwsA(make(3, [0, 1, 2]), RaftConfigError);
  throwsA(make(-1, [-1]), RaftConfigError);
  throwsA(make(1.5, [1.5]), RaftConfigError);
  assert.equal(make(12, [10, 12, 11])().membership.voters, [10, 11, 12]);
});

test("core: a command carrying the configuration key is refused: it would pass for a configuration entry", () => {
  const c = new RaftCore<unknown>({ id: 0, peerCount: 1, random: lowRandom, now: 0, config: TEST_CONFIG });
  c.tick(c.nextWakeup());
  assert.ok(c.isLeader);
  throwsA(() => c.propose({ "raftkit:membership": votersOnly([0, 9]) }), RaftUsageError);
  assert.equal(c.membership.voters, [0]);
});

test("core: a follower uses a configuration as soon as it is in its log, and drops it with the entry", () => {
  const c = core(1, 3);
  const config = { voters: [0, 1, 2, 3], learners: [], autoPromote: [], addresses: [] };
  const append = (prevLogIndex: number, entries: { term: number; command: unknown }[], term = 1) =>
    c.handleAppendEntries(
      {
        term,
        leaderId: term === 1 ? 0 : 2,
        prevLogIndex,
        prevLogTerm: prevLogIndex === 0 ? 0 : 1,
        entries: entries as never,
        leaderCommit: 0,
      },
      0,
    );
  append(0, [
    { term: 1, command: "a" },
    { term: 1, command: { "raftkit:membership": config } },
  ]);
  assert.equal(c.membership.voters, [0, 1, 2, 3]);
  assert.is(c.membershipIndex, 2);
  // A leader of term 2 overwrites index 2: the configuration goes with it.
  append(1, [{ term: 2, command: "b" }], 2);
  assert.equal(c.membership.voters, [0, 1, 2]);
  assert.is(c.membershipIndex, 0);
});

test("core: the only voter commits its own configuration change at once", () => {
  const c = core(0, 1);
  elect(c);
  c.takeReady();
  assert.ok(c.isLeader);
  c.changeMembership({ kind: "add-learner", id: 1 }, 0); // commits at once: 0 is the only voter
  assert.equal(c.membership.learners, [1]);
  assert.is(c.commitIndex, c.lastIndex);
});

test("core: a removed member's id is remembered and never added again (etcd: 'ID removed'); the error names a new id", () => {
  const c = core(0, 1);
  elect(c);
  c.changeMembership({ kind: "add-learner", id: 1, address: "10.0.0.1:7000" }, 0);
  c.changeMembership({ kind: "remove", id: 1 }, 0);
  assert.equal(c.membership.removed, [1]);
  let again: unknown;
  try {
    c.changeMembership({ kind: "add-learner", id: 1, address: "10.0.0.9:7000" }, 0);
  } catch (error) {
    again = error;
  }
  if (!(again instanceof MemberIdRemovedError))
    throw new Error(`expected MemberIdRemovedError, got ${again}`);
  assert.is(again.code, "ERR_RAFT_MEMBER_ID_REMOVED");
  assert.equal([again.id, again.suggestedId], [1, 2]);
  assert.match(again.message, /member 1 was removed .*pick a new id, for example 2/);
  // The next id is free; a founder (no address recorded) is remembered as well.
  c.changeMembership({ kind: "add-learner", id: 2 }, 0);
  assert.equal(c.membership.learners, [2]);
});

test("membership: a founder's removal is remembered too, in the pure function the leader and chaos use", () => {
  const removed = applyChange(votersOnly([0, 1, 2]), { kind: "remove", id: 2 });
  assert.ok(typeof removed !== "string");
  assert.equal(removed.removed, [2]);
  const again = applyChange(removed, { kind: "add-learner", id: 2 });
  assert.type(again, "string");
  assert.match(again as string, /was removed/);
});

test("membership: removed ids travel in snapshots; a configuration from before they existed is still read", () => {
  const config = { voters: [0, 1], learners: [], autoPromote: [], addresses: [], removed: [2, 5] };
  const snapshotMeta = { index: 9, term: 2, config };
  const state = decodeRaftState(
    encodeRaftState({ hardState: { term: 2, votedFor: null }, snapshotMeta, entries: [] }),
  );
  assert.equal(state.snapshotMeta.config, config);
  assert.ok(isMembership({ voters: [0], learners: [], autoPromote: [], addresses: [] }), "no removed field");
  assert.not.ok(isMembership({ ...config, removed: [0] }), "a voter cannot be removed at once");
  assert.not.ok(isMembership({ ...config, removed: ["2"] }));
});

test.run();
