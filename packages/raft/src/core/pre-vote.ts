import type { RequestVoteArgs, RequestVoteReply } from "../messages.js";

/** What a member consults to answer a pre-vote. */
export interface PreVoteView {
  readonly term: number;
  /** It heard from a live leader recently (leader stickiness), so it refuses to help replace it. */
  readonly inLease: boolean;
  /** The candidate's log is at least as up to date as its own (§5.4.1). */
  readonly candidateUpToDate: boolean;
}

/**
 * Answers a pre-vote (Raft thesis §9.6) without changing any state: granted when the proposed
 * term is above the member's, the candidate's log is up to date, and the member has not heard
 * from a live leader recently. A grant carries the proposed term (so the pre-candidate does not
 * mistake it for a newer term); a refusal carries the member's own, which lets a pre-candidate
 * that fell behind learn the current term.
 */
export function answerPreVote(args: RequestVoteArgs, view: PreVoteView): RequestVoteReply {
  const granted = args.term > view.term && !view.inLease && view.candidateUpToDate;
  return granted ? { term: args.term, voteGranted: true } : { term: view.term, voteGranted: false };
}
