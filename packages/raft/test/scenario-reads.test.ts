// A deposed leader never serves a stale read, by ReadIndex or by lease (within the clock-drift
// bound). Negative controls: a leader that answers from its commit index without asking, and a
// lease whose clock runs slower than the bound, both serve a stale read in the same scenario.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ReadState } from "../src/core/read-only.js";
import { expectTranscript, Scenario } from "./helpers/scenario.js";

// Scenario timing: election timeouts 400–800 ms; the default drift bound is a fifth: 80 ms.
const DRIFT_BOUND = 80;

interface Outcome {
  s: Scenario;
  /** The index of the write the new leader committed before the old one was asked to read. */
  written: number;
  /** Reads the old leader confirmed (id 1: ReadIndex, 2: lease, 3: commit index unasked). */
  reads: ReadState[];
}

/**
 * Leader 0 is cut off from {1, 2} while its clock runs at `rate`; 1 becomes leader and commits a
 * write; right after, the old leader is asked to read three ways.
 */
function deposedLeader(rate: number): Outcome {
  const s = new Scenario({ members: 3 });
  s.runUntil(() => s.leader() === 0, 2000);
  s.cores[0]!.propose("x=1");
  s.run(200);
  s.note(`leader 0 cut off from {1, 2}; its clock now runs at ${rate}x`);
  s.partition([0], [1, 2]);
  s.setClockRate(0, rate);
  assert.ok(
    s.runUntil(() => s.cores[1]!.isLeader, 3000),
    "1 is elected",
  );
  const written = s.cores[1]!.propose("x=2").index;
  s.run(10);
  assert.ok(s.cores[1]!.commitIndex >= written, "the new leader committed x=2");
  s.note(`1 committed x=2 at index ${written}; old leader 0 still leader: ${s.cores[0]!.isLeader}`);
  const reads: ReadState[] = [];
  if (s.cores[0]!.isLeader) {
    s.cores[0]!.readIndex(1, s.clock(0));
    s.cores[0]!.leaseRead(2, s.clock(0));
    reads.push({ id: 3, index: s.cores[0]!.commitIndex }); // what a leader that does not ask would serve
  }
  s.run(2000);
  reads.push(...s.reads[0]!);
  for (const read of reads)
    s.note(`old leader's read ${read.id}: ${"index" in read ? `index ${read.index}` : "lost"}`);
  return { s, written, reads };
}

const stale = (o: Outcome, id: number) =>
  o.reads.some((r) => r.id === id && "index" in r && r.index < o.written);

test("reads: a deposed leader never serves a stale read by ReadIndex or lease (clocks within the bound)", () => {
  // 0.85x: slower than real time, but within the bound (it would take 0.8x to lose 80 ms in 400).
  assert.ok(1 - 0.85 < DRIFT_BOUND / 400);
  const o = deposedLeader(0.85);
  expectTranscript("stale-reads", o.s.lines);
  assert.ok(
    o.reads.some((r) => r.id === 1),
    "the ReadIndex read was answered (lost)",
  );
  assert.not.ok(stale(o, 1), "ReadIndex served a stale read");
  assert.not.ok(stale(o, 2), "the lease served a stale read");
  assert.ok(
    o.reads.filter((r) => r.id !== 3).every((r) => "lost" in r),
    "both reads fail when the old leader steps down",
  );
});

test("reads (negative control): answering from the commit index without a round serves a stale read", () => {
  const o = deposedLeader(0.85);
  assert.ok(stale(o, 3));
});

test("reads (negative control): a lease on a clock slower than the drift bound serves a stale read", () => {
  const o = deposedLeader(0.5);
  expectTranscript("stale-reads-control", o.s.lines);
  assert.ok(stale(o, 2), "a clock at half speed keeps the lease past the new leader's write");
  assert.not.ok(stale(o, 1), "ReadIndex does not depend on clocks");
});

test("reads: a leader whose lease holds answers a lease read at once, without a round", () => {
  const s = new Scenario({ members: 3 });
  s.runUntil(() => s.leader() === 0, 2000);
  s.run(200);
  const core = s.cores[0]!;
  assert.ok(core.leaseRead(9, s.clock(0)));
  const ready = core.takeReady();
  assert.equal(ready.reads, [{ id: 9, index: core.commitIndex }]);
  assert.equal(ready.messages, [], "no heartbeat round was needed");
});

test.run();
