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
    const started = performance.now();
    for (let i = 0; i < 30; i++) await ck.append("k", `${i};`);
    const leader = servers.findIndex((s) => s.raft.getState().isLeader);
    assert.ok(leader >= 0);
    net.deleteServer(leader);
    servers[leader]!.kill();
    await ck.append("k", "end");
    const expected = `${Array.from({ length: 30 }, (_, i) => `${i};`).join("")}end`;
    assert.is(await ck.get("k", { signal: AbortSignal.timeout(5000) }), expected);
    assert.ok(performance.now() - started < 5000);
  } finally {
    for (const s of servers) s.kill();
    net.cleanup();
  }
});

test.run();
