import type { Simulation } from "@raftkit/labrpc";
import {
  type ApplyMsg,
  type CallResult,
  type HardState,
  type LogEntry,
  MemoryPersister,
  RaftNode,
  type RequestHandler,
  type SnapshotMeta,
  type Transport,
} from "../src/index.js";

/** A transport whose peers never answer (calls fail after 10 ms); keeps the handler for the test. */
export class SilentTransport implements Transport {
  handler: RequestHandler | undefined;
  calls = 0;
  constructor(private readonly sim: Simulation) {}
  async call(): Promise<CallResult<unknown>> {
    this.calls++;
    await this.sim.sleep(10);
    return { ok: false };
  }
  listen(handler: RequestHandler): void {
    this.handler = handler;
  }
}

/** MemoryPersister whose writes become durable `delayMs` later, counting the writes. */
export class SlowStorage extends MemoryPersister<string> {
  writes: string[] = [];
  constructor(
    private readonly sim: Simulation,
    private readonly delayMs: number,
  ) {
    super();
  }
  override saveHardState(state: HardState): Promise<void> {
    super.saveHardState(state);
    this.writes.push(`hard ${state.term}/${state.votedFor}`);
    return this.sim.sleep(this.delayMs);
  }
  override appendEntries(from: number, entries: readonly LogEntry<string>[]): Promise<void> {
    super.appendEntries(from, entries);
    this.writes.push(`entries ${from}+${entries.length}`);
    return this.sim.sleep(this.delayMs);
  }
  override saveSnapshot(meta: SnapshotMeta, data: Uint8Array): Promise<void> {
    super.saveSnapshot(meta, data);
    this.writes.push(`snapshot ${meta.index}`);
    return this.sim.sleep(this.delayMs);
  }
}

/**
 * MemoryPersister whose writes fail once `failWith` is set: "reject" makes each write's durability
 * reject after `delayMs`, "throw" throws at once. What was written before is kept.
 */
export class FailingStorage extends MemoryPersister<string> {
  failWith: "reject" | "throw" | undefined;
  constructor(
    private readonly sim: Simulation,
    private readonly delayMs = 5,
  ) {
    super();
  }
  override saveHardState(state: HardState): void | Promise<void> {
    return this.fail() ?? super.saveHardState(state);
  }
  override appendEntries(from: number, entries: readonly LogEntry<string>[]): void | Promise<void> {
    return this.fail() ?? super.appendEntries(from, entries);
  }
  override saveSnapshot(meta: SnapshotMeta, data: Uint8Array): void | Promise<void> {
    return this.fail() ?? super.saveSnapshot(meta, data);
  }
  private fail(): Promise<void> | undefined {
    if (this.failWith === "throw") throw new Error("EIO: write failed");
    if (this.failWith === "reject")
      return this.sim.sleep(this.delayMs).then(() => Promise.reject(new Error("EIO: write failed")));
    return undefined;
  }
}

/** Without pre-vote and check-quorum: a member just started grants a vote at once. */
export const CLASSIC = { preVote: false, checkQuorum: false } as const;

/**
 * A node of a `peerCount`-member cluster whose peers never answer, with its errors collected;
 * classic rules, so that it grants the votes the tests ask for at once.
 */
export function lonelyNode(
  sim: Simulation,
  storage: MemoryPersister<string>,
  options: { peerCount?: number; onApply?: (m: ApplyMsg<string>) => void | Promise<void> } = {},
) {
  const transport = new SilentTransport(sim);
  const errors: unknown[] = [];
  const node = new RaftNode<string>({
    id: 0,
    peerCount: options.peerCount ?? 3,
    transport,
    storage,
    clock: sim,
    random: sim.random,
    onApply: options.onApply ?? (() => {}),
    onError: (error) => errors.push(error),
    config: CLASSIC,
  });
  return { node, transport, errors };
}
