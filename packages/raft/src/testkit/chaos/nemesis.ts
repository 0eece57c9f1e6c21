import type { Clock, Random } from "../../interfaces.js";
import type { ChaosCluster } from "./chaos-cluster.js";
import { type ActiveFault, type FaultContext, inject } from "./faults.js";
import { MembershipDriver } from "./membership-driver.js";
import type { ScheduleStep } from "./schedule.js";
import type { Timeline } from "./timeline.js";

/** How often the raft-level checkers run while the schedule plays (virtual ms). */
const CHECK_EVERY_MS = 100;

/**
 * Plays a fault schedule against a cluster, running the safety checkers after every step and
 * every 100 ms in between, then heals everything: links, network switches, pauses, disks, and
 * restarts every member that is down. Stops early at the first violation.
 */
export class Nemesis {
  readonly #active: ActiveFault[] = [];
  readonly #ctx: FaultContext;
  /** Membership procedures, when the cluster has spare ids to add. */
  readonly membership: MembershipDriver | undefined;

  constructor(
    private readonly cluster: ChaosCluster<unknown>,
    private readonly clock: Clock,
    random: Random,
    private readonly timeline: Timeline,
  ) {
    const spares = cluster.roster.slots > cluster.members;
    this.membership = spares ? new MembershipDriver(cluster, clock, timeline) : undefined;
    this.#ctx = { cluster, clock, random, timeline, membership: this.membership };
  }

  /** Plays `steps`; resolves false if a checker found a violation (the schedule stops there). */
  async play(steps: readonly ScheduleStep[]): Promise<boolean> {
    for (const step of steps) {
      if (!(await this.waitChecking(step.gapMs))) return false;
      const fault = inject(step.kind, this.#ctx);
      this.timeline.note(`${step.kind}: ${fault.text}`);
      this.#active.push(fault);
      if (!(await this.waitChecking(step.holdMs))) return false;
      if (step.healAfter) {
        this.#active.splice(this.#active.indexOf(fault), 1);
        fault.heal();
        if (!fault.lasting) this.timeline.note(`heal: ${fault.text}`);
      }
    }
    return this.checkNow();
  }

  /** Undoes every fault still in force and brings every member back (never a removed one). */
  healAll(): void {
    for (const fault of this.#active.splice(0).reverse()) fault.heal();
    const { cluster } = this;
    cluster.links.healAll();
    cluster.net.setReliable(true);
    cluster.net.setLongReordering(false);
    cluster.net.setDuplication(0);
    const restarted: number[] = [];
    for (const i of cluster.everyone()) {
      cluster.storage.faults?.heal(i);
      cluster.resume(i);
      if (!cluster.isUp(i) && !cluster.roster.isRetired(i)) {
        cluster.start(i);
        restarted.push(i);
      }
    }
    const why = this.membership ? "stopped by a disk fault or a crash" : "stopped by a disk fault";
    this.timeline.note(
      `heal everything${restarted.length > 0 ? `; restarted ${restarted.join(", ")} (${why})` : ""}`,
    );
  }

  /** Waits (checking) up to `ms` for a leader; returns it. */
  async awaitLeader(ms: number): Promise<number | undefined> {
    const until = this.clock.now() + ms;
    while (this.cluster.leader() === undefined && this.clock.now() < until) await this.waitChecking(50);
    return this.cluster.leader();
  }

  /** Runs the checkers now; false when any violation has been found. */
  checkNow(): boolean {
    return this.cluster.check().length === 0;
  }

  /** Sleeps `ms`, checking every CHECK_EVERY_MS; false as soon as a violation shows. */
  async waitChecking(ms: number): Promise<boolean> {
    const until = this.clock.now() + ms;
    while (this.clock.now() < until) {
      await this.clock.sleep(Math.min(CHECK_EVERY_MS, until - this.clock.now()));
      if (!this.checkNow()) return false;
    }
    return this.checkNow();
  }
}
