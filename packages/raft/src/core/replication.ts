import type { PeerId } from "../interfaces.js";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  OutgoingMessage,
} from "../messages.js";
import type { LogEntry } from "../types.js";
import { CoreState } from "./core-state.js";
import {
  acknowledge,
  canSend,
  enterProbe,
  enterReplicate,
  enterSnapshot,
  type Progress,
  settle,
  track,
} from "./progress.js";
import { majorityValue } from "./quorum.js";

/** Leader side of log replication: proposals into the log, AppendEntries and snapshot chunks under flow control, heartbeats, the replies, and the commit rule (Figure 8). */
export abstract class Replication<Command = unknown> extends CoreState<Command> {
  /** Appends an entry of the leader's own making; followers get it at the next takeReady(). */
  protected appendOwn(entry: LogEntry<Command>, size: number): number {
    const index = this.log.lastIndex + 1;
    this.log.append([entry], size);
    this.uncommittedBytes += size;
    this.out.writeEntries(index, [entry]);
    this.proposalsPending = true;
    const { voters } = this.configs.latest;
    if (voters.length === 1 && voters[0] === this.id) this.maybeCommit();
    return index;
  }

  protected heartbeat(now: number): void {
    this.heartbeatDeadline = now + this.config.heartbeatIntervalMs;
    this.sendTimeoutNowIfCaughtUp(); // again, in case the last one was lost
    for (const [peer, pr] of this.progress) {
      // A snapshot chunk unanswered: only keep the follower's election timer quiet.
      if (pr.mode === "snapshot" && !this.mayRelease(pr)) this.sendHeartbeatOnly(peer, pr);
      else this.sendAppend(peer, true);
    }
  }

  protected mayRelease(pr: Progress): boolean {
    return canSend(pr, this.config.maxInflightMessages, this.config.maxInflightBytes);
  }

  /**
   * Sends the follower what it needs from `next` on, as far as flow control allows: batches of
   * entries capped by count and bytes (in replicate mode until the window is full), or the next
   * snapshot chunk when they are compacted. `evenIfEmpty` makes it a heartbeat when nothing is new.
   */
  protected sendAppend(peer: PeerId, evenIfEmpty: boolean): void {
    const pr = this.progress.get(peer)!;
    if (pr.mode === "snapshot" || pr.next <= this.log.snapshotIndex) {
      this.sendSnapshot(peer);
      return;
    }
    const { maxEntriesPerMessage, maxMessageBytes } = this.config;
    for (;;) {
      const prevLogIndex = pr.next - 1;
      // Blocked by flow control: an empty message still probes, and keeps the follower quiet.
      const batch = this.mayRelease(pr)
        ? this.log.batch(pr.next, maxEntriesPerMessage, maxMessageBytes)
        : { entries: [], bytes: 0 };
      if (batch.entries.length === 0 && !evenIfEmpty) return;
      const args: AppendEntriesArgs<Command> = {
        term: this.currentTerm,
        leaderId: this.id,
        prevLogIndex,
        prevLogTerm: this.log.termAt(prevLogIndex)!,
        entries: batch.entries,
        leaderCommit: this.commit,
      };
      this.sendToFollower({ to: peer, method: "AppendEntries", args });
      if (batch.entries.length === 0) return;
      track(pr, args, batch.bytes);
      if (pr.mode !== "replicate") return;
      pr.next = prevLogIndex + batch.entries.length + 1;
      if (pr.next > this.log.lastIndex) return;
      evenIfEmpty = false;
    }
  }

  /** Sends the next chunk of the current snapshot, one call at a time; starts over for a new one. */
  protected sendSnapshot(peer: PeerId): void {
    const pr = this.progress.get(peer)!;
    if (pr.mode !== "snapshot" || pr.snapshotIndex !== this.log.snapshotIndex)
      enterSnapshot(pr, this.log.snapshotIndex);
    if (!this.mayRelease(pr)) return;
    const total = this.snapshotData.length;
    const offset = pr.snapshotOffset <= total ? pr.snapshotOffset : 0;
    const data = this.snapshotData.subarray(offset, offset + this.config.maxMessageBytes);
    const args: InstallSnapshotArgs = {
      term: this.currentTerm,
      leaderId: this.id,
      lastIncludedIndex: this.log.snapshotIndex,
      lastIncludedTerm: this.log.snapshotTerm,
      config: this.configs.at(this.log.snapshotIndex),
      offset,
      data,
      done: offset + data.length >= total,
    };
    this.sendToFollower({ to: peer, method: "InstallSnapshot", args });
    track(pr, args, data.length);
  }

  /**
   * An empty AppendEntries at a point the follower is known to hold (or the snapshot's end):
   * it keeps the follower from starting an election and carries the commit index, nothing else.
   */
  protected sendHeartbeatOnly(peer: PeerId, pr: Progress): void {
    const prevLogIndex = Math.max(pr.match, this.log.snapshotIndex);
    this.sendToFollower({
      to: peer,
      method: "AppendEntries",
      args: {
        term: this.currentTerm,
        leaderId: this.id,
        prevLogIndex,
        prevLogTerm: this.log.termAt(prevLogIndex)!,
        entries: [],
        leaderCommit: this.commit,
      },
    });
  }

  /** Sends a leader's message, stamped so that its reply acknowledges this leadership. */
  protected sendToFollower(message: OutgoingMessage<Command>): void {
    this.acks?.stamp(message.args, this.lastNow);
    this.out.send(message);
  }

  /** Commits the highest index a quorum holds, if it is from the current term (Figure 8). */
  protected maybeCommit(): void {
    // The voters in force count, the leader among them only if it is one (it may be removing itself).
    const matches = this.configs.latest.voters.map((peer) =>
      peer === this.id ? this.ownMatch() : (this.progress.get(peer)?.match ?? 0),
    );
    const candidate = majorityValue(matches);
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
