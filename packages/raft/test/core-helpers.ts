import { RaftCore } from "../src/core/raft-core.js";
import type { AppendEntriesArgs, CoreInitialState, LogEntry, OutgoingMessage, Random } from "../src/index.js";

/** A Random that always picks the low end: election timeouts are exactly the minimum. */
export const lowRandom: Random = { float: () => 0, int: () => 0 };

/**
 * Timing for the unit tests (independent of the defaults): 100 ms heartbeats, 400 ms elections;
 * the classic rules (pre-vote and check-quorum have their own tests, which turn them on).
 */
export const TEST_CONFIG = {
  heartbeatIntervalMs: 100,
  electionTimeoutMinMs: 400,
  electionTimeoutMaxMs: 800,
  preVote: false,
  checkQuorum: false,
};

export function core(id: number, peerCount: number, initial?: CoreInitialState<string>): RaftCore<string> {
  return new RaftCore<string>({ id, peerCount, random: lowRandom, now: 0, initial, config: TEST_CONFIG });
}

/** A log whose entries have the given terms, commands "c1", "c2", ... */
export function entries(...terms: number[]): LogEntry<string>[] {
  return terms.map((term, i) => ({ term, command: `c${i + 1}` }));
}

/** A core restarted with term `term` and a log of the given entry terms. */
export function coreWithLog(
  id: number,
  peerCount: number,
  term: number,
  ...terms: number[]
): RaftCore<string> {
  return core(id, peerCount, { hardState: { term, votedFor: null }, entries: entries(...terms) });
}

/**
 * Makes `c` (a 3-member cluster's member) leader of its next term, with every vote granted.
 * Returns what the new leader sent (its first probes).
 */
export function elect(c: RaftCore<string>): OutgoingMessage<string>[] {
  c.tick(c.nextWakeup());
  const ready = c.takeReady();
  for (const m of ready.messages) {
    if (m.method === "RequestVote")
      c.onRequestVoteReply(m.to, m.args, { term: m.args.term, voteGranted: true }, 0);
  }
  if (!c.isLeader) throw new Error("election failed");
  return [...c.takeReady().messages];
}

/** The AppendEntries arguments of the first message to `to` (throws if there is none). */
export function appendTo(
  messages: readonly OutgoingMessage<string>[],
  to: number,
): AppendEntriesArgs<string> {
  const m = messages.find((m) => m.to === to && m.method === "AppendEntries");
  if (m?.method !== "AppendEntries") throw new Error(`no AppendEntries to ${to}`);
  return m.args;
}

/** Asserts that `fn` throws an instance of `kind` (uvu's `throws` takes a predicate, not a class). */
export function throwsA(fn: () => unknown, kind: abstract new (...args: never[]) => Error): void {
  try {
    fn();
  } catch (error) {
    if (error instanceof kind) return;
    throw new Error(`expected ${kind.name}, got ${String(error)}`);
  }
  throw new Error(`expected ${kind.name}, nothing was thrown`);
}
