// RAFTKIT_RAFT_CLASSIC=1 (set by the test script's second run of the lab suites) really turns
// pre-vote and check-quorum off in the testkit's Cluster: a follower cut off for a while rejoins
// with a raised term and deposes the leader, which pre-vote prevents.
import { type Simulation, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  CLASSIC_ENV,
  classicFromEnvironment,
  ELECTION_TIMEOUT_MS,
  makeCluster,
} from "../src/testkit/index.js";

/** Runs `body` with RAFTKIT_RAFT_CLASSIC set to `value` (or unset), restoring it after. */
async function withClassic<T>(value: string | undefined, body: () => Promise<T> | T): Promise<T> {
  const before = process.env[CLASSIC_ENV];
  if (value === undefined) delete process.env[CLASSIC_ENV];
  else process.env[CLASSIC_ENV] = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env[CLASSIC_ENV];
    else process.env[CLASSIC_ENV] = before;
  }
}

test("classicFromEnvironment: pre-vote and check-quorum off only when the variable is 1", async () => {
  assert.equal(await withClassic("1", classicFromEnvironment), { preVote: false, checkQuorum: false });
  assert.equal(await withClassic(undefined, classicFromEnvironment), {});
  assert.equal(await withClassic("0", classicFromEnvironment), {});
});

/** The leader's term before and after a follower was cut off for 5 election timeouts and came back. */
async function rejoin(sim: Simulation): Promise<[number, number]> {
  const cfg = makeCluster(sim, { servers: 3 });
  try {
    const leader = await cfg.checkOneLeader();
    const before = cfg.checkTerms();
    const follower = (leader + 1) % 3;
    cfg.disconnect(follower);
    await sim.sleep(5 * ELECTION_TIMEOUT_MS);
    cfg.connect(follower);
    await sim.sleep(2 * ELECTION_TIMEOUT_MS);
    await cfg.checkOneLeader();
    return [before, cfg.checkTerms()];
  } finally {
    cfg.cleanup();
  }
}

test(
  "the lab Cluster under RAFTKIT_RAFT_CLASSIC=1: a rejoining follower raises the term (no pre-vote)",
  simTest(async (sim) => {
    const [before, after] = await withClassic("1", () => rejoin(sim));
    assert.ok(after > before, `term ${before} -> ${after}`);
  }),
);

test(
  "the lab Cluster by default: a rejoining follower leaves the term alone (pre-vote)",
  simTest(async (sim) => {
    const [before, after] = await withClassic(undefined, () => rejoin(sim));
    assert.is(after, before);
  }),
);

test.run();
