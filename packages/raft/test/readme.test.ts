// The README's examples, importing from the sources instead of the package name.
import { Network, Server, Simulation, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LabrpcTransport, MemoryPersister, RaftNode, type StateMachine } from "../src/index.js";
import { FaultyStorage, makeCluster, StorageFaultError } from "../src/testkit/index.js";

test("README: a 3-node cluster in a simulation", async () => {
  const sim = new Simulation({ seed: 42 });
  const applied = await sim.run(async () => {
    const net = new Network({ clock: sim, random: sim.random });
    const n = 3;
    const applied: string[][] = [[], [], []];
    const nodes: RaftNode<string>[] = [];
    for (let i = 0; i < n; i++) {
      // ends[j] is i's way to reach j.
      const ends = [];
      for (let j = 0; j < n; j++) {
        const end = net.makeEnd(`${i}->${j}`);
        net.connect(end.name, j);
        net.enable(end.name, true);
        ends.push(end);
      }
      const transport = new LabrpcTransport(ends);
      nodes.push(
        new RaftNode<string>({
          id: i,
          peerCount: n,
          transport,
          storage: new MemoryPersister(),
          clock: sim,
          random: sim.random,
          onApply: (msg) => {
            if (msg.kind === "command") applied[i]!.push(msg.command);
          },
        }),
      );
      const server = new Server();
      transport.register(server);
      net.addServer(i, server);
    }
    const findLeader = () => nodes.find((node) => node.getState().isLeader);
    while (!findLeader()) await sim.sleep(50);
    const leader = findLeader()!;
    leader.start("x = 1");
    leader.start("y = 2");
    await sim.sleep(500); // virtual time: returns at once
    for (const node of nodes) node.kill();
    net.cleanup();
    return applied;
  });
  assert.equal(applied, [
    ["x = 1", "y = 2"],
    ["x = 1", "y = 2"],
    ["x = 1", "y = 2"],
  ]);
});

/** A state machine: a running total. */
class Counter implements StateMachine<number, number> {
  total = 0;
  apply(delta: number): number {
    this.total += delta;
    return this.total;
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(String(this.total));
  }
  restore(snapshot: Uint8Array): void {
    this.total = Number(new TextDecoder().decode(snapshot));
  }
}

test(
  "README: testing your own state machine with the testkit",
  simTest(async (sim) => {
    const cfg = makeCluster<number>(sim, {
      servers: 3,
      snapshot: true,
      machine: () => new Counter(),
      print: () => {},
    });
    try {
      cfg.begin("counter: a crashed leader catches up");
      for (let i = 1; i <= 20; i++) await cfg.one(i, 3, true);
      const leader = await cfg.checkOneLeader();
      cfg.crash1(leader);
      await cfg.one(100, 2, true);
      cfg.start1(leader);
      cfg.connect(leader);
      await cfg.one(1, 3, true);
      assert.is((cfg.machine(leader) as Counter).total, 210 + 100 + 1);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test("README: disk faults with FaultyStorage", async () => {
  const sim = new Simulation({ seed: 7 });
  await sim.run(async () => {
    const disk = new FaultyStorage(new MemoryPersister<string>(), { clock: sim, random: sim.random });
    disk.stallFor(100);
    void disk.appendEntries(1, [{ term: 1, command: "a" }]); // held for 100 ms
    assert.is(disk.crash(), 1); // not yet durable: lost, and never acknowledged
    assert.is(disk.inner.copy().load(), undefined);

    const restarted = new FaultyStorage(disk.inner.copy(), { clock: sim, random: sim.random });
    restarted.failWrites("EIO");
    const error = await restarted.saveHardState({ term: 1, votedFor: 0 }).catch((e: unknown) => e);
    assert.ok(error instanceof StorageFaultError && error.code === "EIO");
  });
});

test.run();
