// The same code path on the real clock and real randomness: no virtual-time assumptions.
import { Network, realClock, realRandom, Server } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LabrpcTransport, MemoryPersister, RaftNode } from "../src/index.js";

test("real clock: a 3-node cluster elects a leader and commits", async () => {
  const net = new Network({ clock: realClock, random: realRandom });
  const n = 3;
  const applied: number[][] = [[], [], []];
  const nodes: RaftNode<number>[] = [];
  const config = { heartbeatIntervalMs: 20, electionTimeoutMinMs: 80, electionTimeoutMaxMs: 160 };
  for (let i = 0; i < n; i++) {
    const ends = [];
    for (let j = 0; j < n; j++) {
      const end = net.makeEnd(`real-${i}-${j}`);
      net.connect(end.name, j);
      net.enable(end.name, true);
      ends.push(end);
    }
    const transport = new LabrpcTransport(ends);
    nodes.push(
      new RaftNode<number>({
        id: i,
        peerCount: n,
        transport,
        storage: new MemoryPersister(),
        clock: realClock,
        random: realRandom,
        config,
        onApply: (msg) => {
          if (msg.kind === "command") applied[i]!.push(msg.command);
        },
      }),
    );
    const server = new Server();
    transport.register(server);
    net.addServer(i, server);
  }
  try {
    const deadline = realClock.now() + 5000;
    const leader = async (): Promise<RaftNode<number>> => {
      for (;;) {
        const found = nodes.find((node) => node.getState().isLeader);
        if (found) return found;
        if (realClock.now() > deadline) throw new Error("no leader on the real clock");
        await realClock.sleep(10);
      }
    };
    (await leader()).start(7);
    while (applied.some((a) => a.length < 1) && realClock.now() < deadline) await realClock.sleep(10);
    assert.equal(applied, [[7], [7], [7]]);
  } finally {
    for (const node of nodes) node.kill();
    net.cleanup();
  }
});

test.run();
