import { InvalidMessageError } from "../errors.js";
import type { AppendEntriesArgs, AppendEntriesReply, RaftMethod } from "../messages.js";
import { decodeCommand, encodedCommand } from "../storage/command-bytes.js";
import type { LogEntry } from "../types.js";
import { hasExactly, type WireCodec } from "./method-codec.js";

const ARGS = ["term", "leaderId", "prevLogIndex", "prevLogTerm", "entries", "leaderCommit"] as const;
const REPLY = ["term", "success", "conflictIndex", "conflictTerm"] as const;
/** Fields before the entries in the compact form of AppendEntries' arguments. */
const HEAD = 5;

const bad = (what: string) => new InvalidMessageError("AppendEntries", `compact form: ${what}`);

/**
 * AppendEntries as `[term, leaderId, prevLogIndex, prevLogTerm, leaderCommit, t1, c1, t2, c2, ...]`
 * with each command `c` as its cbor bytes: the encoding made once at the proposal
 * (`encodedCommand`), which the follower keeps for its own log write. The reply is
 * `[term, success (0/1), conflictIndex, conflictTerm]`. Field names made up 60 of the ~80 bytes
 * of a one-entry message's frame around its command.
 */
export const appendEntriesCodec: WireCodec = {
  id: 1,
  encodeArgs(args) {
    if (!hasExactly(args, ARGS) || !Array.isArray(args.entries)) return undefined;
    const a = args as unknown as AppendEntriesArgs;
    const out: unknown[] = [a.term, a.leaderId, a.prevLogIndex, a.prevLogTerm, a.leaderCommit];
    for (const entry of a.entries) {
      if (!hasExactly(entry, ["term", "command"])) return undefined;
      out.push(entry.term, encodedCommand(entry.command));
    }
    return out;
  },
  decodeArgs(compact) {
    if (compact.length < HEAD || (compact.length - HEAD) % 2 !== 0) throw bad(`of ${compact.length} items`);
    const entries: LogEntry[] = [];
    for (let i = HEAD; i < compact.length; i += 2) {
      const bytes = compact[i + 1];
      if (!(bytes instanceof Uint8Array)) throw bad(`entry ${(i - HEAD) / 2} without its bytes`);
      let command: unknown;
      try {
        command = decodeCommand(bytes);
      } catch (error) {
        throw bad(`entry ${(i - HEAD) / 2}: ${(error as Error).message}`);
      }
      entries.push({ term: compact[i] as number, command });
    }
    // Types are checked where every form arrives: raft's own validation of AppendEntries.
    const [term, leaderId, prevLogIndex, prevLogTerm, leaderCommit] = compact;
    return { term, leaderId, prevLogIndex, prevLogTerm, entries, leaderCommit };
  },
  encodeReply(reply) {
    if (!hasExactly(reply, REPLY)) return undefined;
    const r = reply as unknown as AppendEntriesReply;
    if (typeof r.success !== "boolean") return undefined;
    return [r.term, r.success ? 1 : 0, r.conflictIndex, r.conflictTerm];
  },
  decodeReply(compact) {
    if (compact.length !== 4 || (compact[1] !== 0 && compact[1] !== 1)) throw bad("reply");
    const [term, success, conflictIndex, conflictTerm] = compact;
    return { term, success: success === 1, conflictIndex, conflictTerm };
  },
};

/**
 * Raft's compact wire forms, by method, for a transport's `codecs` option (ids 1–15 are raft's).
 * Only AppendEntries, the message of every write and heartbeat, has one so far.
 */
export const RAFT_WIRE_CODECS: Readonly<Partial<Record<RaftMethod, WireCodec>>> = Object.freeze({
  AppendEntries: appendEntriesCodec,
});
