import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ServiceCluster } from "../src/testkit/index.js";
import { Counter } from "./helpers/counter.js";

test(
  "the service tells of every role change when the node does, from the node's events (no polling delay)",
  simTest(async (sim) => {
    const cluster = new ServiceCluster(sim, { servers: 3, stateMachine: () => new Counter() });
    const fromNode: string[] = [];
    const fromService: string[] = [];
    for (const i of cluster.all()) {
      const replica = cluster.replica(i)!;
      replica.node.addEventListener("role", (e) =>
        fromNode.push(`${i} ${e.detail.role} term ${e.detail.term} at ${sim.now()}`),
      );
      // The service's event also tells of a new term or leader in the same role: keep role changes.
      let role = replica.leadership.role;
      replica.addEventListener("role", (e) => {
        if (e.role === role) return;
        role = e.role;
        fromService.push(`${i} ${e.role} term ${e.term} at ${sim.now()}`);
      });
    }
    const leaderIn = async () => {
      for (let t = 0; t < 100 && cluster.leader() === undefined; t++) await sim.sleep(100);
      return cluster.leader()!;
    };
    const first = await leaderIn();
    cluster.partition(
      [first],
      cluster.all().filter((i) => i !== first),
    );
    await sim.sleep(3000); // the majority elects; check-quorum deposes the cut-off leader
    cluster.connectAll();
    await sim.sleep(2000);
    assert.ok(fromNode.length >= 4, `role changes seen: ${fromNode.join("; ")}`);
    assert.equal(fromService, fromNode);
    await cluster.close();
  }),
);

test.run();
