import type { PeerId } from "../interfaces.js";
import type { RequestVoteArgs, RequestVoteReply } from "../messages.js";
import { Follower } from "./follower.js";
import { LeadershipAcks } from "./leadership-acks.js";
import { isVoter } from "./membership.js";
import { noOpEntry } from "./no-op.js";
import { answerPreVote } from "./pre-vote.js";
import { isMajority } from "./quorum.js";

/** Elections: pre-vote, campaigns, votes (leader stickiness, votes only from and for the configuration's voters), and the role changes. */
export abstract class Elections<Command = unknown> extends Follower<Command> {
  /** Pre-vote: asks whether a majority would vote for this member in the next term. */
  protected preCampaign(now: number): void {
    this.counts.preVotes++;
    this.currentRole = "pre-candidate";
    this.leader = undefined;
    this.votes = new Set([this.id]);
    this.resetElectionDeadline(now);
    if (this.wonVotes()) {
      this.campaign(now);
      return;
    }
    const args: RequestVoteArgs = {
      term: this.currentTerm + 1,
      candidateId: this.id,
      lastLogIndex: this.log.lastIndex,
      lastLogTerm: this.log.lastTerm,
      preVote: true,
    };
    for (const peer of this.configs.latest.voters) {
      if (peer !== this.id) this.out.send({ to: peer, method: "RequestVote", args });
    }
  }

  protected onPreVoteReply(from: PeerId, args: RequestVoteArgs, reply: RequestVoteReply, now: number): void {
    // A refusal may carry a newer term: then this member is behind, and follows.
    if (!reply.voteGranted) {
      this.observeTerm(reply.term, now);
      return;
    }
    if (this.currentRole !== "pre-candidate" || args.term !== this.currentTerm + 1) return;
    this.votes.add(from);
    if (this.wonVotes()) this.campaign(now);
  }

  protected campaign(now: number, transfer = false): void {
    this.counts.elections++;
    this.currentTerm++;
    this.currentRole = "candidate";
    this.votedFor = this.id;
    this.leader = undefined;
    this.votes = new Set([this.id]);
    this.incomingSnapshot.clear();
    this.persistHardState();
    this.resetElectionDeadline(now);
    if (this.wonVotes()) {
      this.becomeLeader(now);
      return;
    }
    const args: RequestVoteArgs = {
      term: this.currentTerm,
      candidateId: this.id,
      lastLogIndex: this.log.lastIndex,
      lastLogTerm: this.log.lastTerm,
      ...(transfer ? { transfer: true } : {}),
    };
    for (const peer of this.configs.latest.voters) {
      if (peer !== this.id) this.out.send({ to: peer, method: "RequestVote", args });
    }
  }

  /**
   * Whether this member may start an election: it is a voter in its latest configuration, or in
   * the committed one while its removal is not committed yet (Raft thesis §4.2.2: it may still be
   * needed — it can hold the log the remaining voters need — so it campaigns, without counting
   * its own vote). Learners and members not yet added never campaign.
   */
  protected mayCampaign(): boolean {
    return isVoter(this.configs.latest, this.id) || isVoter(this.configs.at(this.commit), this.id);
  }

  /** Whether the votes (or pre-votes) gathered make a majority of the voters in force. */
  protected wonVotes(): boolean {
    const { voters } = this.configs.latest;
    let granted = 0;
    for (const voter of voters) if (this.votes.has(voter)) granted++;
    return isMajority(granted, voters.length);
  }

  protected becomeLeader(now: number): void {
    this.counts.leaderships++;
    this.currentRole = "leader";
    this.leader = this.id;
    this.votes = new Set();
    this.progress = new Map();
    this.leaving.clear();
    this.adoptConfig();
    this.uncommittedBytes = 0;
    this.firstOwnIndex = this.log.lastIndex + 1;
    this.acks = new LeadershipAcks(this.id);
    // Also without check-quorum: its check then bounds how long a read may wait (see tick).
    this.checkQuorumTimer.start(now);
    this.timeoutNowSentThisTerm = false;
    // The no-op carries no command: it counts for nothing against the byte limits.
    this.appendOwn(noOpEntry<Command>(this.currentTerm), 0);
    this.heartbeat(now);
  }

  protected becomeFollower(now: number): void {
    const wasLeader = this.currentRole === "leader";
    this.currentRole = "follower";
    this.votes = new Set();
    this.progress = new Map();
    this.leaving.clear();
    this.acks = undefined;
    this.checkQuorumTimer.stop();
    if (this.transfer) {
      this.out.transferEnded({ target: this.transfer.target, outcome: "done" });
      this.transfer = undefined;
    }
    for (const lost of this.readOnly.failAll()) this.out.read(lost);
    this.heartbeatDeadline = Number.POSITIVE_INFINITY;
    // A deposed leader's election deadline is stale; give the new leader a full timeout.
    if (wasLeader) this.resetElectionDeadline(now);
  }

  /** Steps down on a higher term. Returns whether it did. */
  protected override observeTerm(term: number, now: number): boolean {
    if (term <= this.currentTerm) return false;
    this.currentTerm = term;
    this.votedFor = null;
    this.leader = undefined;
    this.persistHardState();
    this.becomeFollower(now);
    return true;
  }

  /** A valid AppendEntries or InstallSnapshot from the leader of `term` (>= ours). */
  protected override acceptLeader(term: number, leaderId: PeerId, now: number): void {
    this.observeTerm(term, now);
    if (this.currentRole !== "follower") this.becomeFollower(now);
    this.leader = leaderId;
    this.leaderContactAt = now;
    this.resetElectionDeadline(now);
  }

  handleRequestVote(args: RequestVoteArgs, now: number): RequestVoteReply {
    this.lastNow = now;
    // A candidate outside this member's configuration — neither a voter in its latest one nor in
    // its committed one (removed for sure, or not yet a voter as far as it knows) — gets no vote
    // and moves no term: a removed member cannot disrupt. A voter whose removal is not committed
    // may still be needed to elect a leader (it may hold the longest log), so it is heard.
    if (
      !isVoter(this.configs.latest, args.candidateId) &&
      !isVoter(this.configs.at(this.commit), args.candidateId)
    )
      return { term: this.currentTerm, voteGranted: false };
    const upToDate = this.isUpToDate(args.lastLogTerm, args.lastLogIndex);
    if (args.preVote) {
      return answerPreVote(args, {
        term: this.currentTerm,
        inLease: this.inLease(now),
        candidateUpToDate: upToDate,
      });
    }
    // Leader stickiness: a live leader is not replaced (a transfer's campaign is invited).
    if (args.term > this.currentTerm && !args.transfer && this.inLease(now)) {
      return { term: this.currentTerm, voteGranted: false };
    }
    this.observeTerm(args.term, now);
    let granted = false;
    if (
      args.term === this.currentTerm &&
      (this.votedFor === null || this.votedFor === args.candidateId) &&
      upToDate
    ) {
      granted = true;
      if (this.votedFor !== args.candidateId) {
        this.votedFor = args.candidateId;
        this.persistHardState();
      }
      this.resetElectionDeadline(now);
    }
    return { term: this.currentTerm, voteGranted: granted };
  }

  onRequestVoteReply(from: PeerId, args: RequestVoteArgs, reply: RequestVoteReply, now: number): void {
    this.lastNow = now;
    if (args.preVote) {
      this.onPreVoteReply(from, args, reply, now);
      return;
    }
    if (this.observeTerm(reply.term, now)) return;
    if (this.currentRole !== "candidate" || args.term !== this.currentTerm || !reply.voteGranted) return;
    this.votes.add(from);
    if (this.wonVotes()) this.becomeLeader(now);
  }
}
