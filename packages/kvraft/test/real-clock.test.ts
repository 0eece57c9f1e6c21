import { setTimeout as sleep } from "node:timers/promises";
import { Network, realClock, realRandom, Server, Service } from "@raftkit/labrpc";
import { LabrpcTransport, MemoryPersister } from "@raftkit/raft";
import { labrpcHandlers } from "@raftkit/service";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { KvRaftEntry } from "../src/index.js";
import { Clerk, KvRaftServer } from "../src/index.js";

/** Nothing depends on the simulation: the same code on Node's clock, with a leader crash. */
test("on the real clock: three servers elect, serve, lose their leader and go on", async () => {
  const net = new Network({ clock: realClock, random: realRandom });
  const n = 3;
  const end = (name: string, to: number) => {
    const e = net.makeEnd(name);
    net.connect(name, to);
    net.enable(name, true);
    return e;
  };
  const servers = Array.from({ length: n }, (_, i) => {
    const transport = new LabrpcTransport(Array.from({ length: n }, (_, j) => end(`${i}-${j}`, j)));
    const kv = new KvRaftServer({
      id: i,
      peerCount: n,
      transport,
      persister: new MemoryPersister<KvRaftEntry>(),
      clock: realClock,
      random: realRandom,
      maxRaftState: 500,
      raftConfig: { heartbeatIntervalMs: 20, electionTimeoutMinMs: 100, electionTimeoutMaxMs: 200 },
    });
    const server = new Server().addService(new Service("Service", labrpcHandlers(kv.handle)));
    transport.register(server);
    net.addServer(i, server);
    return kv;
  });
  try {
    const ck = new Clerk(Array.from({ length: n }, (_, j) => end(`c-${j}`, j)));
    // Every step bounded on its own, not their sum: a sum of real time is a speed claim, and with
    // 8 copies of this file at once (load ~20) the steps took up to 3.2 s of the 5 s it allowed.
    const within = () => ({ signal: AbortSignal.timeout(10_000) });
    for (let i = 0; i < 30; i++) await ck.append("k", `${i};`, within());
    // Just after an append returned an election may be under way (an event loop held up longer
    // than the 100-200 ms election timeout), with no leader for a moment: wait for one.
    let leader = -1;
    for (const giveUpAt = performance.now() + 10_000; leader < 0 && performance.now() < giveUpAt; ) {
      leader = servers.findIndex((s) => s.raft.getState().isLeader);
      if (leader < 0) await sleep(10);
    }
    assert.ok(leader >= 0, "no leader within 10 s");
    net.deleteServer(leader);
    servers[leader]!.kill();
    await ck.append("k", "end", within());
    const expected = `${Array.from({ length: 30 }, (_, i) => `${i};`).join("")}end`;
    assert.is(await ck.get("k", within()), expected);
  } finally {
    for (const s of servers) s.kill();
    net.cleanup();
  }
});

test.run();
