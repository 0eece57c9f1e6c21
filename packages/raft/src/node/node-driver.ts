import { RaftCore } from "../core/raft-core.js";
import type { Ready } from "../core/ready.js";
import type { Clock, Timer, Transport } from "../interfaces.js";
import type { OutgoingMessage, RaftMethod } from "../messages.js";
import type { RaftStorage } from "../storage/storage.js";
import type { ApplyMsg } from "../types.js";
import { ApplyQueue } from "./apply-queue.js";
import { ChangeEvents } from "./change-events.js";
import { deliverReply, handleRequest, STOPPED_REPLY } from "./dispatch.js";
import { type RaftNodeEventMap, TypedEventTarget } from "./events.js";
import { countSent, emptyMetrics, type RaftMetrics } from "./metrics.js";
import type { RaftNodeOptions } from "./node-options.js";
import { PendingChanges } from "./pending-changes.js";
import { PendingReads } from "./pending-reads.js";
import { PendingTransfers } from "./pending-transfers.js";
import { writeReady } from "./write-ready.js";

/**
 * What drives a `RaftCore` with I/O (the public calls are in `RaftNode`): incoming requests,
 * replies and timers go into the core; each batch of its output is written to storage, then
 * (once durable) its messages sent and its entries applied, in order; a failed write or apply
 * stops the member.
 */
export abstract class NodeDriver<Command = unknown> extends TypedEventTarget<RaftNodeEventMap> {
  protected readonly core: RaftCore<Command>;
  private readonly transport: Transport;
  private readonly storage: RaftStorage<Command>;
  protected readonly clock: Clock;
  private readonly applyQueue: ApplyQueue<ApplyMsg<Command>>;
  private readonly reportError: (error: unknown) => void;
  protected dead = false;
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private processScheduled = false;
  /** Completes when every batch written so far is durable and released. */
  private durableTail: Promise<void> | undefined;
  protected readonly reads = new PendingReads();
  protected readonly transfers = new PendingTransfers();
  protected readonly changes = new PendingChanges();
  /** The counters `metrics` shows. */
  protected readonly counters: RaftMetrics = emptyMetrics();
  /** The commit index the metrics have counted through. */
  #countedCommit = 0;
  readonly #changes: ChangeEvents;

  constructor(options: RaftNodeOptions<Command>) {
    super();
    this.transport = options.transport;
    this.storage = options.storage;
    this.clock = options.clock;
    this.reportError = options.onError ?? ((error) => this.crashLoudly(error));
    this.applyQueue = new ApplyQueue(options.onApply, (error) => this.fail(error));
    this.core = new RaftCore<Command>({
      id: options.id,
      ...(options.members === undefined ? {} : { members: options.members }),
      ...(options.peerCount === undefined ? {} : { peerCount: options.peerCount }),
      random: options.random,
      now: this.clock.now(),
      config: options.config,
      initial: this.storage.load(),
      explicitDurability: true,
    });
    this.#changes = new ChangeEvents(this.core);
    this.transport.listen((method, args) => this.handleRequest(method, args));
    // Not synchronously: the caller may not hold the node yet when the first snapshot arrives.
    this.scheduleProcess();
  }

  /** Stops timers, message handling and deliveries (see `RaftNode.kill`). */
  abstract kill(): void;

  /** Cancels the timer, stops deliveries and closes the transport (once `dead` is set). */
  protected stopDriving(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.applyQueue.stop();
    void this.transport.close?.();
  }

  private handleRequest(method: string, args: unknown): unknown {
    if (this.dead) return STOPPED_REPLY;
    const now = this.clock.now();
    if (method in this.counters.messagesReceived) this.counters.messagesReceived[method as RaftMethod]++;
    const reply = handleRequest(this.core, method, args, now);
    // Persist before replying: the reply promises what the write makes durable. A write that
    // failed (now or in an earlier batch this one waited for) stopped the node: never answer.
    const pending = this.process();
    if (this.dead) return STOPPED_REPLY;
    return pending ? pending.then(() => (this.dead ? STOPPED_REPLY : reply)) : reply;
  }

  protected scheduleProcess(): void {
    if (this.processScheduled) return;
    this.processScheduled = true;
    queueMicrotask(() => {
      this.processScheduled = false;
      this.process();
    });
  }

  /**
   * Takes the core's output and acts on it: write, then (once durable) send and apply. Returns
   * a Promise only when something is still waiting for durability.
   */
  protected process(): Promise<void> | undefined {
    if (this.dead) return undefined;
    const ready = this.core.takeReady();
    if (this.core.commitIndex > this.#countedCommit) {
      this.counters.commits += this.core.commitIndex - this.#countedCommit;
      this.#countedCommit = this.core.commitIndex;
    }
    for (const read of ready.reads) this.reads.settle(read);
    for (const ended of ready.transfers) this.transfers.settle(ended);
    this.changes.settle(this.core);
    // The storage will hold the log through here once this batch's writes are durable.
    const through = this.core.lastIndex;
    // The batch that applies this member's removal stops it once released — not an earlier
    // batch still waiting for its write: this one holds a removed leader's hand-over (TimeoutNow
    // and the heartbeat carrying the commit), which would be lost with it.
    const stops = this.core.removed;
    let durable: Promise<void> | undefined;
    try {
      durable = writeReady(ready, { storage: this.storage, clock: this.clock, metrics: this.counters });
    } catch (error) {
      this.fail(error);
      return undefined;
    }
    this.rearmTimer();
    this.#changes.report(this.core, (type, detail) => this.emit(type, detail));
    // A leader's AppendEntries need not wait for its own write: followers write meanwhile, and
    // the core counts the leader's copy only once `persisted` says so. Votes and replies wait.
    const waiting = ready.messages.filter((message) => message.method !== "AppendEntries");
    for (const message of ready.messages) if (message.method === "AppendEntries") this.send(message);
    if (!durable && !this.durableTail) {
      this.release(ready, waiting, through, stops);
      return undefined;
    }
    // Batches are released in the order they were written. A failure of this batch is handled
    // in that chain, which reaches it only once the batches before it are durable: mark it
    // handled now, or Node calls it unhandled meanwhile and ends the process.
    durable?.catch(() => {});
    const before = this.durableTail;
    const done = (before ? before.then(() => durable) : (durable as Promise<void>)).then(
      () => this.release(ready, waiting, through, stops),
      (error: unknown) => this.fail(error),
    );
    this.durableTail = done;
    void done.then(() => {
      if (this.durableTail === done) this.durableTail = undefined;
    });
    return done;
  }

  private release(
    ready: Ready<Command>,
    messages: readonly OutgoingMessage<Command>[],
    through: number,
    stops: boolean,
  ): void {
    if (this.dead) return;
    for (const message of messages) this.send(message);
    if (ready.applies.length > 0) this.applyQueue.push(ready.applies);
    this.core.persisted(through);
    if (stops) {
      this.stopRemoved();
      return;
    }
    if (this.core.hasReady) this.scheduleProcess();
  }

  /**
   * A committed configuration removed this member: it tells (the `removed` event), then stops,
   * so that it neither campaigns nor answers for a cluster it is no longer part of.
   */
  private stopRemoved(): void {
    this.emit("removed", { membership: this.core.membership, term: this.core.term });
    this.kill();
  }

  private send(message: OutgoingMessage<Command>): void {
    countSent(this.counters, message);
    this.transport.call(message.to, message.method, message.args).then(
      (result) => {
        if (this.dead) return;
        if (result.ok) this.onReply(message, result.reply);
        else {
          this.counters.sendFailures[message.method]++;
          this.callFailed(message);
        }
      },
      (error: unknown) => {
        if (this.dead) return;
        this.callFailed(message);
        this.reportError(error);
      },
    );
  }

  /** Every call settles: with a reply, or here (so that flow control frees its window slot). */
  private callFailed(message: OutgoingMessage<Command>): void {
    this.core.onCallFailed(message);
    if (this.core.hasReady) this.scheduleProcess();
  }

  private onReply(message: OutgoingMessage<Command>, reply: unknown): void {
    // A malformed reply counts as a failed call.
    if (!deliverReply(this.core, message, reply, this.clock.now())) {
      this.callFailed(message);
      return;
    }
    if (this.core.hasReady) this.scheduleProcess();
    else this.rearmTimer();
  }

  private rearmTimer(): void {
    if (this.dead) return;
    const at = this.core.nextWakeup();
    // An earlier timer still pending will re-check when it fires; keep it.
    if (this.timer && this.timerAt <= at) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimer(at - this.clock.now(), () => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      if (this.dead) return;
      this.core.tick(this.clock.now());
      this.process();
    });
  }

  /**
   * A write or an apply failed: the core already acts on state that is not durable, or the
   * service can no longer follow the log, so this member must not answer, send or apply anything
   * more. It stops; the error goes to `onError`.
   */
  private fail(error: unknown): void {
    if (this.dead) return;
    this.kill();
    this.reportError(error);
  }

  private crashLoudly(error: unknown): void {
    this.kill();
    queueMicrotask(() => {
      throw error;
    });
  }
}
