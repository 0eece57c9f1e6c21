// A leader that removes itself while its own writes are still becoming durable (a real disk's
// fsync; here writes durable 3 ms later, in virtual time) must still send the hand-over it
// decided on: TimeoutNow to its successor and the heartbeat carrying the commit. Found over TCP
// (raftkit-bench membership: writes stalled an election timeout, 500-1000 ms, in about half the
// runs): the node stopped when an earlier batch was released, and dropped the later batch that
// held those messages.
import { type ClientEnd, Network, randomName, Server, type Simulation, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LabrpcTransport, RaftNode } from "../src/index.js";
import { SlowStorage } from "./node-helpers.js";

const CONFIG = { heartbeatIntervalMs: 50, electionTimeoutMinMs: 500, electionTimeoutMaxMs: 1000 };

function cluster(sim: Simulation, n: number): RaftNode<string>[] {
  const net = new Network({ clock: sim, random: sim.random });
  const nodes: RaftNode<string>[] = [];
  for (let i = 0; i < n; i++) {
    const ends: ClientEnd[] = [];
    for (let j = 0; j < n; j++) {
      const name = randomName(sim.random);
      ends.push(net.makeEnd(name));
      net.connect(name, j);
      net.enable(name, true);
    }
    const transport = new LabrpcTransport(ends);
    nodes.push(
      new RaftNode<string>({
        id: i,
        peerCount: n,
        transport,
        storage: new SlowStorage(sim, 3),
        clock: sim,
        random: sim.random,
        config: CONFIG,
        onApply: () => {},
        onError: (error) => {
          throw error;
        },
      }),
    );
    const server = new Server();
    transport.register(server);
    net.addServer(i, server);
  }
  return nodes;
}

test(
  "node: a leader removing itself while its writes are in flight still hands over (TimeoutNow, no election timeout)",
  simTest(async (sim) => {
    const nodes = cluster(sim, 3);
    try {
      let leader: RaftNode<string> | undefined;
      while (!leader) {
        await sim.sleep(10);
        leader = nodes.find((n) => n.getState().isLeader);
      }
      // The leader's no-op must commit before it may change the configuration.
      while (leader.commitIndex < 1) await sim.sleep(5);
      // A client keeps proposing, so a write of the leader's is in flight when the removal commits.
      let stop = false;
      const client = (async () => {
        for (let n = 0; !stop; n++) {
          if (!leader.killed && leader.getState().isLeader) leader.start(`w${n}`);
          await sim.sleep(1);
        }
      })();
      await sim.sleep(20);
      const t0 = sim.now();
      await leader.changeMembership({ kind: "remove", id: leader.id });
      const others = nodes.filter((n) => n !== leader);
      while (!others.some((n) => n.getState().isLeader) && sim.now() - t0 < 5000) await sim.sleep(1);
      stop = true;
      await client;
      const timeoutNows = others.reduce((sum, n) => sum + n.metrics.messagesReceived.TimeoutNow, 0);
      assert.is(timeoutNows, 1, "the successor was told to campaign");
      assert.ok(
        sim.now() - t0 < CONFIG.electionTimeoutMinMs,
        `a new leader ${sim.now() - t0} ms (virtual) after the removal: an election timeout, not a hand-over`,
      );
      assert.ok(leader.killed, "the removed leader stopped");
    } finally {
      for (const n of nodes) n.kill();
    }
  }),
);

test.run();
