import { type KvCommand, MalformedCommandError, parseKvCommand } from "@raftkit/kvsrv";
import type { Clock, Random } from "@raftkit/raft";
import {
  type ClientCallOptions,
  SERVICE_METHODS,
  type ServerEnd,
  ServiceClient,
  type ServiceClientOptions,
  ServiceProtocolError,
} from "@raftkit/service";
import { encodeKvCommand, type KvRaftAnswer, type KvRaftCommand, type KvRaftResult } from "./command.js";

export interface ClerkOptions {
  /** Time source for timeouts and the pause between rounds of retries (default: the real clock). */
  clock?: Clock;
  /** Randomness for the first server tried and retry jitter (default: Math.random). */
  random?: Random;
  /** The cluster's name, sent with every request: a server of another cluster refuses it. */
  cluster?: string;
  /**
   * How long an operation may take in all, retries included, before NoQuorumError (default:
   * no limit — the clerk retries until it succeeds or its signal aborts, as the lab's does).
   */
  timeoutMs?: number;
  /**
   * Mean pause, in ms, after every server in turn has failed or refused (no leader yet, say),
   * before the next round (default 20; jittered ±50%). Within a round the clerk moves on at once.
   */
  retryDelayMs?: number;
  /**
   * Endpoint sync: the ends for the members of a configuration a server showed, when this clerk
   * is told of a leader it has no end for or reaches none of its servers (see ServiceClient).
   */
  endsFor?: ServiceClientOptions["endsFor"];
}

/** Options of one operation: `signal` gives up (a write may still take effect, once); `timeoutMs` overrides the clerk's. */
export type CallOptions = ClientCallOptions;

/**
 * A client of the replicated key/value service: the service layer's ServiceClient with the
 * key/value operations. It finds the leader (hints, then each server in turn), retries a write
 * with the same session sequence number so that it executes exactly once, gives up on its
 * signal, and fails with the service layer's typed errors (WrongServerError, ValueTooLargeError,
 * NoQuorumError when `timeoutMs` is set, ...). Operations on one clerk run one at a time, in
 * call order; use several clerks for concurrency.
 */
export class Clerk {
  readonly #client: ServiceClient<KvRaftCommand, KvRaftResult, string, KvRaftAnswer>;

  constructor(servers: readonly ServerEnd[], options: ClerkOptions = {}) {
    this.#client = new ServiceClient(servers, { timeoutMs: Number.POSITIVE_INFINITY, ...options });
  }

  /**
   * The id the cluster gave this clerk's session (the log index that opened it): undefined before
   * the first write, and again after SessionExpiredError until the next write opens a new one.
   */
  get sessionId(): number | undefined {
    return this.#client.sessionId;
  }

  /** Which of the servers this clerk will try first (the one it last found leading). */
  get preferredServer(): number {
    return this.#client.preferredServer;
  }

  /** The value of `key`, or `""` if it has none (`lookup` tells the two apart). */
  async get(key: string, options: CallOptions = {}): Promise<string> {
    return (await this.lookup(key, options)) ?? "";
  }

  /** The value of `key`, or `undefined` if it has none (an empty value is `""`). */
  async lookup(key: string, options: CallOptions = {}): Promise<string | undefined> {
    if (typeof key !== "string") throw new MalformedCommandError("key", "a string");
    return valueIn(SERVICE_METHODS.read, await this.#client.read(key, options));
  }

  /** Sets `key` to `value`. */
  async put(key: string, value: string, options: CallOptions = {}): Promise<void> {
    await this.#submit({ op: "put", key, value }, options);
  }

  /** Appends `value` to `key`'s value. */
  async append(key: string, value: string, options: CallOptions = {}): Promise<void> {
    await this.#submit({ op: "append", key, value }, options);
  }

  /** Removes `key` (nothing happens if it has no value). */
  async delete(key: string, options: CallOptions = {}): Promise<void> {
    await this.#submit({ op: "delete", key }, options);
  }

  /** Checks the command here (MalformedCommandError names the field; nothing is sent), then submits it. */
  async #submit(command: KvCommand, options: CallOptions): Promise<void> {
    const compact = encodeKvCommand(parseKvCommand(command));
    valueIn(SERVICE_METHODS.submit, await this.#client.submit(compact, options));
  }
}

/** The value a reply carries (a string, or none); anything else is a reply this clerk does not understand. */
function valueIn(method: string, result: KvRaftResult): string | undefined {
  if (result === undefined || typeof result === "string") return result;
  throw new ServiceProtocolError(method, result);
}
