// Seeded random membership changes mixed with partitions and crashes, on RaftCores (the
// scenario network): after every step no member holds a committed entry with another term than
// the one it was committed with, and at the end the cluster recovers and agrees.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { MembershipChange } from "../src/core/membership.js";
import { MembershipChangeError, MembershipChangePendingError } from "../src/index.js";
import { Scenario } from "./helpers/scenario.js";

const SEEDS = Number(process.env.RAFTKIT_MEMBERSHIP_SEEDS ?? 40);

/** A small seeded PRNG (mulberry32): the test's own choices, apart from raft's. */
function prng(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function run(seed: number): { s: Scenario; changes: number; log: string[] } {
  const rand = prng(seed);
  const s = new Scenario({ members: 3 });
  const log: string[] = [];
  let changes = 0;
  for (let step = 0; step < 60; step++) {
    const leader = s.leader();
    if (leader !== undefined) s.cores[leader]!.propose(`s${seed}-${step}`);
    const live = s.cores.map((_, i) => i).filter((i) => !s.stopped(i));
    switch (rand(8)) {
      case 0:
      case 1: {
        if (leader === undefined) break;
        const m = s.cores[leader]!.membership;
        const members = [...m.voters, ...m.learners];
        const choices: MembershipChange[] = [
          { kind: "add-learner", id: s.cores.length, autoPromote: rand(2) === 0 },
          ...m.learners.map((id) => ({ kind: "promote" as const, id })),
          ...members.map((id) => ({ kind: "remove" as const, id })),
        ];
        const change = choices[rand(choices.length)]!;
        try {
          if (change.kind === "add-learner") s.join();
          const r = s.cores[leader]!.changeMembership(change, s.clock(leader));
          if (r.isLeader) changes++;
          log.push(`${s.now}: ${change.kind} ${change.id}`);
        } catch (error) {
          if (!(error instanceof MembershipChangePendingError) && !(error instanceof MembershipChangeError))
            throw error;
        }
        break;
      }
      case 2: {
        const side = live.filter(() => rand(2) === 0);
        s.partition(
          side,
          live.filter((i) => !side.includes(i)),
        );
        break;
      }
      case 3:
        s.heal();
        break;
      case 4: {
        const i = live[rand(live.length)]!;
        s.crash(i);
        s.run(200 + rand(600));
        s.revive(i);
        break;
      }
      default:
        break;
    }
    s.run(50 + rand(300));
  }
  s.heal();
  s.run(5000);
  return { s, changes, log };
}

test(`membership (random): ${SEEDS} seeds of changes, partitions and crashes never change a committed entry, and the cluster recovers`, () => {
  let total = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const { s, changes, log } = run(seed);
    total += changes;
    const why = `seed ${seed} (RAFTKIT_MEMBERSHIP_SEEDS): ${log.join("; ")}`;
    assert.equal(s.violations, [], why);
    const leader = s.leader();
    assert.ok(leader !== undefined, `no leader at the end: ${why}`);
    const voters = s.cores[leader]!.membership.voters;
    for (const v of voters)
      assert.equal(s.cores[v]!.membership, s.cores[leader]!.membership, `n${v} config: ${why}`);
  }
  assert.ok(total > SEEDS, `only ${total} changes made`);
});

test.run();
