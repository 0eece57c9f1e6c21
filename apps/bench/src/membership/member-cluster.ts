import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN_STATUS, type MemberStatus } from "@raftkit/kv-cli";
import { Clerk } from "@raftkit/kvraft";
import type { Membership, MembershipChange } from "@raftkit/raft";
import { endsOf, SERVICE_WIRE_CODECS, ServiceClient } from "@raftkit/service";
import { TcpTransport } from "@raftkit/transport-tcp";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { onExit } from "../exit-cleanup.js";
import { spawnMember } from "../raftkit-kv.js";
import type { DeployOptions } from "../scenario.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface MemberClusterOptions extends DeployOptions {
  /** Members 0..founders-1 start the cluster; the others (up to `members`) join when asked. */
  founders: number;
  members: number;
  maxRaftStateBytes?: number | undefined;
  /** Every wait (a leader, a change, a member answering) gives up after this long. */
  limitMs: number;
}

/**
 * `raftkit-kv serve` processes on 127.0.0.1 whose membership changes while they serve: the
 * founders start at once, the others only when `startJoiner` is called (`serve --join`). Every
 * address is known up front, so one client transport reaches members added later.
 */
export class MemberCluster {
  readonly #children: Array<ChildProcess | undefined> = [];
  readonly #tcp: TcpTransport;
  /** The operator's client: the service layer's membership admin. */
  readonly #admin: ServiceClient;
  readonly #dir: string;
  readonly #unregister: () => void;

  private constructor(
    readonly addresses: readonly string[],
    readonly options: MemberClusterOptions,
  ) {
    this.#dir = mkdtempSync(join(tmpdir(), "raftkit-bench-membership-"));
    this.#tcp = new TcpTransport({
      cluster: "raftkit",
      self: "bench",
      peers: [...addresses],
      callTimeoutMs: 1000,
      codecs: SERVICE_WIRE_CODECS,
      log: () => {},
    });
    this.#admin = new ServiceClient(
      endsOf(
        this.#tcp,
        addresses.map((_, i) => i),
      ),
      { timeoutMs: options.limitMs, retryDelayMs: 5 },
    );
    this.#unregister = onExit(() => {
      for (const c of this.#children) c?.kill("SIGKILL");
      rmSync(this.#dir, { recursive: true, force: true, maxRetries: 5 });
    });
  }

  /** Starts the founders and waits until one of them leads. */
  static async start(options: MemberClusterOptions): Promise<MemberCluster> {
    const addresses = (await freePorts(options.members)).map((p) => `127.0.0.1:${p}`);
    const cluster = new MemberCluster(addresses, options);
    try {
      for (let id = 0; id < options.founders; id++) cluster.#spawn(id);
      await cluster.leader();
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  #spawn(id: number, joinAt?: string): void {
    const founders = this.addresses.slice(0, this.options.founders);
    this.#children[id] = spawnMember(
      {
        id,
        peers: founders,
        data: join(this.#dir, `${id}`),
        ...(joinAt ? { joinAt } : {}),
        ...(this.options.maxRaftStateBytes ? { maxRaftStateBytes: this.options.maxRaftStateBytes } : {}),
        started: 0,
      },
      this.options,
    );
  }

  /** Starts member `id` as a new, empty member joining the cluster; resolves once it answers. */
  async startJoiner(id: number): Promise<void> {
    this.#spawn(id, this.addresses[id]);
    await this.until(`member ${id} answering`, async () => this.status(id));
  }

  /** Kills member `id` (-9): a machine that died. */
  kill(id: number): void {
    this.#children[id]?.kill("SIGKILL");
    this.#children[id] = undefined;
  }

  /** Clients with their own sessions, knowing every member's address. */
  makeClients(n: number): Clerk[] {
    const ids = this.addresses.map((_, i) => i);
    return Array.from({ length: n }, () => new Clerk(endsOf(this.#tcp, ids)));
  }

  async status(id: number): Promise<MemberStatus | undefined> {
    if (!this.#children[id]) return undefined;
    const r = await this.#tcp.call(id, ADMIN_STATUS, null);
    return r.ok ? (r.reply as MemberStatus) : undefined;
  }

  /** The member leading now (waits for one). */
  async leader(): Promise<number> {
    return this.until("a leader", async () => {
      const all = await Promise.all(this.addresses.map((_, id) => this.status(id)));
      return all.find((s) => s?.isLeader)?.id;
    });
  }

  /** The configuration as the leader has it. */
  async membership(): Promise<Membership> {
    return (await this.#admin.members()).membership;
  }

  /**
   * Makes `change` on the leader and resolves once it is committed; a refusal for now (another
   * change pending, a learner still catching up, a new leader) is retried.
   */
  async change(change: MembershipChange): Promise<Membership> {
    return (await this.#admin.changeMembership(change)).membership;
  }

  /** Waits until `probe` gives a value, trying again every 5 ms, at most `limitMs`. */
  async until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = performance.now() + this.options.limitMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (performance.now() > deadline) throw new Error(`${what}: not within ${this.options.limitMs} ms`);
      await sleep(5);
    }
  }

  async close(): Promise<void> {
    // A removed member has stopped itself already.
    const running = this.#children.filter((c) => c && c.exitCode === null && c.signalCode === null);
    const exits = running.map((c) => new Promise((resolve) => c?.once("exit", resolve)));
    for (const c of running) c?.kill("SIGTERM");
    await Promise.all(exits);
    await this.#tcp.close();
    rmSync(this.#dir, { recursive: true, force: true, maxRetries: 5 });
    this.#unregister();
  }
}
