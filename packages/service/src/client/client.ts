import { realClock, realRandom } from "@raftkit/labrpc";
import type { Clock, MembershipChange, PeerId } from "@raftkit/raft";
import { abortable, throwIfAborted } from "../abort.js";
import { ServiceConfigError, ServiceProtocolError } from "../errors.js";
import type { MembershipChangeDone, MembersView } from "../membership.js";
import { SERVICE_METHODS } from "../wire.js";
import type { ClientCallOptions, ServiceClientOptions } from "./client-options.js";
import type { ServerEnd } from "./ends.js";
import { type Attempts, asMembersView, changeOrConfirm } from "./membership.js";
import { ReplicaRouter } from "./replica-router.js";

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
  readonly #router: ReplicaRouter;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  /** The open session's id, once a replica has opened one. */
  #sessionId: number | undefined;
  #seq = 0;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(servers: readonly ServerEnd[], options: ServiceClientOptions = {}) {
    if (servers.length === 0) throw new ServiceConfigError("a ServiceClient needs at least one server");
    const timeoutMs = options.timeoutMs ?? 10_000;
    const retryDelayMs = options.retryDelayMs ?? 20;
    if (!(timeoutMs > 0)) throw new ServiceConfigError(`timeoutMs must be > 0, got ${timeoutMs}`);
    if (!(retryDelayMs >= 0)) throw new ServiceConfigError(`retryDelayMs must be >= 0, got ${retryDelayMs}`);
    this.#clock = options.clock ?? realClock;
    this.#timeoutMs = timeoutMs;
    this.#router = new ReplicaRouter(servers, {
      clock: this.#clock,
      random: options.random ?? realRandom,
      cluster: options.cluster,
      endsFor: options.endsFor,
      timeoutMs,
      retryDelayMs,
      onSessionExpired: () => {
        // The next submit opens a new session: its id is a new log index, so the old session's
        // requests still in logs can never match it.
        this.#sessionId = undefined;
        this.#seq = 0;
      },
    });
  }

  /** The session's id (undefined before the first submit, and again after SessionExpiredError). */
  get sessionId(): number | undefined {
    return this.#sessionId;
  }

  /** The index (in `servers`) of the replica this client tries first. */
  get preferredServer(): number {
    return this.#router.leader;
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
  #call(
    method: string,
    body: Record<string, unknown>,
    deadline: number,
    options: ClientCallOptions,
    attempts?: Attempts,
  ): Promise<unknown> {
    return this.#router.call(method, body, deadline, options, attempts);
  }
}
