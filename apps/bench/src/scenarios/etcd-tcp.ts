import { findEtcd, missingEtcd } from "../etcd/binary.js";
import { EtcdGateway, EtcdKvClient } from "../etcd/client.js";
import { EtcdCluster } from "../etcd/cluster.js";
import { ownCpuUs, ServerCpu } from "../process-cpu.js";
import type { Deployment, Scenario, Timing } from "../scenario.js";

/**
 * `servers` etcd members on loopback (etcd's defaults: an fsync per commit) driven through their
 * v3 HTTP/JSON gateway by the same closed-loop clients, starting at the leader.
 */
async function deploy(
  servers: number,
  timing: Timing | undefined,
  stop: "SIGKILL" | "SIGTERM" = "SIGKILL",
): Promise<Deployment> {
  const binary = findEtcd();
  if (!binary) throw new Error(missingEtcd());
  const cluster = await EtcdCluster.start(binary, servers, timing);
  const gateway = new EtcdGateway(cluster.urls, Math.max(0, await cluster.leader()));
  const cpu = new ServerCpu(() => cluster.pids);
  return {
    makeClients: (n) => Array.from({ length: n }, () => new EtcdKvClient(gateway)),
    counters: async () => ({
      rpcs: gateway.requests,
      bytes: gateway.bytes + (await cluster.peerBytesSent()),
      cpuUs: { servers: cpu.read(), client: ownCpuUs() },
    }),
    async killLeader() {
      const leader = await cluster.leader();
      if (leader >= 0) await cluster.stop(leader, stop);
    },
    async close() {
      gateway.close();
      await cluster.close();
    },
  };
}

export const etcdTcp3: Scenario = {
  name: "etcd-tcp-3",
  description:
    "etcd (3 members on loopback, fsync on) through its HTTP/JSON gateway: kvraft-tcp-3's yardstick",
  transport: "tcp",
  servers: 3,
  requires: "etcd",
  counterpart: "kvraft-tcp-3",
  deploy: (options) => deploy(3, options.timing),
};

export const etcdFailoverTcp3: Scenario = {
  name: "etcd-failover-tcp-3",
  description: "etcd-tcp-3 with the leader killed (-9) a third of the way in",
  transport: "tcp",
  servers: 3,
  failover: true,
  clients: [8],
  minDurationMs: 2000,
  requires: "etcd",
  counterpart: "failover-tcp-3",
  deploy: (options) => deploy(3, options.timing),
};

export const etcdPlannedStopTcp3: Scenario = {
  name: "etcd-planned-stop-tcp-3",
  description:
    "etcd-tcp-3 with the leader stopped (SIGTERM: etcd hands leadership over first) a third of the way in",
  transport: "tcp",
  servers: 3,
  failover: true,
  clients: [8],
  minDurationMs: 2000,
  requires: "etcd",
  counterpart: "planned-stop-tcp-3",
  deploy: (options) => deploy(3, options.timing, "SIGTERM"),
};
