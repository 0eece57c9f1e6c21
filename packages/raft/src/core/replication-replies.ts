import type { PeerId } from "../interfaces.js";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  OutgoingMessage,
} from "../messages.js";
import { acknowledge, enterProbe, enterReplicate, type Progress, settle } from "./progress.js";
import { majorityValueOf } from "./quorum.js";
import { Replication } from "./replication.js";

/** Leader side of log replication, what comes back: the followers' replies and failed calls (which free window slots and move each follower's progress), and the commit rule (Figure 8). */
export abstract class ReplicationReplies<Command = unknown> extends Replication<Command> {
  /** A voter's match index; made once, since the commit rule runs on every acknowledgement. */
  readonly #matchOf = (peer: PeerId): number =>
    peer === this.id ? this.ownMatch() : (this.progress.get(peer)?.match ?? 0);

  /** Commits the highest index a quorum holds, if it is from the current term (Figure 8). */
  protected maybeCommit(): void {
    // The voters in force count, the leader among them only if it is one (it may be removing itself).
    const candidate = majorityValueOf(this.configs.latest.voters, this.#matchOf);
    if (candidate > this.commit && this.log.termAt(candidate) === this.currentTerm) {
      for (let index = Math.max(this.commit + 1, this.firstOwnIndex); index <= candidate; index++)
        this.uncommittedBytes -= this.log.bytesAt(index);
      this.commit = candidate;
      this.emitApplies();
      this.confirmReads();
      this.configCommitted();
    }
  }

  onAppendEntriesReply(
    from: PeerId,
    args: AppendEntriesArgs<Command>,
    reply: AppendEntriesReply,
    now: number,
  ): void {
    const pr = this.replyProgress(from, args, reply.term, now);
    if (!pr) return;
    if (reply.success) this.appendAccepted(pr, args);
    else this.appendRejected(pr, args, reply);
    if (!this.isLeader) return; // its own removal committed: it handed over
    if (reply.success && from === this.transfer?.target) this.sendTimeoutNowIfCaughtUp();
    if (reply.success && this.leftForGood(from, args.leaderCommit)) return;
    if (reply.success && this.configs.latest.autoPromote.includes(from)) this.maybePromote();
    // The window has room again (or a new probe is due): send what is waiting.
    if (pr.mode !== "snapshot" && pr.next <= this.log.lastIndex) this.sendAppend(from, false);
  }

  /**
   * A reply to this leader's AppendEntries or InstallSnapshot: a newer term steps down, one of another
   * term or from an untracked member is ignored (undefined); else it acknowledges and frees a slot.
   */
  private replyProgress(
    from: PeerId,
    args: { term: number },
    replyTerm: number,
    now: number,
  ): Progress | undefined {
    this.lastNow = now;
    if (this.observeTerm(replyTerm, now)) return undefined;
    if (!this.isLeader || args.term !== this.currentTerm || replyTerm !== this.currentTerm) return undefined;
    const pr = this.progress.get(from);
    if (!pr) return undefined;
    this.acknowledged(from, args);
    settle(pr, args);
    return pr;
  }

  protected appendAccepted(pr: Progress, args: AppendEntriesArgs<Command>): void {
    acknowledge(pr, args.prevLogIndex + args.entries.length);
    // In snapshot mode, a late success that still leaves the follower short of the snapshot
    // changes nothing: the transfer goes on.
    if (pr.mode !== "replicate" && !(pr.mode === "snapshot" && pr.match < this.log.snapshotIndex))
      enterReplicate(pr);
    this.maybeCommit();
  }

  protected appendRejected(pr: Progress, args: AppendEntriesArgs<Command>, reply: AppendEntriesReply): void {
    // Ignore stale rejections: in probe mode only the latest probe counts, and the follower has
    // acknowledged everything through `match`, so a rejection at or below it is an old message
    // (answering it again would only resend the same probe, forever).
    if (pr.mode === "snapshot") return;
    if (pr.mode === "probe" && args.prevLogIndex !== pr.next - 1) return;
    if (args.prevLogIndex <= pr.match) return;
    let next = reply.conflictIndex;
    if (reply.conflictTerm > 0) {
      const last = this.log.lastIndexOfTerm(reply.conflictTerm);
      if (last !== undefined) next = last + 1;
    }
    enterProbe(pr, Math.max(pr.match + 1, Math.min(next, args.prevLogIndex)));
  }

  onInstallSnapshotReply(
    from: PeerId,
    args: InstallSnapshotArgs,
    reply: InstallSnapshotReply,
    now: number,
  ): void {
    const pr = this.replyProgress(from, args, reply.term, now);
    if (!pr) return;
    if (reply.installed) {
      acknowledge(pr, args.lastIncludedIndex);
      if (pr.mode === "snapshot") {
        enterProbe(pr, pr.next);
        this.sendAppend(from, true);
      }
      this.maybeCommit();
      return;
    }
    // The follower wants the next chunk (or to start again): go on if this is still the transfer.
    if (pr.mode !== "snapshot" || args.lastIncludedIndex !== pr.snapshotIndex) return;
    pr.snapshotOffset = reply.nextOffset;
    this.sendSnapshot(from);
  }

  /**
   * A call this member made failed (lost, timed out, unreachable, or too large to send). Its
   * window slot is free again; nothing is resent before the next heartbeat, and a follower that
   * was being replicated to is probed again from what it has acknowledged.
   */
  onCallFailed(message: OutgoingMessage<Command>): void {
    if (message.method === "RequestVote" || !this.isLeader || message.args.term !== this.currentTerm) return;
    const pr = this.progress.get(message.to);
    if (!pr || !settle(pr, message.args)) return;
    if (pr.mode === "replicate") enterProbe(pr, pr.match + 1);
  }

  /**
   * With `explicitDurability`: this member's log is durable through `index` (what it held when the
   * write was issued). A leader may now count its own copy, and commit.
   */
  persisted(index: number): void {
    // Monotonic: a late report of an older write never takes back what a later one made durable.
    if (index <= this.durableIndex) return;
    this.durableIndex = Math.min(index, this.log.lastIndex);
    if (this.isLeader) this.maybeCommit();
  }
}
