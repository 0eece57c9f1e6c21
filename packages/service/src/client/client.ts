import { realClock, realRandom } from "@raftkit/labrpc";
import type { Clock, MembershipChange, PeerId, Random } from "@raftkit/raft";
import { abortable, orAfter, sleep, throwIfAborted } from "../abort.js";
import { NoQuorumError, ServiceConfigError, type ServiceError, ServiceProtocolError } from "../errors.js";
import type { MembershipChangeDone, MembersView } from "../membership.js";
import { errorOfReply, SERVICE_METHODS } from "../wire.js";
import type { ClientCallOptions, ServiceClientOptions } from "./client-options.js";
import { askConfiguration } from "./endpoint-sync.js";
import type { ServerEnd } from "./ends.js";
import { type Attempts, asMembersView, changeOrConfirm } from "./membership.js";

/** What happened to one attempt: `done`, or go on (to `next`: a replica index, or the next one). */
type Attempt =
  | { done: true; value: unknown }
  | {
      done: false;
      why: string;
      next?: number;
      overloaded?: boolean;
      /** It may have taken effect. */
      unknown?: boolean;
      /** A leader was named that this client has no end for. */
      strangeLeader?: boolean;
    };

/** The longest pause between retries of an overloaded leader (the pause doubles up to it). */
const MAX_OVERLOAD_PAUSE_MS = 1_000;

const UNREACHABLE = Symbol("unreachable");

/**
 * A client of a replicated service. It sends each call to the replica it last found leading
 * (following leader hints, else trying each in turn, pausing after a full round) until one
 * answers. Before its first submit it opens a session (the cluster names it: the log index of
 * the entry that opened it); submits carry that id and a sequence number, so each executes at
 * most once however often it is retried. Calls on one client run one at a time, in call order;
 * use several clients for concurrency. When no leader answers in time, NoQuorumError says what
 * each replica did; a refusal (wrong cluster or member, unknown method, value too large) fails
 * at once with its typed error. A leader that is overloaded (too much waits for a quorum) is
 * retried after a pause that doubles each time, from `retryDelayMs` up to 1 s.
 */
export class ServiceClient<Command = unknown, Result = unknown, Query = unknown, Answer = unknown> {
  /** The replicas, as given, or as the configuration last showed them (with `endsFor`). */
  #servers: readonly ServerEnd[];
  readonly #endsFor: ServiceClientOptions["endsFor"];
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #cluster: string | undefined;
  readonly #timeoutMs: number;
  readonly #retryDelayMs: number;
  /** The open session's id, once a replica has opened one. */
  #sessionId: number | undefined;
  #seq = 0;
  #leader: number;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(servers: readonly ServerEnd[], options: ServiceClientOptions = {}) {
    if (servers.length === 0) throw new ServiceConfigError("a ServiceClient needs at least one server");
    this.#servers = [...servers];
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? realRandom;
    this.#cluster = options.cluster;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retryDelayMs = options.retryDelayMs ?? 20;
    this.#endsFor = options.endsFor;
    if (!(this.#timeoutMs > 0)) throw new ServiceConfigError(`timeoutMs must be > 0, got ${this.#timeoutMs}`);
    if (!(this.#retryDelayMs >= 0)) {
      throw new ServiceConfigError(`retryDelayMs must be >= 0, got ${this.#retryDelayMs}`);
    }
    this.#leader = this.#random.int(this.#servers.length);
  }

  /** The session's id (undefined before the first submit, and again after SessionExpiredError). */
  get sessionId(): number | undefined {
    return this.#sessionId;
  }

  /** The index (in `servers`) of the replica this client tries first. */
  get preferredServer(): number {
    return this.#leader;
  }

  /**
   * Submits `command` and resolves with its result, executed exactly once. On an error other
   * than a refusal the outcome is unknown (it may have taken effect, once).
   */
  submit(command: Command, options: ClientCallOptions = {}): Promise<Result> {
    return this.#enqueue(options, async (deadline) => {
      if (this.#sessionId === undefined) {
        const id = await this.#call(SERVICE_METHODS.openSession, {}, deadline, options);
        if (!Number.isSafeInteger(id) || (id as number) < 1)
          throw new ServiceProtocolError(SERVICE_METHODS.openSession, id);
        this.#sessionId = id as number;
      }
      const args = { session: this.#sessionId, seq: ++this.#seq, command };
      return (await this.#call(SERVICE_METHODS.submit, args, deadline, options)) as Result;
    });
  }

  /** A linearizable read: resolves with the state machine's answer to `query`. */
  read(query: Query, options: ClientCallOptions = {}): Promise<Answer> {
    return this.#enqueue(
      options,
      async (deadline) => (await this.#call(SERVICE_METHODS.read, { query }, deadline, options)) as Answer,
    );
  }

  /** The configuration as the leader has it (with `anyReplica`, as the first replica to answer has it). */
  members(options: ClientCallOptions & { anyReplica?: boolean } = {}): Promise<MembersView> {
    const body = options.anyReplica ? { anyReplica: true } : {};
    return this.#enqueue(options, async (deadline) =>
      asMembersView(await this.#call(SERVICE_METHODS.members, body, deadline, options)),
    );
  }

  /**
   * Makes one membership change on the leader and resolves once it is committed (raft's
   * single-server changes). Refused for now (another change in flight, a learner catching up):
   * retried until the timeout. Rejects with MembershipChangeRefusedError (it makes no sense),
   * MemberIdRemovedError (ids are never reused) or NoQuorumError.
   */
  changeMembership(change: MembershipChange, options: ClientCallOptions = {}): Promise<MembershipChangeDone> {
    return this.#enqueue(options, (deadline) => {
      const call = (method: string, body: Record<string, unknown>, attempts?: Attempts) =>
        this.#call(method, body, deadline, options, attempts);
      return changeOrConfirm(
        change,
        (attempts) => call(SERVICE_METHODS.changeMembership, { change }, attempts),
        async () => asMembersView(await call(SERVICE_METHODS.members, {})),
      );
    });
  }

  /** Adds member `id` as a learner (a voter once caught up with `autoPromote`); see changeMembership. */
  addLearner(id: PeerId, options: ClientCallOptions & { address?: string; autoPromote?: boolean } = {}) {
    const { address, autoPromote = false } = options;
    return this.changeMembership(
      { kind: "add-learner", id, autoPromote, ...(address ? { address } : {}) },
      options,
    );
  }

  /** Makes the caught-up learner `id` a voter; see changeMembership. */
  promote(id: PeerId, options: ClientCallOptions = {}): Promise<MembershipChangeDone> {
    return this.changeMembership({ kind: "promote", id }, options);
  }

  /** Removes member `id` (the leader too: it hands over); see changeMembership. */
  remove(id: PeerId, options: ClientCallOptions = {}): Promise<MembershipChangeDone> {
    return this.changeMembership({ kind: "remove", id }, options);
  }

  #enqueue<T>(options: ClientCallOptions, operation: (deadline: number) => Promise<T>): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const result = this.#tail.then(() => {
      throwIfAborted(options.signal);
      return operation(this.#clock.now() + timeoutMs);
    });
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return abortable(result, options.signal);
  }

  /** Sends one request until a leader answers it or the deadline passes. */
  async #call(
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
      outcomes[server] = step.why;
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
          this.#meanPauseMs(overloads) * (0.5 + this.#random.float()),
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
    const args = { ...body, ...(this.#cluster === undefined ? {} : { cluster: this.#cluster }) };
    if (end.id !== undefined) Object.assign(args, { to: end.id });
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
    this.#leader = this.#indexOf(view!.leaderId) ?? this.#random.int(ends.length);
    return true;
  }

  /** `retryDelayMs`, doubled for each overloaded answer in a row after the first, up to 1 s. */
  #meanPauseMs(overloads: number): number {
    if (overloads <= 1) return this.#retryDelayMs;
    const doubled = Math.min(this.#retryDelayMs * 2 ** (overloads - 1), MAX_OVERLOAD_PAUSE_MS);
    return Math.max(this.#retryDelayMs, doubled);
  }

  #interpret(
    method: string,
    body: Record<string, unknown>,
    reply: unknown,
    server: number,
    refused: Set<number>,
  ): Attempt {
    const r = reply as { status?: unknown; value?: unknown };
    if (typeof reply === "object" && reply !== null && r.status === "ok")
      return { done: true, value: r.value };
    const context = {
      method,
      ...(typeof body.session === "number" ? { sessionId: body.session } : {}),
      ...(typeof body.seq === "number" ? { seq: body.seq } : {}),
    };
    const error: ServiceError | undefined = errorOfReply(reply, context);
    if (!error) throw new ServiceProtocolError(method, reply);
    switch (error.code) {
      case "NOT_LEADER": {
        const leaderId = (error as { leaderId?: number }).leaderId;
        const hint = this.#indexOf(leaderId);
        return {
          done: false,
          why: `not leader (${hint === undefined ? "leader unknown" : `leader ${hint}`})`,
          ...(hint === undefined || hint === server ? {} : { next: hint }),
          ...(leaderId !== undefined && hint === undefined ? { strangeLeader: true } : {}),
        };
      }
      case "LEADERSHIP_LOST":
        return { done: false, why: "lost leadership before the entry applied", unknown: true };
      case "TIMEOUT":
        return { done: false, why: "leader could not commit in time (majority unreachable?)", unknown: true };
      case "CHANGE_PENDING":
        return { done: false, why: error.message, next: server };
      case "CLOSED":
        return { done: false, why: "closed" };
      case "OVERLOADED":
        // Nothing was proposed: the same leader, after a pause that grows while it stays overloaded.
        return { done: false, why: error.message, next: server, overloaded: true };
      case "WRONG_SERVER":
        refused.add(server);
        if (refused.size === this.#servers.length) throw error;
        return { done: false, why: error.message };
      case "SESSION_EXPIRED":
        // The next submit opens a new session: its id is a new log index, so the old session's
        // requests still in logs can never match it.
        this.#sessionId = undefined;
        this.#seq = 0;
        throw error;
      default:
        throw error;
    }
  }

  /** The position in `servers` of the replica with raft id `id` (ends without ids: the same position). */
  #indexOf(id: number | undefined): number | undefined {
    if (id === undefined) return undefined;
    const byId = this.#servers.findIndex((end) => end.id === id);
    if (byId >= 0) return byId;
    return this.#servers.some((end) => end.id !== undefined) || id >= this.#servers.length ? undefined : id;
  }
}
