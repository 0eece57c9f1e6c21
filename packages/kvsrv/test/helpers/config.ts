import { Network, randomName, type Simulation } from "@raftkit/labrpc";
import { Clerk, KvServer } from "../../src/index.js";
import { endTransport, serverTransport } from "./labrpc-transport.js";
import type { KvOperation } from "./linearizability.js";

const SERVER = 0;
/** Virtual cost of one RPC on top of labrpc's own delays (a reliable labrpc call takes no time). */
export const RPC_LATENCY_MS = 0.25;
/** The lab's per-test limit, here in virtual time. */
const TEST_LIMIT_MS = 120_000;

export interface ClientHandle {
  readonly clerk: Clerk;
  readonly endName: string;
}

/** The lab's kvsrv harness: one server on a labrpc network, clerks on fresh random ends. */
export class KvTestConfig {
  readonly net: Network;
  readonly server: KvServer;
  private t0 = 0;
  private rpcs0 = 0;
  private ops = 0;
  private events = 0;

  constructor(
    readonly sim: Simulation,
    options: { reliable: boolean; server?: KvServer },
  ) {
    this.net = new Network({ clock: sim, random: sim.random });
    this.net.setReliable(options.reliable);
    this.server = (options.server ?? new KvServer()).listen(serverTransport(this.net, SERVER));
  }

  makeClient(): ClientHandle {
    const endName = randomName(this.sim.random);
    const end = this.net.makeEnd(endName);
    this.net.connect(endName, SERVER);
    this.net.enable(endName, true);
    const clerk = new Clerk(endTransport(end, this.sim, RPC_LATENCY_MS), {
      clock: this.sim,
      random: this.sim.random,
    });
    return { clerk, endName };
  }

  deleteClient(client: ClientHandle): void {
    this.net.deleteEnd(client.endName);
  }

  begin(title: string): void {
    console.log(`${title} ...`);
    this.t0 = this.sim.now();
    this.rpcs0 = this.net.getTotalCount();
    this.ops = 0;
  }

  op(): void {
    this.ops++;
  }

  /**
   * A timestamp for the history: virtual ms, plus a nanosecond per event recorded so far. The
   * simulation is single-threaded, so the order in which calls and returns are recorded is a true
   * real-time order; the tie-break keeps an operation that returned before another was called
   * (at the same virtual instant) from counting as concurrent with it.
   */
  stamp(): number {
    return this.sim.now() + 1e-6 * this.events++;
  }

  /** Checks the time limit and prints the lab's kvsrv Passed line. */
  end(): void {
    const elapsed = this.sim.now() - this.t0;
    if (elapsed > TEST_LIMIT_MS) throw new Error("test took longer than 120 seconds");
    const t = (elapsed / 1000).toFixed(1).padStart(4);
    const nrpc = String(this.net.getTotalCount() - this.rpcs0).padStart(5);
    const ops = String(this.ops).padStart(4);
    console.log(`  ... Passed -- t ${t} nrpc ${nrpc} ops ${ops}`);
  }

  cleanup(): void {
    this.net.cleanup();
  }
}

/** A history to check, or undefined to record nothing (as the lab's `nil` log). */
export type History = KvOperation[] | undefined;

export async function get(
  cfg: KvTestConfig,
  ck: Clerk,
  key: string,
  log: History,
  cli: number,
): Promise<string> {
  const call = cfg.stamp();
  const value = await ck.get(key);
  const ret = cfg.stamp();
  cfg.op();
  log?.push({ clientId: cli, input: { op: "get", key }, call, output: { value }, return: ret });
  return value;
}

export async function put(
  cfg: KvTestConfig,
  ck: Clerk,
  key: string,
  value: string,
  log: History,
  cli: number,
) {
  const call = cfg.stamp();
  await ck.put(key, value);
  const ret = cfg.stamp();
  cfg.op();
  log?.push({ clientId: cli, input: { op: "put", key, value }, call, output: {}, return: ret });
}

export async function append(
  cfg: KvTestConfig,
  ck: Clerk,
  key: string,
  value: string,
  log: History,
  cli: number,
) {
  const call = cfg.stamp();
  const old = await ck.append(key, value);
  const ret = cfg.stamp();
  cfg.op();
  log?.push({
    clientId: cli,
    input: { op: "append", key, value },
    call,
    output: { value: old },
    return: ret,
  });
  return old;
}
