// Raft over a storage whose writes become durable only later (0–300 ms), and whose crashes lose
// every write not yet durable: the node must never reply, send or apply on the strength of a
// lost write. Negative control: a disk that claims durability at once (returns void) while
// still writing late makes this fail on every seed tried (values differ at a committed index,
// or committed entries vanish).
import { type ClientEnd, Network, randomName, Server, type Simulation, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { LabrpcTransport, MemoryPersister, RaftNode } from "../src/index.js";
import { AppliedLogs, FaultyStorage } from "../src/testkit/index.js";
import { check } from "./helpers.js";

async function scenario(sim: Simulation, unreliable: boolean): Promise<void> {
  const n = 5;
  const net = new Network({ clock: sim, random: sim.random });
  net.setReliable(!unreliable);
  const applied = new AppliedLogs(n);
  const errors: string[] = [];
  const nodes: (RaftNode<number> | undefined)[] = new Array(n).fill(undefined);
  const disks: FaultyStorage<MemoryPersister<number>>[] = [];
  const endNames: string[][] = [];

  const start = (i: number, persister: MemoryPersister<number>) => {
    const ends: ClientEnd[] = [];
    endNames[i] = [];
    for (let j = 0; j < n; j++) {
      const name = randomName(sim.random);
      endNames[i]!.push(name);
      ends.push(net.makeEnd(name));
      net.connect(name, j);
      net.enable(name, true);
    }
    for (let j = 0; j < n; j++) {
      const incoming = endNames[j]?.[i];
      if (incoming && j !== i) net.enable(incoming, true);
    }
    // Writes land in `persister` 0–300 ms after they are made, in order; a crash drops the rest.
    const disk = new FaultyStorage(persister, { clock: sim, random: sim.random });
    disk.stallWrites(300);
    disks[i] = disk;
    const transport = new LabrpcTransport(ends);
    const node: RaftNode<number> = new RaftNode<number>({
      id: i,
      peerCount: n,
      transport,
      storage: disk,
      clock: sim,
      random: sim.random,
      onApply: (m) => {
        if (nodes[i] !== node || m.kind === "snapshot") return;
        const error = applied.record(i, m.index, m.kind === "command" ? m.command : undefined);
        if (error) errors.push(error);
      },
      onError: (error) => errors.push(String(error)),
    });
    nodes[i] = node;
    const server = new Server();
    transport.register(server);
    net.addServer(i, server);
  };
  const crash = (i: number) => {
    for (const name of endNames[i] ?? []) net.enable(name, false);
    for (let j = 0; j < n; j++) {
      const incoming = endNames[j]?.[i];
      if (incoming) net.enable(incoming, false);
    }
    net.deleteServer(i);
    nodes[i]?.kill();
    nodes[i] = undefined;
    const disk = disks[i]!;
    disk.crash();
    return disk.inner.copy();
  };

  for (let i = 0; i < n; i++) start(i, new MemoryPersister());
  let next = 1;
  for (let round = 0; round < 60; round++) {
    for (const node of nodes) {
      if (node?.start(next).isLeader) next++;
    }
    await sim.sleep(sim.random.int(300));
    // Crash a random server every round, losing its writes in flight; restart it soon.
    {
      const victim = sim.random.int(n);
      if (nodes[victim]) {
        const persisted = crash(victim);
        await sim.sleep(sim.random.int(200));
        start(victim, persisted);
      }
    }
    check(errors.length === 0, errors.join("\n"));
  }
  // Quiet down, then every server must hold the same committed prefix.
  await sim.sleep(5000);
  let leader: RaftNode<number> | undefined;
  for (let tries = 0; tries < 50 && !leader; tries++) {
    leader = nodes.find((node) => node?.getState().isLeader);
    if (!leader) await sim.sleep(200);
  }
  check(leader !== undefined, "no leader at the end");
  const last = leader.start(next).index;
  await sim.sleep(3000);
  for (let i = 0; i < n; i++) {
    for (let index = 1; index <= last; index++)
      check(applied.has(i, index), `server ${i} lacks index ${index}`);
  }
  check(errors.length === 0, errors.join("\n"));
  for (const node of nodes) node?.kill();
  net.cleanup();
}

test(
  "durability: crashes lose writes not yet durable, and safety holds (reliable)",
  simTest((sim) => scenario(sim, false)),
);

test(
  "durability: crashes lose writes not yet durable, and safety holds (unreliable)",
  simTest((sim) => scenario(sim, true)),
);

test.run();
