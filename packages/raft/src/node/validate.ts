import { isMembership } from "../core/membership.js";
import { InvalidMessageError } from "../errors.js";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  RequestVoteArgs,
  RequestVoteReply,
  TimeoutNowArgs,
  TimeoutNowReply,
} from "../messages.js";
import type { LogEntry } from "../types.js";

/**
 * Shape checks for what arrives from the network: a peer running other code (or a bug) must
 * not be able to crash raft with a malformed message. Requests that fail a check raise
 * InvalidMessageError; replies that fail one are treated as lost.
 */

type Fields = Record<string, unknown>;

const isRecord = (value: unknown): value is Fields => typeof value === "object" && value !== null;
const isIndex = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
const isBool = (value: unknown): value is boolean => typeof value === "boolean";
const isOptionalBool = (value: unknown): boolean => value === undefined || isBool(value);

function hasIndexes(value: Fields, names: readonly string[]): boolean {
  for (const name of names) if (!isIndex(value[name])) return false;
  return true;
}

function isEntryList(value: unknown): value is LogEntry[] {
  if (!Array.isArray(value)) return false;
  for (const entry of value)
    if (!isRecord(entry) || !isIndex(entry.term) || !("command" in entry)) return false;
  return true;
}

function check(method: string, ok: boolean): void {
  if (!ok) throw new InvalidMessageError(method, "missing or mistyped fields");
}

export function requestVoteArgs(value: unknown): RequestVoteArgs {
  check(
    "RequestVote",
    isRecord(value) &&
      hasIndexes(value, ["term", "candidateId", "lastLogIndex", "lastLogTerm"]) &&
      isOptionalBool(value.preVote) &&
      isOptionalBool(value.transfer),
  );
  return value as unknown as RequestVoteArgs;
}

export function appendEntriesArgs<Command>(value: unknown): AppendEntriesArgs<Command> {
  check(
    "AppendEntries",
    isRecord(value) &&
      hasIndexes(value, ["term", "leaderId", "prevLogIndex", "prevLogTerm", "leaderCommit"]) &&
      isEntryList(value.entries),
  );
  return value as unknown as AppendEntriesArgs<Command>;
}

export function installSnapshotArgs(value: unknown): InstallSnapshotArgs {
  check(
    "InstallSnapshot",
    isRecord(value) &&
      hasIndexes(value, ["term", "leaderId", "lastIncludedIndex", "lastIncludedTerm", "offset"]) &&
      (value.config === undefined || isMembership(value.config)) &&
      value.data instanceof Uint8Array &&
      isBool(value.done),
  );
  return value as unknown as InstallSnapshotArgs;
}

export function timeoutNowArgs(value: unknown): TimeoutNowArgs {
  check("TimeoutNow", isRecord(value) && hasIndexes(value, ["term", "leaderId"]));
  return value as unknown as TimeoutNowArgs;
}

export function isTimeoutNowReply(value: unknown): value is TimeoutNowReply {
  return isRecord(value) && isIndex(value.term);
}

export function isRequestVoteReply(value: unknown): value is RequestVoteReply {
  return isRecord(value) && isIndex(value.term) && isBool(value.voteGranted);
}

export function isAppendEntriesReply(value: unknown): value is AppendEntriesReply {
  return (
    isRecord(value) && hasIndexes(value, ["term", "conflictIndex", "conflictTerm"]) && isBool(value.success)
  );
}

export function isInstallSnapshotReply(value: unknown): value is InstallSnapshotReply {
  return isRecord(value) && hasIndexes(value, ["term", "nextOffset"]) && isBool(value.installed);
}
