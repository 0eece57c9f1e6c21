import { findEtcd, missingEtcd } from "../etcd/binary.js";
import { EtcdGateway, EtcdKvClient } from "../etcd/client.js";
import { EtcdCluster } from "../etcd/cluster.js";
import { ownCpuUs, ServerCpu } from "../process-cpu.js";
import type { Deployment, Scenario, Timing } from "../scenario.js";
import { failoverTcp3, kvraftTcp3, plannedStopTcp3 } from "./kvraft-tcp.js";

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

/**
 * The etcd scenario measuring the same thing as raftkit's `ours` (named etcd-<ours without
 * "kvraft-">): the same clients, window and kill, on etcd. A planned stop sends etcd SIGTERM.
 */
function yardstickOf(ours: Scenario, description: string, stop?: "SIGTERM"): Scenario {
  return {
    name: `etcd-${ours.name.replace(/^kvraft-/, "")}`,
    description,
    transport: "tcp",
    servers: ours.servers,
    ...(ours.failover ? { failover: true } : {}),
    ...(ours.clients ? { clients: ours.clients } : {}),
    ...(ours.minDurationMs ? { minDurationMs: ours.minDurationMs } : {}),
    requires: "etcd",
    counterpart: ours.name,
    deploy: (options) => deploy(ours.servers, options.timing, stop),
  };
}

export const etcdTcp3 = yardstickOf(
  kvraftTcp3,
  "etcd (3 members on loopback, fsync on) through its HTTP/JSON gateway: kvraft-tcp-3's yardstick",
);
export const etcdFailoverTcp3 = yardstickOf(
  failoverTcp3,
  "etcd-tcp-3 with the leader killed (-9) a third of the way in",
);
export const etcdPlannedStopTcp3 = yardstickOf(
  plannedStopTcp3,
  "etcd-tcp-3 with the leader stopped (SIGTERM: etcd hands leadership over first) a third of the way in",
  "SIGTERM",
);
