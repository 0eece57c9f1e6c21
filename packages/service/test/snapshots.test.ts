import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { SnapshotEvent } from "../src/index.js";
import { ServiceCluster } from "../src/testkit/index.js";
import { Counter } from "./helpers/counter.js";

test(
  "maxLogEntries: one snapshot per crossing, each encoding the state once",
  simTest(async (sim) => {
    const machines: Counter[] = [];
    const cluster = new ServiceCluster(sim, {
      servers: 3,
      stateMachine: () => {
        const machine = new Counter();
        machines.push(machine);
        return machine;
      },
      replica: { snapshot: { maxLogEntries: 10 } },
    });
    const taken: number[] = [];
    while (cluster.leader() === undefined) await sim.sleep(100);
    const leader = cluster.replica(cluster.leader()!)!;
    leader.addEventListener("snapshot", (event: SnapshotEvent) => taken.push(event.index));
    // 8 clients at once: entries apply in batches.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const client = cluster.client();
        for (let i = 0; i < 10; i++) await client.submit({ add: 1 });
      }),
    );
    assert.ok(taken.length >= 6, `snapshots at ${taken.join(", ")}`);
    const gaps = taken.slice(1).map((index, k) => index - taken[k]!);
    assert.ok(
      gaps.every((gap) => gap === 10),
      `snapshots at ${taken.join(", ")}`,
    );
    const leaderMachine = machines[cluster.leader()!]!;
    assert.is(leaderMachine.snapshots, taken.length, "one encoding per snapshot");
    await cluster.close();
  }),
);

test(
  "a restarted replica restores the snapshot with its index and term, and sessions still deduplicate",
  simTest(async (sim) => {
    const machines: Counter[] = [];
    const cluster = new ServiceCluster(sim, {
      servers: 3,
      stateMachine: () => {
        const machine = new Counter();
        machines.push(machine);
        return machine;
      },
      replica: { snapshot: { maxLogEntries: 5 } },
    });
    const client = cluster.client();
    for (let i = 0; i < 12; i++) await client.submit({ add: 1 });
    const leader = cluster.leader()!;
    const replica = cluster.replica(leader)!;
    // The client's last request again (same session, same seq): the cached result, no second execution.
    const again = await replica.submit({ add: 1 }, { session: { sessionId: client.sessionId!, seq: 12 } });
    assert.is(again, 12);
    cluster.crash(leader);
    cluster.restart(leader);
    cluster.connectAll();
    await sim.sleep(2000);
    const restarted = machines[machines.length - 1]!;
    assert.ok(
      restarted.restoredAt && restarted.restoredAt.index >= 10,
      `restored at ${JSON.stringify(restarted.restoredAt)}`,
    );
    assert.ok(restarted.restoredAt!.term >= 1);
    assert.is(await client.submit({ add: 1 }), 13);
    const newLeader = cluster.replica(cluster.leader()!)!;
    assert.is(await newLeader.submit({ add: 1 }, { session: { sessionId: client.sessionId!, seq: 13 } }), 13);
    await sim.sleep(1000);
    assert.is(
      restarted.total,
      13,
      "the restarted replica caught up from its snapshot, executing nothing twice",
    );
    await cluster.close();
  }),
);

test.run();
