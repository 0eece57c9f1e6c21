import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  type Membership,
  MembershipChangeError,
  MembershipChangePendingError,
  NotLeaderError,
  type RaftNode,
} from "../src/index.js";
import { type Cluster, makeCluster } from "../src/testkit/index.js";
import { settle } from "./helpers/settle.js";

const quiet = { print: () => {} };

/** Retries a change while it is refused as pending (the learner still catching up, say), at most ~5 s. */
async function changeOn(
  cfg: Cluster<number>,
  sim: { sleep(ms: number): Promise<void> },
  change: Parameters<RaftNode["changeMembership"]>[0],
) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const leader = await cfg.checkOneLeader();
    const { value, error } = await settle(cfg.raft(leader)!.changeMembership(change));
    if (value) return value;
    if (!(error instanceof MembershipChangePendingError) && !(error instanceof NotLeaderError)) throw error;
    await sim.sleep(100);
  }
  throw new Error(`${change.kind} ${change.id} never went through`);
}

test(
  "node: a cluster grows from 3 to 5 with auto-promoted learners, and every member agrees",
  simTest(async (sim) => {
    const cfg = makeCluster<number>(sim, { servers: 3, ...quiet });
    try {
      for (let v = 1; v <= 20; v++) await cfg.one(v, 3, true);
      const seen: Membership[] = [];
      for (const expected of [3, 4]) {
        const id = cfg.addServer();
        assert.is(id, expected);
        cfg.raft(id)!.addEventListener("membership", (e) => seen.push(e.detail.membership));
        const done = await changeOn(cfg, sim, { kind: "add-learner", id, autoPromote: true });
        assert.equal(done.membership.learners, [id]);
        for (let t = 0; t < 50 && !cfg.raft(0)!.membership.voters.includes(id); t++) await sim.sleep(100);
      }
      for (let i = 0; i < 5; i++)
        assert.equal(cfg.raft(i)!.membership.voters, [0, 1, 2, 3, 4], `server ${i}`);
      assert.ok(
        seen.some((m) => m.voters.includes(4)),
        "the new member heard of its promotion",
      );
      // Five voters: a write needs three; with two founders gone it still commits.
      cfg.disconnect(1);
      cfg.disconnect(2);
      await cfg.one(100, 3, true);
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "node: removing the leader resolves once committed; it hands over, says `removed` and stops",
  simTest(async (sim) => {
    const cfg = makeCluster<number>(sim, { servers: 3, ...quiet });
    try {
      await cfg.one(1, 3, false);
      const leader = await cfg.checkOneLeader();
      const old = cfg.raft(leader)!;
      let removed = false;
      old.addEventListener("removed", () => {
        removed = true;
      });
      const t0 = sim.now();
      const done = await old.changeMembership({ kind: "remove", id: leader });
      assert.not.ok(done.membership.voters.includes(leader));
      // The lab's checkOneLeader sleeps ~0.5 s per look: poll every 5 ms to time the handover.
      const others = [0, 1, 2].filter((i) => i !== leader);
      while (!others.some((i) => cfg.raft(i)!.getState().isLeader) && sim.now() - t0 < 5000)
        await sim.sleep(5);
      assert.ok(sim.now() - t0 < 250, `a new leader after ${sim.now() - t0} ms (virtual)`);
      assert.ok((await cfg.checkOneLeader()) !== leader);
      await sim.sleep(50);
      assert.ok(removed && old.killed, "the removed leader stopped");
      await cfg.one(2, 2, true);
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "node: misuse is refused with typed errors and changes nothing",
  simTest(async (sim) => {
    const cfg = makeCluster<number>(sim, { servers: 3, ...quiet });
    try {
      await cfg.one(1, 3, false);
      const leader = await cfg.checkOneLeader();
      const follower = cfg.raft((leader + 1) % 3)!;
      const notLeader = await settle(follower.changeMembership({ kind: "remove", id: leader }));
      assert.instance(notLeader.error, NotLeaderError);
      assert.is((notLeader.error as NotLeaderError).leaderHint, leader);
      const unknown = await settle(cfg.raft(leader)!.changeMembership({ kind: "remove", id: 7 }));
      assert.instance(unknown.error, MembershipChangeError);
      assert.match(String(unknown.error), /member 7 is not in the configuration/);
      const bad = await settle(cfg.raft(leader)!.changeMembership({ kind: "add-learner", id: -1 }));
      assert.instance(bad.error, MembershipChangeError);
      assert.equal(cfg.raft(leader)!.membership.voters, [0, 1, 2]);
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "node: with snapshots, a new member catches up by InstallSnapshot and keeps its membership across a restart",
  simTest(async (sim) => {
    const cfg = makeCluster<number>(sim, { servers: 3, snapshot: true, ...quiet });
    try {
      for (let v = 1; v <= 40; v++) await cfg.one(v, 3, true);
      const id = cfg.addServer();
      await changeOn(cfg, sim, { kind: "add-learner", id });
      await changeOn(cfg, sim, { kind: "promote", id });
      for (let v = 41; v <= 45; v++) await cfg.one(v, 4, true);
      assert.ok(cfg.raft(id)!.metrics.messagesReceived.InstallSnapshot > 0, "it was sent the snapshot");
      assert.ok(
        (cfg.persister(id)!.load()?.snapshot?.meta.config?.voters.length ?? 0) > 0,
        "stored with its configuration",
      );
      cfg.crash1(id);
      cfg.start1(id);
      cfg.connect(id);
      assert.equal(cfg.raft(id)!.membership.voters, [0, 1, 2, 3], "restored from its own storage");
      for (let v = 46; v <= 50; v++) await cfg.one(v, 4, true);
    } finally {
      cfg.cleanup();
    }
  }),
);

test.run();
