import type { PeerId } from "../interfaces.js";
import type { LogEntry, RaftState, Role } from "../types.js";
import { CoreState } from "./core-state.js";
import type { Membership } from "./membership.js";

/** What callers may read of the core: term, role and leader, log positions, the configuration, the leader's view of its followers, and when it next needs a tick. */
export abstract class CoreObservers<Command = unknown> extends CoreState<Command> {
  get term(): number {
    return this.currentTerm;
  }

  get role(): Role {
    return this.currentRole;
  }

  get isLeader(): boolean {
    return this.currentRole === "leader";
  }

  /** The leader this member last heard from in the current term, if any. */
  get leaderId(): PeerId | undefined {
    return this.leader;
  }

  get votedForId(): PeerId | null {
    return this.votedFor;
  }

  get commitIndex(): number {
    return this.commit;
  }

  get lastIndex(): number {
    return this.log.lastIndex;
  }

  get lastTerm(): number {
    return this.log.lastTerm;
  }

  get snapshotIndex(): number {
    return this.log.snapshotIndex;
  }

  /** The term of the entry at `index`, if the log still holds it (or it is the snapshot's last). */
  termAt(index: number): number | undefined {
    return this.log.termAt(index);
  }

  /** The entry at `index`; throws RangeError when compacted or beyond the end. */
  entryAt(index: number): LogEntry<Command> {
    return this.log.entry(index);
  }

  state(): RaftState {
    return { term: this.currentTerm, isLeader: this.isLeader };
  }

  /** The configuration in force: the latest in the log, committed or not (Raft thesis §4.1). */
  get membership(): Membership {
    return this.configs.latest;
  }

  /** The index of the entry that set `membership` (the snapshot's index, or 0, if none did). */
  get membershipIndex(): number {
    return this.configs.latestIndex;
  }

  /** A committed configuration removed this member: it must stop (it takes no part any more). */
  get removed(): boolean {
    return this.removedFlag;
  }

  /** Leader: how far member `peer` is known to hold the log (0 if unknown or not a member). */
  matchOf(peer: PeerId): number {
    return peer === this.id ? this.log.lastIndex : (this.progress.get(peer)?.match ?? 0);
  }

  /** Leader: the calls to `peer` that have not settled yet, and the bytes they carry. */
  inflight(peer: PeerId): { messages: number; bytes: number } {
    const pr = this.isLeader ? this.progress.get(peer) : undefined;
    return { messages: pr?.inflight.size ?? 0, bytes: pr?.inflightBytes ?? 0 };
  }

  /** Leader: bytes of its proposals that wait for a quorum (see `maxUncommittedBytes`). */
  get uncommitted(): number {
    return this.isLeader ? this.uncommittedBytes : 0;
  }

  /** The time at which `tick` has something to do (an election or a heartbeat). */
  nextWakeup(): number {
    return this.isLeader
      ? Math.min(this.heartbeatDeadline, this.checkQuorumTimer.deadline)
      : this.electionDeadline;
  }
}
