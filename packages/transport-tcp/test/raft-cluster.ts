import { RealClock, realRandom } from "@raftkit/labrpc";
import { FilePersister } from "@raftkit/persister-file";
import {
  type ApplyMsg,
  type CallResult,
  MemoryPersister,
  RaftNode,
  type RaftStorage,
  type Transport,
} from "@raftkit/raft";
import { TcpTransport } from "../src/index.js";
import { eventually } from "./helpers.js";

type Handler = Parameters<Transport["listen"]>[0];

/**
 * Lets a test "pull the cable": `cut()` closes the real TCP transport (listener and every link),
 * `mend()` binds a fresh one to the same port. The raft node keeps running throughout.
 */
class Cable implements Transport {
  private handler: Handler | undefined;
  private inner: TcpTransport | undefined;

  constructor(private readonly make: () => TcpTransport) {}

  async plug(): Promise<void> {
    const inner = this.make();
    if (this.handler) inner.listen(this.handler);
    await inner.start();
    this.inner = inner;
  }

  async cut(): Promise<void> {
    const inner = this.inner;
    this.inner = undefined;
    await inner?.close();
  }

  call(to: number, method: string, args: unknown): Promise<CallResult<unknown>> {
    return this.inner ? this.inner.call(to, method, args, 500) : Promise.resolve({ ok: false });
  }

  listen(handler: Handler): void {
    this.handler = handler;
    this.inner?.listen(handler);
  }

  close(): Promise<void> {
    return this.cut();
  }
}

export interface Member {
  node: RaftNode<string>;
  cable: Cable;
  storage: RaftStorage<string>;
  applied: string[];
}

/** A raft cluster on 127.0.0.1 over real TCP and the real clock, with memory or file storage. */
export class TcpRaftCluster {
  readonly members: Array<Member | undefined> = [];
  private readonly addresses: string[] = [];

  private constructor(
    readonly size: number,
    private readonly dirs: string[] | undefined,
  ) {}

  /** Starts `size` members; with `dirs`, each keeps its state in a FilePersister there. */
  static async start(size: number, dirs?: string[]): Promise<TcpRaftCluster> {
    const cluster = new TcpRaftCluster(size, dirs);
    // Bind every port first, so each member can be told where the others are.
    const probes = Array.from(
      { length: size },
      (_, self) => new TcpTransport({ cluster: "raft", self, listen: "127.0.0.1:0" }),
    );
    for (const probe of probes) cluster.addresses.push(`127.0.0.1:${(await probe.start())!.port}`);
    await Promise.all(probes.map((p) => p.close()));
    for (let i = 0; i < size; i++) await cluster.startMember(i, undefined);
    return cluster;
  }

  /** (Re)starts member i, with `storage` or a fresh one (a reopened FilePersister when it has a dir). */
  async startMember(i: number, storage: RaftStorage<string> | undefined): Promise<Member> {
    const cable = new Cable(
      () =>
        new TcpTransport({
          cluster: "raft",
          self: i,
          peers: this.addresses,
          log: () => {},
          backoff: { initialMs: 20, maxMs: 200 },
        }),
    );
    await cable.plug();
    const store =
      storage ??
      (this.dirs ? await FilePersister.open<string>(this.dirs[i]!) : new MemoryPersister<string>());
    // By raft index; raft's no-op entries leave holes, which `applied` skips.
    const slots: string[] = [];
    const node = new RaftNode<string>({
      id: i,
      peerCount: this.size,
      transport: cable,
      storage: store,
      clock: new RealClock(),
      random: realRandom,
      onApply: (message: ApplyMsg<string>) => {
        if (message.kind === "command") slots[message.index - 1] = message.command;
      },
    });
    const member = {
      node,
      cable,
      storage: store,
      get applied(): string[] {
        return slots.filter((command) => command !== undefined);
      },
    };
    this.members[i] = member;
    return member;
  }

  /** Stops member i as a crash would: its node dies and its port closes. */
  async crash(i: number): Promise<RaftStorage<string>> {
    const member = this.members[i]!;
    member.node.kill();
    await member.cable.cut();
    if (member.storage instanceof FilePersister) await member.storage.close();
    this.members[i] = undefined;
    return member.storage;
  }

  /** The one member that says it is leader of the highest term, once there is one. */
  async leader(withinMs = 5000, among: number[] = [...this.members.keys()]): Promise<number> {
    let found = -1;
    await eventually(
      () => {
        let best = -1;
        let term = -1;
        for (const i of among) {
          const state = this.members[i]?.node.getState();
          if (state?.isLeader && state.term > term) {
            best = i;
            term = state.term;
          }
        }
        found = best;
        return best >= 0;
      },
      withinMs,
      "a leader",
    );
    return found;
  }

  /** Proposes `command` at whichever member leads, retrying across elections; returns its index. */
  async propose(command: string, among?: number[]): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const leader = await this.leader(5000, among);
      const result = this.members[leader]!.node.start(command);
      if (result.isLeader) return result.index;
    }
    throw new Error(`no leader accepted ${command}`);
  }

  /** Waits until the given members have applied `commands` as their log prefix. */
  async applied(commands: string[], members: number[], withinMs = 5000): Promise<void> {
    await eventually(
      () => members.every((i) => commands.every((c, k) => this.members[i]?.applied[k] === c)),
      withinMs,
      `members ${members} to apply ${commands.length} commands`,
    );
  }

  async stop(): Promise<void> {
    for (let i = 0; i < this.size; i++) if (this.members[i]) await this.crash(i);
  }
}
