import type { KvRaftEntry } from "@raftkit/kvraft";
import { Clerk, KvRaftServer } from "@raftkit/kvraft";
import { Network, RealClock, randomName, realRandom, Server, Service } from "@raftkit/labrpc";
import { LabrpcTransport, MemoryPersister } from "@raftkit/raft";
import { labrpcHandlers } from "@raftkit/service";
import type { Deployment, DeployOptions, Scenario } from "../scenario.js";

/** Snapshot when raft's state passes 1 MB, as a real deployment would. */
const MAX_RAFT_STATE = 1_000_000;

/** `servers` kvraft replicas on a reliable labrpc network, on the real clock. */
async function deploy(servers: number, options: DeployOptions): Promise<Deployment> {
  const clock = new RealClock();
  const net = new Network({ clock, random: realRandom });
  const connectedEnd = (to: number) => {
    const end = net.makeEnd(randomName(realRandom));
    net.connect(end.name, to);
    net.enable(end.name, true);
    return end;
  };
  const replicas = Array.from({ length: servers }, (_, id) => {
    const transport = new LabrpcTransport(Array.from({ length: servers }, (_, to) => connectedEnd(to)));
    const kv = new KvRaftServer({
      id,
      peerCount: servers,
      transport,
      persister: new MemoryPersister<KvRaftEntry>(),
      clock,
      random: realRandom,
      maxRaftState: MAX_RAFT_STATE,
      reads: options.reads,
      ...(options.timing
        ? {
            raftConfig: {
              heartbeatIntervalMs: options.timing.heartbeatMs,
              electionTimeoutMinMs: options.timing.electionTimeoutMs.min,
              electionTimeoutMaxMs: options.timing.electionTimeoutMs.max,
            },
          }
        : {}),
    });
    const server = new Server();
    transport.register(server);
    server.addService(new Service("Service", labrpcHandlers(kv.handle)));
    net.addServer(id, server);
    return kv;
  });
  // Measure a working service, not its first election.
  const deadline = performance.now() + 10_000;
  while (!replicas.some((r) => r.raft.getState().isLeader)) {
    if (performance.now() > deadline) throw new Error(`no leader among ${servers} replicas within 10 s`);
    await clock.sleep(10);
  }
  return {
    makeClients: (n) =>
      Array.from(
        { length: n },
        () =>
          new Clerk(
            Array.from({ length: servers }, (_, to) => {
              const end = connectedEnd(to);
              return { id: to, call: (method: string, args: unknown) => end.call(method, args) };
            }),
            { clock },
          ),
      ),
    counters: () => ({ rpcs: net.getTotalCount(), bytes: net.getTotalBytes() }),
    async killLeader() {
      const leader = replicas.findIndex((r) => !r.killed && r.raft.getState().isLeader);
      if (leader < 0) return;
      net.deleteServer(leader);
      replicas[leader]!.kill();
    },
    async close() {
      for (const r of replicas) r.kill();
      net.cleanup();
    },
  };
}

export const kvraftLabrpc3: Scenario = {
  name: "kvraft-labrpc-3",
  description: "kvraft, 3 replicas over the simulated network (reliable), in memory",
  transport: "labrpc",
  servers: 3,
  deploy: (options) => deploy(3, options),
};

export const kvraftLabrpc5: Scenario = {
  name: "kvraft-labrpc-5",
  description: "kvraft, 5 replicas over the simulated network (reliable), in memory",
  transport: "labrpc",
  servers: 5,
  deploy: (options) => deploy(5, options),
};

export const failoverLabrpc3: Scenario = {
  name: "failover-labrpc-3",
  description:
    "kvraft, 3 replicas; the leader is killed a third of the way in (stall = longest gap between writes)",
  transport: "labrpc",
  servers: 3,
  failover: true,
  clients: [8],
  minDurationMs: 2000,
  deploy: (options) => deploy(3, options),
};
