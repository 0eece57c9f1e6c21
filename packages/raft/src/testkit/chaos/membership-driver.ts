import { isMember, isVoter, type Membership, type MembershipChange } from "../../core/membership.js";
import { MembershipChangeError, RaftError } from "../../errors.js";
import type { Clock } from "../../interfaces.js";
import type { ChaosCluster } from "./chaos-cluster.js";
import type { Violation } from "./checkers/violation.js";
import type { Timeline } from "./timeline.js";

/** How long one request waits for its change to commit before asking again (virtual ms). */
const ATTEMPT_MS = 2000;

/** Whether `m` already reflects `change` (so asking again would be refused as pointless). */
export function reflects(m: Membership, change: MembershipChange): boolean {
  if (change.kind === "add-learner") return isMember(m, change.id);
  if (change.kind === "promote") return isVoter(m, change.id);
  return !isMember(m, change.id);
}

export const describeChange = (c: MembershipChange): string =>
  c.kind === "add-learner"
    ? `add member ${c.id} as a learner${c.autoPromote ? " (promoted automatically once caught up)" : ""}`
    : `${c.kind} member ${c.id}`;

/**
 * Runs the nemesis's membership procedures one after another, as an operator would: each asks
 * the current leader for single-server changes and retries what raft refuses as retryable (no
 * leader, another change in flight, a learner still catching up, leadership lost) until the
 * change is seen committed. Every step goes into the timeline in words; procedures still
 * running at the heal are part of the liveness check (`pending()`).
 */
export class MembershipDriver {
  readonly errors: Violation[] = [];
  readonly #pending = new Map<string, Promise<void>>();
  #chain: Promise<void> = Promise.resolve();
  #stopped = false;
  #queued = 0;

  constructor(
    readonly cluster: ChaosCluster<unknown>,
    readonly clock: Clock,
    readonly timeline: Timeline,
  ) {}

  /** Queues `procedure` behind the ones already queued. */
  enqueue(label: string, procedure: () => Promise<void>): void {
    const done = this.#chain.then(() => (this.#stopped ? undefined : procedure()));
    this.#chain = done.catch((error: unknown) => {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.errors.push({ checker: "membership", message: `${label}: ${text}`, atMs: this.clock.now() });
    });
    const key = `${label} (#${++this.#queued})`;
    this.#pending.set(key, this.#chain);
    void this.#chain.then(() => this.#pending.delete(key));
  }

  /** Procedures not finished yet, for the liveness check after the heal. */
  pending(): { label: string; done: Promise<unknown> }[] {
    return [...this.#pending].map(([label, done]) => ({ label: `membership: ${label}`, done }));
  }

  /** No procedure starts or retries any more. */
  stop(): void {
    this.#stopped = true;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  note(text: string): void {
    this.timeline.note(`membership: ${text}`);
  }

  /** Waits (checking) until `done()` or the driver stops; false if it stopped first. */
  async until(done: () => boolean): Promise<boolean> {
    while (!this.#stopped) {
      this.cluster.check();
      if (done()) return true;
      await this.clock.sleep(50);
    }
    return false;
  }

  /**
   * Asks the leader for `change` until it is seen committed; false when raft refuses it for good
   * (MembershipChangeError while the configuration does not reflect it) or the driver stops.
   */
  async change(change: MembershipChange): Promise<boolean> {
    const what = describeChange(change);
    while (!this.#stopped) {
      if (reflects(this.cluster.roster.committed, change)) return true;
      const leader = this.cluster.leader();
      const raft = leader === undefined ? undefined : this.cluster.member(leader)?.raft;
      if (!raft?.changeMembership || !raft.membership) {
        await this.clock.sleep(50);
        continue;
      }
      if (reflects(raft.membership, change)) {
        // In the leader's log already (an earlier attempt): wait for it to commit, or move on.
        await this.clock.sleep(50);
        this.cluster.check();
        continue;
      }
      const outcome = await this.attempt(() => raft.changeMembership!(change));
      if (outcome === "committed") {
        this.note(`${what}: committed (leader ${leader})`);
        return true;
      }
      if (outcome instanceof MembershipChangeError && !reflects(raft.membership, change)) {
        this.note(`${what}: refused (${outcome.message})`);
        return false;
      }
      await this.clock.sleep(100);
    }
    return false;
  }

  /** One request: "committed", what raft rejected it with, or "timeout" after ATTEMPT_MS. */
  private async attempt(request: () => Promise<unknown>): Promise<unknown> {
    const outcome = request().then(
      () => "committed" as const,
      (error: unknown) => {
        // Raft's typed refusals are answers; anything else is a bug in the member.
        if (!(error instanceof RaftError)) throw error;
        return error;
      },
    );
    return Promise.race([outcome, this.clock.sleep(ATTEMPT_MS).then(() => "timeout" as const)]);
  }
}
