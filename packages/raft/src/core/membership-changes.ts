import { MemberIdRemovedError, MembershipChangeError, MembershipChangePendingError } from "../errors.js";
import type { PeerId } from "../interfaces.js";
import type { StartResult } from "../types.js";
import { configEntry } from "./config-entry.js";
import { Leadership } from "./leadership.js";
import {
  applyChange,
  isVoter,
  type Membership,
  type MembershipChange,
  membersOf,
  nextFreeId,
  removedIdReason,
  wasRemoved,
} from "./membership.js";
import { freshProgress } from "./progress.js";

/** Membership changes on the leader: single-server changes with one in flight and the own-term guard, the progress table following the configuration, automatic promotion of caught-up learners, removed members leaving, and a removed leader handing over. */
export abstract class MembershipChanges<Command = unknown> extends Leadership<Command> {
  /**
   * Leader: appends the configuration `change` leads to (single-server changes; it takes effect
   * at once, as every member uses the latest configuration in its log). Returns where it will
   * be committed, or isLeader false when this member is not the leader (or is transferring).
   * Throws MembershipChangePendingError (retryable) while a change is uncommitted or before this
   * leader has committed an entry of its own term (the 2015 single-server anomaly), and
   * MembershipChangeError for a change that makes no sense (an unknown member, a learner not
   * caught up yet for `promote`, the last voter), MemberIdRemovedError for adding an id a change
   * removed earlier (ids are never reused).
   */
  changeMembership(change: MembershipChange, now: number): StartResult {
    this.lastNow = now;
    if (!this.isLeader || this.transfer) return { index: -1, term: this.currentTerm, isLeader: false };
    if (!this.committedOwnTerm())
      throw new MembershipChangePendingError(
        this.log.lastIndex,
        "this leader has not committed an entry of its term yet",
      );
    if (this.configs.latestIndex > this.commit)
      throw new MembershipChangePendingError(this.configs.latestIndex, "another change is not committed yet");
    if (
      change.kind === "promote" &&
      this.configs.latest.learners.includes(change.id) &&
      !this.caughtUp(change.id)
    ) {
      throw new MembershipChangePendingError(
        this.commit,
        `learner ${change.id} holds the log through ${this.matchOf(change.id)} of ${this.commit} committed entries; it is promoted once caught up`,
      );
    }
    const latest = this.configs.latest;
    if (change.kind === "add-learner" && wasRemoved(latest, change.id))
      throw new MemberIdRemovedError(change.id, nextFreeId(latest), removedIdReason(latest, change.id));
    const next = applyChange(latest, change);
    if (typeof next === "string") throw new MembershipChangeError(change, next);
    return this.appendConfig(next);
  }

  protected appendConfig(next: Membership): StartResult {
    const entry = configEntry<Command>(this.currentTerm, next);
    const index = this.appendOwn(entry, 0);
    this.configs.append(index, next);
    this.adoptConfig();
    // A change may have made this leader the only voter, or removed it: count again.
    this.maybeCommit();
    return { index, term: this.currentTerm, isLeader: true };
  }

  /**
   * The guard single-server changes need (Ongaro, raft-dev 2015): a leader changes the
   * configuration only once it has committed an entry of its own term (its no-op). Otherwise a
   * leader of an older term holding an uncommitted change could win under that configuration
   * and overwrite a committed one (test/scenario-membership.test.ts shows it without the guard).
   */
  protected committedOwnTerm(): boolean {
    return this.log.termAt(this.commit) === this.currentTerm;
  }

  /** A learner is close enough to be promoted once it holds every committed entry. */
  protected caughtUp(id: PeerId): boolean {
    const pr = this.progress.get(id);
    return pr !== undefined && pr.mode === "replicate" && pr.match >= this.commit;
  }

  /**
   * Leader: makes the progress table follow the configuration in force: new members are probed
   * from the end of the log; removed ones stay (as `leaving`) until they learn the change committed.
   */
  protected override adoptConfig(): void {
    const members = membersOf(this.configs.latest).filter((id) => id !== this.id);
    for (const id of members) {
      this.leaving.delete(id);
      if (!this.progress.has(id)) this.progress.set(id, freshProgress(this.log.lastIndex));
    }
    for (const id of this.progress.keys()) {
      if (!members.includes(id) && !this.leaving.has(id))
        this.leaving.set(id, { index: this.configs.latestIndex, deadline: Number.POSITIVE_INFINITY });
    }
  }

  /** Leader, after its commit index moved: what a committed configuration change sets off. */
  protected override configCommitted(): void {
    if (this.configs.latestIndex > this.commit) return;
    const deadline = this.lastNow + this.config.electionTimeoutMinMs;
    for (const gone of this.leaving.values())
      if (gone.deadline === Number.POSITIVE_INFINITY) gone.deadline = deadline;
    if (!isVoter(this.configs.latest, this.id)) {
      this.handOver();
      return;
    }
    this.maybePromote();
  }

  /**
   * This leader's own removal committed: it tells the most up-to-date voter to campaign at once
   * (TimeoutNow, as a leadership transfer does), and steps down.
   */
  protected handOver(): void {
    const successor = this.bestSuccessor();
    if (successor !== undefined) {
      this.timeoutNowSentThisTerm = true;
      this.out.send({
        to: successor,
        method: "TimeoutNow",
        args: { term: this.currentTerm, leaderId: this.id },
      });
    }
    // Members must hear the commit index that covers the change: one last round.
    this.heartbeat(this.lastNow);
    this.leader = undefined;
    this.becomeFollower(this.lastNow);
  }

  /** Leader: promotes the first auto-promoting learner that has caught up, if no change is pending. */
  protected override maybePromote(): void {
    if (!this.isLeader || this.transfer || this.configs.latestIndex > this.commit) return;
    if (!this.committedOwnTerm()) return;
    const ready = this.configs.latest.autoPromote.find((id) => this.caughtUp(id));
    if (ready === undefined) return;
    const next = applyChange(this.configs.latest, { kind: "promote", id: ready });
    if (typeof next !== "string") this.appendConfig(next);
  }

  /**
   * A member the configuration removed acknowledged a commit index covering its removal: it
   * knows, and stops; the leader forgets it. Returns whether it did.
   */
  protected override leftForGood(from: PeerId, leaderCommit: number): boolean {
    const gone = this.leaving.get(from);
    if (!gone || leaderCommit < gone.index) return false;
    this.leaving.delete(from);
    this.progress.delete(from);
    return true;
  }

  protected dropLeavingPastDeadline(now: number): void {
    for (const [id, gone] of this.leaving) {
      if (now < gone.deadline) continue;
      this.leaving.delete(id);
      this.progress.delete(id);
    }
  }
}
