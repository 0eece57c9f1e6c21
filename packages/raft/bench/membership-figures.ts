// Membership figures in virtual time (labrpc's Simulation and the lab's cluster: 150 ms
// heartbeats, 500-1000 ms election timeouts, a reliable network with the lab's short delays; no
// bandwidth model, so catch-up time counts round trips, chunks and the cluster's own load, not
// bytes per second). Run: npm run figures:membership -w @raftkit/raft (or node --import tsx
// bench/membership-figures.ts [seed]).
import { Simulation } from "@raftkit/labrpc";
import { type MembershipChange, MembershipChangePendingError, type RaftNode } from "../src/index.js";
import { type Cluster, makeCluster } from "../src/testkit/index.js";

const seed = Number(process.argv[2] ?? 1);

/** Proposes `count` commands of `bytes` each on the leader, as fast as raft takes them; waits for their commit. */
async function fill(sim: Simulation, cluster: Cluster<string>, count: number, bytes: number): Promise<void> {
  const value = "x".repeat(bytes);
  let proposed = 0;
  while (proposed < count) {
    const leader = await cluster.checkOneLeader();
    const raft = cluster.raft(leader)!;
    for (let k = 0; k < 64 && proposed < count; k++) {
      try {
        if (raft.start(`${proposed}:${value}`).isLeader) proposed++;
      } catch {
        break; // UncommittedLimitError: let commits catch up
      }
    }
    await sim.sleep(1);
  }
  const target = cluster.raft(await cluster.checkOneLeader())!.lastIndex;
  while (Math.min(...[0, 1, 2].map((i) => cluster.raft(i)?.commitIndex ?? 0)) < target) await sim.sleep(5);
}

/** A new member added with auto-promotion: virtual ms until it is a voter, and how it caught up. */
async function catchUp(entries: number, bytes: number) {
  const sim = new Simulation({ seed });
  return sim.run(async () => {
    const cluster = makeCluster<string>(sim, {
      servers: 3,
      snapshot: true,
      snapshotInterval: 500,
      print: () => {},
    });
    try {
      await fill(sim, cluster, entries, bytes);
      const leader = cluster.raft(await cluster.checkOneLeader())!;
      const id = cluster.addServer();
      const t0 = sim.now();
      await leader.changeMembership({ kind: "add-learner", id, autoPromote: true });
      while (!leader.membership.voters.includes(id)) await sim.sleep(1);
      const added = cluster.raft(id)!;
      return {
        entries,
        stateBytes: entries * (bytes + 6),
        promotedAfterMs: sim.now() - t0,
        snapshotChunks: added.metrics.messagesReceived.InstallSnapshot,
        appendEntries: added.metrics.messagesReceived.AppendEntries,
      };
    } finally {
      cluster.cleanup();
    }
  });
}

/**
 * A client proposing on the leader every 2 ms; returns the longest time without a commit in the
 * 3 s after `change` starts (and before, as the baseline).
 */
async function stall(
  name: string,
  change: (cluster: Cluster<string>, leader: number, sim: Simulation) => Promise<unknown>,
  unreliable: boolean,
) {
  const sim = new Simulation({ seed });
  return sim.run(async () => {
    const cluster = makeCluster<string>(sim, { servers: 3, unreliable, print: () => {} });
    try {
      await cluster.one("start", 3, true);
      let stop = false;
      let lastCommit = 0;
      let lastAt = sim.now();
      let longest = 0;
      const client = (async () => {
        for (let n = 0; !stop; n++) {
          for (let i = 0; i < cluster.servers; i++) {
            const raft = cluster.raft(i);
            if (raft && !raft.killed && raft.getState().isLeader) raft.start(`w${n}`);
          }
          await sim.sleep(2);
          const commit = Math.max(
            ...Array.from({ length: cluster.servers }, (_, i) => cluster.raft(i)?.commitIndex ?? 0),
          );
          if (commit > lastCommit) {
            longest = Math.max(longest, sim.now() - lastAt);
            lastCommit = commit;
            lastAt = sim.now();
          }
        }
      })();
      await sim.sleep(1000);
      const baseline = longest;
      longest = 0;
      const leader = await cluster.checkOneLeader();
      await change(cluster, leader, sim);
      await sim.sleep(3000);
      stop = true;
      await client;
      return { change: name, longestGapMs: longest, baselineGapMs: baseline };
    } finally {
      cluster.cleanup();
    }
  });
}

const on = (cluster: Cluster<string>, leader: number): RaftNode<string> => cluster.raft(leader)!;
const change = (cluster: Cluster<string>, leader: number, c: MembershipChange) =>
  on(cluster, leader).changeMembership(c);

/** Asks for `c` until the leader accepts it (refused as pending while the learner catches up, or a change commits). */
async function retryChange(cluster: Cluster<string>, leader: number, c: MembershipChange, sim: Simulation) {
  for (;;) {
    try {
      return await change(cluster, leader, c);
    } catch (error) {
      if (!(error instanceof MembershipChangePendingError)) throw error;
      await sim.sleep(10);
    }
  }
}

console.log(`membership figures, seed ${seed}, virtual time\n`);
console.log("catch-up and promotion of a new member (add-learner with autoPromote), by state size:");
for (const [entries, bytes] of [
  [1_000, 100],
  [10_000, 100],
  [10_000, 1_000],
] as const) {
  const r = await catchUp(entries, bytes);
  console.log(
    `  ${String(r.entries).padStart(6)} entries of ${bytes} B (~${(r.stateBytes / 1e6).toFixed(1)} MB): voter ${r.promotedAfterMs} ms after the add; ${r.snapshotChunks} snapshot chunks, ${r.appendEntries} AppendEntries received`,
  );
}
const changes: [string, (c: Cluster<string>, l: number, sim: Simulation) => Promise<unknown>][] = [
  [
    "add learner + auto-promote",
    async (c, l) => {
      const id = c.addServer();
      await change(c, l, { kind: "add-learner", id, autoPromote: true });
    },
  ],
  [
    "add learner, promote on request",
    async (c, l, sim) => {
      const id = c.addServer();
      await change(c, l, { kind: "add-learner", id });
      await retryChange(c, l, { kind: "promote", id }, sim);
    },
  ],
  ["remove a follower", (c, l) => change(c, l, { kind: "remove", id: (l + 1) % 3 })],
  ["remove the leader (hand-over)", (c, l) => change(c, l, { kind: "remove", id: l })],
  [
    "replace a crashed follower (add, promote, remove)",
    async (c, l, sim) => {
      const gone = (l + 1) % 3;
      c.crash1(gone);
      const id = c.addServer();
      await change(c, l, { kind: "add-learner", id, autoPromote: true });
      while (!on(c, l).membership.voters.includes(id)) await sim.sleep(1);
      await retryChange(c, l, { kind: "remove", id: gone }, sim);
    },
  ],
];
for (const unreliable of [false, true]) {
  const network = unreliable
    ? "the lab's unreliable network (0-26 ms delays, 10% loss)"
    : "a reliable network";
  console.log(
    `\nlongest time without a commit, a client proposing every 2 ms, ${network} (baseline: the second before):`,
  );
  for (const [name, run] of changes) {
    const r = await stall(name, run, unreliable);
    console.log(
      `  ${r.change.padEnd(52)} ${String(r.longestGapMs).padStart(5)} ms   (baseline ${r.baselineGapMs} ms)`,
    );
  }
}
