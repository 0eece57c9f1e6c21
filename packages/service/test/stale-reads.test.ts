// A deposed leader never serves a stale read through read(), by ReadIndex or by lease, while its
// clock stays within raft's drift bound — end to end through the service layer and the node, in
// virtual time. Negative control: a lease on a clock far slower than the bound does serve one.
// (Checked once by hand: with maxClockDriftMs 0, the 0.85x lease test serves the old total too.)
// (raft's own scenario test, scenario-reads.test.ts, pins the same rule on bare cores.)
import { type Simulation, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  NotLeaderError,
  type ReadMode,
  ReplicatedService,
  ServiceConfigError,
  SubmitTimeoutError,
} from "../src/index.js";
import { resolveLimits } from "../src/options.js";
import { ServiceCluster } from "../src/testkit/index.js";
import { Counter } from "./helpers/counter.js";
import { DriftingClock } from "./helpers/drifting-clock.js";

/** Election timeouts of 500-520 ms: a new leader comes ~520 ms after the old one is cut off. */
const RAFT = { electionTimeoutMinMs: 500, electionTimeoutMaxMs: 520 };
/** The default drift bound, a fifth of electionTimeoutMinMs: a clock may lose 100 ms in 500. */
const SLOWEST_ALLOWED_RATE = 0.8;

interface Outcome {
  /** The old leader still believed it led when it was asked to read. */
  askedWhileLeading: boolean;
  /** What its read() gave: the counter's total, or the error it rejected with. */
  answer: number | unknown;
}

/**
 * Leader `old` commits +1, is cut off from the others while its clock runs at `rate`; the others
 * elect a leader and commit +10 (total 11); then `old` is asked to read the total.
 */
async function deposedLeaderReads(sim: Simulation, reads: ReadMode, rate: number): Promise<Outcome> {
  const clocks: DriftingClock[] = [];
  const cluster = new ServiceCluster(sim, {
    servers: 3,
    stateMachine: () => new Counter(),
    replica: { reads, raftConfig: RAFT },
    makeReplica: (options) => {
      const clock = new DriftingClock(options.clock);
      clocks[options.id] = clock;
      return { service: new ReplicatedService({ ...options, clock }) };
    },
  });
  try {
    const old = await until(sim, () => cluster.leader());
    const service = (i: number) => cluster.replica(i)!;
    assert.is(await service(old).submit({ add: 1 }), 1);
    await sim.sleep(300); // every member has applied it; the lease has been renewed since
    const others = cluster.all().filter((i) => i !== old);
    clocks[old]!.setRate(rate);
    cluster.partition([old], others);
    const next = await until(sim, () => others.find((i) => service(i).leadership.role === "leader"));
    assert.is(await service(next).submit({ add: 10 }), 11);
    const askedWhileLeading = service(old).leadership.role === "leader";
    const answer = await service(old)
      .read("total")
      .catch((error: unknown) => error);
    return { askedWhileLeading, answer };
  } finally {
    await cluster.close();
  }
}

async function until<T>(sim: { sleep(ms: number): Promise<void> }, find: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < 5000; waited += 5) {
    const found = find();
    if (found !== undefined) return found;
    await sim.sleep(5);
  }
  throw new Error("not within 5 s of virtual time");
}

/** A read that was refused, as a deposed leader must: retry elsewhere, or timed out. */
const refused = (answer: unknown) => answer instanceof NotLeaderError || answer instanceof SubmitTimeoutError;

for (const reads of ["read-index", "lease"] as const) {
  test(
    `stale reads: a deposed leader whose clock runs at 0.85x (within the drift bound) never serves one (${reads})`,
    simTest(async (sim) => {
      assert.ok(0.85 > SLOWEST_ALLOWED_RATE);
      const { askedWhileLeading, answer } = await deposedLeaderReads(sim, reads, 0.85);
      assert.ok(askedWhileLeading, "the old leader still believed it led (else the test proves nothing)");
      assert.ok(refused(answer), `the deposed leader answered ${String(answer)}`);
    }),
  );
}

test(
  "stale reads: ReadIndex does not depend on clocks — a deposed leader at 0.1x serves none",
  simTest(async (sim) => {
    const { askedWhileLeading, answer } = await deposedLeaderReads(sim, "read-index", 0.1);
    assert.ok(askedWhileLeading);
    assert.ok(refused(answer), `the deposed leader answered ${String(answer)}`);
  }),
);

test(
  "stale reads (negative control): a lease on a clock at 0.1x, far past the drift bound, serves the old total",
  simTest(async (sim) => {
    const { askedWhileLeading, answer } = await deposedLeaderReads(sim, "lease", 0.1);
    assert.ok(askedWhileLeading);
    assert.is(answer, 1, "the old leader's lease still held on its slow clock");
  }),
);

test("reads: a lease without check-quorum is a configuration error that says what to do", () => {
  const options = (reads: unknown, checkQuorum?: boolean) =>
    ({ reads, ...(checkQuorum === undefined ? {} : { raftConfig: { checkQuorum } }) }) as Parameters<
      typeof resolveLimits
    >[0];
  assert.is(resolveLimits(options("lease")).reads, "lease", "check-quorum is on by default");
  assert.is(resolveLimits(options(undefined)).reads, "read-index");
  assert.throws(
    () => resolveLimits(options("lease", false)),
    (error: unknown) =>
      error instanceof ServiceConfigError &&
      /reads: "lease" needs raftConfig\.checkQuorum.*turn checkQuorum on or use reads: "read-index"/.test(
        error.message,
      ),
  );
  assert.is(resolveLimits(options("read-index", false)).reads, "read-index");
  assert.throws(
    () => resolveLimits(options("fast")),
    /reads must be "read-index", "lease" or "log", got fast/,
  );
});

test.run();
