import { type ClientEnd, Network, randomName, Server, Service, type Simulation } from "@raftkit/labrpc";
import { type CallableEnd, LabrpcTransport, MemoryPersister, type StateMachine } from "@raftkit/raft";
import { ServiceClient } from "../client/client.js";
import type { ServiceClientOptions } from "../client/client-options.js";
import type { ServerEnd } from "../client/ends.js";
import type { ReplicatedServiceOptions } from "../options.js";
import type { ServiceEntry } from "../replica/entry.js";
import { labrpcHandlers, serviceHandler, type WireParsers } from "../replica/rpc.js";
import { ReplicatedService } from "../service.js";
import { ClientLinks } from "./client-links.js";

/** What the cluster builds each replica from; everything but the wiring is yours to set. */
export type ReplicaSettings<C, R, Q, A> = Omit<
  ReplicatedServiceOptions<C, R, Q, A>,
  "id" | "peerCount" | "transport" | "storage" | "stateMachine" | "clock" | "random"
>;

/** A replica as the cluster runs it: the service, plus any labrpc services of your own protocol. */
export interface ReplicaHandle<C, R, Q, A> {
  readonly service: ReplicatedService<C, R, Q, A>;
  readonly services?: readonly Service[];
}

export interface ServiceClusterOptions<C, R, Q, A> {
  /** Number of replicas. */
  servers: number;
  /** A fresh state machine for each replica incarnation. */
  stateMachine: () => StateMachine<C, R, Q, A>;
  /** Options for every replica (snapshot policy, reads, timeouts, raft timing ...). */
  replica?: ReplicaSettings<C, R, Q, A>;
  /** Checks commands and queries arriving over the wire. */
  parsers?: WireParsers<C, Q>;
  /** Builds each replica (default: a ReplicatedService with these options): to test a service built on one. */
  makeReplica?: (options: ReplicatedServiceOptions<C, R, Q, A>) => ReplicaHandle<C, R, Q, A>;
  /** Unreliable network: 10% of requests and replies lost, 0-27 ms delays. */
  unreliable?: boolean;
  /** 2/3 of replies arrive 200-2200 ms late. */
  longReordering?: boolean;
}

/**
 * A service cluster in simulation: n replicas on a labrpc network, each a ReplicatedService over a
 * MemoryPersister, serving raft and the service's RPC methods on one labrpc server. Partitions
 * cut server links (client links are separate), `crash` loses nothing durable and `restart` comes
 * back from a copy of the storage with fresh endpoint names (the lab's rules). Clients get their
 * own ends, which can be attached to a subset of the replicas.
 */
export class ServiceCluster<C, R, Q, A> {
  readonly net: Network;
  readonly n: number;
  readonly #replicas: (ReplicaHandle<C, R, Q, A> | undefined)[];
  readonly #storage: (MemoryPersister<ServiceEntry<C>> | undefined)[];
  readonly #endNames: string[][];

  constructor(
    readonly sim: Simulation,
    readonly options: ServiceClusterOptions<C, R, Q, A>,
  ) {
    this.n = options.servers;
    this.net = new Network({ clock: sim, random: sim.random });
    this.net.setReliable(!options.unreliable);
    this.net.setLongDelays(false);
    this.net.setLongReordering(options.longReordering ?? false);
    this.#replicas = new Array(this.n).fill(undefined);
    this.#storage = new Array(this.n).fill(undefined);
    this.#endNames = Array.from({ length: this.n }, () => []);
    for (let i = 0; i < this.n; i++) this.restart(i);
    this.connectAll();
  }

  /** Every replica index, 0 .. n-1. */
  all(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  /** Replica i's service (undefined while crashed). */
  replica(i: number): ReplicatedService<C, R, Q, A> | undefined {
    return this.#replicas[i]?.service;
  }

  /** Replica i's storage (kept across a crash). */
  storage(i: number): MemoryPersister<ServiceEntry<C>> | undefined {
    return this.#storage[i];
  }

  /** A replica that believes it leads, if any (the first found). */
  leader(): number | undefined {
    return this.all().find((i) => this.replica(i)?.leadership.role === "leader");
  }

  // ---- server links ----------------------------------------------------------------------------

  /** Enables the links between replica i and each of `to`, both ways. */
  connect(i: number, to: readonly number[]): void {
    for (const j of to) this.#enable(i, j, true);
  }

  /** Cuts the links between replica i and each of `from`, both ways. */
  disconnect(i: number, from: readonly number[]): void {
    for (const j of from) this.#enable(i, j, false);
  }

  connectAll(): void {
    for (const i of this.all()) this.connect(i, this.all());
  }

  /** Replicas talk within each group only (a replica in no group is cut off). Client links are untouched. */
  partition(...groups: readonly (readonly number[])[]): void {
    const groupOf = new Map<number, number>();
    groups.forEach((group, g) => {
      for (const i of group) groupOf.set(i, g);
    });
    for (const i of this.all()) {
      for (const j of this.all()) {
        const together = i === j || (groupOf.has(i) && groupOf.get(i) === groupOf.get(j));
        this.#enable(i, j, together);
      }
    }
  }

  // ---- crashes -----------------------------------------------------------------------------------

  /** Crashes replica i: cut off and stopped; its storage keeps what was durable. */
  crash(i: number): void {
    this.disconnect(i, this.all());
    this.net.deleteServer(i);
    const storage = this.#storage[i];
    if (storage) this.#storage[i] = storage.copy();
    void this.#replicas[i]?.service.close();
    this.#replicas[i] = undefined;
  }

  /** (Re)starts replica i from a copy of its storage, with fresh (disabled) links: `connect` it. */
  restart(i: number): void {
    if (this.#replicas[i]) this.crash(i);
    const names = this.all().map(() => randomName(this.sim.random, 20));
    const transport = new LabrpcTransport(names.map((name, j) => this.#end(name, j)));
    this.#endNames[i] = names;
    const storage = this.#storage[i]?.copy() ?? new MemoryPersister<ServiceEntry<C>>();
    this.#storage[i] = storage;
    const options: ReplicatedServiceOptions<C, R, Q, A> = {
      ...this.options.replica,
      id: i,
      peerCount: this.n,
      transport,
      storage,
      stateMachine: this.options.stateMachine(),
      clock: this.sim,
      random: this.sim.random,
    };
    const handle = this.options.makeReplica?.(options) ?? { service: new ReplicatedService(options) };
    this.#replicas[i] = handle;
    const server = new Server();
    server.addService(
      new Service("Service", labrpcHandlers(serviceHandler(handle.service, this.options.parsers))),
    );
    for (const service of handle.services ?? []) server.addService(service);
    transport.register(server);
    this.net.addServer(i, server);
  }

  // ---- clients -----------------------------------------------------------------------------------

  /** Fresh client ends to every replica (in a random order), enabled for those in `to`. */
  clientLinks(to: readonly number[] = this.all()): ClientLinks {
    const links = new ClientLinks(this.net, this.sim, this.n, (name, j) => this.#end(name, j));
    links.connect(to);
    return links;
  }

  /** A ServiceClient on fresh links, enabled for the replicas in `to` (default all). */
  client(
    options: ServiceClientOptions & { to?: readonly number[] } = {},
  ): ServiceClient<C, R, Q, A> & { readonly links: ClientLinks } {
    const links = this.clientLinks(options.to);
    const client = new ServiceClient<C, R, Q, A>(links.ends, {
      clock: this.sim,
      random: this.sim.random,
      ...options,
    });
    return Object.assign(client, { links });
  }

  // ---- sizes and lifecycle -----------------------------------------------------------------------

  /** The largest persisted raft state among the replicas, in bytes. */
  logSize(): number {
    return Math.max(0, ...this.#storage.map((s) => s?.raftStateSize() ?? 0));
  }

  /** The largest snapshot among the replicas, in bytes. */
  snapshotSize(): number {
    return Math.max(0, ...this.#storage.map((s) => s?.snapshotSize() ?? 0));
  }

  /** Stops every replica and the network. */
  async close(): Promise<void> {
    for (const replica of this.#replicas) await replica?.service.close();
    this.net.cleanup();
  }

  #enable(i: number, j: number, on: boolean): void {
    const out = this.#endNames[i]?.[j];
    if (out !== undefined) this.net.enable(out, on);
    const back = this.#endNames[j]?.[i];
    if (back !== undefined) this.net.enable(back, on);
  }

  /** An end to replica j, whose calls never overtake each other (like one TCP connection) and take 1-3 ms. */
  #end(name: string, j: number): CallableEnd & ServerEnd {
    const end: ClientEnd = this.net.makeEnd(name);
    this.net.connect(name, j);
    let lastArrival = Number.NEGATIVE_INFINITY;
    return {
      id: j,
      call: async (method, args) => {
        lastArrival = Math.max(this.sim.now() + 1 + 2 * this.sim.random.float(), lastArrival);
        await this.sim.sleep(lastArrival - this.sim.now());
        return end.call(method, args);
      },
    };
  }
}
