import { RaftUsageError } from "../errors.js";
import type { PeerId } from "../interfaces.js";
import type { TimeoutNowArgs, TimeoutNowReply } from "../messages.js";
import { Elections } from "./elections.js";
import { leaseExpiresAt } from "./lease.js";
import { LeadershipTransfer, mostUpToDate } from "./transfer.js";

/** What a leader knows of its own leadership: ReadIndex and lease reads, and leadership transfer (TimeoutNow). */
export abstract class Leadership<Command = unknown> extends Elections<Command> {
  /**
   * Asks to confirm, for read `id`, that this member still leads. Returns false (and does
   * nothing) when it is not the leader. Otherwise a later Ready's `reads` holds `{ id, index }`
   * once a majority acknowledged a message sent after this call and an entry of this term is
   * committed (serve the read once the state machine has applied `index`), or `{ id, lost }`
   * if leadership is lost first. Reads made before the next `takeReady()` share one heartbeat
   * round, sent there.
   */
  readIndex(id: number, now: number): boolean {
    this.lastNow = now;
    if (!this.isLeader || !this.acks) return false;
    this.readOnly.add(id, this.acks.lastSeq);
    this.readRoundPending = true;
    this.confirmReads();
    return true;
  }

  /**
   * A lease read: like `readIndex`, but answered at once (in the next Ready, no heartbeat round)
   * while the leader's lease holds (see `leaseExpiresAt`); otherwise it falls back to a round.
   * Needs check-quorum (throws RaftUsageError without it).
   */
  leaseRead(id: number, now: number): boolean {
    if (!this.config.checkQuorum) {
      throw new RaftUsageError(
        "lease reads need checkQuorum: without it members do not refuse votes while they hear from a leader; turn checkQuorum on or use readIndex",
      );
    }
    this.lastNow = now;
    if (!this.isLeader || !this.acks) return false;
    const leaseHolds = !this.timeoutNowSentThisTerm && now < this.leaseExpiry(now);
    if (this.log.termAt(this.commit) === this.currentTerm && leaseHolds) {
      this.out.read({ id, index: this.commit });
      return true;
    }
    return this.readIndex(id, now);
  }

  /** Leader only: when its lease ends, from the latest heartbeat a majority acknowledged. */
  protected leaseExpiry(now: number): number {
    if (!this.acks) return Number.NEGATIVE_INFINITY;
    return leaseExpiresAt(this.acks.confirmedSentAt(now, this.configs.latest.voters), this.config);
  }

  /** `from` answered `message` in this leader's term: it still recognises this leadership. */
  protected override acknowledged(from: PeerId, message: object): void {
    this.acks?.acknowledge(from, message);
    this.confirmReads();
  }

  /** Hands out the reads a majority has confirmed, once this term's no-op is committed. */
  protected override confirmReads(): void {
    if (!this.acks || this.readOnly.size === 0) return;
    if (this.log.termAt(this.commit) !== this.currentTerm) return;
    const confirmed = this.acks.confirmedSeq(this.configs.latest.voters);
    for (const read of this.readOnly.confirm(confirmed, this.commit)) this.out.read(read);
  }

  /**
   * Starts handing leadership to `to` (default: the follower with the most of the log): no more
   * proposals are taken; once the target holds the whole log it is sent TimeoutNow and
   * campaigns at once. Returns the target, or undefined when this member is not the leader (or
   * is alone). The outcome comes in a later Ready's `transfers`: `done` when this member steps
   * down for the newer term, `timeout` after one election timeout (it then goes on leading).
   */
  transferLeadership(to: PeerId | undefined, now: number): PeerId | undefined {
    this.lastNow = now;
    const { voters } = this.configs.latest;
    if (!this.isLeader || voters.every((v) => v === this.id)) return undefined;
    const target = to ?? this.bestSuccessor();
    if (target === undefined || target === this.id || !voters.includes(target)) {
      throw new RaftUsageError(
        `cannot transfer leadership to ${String(target)}: name another voter (${voters.filter((v) => v !== this.id).join(", ")})`,
      );
    }
    if (this.transfer) {
      if (this.transfer.target === target) return target;
      throw new RaftUsageError(
        `a transfer to member ${this.transfer.target} is in progress; wait for it to end`,
      );
    }
    this.transfer = new LeadershipTransfer(target, now + this.config.electionTimeoutMinMs);
    if (!this.sendTimeoutNowIfCaughtUp()) this.sendAppend(target, true);
    return target;
  }

  /** The voter other than this member with the most of the log, if any. */
  protected bestSuccessor(): PeerId | undefined {
    const matches = new Map<PeerId, number>();
    for (const voter of this.configs.latest.voters)
      if (voter !== this.id) matches.set(voter, this.progress.get(voter)?.match ?? 0);
    return mostUpToDate(matches);
  }

  /** The target of the transfer in progress, if any. */
  get transferTarget(): PeerId | undefined {
    return this.transfer?.target;
  }

  /** Sent by a transferring leader: campaign at once, past pre-vote and the members' stickiness. */
  handleTimeoutNow(args: TimeoutNowArgs, now: number): TimeoutNowReply {
    this.lastNow = now;
    const voter = this.mayCampaign();
    if (args.term === this.currentTerm && !this.isLeader && this.leader === args.leaderId && voter) {
      this.campaign(now, true);
    }
    return { term: this.currentTerm };
  }

  onTimeoutNowReply(_from: PeerId, _args: TimeoutNowArgs, reply: TimeoutNowReply, now: number): void {
    this.lastNow = now;
    this.observeTerm(reply.term, now);
  }

  /** Sends TimeoutNow if a transfer waits and its target holds the whole log; returns whether it did. */
  protected override sendTimeoutNowIfCaughtUp(): boolean {
    const transfer = this.transfer;
    if (!transfer || !this.isLeader) return false;
    if ((this.progress.get(transfer.target)?.match ?? 0) < this.log.lastIndex) return false;
    transfer.timeoutNowSent = true;
    this.timeoutNowSentThisTerm = true;
    const args = { term: this.currentTerm, leaderId: this.id };
    this.out.send({ to: transfer.target, method: "TimeoutNow", args });
    return true;
  }
}
