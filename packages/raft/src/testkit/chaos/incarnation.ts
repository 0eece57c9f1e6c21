import { type ClientEnd, type Network, randomName, Server, Service } from "@raftkit/labrpc";
import type { Clock, Random, Transport } from "../../interfaces.js";
import { type CallableEnd, LabrpcTransport } from "../../transport/labrpc.js";
import type { LinkFaults } from "./link-faults.js";
import type { ChaosMember } from "./member.js";
import { PausableClock } from "./pausable-clock.js";

/** One incarnation of a member: what it runs on, and the ends it dials with. */
export interface Incarnation {
  readonly member: ChaosMember;
  readonly clock: PausableClock;
  /** The ends it dialled so far (a crash deletes them). */
  readonly endNames: readonly string[];
}

export interface Wiring {
  readonly net: Network;
  readonly links: LinkFaults;
  readonly clock: Clock;
  readonly random: Random;
  /** Ids 0 .. founders-1 started the cluster. */
  readonly founders: number;
  /** Every id the cluster may use: end j of each member reaches id j (a server only once started). */
  readonly slots: number;
  /** Sees every AppendEntries member `from` sends: a claim to lead its term. */
  readonly claimsLeadership: (from: number, args: unknown) => void;
}

/**
 * Wires a new incarnation of member `i` into the labrpc network: one end per id through the
 * link faults (an id not started yet is unreachable, as an address with no process is),
 * a transport that lets election safety see every AppendEntries, and its labrpc server, whose
 * handlers a paused member takes only once it resumes. `build` makes the member.
 */
export function wireIncarnation(
  i: number,
  wiring: Wiring,
  build: (transport: Transport, clock: PausableClock) => ChaosMember,
): Incarnation {
  const clock = new PausableClock(wiring.clock);
  const gate = () => clock.gate();
  const endNames: string[] = [];
  const endTo = (j: number): CallableEnd => {
    const name = randomName(wiring.random, 20);
    endNames.push(name);
    const end: ClientEnd = wiring.net.makeEnd(name);
    wiring.net.connect(name, j);
    wiring.net.enable(name, true);
    return wiring.links.wrap(end, i, j, gate);
  };
  // The founders' ends exist from the start; a member added later is dialled once raft first
  // calls it, which it does once a configuration names it (as a transport learns an address).
  const ends: (CallableEnd | undefined)[] = Array.from({ length: wiring.founders }, (_, j) => endTo(j));
  const dial = (j: number): CallableEnd => {
    const end = ends[j] ?? endTo(j);
    ends[j] = end;
    return end;
  };
  const raw = new LabrpcTransport((j) => (j >= 0 && j < wiring.slots ? dial(j) : undefined));
  // A paused member takes raft's requests, like its clients', only once it resumes.
  const transport: Transport = {
    call: (to, method, args) => {
      if (method === "AppendEntries") wiring.claimsLeadership(i, args);
      return raw.call(to, method, args);
    },
    listen: (handler) => raw.listen(gated({ handler }, gate).handler!),
  };
  const member = build(transport, clock);
  const server = new Server();
  raw.register(server);
  for (const [name, handlers] of Object.entries(member.services ?? {})) {
    server.addService(new Service(name, gated(handlers, gate)));
  }
  wiring.net.addServer(i, server);
  return { member, clock, endNames };
}

/** Wraps handlers so a paused member takes requests only once it resumes. */
function gated<F extends (...args: never[]) => unknown>(
  handlers: Readonly<Record<string, F>>,
  gate: () => Promise<void> | undefined,
): Record<string, F> {
  const out: Record<string, F> = {};
  for (const [method, handler] of Object.entries(handlers)) {
    out[method] = ((...args: Parameters<F>) => {
      const wait = gate();
      return wait ? wait.then(() => handler(...args)) : handler(...args);
    }) as F;
  }
  return out;
}
