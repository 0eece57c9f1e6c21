import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { NotLeaderError, SessionExpiredError, ValueTooLargeError } from "../src/index.js";
import { ServiceCluster } from "../src/testkit/index.js";
import { Counter, type CounterCommand } from "./helpers/counter.js";

async function leaderOf(cluster: ServiceCluster<CounterCommand, number, "total", number>): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const leader = cluster.leader();
    if (leader !== undefined) return leader;
    await cluster.sim.sleep(100);
  }
  throw new Error("no leader within 10 s");
}

test(
  "submit resolves with apply's result once committed; a follower refuses with the leader's id",
  simTest(async (sim) => {
    const cluster = new ServiceCluster(sim, { servers: 3, stateMachine: () => new Counter() });
    const leader = await leaderOf(cluster);
    assert.is(await cluster.replica(leader)!.submit({ add: 2 }), 2);
    assert.is(await cluster.replica(leader)!.submit({ add: 3 }), 5);
    const follower = (leader + 1) % 3;
    await sim.sleep(300);
    const refused = await cluster
      .replica(follower)!
      .submit({ add: 1 })
      .catch((e: unknown) => e);
    assert.instance(refused, NotLeaderError);
    assert.is((refused as NotLeaderError).leaderId, leader);
    assert.is(await cluster.replica(leader)!.read("total"), 5);
    await cluster.close();
  }),
);

test(
  "a client's retried submit executes once; its session survives a leader crash",
  simTest(async (sim) => {
    const cluster = new ServiceCluster(sim, { servers: 3, stateMachine: () => new Counter() });
    const client = cluster.client();
    assert.is(await client.submit({ add: 1 }), 1);
    const leader = await leaderOf(cluster);
    cluster.crash(leader);
    assert.is(await client.submit({ add: 10 }), 11);
    cluster.restart(leader);
    cluster.connectAll();
    assert.is(await client.read("total"), 11);
    await cluster.close();
  }),
);

test(
  "a command larger than maxCommandBytes is refused with its size and the limit",
  simTest(async (sim) => {
    const cluster = new ServiceCluster(sim, {
      servers: 3,
      stateMachine: () => new Counter(),
      replica: { maxCommandBytes: 100 },
    });
    const client = cluster.client();
    const error = await client
      .submit({ add: 1, pad: "x".repeat(500) } as CounterCommand)
      .catch((e: unknown) => e);
    assert.instance(error, ValueTooLargeError);
    assert.match((error as Error).message, /value too large: \d+ bytes, limit 100/);
    await cluster.close();
  }),
);

test(
  "a command over what raft accepts is refused at once as too large, not retried until the client's timeout",
  simTest(async (sim) => {
    const cluster = new ServiceCluster(sim, {
      servers: 3,
      stateMachine: () => new Counter(),
      replica: { raftConfig: { maxProposalBytes: 2048 } },
    });
    await leaderOf(cluster);
    const client = cluster.client();
    const t0 = sim.now();
    const error = await client
      .submit({ add: 1, pad: "x".repeat(2100) } as CounterCommand)
      .catch((e: unknown) => e);
    assert.instance(error, ValueTooLargeError);
    assert.match((error as Error).message, /value too large: \d+ bytes, limit 1984/);
    assert.ok(sim.now() - t0 < 1000, `refused after ${sim.now() - t0} ms`);
    assert.is(await client.submit({ add: 2 }), 2, "the cluster goes on");
    await cluster.close();
  }),
);

test(
  "sessions are bounded: the least recently used is evicted, and its next request is refused as expired",
  simTest(async (sim) => {
    const cluster = new ServiceCluster(sim, {
      servers: 3,
      stateMachine: () => new Counter(),
      replica: { maxSessions: 2 },
    });
    const [a, b, c] = [cluster.client(), cluster.client(), cluster.client()];
    await a.submit({ add: 1 });
    await b.submit({ add: 1 });
    await c.submit({ add: 1 });
    const evicted = a.sessionId;
    assert.ok(evicted !== undefined && evicted !== b.sessionId && evicted !== c.sessionId);
    const error = await a.submit({ add: 1 }).catch((e: unknown) => e);
    assert.instance(error, SessionExpiredError);
    assert.is((error as SessionExpiredError).sessionId, evicted);
    assert.is(a.sessionId, undefined, "the expired session is forgotten");
    assert.is(await a.submit({ add: 100 }), 103);
    assert.ok(
      a.sessionId! > c.sessionId!,
      `a new session, opened later: ${a.sessionId} after ${c.sessionId}`,
    );
    assert.is(cluster.replica(cluster.leader()!)!.sessionCount, 2);
    await cluster.close();
  }),
);

test.run();
