import { ProposalTooLargeError, RaftUsageError, UncommittedLimitError } from "../errors.js";
import type { LogEntry, StartResult } from "../types.js";
import { isReservedCommand } from "./config-entry.js";
import { MembershipChanges } from "./membership-changes.js";
import type { Ready } from "./ready.js";

export type { CoreInitialState, CoreOptions } from "./core-options.js";

/**
 * The Raft protocol as a synchronous state machine without I/O. Inputs: `tick(now)`, incoming
 * requests (`handle*`, which return the reply), replies to its own requests (`on*Reply`),
 * `propose(command)` and `compact(index, data)`. Outputs accumulate until `takeReady()`: hard
 * state and log writes to make durable, requests to send, and entries/snapshots to apply.
 * The caller must persist a Ready before acting on its other parts (see `Ready`).
 */
export class RaftCore<Command = unknown> extends MembershipChanges<Command> {
  /** Advances timers: starts an election or sends heartbeats when their time has come. */
  tick(now: number): void {
    this.lastNow = now;
    if (this.isLeader) {
      if (this.checkQuorumTimer.due(now) && !this.acks?.takeActive(this.configs.latest.voters)) {
        // No majority replied during a whole election timeout: step down (check-quorum).
        if (this.config.checkQuorum) {
          this.leader = undefined;
          this.becomeFollower(now);
          return;
        }
        // Without it the leader goes on (the Raft paper's rule), but cannot confirm reads: they
        // fail rather than wait for a majority that may never answer this leader again.
        for (const lost of this.readOnly.failAll(this.config.electionTimeoutMinMs)) this.out.read(lost);
      }
      if (this.transfer && now >= this.transfer.deadline) {
        this.out.transferEnded({ target: this.transfer.target, outcome: "timeout" });
        this.transfer = undefined;
      }
      this.dropLeavingPastDeadline(now);
      if (now >= this.heartbeatDeadline) this.heartbeat(now);
    } else if (now >= this.electionDeadline) {
      // Learners, members still to be added, and removed members never campaign.
      if (!this.mayCampaign()) this.resetElectionDeadline(now);
      else if (this.config.preVote) this.preCampaign(now);
      else this.campaign(now);
    }
  }

  /**
   * Appends a command if this member is the leader. Followers are sent it at the next
   * `takeReady()`, together with every other proposal made before it. `bytes` is its size if
   * the caller measured it already. Throws ProposalTooLargeError over `maxProposalBytes`, and
   * UncommittedLimitError (retryable) while `maxUncommittedBytes` wait for a quorum. `undefined`
   * is refused: it marks raft's own no-op entries.
   */
  propose(command: Command, bytes?: number): StartResult {
    if (command === undefined)
      throw new RaftUsageError("cannot propose undefined: it marks raft's no-op entries");
    if (isReservedCommand(command))
      throw new RaftUsageError(
        "cannot propose a command with the key raftkit:membership: it marks configuration entries; use changeMembership",
      );
    // A transferring leader takes no proposals: the client retries on the new leader.
    if (!this.isLeader || this.transfer) return { index: -1, term: this.currentTerm, isLeader: false };
    const entry: LogEntry<Command> = { term: this.currentTerm, command };
    const size = bytes ?? this.measure(entry);
    const { maxProposalBytes, maxUncommittedBytes } = this.config;
    if (size > maxProposalBytes) throw new ProposalTooLargeError(size, maxProposalBytes);
    // Always room for one, whatever its size (etcd's rule): a large proposal is never stuck.
    if (this.uncommittedBytes > 0 && this.uncommittedBytes + size > maxUncommittedBytes)
      throw new UncommittedLimitError(this.uncommittedBytes, maxUncommittedBytes);
    const index = this.appendOwn(entry, size);
    return { index, term: this.currentTerm, isLeader: true };
  }

  /** Everything produced since the last call (proposals are sent to followers here). */
  takeReady(): Ready<Command> {
    if (this.readRoundPending) {
      this.readRoundPending = false;
      // One heartbeat round confirms every read made since the last one (and sends new entries).
      if (this.isLeader && this.readOnly.size > 0) {
        this.heartbeat(this.lastNow);
        this.proposalsPending = false;
      }
    }
    if (this.proposalsPending) {
      this.proposalsPending = false;
      if (this.isLeader) {
        for (const [peer, pr] of this.progress) {
          if (pr.mode !== "snapshot" && pr.next <= this.log.lastIndex) this.sendAppend(peer, false);
        }
      }
    }
    return this.out.take();
  }

  get hasReady(): boolean {
    return this.proposalsPending || this.readRoundPending || !this.out.isEmpty;
  }
}
