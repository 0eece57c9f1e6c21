import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN_STATUS, type MemberStatus } from "@raftkit/kv-cli";
import { Clerk } from "@raftkit/kvraft";
import { endsOf, SERVICE_WIRE_CODECS } from "@raftkit/service";
import { TcpTransport } from "@raftkit/transport-tcp";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { onExit } from "../exit-cleanup.js";
import { ownCpuUs, ServerCpu } from "../process-cpu.js";
import { spawnMember } from "../raftkit-kv.js";
import type { Counters, Deployment, DeployOptions, Scenario } from "../scenario.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `servers` raftkit-kv processes on 127.0.0.1, each with its own data directory and real fsync
 * (the durable file persister), and the clients in this process over one TCP transport.
 */
async function deploy(
  servers: number,
  options: DeployOptions,
  stop: "SIGKILL" | "SIGTERM" = "SIGKILL",
): Promise<Deployment> {
  const data = mkdtempSync(join(tmpdir(), "raftkit-bench-"));
  const peers = (await freePorts(servers)).map((p) => `127.0.0.1:${p}`);
  const started = Date.now();
  const children: Array<ChildProcess | undefined> = peers.map((_, id) =>
    spawnMember({ id, peers, data: join(data, `${id}`), started }, options),
  );
  const removeAll = () => {
    for (const c of children) c?.kill("SIGKILL");
    rmSync(data, { recursive: true, force: true, maxRetries: 5 });
  };
  const unregister = onExit(removeAll);
  const tcp = new TcpTransport({
    cluster: "raftkit",
    self: "bench",
    peers,
    callTimeoutMs: 1000,
    codecs: SERVICE_WIRE_CODECS,
    log: () => {},
  });
  const status = async (): Promise<Array<MemberStatus | undefined>> =>
    Promise.all(
      peers.map(async (_, id) => {
        if (!children[id]) return undefined;
        const r = await tcp.call(id, ADMIN_STATUS, null);
        return r.ok ? (r.reply as MemberStatus) : undefined;
      }),
    );
  const deadline = performance.now() + 15_000;
  while (!(await status()).some((s) => s?.isLeader)) {
    if (performance.now() > deadline) {
      await tcp.close();
      removeAll();
      unregister();
      throw new Error(`no leader among ${peers.join(", ")} within 15 s`);
    }
    await sleep(50);
  }
  // Members that were killed keep their last counters, so totals never go backwards.
  const last: Array<MemberStatus | undefined> = [];
  const cpu = new ServerCpu(() => children.map((c) => c?.pid));
  const counters = async (): Promise<Counters> => {
    for (const [id, s] of (await status()).entries()) if (s) last[id] = s;
    const own = tcp.stats();
    return {
      rpcs: own.calls + last.reduce((n, s) => n + (s?.transport.calls ?? 0), 0),
      bytes: own.bytesSent + last.reduce((n, s) => n + (s?.transport.bytesSent ?? 0), 0),
      cpuUs: { servers: cpu.read(), client: ownCpuUs() },
    };
  };
  return {
    makeClients: (n) =>
      Array.from(
        { length: n },
        () =>
          new Clerk(
            endsOf(
              tcp,
              peers.map((_, i) => i),
            ),
          ),
      ),
    counters,
    async killLeader() {
      const leader = (await status()).findIndex((s) => s?.isLeader);
      if (leader < 0) return;
      const child = children[leader];
      children[leader] = undefined;
      child?.kill(stop);
      // A planned stop hands leadership over before the process exits; count from the signal.
      if (stop === "SIGTERM" && child) await new Promise((resolve) => child.once("exit", resolve));
    },
    async close() {
      const exits = children.map((c) => c && new Promise((resolve) => c.once("exit", resolve)));
      for (const c of children) c?.kill("SIGTERM");
      await Promise.all(exits);
      await tcp.close();
      rmSync(data, { recursive: true, force: true });
      unregister();
    },
  };
}

export const kvraftTcp3: Scenario = {
  name: "kvraft-tcp-3",
  description: "kvraft, 3 server processes over TCP on loopback, durable file persister (fsync)",
  transport: "tcp",
  servers: 3,
  deploy: (options) => deploy(3, options),
};

export const failoverTcp3: Scenario = {
  name: "failover-tcp-3",
  description: "kvraft-tcp-3 with the leader process killed (-9) a third of the way in",
  transport: "tcp",
  servers: 3,
  failover: true,
  clients: [8],
  minDurationMs: 2000,
  deploy: (options) => deploy(3, options),
};

export const plannedStopTcp3: Scenario = {
  name: "planned-stop-tcp-3",
  description:
    "kvraft-tcp-3 with the leader process stopped (SIGTERM: it hands leadership over first) a third of the way in",
  transport: "tcp",
  servers: 3,
  failover: true,
  clients: [8],
  minDurationMs: 2000,
  deploy: (options) => deploy(3, options, "SIGTERM"),
};
