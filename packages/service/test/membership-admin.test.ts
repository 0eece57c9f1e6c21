import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  MemberIdRemovedError,
  MembershipChangeRefusedError,
  NoQuorumError,
  ReplicatedService,
  ServiceClient,
  serviceHandler,
} from "../src/index.js";
import { ServiceCluster } from "../src/testkit/index.js";
import { Counter } from "./helpers/counter.js";

// The membership admin every service gets from the service layer: Service.Members and
// Service.ChangeMembership on the replicas, ServiceClient.members/addLearner/promote/remove, and
// raft's refusals carried over the wire as typed errors.

type Sim = Parameters<Parameters<typeof simTest>[0]>[0];

const counterCluster = (sim: Sim) =>
  new ServiceCluster(sim, { servers: 3, stateMachine: () => new Counter() });

/** Replicas 0-2 found the cluster; replica 3 runs as a new member waiting to be added. */
const withJoiner = (sim: Sim) =>
  new ServiceCluster(sim, {
    servers: 4,
    stateMachine: () => new Counter(),
    makeReplica: ({ peerCount: _, ...options }) => ({
      service: new ReplicatedService({ ...options, members: options.id === 3 ? [] : [0, 1, 2] }),
    }),
  });

test(
  "members() is the leader's configuration; a follower answers only when any replica will do",
  simTest(async (sim) => {
    const cluster = counterCluster(sim);
    const client = cluster.client();
    const view = await client.members();
    assert.is(view.isLeader, true);
    assert.is(view.leaderId, view.id);
    assert.equal(view.membership.voters, [0, 1, 2]);
    const follower = [0, 1, 2].find((i) => i !== view.id)!;
    const handle = serviceHandler(cluster.replica(follower)!);
    const refused = (await handle("Service.Members", {})) as { status: string; code: string };
    assert.equal([refused.status, refused.code], ["error", "NOT_LEADER"]);
    const own = (await handle("Service.Members", { anyReplica: true })) as { value: { id: number } };
    assert.is(own.value.id, follower);
    await cluster.close();
  }),
);

test(
  "remove(id) commits; adding that id again is refused with MemberIdRemovedError naming a free id",
  simTest(async (sim) => {
    const cluster = counterCluster(sim);
    const client = cluster.client();
    const leader = (await client.members()).id;
    const follower = [0, 1, 2].find((i) => i !== leader)!;
    const done = await client.remove(follower);
    assert.ok(done.index !== undefined && done.index > 0);
    assert.not.ok(done.membership.voters.includes(follower));
    assert.equal((await client.members()).membership.removed, [follower]);
    const again = await client.addLearner(follower).catch((e: unknown) => e);
    assert.instance(again, MemberIdRemovedError);
    assert.equal(
      [(again as MemberIdRemovedError).memberId, (again as MemberIdRemovedError).suggestedId],
      [follower, 3],
    );
    assert.match((again as Error).message, /pick a new id, for example 3/);
    assert.is(await client.submit({ add: 2 }), 2, "the two voters left still commit");
    await cluster.close();
  }),
);

test(
  "a change that makes no sense fails at once; a learner that cannot catch up is retried as pending until the timeout",
  simTest(async (sim) => {
    const cluster = withJoiner(sim);
    const client = cluster.client();
    const started = sim.now();
    const nonsense = await client.promote(9).catch((e: unknown) => e);
    assert.instance(nonsense, MembershipChangeRefusedError);
    assert.match((nonsense as Error).message, /member 9 is not a learner/);
    assert.ok(sim.now() - started < 1000, `refused after ${sim.now() - started} ms`);
    // Member 3 is added while it is down: it cannot catch up, so its promotion waits.
    cluster.crash(3);
    const added = await client.addLearner(3, { address: "replica-3" });
    assert.equal(added.membership.learners, [3]);
    assert.equal(added.membership.addresses, [{ id: 3, address: "replica-3" }]);
    const pending = await client.promote(3, { timeoutMs: 2000 }).catch((e: unknown) => e);
    assert.instance(pending, NoQuorumError);
    assert.match((pending as Error).message, /learner 3 holds the log through 0 of \d+ committed entries/);
    // Up again, it catches up and the same request goes through.
    cluster.restart(3);
    cluster.connectAll();
    const promoted = await client.promote(3, { timeoutMs: 30_000 });
    assert.equal(promoted.membership.voters, [0, 1, 2, 3]);
    await cluster.close();
  }),
);

test(
  "a call the deadline cuts short does not hide what its replica said before: NoQuorumError keeps the learner's progress",
  simTest(async (sim) => {
    // One replica that refuses the promotion for now (its learner is behind), answering in 10 ms;
    // from 500 ms on it answers nothing, so the client's last call is cut short by its deadline.
    // Before: that call's "unreachable" replaced the refusal, and the error named no learner
    // (seed 217932293 of the test above, where the last retry was in flight at the deadline).
    const pending = {
      status: "error",
      code: "CHANGE_PENDING",
      message: "learner 3 holds the log through 0 of 2 committed entries; retry shortly",
    };
    const replica = {
      call: async () => {
        if (sim.now() >= 500) return new Promise<never>(() => {});
        await sim.sleep(10);
        return { ok: true as const, reply: pending };
      },
    };
    const client = new ServiceClient([replica], { clock: sim, random: sim.random, retryDelayMs: 20 });
    const error = await client.promote(3, { timeoutMs: 1000 }).catch((e: unknown) => e);
    assert.instance(error, NoQuorumError);
    assert.match(
      (error as Error).message,
      /server 0: learner 3 holds the log through 0 of 2 committed entries/,
    );
  }),
);

test(
  "removing the leader through the client resolves with the configuration without it, and a new leader serves",
  simTest(async (sim) => {
    const cluster = counterCluster(sim);
    const client = cluster.client();
    assert.is(await client.submit({ add: 1 }), 1);
    const leader = (await client.members()).id;
    const done = await client.remove(leader);
    assert.equal(
      done.membership.voters,
      [0, 1, 2].filter((i) => i !== leader),
    );
    assert.is(await client.submit({ add: 1 }), 2);
    assert.ok((await client.members()).id !== leader);
    await cluster.close();
  }),
);

test(
  "a malformed change is refused MALFORMED by the replica, naming the field",
  simTest(async (sim) => {
    const cluster = counterCluster(sim);
    const leader = (await cluster.client().members()).id;
    const handle = serviceHandler(cluster.replica(leader)!);
    for (const [change, why] of [
      [{ kind: "grow", id: 3 }, /unknown change grow/],
      [{ kind: "remove", id: -1 }, /non-negative integer/],
      [{ kind: "add-learner", id: 3, address: 7 }, /address must be text/],
      [undefined, /"change" must be an object/],
    ] as const) {
      const reply = (await handle("Service.ChangeMembership", { change })) as {
        code: string;
        message: string;
      };
      assert.is(reply.code, "MALFORMED");
      assert.match(reply.message, why);
    }
    await cluster.close();
  }),
);

test.run();
