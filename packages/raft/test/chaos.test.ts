import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedFromEnv } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  acceptsConcurrentChanges,
  assertChaosPassed,
  ChaosFailure,
  faultyMemoryStorage,
  HashChain,
  MEMBERSHIP_FAULTS,
  raftMember,
  runChaos,
} from "../src/testkit/index.js";
import { forgetsItsVotes } from "./helpers/broken-members.js";

const replay = (seed: number) => `RAFTKIT_SEED=${seed} npx uvu -r tsx test chaos.test.ts (in packages/raft)`;

test("raft alone keeps election and state machine safety and recovers after every schedule", async () => {
  const env = process.env.RAFTKIT_SEED ? [seedFromEnv()] : [];
  for (const seed of [...env, 1, 2, 3, 4, 5, 6, 7, 8]) {
    const report = await runChaos({
      seed,
      members: seed % 2 ? 3 : 5,
      member: raftMember({ machine: () => new HashChain() }),
    });
    assertChaosPassed(report, { replay: replay(seed), artifactsDir: join(tmpdir(), "raftkit-chaos") });
    assert.ok(report.committed > 0, `seed ${seed}: something was committed`);
  }
});

test("disk faults: lost unsynced writes, EIO, ENOSPC and slow fsyncs keep raft safe and live", async () => {
  for (const seed of [21, 22, 23, 24, 25, 26]) {
    const report = await runChaos({
      seed,
      members: seed % 2 ? 3 : 5,
      member: raftMember({ machine: () => new HashChain() }),
      storage: faultyMemoryStorage,
      schedule: {
        kinds: ["disk-eio", "disk-enospc", "disk-slow", "crash-leader", "crash-all", "slow-follower"],
      },
    });
    assertChaosPassed(report, { replay: replay(seed), artifactsDir: join(tmpdir(), "raftkit-chaos") });
    assert.match(report.timeline, /disk fault on member|crash|slow follower/);
  }
});

test("the same seed replays the same run: schedule, timeline and commits", async () => {
  for (const seed of [11, 12]) {
    const run = () => runChaos({ seed, members: 5, member: raftMember<string>() });
    const [a, b] = [await run(), await run()];
    assert.equal(a.schedule, b.schedule);
    assert.is(a.timeline, b.timeline);
    assert.is(a.committed, b.committed);
    assert.is(a.virtualMs, b.virtualMs);
  }
  const other = await runChaos({ seed: 13, members: 5, member: raftMember<string>() });
  const first = await runChaos({ seed: 11, members: 5, member: raftMember<string>() });
  assert.is.not(other.timeline, first.timeline, "another seed, another run");
});

test("membership changes as faults (add, remove follower or leader, replace, a change cut short by a crash, two at once) keep raft safe and live", async () => {
  const env = process.env.RAFTKIT_SEED ? [seedFromEnv()] : [];
  const kinds = new Set<string>();
  let changed = 0;
  for (const seed of [...env, 31, 32, 33, 34, 35, 36]) {
    const report = await runChaos({
      seed,
      members: seed % 2 ? 3 : 5,
      spares: 4,
      member: raftMember({ machine: () => new HashChain() }),
      storage: faultyMemoryStorage,
      schedule: { kinds: [...MEMBERSHIP_FAULTS, "partition-majority", "crash-one"] },
    });
    assertChaosPassed(report, { replay: replay(seed), artifactsDir: join(tmpdir(), "raftkit-chaos") });
    for (const step of report.schedule) kinds.add(step.kind);
    if (/membership: .*committed/.test(report.timeline)) changed++;
    assert.match(report.timeline, /final configuration: voters /);
  }
  assert.ok(kinds.size >= 6, `the seeds drew ${[...kinds].join(", ")}`);
  assert.ok(changed >= 4, `changes went through (in words, in the timeline) in ${changed} of 6 seeds`);
});

test("the same seed replays the same run with membership changes, and a run without spares never draws one", async () => {
  const run = (spares: number) =>
    runChaos({ seed: 41, members: 3, spares, member: raftMember({ machine: () => new HashChain() }) });
  const [a, b] = [await run(4), await run(4)];
  assert.is(a.timeline, b.timeline);
  assert.is(a.committed, b.committed);
  assert.match(a.timeline, /membership: /);
  const fixed = await run(0);
  assert.not.match(fixed.timeline, /membership|add-member|remove-|replace-member|grow-by-two/);
});

test("negative control: a leader that takes a second membership change while one is in flight is caught (state machine safety)", async () => {
  // Configurations two changes apart need not share a majority: with the leader cut off and two
  // new voters asked at once, both sides commit. Seeds 1-200: caught on 20 (10%); 13 is the first.
  let caught: number | undefined;
  for (let seed = 1; seed <= 40 && caught === undefined; seed++) {
    const report = await runChaos({
      seed,
      members: 3,
      spares: 4,
      member: acceptsConcurrentChanges(raftMember({ machine: () => new HashChain() })),
      schedule: {
        kinds: ["partition-leader", "grow-by-two"],
        steps: { min: 4, max: 7 },
        maxHoldMs: 400,
        overlapPercent: 100,
      },
    });
    if (report.verdict === "fail") {
      caught = seed;
      assert.ok(
        report.violations.some((v) => v.checker === "state-machine-safety"),
        report.violations.map((v) => v.message).join("\n"),
      );
      assert.match(report.timeline, /asked leader \d+ for four changes at once/);
    }
  }
  assert.ok(caught !== undefined, "two changes in flight must be caught within 40 seeds");
});

test("negative control: a member that forgets its votes is caught with its seed, replay and timeline", async () => {
  let failure: ChaosFailure | undefined;
  const dir = mkdtempSync(join(tmpdir(), "raftkit-chaos-control-"));
  for (let seed = 1; seed <= 60 && !failure; seed++) {
    const report = await runChaos({ seed, members: 3, member: forgetsItsVotes() });
    try {
      assertChaosPassed(report, { replay: replay(seed), artifactsDir: dir });
    } catch (error) {
      if (!(error instanceof ChaosFailure)) throw error;
      failure = error;
    }
  }
  assert.ok(failure, "the forgotten vote must be caught within 60 seeds");
  const { report, files } = failure;
  assert.ok(
    report.violations.some((v) => v.checker === "election-safety"),
    failure.message,
  );
  assert.match(failure.message, `seed=${report.seed}`);
  assert.match(failure.message, `replay: RAFTKIT_SEED=${report.seed}`);
  assert.ok(existsSync(files[0]!));
  assert.match(readFileSync(files[0]!, "utf8"), /two leaders in term/);
});

test.run();
