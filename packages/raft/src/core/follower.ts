import { RaftUsageError } from "../errors.js";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  InstallSnapshotArgs,
  InstallSnapshotReply,
} from "../messages.js";
import type { SnapshotMeta } from "../types.js";
import { configOf } from "./config-entry.js";
import { ReplicationReplies } from "./replication-replies.js";

/** Follower side of replication: accepting (or refusing) AppendEntries and snapshot chunks from the leader, and compacting the log into the service's snapshot. */
export abstract class Follower<Command = unknown> extends ReplicationReplies<Command> {
  protected acceptAppend(args: AppendEntriesArgs<Command>, lastNew: number): AppendEntriesReply {
    const target = Math.min(args.leaderCommit, lastNew);
    if (target > this.commit) {
      this.commit = target;
      this.emitApplies();
    }
    return { term: this.currentTerm, success: true, conflictIndex: 0, conflictTerm: 0 };
  }

  protected snapshotReply(installed: boolean, nextOffset: number): InstallSnapshotReply {
    return { term: this.currentTerm, installed, nextOffset };
  }

  protected rejectAppend(conflictIndex: number, conflictTerm: number): AppendEntriesReply {
    return { term: this.currentTerm, success: false, conflictIndex, conflictTerm };
  }

  handleAppendEntries(args: AppendEntriesArgs<Command>, now: number): AppendEntriesReply {
    this.lastNow = now;
    if (args.term < this.currentTerm) return this.rejectAppend(0, 0);
    this.acceptLeader(args.term, args.leaderId, now);

    let prev = args.prevLogIndex;
    let entries = args.entries;
    if (prev < this.log.snapshotIndex) {
      // Our snapshot covers (committed, hence matching) entries the leader resent: skip them.
      const skip = this.log.snapshotIndex - prev;
      if (skip >= entries.length) return this.acceptAppend(args, prev + entries.length);
      entries = entries.slice(skip);
      prev = this.log.snapshotIndex;
    } else {
      if (prev > this.log.lastIndex) return this.rejectAppend(this.log.lastIndex + 1, 0);
      const term = this.log.termAt(prev)!;
      if (term !== args.prevLogTerm) return this.rejectAppend(this.log.firstIndexOfTermAt(prev), term);
    }

    // Log matching holds through `prev`: skip entries we have, cut at the first conflict.
    for (let i = 0; i < entries.length; i++) {
      const index = prev + 1 + i;
      const entry = entries[i]!;
      if (index <= this.log.lastIndex) {
        if (this.log.termAt(index) === entry.term) continue;
        this.log.truncateFrom(index);
        this.configs.truncateFrom(index); // a configuration that is gone no longer applies
        this.durableIndex = Math.min(this.durableIndex, index - 1); // what was durable there is gone
      }
      const rest = entries.slice(i);
      this.log.append(rest);
      this.out.writeEntries(index, rest);
      rest.forEach((e, k) => {
        const membership = configOf(e);
        if (membership) this.configs.append(index + k, membership);
      });
      break;
    }
    return this.acceptAppend(args, prev + entries.length);
  }

  handleInstallSnapshot(args: InstallSnapshotArgs, now: number): InstallSnapshotReply {
    this.lastNow = now;
    if (args.term < this.currentTerm) return this.snapshotReply(false, 0);
    this.acceptLeader(args.term, args.leaderId, now);
    const meta: SnapshotMeta = { index: args.lastIncludedIndex, term: args.lastIncludedTerm };
    // A snapshot that covers nothing new would move state backwards: ignore it (we hold all it has).
    if (meta.index <= this.commit) {
      this.incomingSnapshot.clear();
      return this.snapshotReply(true, 0);
    }
    const chunk = this.incomingSnapshot.accept(args);
    if ("nextOffset" in chunk) return this.snapshotReply(false, chunk.nextOffset);
    const data = chunk.data;
    const keptSuffix = this.log.compact(meta);
    // The snapshot's configuration (a leader of older code sends none: keep what is in force there).
    const membership = args.config ?? this.configs.at(meta.index);
    if (keptSuffix) this.configs.compact(meta.index, membership);
    else this.configs.reset(meta.index, membership);
    this.snapshotData = data;
    this.out.writeSnapshot({ ...meta, config: membership }, data);
    if (!keptSuffix) {
      this.out.writeEntries(meta.index + 1, []);
      this.durableIndex = Math.min(this.durableIndex, meta.index);
    }
    this.commit = this.applied = meta.index;
    this.out.apply({ kind: "snapshot", index: meta.index, term: meta.term, snapshot: data });
    return this.snapshotReply(true, 0);
  }

  /**
   * The service has a snapshot of everything through `index` (which it has been given to
   * apply): drop the log up to there. Older indexes than the current snapshot are ignored.
   */
  compact(index: number, data: Uint8Array): void {
    if (!Number.isInteger(index)) throw new RaftUsageError(`snapshot index must be an integer, got ${index}`);
    if (index <= this.log.snapshotIndex) return;
    if (index > this.applied) {
      throw new RaftUsageError(`cannot snapshot through ${index}: only ${this.applied} has been applied`);
    }
    const term = this.log.termAt(index)!;
    const membership = this.configs.at(index);
    this.log.compact({ index, term });
    this.configs.compact(index, membership);
    this.snapshotData = data;
    this.out.writeSnapshot({ index, term, config: membership }, data);
  }
}
