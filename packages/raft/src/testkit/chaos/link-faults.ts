import type { CallResult, Clock, Random } from "../../interfaces.js";
import type { CallableEnd } from "../../transport/labrpc.js";

/** Who sends on an end: a member (its index) or a client (`"client"`). */
export type Endpoint = number | "client";

const FAILED: CallResult<never> = Object.freeze({ ok: false });
/** How long a call on a cut link takes to fail (a lost packet, then a retransmit timer). */
const CUT_FAILURE_MS = 50;

/**
 * The faults on the links between members, beyond what labrpc's global switches do: one-way
 * cuts (`a → b` lost means a's requests to b and b's replies to a are lost), extra delay on a
 * link, and a base latency per end that keeps each end in order like one TCP connection.
 * Clients are never cut off; they see member pauses and slowness.
 */
export class LinkFaults {
  /** `cut[a][b]`: how many active faults lose what a sends to b (overlapping faults each undo theirs). */
  private readonly cut: number[][];
  /** Extra one-way delay on a → b, in ms. */
  private readonly delay: number[][];

  constructor(
    readonly members: number,
    private readonly clock: Clock,
    private readonly random: Random,
    /** Mean base latency of every call, in ms (drawn from [mean/2, 3·mean/2)). */
    private readonly latencyMs = 2,
  ) {
    this.cut = Array.from({ length: members }, () => new Array<number>(members).fill(0));
    this.delay = Array.from({ length: members }, () => new Array<number>(members).fill(0));
  }

  /** Loses what `from` sends to `to` (one way); returns the undo. */
  cutLink(from: number, to: number): () => void {
    if (from === to) return () => {};
    this.cut[from]![to]!++;
    let undone = false;
    return () => {
      if (!undone && this.cut[from]![to]! > 0) this.cut[from]![to]!--;
      undone = true;
    };
  }

  /** Cuts both ways between every member of `a` and every member of `b`; returns the undo. */
  cutBetween(a: readonly number[], b: readonly number[]): () => void {
    const undo: (() => void)[] = [];
    for (const i of a) for (const j of b) undo.push(this.cutLink(i, j), this.cutLink(j, i));
    return () => {
      for (const u of undo) u();
    };
  }

  isCut(from: Endpoint, to: Endpoint): boolean {
    return typeof from === "number" && typeof to === "number" && this.cut[from]![to]! > 0;
  }

  /** Adds `ms` of delay to everything `member` sends and receives. */
  slowMember(member: number, ms: number): void {
    for (let j = 0; j < this.members; j++) {
      this.delay[member]![j] = ms;
      this.delay[j]![member] = ms;
    }
  }

  delayLink(from: number, to: number, ms: number): void {
    this.delay[from]![to] = ms;
  }

  extraDelay(from: Endpoint, to: Endpoint): number {
    return typeof from === "number" && typeof to === "number" ? this.delay[from]![to]! : 0;
  }

  /** Restores every link: no cuts, no extra delay. */
  healAll(): void {
    for (const row of this.cut) row.fill(0);
    for (const row of this.delay) row.fill(0);
  }

  /** True when some link is cut or delayed. */
  get faulty(): boolean {
    return this.cut.some((row) => row.some((c) => c > 0)) || this.delay.some((row) => row.some((d) => d > 0));
  }

  /**
   * Wraps the end `from` uses to reach `to`: base latency in order, extra delay, one-way cuts
   * (checked when the request leaves and when the reply comes back), and `gate` — a paused
   * sender neither sends nor reads replies until it resumes.
   */
  wrap(end: CallableEnd, from: Endpoint, to: Endpoint, gate: () => Promise<void> | undefined): CallableEnd {
    let lastArrival = Number.NEGATIVE_INFINITY;
    return {
      call: async (method, args) => {
        await gate();
        const latency = this.latencyMs / 2 + this.random.float() * this.latencyMs + this.extraDelay(from, to);
        lastArrival = Math.max(this.clock.now() + latency, lastArrival);
        await this.clock.sleep(lastArrival - this.clock.now());
        if (this.isCut(from, to)) {
          await this.clock.sleep(this.random.int(CUT_FAILURE_MS));
          return FAILED;
        }
        const result = await end.call(method, args);
        const back = this.extraDelay(to, from);
        if (back > 0) await this.clock.sleep(back);
        if (this.isCut(to, from)) return FAILED;
        await gate();
        return result;
      },
    };
  }
}
