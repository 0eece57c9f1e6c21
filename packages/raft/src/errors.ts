import type { PeerId } from "./interfaces.js";

/** Every error raft throws or rejects with; `code` is stable across versions. */
export abstract class RaftError extends Error {
  abstract readonly code: string;
}

/** A configuration value is out of range (bad timeouts, bad peer id, ...). */
export class RaftConfigError extends RaftError {
  override readonly name = "RaftConfigError";
  readonly code = "ERR_RAFT_CONFIG";
}

/** Persisted raft state could not be decoded: truncated, corrupted, or written by something else. */
export class CorruptStateError extends RaftError {
  override readonly name = "CorruptStateError";
  readonly code = "ERR_RAFT_CORRUPT_STATE";
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`corrupt persisted raft state: ${reason}`, options);
  }
}

/** An incoming RPC does not have the shape raft expects (a foreign or buggy sender). */
export class InvalidMessageError extends RaftError {
  override readonly name = "InvalidMessageError";
  readonly code = "ERR_RAFT_INVALID_MESSAGE";
  constructor(
    readonly method: string,
    reason: string,
  ) {
    super(`invalid ${method} message: ${reason}`);
  }
}

/** The service asked for something raft cannot do (e.g. a snapshot past the committed index). */
export class RaftUsageError extends RaftError {
  override readonly name = "RaftUsageError";
  readonly code = "ERR_RAFT_USAGE";
}

/**
 * This member is not the leader (or is stopped), so it cannot serve the request. `leaderHint`
 * is the leader it last heard from in its current term, if any: retry there.
 */
export class NotLeaderError extends RaftError {
  override readonly name = "NotLeaderError";
  readonly code = "ERR_RAFT_NOT_LEADER";
  constructor(
    readonly leaderHint: PeerId | undefined,
    what = "this member is not the leader",
  ) {
    super(
      leaderHint === undefined
        ? `${what}, and it knows no leader yet: retry on another member or later`
        : `${what}: retry on member ${leaderHint}, the leader it last heard from`,
    );
  }
}

/**
 * This member lost its leadership (a higher term, check-quorum, a transfer) before the request
 * completed — or, for a read without check-quorum, could not confirm it: no majority replied
 * within an election timeout (`reason` says so). For a read nothing happened; retry on the new
 * leader.
 */
export class LeadershipLostError extends RaftError {
  override readonly name = "LeadershipLostError";
  readonly code = "ERR_RAFT_LEADERSHIP_LOST";
  constructor(what: string, reason = "this member lost its leadership meanwhile") {
    super(`${what}: ${reason}; retry on the new leader`);
  }
}

/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class AbortedError extends RaftError {
  override readonly name = "AbortError";
  readonly code = "ABORT_ERR";
  constructor(what: string, reason: unknown) {
    super(`${what} was aborted`, { cause: reason });
  }
}

/** A proposed command cannot cross the wire (a function, a symbol, a cycle, ...): nothing was proposed. */
export class UnencodableCommandError extends RaftError {
  override readonly name = "UnencodableCommandError";
  readonly code = "ERR_RAFT_UNENCODABLE_COMMAND";
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `cannot encode the command (${reason}); propose plain data: numbers, strings, booleans, null, arrays, plain objects, Uint8Array`,
      { cause },
    );
  }
}

/**
 * A proposed command is larger than `maxProposalBytes`: it was refused before anything was
 * written, and retrying it will not help.
 */
export class ProposalTooLargeError extends RaftError {
  override readonly name = "ProposalTooLargeError";
  readonly code = "ERR_RAFT_PROPOSAL_TOO_LARGE";
  constructor(
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(`value too large: ${bytes} bytes, limit ${limitBytes}; store smaller values (split it up)`);
  }
}

/**
 * The leader holds `maxUncommittedBytes` of proposals that a quorum has not stored yet (a slow or
 * missing majority): nothing was proposed. Retryable: try again once commits catch up.
 */
export class UncommittedLimitError extends RaftError {
  override readonly name = "UncommittedLimitError";
  readonly code = "ERR_RAFT_UNCOMMITTED_LIMIT";
  readonly retryable = true;
  constructor(
    readonly uncommittedBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `too much uncommitted data: ${uncommittedBytes} bytes wait for a quorum (limit ${limitBytes}); retry shortly`,
    );
  }
}

/**
 * A leadership transfer did not complete within one election timeout (the target was
 * unreachable, crashed or too far behind): it was aborted and this member goes on leading.
 */
export class LeadershipTransferError extends RaftError {
  override readonly name = "LeadershipTransferError";
  readonly code = "ERR_RAFT_TRANSFER_FAILED";
  constructor(readonly target: PeerId) {
    super(
      `leadership transfer to member ${target} did not complete within an election timeout; this member goes on leading (check that member ${target} is up and reachable, or transfer to another)`,
    );
  }
}

/**
 * A membership change cannot be made now, but can later: another change is not committed yet,
 * the leader has not committed an entry of its own term yet, or the learner to promote has not
 * caught up. Nothing was proposed; retry shortly (`index` is the entry to wait for).
 */
export class MembershipChangePendingError extends RaftError {
  override readonly name = "MembershipChangePendingError";
  readonly code = "ERR_RAFT_MEMBERSHIP_CHANGE_PENDING";
  readonly retryable = true;
  constructor(
    readonly index: number,
    readonly reason: string,
  ) {
    super(`membership change refused for now: ${reason}; retry shortly`);
  }
}

/**
 * Adding a member under an id that a change removed earlier: ids are never reused (etcd refuses
 * "ID removed" too), because the removed member's process or disk could pass for the new one.
 * Nothing was proposed; add the new member under `suggestedId` (or any id never used).
 */
export class MemberIdRemovedError extends RaftError {
  override readonly name = "MemberIdRemovedError";
  readonly code = "ERR_RAFT_MEMBER_ID_REMOVED";
  constructor(
    readonly id: PeerId,
    readonly suggestedId: PeerId,
    reason: string,
  ) {
    super(`cannot add-learner member ${id}: ${reason}`);
  }
}

/** A membership change that cannot apply to the configuration (it names the change and why). */
export class MembershipChangeError extends RaftError {
  override readonly name = "MembershipChangeError";
  readonly code = "ERR_RAFT_MEMBERSHIP_CHANGE";
  constructor(
    readonly change: { readonly kind: string; readonly id: PeerId },
    reason: string,
  ) {
    super(`cannot ${change.kind} member ${change.id}: ${reason}`);
  }
}
