import type { RaftCore } from "../core/raft-core.js";
import { InvalidMessageError } from "../errors.js";
import type { OutgoingMessage } from "../messages.js";
import * as validate from "./validate.js";

/** The reply a stopped node gives: term 0 makes every sender ignore it. */
export const STOPPED_REPLY = Object.freeze({
  term: 0,
  voteGranted: false,
  success: false,
  conflictIndex: 0,
  conflictTerm: 0,
});

/**
 * Hands an incoming request to the core, checked first (a peer's bytes never reach the core
 * unchecked: InvalidMessageError for a bad shape or an unknown method). Returns the reply.
 */
export function handleRequest<Command>(
  core: RaftCore<Command>,
  method: string,
  args: unknown,
  now: number,
): unknown {
  switch (method) {
    case "RequestVote":
      return core.handleRequestVote(validate.requestVoteArgs(args), now);
    case "AppendEntries":
      return core.handleAppendEntries(validate.appendEntriesArgs<Command>(args), now);
    case "InstallSnapshot":
      return core.handleInstallSnapshot(validate.installSnapshotArgs(args), now);
    case "TimeoutNow":
      return core.handleTimeoutNow(validate.timeoutNowArgs(args), now);
    default:
      throw new InvalidMessageError(method, "unknown method");
  }
}

/**
 * Hands the reply to one of the core's own requests back to it. Returns false, doing nothing,
 * when the reply is malformed (the caller then counts the call as failed).
 */
export function deliverReply<Command>(
  core: RaftCore<Command>,
  message: OutgoingMessage<Command>,
  reply: unknown,
  now: number,
): boolean {
  switch (message.method) {
    case "RequestVote":
      if (!validate.isRequestVoteReply(reply)) return false;
      core.onRequestVoteReply(message.to, message.args, reply, now);
      return true;
    case "AppendEntries":
      if (!validate.isAppendEntriesReply(reply)) return false;
      core.onAppendEntriesReply(message.to, message.args, reply, now);
      return true;
    case "InstallSnapshot":
      if (!validate.isInstallSnapshotReply(reply)) return false;
      core.onInstallSnapshotReply(message.to, message.args, reply, now);
      return true;
    case "TimeoutNow":
      if (!validate.isTimeoutNowReply(reply)) return false;
      core.onTimeoutNowReply(message.to, message.args, reply, now);
      return true;
  }
}
