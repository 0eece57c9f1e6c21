import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedFromEnv } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  assertChaosPassed,
  ChaosFailure,
  faultyMemoryStorage,
  HashChain,
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
