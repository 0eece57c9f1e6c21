import type { Clock, Random } from "@raftkit/raft";
import { abortable, orAfter, sleep, throwIfAborted } from "../abort.js";
import { NoQuorumError, SessionExpiredError } from "../errors.js";
import type { ClientCallOptions, ServiceClientOptions } from "./client-options.js";
import { askConfiguration } from "./endpoint-sync.js";
import type { ServerEnd } from "./ends.js";
import type { Attempts } from "./membership.js";
import { type Attempt, indexOfMember, interpretReply } from "./reply.js";
import { meanRetryPauseMs } from "./retry-pause.js";

const UNREACHABLE = Symbol("unreachable");

/** A ServiceClient's settings, checked. */
export interface ReplicaRouterOptions extends Pick<ServiceClientOptions, "endsFor" | "cluster"> {
  clock: Clock;
  random: Random;
  timeoutMs: number;
  retryDelayMs: number;
  /** Called as a SessionExpiredError passes, before the call rejects with it. */
  onSessionExpired: () => void;
}

/**
 * Finds the leader among a client's replicas for each request: sends it to the replica that
 * last led (following leader hints, else trying each in turn, pausing after a full round) until
 * one answers it or the deadline passes, and learns the replicas from the configuration with
 * `endsFor` (endpoint sync). Throws the typed error of a refusal as it comes.
 */
export class ReplicaRouter {
  /** The replicas, as given, or as the configuration last showed them (with `endsFor`). */
  #servers: readonly ServerEnd[];
  readonly #endsFor: ServiceClientOptions["endsFor"];
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #cluster: string | undefined;
  readonly #timeoutMs: number;
  readonly #retryDelayMs: number;
  readonly #onSessionExpired: () => void;
  #leader: number;

  constructor(servers: readonly ServerEnd[], options: ReplicaRouterOptions) {
    this.#servers = [...servers];
    this.#clock = options.clock;
    this.#random = options.random;
    this.#cluster = options.cluster;
    this.#timeoutMs = options.timeoutMs;
    this.#retryDelayMs = options.retryDelayMs;
    this.#endsFor = options.endsFor;
    this.#onSessionExpired = options.onSessionExpired;
    this.#leader = this.#random.int(this.#servers.length);
  }

  /** The index (in the replicas) of the one tried first. */
  get leader(): number {
    return this.#leader;
  }

  /** Sends one request until a leader answers it or the deadline passes. */
  async call(
    method: string,
    body: Record<string, unknown>,
    deadline: number,
    options: ClientCallOptions,
    attempts?: Attempts,
  ) {
    const outcomes: Record<number, string> = {};
    const refused = new Set<number>();
    // Replicas that answered since the last pause: a hint back to one of them is stale (a removed
    // or partitioned replica pointing at one that knows no leader) and would loop between the two.
    // One whose call failed is not counted: on a lossy network the leader's reply was lost, and a
    // follower's hint back to it is the way on (ignoring it cost a round and a pause per lost
    // reply: lab 4A "unreliable net, many clients" did 1,224 operations instead of 1,661, seed 1).
    const answered = new Set<number>();
    let overloads = 0; // in a row: each doubles the pause before the next try
    let synced = false; // since the last pause
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(options.signal);
      const left = deadline - this.#clock.now();
      if (left <= 0) throw new NoQuorumError(options.timeoutMs ?? this.#timeoutMs, outcomes);
      const server = this.#leader;
      const result = await this.#send(this.#servers[server]!, method, body, deadline, options.signal);
      const step =
        result === undefined || !result.ok
          ? { done: false as const, why: "unreachable", unknown: true }
          : this.#interpret(method, body, result.reply, server, refused);
      if (step.done) return step.value;
      if (attempts && step.unknown) attempts.uncertain = true;
      // A call the deadline cut short tells nothing of its replica: keep what it said last (a
      // refusal naming a learner's progress, say) rather than call it unreachable.
      if (result !== undefined || outcomes[server] === undefined) outcomes[server] = step.why;
      if (result?.ok) answered.add(server);
      const n = this.#servers.length;
      const roundOver = attempt % n === 0 || step.next === server;
      // Told of a leader it cannot reach, or reaching none of its replicas: learn the configuration.
      const lost = step.strangeLeader || (roundOver && answered.size === 0);
      if (lost && !synced && this.#endsFor !== undefined) {
        synced = true;
        if (await this.#syncEnds(server, deadline, options.signal)) {
          answered.clear();
          refused.clear();
          continue;
        }
      }
      const hint = step.next === undefined || answered.has(step.next) ? undefined : step.next;
      // An overloaded leader is still the leader: the same one again, after the pause below.
      this.#leader = step.overloaded ? server : (hint ?? (server + 1) % n);
      overloads = step.overloaded ? overloads + 1 : 0;
      if (roundOver) {
        answered.clear();
        synced = false;
        const pause = Math.min(
          meanRetryPauseMs(this.#retryDelayMs, overloads) * (0.5 + this.#random.float()),
          Math.max(0, deadline - this.#clock.now()),
        );
        await sleep(this.#clock, pause, options.signal);
      }
    }
  }

  /** One call to `end`, bounded by `deadline` and `signal`; undefined once the deadline passed. */
  async #send(
    end: ServerEnd,
    method: string,
    body: Record<string, unknown>,
    deadline: number,
    signal?: AbortSignal,
  ) {
    // Copied key by key, not spread: cbor-x encodes a spread-made object 3–4 µs slower (its
    // for-in over a cloned object's keys), on every call of every operation.
    const args: Record<string, unknown> = {};
    for (const key in body) args[key] = body[key];
    if (this.#cluster !== undefined) args.cluster = this.#cluster;
    if (end.id !== undefined) args.to = end.id;
    const left = deadline - this.#clock.now();
    const result = await abortable(orAfter(end.call(method, args), this.#clock, left, UNREACHABLE), signal);
    return result === UNREACHABLE ? undefined : result;
  }

  /** Endpoint sync: takes `endsFor` of a replica's configuration as the replicas; whether it did. */
  async #syncEnds(first: number, deadline: number, signal?: AbortSignal): Promise<boolean> {
    const view = await askConfiguration(this.#servers, first, (end, method, body) =>
      this.#send(end, method, body, deadline, signal),
    );
    const ends = view === undefined ? [] : this.#endsFor!(view);
    if (ends.length === 0) return false;
    this.#servers = [...ends];
    this.#leader = indexOfMember(this.#servers, view!.leaderId) ?? this.#random.int(ends.length);
    return true;
  }

  #interpret(
    method: string,
    body: Record<string, unknown>,
    reply: unknown,
    server: number,
    refused: Set<number>,
  ): Attempt {
    try {
      return interpretReply(method, body, reply, server, this.#servers, refused);
    } catch (error) {
      if (error instanceof SessionExpiredError) this.#onSessionExpired();
      throw error;
    }
  }
}
