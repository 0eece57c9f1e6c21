import { realClock, realRandom } from "@raftkit/labrpc";
import type { Clock, PeerId, Random, Transport } from "@raftkit/raft";
import {
  abortable,
  newClientId,
  ServiceProtocolError,
  SessionExpiredError,
  sleep,
  throwIfAborted,
} from "@raftkit/service";
import type { KvOp } from "./commands.js";
import { MalformedCommandError } from "./errors.js";
import {
  type DeleteArgs,
  type GetArgs,
  KV_METHODS,
  KV_OPEN_SESSION,
  type OpenSessionArgs,
  type PutAppendArgs,
} from "./protocol.js";
import { readKvReply } from "./read-reply.js";

export interface ClerkOptions {
  /** The server's peer id on the transport (default 0). */
  server?: PeerId;
  /** Time source for the pause between retries (default: the real clock). */
  clock?: Clock;
  /** Randomness for the client id and retry jitter (default: secure id, Math.random jitter). */
  random?: Random;
  /**
   * The client id; a fresh 21-character nanoid by default. Never share one between clerks. After
   * SessionExpiredError the clerk takes a fresh one.
   */
  clientId?: string;
  /** Mean pause after a failed call before retrying, in ms (default 10; jittered ±50%). */
  retryDelayMs?: number;
}

export interface CallOptions {
  /**
   * Gives up: the promise rejects with the signal's reason. An abandoned Put or Append may still
   * take effect (once at most), as if it had been sent and its reply lost.
   */
  signal?: AbortSignal;
}

const DEFAULT_RETRY_DELAY_MS = 10;

function checkString(value: unknown, field: string): void {
  if (typeof value !== "string") throw new MalformedCommandError(field, "a string");
}

/** The value an Append reply must carry. */
function required(method: string, value: string | undefined): string {
  if (value === undefined) throw new ServiceProtocolError(method, { status: "ok" });
  return value;
}

/**
 * A client of a KvServer. Each operation retries until the server answers, and a Put or Append
 * is executed exactly once however often it is retried: before its first write the clerk opens a
 * session (`KVServer.OpenSession`), and every request carries its id and sequence number. Operations on one clerk run one at a
 * time, in call order (the server's memory bound relies on it); use several clerks for
 * concurrency.
 */
export class Clerk {
  #clientId: string;
  #sessionOpen = false;
  private readonly transport: Pick<Transport, "call">;
  private readonly server: PeerId;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly retryDelayMs: number;
  private seq = 0;
  /** The previous operation; the next one starts after it settles. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(transport: Pick<Transport, "call">, options: ClerkOptions = {}) {
    this.transport = transport;
    this.server = options.server ?? 0;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? realRandom;
    this.#clientId = options.clientId ?? newClientId(options.random);
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    if (!(this.retryDelayMs >= 0 && Number.isFinite(this.retryDelayMs))) {
      throw new RangeError(`retryDelayMs must be a finite number >= 0, got ${this.retryDelayMs}`);
    }
    if (this.#clientId.length === 0) throw new MalformedCommandError("clientId", "a non-empty string");
  }

  /** The client id of the session (a fresh one after SessionExpiredError). */
  get clientId(): string {
    return this.#clientId;
  }

  /** The value of `key`, or `""` if it has none (`lookup` tells the two apart). */
  get(key: string, options: CallOptions = {}): Promise<string> {
    return this.lookup(key, options).then((value) => value ?? "");
  }

  /** The value of `key`, or `undefined` if it has none (an empty value is `""`). */
  lookup(key: string, options: CallOptions = {}): Promise<string | undefined> {
    return this.run(options.signal, () => {
      checkString(key, "key");
      return this.call("get", { key, clientId: this.clientId, seq: ++this.seq }, options.signal);
    });
  }

  /** Sets `key` to `value`. */
  put(key: string, value: string, options: CallOptions = {}): Promise<void> {
    return this.run(options.signal, () => this.write("put", key, value, options.signal)).then(
      () => undefined,
    );
  }

  /** Appends `value` to `key`'s value and returns the value it had before. */
  append(key: string, value: string, options: CallOptions = {}): Promise<string> {
    return this.run(options.signal, () => this.write("append", key, value, options.signal)).then((old) =>
      required(KV_METHODS.append, old),
    );
  }

  /** Removes `key` (nothing happens if it has no value). */
  delete(key: string, options: CallOptions = {}): Promise<void> {
    return this.run(options.signal, async () => {
      checkString(key, "key");
      await this.openSession(options.signal);
      return this.call("delete", { key, clientId: this.clientId, seq: ++this.seq }, options.signal);
    }).then(() => undefined);
  }

  private async write(op: "put" | "append", key: string, value: string, signal: AbortSignal | undefined) {
    checkString(key, "key");
    checkString(value, "value");
    await this.openSession(signal);
    return this.call(op, { key, value, clientId: this.clientId, seq: ++this.seq }, signal);
  }

  /** Opens this clerk's session once, before its first write (opening is idempotent). */
  private async openSession(signal: AbortSignal | undefined): Promise<void> {
    if (this.#sessionOpen) return;
    const args: OpenSessionArgs = { clientId: this.#clientId };
    await this.call("open", args, signal);
    this.#sessionOpen = true;
  }

  /**
   * Runs `operation` after every earlier operation of this clerk has settled. An abort rejects at
   * once, even while the operation is still queued; it then never sends anything.
   */
  private run<T>(signal: AbortSignal | undefined, operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      throwIfAborted(signal);
      return operation();
    });
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return abortable(result, signal);
  }

  /** Sends one request until a reply arrives; resolves with the reply's value (if any). */
  private async call(
    op: KvOp | "open",
    args: OpenSessionArgs | GetArgs | PutAppendArgs | DeleteArgs,
    signal: AbortSignal | undefined,
  ) {
    const method = op === "open" ? KV_OPEN_SESSION : KV_METHODS[op];
    for (;;) {
      throwIfAborted(signal);
      const result = await abortable(this.transport.call(this.server, method, args), signal);
      if (result.ok) return this.interpret(method, args, result.reply);
      const jitter = 0.5 + this.random.float();
      await sleep(this.clock, this.retryDelayMs * jitter, signal);
    }
  }

  private interpret(
    method: string,
    args: OpenSessionArgs | GetArgs | PutAppendArgs | DeleteArgs,
    reply: unknown,
  ): string | undefined {
    const seq = "seq" in args ? args.seq : undefined;
    try {
      const reading = readKvReply(method, reply, { clientId: this.#clientId, seq });
      return reading.retry ? undefined : reading.value;
    } catch (error) {
      if (error instanceof SessionExpiredError) {
        // The old session's requests may still arrive late: a new id keeps them from ever matching.
        this.#clientId = newClientId(this.random);
        this.#sessionOpen = false;
        this.seq = 0;
      }
      throw error;
    }
  }
}
