import type { PeerId } from "../interfaces.js";
import type { AppendEntriesArgs, InstallSnapshotArgs, OutgoingMessage } from "../messages.js";
import type { LogEntry } from "../types.js";
import { CoreObservers } from "./core-observers.js";
import { canSend, enterSnapshot, type Progress, track } from "./progress.js";

/** Leader side of log replication, what it sends: proposals into the log, AppendEntries and snapshot chunks under flow control, heartbeats (the replies and the commit rule are in `ReplicationReplies`). */
export abstract class Replication<Command = unknown> extends CoreObservers<Command> {
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
}
