import { type Network, randomName, type Simulation } from "@raftkit/labrpc";
import type { ServerEnd } from "../client/ends.js";

/**
 * One client's ends to every replica, each with its own labrpc end name so the client's links can
 * be cut and restored without touching the replicas' links. `ends` lists them in a random order
 * (a client must not rely on the order); each carries the replica's id.
 */
export class ClientLinks {
  readonly ends: readonly ServerEnd[];
  readonly #names: readonly string[];

  constructor(
    private readonly net: Network,
    sim: Simulation,
    n: number,
    makeEnd: (name: string, server: number) => ServerEnd,
  ) {
    this.#names = Array.from({ length: n }, () => randomName(sim.random, 20));
    const ends = this.#names.map((name, j) => makeEnd(name, j));
    for (let i = n - 1; i > 0; i--) {
      const k = sim.random.int(i + 1);
      [ends[i], ends[k]] = [ends[k]!, ends[i]!];
    }
    this.ends = ends;
  }

  /** Enables this client's links to the replicas in `to`. */
  connect(to: readonly number[]): void {
    for (const j of to) this.net.enable(this.#names[j]!, true);
  }

  /** Cuts this client's links to the replicas in `from`. */
  disconnect(from: readonly number[]): void {
    for (const j of from) this.net.enable(this.#names[j]!, false);
  }

  /** Removes the ends from the network. */
  remove(): void {
    for (const name of this.#names) this.net.deleteEnd(name);
  }
}
