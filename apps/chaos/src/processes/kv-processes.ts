import { ADMIN_STATUS, type MemberStatus } from "@raftkit/kv-cli";
import { type ServeProcess, spawnServe } from "@raftkit/kv-cli/testkit";
import { TcpTransport } from "@raftkit/transport-tcp";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { FaultProxy } from "./fault-proxy.js";

interface Running extends ServeProcess {
  stopped: boolean;
}

/**
 * `raftkit-kv serve` members on 127.0.0.1, each with a data directory, and a FaultProxy for every
 * ordered pair: member i reaches member j only through `proxy(i, j)`, so each direction of each
 * link can be cut, delayed or made to drop. Clients reach the members directly.
 */
export class KvProcesses {
  readonly #running: (Running | undefined)[];
  readonly #proxies = new Map<string, FaultProxy>();
  readonly #status: TcpTransport;

  private constructor(
    readonly addresses: readonly string[],
    private readonly peerLists: readonly string[][],
    private readonly dataDir: (i: number) => string,
  ) {
    this.#running = new Array(addresses.length).fill(undefined);
    this.#status = new TcpTransport({
      cluster: "raftkit",
      self: "chaos-status",
      peers: [...addresses],
      callTimeoutMs: 300,
      log: () => {},
    });
  }

  static async create(n: number, dataDir: (i: number) => string, random: () => number): Promise<KvProcesses> {
    const ports = await freePorts(n);
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    const proxies = new Map<string, FaultProxy>();
    const peerLists: string[][] = [];
    for (let i = 0; i < n; i++) {
      const list: string[] = [];
      for (let j = 0; j < n; j++) {
        if (i === j) {
          list.push(addresses[i]!);
          continue;
        }
        const proxy = new FaultProxy({ host: "127.0.0.1", port: ports[j]! }, random);
        list.push(await proxy.start());
        proxies.set(`${i}>${j}`, proxy);
      }
      peerLists.push(list);
    }
    const cluster = new KvProcesses(addresses, peerLists, dataDir);
    for (const [key, proxy] of proxies) cluster.#proxies.set(key, proxy);
    return cluster;
  }

  get size(): number {
    return this.addresses.length;
  }

  /** The proxy carrying what member `from` sends to member `to`. */
  proxy(from: number, to: number): FaultProxy {
    const proxy = this.#proxies.get(`${from}>${to}`);
    if (!proxy) throw new RangeError(`no link ${from} -> ${to}`);
    return proxy;
  }

  start(i: number): void {
    const flags = ["--id", String(i), "--peers", this.peerLists[i]!.join(","), "--data", this.dataDir(i)];
    this.#running[i] = { ...spawnServe(flags), stopped: false };
  }

  isRunning(i: number): boolean {
    return this.#running[i] !== undefined;
  }

  /** kill -9: nothing flushed, nothing closed. */
  async kill9(i: number): Promise<void> {
    const m = this.#running[i];
    if (!m) return;
    m.child.kill("SIGKILL");
    await m.exited;
    this.#running[i] = undefined;
  }

  /** SIGSTOP / SIGCONT: the process freezes with its sockets open, then goes on. */
  pause(i: number): void {
    const m = this.#running[i];
    if (m && !m.stopped) {
      m.child.kill("SIGSTOP");
      m.stopped = true;
    }
  }

  resume(i: number): void {
    const m = this.#running[i];
    if (m?.stopped) {
      m.child.kill("SIGCONT");
      m.stopped = false;
    }
  }

  /** Members that say they lead, by Admin.Status (unreachable ones are skipped). */
  async leaders(): Promise<{ id: number; term: number }[]> {
    const states = await Promise.all(
      this.addresses.map(async (_, i) => {
        if (!this.#running[i] || this.#running[i]?.stopped) return undefined;
        const result = await this.#status.call(i, ADMIN_STATUS, {});
        return result.ok ? (result.reply as MemberStatus) : undefined;
      }),
    );
    return states.flatMap((s) => (s?.isLeader ? [{ id: s.id, term: s.term }] : []));
  }

  logOf(i: number): readonly string[] {
    return this.#running[i]?.log ?? [];
  }

  /** Heals every link and resumes every paused member. */
  healAll(): void {
    for (const proxy of this.#proxies.values()) proxy.heal();
    for (let i = 0; i < this.size; i++) this.resume(i);
  }

  async close(): Promise<void> {
    for (let i = 0; i < this.size; i++) this.resume(i);
    await Promise.all(this.#running.map((_, i) => this.kill9(i)));
    await Promise.all([...this.#proxies.values()].map((p) => p.close()));
    await this.#status.close();
  }
}
