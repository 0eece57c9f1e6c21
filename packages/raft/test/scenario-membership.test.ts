// Membership changes as scenarios on RaftCores; transcripts in test/scenarios/membership-*.txt.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { MembershipChange } from "../src/core/membership.js";
import { MembershipChangeError, MembershipChangePendingError, RaftCore } from "../src/index.js";
import { throwsA } from "./core-helpers.js";
import { expectTranscript, Scenario } from "./helpers/scenario.js";

const ELECTION_TIMEOUT_MIN = 400; // the scenarios' timing

/** A cluster of `n` whose member 0 leads, settled. */
function elected(n = 3): Scenario {
  const s = new Scenario({ members: n });
  assert.ok(s.runUntil(() => s.leader() === 0, 2000));
  s.run(100);
  return s;
}

/** Asks the current leader for `change`; returns the index of its entry. */
function change(s: Scenario, c: MembershipChange): number {
  const leader = s.leader();
  if (leader === undefined) throw new Error("no leader");
  const r = s.cores[leader]!.changeMembership(c, s.clock(leader));
  assert.ok(r.isLeader);
  s.note(`n${leader} proposes ${c.kind} ${c.id} at index ${r.index}`);
  return r.index;
}

/** A client that proposes on whoever leads every 10 ms, counting what commits. */
function underLoad(s: Scenario) {
  const load = { accepted: 0, refused: 0, longestStallMs: 0 };
  let lastCommit = 0;
  let since = s.now;
  const step = (ms: number) => {
    for (let t = 0; t < ms; t += 10) {
      const leader = s.leader();
      const r = leader === undefined ? undefined : s.cores[leader]!.propose(`w${s.now}`);
      if (r?.isLeader) load.accepted++;
      else load.refused++;
      s.run(10);
      const commit = Math.max(...s.cores.map((c) => c.commitIndex));
      if (commit > lastCommit) {
        load.longestStallMs = Math.max(load.longestStallMs, s.now - since - 10);
        lastCommit = commit;
        since = s.now;
      }
    }
  };
  /** Steps (under load) until `done()` holds, at most `ms`; returns whether it held. */
  const stepUntil = (done: () => boolean, ms: number): boolean => {
    for (let t = 0; t < ms && !done(); t += 10) step(10);
    return done();
  };
  return { load, step, stepUntil };
}

const voters = (s: Scenario, i: number) => [...s.cores[i]!.membership.voters];
const learners = (s: Scenario, i: number) => [...s.cores[i]!.membership.learners];

/** Every live member holds the same committed prefix (through the lowest commit index among them). */
function sameCommittedLogs(s: Scenario, members: number[]): void {
  const through = Math.min(...members.map((i) => s.cores[i]!.commitIndex));
  for (const i of members)
    for (let index = Math.max(1, s.cores[i]!.snapshotIndex + 1); index <= through; index++)
      assert.equal(s.cores[i]!.termAt(index), s.cores[members[0]!]!.termAt(index), `n${i} index ${index}`);
}

test("membership: a learner catches up without voting, then is promoted on request", () => {
  const s = elected();
  const { load, step } = underLoad(s);
  step(300);
  const n3 = s.join();
  change(s, { kind: "add-learner", id: n3 });
  step(10);
  assert.equal(learners(s, 0), [3]);
  assert.is(s.cores[n3]!.role, "follower");
  step(500);
  assert.equal(voters(s, n3), [0, 1, 2], "the learner learned the configuration from the log");
  assert.equal(learners(s, n3), [3]);
  assert.ok(s.cores[n3]!.commitIndex >= s.cores[0]!.commitIndex - 2, "caught up");
  change(s, { kind: "promote", id: n3 });
  step(300);
  expectTranscript("membership-add-promote", s.lines);
  for (const i of [0, 1, 2, 3]) assert.equal(voters(s, i), [0, 1, 2, 3], `n${i}`);
  sameCommittedLogs(s, [0, 1, 2, 3]);
  assert.ok(load.longestStallMs <= 20, `commits stalled ${load.longestStallMs} ms`);
  assert.equal(s.violations, []);
});

test("membership: a learner that has not caught up is not promoted on request (retryable)", () => {
  const s = elected();
  const { step } = underLoad(s);
  step(300);
  const n3 = s.join();
  s.partition([0, 1, 2], [n3]);
  change(s, { kind: "add-learner", id: n3 });
  step(300);
  throwsA(
    () => s.cores[0]!.changeMembership({ kind: "promote", id: n3 }, s.clock(0)),
    MembershipChangePendingError,
  );
  s.heal();
  step(500);
  assert.ok(s.cores[0]!.changeMembership({ kind: "promote", id: n3 }, s.clock(0)).isLeader);
});

test("membership: an auto-promoting learner catches up by snapshot and becomes a voter on its own", () => {
  const s = elected();
  const { load, step, stepUntil } = underLoad(s);
  step(500);
  // Every member compacts what it applied: the learner can only start from a snapshot.
  for (const core of s.cores)
    core.compact(core.commitIndex, new TextEncoder().encode(`state@${core.commitIndex}`));
  const n3 = s.join();
  change(s, { kind: "add-learner", id: n3, autoPromote: true });
  const t0 = s.now;
  assert.ok(
    stepUntil(() => voters(s, 0).includes(n3), 3000),
    "promoted",
  );
  s.note(`n3 promoted ${s.now - t0} ms after it was added`);
  step(200);
  expectTranscript("membership-auto-promote-snapshot", s.lines);
  assert.ok(s.cores[n3]!.snapshotIndex > 0, "it was sent the snapshot");
  for (const i of [0, 1, 2, 3]) assert.equal(voters(s, i), [0, 1, 2, 3], `n${i}`);
  assert.ok(load.accepted > 50);
  assert.equal(s.violations, []);
});

test("membership: a removed follower stops, and the rest go on committing", () => {
  const s = elected();
  const { load, step } = underLoad(s);
  step(300);
  change(s, { kind: "remove", id: 2 });
  step(300);
  assert.ok(s.stopped(2), "n2 learned its removal committed and stopped");
  const before = s.cores[0]!.commitIndex;
  step(ELECTION_TIMEOUT_MIN * 3);
  expectTranscript("membership-remove-follower", s.lines);
  assert.ok(s.cores[0]!.commitIndex > before + 50);
  assert.equal(voters(s, 0), [0, 1]);
  assert.equal(voters(s, 1), [0, 1]);
  assert.is(s.cores[0]!.inflight(2).messages, 0, "the leader forgot it");
  assert.ok(load.longestStallMs <= 20, `commits stalled ${load.longestStallMs} ms`);
});

test("membership: removing the leader hands leadership over once the change commits", () => {
  const s = elected();
  const { load, step, stepUntil } = underLoad(s);
  step(300);
  change(s, { kind: "remove", id: 0 });
  const t0 = s.now;
  assert.ok(stepUntil(() => s.leader() !== undefined && s.leader() !== 0, 2000));
  const handover = s.now - t0;
  step(500);
  expectTranscript("membership-remove-leader", s.lines);
  assert.ok(s.stopped(0), "the old leader stopped");
  assert.ok(
    handover < ELECTION_TIMEOUT_MIN / 4,
    `a new leader within ${handover} ms (TimeoutNow, no election timeout)`,
  );
  assert.equal(voters(s, 1), [1, 2]);
  sameCommittedLogs(s, [1, 2]);
  assert.ok(load.longestStallMs < ELECTION_TIMEOUT_MIN / 4, `commits stalled ${load.longestStallMs} ms`);
  assert.equal(s.violations, []);
});

test("membership: replacing a member whose disk is gone: add a new one, promote it, remove the old", () => {
  const s = elected();
  const { load, step, stepUntil } = underLoad(s);
  step(300);
  s.note("n2's disk is gone");
  s.crash(2);
  step(300);
  const n3 = s.join();
  change(s, { kind: "add-learner", id: n3, autoPromote: true });
  assert.ok(
    stepUntil(
      () => voters(s, 0).includes(n3) && s.cores[0]!.commitIndex >= s.cores[0]!.membershipIndex,
      3000,
    ),
  );
  step(100);
  change(s, { kind: "remove", id: 2 });
  step(ELECTION_TIMEOUT_MIN * 2);
  expectTranscript("membership-replace", s.lines);
  for (const i of [0, 1, 3]) assert.equal(voters(s, i), [0, 1, 3], `n${i}`);
  sameCommittedLogs(s, [0, 1, 3]);
  assert.ok(load.longestStallMs <= 20, `commits stalled ${load.longestStallMs} ms`);
  // The replaced member comes back with its old disk: it is no voter anywhere and disturbs nobody.
  const term = s.cores[0]!.term;
  s.revive(2);
  step(ELECTION_TIMEOUT_MIN * 4);
  assert.is(s.cores[0]!.term, term, "the old member raised nobody's term");
  assert.is(s.leader(), 0);
  assert.equal(s.violations, []);
});

test("membership: a change interrupted by the leader's crash is either kept or dropped, and can be retried", () => {
  const s = elected();
  const { step } = underLoad(s);
  step(300);
  const n3 = s.join();
  s.partition([0], [1, 2, n3]);
  change(s, { kind: "add-learner", id: n3 });
  s.note("n0 crashes before anyone has the change");
  s.crash(0);
  s.heal();
  assert.ok(s.runUntil(() => s.leader() !== undefined, 3000));
  step(200);
  const leader = s.leader()!;
  assert.equal(learners(s, leader), [], "the new leader never had the change");
  change(s, { kind: "add-learner", id: n3 });
  step(300);
  s.note("n0 comes back with the lost change in its log");
  s.revive(0);
  step(ELECTION_TIMEOUT_MIN * 2);
  expectTranscript("membership-leader-crash", s.lines);
  for (const i of [0, 1, 2, 3]) assert.equal(learners(s, i), [3], `n${i}: one add, by the new leader`);
  sameCommittedLogs(s, [0, 1, 2, 3]);
  assert.equal(s.violations, []);
});

test("membership: a change proposed while another is uncommitted is refused (retryable), then accepted", () => {
  const s = elected();
  const n3 = s.join();
  const n4 = s.join();
  s.partition([0], [1, 2, n3, n4]); // the first change cannot commit yet
  change(s, { kind: "add-learner", id: n3 });
  throwsA(
    () => s.cores[0]!.changeMembership({ kind: "add-learner", id: n4 }, s.clock(0)),
    MembershipChangePendingError,
  );
  s.heal();
  s.run(200);
  assert.ok(s.cores[0]!.commitIndex >= s.cores[0]!.membershipIndex);
  const second = s.cores[0]!.changeMembership({ kind: "add-learner", id: n4 }, s.clock(0));
  assert.ok(second.isLeader);
  s.run(200);
  assert.equal(learners(s, 1), [3, 4]);
  // Nonsense is refused for good, with the member named.
  throwsA(
    () => s.cores[0]!.changeMembership({ kind: "add-learner", id: 1 }, s.clock(0)),
    MembershipChangeError,
  );
  throwsA(() => s.cores[0]!.changeMembership({ kind: "remove", id: 9 }, s.clock(0)), MembershipChangeError);
  throwsA(() => s.cores[0]!.changeMembership({ kind: "promote", id: 1 }, s.clock(0)), MembershipChangeError);
});

test("membership: a partition while a promotion is uncommitted: the old majority goes on, the change is dropped", () => {
  const s = elected();
  const { step } = underLoad(s);
  const n3 = s.join();
  change(s, { kind: "add-learner", id: n3 });
  step(500);
  s.partition([0, n3], [1, 2]);
  s.note("partition {0,3} | {1,2}; n0 promotes 3: it needs 3 of 4 and has 2");
  change(s, { kind: "promote", id: n3 });
  step(ELECTION_TIMEOUT_MIN * 4);
  const other = s.leader()!;
  assert.ok(other === 1 || other === 2, `the old majority {1,2} elected ${other}`);
  assert.ok(!s.cores[0]!.isLeader, "n0 stepped down (check-quorum under the new configuration)");
  s.heal();
  step(ELECTION_TIMEOUT_MIN * 2);
  expectTranscript("membership-partition", s.lines);
  for (const i of [0, 1, 2, 3]) assert.equal(voters(s, i), [0, 1, 2], `n${i}: the promotion was overwritten`);
  sameCommittedLogs(s, [0, 1, 2, 3]);
  assert.equal(s.violations, []);
});

/**
 * The single-server anomaly Ongaro reported on raft-dev in 2015: C0 = {0,1,2,3}. Leader 0 (term
 * 1) promotes learner 4 (C1 = {0..4}) but only 4 gets it. 1 is elected in term 2 by 1, 2, 3 and
 * removes 0 (C2 = {1,2,3}), which commits on 1 and 2. 0 comes back and wins term 3 under C1 with
 * 3 and 4 (their logs are no newer than its own) and overwrites the committed C2.
 */
function anomaly(guarded: boolean): { s: Scenario; refused: boolean } {
  const s = new Scenario({ members: 4, ...(guarded ? {} : { makeCore: (o) => new UnguardedCore(o) }) });
  assert.ok(s.runUntil(() => s.leader() === 0, 2000));
  const n4 = s.join();
  change(s, { kind: "add-learner", id: n4 });
  s.run(500);
  s.partition([0, n4], [1, 2, 3]);
  change(s, { kind: "promote", id: n4 });
  s.run(10);
  s.note("n0 and n4 go down; n1's AppendEntries never reach n3");
  s.crash(0);
  s.crash(n4);
  s.heal();
  s.drop = (from, to, method) => from === 1 && to === 3 && method === "AppendEntries";
  assert.ok(s.runUntil(() => s.leader() === 1, 3000));
  let refused = false;
  try {
    change(s, { kind: "remove", id: 0 });
  } catch (error) {
    if (!(error instanceof MembershipChangePendingError)) throw error;
    s.note(`n1 refuses: ${error.message}`);
    refused = true;
  }
  s.run(200);
  s.note("n0 and n4 come back, cut off from n1 and n2");
  s.revive(0);
  s.revive(n4);
  s.partition([0, 3, n4], [1, 2]);
  s.run(ELECTION_TIMEOUT_MIN * 6);
  s.heal();
  s.run(ELECTION_TIMEOUT_MIN * 2);
  return { s, refused };
}

test("membership: the 2015 single-server anomaly cannot happen: a leader changes nothing before it commits in its term", () => {
  const { s, refused } = anomaly(true);
  expectTranscript("membership-anomaly-2015", s.lines);
  assert.ok(refused, "n1 refused the change until its no-op committed");
  assert.equal(s.violations, []);
});

/** The negative control: a core that changes the configuration before committing in its term. */
class UnguardedCore extends RaftCore<string> {
  protected override committedOwnTerm(): boolean {
    return true;
  }
}

test("membership (negative control): without the guard, the 2015 anomaly overwrites a committed entry", () => {
  const { s, refused } = anomaly(false);
  expectTranscript("membership-anomaly-2015-control", s.lines);
  assert.not.ok(refused);
  assert.ok(s.violations.length > 0, "the committed C2 was overwritten");
});

test.run();
