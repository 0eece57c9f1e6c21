// Leadership transfer as scenarios on RaftCores; transcripts in test/scenarios/transfer-*.txt.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { expectTranscript, Scenario } from "./helpers/scenario.js";

const ELECTION_TIMEOUT_MIN = 400; // the scenarios' timing

/** Leader 0 of 3, with a client proposing on whoever leads every 10 ms; returns its counters. */
function underLoad(s: Scenario) {
  const load = { accepted: 0, refused: 0, committed: [] as number[] };
  return {
    load,
    step(ms: number) {
      for (let t = 0; t < ms; t += 10) {
        const leader = s.leader();
        const r = leader === undefined ? undefined : s.cores[leader]!.propose(`w${s.now}`);
        if (r?.isLeader) load.accepted++;
        else load.refused++;
        s.run(10);
      }
    },
  };
}

function elected(): Scenario {
  const s = new Scenario({ members: 3 });
  s.runUntil(() => s.leader() === 0, 2000);
  s.run(100);
  return s;
}

test("transfer: to an up-to-date follower under load, it completes in a few steps and loses nothing", () => {
  const s = elected();
  const { load, step } = underLoad(s);
  step(300);
  s.note("transfer leadership from 0 to 1");
  const t0 = s.now;
  assert.is(s.cores[0]!.transferLeadership(1, s.clock(0)), 1);
  step(10);
  assert.is(s.cores[0]!.propose("during").isLeader, false, "a transferring leader refuses proposals");
  assert.ok(s.runUntil(() => s.leader() === 1, 2000));
  const took = s.now - t0;
  step(300);
  expectTranscript("transfer-up-to-date", s.lines);
  assert.ok(took < ELECTION_TIMEOUT_MIN / 4, `took ${took} ms`);
  assert.equal(s.transfers[0], [{ target: 1, outcome: "done" }]);
  // Every entry the old leader had committed is in the new leader's log, in the same place.
  const oldCommit = s.cores[0]!.commitIndex;
  for (let i = 1; i <= oldCommit; i++) assert.equal(s.cores[1]!.entryAt(i), s.cores[0]!.entryAt(i));
  assert.ok(load.accepted > 50);
});

test("transfer: to a lagging follower, the leader first brings it up to date", () => {
  const s = elected();
  const { step } = underLoad(s);
  s.note("member 2 cut off while 0 takes writes");
  s.partition([0, 1], [2]);
  step(1000);
  s.heal();
  s.note(`healed; 0 holds ${s.cores[0]!.lastIndex} entries, 2 holds ${s.cores[2]!.lastIndex}; transfer to 2`);
  assert.ok(s.cores[2]!.lastIndex < s.cores[0]!.lastIndex);
  const t0 = s.now;
  s.cores[0]!.transferLeadership(2, s.clock(0));
  assert.ok(s.runUntil(() => s.leader() === 2, 2000));
  const took = s.now - t0;
  step(200);
  expectTranscript("transfer-lagging", s.lines);
  assert.ok(took < ELECTION_TIMEOUT_MIN / 2, `took ${took} ms`);
  assert.equal(s.transfers[0], [{ target: 2, outcome: "done" }]);
});

test("transfer (negative control): TimeoutNow to a lagging follower that was not caught up fails to move leadership", () => {
  const s = elected();
  const { step } = underLoad(s);
  s.partition([0, 1], [2]);
  step(1000);
  s.heal();
  // As if the leader did not wait for the catch-up: 2 campaigns with a short log.
  s.cores[2]!.handleTimeoutNow({ term: s.cores[2]!.term, leaderId: 0 }, s.clock(2));
  s.deliver();
  s.run(300);
  assert.not.equal(s.leader(), 2);
});

test("transfer: to a crashed target aborts after one election timeout and the old leader goes on", () => {
  const s = elected();
  s.note("member 2 crashes; transfer leadership from 0 to 2");
  s.crash(2);
  const t0 = s.now;
  s.cores[0]!.transferLeadership(2, s.clock(0));
  assert.ok(s.runUntil(() => s.transfers[0]!.length > 0, 2000));
  const took = s.now - t0;
  s.note(`transfer ended after ${took} ms: ${s.transfers[0]![0]!.outcome}`);
  const r = s.cores[0]!.propose("after");
  s.run(100);
  expectTranscript("transfer-crashed-target", s.lines);
  assert.equal(s.transfers[0], [{ target: 2, outcome: "timeout" }]);
  assert.ok(took <= ELECTION_TIMEOUT_MIN + 10, `after ${took} ms`);
  assert.is(s.leader(), 0);
  assert.ok(r.isLeader, "the old leader takes proposals again");
  assert.ok(s.cores[0]!.commitIndex >= r.index);
});

test.run();
