import {
  type CallOptions,
  type DeleteArgs,
  type GetArgs,
  KV_METHODS,
  type KvOp,
  MalformedCommandError,
  type PutAppendArgs,
  readKvReply,
} from "@raftkit/kvsrv";
import { realClock, realRandom } from "@raftkit/labrpc";
import type { Clock, Random } from "@raftkit/raft";
import { abortable, newClientId, sleep, throwIfAborted, ValueTooLargeError } from "@raftkit/service";
import type { ServerEnd } from "./ends.js";
import { KvRaftConfigError } from "./errors.js";
import type { KvTooLarge } from "./protocol.js";

export interface ClerkOptions {
  /** Time source for the pause between rounds of retries (default: the real clock). */
  clock?: Clock;
  /** Randomness for the client id, the first server tried and retry jitter (default: Math.random). */
  random?: Random;
  /** The client id; a fresh 21-character nanoid by default. Never share one between clerks. */
  clientId?: string;
  /**
   * Mean pause, in ms, after every server in turn has failed or refused (no leader yet, say),
   * before the next round (default 20; jittered ±50%). Within a round the clerk moves on at once.
   */
  retryDelayMs?: number;
}

const DEFAULT_RETRY_DELAY_MS = 20;
/** Replies that send the clerk on to the next server. */
const RETRY_ELSEWHERE = ["wrong-leader", "timeout"];

function checkString(value: unknown, field: string): void {
  if (typeof value !== "string") throw new MalformedCommandError(field, "a string");
}

/**
 * A client of the replicated key/value service. It sends each request to the server it last
 * found leading; on a failure, `wrong-leader` or `timeout` it tries the next, pausing after a
 * full round, until one answers. Put, Append and Delete carry the clerk's id and a sequence number, so
 * each executes exactly once however often it is retried. Operations on one clerk run one at a
 * time, in call order; use several clerks for concurrency.
 */
export class Clerk {
  readonly clientId: string;
  private readonly servers: readonly ServerEnd[];
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly retryDelayMs: number;
  private seq = 0;
  private leader: number;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(servers: readonly ServerEnd[], options: ClerkOptions = {}) {
    if (servers.length === 0) throw new KvRaftConfigError("a Clerk needs at least one server");
    this.servers = [...servers];
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? realRandom;
    this.clientId = options.clientId ?? newClientId(options.random);
    if (this.clientId.length === 0) throw new MalformedCommandError("clientId", "a non-empty string");
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    if (!(this.retryDelayMs >= 0)) {
      throw new KvRaftConfigError(`retryDelayMs must be non-negative, got ${this.retryDelayMs}`);
    }
    this.leader = this.random.int(this.servers.length);
  }

  /** Which of the servers this clerk will try first (the one it last found leading). */
  get preferredServer(): number {
    return this.leader;
  }

  /** The value of `key`, or `""` if it has none (`lookup` tells the two apart). */
  get(key: string, options: CallOptions = {}): Promise<string> {
    return this.lookup(key, options).then((value) => value ?? "");
  }

  /** The value of `key`, or `undefined` if it has none (an empty value is `""`). */
  lookup(key: string, options: CallOptions = {}): Promise<string | undefined> {
    return this.enqueue(() => {
      checkString(key, "key");
      return this.call("get", { key }, options.signal);
    });
  }

  /** Sets `key` to `value`. */
  put(key: string, value: string, options: CallOptions = {}): Promise<void> {
    return this.enqueue(() => this.write("put", key, value, options.signal));
  }

  /** Appends `value` to `key`'s value. */
  append(key: string, value: string, options: CallOptions = {}): Promise<void> {
    return this.enqueue(() => this.write("append", key, value, options.signal));
  }

  /** Removes `key` (nothing happens if it has no value). */
  delete(key: string, options: CallOptions = {}): Promise<void> {
    return this.enqueue(async () => {
      checkString(key, "key");
      await this.call("delete", { key, clientId: this.clientId, seq: ++this.seq }, options.signal);
    });
  }

  private async write(op: "put" | "append", key: string, value: string, signal: AbortSignal | undefined) {
    checkString(key, "key");
    checkString(value, "value");
    await this.call(op, { key, value, clientId: this.clientId, seq: ++this.seq }, signal);
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Sends one request until a leader answers it; resolves with the reply's value (if any). */
  private async call(op: KvOp, args: GetArgs | PutAppendArgs | DeleteArgs, signal: AbortSignal | undefined) {
    const method = KV_METHODS[op];
    const n = this.servers.length;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      const result = await abortable(this.servers[this.leader]!.call(method, args), signal);
      if (result.ok) {
        const answer = this.interpret(method, args, result.reply);
        if (answer.done) return answer.value;
      }
      this.leader = (this.leader + 1) % n;
      if (attempt % n === 0) {
        await sleep(this.clock, this.retryDelayMs * (0.5 + this.random.float()), signal);
      }
    }
  }

  private interpret(
    method: string,
    args: GetArgs | PutAppendArgs | DeleteArgs,
    reply: unknown,
  ): { done: true; value: string | undefined } | { done: false } {
    const tooLarge = reply as Partial<KvTooLarge> | null;
    if (tooLarge?.status === "too-large" && typeof tooLarge.sizeBytes === "number") {
      throw new ValueTooLargeError(tooLarge.sizeBytes, tooLarge.limitBytes ?? 0);
    }
    const reading = readKvReply(method, reply, { clientId: this.clientId, seq: args.seq }, RETRY_ELSEWHERE);
    return reading.retry ? { done: false } : { done: true, value: reading.value };
  }
}
