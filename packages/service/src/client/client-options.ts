import type { Clock, Random } from "@raftkit/raft";
import type { MembersView } from "../membership.js";
import type { ServerEnd } from "./ends.js";

export interface ServiceClientOptions {
  /** Time for timeouts and the pause between rounds of retries (default: the real clock). */
  clock?: Clock;
  /** Randomness for the first replica tried and retry jitter (default: Math.random). */
  random?: Random;
  /** The cluster's name, sent with every request: a replica of another cluster refuses it. */
  cluster?: string;
  /**
   * How long a call may take in all, retries included, before NoQuorumError (default 10 000 ms);
   * `Infinity` retries until the call's signal aborts (the lab's clerks wait out any partition).
   */
  timeoutMs?: number;
  /** Mean pause after every replica in turn has failed, before the next round (default 20 ms, ±50%). */
  retryDelayMs?: number;
  /**
   * Endpoint sync (as etcd's clients sync their endpoints). With it, a client that is told of a
   * leader it has no end for, or whose replicas all failed to answer in a round, asks them in
   * turn for the configuration (`Service.Members`, any replica's view) and from then on uses
   * `endsFor(view)` as its replicas: given a few members, it reaches members added later, and
   * drops removed ones. At most once per round (between two pauses); an empty list is ignored.
   * The ends should carry ids (`view.membership` lists members by id).
   */
  endsFor?: (view: MembersView) => readonly ServerEnd[];
}

/** Options of one call. */
export interface ClientCallOptions {
  /** Gives up at once with the signal's reason; an abandoned submit may still take effect, once. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs`. */
  timeoutMs?: number;
}
