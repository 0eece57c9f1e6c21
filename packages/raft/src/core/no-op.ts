import type { LogEntry } from "../types.js";

/**
 * A new leader appends one entry without a command at the start of its term. Committing it
 * commits every earlier-term entry at once (Figure 8 forbids counting those directly), and a
 * leader can serve reads only once an entry of its own term is committed (Raft §8).
 *
 * The no-op is an entry whose command is `undefined`: that keeps the log formats (a term and a
 * command per entry) unchanged, and `propose(undefined)` is refused so the two never mix.
 */
export function noOpEntry<Command>(term: number): LogEntry<Command> {
  return { term, command: undefined as Command };
}

export function isNoOp(entry: LogEntry<unknown>): boolean {
  return entry.command === undefined;
}
